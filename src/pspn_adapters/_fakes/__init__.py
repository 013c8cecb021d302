"""What the fake forums share: a loopback HTTP server and one OpenAPI contract checker.

Test-only code (it needs the ``pspn[testing]`` extra): production adapters never
import this package; ``tests/meta`` holds them to it.
"""

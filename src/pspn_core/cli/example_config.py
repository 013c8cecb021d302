"""The commented example configuration ``pspn init`` writes (the PSPN's own rules).

The text is the package file ``pspn_core/example.toml``; ``examples/pspn.toml`` in
the repository is the same file (a test holds them equal).
"""

from __future__ import annotations

from pspn_core.config import example_config

__all__ = ["EXAMPLE_CONFIG"]

EXAMPLE_CONFIG = example_config()

"""A fake Discourse for tests and dry runs: a real HTTP server on 127.0.0.1.

Needs the ``pspn[testing]`` extra (``jsonschema``); the contract it checks
every request against ships beside it (``contract/openapi.json.gz``, MIT, from
Discourse's API docs; ``contract/README.md`` is the guide to its gaps).

    with FakeDiscourse() as fake:
        fake.site.add_user("alice.example", "Alice Example")

Operators: ``python -m pspn_adapters.discourse.fake --port 8085``.
"""

from pspn_adapters.discourse.fake.demo import main, seed_demo
from pspn_adapters.discourse.fake.server import CONTRACT, FakeDiscourse, Fault, Recorded
from pspn_adapters.discourse.fake.state import Site

__all__ = ["CONTRACT", "FakeDiscourse", "Fault", "Recorded", "Site", "main", "seed_demo"]

"""A fake Invision Community for tests and dry runs: a real HTTP server on 127.0.0.1.

Needs the ``pspn[testing]`` extra (``jsonschema``); the contract it checks
every request, answer and webhook against ships beside it
(``contract/openapi.json.gz``, with ``contract/README.md`` as its guide).

    with FakeInvision() as fake:
        bot = fake.add_member("pspn-bot", group=4)

Operators: ``python -m pspn_adapters.invision.fake --port 8086 --seed``.
"""

from pspn_adapters.invision.fake.demo import main, seed
from pspn_adapters.invision.fake.faults import Fault, Faults
from pspn_adapters.invision.fake.server import CONTRACT, FakeInvision

__all__ = ["CONTRACT", "FakeInvision", "Fault", "Faults", "main", "seed"]

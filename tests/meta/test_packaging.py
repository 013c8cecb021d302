"""What a wheel ships: production adapters without test-only dependencies, fakes with contracts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pspn_adapters.discourse.fake import CONTRACT as DISCOURSE_CONTRACT
from pspn_adapters.invision.fake import CONTRACT as INVISION_CONTRACT

# Only the fakes and pspn_core.testing may need these (the ``pspn[testing]`` extra).
TEST_ONLY = ("jsonschema", "referencing", "pytest", "pspn_adapters._fakes")

# Where the contracts are maintained, when this checkout sits beside a ``shared/`` folder.
SHARED_CONTRACTS = Path(__file__).resolve().parents[2].parent / "shared" / "contracts"


def test_production_adapters_import_nothing_test_only() -> None:
    code = (
        "import json, sys\n"
        "import pspn_adapters.discourse, pspn_adapters.invision\n"
        f"print(json.dumps([m for m in {TEST_ONLY!r} if m in sys.modules]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert json.loads(done.stdout) == []


@pytest.mark.parametrize(
    ("folder", "forum"),
    [(DISCOURSE_CONTRACT.parent, "discourse"), (INVISION_CONTRACT.parent, "invision")],
)
def test_each_fake_ships_its_contract_as_maintained_in_shared(folder: Path, forum: str) -> None:
    shipped = sorted(p.name for p in folder.iterdir())
    assert "openapi.json" in shipped
    assert "README.md" in shipped
    source = SHARED_CONTRACTS / forum
    if not source.is_dir():
        pytest.skip(f"no {source} beside the repository to compare with")
    assert shipped == sorted(p.name for p in source.iterdir())
    for name in shipped:
        assert (folder / name).read_bytes() == (source / name).read_bytes(), (
            f"{folder / name} differs from {source / name}: copy the new version in"
        )

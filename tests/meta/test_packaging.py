"""What a wheel ships: production adapters without test-only dependencies, fakes with contracts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pspn_adapters._fakes.contracts import read_contract
from pspn_adapters.discourse.fake import CONTRACT as DISCOURSE_CONTRACT
from pspn_adapters.invision.fake import CONTRACT as INVISION_CONTRACT
from pspn_adapters.teams.fake.csdl import contract_file

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
    [
        (DISCOURSE_CONTRACT.parent, "discourse"),
        (INVISION_CONTRACT.parent, "invision"),
        (contract_file().parent, "msgraph"),
    ],
)
def test_each_fake_ships_its_contract_as_maintained_in_shared(folder: Path, forum: str) -> None:
    """The shipped copies are the shared ones; the big ones gzipped (``openapi.json.gz``)."""
    shipped = {p.name.removesuffix(".gz"): p for p in folder.iterdir()}
    assert "README.md" in shipped
    big = "v1.0-Prod.csdl" if forum == "msgraph" else "openapi.json"
    assert shipped[big].name == f"{big}.gz"
    source = SHARED_CONTRACTS / forum
    if not source.is_dir():
        pytest.skip(f"no {source} beside the repository to compare with")
    assert sorted(shipped) == sorted(p.name for p in source.iterdir())
    for name, path in shipped.items():
        assert read_contract(path) == (source / name).read_bytes(), (
            f"{path} differs from {source / name}: copy the new version in"
            + (" and gzip it" if path.name.endswith(".gz") else "")
        )

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
    "folder", [DISCOURSE_CONTRACT.parent, INVISION_CONTRACT.parent, contract_file().parent]
)
def test_each_fake_ships_its_contract_with_its_guide(folder: Path) -> None:
    """The contract (big ones gzipped, see tools/vendor_shared.py) and the guide to its gaps."""
    names = {path.name for path in folder.iterdir()}
    assert "README.md" in names
    (big,) = [path for path in folder.iterdir() if path.name.endswith(".gz")]
    assert big.name in {"openapi.json.gz", "v1.0-Prod.csdl.gz"}
    assert read_contract(big).lstrip()[:1] in (b"{", b"<")  # JSON or XML once unpacked

"""The vendored copies are what was copied from shared/, unedited, and nothing else is there.

``tools/vendor_shared.py`` copies them and records each one's SHA-256; these
tests need only the repository, never a ``shared/`` folder beside it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from tools.vendor_shared import RECORD, ROOT, VENDORED, content


def _recorded() -> dict[str, tuple[str, str]]:
    rows = (line.split("  ") for line in RECORD.read_text(encoding="utf-8").splitlines())
    return {copy: (digest, original) for digest, copy, original in rows}


def test_every_vendored_file_is_recorded_with_its_original() -> None:
    assert {copy: original for copy, (_, original) in _recorded().items()} == {
        copy: original for original, copy in VENDORED
    }


@pytest.mark.parametrize("copy", [copy for _, copy in VENDORED])
def test_a_vendored_copy_is_unedited(copy: str) -> None:
    digest, original = _recorded()[copy]
    assert hashlib.sha256(content(ROOT / copy)).hexdigest() == digest, (
        f"{copy} is not the recorded copy of shared/{original}: copy it again with "
        "tools/vendor_shared.py rather than editing it"
    )


def test_the_contract_folders_hold_only_vendored_files() -> None:
    copies = {ROOT / copy for _, copy in VENDORED}
    for forum in ("discourse", "invision", "teams"):
        folder = ROOT / "src" / "pspn_adapters" / forum / "fake" / "contract"
        assert set(folder.iterdir()) <= copies | {folder / "__pycache__"}, folder


def test_the_big_contracts_ship_gzipped() -> None:
    big = [Path(copy) for _, copy in VENDORED if Path(copy).stem.endswith((".json", ".csdl"))]
    assert big and all(path.suffix == ".gz" for path in big)

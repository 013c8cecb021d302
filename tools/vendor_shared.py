"""Copy what pspn vendors from the workplace's ``shared/`` folder, and record it.

The repository stands alone: the fakes' API contracts and the anonymiser's
shared evaluation set are copied in, not read from ``../shared`` (the big
contracts gzipped). Each copy's SHA-256, of its content as the original has
it, is recorded in ``tools/vendored.sha256``; the tests check the copies
against that file, so nothing in them needs ``shared/`` to be there.

When ``shared/`` changes, run from the repository:

    python tools/vendor_shared.py --shared ../shared           # copy and record
    python tools/vendor_shared.py --shared ../shared --check   # exit 1 if out of date

then run the tests and commit the copies with the record.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECORD = ROOT / "tools" / "vendored.sha256"
FAKES = "src/pspn_adapters"
# (the original in shared/, the copy in this repository; a copy ending in .gz is compressed)
VENDORED = (
    ("anonymiser-eval/dev.jsonl", "tests/data/anonymiser/shared-dev.jsonl"),
    ("anonymiser-eval/score.py", "tests/data/anonymiser/score.py"),
    ("contracts/discourse/LICENSE.txt", f"{FAKES}/discourse/fake/contract/LICENSE.txt"),
    ("contracts/discourse/README.md", f"{FAKES}/discourse/fake/contract/README.md"),
    ("contracts/discourse/openapi.json", f"{FAKES}/discourse/fake/contract/openapi.json.gz"),
    ("contracts/discourse/operations.json", f"{FAKES}/discourse/fake/contract/operations.json"),
    ("contracts/invision/README.md", f"{FAKES}/invision/fake/contract/README.md"),
    ("contracts/invision/openapi.json", f"{FAKES}/invision/fake/contract/openapi.json.gz"),
    ("contracts/msgraph/LICENSE", f"{FAKES}/teams/fake/contract/LICENSE"),
    ("contracts/msgraph/README.md", f"{FAKES}/teams/fake/contract/README.md"),
    ("contracts/msgraph/v1.0-Prod.csdl", f"{FAKES}/teams/fake/contract/v1.0-Prod.csdl.gz"),
)


def content(copy: Path) -> bytes:
    """A copy's content as the original has it (decompressed if gzipped)."""
    data = copy.read_bytes()
    return gzip.decompress(data) if copy.name.endswith(".gz") else data


def record_lines() -> list[str]:
    """One line per copy: the SHA-256 of its content, the copy, the original."""
    return [
        f"{hashlib.sha256(content(ROOT / copy)).hexdigest()}  {copy}  {original}"
        for original, copy in VENDORED
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, required=True, help="the shared/ folder")
    parser.add_argument("--check", action="store_true", help="compare only; write nothing")
    args = parser.parse_args()
    stale = []
    for original, copy in VENDORED:
        source, target = args.shared / original, ROOT / copy
        if not source.is_file():
            print(f"{source} does not exist: is --shared the shared/ folder?", file=sys.stderr)
            return 2
        data = source.read_bytes()
        if target.exists() and content(target) == data:
            continue
        stale.append(copy)
        if not args.check:
            packed = gzip.compress(data, compresslevel=9, mtime=0)
            target.write_bytes(packed if copy.endswith(".gz") else data)
    if args.check:
        if stale:
            print(f"out of date: {', '.join(stale)}", file=sys.stderr)
        return 1 if stale else 0
    RECORD.write_text("\n".join(record_lines()) + "\n", encoding="utf-8")
    print(f"{len(stale)} copies updated; {RECORD.relative_to(ROOT)} written")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

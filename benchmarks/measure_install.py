"""How much disk a runtime install of pspn takes (issue 19: at most 250 MB).

Usage: python benchmarks/measure_install.py [--repo PATH] [--top 15] [--target 250]

Makes two virtual environments in a temporary folder, with this Python's
``venv`` module: one left empty, and one into which ``pip install <repo>``
installs pspn from the source tree with its runtime dependencies only (no
extras). pip runs as configured on this machine (its local index, offline).

Sizes are bytes on disk as ``du`` counts them (allocated blocks, each file
once even if hard-linked), in du's megabytes (``du -m``: 2^20 bytes), the
unit of the issue's figures; the target line gives 10^6-byte MB too:

* venv: the whole environment after installing pspn;
* made by venv itself: the empty environment (pip and setuptools, which
  ``python -m venv`` puts there before pspn is involved);
* added by installing pspn: the difference. This is the figure the target is
  about: what choosing pspn costs, whatever the Python it is installed on.

The largest distributions are summed over the files their ``RECORD`` lists
(code, data, compiled bytecode, scripts and their ``.dist-info``).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from importlib.metadata import distributions
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MB = 2**20  # du -m


def disk_usage(paths: Iterable[Path]) -> int:
    """Bytes allocated on disk for ``paths`` (files, or folders walked), each inode once."""
    seen: set[tuple[int, int]] = set()
    total = 0
    for top in paths:
        for path in [top, *top.rglob("*")] if top.is_dir() else [top]:
            try:
                st = path.lstat()
            except FileNotFoundError:
                continue
            if (st.st_dev, st.st_ino) not in seen:
                seen.add((st.st_dev, st.st_ino))
                total += st.st_blocks * 512
    return total


def make_venv(where: Path) -> Path:
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
    return where


def site_packages(venv: Path) -> Path:
    (found,) = venv.glob("lib/python*/site-packages")
    return found


def by_distribution(venv: Path) -> list[tuple[int, str]]:
    """(bytes on disk, "name version") of every distribution installed in ``venv``."""
    site = site_packages(venv)
    sizes = []
    for dist in distributions(path=[str(site)]):
        files = [Path(str(f.locate())).resolve() for f in dist.files or ()]
        name = f"{dist.metadata['Name']} {dist.version}"
        sizes.append((disk_usage(f for f in files if f.exists()), name))
    return sorted(sizes, reverse=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", type=Path, default=REPO, help="the source tree to install")
    parser.add_argument("--top", type=int, default=15, help="how many distributions to list")
    parser.add_argument("--target", type=float, default=250.0, help="MB pspn may add")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pspn-install-") as directory:
        root = Path(directory)
        empty = disk_usage([make_venv(root / "empty")])
        venv = make_venv(root / "venv")
        subprocess.run(
            [str(venv / "bin" / "pip"), "install", "--quiet", str(args.repo.resolve())],
            check=True,
        )
        total = disk_usage([venv])
        largest = by_distribution(venv)[: args.top]
    added = total - empty
    print(f"venv with pspn installed       {total / MB:7.1f} MB")
    print(f"made by venv itself (empty)    {empty / MB:7.1f} MB")
    print(f"added by installing pspn       {added / MB:7.1f} MB")
    print(f"\nlargest {len(largest)} distributions:")
    for size, name in largest:
        print(f"  {size / MB:7.1f} MB  {name}")
    verdict = "met" if added <= args.target * MB else "NOT met"
    print(
        f"\ntarget (issue 19): installing pspn adds at most {args.target:.0f} MB: "
        f"{added / MB:.1f} MB ({added / 1e6:.1f} million bytes), {verdict}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

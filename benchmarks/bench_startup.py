"""Everyday commands timed as whole processes, from outside, against ``python -c pass``.

Usage: python benchmarks/bench_startup.py [--runs 9] [--pspn PATH] [--members 3500]

Builds the example hub on the embedded forum with 3,500 members (in a
temporary folder), plans its meetings once, then times each command as its
own process: the median of ``--runs`` runs of wall time, CPU time and peak
memory, and how many modules the command imported. Targets (issue 19):
``pspn --help`` 150 ms, ``members list`` and ``meetings list`` 300 ms,
``meetings plan --months 12`` 400 ms (median wall time).

``--pspn`` times another installation's ``pspn`` on the same hub.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from _processes import hub_env, make_hub, measure, pspn_command

COMMANDS = [
    (["--help"], 0.150),
    (["members", "list"], 0.300),
    (["meetings", "list"], 0.300),
    (["meetings", "plan", "--months", "12"], 0.400),
]

_COUNT_MODULES = (
    "import atexit, sys\n"
    "atexit.register(lambda: print(len(sys.modules), file=sys.__stderr__))\n"
    "sys.argv = ['pspn', *sys.argv[1:]]\n"
    "from pspn_core.cli import main\n"
    "main()\n"
)


def modules_loaded(python: str, args: list[str], env: dict[str, str], cwd: Path) -> str:
    """How many modules ``pspn ARGS`` has imported when it exits."""
    done = subprocess.run(
        [python, "-c", _COUNT_MODULES, *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = done.stderr.strip().splitlines()
    return lines[-1] if lines and lines[-1].isdigit() else "?"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--members", type=int, default=3_500)
    parser.add_argument("--pspn", help="the pspn executable to time (default: beside this Python)")
    args = parser.parse_args()
    pspn = pspn_command(args.pspn)
    python = str(Path(pspn[0]).with_name("python"))
    with tempfile.TemporaryDirectory() as directory:
        hub_dir = Path(directory) / "hub"
        make_hub(hub_dir, args.members)
        env = hub_env(hub_dir)
        measure([*pspn, "meetings", "plan", "--months", "12"], env, hub_dir, 1)  # plan once
        reference = measure([sys.executable, "-c", "pass"], {}, hub_dir, args.runs)
        print(f"{args.members:,} members; timing {pspn[0]}")
        print(f"{'python -c pass (reference)':<34} {reference}")
        for command, target in COMMANDS:
            figures = measure([*pspn, *command], env, hub_dir, args.runs)
            verdict = "ok" if figures.wall <= target else "over"
            modules = modules_loaded(python, command, env, hub_dir)
            print(
                f"{'pspn ' + ' '.join(command):<34} {figures}  {modules:>4} modules  "
                f"target {target * 1000:.0f} ms: {verdict}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

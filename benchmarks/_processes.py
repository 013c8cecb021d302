"""Shared by the whole-command benchmarks: a seeded hub, and timing processes from outside.

A command is run as its own process, as an operator runs it; each figure is
the median of several runs, with wall time, CPU time (user + system, from the
kernel's accounting of that child) and peak resident memory. The kernel counts
a child's peak from the moment it is forked, so the timing process stays small
(standard library only) and the hub is built by a child process of its own.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    peak_mb: float


@dataclass(frozen=True)
class Figures:
    wall: float
    cpu: float
    peak_mb: float
    runs: int

    def __str__(self) -> str:
        return (
            f"wall {self.wall * 1000:7.0f} ms  CPU {self.cpu * 1000:7.0f} ms  "
            f"peak {self.peak_mb:5.0f} MB  (median of {self.runs})"
        )


def run_once(command: Sequence[str], env: Mapping[str, str], cwd: Path) -> Run:
    """Run ``command`` to the end; its wall time, CPU time and peak memory."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        child = subprocess.Popen(
            list(command), env=dict(env), cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors
        )
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            errors.seek(0)
            message = errors.read().decode(errors="replace")[-2000:]
            raise SystemExit(f"{' '.join(command)} failed ({child.returncode}):\n{message}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def measure(
    command: Sequence[str], env: Mapping[str, str], cwd: Path, runs: int, before: object = None
) -> Figures:
    """The median of ``runs`` runs; ``before`` (a callable) runs before each, untimed."""
    results = []
    for _ in range(runs):
        if callable(before):
            before()
        results.append(run_once(command, env, cwd))
    return Figures(
        statistics.median(r.wall for r in results),
        statistics.median(r.cpu for r in results),
        statistics.median(r.peak_mb for r in results),
        runs,
    )


def pspn_command(executable: str | None) -> list[str]:
    """The ``pspn`` to time: given, or the one installed beside this Python."""
    if executable:
        return [executable]
    return [str(Path(sys.executable).with_name("pspn"))]


def hub_env(hub_dir: Path) -> dict[str, str]:
    """The environment of a timed command: no ``PSPN_`` settings but the hub's config.

    Without ``PYTHONDONTWRITEBYTECODE`` either: an installed pspn has its bytecode
    written, and a run that compiled every module from source would time that.
    """
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PSPN_") and k != "PYTHONDONTWRITEBYTECODE"
    }
    env["PSPN_CONFIG"] = str(hub_dir / "pspn.toml")
    return env


def make_hub(hub_dir: Path, people: int, note_bytes: int = 0) -> None:
    """Build the hub (see :func:`_build_hub`) in a child process, to keep this one small."""
    subprocess.run(
        [sys.executable, __file__, str(hub_dir), str(people), str(note_bytes)],
        check=True,
        cwd=Path(__file__).parent,
    )


def _build_hub(hub_dir: Path, people: int, note_bytes: int, seed: int = 7) -> None:
    """The example hub on the embedded forum, with ``people`` members and a key.

    With ``note_bytes``, also ``note.vtt``: a Teams transcript naming members.
    """
    import random
    from datetime import UTC, datetime

    from bench_anonymiser import make_roster, make_transcript

    import pspn_adapters.local
    from pspn_adapters.local import LocalForum
    from pspn_core.cli import App
    from pspn_core.cli.setup import write_example_config
    from pspn_core.networks.service import setup_network
    from pspn_core.notes.keys import create_key_file
    from pspn_core.plugins import Plugins, make_plugin_manager
    from pspn_core.store import transaction

    write_example_config(hub_dir)
    plugins = Plugins(make_plugin_manager(load_entrypoints=False, plugins=[pspn_adapters.local]))
    app = App(hub_dir / "pspn.toml", plugins=plugins, environ={})
    forum = app.forum("pspn")
    assert isinstance(forum, LocalForum)
    setup_network(app.network("pspn"), app.store, forum, plugins)
    roster = make_roster(people, random.Random(seed))
    now = datetime(2027, 1, 5, tzinfo=UTC).isoformat()
    with transaction(app.store.conn) as conn:
        conn.executemany(
            "INSERT INTO members (network, username, display_name, organisation, aliases,"
            " joined_at) VALUES ('pspn', ?, ?, ?, '[]', ?)",
            [(e.username, e.name, e.organisation, now) for e in roster],
        )
    create_key_file(app.config.key_file)
    app.store.close()
    if note_bytes:
        note = make_transcript(note_bytes, roster, random.Random(seed + 4))
        (hub_dir / "note.vtt").write_text(note, encoding="utf-8")


if __name__ == "__main__":
    _build_hub(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))


def start_server(
    hub: Path, extra_env: Mapping[str, str] | None = None
) -> tuple[subprocess.Popen[str], int]:
    """``pspn serve --port 0`` for the hub in ``hub``; the process and the port it took."""
    cli = [sys.executable, "-c", "from pspn_core.cli import main; main()"]
    command = [*cli, "--config", str(hub / "pspn.toml"), "serve", "--port", "0"]
    env = {**os.environ, **(extra_env or {}), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if "serving" not in line:
        process.kill()
        raise SystemExit(f"pspn serve did not start: {line!r}")
    return process, int(line.split("serving ", 1)[1].split()[0].rsplit(":", 1)[1])

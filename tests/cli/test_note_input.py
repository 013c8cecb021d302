"""Note files that lie about their size or hide binary content are refused (items 13, 15)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from tests.cli.test_notes import hub  # noqa: F401  (a fixture)
from tests.conftest import Cli


def _refused(run: Cli, path: Path | str, *extra: str) -> str:
    result = run("notes", "add", str(path), "--by", "note-taker", *extra)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert run("notes", "list", "--format", "json").output.strip() == "[]"
    return result.output


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_dev_zero_is_read_only_up_to_the_limit(hub: Cli) -> None:  # noqa: F811
    assert "over the limit of 1,000 bytes" in _refused(hub, "/dev/zero", "--max-bytes", "1000")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_that_never_ends_is_read_only_up_to_the_limit(
    hub: Cli,  # noqa: F811
    tmp_path: Path,
) -> None:
    fifo = tmp_path / "endless"
    os.mkfifo(fifo)
    stop = threading.Event()

    def feed() -> None:
        try:
            with fifo.open("wb") as pipe:
                while not stop.is_set():
                    pipe.write(b"Ada said the ward was short-staffed.\n" * 100)
        except BrokenPipeError:
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        assert "over the limit" in _refused(hub, fifo, "--max-bytes", "10000")
    finally:
        stop.set()
        writer.join(timeout=5)


def test_a_nul_anywhere_makes_it_binary(hub: Cli, tmp_path: Path) -> None:  # noqa: F811
    late = tmp_path / "late-nul.txt"
    late.write_bytes(b"Meeting notes.\n" * 1000 + b"\x00hidden\n")
    assert "binary file" in _refused(hub, late)


@pytest.mark.parametrize(
    "name", ["Ada\nLovelock", "Ada\rLovelock", "Ada\x1b[2JLovelock", "Ada\u2028L"]
)
def test_names_and_titles_with_control_characters_are_refused(run: Cli, name: str) -> None:
    run("networks", "setup")
    added = run("members", "add", "ada_l", "--name", name)
    assert added.exit_code == 2 and "control characters" in added.output
    raised = run("topics", "raise", f"About {name}")
    assert raised.exit_code == 2 and "control characters" in raised.output
    assert run("members", "list", "--format", "json").output.strip() == "[]"
    assert run("topics", "list", "--format", "json").output.strip() == "[]"

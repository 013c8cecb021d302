"""``python -m pspn_adapters.<forum>.fake --port 0``: each fake starts, says where, and answers."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import requests

DISCOURSE_KEY = re.compile(r"^export PSPN_DISCOURSE_API_KEY=(\w+)")


def _serve(module: str, cwd: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", module, "--port", "0", *args],
        cwd=cwd,  # nothing beside it: the contract comes from the package
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _lines_until(process: subprocess.Popen[str], pattern: re.Pattern[str]) -> list[str]:
    """What the fake printed up to a line matching ``pattern`` (killed after 30 s of silence)."""
    assert process.stdout is not None
    watchdog = threading.Timer(30, process.kill)
    watchdog.start()
    lines: list[str] = []
    try:
        while not (lines and pattern.search(lines[-1])):
            line = process.stdout.readline()
            if not line:
                _, err = process.communicate()
                pytest.fail(f"the fake stopped before printing {pattern.pattern!r}: {err}")
            lines.append(line)
    finally:
        watchdog.cancel()
    return lines


def _stop(process: subprocess.Popen[str]) -> None:
    process.terminate()
    process.communicate(timeout=10)


def test_the_fake_discourse_starts_on_a_free_port_and_answers(tmp_path: Path) -> None:
    process = _serve("pspn_adapters.discourse.fake", tmp_path)
    try:
        lines = _lines_until(process, DISCOURSE_KEY)
        url = re.fullmatch(r"Fake Discourse on (http://127\.0\.0\.1:\d+)\n", lines[0])
        key = DISCOURSE_KEY.search(lines[-1])
        assert url is not None and key is not None
        answer = requests.get(
            f"{url[1]}/groups/north-network/members.json",
            headers={"Api-Key": key[1], "Api-Username": "pspn-bot"},
            timeout=5,
        )
    finally:
        _stop(process)
    assert answer.status_code == 200
    assert answer.json()["meta"]["total"] == 2  # the seeded demo network


def test_the_fake_invision_starts_on_a_free_port_and_answers(tmp_path: Path) -> None:
    process = _serve("pspn_adapters.invision.fake", tmp_path, "--seed")
    try:
        lines = _lines_until(process, re.compile(r"^\[networks"))
        url = re.match(r"Fake Invision on (http://127\.0\.0\.1:\d+/api) ", lines[0])
        assert url is not None
        answer = requests.get(
            f"{url[1]}/core/hello", params={"key": "fake-invision-key"}, timeout=5
        )
    finally:
        _stop(process)
    assert answer.status_code == 200
    assert "communityUrl" in answer.json()
    assert "club_id = " in lines[-1]


@pytest.mark.parametrize("forum", ["discourse", "invision"])
def test_without_the_testing_extra_the_fake_says_what_to_install(
    forum: str, tmp_path: Path
) -> None:
    hidden = tmp_path / "jsonschema"  # shadows the installed package, as if it were absent
    hidden.mkdir()
    (hidden / "__init__.py").write_text(
        'raise ModuleNotFoundError("No module named jsonschema", name="jsonschema")\n'
    )
    done = subprocess.run(
        [sys.executable, "-m", f"pspn_adapters.{forum}.fake", "--port", "0"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr == "error: the fake forums need jsonschema: pip install 'pspn[testing]'\n"

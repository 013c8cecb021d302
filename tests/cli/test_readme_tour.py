"""The README's short tour works as written, line by line, in an empty directory."""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from pspn_adapters.local import LocalHub
from pspn_core.cli import App, cli

README = Path(__file__).resolve().parents[2] / "README.md"


def tour_lines() -> list[list[str]]:
    """The commands of the ```sh block under "A short tour", comments dropped."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## A short tour", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None, "README.md: no ```sh block under 'A short tour'"
    return [words for line in block[1].splitlines() if (words := shlex.split(line, comments=True))]


def serve_once(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    """``pspn serve`` on a free port: wait until it serves, ask /healthz, stop it with SIGTERM."""
    command = [sys.executable, "-c", "from pspn_core.cli import main; main()", *args]
    process = subprocess.Popen(
        [*command, "--port", "0"],
        cwd=cwd,
        env={**env, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert "serving" in first, first + (process.stderr.read() if process.stderr else "")
        url = first.split("serving ", 1)[1].split()[0]
        with urllib.request.urlopen(f"{url}/healthz", timeout=5) as answer:  # noqa: S310
            assert answer.status == 200
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=5)
    assert process.returncode == 0, err
    assert "Traceback" not in err
    return first + out


@pytest.mark.skipif(sys.platform == "win32", reason="stops pspn serve with SIGTERM")
def test_the_readme_tour_runs_as_written_in_an_empty_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PSPN_")}
    outputs: dict[str, str] = {}
    lines = tour_lines()
    assert lines[0][:2] == ["pspn", "init"]
    for words in lines:
        if words[0] == "export":
            name, _, value = words[1].partition("=")
            env[name] = value
            monkeypatch.setenv(name, value)
            continue
        assert words[0] == "pspn", f"README tour: {shlex.join(words)} is not a pspn command"
        if words[1] == "serve":
            outputs["serve"] = serve_once(words[1:], tmp_path, env)
            continue
        app = App(environ=env)
        try:
            result = CliRunner().invoke(cli, words[1:], obj=app, catch_exceptions=False)
        finally:
            if "store" in app.__dict__:
                app.store.close()
        assert result.exit_code == 0, f"{shlex.join(words)}\n{result.output}"
        outputs[" ".join(words[1:3])] = result.output

    assert outputs["topics raise"] == "1\n"
    assert "Stopped." in outputs["serve"]
    hub = tmp_path / "hub"
    forum = LocalHub(hub / "pspn-data" / "pspn.db")
    try:
        assert forum.group_members("psp-network") == ["jo_p", "kit_m"]
        (post,) = forum.posts("PSPN meeting notes")
        assert "Ada Lovelock" not in post.body and "07700 900123" not in post.body
        assert forum.messages("jo_p")[0].subject.startswith("Welcome to")
    finally:
        forum.close()
    assert (hub / "survey-report" / "report.html").exists()


def test_init_with_samples_writes_the_samples_and_overwrites_nothing(tmp_path: Path) -> None:
    runner = CliRunner()
    (tmp_path / "minutes.txt").write_text("my own minutes\n")
    result = runner.invoke(cli, ["init", "--with-samples", str(tmp_path)], obj=App(environ={}))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "minutes.txt").read_text() == "my own minutes\n"
    assert "minutes.txt" not in result.output
    assert "[survey]" in (tmp_path / "survey-psp-role.toml").read_text()
    assert (tmp_path / "survey-responses.csv").read_text().startswith("ID,Start time,")
    plain = tmp_path / "plain"
    assert runner.invoke(cli, ["init", str(plain)], obj=App(environ={})).exit_code == 0
    assert sorted(p.name for p in plain.iterdir()) == ["pspn.toml"]

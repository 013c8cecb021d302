"""A forum adapter installed from another distribution: registered, listed, and receiving
its own signed webhooks through ``pspn serve``.

The distribution lives in ``site/`` (its package and its ``.dist-info`` with the
``pspn`` entry point); the subprocesses find it on ``PYTHONPATH`` as an installed
distribution, exactly as pip would leave it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from pspn_core.config import example_config

SITE = Path(__file__).resolve().parent / "site"
SECRET = b"an-example-forum-secret"
PSPN = [sys.executable, "-c", "from pspn_core.cli import main; main()"]

sys.path.insert(0, str(SITE))
from pspn_example_forum import sign  # noqa: E402

sys.path.remove(str(SITE))


@pytest.fixture
def hub(tmp_path: Path) -> Path:
    config = tmp_path / "pspn.toml"
    config.write_text(
        example_config().replace('forum = "local"', 'forum = "exampleforum"', 1), encoding="utf-8"
    )
    return config


def _env() -> dict[str, str]:
    path = os.pathsep.join(filter(None, [str(SITE), os.environ.get("PYTHONPATH", "")]))
    return {
        **os.environ,
        "PYTHONPATH": path,
        "EXAMPLE_FORUM_SECRET": SECRET.decode(),
        "PYTHONUNBUFFERED": "1",
    }


def _pspn(hub: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*PSPN, "--config", str(hub), *args],
        capture_output=True,
        text=True,
        env=_env(),
        check=False,
        timeout=60,
    )


@pytest.fixture
def served(hub: Path) -> Iterator[str]:
    assert _pspn(hub, "networks", "setup").returncode == 0
    process = subprocess.Popen(
        [*PSPN, "--config", str(hub), "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    if "serving" not in first:
        process.kill()
        pytest.fail(f"pspn serve did not start: {first}{process.communicate()[1]}")
    yield first.split("serving ", 1)[1].split()[0].rstrip("/")
    process.terminate()
    process.communicate(timeout=10)


def _post(url: str, body: bytes, signature: str) -> tuple[int, dict[str, object]]:
    request = urllib.request.Request(  # noqa: S310 (loopback only)
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "X-Example-Signature": signature},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 (loopback)
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_the_plugin_is_listed_with_its_distribution_and_hooks(hub: Path) -> None:
    listed = _pspn(hub, "plugins", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    found = {item["name"]: item for item in json.loads(listed.stdout)}
    assert found["exampleforum"] == {
        "name": "exampleforum",
        "distribution": "pspn-example-forum",
        "version": "1.0",
        "hooks": ["pspn_register_forums"],
    }
    assert found["local"]["distribution"] == "pspn"


def test_its_own_webhook_route_receives_a_signed_delivery(hub: Path, served: str) -> None:
    body = json.dumps({"id": 81, "network": "pspn", "title": "Speaking up at board"}).encode()
    url = f"{served}/webhooks/exampleforum"
    assert _post(url, body, "0" * 64)[0] == 401
    status, answer = _post(url, body, sign(SECRET, body))
    assert (status, answer["status"]) == (200, "accepted")
    assert _post(url, body, sign(SECRET, body))[1]["status"] == "duplicate"
    assert _post(f"{served}/webhooks/discourse", body, "x")[0] == 404
    topics = _pspn(hub, "topics", "list")
    assert "Speaking up at board" in topics.stdout

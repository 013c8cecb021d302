"""``pspn serve`` as a real waitress process on 127.0.0.1: start, serve, and stop gracefully."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from pspn_adapters.discourse.webhooks import signature
from pspn_core.store import SqliteStore
from tests.server.conftest import DISCOURSE_SECRET, ENV

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="sends SIGTERM")


class Running:
    def __init__(self, process: subprocess.Popen[str], url: str) -> None:
        self.process = process
        parts = urlsplit(url)
        self.address = (parts.hostname or "127.0.0.1", parts.port or 0)


@pytest.fixture
def server(server_hub: Path) -> Iterator[Running]:
    """``pspn serve --port 0`` in a subprocess; the fixture waits for its address."""
    command = [
        sys.executable,
        "-c",
        "from pspn_core.cli import main; main()",
        "--config",
        str(server_hub / "pspn.toml"),
        "serve",
        "--port",
        "0",
    ]
    env = {**os.environ, **ENV, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    if "serving" not in first:
        process.kill()
        pytest.fail(f"pspn serve did not start: {first}{process.communicate()[1]}")
    url = first.split("serving ", 1)[1].split()[0]
    yield Running(process, url)
    if process.poll() is None:
        process.kill()
        process.wait(timeout=5)


def signed_request(event_id: str) -> tuple[bytes, bytes]:
    """The head and body of a signed Discourse ``topic_created`` delivery."""
    body = json.dumps(
        {"topic": {"id": 5, "title": "Raised while stopping", "category_id": 12}}
    ).encode()
    head = (
        "POST /webhooks/discourse HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n"
        f"X-Discourse-Event-Id: {event_id}\r\nX-Discourse-Event: topic_created\r\n"
        f"X-Discourse-Event-Signature: {signature(DISCOURSE_SECRET.encode(), body)}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    return head, body


def read_all(sock: socket.socket) -> bytes:
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def test_it_serves_and_stops_cleanly_on_sigterm(server: Running) -> None:
    with socket.create_connection(server.address, timeout=5) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        answer = read_all(sock)
    assert answer.startswith(b"HTTP/1.1 200")
    assert answer.endswith(b'{"status":"ok"}')
    server.process.send_signal(signal.SIGTERM)
    out, err = server.process.communicate(timeout=10)
    assert server.process.returncode == 0, err
    assert "Stopped." in out
    assert "Traceback" not in err


def test_sigterm_finishes_a_request_in_flight_and_refuses_new_ones(
    server: Running, server_hub: Path
) -> None:
    head, body = signed_request("4242")
    with socket.create_connection(server.address, timeout=5) as sock:
        sock.sendall(head + body[:10])
        time.sleep(0.3)  # the server has the request's head and part of its body
        server.process.send_signal(signal.SIGTERM)
        time.sleep(0.6)
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(server.address, timeout=1).close()
        assert server.process.poll() is None  # still finishing the request
        sock.sendall(body[10:])
        answer = read_all(sock)
    assert answer.startswith(b"HTTP/1.1 200"), answer
    assert b'"status":"accepted"' in answer
    server.process.communicate(timeout=10)
    assert server.process.returncode == 0
    store = SqliteStore(server_hub / "pspn-data")
    try:
        assert [d["delivery_id"] for d in store.deliveries("discourse")] == ["4242"]
        assert [t.title for t in store.topics("pspn")] == ["Raised while stopping"]
    finally:
        store.close()


def test_a_missing_secret_stops_it_before_it_listens(server_hub: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PSPN_")}
    config = server_hub / "pspn.toml"
    text = config.read_text(encoding="utf-8")
    # A complete Discourse configuration (the whole config is checked first), minus the secret.
    for local, discourse in (
        ('forum = "local"', 'forum = "discourse"'),
        (
            '# [adapters.discourse]\n# base_url = "https://forum.example.org"\n# api_username',
            '[adapters.discourse]\nbase_url = "https://forum.example.org"\napi_username',
        ),
        (
            'notes_area = "PSPN meeting notes"\ncalendar = "PSPN meetings"',
            "notes_category_id = 5\ncalendar_category_id = 6",
        ),
        (
            'notes_area = "North notes", calendar = "North meetings"',
            "notes_category_id = 7, calendar_category_id = 8",
        ),
    ):
        assert local in text
        text = text.replace(local, discourse, 1)
    config.write_text(text, encoding="utf-8")
    command = ["-c", "from pspn_core.cli import main; main()", "--config", str(config), "serve"]
    result = subprocess.run(
        [sys.executable, *command],
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert "PSPN_DISCOURSE_WEBHOOK_SECRET" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_port_in_use_is_a_clear_error(server_hub: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        command = ["-c", "from pspn_core.cli import main; main()", "--config"]
        result = subprocess.run(
            [sys.executable, *command, str(server_hub / "pspn.toml"), "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            env={**os.environ, **ENV},
            timeout=30,
            check=False,
        )
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


def test_waitress_answers_limits_and_bad_requests_without_tracebacks(server: Running) -> None:
    head, body = signed_request("77")
    big = b"x" * 6000  # over max_body_bytes (4096) in the test hub
    oversized = head.replace(f"Content-Length: {len(body)}".encode(), b"Content-Length: 6000")
    with socket.create_connection(server.address, timeout=5) as sock:
        sock.sendall(oversized + big)
        answer = read_all(sock)
    assert answer.startswith(b"HTTP/1.1 413")
    assert answer.endswith(b'{"error":"the body is larger than 4096 bytes"}')
    with socket.create_connection(server.address, timeout=5) as sock:
        sock.sendall(b"POST /webhooks/discourse HTTP/1.1\r\nHost: x\r\nContent-Length: zz\r\n\r\n")
        answer = read_all(sock)
    assert answer.startswith(b"HTTP/1.1 400")
    assert b"Traceback" not in answer
    server.process.send_signal(signal.SIGTERM)
    server.process.communicate(timeout=10)

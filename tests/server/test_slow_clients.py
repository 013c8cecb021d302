"""Idle and half-sent connections cannot starve ``pspn serve`` (issue 15, item 10)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.server.conftest import ENV

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX server test")

HOGS = 150  # more than waitress's default limit of 100 connections


@pytest.fixture
def address(server_hub: Path) -> Iterator[tuple[str, int]]:
    config = server_hub / "pspn.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("max_body_bytes = 4096", "max_body_bytes = 4096\nclient_timeout_seconds = 2"),
        encoding="utf-8",
    )
    command = [sys.executable, "-c", "from pspn_core.cli import main; main()"]
    command += ["--config", str(config), "serve", "--port", "0"]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **ENV, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    if "serving" not in first:
        process.kill()
        pytest.fail(f"pspn serve did not start: {first}{process.communicate()[1]}")
    url = urlsplit(first.split("serving ", 1)[1].split()[0])
    yield url.hostname or "127.0.0.1", url.port or 0
    process.kill()
    process.communicate(timeout=5)


def _healthz(address: tuple[str, int]) -> bytes:
    with socket.create_connection(address, timeout=5) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: pspn\r\nConnection: close\r\n\r\n")
        return sock.recv(1024)


def _closed_by_server(sock: socket.socket) -> bool:
    sock.settimeout(1)
    try:
        while sock.recv(1024):
            pass
    except (TimeoutError, ConnectionError):
        return False
    return True


def test_health_checks_are_answered_beside_many_idle_and_slow_clients(
    address: tuple[str, int],
) -> None:
    hogs = []
    try:
        for number in range(HOGS):
            sock = socket.create_connection(address, timeout=5)
            if number % 2:  # half a request, never finished
                sock.sendall(b"POST /webhooks/discourse HTTP/1.1\r\nHost: pspn\r\n")
            hogs.append(sock)
        assert _healthz(address).startswith(b"HTTP/1.1 200")
        time.sleep(4)  # past the client timeout: the server has closed them all
        assert sum(_closed_by_server(sock) for sock in hogs) == HOGS
    finally:
        for sock in hogs:
            sock.close()

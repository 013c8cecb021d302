"""Fixtures: the example hub with a second network and server settings, and a WSGI client."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import pspn_adapters.discourse
import pspn_adapters.invision
import pspn_adapters.local
from pspn_adapters.server.app import make_app
from pspn_adapters.server.context import ServerContext
from pspn_adapters.server.serve import build_context
from pspn_core.cli import App
from pspn_core.plugins import Plugins, make_plugin_manager
from tests.conftest import Cli

DISCOURSE_SECRET = "a-webhook-secret-for-tests"
INVISION_KEY = "invision-key-for-tests"
ENV = {"PSPN_DISCOURSE_WEBHOOK_SECRET": DISCOURSE_SECRET, "PSPN_INVISION_API_KEY": INVISION_KEY}

SERVER_TABLES = """
[networks.north]
name = "North Network"
forum = { group = "north-network", notes_area = "North notes", calendar = "North meetings" }

[adapters.server]
public_url = "https://pspn.example.org"
max_body_bytes = 4096

[adapters.server.networks.pspn]
discourse_group_id = 41
topics_category_id = 12
topics_forum_id = 9
signup_field_id = 7
"""


@pytest.fixture
def server_hub(hub_dir: Path, run: Cli) -> Path:
    """The example hub plus a network ``north`` and ``[adapters.server]``; both set up."""
    config = hub_dir / "pspn.toml"
    config.write_text(config.read_text(encoding="utf-8") + SERVER_TABLES, encoding="utf-8")
    result = run("networks", "setup")
    assert result.exit_code == 0, result.output
    return hub_dir


@pytest.fixture
def server_plugins() -> Plugins:
    """The local forum (the hub's) and the two forum types whose webhooks the tests send."""
    chosen = [pspn_adapters.local, pspn_adapters.discourse, pspn_adapters.invision]
    return Plugins(make_plugin_manager(load_entrypoints=False, plugins=chosen))


@pytest.fixture
def hub_app(server_hub: Path, server_plugins: Plugins) -> Iterator[App]:
    app = App(server_hub / "pspn.toml", plugins=server_plugins, environ=ENV)
    yield app
    if "store" in app.__dict__:
        app.store.close()


@pytest.fixture
def context(hub_app: App) -> Iterator[ServerContext]:
    made = build_context(hub_app)
    yield made
    made.close()


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        assert self.headers["Content-Type"] == "application/json"
        return json.loads(self.body)


class Client:
    """Calls the WSGI application in-process, as waitress would."""

    def __init__(self, context: ServerContext) -> None:
        self.app = make_app(context)

    def request(
        self,
        method: str,
        path: str,
        body: bytes = b"",
        headers: Mapping[str, str] | None = None,
        *,
        query: str = "",
        content_length: int | None = None,
    ) -> Answer:
        environ: dict[str, Any] = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8080",
            "wsgi.input": io.BytesIO(body),
            "wsgi.url_scheme": "http",
            "CONTENT_LENGTH": str(len(body) if content_length is None else content_length),
        }
        for name, value in (headers or {}).items():
            key = name.upper().replace("-", "_")
            if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
                environ[key] = value
            else:
                environ[f"HTTP_{key}"] = value
        seen: dict[str, Any] = {}

        def start_response(status: str, response_headers: list[tuple[str, str]]) -> None:
            seen["status"] = int(status.split()[0])
            seen["headers"] = dict(response_headers)

        data = b"".join(self.app(environ, start_response))
        return Answer(seen["status"], seen["headers"], data)


@pytest.fixture
def client(context: ServerContext) -> Client:
    return Client(context)

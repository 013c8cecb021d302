"""Fixtures for the web app: a hub with people in every role, and a Flask test client."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from pspn_core.plugins import Plugins
from tests.web.hub import Hub, make_hub, web_app


@pytest.fixture
def hub(tmp_path: Path, plugins: Plugins) -> Iterator[Hub]:
    made = make_hub(tmp_path, plugins)
    yield made
    made.close()


@pytest.fixture
def flask_app(hub: Hub) -> Any:
    return web_app(hub)


@pytest.fixture
def client(flask_app: Any) -> FlaskClient:
    return flask_app.test_client()


def csrf(page: bytes) -> str:
    found = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert found, "the page has no CSRF token"
    return found.group(1).decode()


def sign_in(client: FlaskClient, hub: Hub, username: str) -> None:
    """Sign ``username`` in the way a person does: ask for a link, open it, press the button."""
    page = client.get("/sign-in").data
    answer = client.post("/sign-in", data={"username": username, "csrf_token": csrf(page)})
    assert answer.status_code == 200, answer.data
    link = hub.last_link(username)
    page = client.get(link).data
    answer = client.post(link, data={"csrf_token": csrf(page)})
    assert answer.status_code == 302, answer.data


def post(client: FlaskClient, page_path: str, action: str, /, **data: Any) -> Any:
    """Submit a form on ``page_path`` to ``action`` with the page's CSRF token."""
    token = csrf(client.get(page_path).data)
    return client.post(action, data={"csrf_token": token, **data})

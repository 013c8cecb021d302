"""Headers, the path dispatcher, error pages and pages without outside assets."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.test import Client

from pspn_adapters.server.serve import build_context
from pspn_adapters.web import mount
from pspn_core.plugins import Plugins
from tests.web.conftest import csrf, sign_in
from tests.web.hub import SURVEY_TOKENS, Hub, make_hub, web_app

PAGES = [
    "/networks/pspn",
    "/networks/pspn/volunteer",
    "/networks/pspn/notes",
    "/networks/pspn/notes/new",
    "/networks/pspn/applications",
    "/no-such-page",
]


def test_every_page_sends_the_security_headers(client: FlaskClient, hub: Hub) -> None:
    sign_in(client, hub, "ada_l")
    for path in [*PAGES, "/sign-in", f"/surveys/{SURVEY_TOKENS[1]}"]:
        headers = client.get(path).headers
        assert "script-src" not in headers["Content-Security-Policy"]
        assert headers["Content-Security-Policy"].startswith("default-src 'none'")
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "no-referrer"
        assert headers["Cache-Control"] == "no-store"


def test_pages_load_nothing_from_other_hosts_and_run_no_script(
    client: FlaskClient, hub: Hub
) -> None:
    sign_in(client, hub, "ada_l")
    for path in PAGES:
        page = client.get(path).get_data(as_text=True)
        assert "<script" not in page
        assert not re.search(r'(src|href)="(https?:)?//', page), path


def test_a_failure_shows_a_plain_page_never_a_traceback(
    client: FlaskClient, hub: Hub, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in(client, hub, "dev_p")

    def broken(*args: Any) -> None:
        raise RuntimeError("secret detail")

    monkeypatch.setattr(type(hub.app.store), "topics", broken)
    answer = client.get("/networks/pspn")
    assert answer.status_code == 500
    page = answer.get_data(as_text=True)
    assert "Sorry, something went wrong" in page
    assert "Traceback" not in page and "secret detail" not in page


def test_not_found_is_a_page_with_a_way_back(client: FlaskClient) -> None:
    answer = client.get("/nowhere")
    assert answer.status_code == 404
    assert b"Page not found" in answer.data
    assert b'href="/"' in answer.data


def test_the_dispatcher_keeps_the_server_paths(hub: Hub) -> None:
    context = build_context(hub.app)
    hub.closers.append(context)
    client = Client(mount(context, {}, clock=hub.clock))
    health = client.get("/healthz")
    assert health.status_code == 200 and health.json == {"status": "ok"}
    feed = client.get("/calendar/pspn.ics?token=wrong")
    assert feed.headers["Content-Type"] == "application/json"
    assert client.post("/webhooks/discourse").headers["Content-Type"] == "application/json"
    assert b"Sign in" in client.get("/sign-in").data


def test_behind_tls_the_cookie_is_secure_and_hsts_is_sent(tmp_path: Path, plugins: Plugins) -> None:
    hub = make_hub(tmp_path, plugins, public_url="https://pspn.example.org")
    try:
        client = web_app(hub).test_client()
        page = client.get("/sign-in", base_url="https://pspn.example.org")
        assert page.headers["Strict-Transport-Security"].startswith("max-age=")
        client.post(
            "/sign-in",
            data={"username": "dev_p", "csrf_token": csrf(page.data)},
            base_url="https://pspn.example.org",
            headers={"Referer": "https://pspn.example.org/sign-in"},
        )
        link = hub.last_link("dev_p")
        assert hub.forum.messages("dev_p")[-1].body.count("https://pspn.example.org/sign-in/") == 1
        confirm = client.get(link, base_url="https://pspn.example.org")
        answer = client.post(
            link,
            data={"csrf_token": csrf(confirm.data)},
            base_url="https://pspn.example.org",
            headers={"Referer": "https://pspn.example.org/sign-in"},
        )
        assert "Secure" in answer.headers["Set-Cookie"]
    finally:
        hub.close()

"""Signing in by a one-time forum message, sessions, and losing access at once."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from flask.testing import FlaskClient

from pspn_core.membership.service import erase_member
from pspn_core.plugins import Plugins
from tests.web.conftest import csrf, post, sign_in
from tests.web.hub import Hub, make_hub, web_app


def ask_for_link(client: FlaskClient, username: str) -> tuple[int, str]:
    answer = post(client, "/sign-in", "/sign-in", username=username)
    return answer.status_code, answer.get_data(as_text=True)


def test_the_page_says_the_same_whether_or_not_the_username_exists(
    client: FlaskClient, hub: Hub
) -> None:
    known = ask_for_link(client, "dev_p")
    unknown = ask_for_link(client, "nobody_here")
    strip = lambda page: page.replace("dev_p", "X").replace("nobody_here", "X")  # noqa: E731
    assert known[0] == unknown[0] == 200
    assert strip(known[1]) == strip(unknown[1])
    assert len(hub.forum.messages("dev_p")) == 1
    assert hub.forum.messages("nobody_here") == []


def test_a_link_signs_in_once_and_then_is_refused(client: FlaskClient, hub: Hub) -> None:
    ask_for_link(client, "dev_p")
    link = hub.last_link("dev_p")
    page = client.get(link)
    assert page.status_code == 200 and b"Press the button" in page.data
    client.get(link)  # opening the page (a link checker, say) does not spend it
    token = csrf(page.data)
    answer = client.post(link, data={"csrf_token": token})
    assert answer.status_code == 302
    assert b"Dev Patelson" in client.get("/", follow_redirects=True).data
    again = client.post(link, data={"csrf_token": token})
    assert again.status_code == 410
    assert b"Ask for a new sign-in link" in again.data


def test_an_expired_link_is_refused_with_what_to_do(client: FlaskClient, hub: Hub) -> None:
    ask_for_link(client, "dev_p")
    link = hub.last_link("dev_p")
    hub.clock.advance(minutes=16)
    answer = client.get(link)
    assert answer.status_code == 410
    assert b"only for 15 minutes" in answer.data


def test_links_are_stored_only_as_hashes(client: FlaskClient, hub: Hub) -> None:
    ask_for_link(client, "dev_p")
    token = hub.last_link("dev_p").rsplit("/", 1)[1]
    with sqlite3.connect(hub.app.config.data_dir / "web.db") as conn:
        rows = conn.execute("SELECT token_hash, username FROM sign_in_links").fetchall()
    assert len(rows) == 1
    assert rows[0][1] == "dev_p"
    assert token not in rows[0][0]


def test_requests_are_limited_per_username(client: FlaskClient, hub: Hub) -> None:
    codes = [ask_for_link(client, "dev_p")[0] for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert len(hub.forum.messages("dev_p")) == 3


def test_requests_are_limited_per_address(client: FlaskClient, hub: Hub) -> None:
    codes = [ask_for_link(client, f"someone{n}")[0] for n in range(11)]
    assert codes[:10] == [200] * 10
    assert codes[10] == 429


def test_a_blank_username_shows_the_error_summary(client: FlaskClient) -> None:
    answer = post(client, "/sign-in", "/sign-in", username="  ")
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert 'href="#username"' in page
    assert "Enter your forum username" in page
    assert "<title>Error: Sign in" in page


def test_sign_out_ends_the_session(client: FlaskClient, hub: Hub) -> None:
    sign_in(client, hub, "dev_p")
    answer = post(client, "/networks/pspn", "/sign-out")
    assert answer.status_code == 302
    assert client.get("/networks/pspn").headers["Location"].startswith("/sign-in")


def test_an_idle_session_expires(client: FlaskClient, hub: Hub) -> None:
    sign_in(client, hub, "dev_p")
    hub.clock.advance(minutes=29)
    assert client.get("/networks/pspn").status_code == 200
    hub.clock.advance(minutes=31)
    answer = client.get("/networks/pspn")
    assert answer.status_code == 302
    assert "ended=idle" in answer.headers["Location"]


def test_someone_erased_loses_access_on_the_next_request(client: FlaskClient, hub: Hub) -> None:
    sign_in(client, hub, "dev_p")
    assert client.get("/networks/pspn").status_code == 200
    app = hub.app
    erase_member(
        app.network("pspn"), "dev_p", app.store, app.forum("pspn"), app.plugins, by="ada_l"
    )
    answer = client.get("/networks/pspn")
    assert answer.status_code == 302
    assert "ended=removed" in answer.headers["Location"]
    assert b"no longer a member" in client.get(answer.headers["Location"]).data


def test_a_form_without_its_csrf_token_is_refused(client: FlaskClient, hub: Hub) -> None:
    sign_in(client, hub, "dev_p")
    answer = client.post("/networks/pspn/topics", data={"title": "Sneaky"})
    assert answer.status_code == 400
    assert b"This form has expired" in answer.data
    assert all(t.title != "Sneaky" for t in hub.app.store.topics("pspn"))


def test_the_session_cookie_is_httponly_and_lax(client: FlaskClient, hub: Hub) -> None:
    ask_for_link(client, "dev_p")
    link = hub.last_link("dev_p")
    answer = client.post(link, data={"csrf_token": csrf(client.get(link).data)})
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # http://: a Secure cookie would never come back


def test_behind_a_trusted_proxy_the_limit_is_per_client_address(
    tmp_path: Path, plugins: Plugins
) -> None:
    hub = make_hub(tmp_path, plugins, web="trusted_proxies = 1\n")
    try:
        client = web_app(hub).test_client()

        def ask(address: str, n: int) -> int:
            page = client.get("/sign-in").data
            return client.post(
                "/sign-in",
                data={"username": f"someone{n}", "csrf_token": csrf(page)},
                headers={"X-Forwarded-For": address},
            ).status_code

        assert [ask("192.0.2.1", n) for n in range(11)][-1] == 429
        assert ask("192.0.2.2", 99) == 200
    finally:
        hub.close()


def test_a_link_posted_without_the_form_token_is_not_spent(client: FlaskClient, hub: Hub) -> None:
    ask_for_link(client, "dev_p")
    link = hub.last_link("dev_p")
    assert client.post(link, data={}).status_code == 400
    answer = client.post(link, data={"csrf_token": csrf(client.get(link).data)})
    assert answer.status_code == 302

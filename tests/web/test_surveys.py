"""``/surveys/<token>``: one response per link, without signing in."""

from __future__ import annotations

import re
from pathlib import Path

from flask.testing import FlaskClient

from pspn_core.plugins import Plugins
from tests.web.conftest import csrf
from tests.web.hub import SURVEY_TOKENS, Hub

LINK = f"/surveys/{SURVEY_TOKENS[0]}"


def test_the_survey_opens_as_a_form_without_signing_in(client: FlaskClient) -> None:
    page = client.get(LINK)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert '<legend class="legend">What is your role?</legend>' in text
    assert "1 means Not at all; 5 means Very well" in text
    assert 'type="checkbox" value="Peer support"' in text
    assert '<label class="label" for="q-comments">Anything else?</label>' in text


def test_a_missing_answer_is_linked_to_its_question(client: FlaskClient, hub: Hub) -> None:
    token = csrf(client.get(LINK).data)
    answer = client.post(LINK, data={"csrf_token": token, "support": "4"})
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert '<a href="#q-role">Answer this question</a>' in page
    assert 'value="4" checked' in page  # what was given is kept
    assert hub.app.store.responses("role-2026") == []


def test_one_response_then_the_link_is_spent(client: FlaskClient, hub: Hub) -> None:
    token = csrf(client.get(LINK).data)
    data = {
        "csrf_token": token,
        "role": "Carer",
        "support": "2",
        "topics": ["Training", "Supervision"],
        "comments": "More time to prepare",
    }
    answer = client.post(LINK, data=data)
    assert answer.status_code == 200
    assert b"Thank you" in answer.data
    assert hub.app.store.responses("role-2026") == [
        {
            "role": "Carer",
            "support": 2,
            "topics": ("Training", "Supervision"),
            "comments": "More time to prepare",
        }
    ]
    again = client.post(LINK, data=data)
    assert again.status_code == 410
    assert b"counts once" in again.data
    assert client.get(LINK).status_code == 410
    assert len(hub.app.store.responses("role-2026")) == 1


def test_nothing_stored_ties_the_answer_to_the_person(client: FlaskClient, hub: Hub) -> None:
    token = csrf(client.get(LINK).data)
    client.post(LINK, data={"csrf_token": token, "role": "Carer"})
    conn = hub.app.store.conn
    (row,) = conn.execute("SELECT * FROM survey_responses").fetchall()
    assert "ada_l" not in " ".join(str(value) for value in tuple(row))


def test_an_unknown_link_is_refused(client: FlaskClient) -> None:
    assert client.get("/surveys/not-a-token").status_code == 410


def test_a_closed_survey_says_when_it_was_open(client: FlaskClient, hub: Hub) -> None:
    hub.clock.advance(days=60)
    answer = client.get(LINK)
    assert answer.status_code == 410
    assert b"is open from 1 November 2026 to 31 December 2026" in answer.data


def test_invitations_carry_the_web_link_when_the_server_has_an_address(
    tmp_path: Path, plugins: Plugins
) -> None:
    from tests.conftest import Cli
    from tests.web.hub import make_hub, web_app

    hub = make_hub(tmp_path, plugins, public_url="https://pspn.example.org")
    try:
        result = Cli(plugins, tmp_path / "pspn.toml")("surveys", "invite", "role-2026")
        assert result.exit_code == 0, result.output
        body = hub.forum.messages("dev_p")[-1].body
        found = re.search(r"https://pspn\.example\.org(/surveys/\w+)", body)
        assert found, body
        client = web_app(hub).test_client()
        page = client.get(found.group(1), base_url="https://pspn.example.org")
        assert page.status_code == 200
        assert b"How the role works" in page.data
    finally:
        hub.close()

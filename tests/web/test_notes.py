"""Notes in the browser: upload, review, redact, restore, approve and publish."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from pspn_adapters.local.hub import LocalHub
from pspn_core.plugins import Plugins
from tests.web.conftest import csrf, post, sign_in
from tests.web.hub import Hub, make_hub, web_app

RAW = """\
Present: Ada Lovelock, Bram Stokeley, Cleo Wainwright

- Ada said the Frimley plan went to board first.
- Call 07700 900123 about the poster; the bluebird team will bring copies.
- Everyone liked the bluebird idea.
"""


def add(client: FlaskClient, text: str = RAW) -> int:
    answer = post(client, "/networks/pspn/notes/new", "/networks/pspn/notes/new", text=text)
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return int(answer.headers["Location"].rsplit("/", 1)[1])


def notes_posts(hub: Hub) -> int:
    forum: LocalHub = hub.forum
    return len(forum.posts("PSPN meeting notes"))


def test_a_member_without_the_role_cannot_see_notes(client: FlaskClient, hub: Hub) -> None:
    sign_in(client, hub, "dev_p")
    assert client.get("/networks/pspn/notes").status_code == 403
    assert b"note-taker role" in client.get("/networks/pspn/notes/new").data


def test_pasted_notes_are_anonymised_with_every_redaction_highlighted(
    client: FlaskClient, hub: Hub
) -> None:
    sign_in(client, hub, "cleo_w")
    note_id = add(client)
    page = client.get(f"/notes/{note_id}").get_data(as_text=True)
    for name in ("Ada Lovelock", "Bram Stokeley", "07700 900123"):
        assert name not in page
    marks = re.findall(r'<mark class="redaction" id="finding-(\d+)">', page)
    findings = hub.app.store.note_findings(note_id)
    assert len(marks) == len(findings) >= 4
    assert all(f'href="#finding-{n}"' in page for n in marks)


def test_the_least_certain_redactions_are_listed_first(client: FlaskClient, hub: Hub) -> None:
    sign_in(client, hub, "cleo_w")
    note_id = add(client)
    page = client.get(f"/notes/{note_id}").get_data(as_text=True)
    shown = [int(p) for p in re.findall(r"<td>(\d+)%</td>", page)]
    assert shown == sorted(shown) or shown.index(min(shown)) == 0
    below = [f for f in hub.app.store.note_findings(note_id) if f.confidence < 0.8]
    assert page.count("Check this</strong>") == len(below)


def test_redacting_a_missed_word_hides_it_everywhere(client: FlaskClient, hub: Hub) -> None:
    sign_in(client, hub, "cleo_w")
    note_id = add(client)
    assert hub.app.store.note(note_id).text.count("bluebird") == 2
    answer = post(
        client, f"/notes/{note_id}", f"/notes/{note_id}/redact", text="Bluebird", label="PERSON"
    )
    assert answer.status_code == 302
    assert "bluebird" not in hub.app.store.note(note_id).text
    assert "Hidden in 2 place(s)." in client.get(f"/notes/{note_id}").get_data(as_text=True)


def test_restoring_needs_a_reason_and_keeps_it(client: FlaskClient, hub: Hub) -> None:
    sign_in(client, hub, "cleo_w")
    note_id = add(client)
    findings = hub.app.store.note_findings(note_id)
    number = next(n for n, f in enumerate(findings, 1) if f.label == "LOCATION")
    action = f"/notes/{note_id}/findings/{number}/restore"
    refused = post(client, f"/notes/{note_id}", action, reason="")
    assert refused.status_code == 400
    assert '<a href="#reason">Say why this should be shown</a>' in refused.get_data(as_text=True)
    assert post(client, f"/notes/{note_id}", action, reason="a public plan").status_code == 302
    assert hub.app.store.note_findings(note_id)[number - 1].restored
    changes = hub.app.store.note_changes(note_id)
    assert changes[-1]["reason"] == "a public plan"


def test_the_raw_text_is_never_on_a_page(client: FlaskClient, hub: Hub) -> None:
    sign_in(client, hub, "cleo_w")
    note_id = add(client)
    for path in (f"/notes/{note_id}", f"/notes/{note_id}/history", "/networks/pspn/notes"):
        assert "Lovelock" not in client.get(path).get_data(as_text=True)


def test_a_note_taker_sends_for_approval_and_a_chair_publishes_once(
    client: FlaskClient, flask_app: object, hub: Hub
) -> None:
    sign_in(client, hub, "cleo_w")
    note_id = add(client)
    post(client, f"/notes/{note_id}", f"/notes/{note_id}/submit")
    page = client.get(f"/notes/{note_id}").get_data(as_text=True)
    assert "sent for approval" in page
    assert post(client, f"/notes/{note_id}", f"/notes/{note_id}/approve").status_code == 403

    chair = flask_app.test_client()  # type: ignore[attr-defined]
    sign_in(chair, hub, "bram_s")
    post(chair, f"/notes/{note_id}", f"/notes/{note_id}/approve")
    assert hub.app.store.note(note_id).approved_by == "bram_s"
    post(chair, f"/notes/{note_id}", f"/notes/{note_id}/publish")
    assert hub.app.store.note(note_id).status.value == "published"
    assert notes_posts(hub) == 1
    again = post(chair, f"/notes/{note_id}", f"/notes/{note_id}/publish")
    assert again.status_code == 302
    assert "already published; nothing was sent again" in chair.get(f"/notes/{note_id}").get_data(
        as_text=True
    )
    assert notes_posts(hub) == 1
    history = chair.get(f"/notes/{note_id}/history").get_data(as_text=True)
    for step in ("Added", "Sent for approval", "Approved", "Published"):
        assert f"<td>{step}</td>" in history


@pytest.fixture
def two_person_hub(tmp_path: Path, plugins: Plugins) -> Hub:
    return make_hub(tmp_path, plugins, two_person=True)


def test_two_person_rule_stops_approving_your_own_note(two_person_hub: Hub) -> None:
    hub = two_person_hub
    try:
        app = web_app(hub)
        chair = app.test_client()
        sign_in(chair, hub, "bram_s")
        note_id = add(chair)
        assert "someone else must approve it" in chair.get(f"/notes/{note_id}").get_data(
            as_text=True
        )
        post(chair, f"/notes/{note_id}", f"/notes/{note_id}/approve")
        assert hub.app.store.note(note_id).status.value == "draft"
        lead = app.test_client()
        sign_in(lead, hub, "ada_l")
        post(lead, f"/notes/{note_id}", f"/notes/{note_id}/approve")
        assert hub.app.store.note(note_id).approved_by == "ada_l"
    finally:
        hub.close()


def test_an_upload_over_the_limit_gets_413_naming_it(client: FlaskClient, hub: Hub) -> None:
    sign_in(client, hub, "cleo_w")
    token = csrf(client.get("/networks/pspn/notes/new").data)
    big = io.BytesIO(b"word " * 20_000)
    answer = client.post(
        "/networks/pspn/notes/new",
        data={"csrf_token": token, "upload": (big, "notes.txt")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 413
    assert b"at most 32 KB" in answer.data
    assert hub.app.store.notes("pspn") == []


def test_a_binary_upload_gets_a_clear_message(client: FlaskClient, hub: Hub) -> None:
    sign_in(client, hub, "cleo_w")
    token = csrf(client.get("/networks/pspn/notes/new").data)
    answer = client.post(
        "/networks/pspn/notes/new",
        data={"csrf_token": token, "upload": (io.BytesIO(b"\x89PNG\x00\x01"), "photo.png")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 400
    assert b'<a href="#upload">This file is not text.' in answer.data
    assert hub.app.store.notes("pspn") == []


def test_an_uploaded_transcript_is_anonymised(client: FlaskClient, hub: Hub) -> None:
    sign_in(client, hub, "cleo_w")
    token = csrf(client.get("/networks/pspn/notes/new").data)
    vtt = b"WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Ada Lovelock>Hello from Frimley</v>\n"
    answer = client.post(
        "/networks/pspn/notes/new",
        data={"csrf_token": token, "upload": (io.BytesIO(vtt), "meeting.vtt")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 302
    (note,) = hub.app.store.notes("pspn")
    assert "Lovelock" not in note.text


def test_an_empty_note_is_refused(client: FlaskClient, hub: Hub) -> None:
    sign_in(client, hub, "cleo_w")
    answer = post(client, "/networks/pspn/notes/new", "/networks/pspn/notes/new", text="  ")
    assert answer.status_code == 400
    assert b'<a href="#text">Paste the notes, or choose a file</a>' in answer.data


def test_only_the_person_who_added_a_note_sees_its_original_text(
    client: FlaskClient, flask_app: object, hub: Hub
) -> None:
    sign_in(client, hub, "cleo_w")
    note_id = add(client)
    assert "See your original text" in client.get(f"/notes/{note_id}").get_data(as_text=True)
    page = client.get(f"/notes/{note_id}/original")
    assert page.status_code == 200
    assert "Ada Lovelock" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"

    chair = flask_app.test_client()  # type: ignore[attr-defined]
    sign_in(chair, hub, "bram_s")
    assert "See your original text" not in chair.get(f"/notes/{note_id}").get_data(as_text=True)
    refused = chair.get(f"/notes/{note_id}/original")
    assert refused.status_code == 403
    assert "Lovelock" not in refused.get_data(as_text=True)


def test_notes_are_tied_to_a_meeting_that_was_held(client: FlaskClient, hub: Hub) -> None:
    hub.clock.advance(days=10)  # the meeting of 8 December has been held
    sign_in(client, hub, "cleo_w")
    page = client.get("/networks/pspn/notes/new").get_data(as_text=True)
    assert "Tuesday 8 December 2026, 12:30" in page
    assert "12 January 2027" not in page  # not held yet
    held = hub.app.store.meetings("pspn")[0]
    answer = post(
        client, "/networks/pspn/notes/new", "/networks/pspn/notes/new", text=RAW, meeting=held.uid
    )
    assert answer.status_code == 302
    (note,) = hub.app.store.notes("pspn")
    assert note.meeting_uid == held.uid


def test_a_meeting_not_offered_is_refused(client: FlaskClient, hub: Hub) -> None:
    sign_in(client, hub, "cleo_w")
    future = hub.app.store.meetings("pspn")[-1]
    answer = post(
        client, "/networks/pspn/notes/new", "/networks/pspn/notes/new", text=RAW, meeting=future.uid
    )
    assert answer.status_code == 400
    assert b'href="#meeting"' in answer.data
    assert hub.app.store.notes("pspn") == []

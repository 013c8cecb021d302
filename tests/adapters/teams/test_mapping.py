"""Graph JSON to pspn's types and back: pure translation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pspn_adapters.teams import mapping
from pspn_adapters.teams.fake.csdl import load_csdl
from pspn_core.errors import AdapterError
from tests.adapters.teams.conftest import make_meeting


def test_a_created_event_holds_our_uid_twice_and_checks_against_the_csdl() -> None:
    body = mapping.event_body(make_meeting(), create=True)
    assert body["transactionId"] == mapping.transaction_id("pspn-north-20270112@pspn")
    assert body["transactionId"] != mapping.transaction_id("pspn-north-20270209@pspn")
    assert body["singleValueExtendedProperties"] == [
        {"id": mapping.UID_PROPERTY, "value": "pspn-north-20270112@pspn"}
    ]
    assert load_csdl().check("event", body, "event") == []
    change = mapping.event_body(make_meeting(day=13), create=False)
    assert set(change) == {"subject", "body", "start", "end"}
    assert load_csdl().check_action("cancel", "event", mapping.cancel_body(""), "cancel") == []


def test_times_are_sent_in_utc_whatever_the_zone() -> None:
    summer = make_meeting(day=12).start.replace(month=6)
    assert mapping.graph_time(summer) == {"dateTime": "2027-06-12T17:30:00", "timeZone": "UTC"}


def test_the_uid_filter_quotes_apostrophes() -> None:
    assert "ep/value eq 'o''brien@pspn'" in mapping.uid_filter("o'brien@pspn")


def test_an_event_without_its_teams_meeting_yet_says_so() -> None:
    with pytest.raises(AdapterError, match="has not attached an online meeting"):
        mapping.platform_meeting({"id": "AAMk1", "onlineMeeting": None}, None)


def test_only_peoples_messages_are_kept_with_their_replies() -> None:
    base = {
        "id": "1",
        "createdDateTime": "2027-01-12T18:31:00Z",
        "messageType": "message",
        "from": {"user": {"displayName": "Ada Lovelock"}},
        "body": {"contentType": "html", "content": "<p>Hi</p>"},
    }
    message = mapping.chat_message(base)
    assert message is not None
    assert (message.author, message.text) == ("Ada Lovelock", "<p>Hi</p>")
    assert message.sent_at == datetime(2027, 1, 12, 18, 31, tzinfo=UTC)
    assert mapping.chat_message({**base, "messageType": "systemEventMessage"}) is None
    assert mapping.chat_message({**base, "deletedDateTime": "2027-01-12T18:40:00Z"}) is None
    quoted = {**base, "attachments": [{"id": "0", "contentType": "messageReference"}]}
    assert mapping.chat_message(quoted).reply_to == "0"  # type: ignore[union-attr]


def test_attendance_keeps_durations_and_drops_who() -> None:
    records = [
        {"emailAddress": "a@example.nhs.uk", "totalAttendanceInSeconds": 3600},
        {"identity": {"displayName": "B"}, "totalAttendanceInSeconds": None},
    ]
    assert mapping.attendance(records).durations == (timedelta(hours=1), timedelta(0))

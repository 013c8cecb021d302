"""Microsoft Graph JSON to pspn's types and back. Pure: no HTTP here.

A pspn meeting becomes an event in the organiser's calendar with a Teams
meeting (``isOnlineMeeting``, ``teamsForBusiness``): transcripts exist only for
calendar-backed meetings. The event carries our UID twice: as a
``transactionId`` derived from it (Graph recognises a retried create) and as a
single-value extended property, which Graph can filter on, so a lost answer is
found again before any second create.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from pspn_core.errors import AdapterError
from pspn_core.ports import Attendance, ChatMessage, OnlineMeeting, PlatformMeeting

__all__ = [
    "UID_PROPERTY",
    "attendance",
    "cancel_body",
    "chat_message",
    "event_body",
    "graph_time",
    "join_url_of",
    "platform_meeting",
    "transaction_id",
    "uid_filter",
]

#: The extended property that holds our meeting UID on the event (a pspn-only GUID).
UID_PROPERTY = "String {4b1c6f0e-3a57-4e0c-9a55-7d1c2b9e8f31} Name pspnMeetingUid"

_NAMESPACE = uuid.UUID("b1f0d7a4-7f0e-4c55-8d0a-2f8a6c1e9b72")


def transaction_id(uid: str) -> str:
    """The event's ``transactionId``: the same for every try at creating one meeting."""
    return str(uuid.uuid5(_NAMESPACE, uid))


def graph_time(moment: datetime) -> dict[str, str]:
    """A ``dateTimeTimeZone`` in UTC: exact whatever zone the organiser's mailbox uses."""
    return {"dateTime": moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S"), "timeZone": "UTC"}


def event_body(meeting: OnlineMeeting, *, create: bool) -> dict[str, Any]:
    """The ``event`` to create (with the Teams meeting and our UID) or the PATCH for a change."""
    body: dict[str, Any] = {
        "subject": meeting.title,
        "body": {"contentType": "text", "content": meeting.description},
        "start": graph_time(meeting.start),
        "end": graph_time(meeting.end),
    }
    if create:
        body |= {
            "isOnlineMeeting": True,
            "onlineMeetingProvider": "teamsForBusiness",
            "allowNewTimeProposals": False,
            "transactionId": transaction_id(meeting.key),
            "singleValueExtendedProperties": [{"id": UID_PROPERTY, "value": meeting.key}],
        }
    return body


def cancel_body(reason: str) -> dict[str, str]:
    return {"Comment": reason or "This meeting is cancelled."}


def uid_filter(uid: str) -> str:
    """The ``$filter`` that finds the event holding ``uid``."""
    quoted = uid.replace("'", "''")
    return (
        f"singleValueExtendedProperties/Any(ep: ep/id eq '{UID_PROPERTY}'"
        f" and ep/value eq '{quoted}')"
    )


def join_url_of(event: Mapping[str, Any]) -> str:
    online = event.get("onlineMeeting") or {}
    return str(online.get("joinUrl") or "")


def platform_meeting(
    event: Mapping[str, Any], meeting: Mapping[str, Any] | None
) -> PlatformMeeting:
    """What the store records: the event, its joining link, its online meeting and chat."""
    join_url = join_url_of(event)
    if not join_url:
        raise AdapterError(
            f"Teams has not attached an online meeting to event {event.get('id')!r} yet; "
            "run `pspn meetings publish` again in a minute"
        )
    chat = (meeting or {}).get("chatInfo") or {}
    return PlatformMeeting(
        platform_id=str(event["id"]),
        join_url=join_url,
        meeting_id=str((meeting or {}).get("id") or ""),
        chat_id=str(chat.get("threadId") or ""),
    )


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def chat_message(item: Mapping[str, Any]) -> ChatMessage | None:
    """A person's message, or ``None`` for system events and deleted messages."""
    if item.get("messageType") != "message" or item.get("deletedDateTime"):
        return None
    sender = (item.get("from") or {}).get("user") or (item.get("from") or {}).get("application")
    body = item.get("body") or {}
    reply_to = str(item.get("replyToId") or "")
    for attachment in item.get("attachments") or []:
        if attachment.get("contentType") == "messageReference" and attachment.get("id"):
            reply_to = str(attachment["id"])
    return ChatMessage(
        id=str(item["id"]),
        sent_at=_when(str(item["createdDateTime"])),
        author=str((sender or {}).get("displayName") or ""),
        text=str(body.get("content") or ""),
        reply_to=reply_to,
    )


def attendance(records: Sequence[Mapping[str, Any]]) -> Attendance:
    """How long each attendee stayed; who they were is dropped here."""
    return Attendance(
        tuple(timedelta(seconds=int(r.get("totalAttendanceInSeconds") or 0)) for r in records)
    )

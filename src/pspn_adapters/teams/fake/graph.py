"""The fake Graph's data: one tenant, one organiser's calendar, its Teams meetings and chats.

The routes answer as Microsoft Graph v1.0 documents them, with only the
properties the CSDL defines (the server checks). Tests reach the data directly:
:meth:`Tenant.finish_meeting` gives a meeting its transcript, chat and
attendance, as Teams does some time after the meeting.
"""

from __future__ import annotations

import itertools
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

__all__ = ["ROUTES", "FakeOnlineMeeting", "Reply", "Route", "Tenant", "graph_error"]


@dataclass
class Reply:
    """One answer: status, JSON body (or text), headers; ``checks`` names the CSDL type."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    checks: str | None = None
    collection: bool = False
    text_type: str = ""


def graph_error(status: int, code: str, message: str) -> Reply:
    """An error as Graph sends one: ``{"error": {"code", "message", "innerError"}}``."""
    inner = {"date": _stamp(datetime.now(UTC)), "request-id": str(uuid.uuid4())}
    return Reply(status, {"error": {"code": code, "message": message, "innerError": inner}})


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class FakeOnlineMeeting:
    """A Teams meeting behind a calendar event."""

    id: str
    join_url: str
    thread_id: str
    subject: str
    start: str
    end: str
    transcripts: list[tuple[str, str]] = field(default_factory=list)  # (id, vtt)
    reports: list[tuple[dict[str, Any], list[dict[str, Any]]]] = field(default_factory=list)

    def as_graph(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "subject": self.subject,
            "startDateTime": self.start,
            "endDateTime": self.end,
            "joinWebUrl": self.join_url,
            "chatInfo": {"threadId": self.thread_id},
            "allowTranscription": True,
            "recordAutomatically": False,
        }


@dataclass
class Tenant:
    """Everything the fake Graph holds, with the app it trusts."""

    tenant_id: str = "00000000-0000-4000-8000-00000000feed"
    client_id: str = "11111111-2222-4333-8444-555555555555"
    client_secret: str = "fake-graph-secret-" + "0" * 16
    organiser: str = "psp-meetings@example.nhs.uk"
    organiser_id: str = "9d1c9b9a-0000-4000-8000-000000000001"
    events: dict[str, dict[str, Any]] = field(default_factory=dict)
    uids: dict[str, str] = field(default_factory=dict)  # event id -> our extended property
    meetings: dict[str, FakeOnlineMeeting] = field(default_factory=dict)  # by join url
    chats: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    denied: set[str] = field(default_factory=set)
    application_access_policy: bool = True
    page_size: int = 2
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):06d}"

    def event_for(self, uid: str) -> dict[str, Any] | None:
        return next((self.events[e] for e, u in self.uids.items() if u == uid), None)

    def meeting_of(self, event: Mapping[str, Any]) -> FakeOnlineMeeting:
        return self.meetings[event["onlineMeeting"]["joinUrl"]]

    def finish_meeting(
        self,
        uid: str,
        *,
        transcript: str | None = None,
        chat: Sequence[tuple[str, str] | tuple[str, str, str]] = (),
        attendance: Sequence[int] = (),
    ) -> list[str]:
        """After meeting ``uid``: its transcript (if ready), chat and attendance (seconds).

        ``chat`` holds ``(author, html)`` or ``(author, html, id replied to)``; a
        system event opens the chat, as in Teams. Returns the messages' ids.
        """
        event = self.event_for(uid)
        assert event is not None, f"no event holds {uid}"
        meeting = self.meeting_of(event)
        if transcript is not None:
            meeting.transcripts.append((self.next_id("MSMjMCMj"), transcript))
        start = datetime.fromisoformat(meeting.start.replace("Z", "+00:00"))
        messages = self.chats.setdefault(meeting.thread_id, [])
        if chat and not messages:
            messages.append(self._message("chatEvent", "", "<systemEventMessage/>", start, ""))
        ids = []
        for number, item in enumerate(chat, 1):
            author, text, replied = (*item, "")[:3]
            when = start + timedelta(minutes=number)
            message = self._message("message", author, text, when, replied)
            messages.append(message)
            ids.append(message["id"])
        if attendance:
            report = {
                "id": str(uuid.uuid4()),
                "totalParticipantCount": len(attendance),
                "meetingStartDateTime": meeting.start,
                "meetingEndDateTime": meeting.end,
            }
            records = [
                {
                    "id": str(uuid.uuid4()),
                    "emailAddress": f"attendee{n}@example.nhs.uk",
                    "identity": {"id": str(uuid.uuid4()), "displayName": f"Attendee {n}"},
                    "role": "Attendee",
                    "totalAttendanceInSeconds": seconds,
                    "attendanceIntervals": [],
                }
                for n, seconds in enumerate(attendance, 1)
            ]
            meeting.reports.append((report, records))
        return ids

    def _message(
        self, kind: str, author: str, html: str, when: datetime, replied: str
    ) -> dict[str, Any]:
        message_id = str(int(when.timestamp() * 1000) + next(self._ids))
        sender = None
        if author:
            sender = {"user": {"id": str(uuid.uuid4()), "displayName": author}}
        attachments = []
        if replied:
            attachments = [{"id": replied, "contentType": "messageReference", "content": "{}"}]
        return {
            "id": message_id,
            "messageType": kind,
            "createdDateTime": _stamp(when),
            "lastModifiedDateTime": _stamp(when),
            "deletedDateTime": None,
            "importance": "normal",
            "locale": "en-us",
            "from": sender,
            "body": {"contentType": "html", "content": html},
            "attachments": attachments,
            "replyToId": None,
        }


# -- routes ---------------------------------------------------------------------

Handler = Callable[["Request"], Reply]


@dataclass
class Request:
    """One request as the routes see it."""

    tenant: Tenant
    base_url: str
    path: str
    params: dict[str, str]
    query: dict[str, str]
    body: Any


@dataclass(frozen=True)
class Route:
    """A method and path pattern, the permission it needs, and what checks its body."""

    method: str
    pattern: re.Pattern[str]
    handler: Handler
    permission: str
    request_type: str | None = None  # a CSDL type, or "action:<name>:<type>"


def _user(request: Request) -> Reply | None:
    tenant = request.tenant
    if request.params["user"] not in (tenant.organiser, tenant.organiser_id):
        return graph_error(404, "ErrorInvalidUser", "The requested user is invalid.")
    return None


def _select(event: dict[str, Any], query: Mapping[str, str]) -> dict[str, Any]:
    fields = query.get("$select")
    if not fields:
        return dict(event)
    wanted = {"id", *(f.strip() for f in fields.split(","))}
    return {k: v for k, v in event.items() if k in wanted}


_UID_FILTER = re.compile(
    r"singleValueExtendedProperties/Any\(ep: ep/id eq '(?P<id>[^']+)' and ep/value eq"
    r" '(?P<value>(?:[^']|'')*)'\)"
)
_JOIN_FILTER = re.compile(r"JoinWebUrl eq '(?P<url>(?:[^']|'')*)'")


def list_events(request: Request) -> Reply:
    if (problem := _user(request)) is not None:
        return problem
    found = list(request.tenant.events.values())
    wanted = request.query.get("$filter")
    if wanted is not None:
        match = _UID_FILTER.fullmatch(wanted)
        if match is None:
            return graph_error(400, "ErrorInvalidUrlQueryFilter", "The filter is not supported.")
        uid = match["value"].replace("''", "'")
        found = [
            e for e in found if request.tenant.uids.get(e["id"]) == uid and not e["isCancelled"]
        ]
    return Reply(
        200, {"value": [_select(e, request.query) for e in found]}, checks="event", collection=True
    )


def create_event(request: Request) -> Reply:
    if (problem := _user(request)) is not None:
        return problem
    tenant, body = request.tenant, request.body
    for existing in tenant.events.values():
        if body.get("transactionId") and existing.get("transactionId") == body["transactionId"]:
            return Reply(201, dict(existing), checks="event")
    if body.get("isOnlineMeeting") is not True or body.get("onlineMeetingProvider") != (
        "teamsForBusiness"
    ):
        return graph_error(400, "ErrorInvalidRequest", "Only Teams meetings are expected here.")
    event_id = tenant.next_id("AAMkAGI2TG93AAA=")
    meeting_id = tenant.next_id("MSpkYzE3Yjc5")
    thread = f"19:meeting_{uuid.uuid4().hex}@thread.v2"
    join_url = f"https://teams.microsoft.com/l/meetup-join/{quote(thread)}/0"
    now = _stamp(datetime.now(UTC))
    event = {
        "id": event_id,
        "iCalUId": uuid.uuid4().hex.upper(),
        "createdDateTime": now,
        "lastModifiedDateTime": now,
        "subject": body.get("subject", ""),
        "body": body.get("body", {"contentType": "text", "content": ""}),
        "start": body["start"],
        "end": body["end"],
        "isOnlineMeeting": True,
        "onlineMeetingProvider": "teamsForBusiness",
        "onlineMeeting": {"joinUrl": join_url},
        "transactionId": body.get("transactionId"),
        "isCancelled": False,
        "isOrganizer": True,
        "webLink": f"https://outlook.office365.com/owa/?itemid={quote(event_id)}",
    }
    tenant.events[event_id] = event
    for prop in body.get("singleValueExtendedProperties") or []:
        tenant.uids[event_id] = prop["value"]
    tenant.chats[thread] = []  # Teams makes the meeting chat with the meeting
    tenant.meetings[join_url] = FakeOnlineMeeting(
        meeting_id, join_url, thread, event["subject"], _utc(body["start"]), _utc(body["end"])
    )
    return Reply(201, dict(event), checks="event")


def _utc(value: Mapping[str, str]) -> str:
    assert value.get("timeZone") == "UTC", "the fake keeps times in UTC only"
    return value["dateTime"] + "Z"


def _event(request: Request) -> dict[str, Any] | Reply:
    if (problem := _user(request)) is not None:
        return problem
    event = request.tenant.events.get(request.params["event"])
    if event is None:
        return graph_error(
            404, "ErrorItemNotFound", "The specified object was not found in the store."
        )
    return event


def update_event(request: Request) -> Reply:
    event = _event(request)
    if isinstance(event, Reply):
        return event
    for key in ("subject", "body", "start", "end"):
        if key in request.body:
            event[key] = request.body[key]
    event["lastModifiedDateTime"] = _stamp(datetime.now(UTC))
    meeting = request.tenant.meeting_of(event)  # Teams moves the online meeting with it
    meeting.subject, meeting.start, meeting.end = (
        event["subject"],
        _utc(event["start"]),
        _utc(event["end"]),
    )
    return Reply(200, dict(event), checks="event")


def cancel_event(request: Request) -> Reply:
    event = _event(request)
    if isinstance(event, Reply):
        return event
    event["isCancelled"] = True
    return Reply(202)


def _meeting(request: Request) -> FakeOnlineMeeting | Reply:
    if (problem := _user(request)) is not None:
        return problem
    for meeting in request.tenant.meetings.values():
        if meeting.id == request.params["meeting"]:
            return meeting
    return graph_error(404, "NotFound", "The online meeting was not found.")


def list_meetings(request: Request) -> Reply:
    if (problem := _user(request)) is not None:
        return problem
    match = _JOIN_FILTER.fullmatch(request.query.get("$filter", ""))
    if match is None:
        return graph_error(400, "BadRequest", "Filter on JoinWebUrl is required.")
    meeting = request.tenant.meetings.get(match["url"].replace("''", "'"))
    value = [meeting.as_graph()] if meeting else []
    return Reply(200, {"value": value}, checks="onlineMeeting", collection=True)


def list_transcripts(request: Request) -> Reply:
    meeting = _meeting(request)
    if isinstance(meeting, Reply):
        return meeting
    value = [
        {
            "id": tid,
            "meetingId": meeting.id,
            "createdDateTime": meeting.end,
            "endDateTime": meeting.end,
        }
        for tid, _ in meeting.transcripts
    ]
    return Reply(200, {"value": value}, checks="callTranscript", collection=True)


def transcript_content(request: Request) -> Reply:
    meeting = _meeting(request)
    if isinstance(meeting, Reply):
        return meeting
    if request.query.get("$format") != "text/vtt":
        return graph_error(400, "BadRequest", "Ask for $format=text/vtt.")
    for tid, vtt in meeting.transcripts:
        if tid == request.params["transcript"]:
            return Reply(200, vtt, text_type="text/vtt")
    return graph_error(404, "NotFound", "The transcript was not found.")


def list_reports(request: Request) -> Reply:
    meeting = _meeting(request)
    if isinstance(meeting, Reply):
        return meeting
    value = [report for report, _ in meeting.reports]
    return Reply(200, {"value": value}, checks="meetingAttendanceReport", collection=True)


def list_records(request: Request) -> Reply:
    meeting = _meeting(request)
    if isinstance(meeting, Reply):
        return meeting
    for report, records in meeting.reports:
        if report["id"] == request.params["report"]:
            return _page(request, records, "attendanceRecord")
    return graph_error(404, "NotFound", "The attendance report was not found.")


def list_messages(request: Request) -> Reply:
    messages = request.tenant.chats.get(request.params["chat"])
    if messages is None:
        return graph_error(404, "NotFound", "The chat was not found.")
    newest_first = sorted(messages, key=lambda m: m["lastModifiedDateTime"], reverse=True)
    return _page(request, newest_first, "chatMessage")


def _page(request: Request, items: list[dict[str, Any]], type_name: str) -> Reply:
    size = min(int(request.query.get("$top") or request.tenant.page_size), request.tenant.page_size)
    start = int(request.query.get("$skiptoken") or 0)
    body: dict[str, Any] = {"value": items[start : start + size]}
    if start + size < len(items):
        body["@odata.nextLink"] = (
            f"{request.base_url}{request.path}?$top={size}&$skiptoken={start + size}"
        )
    return Reply(200, body, checks=type_name, collection=True)


_USER = r"/v1\.0/users/(?P<user>[^/]+)"
_MEETING = _USER + r"/onlineMeetings/(?P<meeting>[^/]+)"


def _route(
    method: str, pattern: str, handler: Handler, permission: str, request_type: str | None = None
) -> Route:
    return Route(method, re.compile(pattern), handler, permission, request_type)


ROUTES: tuple[Route, ...] = (
    _route("GET", _USER + "/events", list_events, "Calendars.ReadWrite"),
    _route("POST", _USER + "/events", create_event, "Calendars.ReadWrite", "event"),
    _route(
        "PATCH", _USER + r"/events/(?P<event>[^/]+)", update_event, "Calendars.ReadWrite", "event"
    ),
    _route(
        "POST",
        _USER + r"/events/(?P<event>[^/]+)/cancel",
        cancel_event,
        "Calendars.ReadWrite",
        "action:cancel:event",
    ),
    _route("GET", _USER + "/onlineMeetings", list_meetings, "OnlineMeetings.ReadWrite.All"),
    _route("GET", _MEETING + "/transcripts", list_transcripts, "OnlineMeetingTranscript.Read.All"),
    _route(
        "GET",
        _MEETING + r"/transcripts/(?P<transcript>[^/]+)/content",
        transcript_content,
        "OnlineMeetingTranscript.Read.All",
    ),
    _route("GET", _MEETING + "/attendanceReports", list_reports, "OnlineMeetingArtifact.Read.All"),
    _route(
        "GET",
        _MEETING + r"/attendanceReports/(?P<report>[^/]+)/attendanceRecords",
        list_records,
        "OnlineMeetingArtifact.Read.All",
    ),
    _route("GET", r"/v1\.0/chats/(?P<chat>[^/]+)/messages", list_messages, "Chat.Read.All"),
)

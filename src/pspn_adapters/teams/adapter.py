"""Teams as a :class:`~pspn_core.ports.MeetingPlatform`, through Microsoft Graph.

Each pspn meeting is an event with a Teams meeting in the organiser's calendar
(transcripts exist only for calendar-backed meetings). Before creating one the
adapter looks the event up by our UID (an extended property on the event); a
create whose answer is lost (dropped connection, 503) is followed by that
look-up before it is tried again, and the retried create carries the same
``transactionId``, so Graph itself recognises it too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pspn_adapters.teams import mapping
from pspn_adapters.teams.client import GraphClient
from pspn_core.errors import AdapterNotFound, ForumUnavailable
from pspn_core.ports import Attendance, ChatMessage, OnlineMeeting, PlatformMeeting

__all__ = ["TeamsPlatform"]

_EVENT_FIELDS = "id,subject,start,end,isCancelled,onlineMeeting,transactionId"


class TeamsPlatform:
    """One network's meetings on Teams, in one organiser's calendar."""

    def __init__(self, client: GraphClient) -> None:
        self.client = client
        self._org = client.organiser_path

    # -- meetings ---------------------------------------------------------------
    def find_meeting(self, key: str) -> PlatformMeeting | None:
        params = {"$filter": mapping.uid_filter(key), "$select": _EVENT_FIELDS}
        for event in self.client.items(f"{self._org}/events", params):
            return self._held(event)
        return None

    def publish_meeting(
        self, meeting: OnlineMeeting, *, known: PlatformMeeting | None = None
    ) -> PlatformMeeting:
        if known is None:
            known = self.find_meeting(meeting.key)
        if known is not None:
            try:
                event = self.client.send_json(
                    "PATCH",
                    f"{self._org}/events/{known.platform_id}",
                    json=mapping.event_body(meeting, create=False),
                )
            except AdapterNotFound:  # deleted in Outlook: hold the meeting anew
                return self._create(meeting)
            join_url = mapping.join_url_of(event) or known.join_url
            if join_url == known.join_url and known.meeting_id:
                return known
            return self._held(event)
        return self._create(meeting)

    def _create(self, meeting: OnlineMeeting) -> PlatformMeeting:
        body = mapping.event_body(meeting, create=True)
        for attempt in (1, 2):
            try:
                event = self.client.send_json("POST", f"{self._org}/events", json=body)
            except ForumUnavailable:
                found = self.find_meeting(meeting.key)  # did Graph create it before failing?
                if found is not None:
                    return found
                if attempt == 2:
                    raise
                continue
            return self._held(event)
        raise AssertionError("unreachable: the second attempt returns or raises")

    def _held(self, event: dict[str, Any]) -> PlatformMeeting:
        join_url = mapping.join_url_of(event)
        online = self._online_meeting(join_url) if join_url else None
        return mapping.platform_meeting(event, online)

    def _online_meeting(self, join_url: str) -> dict[str, Any] | None:
        quoted = join_url.replace("'", "''")
        params = {"$filter": f"JoinWebUrl eq '{quoted}'"}
        return next(self.client.items(f"{self._org}/onlineMeetings", params), None)

    def cancel_meeting(self, known: PlatformMeeting, reason: str = "") -> None:
        self.client.request(
            "POST",
            f"{self._org}/events/{known.platform_id}/cancel",
            json=mapping.cancel_body(reason),
            idempotent=True,  # cancelling twice leaves it cancelled (or gone: 404)
            ok=(404,),
        )

    # -- after the meeting ------------------------------------------------------
    def _meeting_id(self, known: PlatformMeeting) -> str | None:
        if known.meeting_id:
            return known.meeting_id
        online = self._online_meeting(known.join_url)
        return str(online["id"]) if online else None

    def transcript(self, known: PlatformMeeting) -> str | None:
        meeting_id = self._meeting_id(known)
        if meeting_id is None:
            return None
        base = f"{self._org}/onlineMeetings/{meeting_id}/transcripts"
        found = sorted(self.client.items(base), key=lambda t: str(t.get("createdDateTime")))
        texts = []
        for transcript in found:
            response = self.client.request(
                "GET",
                f"{base}/{transcript['id']}/content",
                params={"$format": "text/vtt"},
                ok=(404,),
            )
            if response.status_code == 404:
                return None  # listed, but Teams has not finished it
            texts.append(response.text)
        if not texts:
            return None
        first, *rest = texts
        return (
            first.rstrip()
            + "".join(
                "\n\n" + text.removeprefix("\ufeff").removeprefix("WEBVTT").strip() for text in rest
            )
            + "\n"
        )

    def chat(self, known: PlatformMeeting) -> Iterator[ChatMessage]:
        chat_id = known.chat_id
        if not chat_id:  # the Teams meeting was not readable at publish time: look again
            online = self._online_meeting(known.join_url)
            chat_id = str(((online or {}).get("chatInfo") or {}).get("threadId") or "")
        if not chat_id:
            return iter(())
        params = {"$top": str(self.client.page_size)}
        try:
            items = list(self.client.items(f"/chats/{chat_id}/messages", params))
        except AdapterNotFound:  # nobody opened the meeting chat
            return iter(())
        messages = [m for m in map(mapping.chat_message, items) if m is not None]
        return iter(sorted(messages, key=lambda m: m.sent_at))

    def attendance(self, known: PlatformMeeting) -> Attendance | None:
        meeting_id = self._meeting_id(known)
        if meeting_id is None:
            return None
        base = f"{self._org}/onlineMeetings/{meeting_id}/attendanceReports"
        reports = list(self.client.items(base))
        if not reports:
            return None
        latest = max(reports, key=lambda r: str(r.get("meetingEndDateTime")))
        records = list(self.client.items(f"{base}/{latest['id']}/attendanceRecords"))
        return mapping.attendance(records)

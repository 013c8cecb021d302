"""The embedded meeting platform: meetings as folders under the data directory.

Publishing a meeting writes ``<folder>/<uid>/meeting.json`` with a placeholder
joining link (``https://meet.invalid/...``: ``.invalid`` never resolves, so
nobody mistakes it for a real room; set ``link_base`` to a standing room of
your own). After the meeting, drop its files into the same folder:

- ``transcript.vtt``: the WebVTT transcript (from Teams, Zoom or any recorder);
- ``chat.txt``: the chat, one message per block: a ``[HH:MM] Name`` line, then
  the text; a message whose first line is ``> quoted words`` replies to the
  earlier message that holds those words;
- ``attendance.txt``: one line per attendee with the minutes they stayed
  (numbers only: no names).

The whole flow (publish, collect, review) then runs without any platform.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from pspn_core.errors import InputError
from pspn_core.ports import Attendance, ChatMessage, OnlineMeeting, PlatformMeeting

__all__ = ["LocalPlatform", "LocalPlatformSettings", "parse_chat"]

_HEADER = re.compile(r"^\[(\d{1,2}):(\d{2})\]\s+(\S.*)$")


class LocalPlatformSettings(BaseModel):
    """``[platforms.local]``: every key is optional."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    folder: Path | None = None
    """Where meeting folders live; by default ``<data_dir>/meetings``."""
    link_base: str = "https://meet.invalid/pspn/"
    """The joining link is this followed by the meeting's UID."""


class LocalPlatform:
    """A :class:`~pspn_core.ports.MeetingPlatform` on folders of files."""

    def __init__(self, folder: Path, link_base: str) -> None:
        self.folder = folder
        self.link_base = link_base if link_base.endswith("/") else link_base + "/"

    def _dir(self, key: str) -> Path:
        if not re.fullmatch(r"[\w.@-]+", key):
            raise InputError(f"meeting UID {key!r} cannot name a folder")
        return self.folder / key

    def find_meeting(self, key: str) -> PlatformMeeting | None:
        path = self._dir(key) / "meeting.json"
        if not path.is_file():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        return PlatformMeeting(platform_id=key, join_url=data["join_url"], meeting_id=key)

    def publish_meeting(
        self, meeting: OnlineMeeting, *, known: PlatformMeeting | None = None
    ) -> PlatformMeeting:
        folder = self._dir(meeting.key)
        folder.mkdir(parents=True, exist_ok=True)
        join_url = self.link_base + meeting.key
        data = {
            "uid": meeting.key,
            "title": meeting.title,
            "start": meeting.start.isoformat(),
            "end": meeting.end.isoformat(),
            "timezone": meeting.timezone,
            "description": meeting.description,
            "join_url": join_url,
            "cancelled": False,
        }
        _write_json(folder / "meeting.json", data)
        return PlatformMeeting(platform_id=meeting.key, join_url=join_url, meeting_id=meeting.key)

    def cancel_meeting(self, known: PlatformMeeting, reason: str = "") -> None:
        path = self._dir(known.platform_id) / "meeting.json"
        if not path.is_file():
            return
        data = json.loads(path.read_text(encoding="utf-8"))
        data.update(cancelled=True, cancel_reason=reason)
        _write_json(path, data)

    def transcript(self, known: PlatformMeeting) -> str | None:
        path = self._dir(known.platform_id) / "transcript.vtt"
        return path.read_text(encoding="utf-8-sig") if path.is_file() else None

    def chat(self, known: PlatformMeeting) -> Iterator[ChatMessage]:
        folder = self._dir(known.platform_id)
        path = folder / "chat.txt"
        if not path.is_file():
            return iter(())
        start = datetime.fromisoformat(
            json.loads((folder / "meeting.json").read_text(encoding="utf-8"))["start"]
        )
        return iter(parse_chat(path.read_text(encoding="utf-8-sig"), start))

    def attendance(self, known: PlatformMeeting) -> Attendance | None:
        path = self._dir(known.platform_id) / "attendance.txt"
        if not path.is_file():
            return None
        durations = []
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                durations.append(timedelta(minutes=float(line)))
            except ValueError:
                raise InputError(
                    f"{path} line {number}: give the minutes one attendee stayed, a number"
                ) from None
        return Attendance(tuple(durations))


def parse_chat(text: str, start: datetime) -> list[ChatMessage]:
    """The messages of a ``chat.txt``; times are on the meeting's day, in its zone."""
    zone = start.tzinfo if start.tzinfo is not None else ZoneInfo("Europe/London")
    messages: list[ChatMessage] = []
    author, when, lines = "", start, list[str]()

    def flush() -> None:
        body = "\n".join(lines).strip()
        if not author or not body:
            return
        reply_to = ""
        first, _, rest = body.partition("\n")
        if first.startswith(">"):
            quoted = first.lstrip("> ").strip()
            earlier = [m for m in messages if quoted and quoted in m.text]
            reply_to = earlier[-1].id if earlier else ""
            body = rest.strip() or body
        messages.append(ChatMessage(str(len(messages) + 1), when, author, body, reply_to))

    for line in text.splitlines():
        header = _HEADER.match(line.strip())
        if header:
            flush()
            hour, minute, author = int(header[1]), int(header[2]), header[3].strip()
            when = datetime.combine(start.date(), time(hour % 24, minute), tzinfo=zone)
            lines = []
        else:
            lines.append(line)
    flush()
    return messages


def _write_json(path: Path, data: dict[str, object]) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data, indent=2), encoding="utf-8")
    temporary.replace(path)

"""What a meeting's chat and attendance give back. Pure: data in, data out.

- :func:`note_text` puts the transcript and the chat into one text for a draft note.
- :func:`chat_topics` finds messages that raise a topic (``Topic: ...``).
- :func:`unanswered_questions` finds questions nobody replied to, for review.
- :func:`attendance_counts` turns durations into counts by band, small numbers
  suppressed as in survey reports; nothing says who attended.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from datetime import timedelta

from pspn_core.ports import Attendance, ChatMessage
from pspn_core.surveys.disclosure import frequency_grid, protect

__all__ = [
    "BANDS",
    "TITLE_LIMIT",
    "attendance_counts",
    "chat_topics",
    "note_text",
    "plain_text",
    "unanswered_questions",
]

#: How long attendees stayed: (label, at least, less than).
BANDS: tuple[tuple[str, timedelta, timedelta | None], ...] = (
    ("under 15 minutes", timedelta(0), timedelta(minutes=15)),
    ("15 to 30 minutes", timedelta(minutes=15), timedelta(minutes=30)),
    ("30 to 45 minutes", timedelta(minutes=30), timedelta(minutes=45)),
    ("45 minutes or more", timedelta(minutes=45), None),
)

#: The longest topic title taken from a chat message; the rest is cut.
TITLE_LIMIT = 200

_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"[ \t]+")


def plain_text(body: str) -> str:
    """A chat message's text without HTML tags or entities, blank runs squeezed."""
    text = html.unescape(_TAG.sub(" ", body.replace("<br>", "\n").replace("</p>", "\n")))
    return "\n".join(_SPACE.sub(" ", line).strip() for line in text.splitlines()).strip()


def note_text(transcript: str | None, messages: Sequence[ChatMessage]) -> str:
    """The transcript (WebVTT) and the chat, as one note.

    The chat goes into a WebVTT ``NOTE`` block after the cues, one message as
    ``[HH:MM] Author`` and its text, so the anonymiser finds every author as a
    speaker label and removes it. Without a transcript the chat alone is the note.
    """
    chat = [f"[{m.sent_at:%H:%M}] {m.author}\n{plain_text(m.text)}" for m in messages]
    if transcript is None or not transcript.strip():
        return "\n\n".join(chat) + "\n"
    text = transcript.rstrip() + "\n"
    if chat:
        text += "\nNOTE Meeting chat\n\n" + "\n\n".join(c.replace("-->", "->") for c in chat)
        text += "\n"
    return text


def _starts_with(text: str, prefix: str) -> bool:
    return text[: len(prefix)].casefold() == prefix.casefold()


def chat_topics(messages: Sequence[ChatMessage], prefix: str = "Topic:") -> list[str]:
    """The topics the chat raised: each message starting with ``prefix``, its rest as title.

    Titles are returned once each (ignoring case), in the order raised, cut at
    :data:`TITLE_LIMIT` characters. Who raised them is not returned.
    """
    found: dict[str, str] = {}
    for message in messages:
        text = plain_text(message.text)
        if not _starts_with(text, prefix):
            continue
        title = " ".join(text[len(prefix) :].split()).strip(" -:")[:TITLE_LIMIT].rstrip()
        if title:
            found.setdefault(title.casefold(), title)
    return list(found.values())


def unanswered_questions(messages: Sequence[ChatMessage], prefix: str = "Topic:") -> list[str]:
    """Questions (messages ending in ``?``) that no later message replied to.

    Topics are not questions here: they are raised already.
    """
    replied = {m.reply_to for m in messages if m.reply_to}
    questions = []
    for message in messages:
        text = plain_text(message.text)
        if text.endswith("?") and not _starts_with(text, prefix) and message.id not in replied:
            questions.append(" ".join(text.split()))
    return questions


def attendance_counts(attendance: Attendance, small_numbers: int = 5) -> dict[str, object]:
    """How many attended and how many stayed how long, by band; no one is named.

    Counts from 1 to ``small_numbers`` are suppressed (``None``), and enough others
    that none can be worked out from the total, as in survey reports.
    """
    counts = [0] * len(BANDS)
    for duration in attendance.durations:
        for index, (_, low, high) in enumerate(BANDS):
            if duration >= low and (high is None or duration < high):
                counts[index] += 1
                break
    grid = frequency_grid(counts)
    if small_numbers < 1:
        shown: list[int | None] = [*counts, sum(counts)]
    else:
        protected = protect(grid, small_numbers)
        shown = [protected.published((row, 0)) for row in range(len(counts) + 1)]
    return {
        "attendees": shown[-1],
        "bands": {label: shown[i] for i, (label, _, _) in enumerate(BANDS)},
        "suppressed": f"counts from 1 to {small_numbers} are not shown" if small_numbers else "",
    }

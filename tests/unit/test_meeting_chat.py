"""What a meeting's chat and attendance give back: topics, questions, counts, the note."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pspn_core.meetings.chat import (
    attendance_counts,
    chat_topics,
    note_text,
    plain_text,
    unanswered_questions,
)
from pspn_core.ports import Attendance, ChatMessage

AT = datetime(2027, 1, 12, 18, 40, tzinfo=UTC)


def message(
    number: int, text: str, author: str = "Ada Lovelock", reply_to: str = ""
) -> ChatMessage:
    return ChatMessage(str(number), AT + timedelta(minutes=number), author, text, reply_to)


def test_topics_take_the_prefix_in_any_case_once_each_and_never_the_author() -> None:
    messages = [
        message(1, "<p>Topic: Learning from deaths</p>"),
        message(2, "topic:   learning   from deaths", author="Bram Stokeley"),
        message(3, "Agenda: not a topic"),
        message(4, "Topic:"),
        message(5, "Raise: shared care records"),
    ]
    assert chat_topics(messages) == ["Learning from deaths"]
    assert chat_topics([message(6, "Topic: " + "long " * 100)]) == [("long " * 40).strip()]
    assert chat_topics(messages, prefix="raise:") == ["shared care records"]


def test_questions_with_a_reply_are_answered_and_topics_are_not_questions() -> None:
    messages = [
        message(1, "Is the leaflet ready?"),
        message(2, "Yes.", reply_to="1"),
        message(3, "Who has used the templates?"),
        message(4, "Topic: could we discuss templates?"),
    ]
    assert unanswered_questions(messages) == ["Who has used the templates?"]


def test_chat_html_becomes_plain_text() -> None:
    assert plain_text("<div>Fish &amp; chips<br>tomorrow</div>") == "Fish & chips\ntomorrow"


def test_the_chat_follows_the_transcript_in_a_note_block_or_stands_alone() -> None:
    transcript = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ada>Hello</v>\n"
    both = note_text(transcript, [message(1, "Hi --> all")])
    assert both.startswith("WEBVTT\n")
    assert "\nNOTE Meeting chat\n\n[18:41] Ada Lovelock\nHi -> all\n" in both
    assert note_text(None, [message(1, "Hi")]) == "[18:41] Ada Lovelock\nHi\n"


def minutes(*values: int) -> Attendance:
    return Attendance(tuple(timedelta(minutes=v) for v in values))


def test_attendance_is_counted_by_band_with_small_numbers_hidden() -> None:
    counts = attendance_counts(minutes(5, 20, 20, 40, *[60] * 8), small_numbers=0)
    assert counts["attendees"] == 12
    assert counts["bands"] == {
        "under 15 minutes": 1,
        "15 to 30 minutes": 2,
        "30 to 45 minutes": 1,
        "45 minutes or more": 8,
    }
    protected = attendance_counts(minutes(5, 20, 20, 40, *[60] * 8), small_numbers=5)
    assert protected["attendees"] == 12
    bands = protected["bands"]
    assert isinstance(bands, dict)
    assert [v for v in bands.values() if v is not None and 1 <= v <= 5] == []
    # the hidden counts cannot be worked out from what is shown
    assert sum(1 for v in bands.values() if v is None) >= 2


def test_too_few_attendees_hide_even_the_total() -> None:
    counts = attendance_counts(minutes(50, 55, 60), small_numbers=5)
    assert counts["attendees"] is None

"""What respondents wrote can neither be traced through its order nor run in the report
(issue 15, items 7 and 8)."""

from __future__ import annotations

import pytest

from pspn_core.notes.anonymiser import RosterEntry
from pspn_core.surveys.model import Answers
from pspn_core.surveys.report import build_report, escape_markdown, render_markdown
from tests.unit.test_surveys import survey

ROSTER = [RosterEntry("Ada Lovelock", "ada_l", ""), RosterEntry("Zeb Quorn", "zeb_q", "")]


def _comments(said: list[str]) -> list[str]:
    responses: list[Answers] = [{"paid": "Yes", "better": text} for text in said]
    comments = build_report(survey(), responses, ROSTER).comments["better"]
    assert comments is not None
    return comments


def test_the_order_of_written_answers_says_nothing_about_the_names_replaced() -> None:
    one = _comments(["Ada Lovelock: more time", "Zeb Quorn: fewer papers", "x", "y"])
    other = _comments(["Zeb Quorn: more time", "Ada Lovelock: fewer papers", "x", "y"])
    assert one == other
    assert not any("Ada" in c or "Zeb" in c for c in one)


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "<iframe src=https://example.org></iframe>",
        "</blockquote><h1>Official notice</h1>",
        "[click here](javascript:alert(1))",
        "![pixel](https://tracker.example.org/p.png)",
        "**bold** _claims_ # heading\n\n- list",
        "a terminal \x1b[2J clear and a bell \x07",
    ],
)
def test_markdown_carries_what_respondents_wrote_as_inert_text(hostile: str) -> None:
    said = [hostile, "more time", "fewer papers", "a mentor"]
    responses: list[Answers] = [{"paid": "Yes", "better": text} for text in said]
    markdown = render_markdown(build_report(survey(), responses, []))
    for marker in ("<script", "<img", "<iframe", "</blockquote", "](javascript", "](https", "\x1b"):
        assert marker not in markdown
    quoted = [line for line in markdown.splitlines() if line.startswith("> ")]
    assert len(quoted) == 4  # each answer one quoted line, however many lines it had


def test_escaped_text_reads_the_same() -> None:
    assert escape_markdown("[name] said: 5 < 6 & (fine)") == (
        r"[name] said\: 5 &lt; 6 &amp; \(fine\)"
    )

"""The fast scans find exactly what the slow patterns they replace would find."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pspn_core.notes.anonymiser.scanning import LinePattern, word_matches

TEXT = st.text(alphabet=st.sampled_from("hitaxd _\n\t,.'@-Ab"), max_size=60)
GREETING = r"(?:hi|ta|hid)[ \t]*,?[ \t]+([a-z]{2,})"
LINE_BODY = r"[ \t]*(?:-[ \t]*)?(hi|ta)[ \t,]*([^\n]*?)[ \t]*$"


def test_word_matches_skips_matches_inside_words() -> None:
    pattern = re.compile(GREETING)
    found = [m.group(1) for m in word_matches(pattern, "sushi rolls, data thanks; hi raj")]
    assert found == ["raj"]


def test_a_match_inside_a_word_does_not_hide_the_next_one() -> None:
    # "ta hi" inside "data hi dev": finditer without the check would consume "ta hi"
    pattern = re.compile(GREETING)
    assert [m.group(1) for m in word_matches(pattern, "data hi dev")] == ["dev"]


def test_joiners_count_as_part_of_a_word() -> None:
    pattern = re.compile(r"(?:dev|raj)(?![\w@'-])")
    found = [m.group() for m in word_matches(pattern, "@dev o'raj raj", joiners="@'’.-")]
    assert found == ["raj"]


@settings(max_examples=300)
@given(text=TEXT)
def test_word_matches_is_finditer_with_a_leading_word_boundary(text: str) -> None:
    slow = re.compile(r"\b" + GREETING)
    fast = re.compile(GREETING)
    assert [m.regs for m in word_matches(fast, text)] == [m.regs for m in slow.finditer(text)]


@settings(max_examples=300)
@given(text=TEXT)
def test_line_pattern_is_a_multiline_caret(text: str) -> None:
    slow = re.compile("^" + LINE_BODY, re.MULTILINE)
    fast = LinePattern(LINE_BODY)
    # the match itself may include the newline before it; the groups are identical
    assert [m.regs[1:] for m in fast.finditer(text)] == [m.regs[1:] for m in slow.finditer(text)]


def test_line_pattern_matches_the_first_line_and_every_later_one() -> None:
    fast = LinePattern(r"- ([A-Z][a-z]+)$", re.IGNORECASE)
    assert [m.group(1) for m in fast.finditer("- Ann\nnot - Bo\n- cy\n- Di")] == [
        "Ann",
        "cy",
        "Di",
    ]

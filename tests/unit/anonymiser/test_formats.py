"""Formats are recognised and no line stays attributable to a speaker."""

from __future__ import annotations

import pytest

from pspn_core.notes.anonymiser import CompiledRoster, anonymise, detect_format

VTT = """WEBVTT

1f0e/11-0
00:00:04.210 --> 00:00:09.880
<v Tilly Voskuijlen>OK, I think we're quorate. Will, do you want to kick off?</v>

00:00:10.120 --> 00:00:21.450
<v Marek Zielinski (Guest)>Yes, thanks. I will be honest, it was hard.</v>
"""
CHAT = """[18:02] VOSKUIJLEN, Tilly (HARROWGATE NHS FOUNDATION TRUST)
Evening all
[18:03] Marek Zielinski (Guest)
hello, wet evening here
"""
STAMPED = """Tilly Voskuijlen, 12/03/2024 18:03
Thanks all
Marek Zielinski, 12/03/2024 18:04
Same here
"""
EMAIL = """From: Tilly Voskuijlen <tilly.v@example.org>
To: PSP Network list <psp-network@example.org>; Marek Zielinski <marek.z@example.com>
Date: Thu 15 Feb 2024 09:42
Subject: Notes

Hi all,

Notes are up.

Best wishes,
Tilly

On Wed, 14 Feb 2024 at 18:01, Marek Zielinski <marek.z@example.com> wrote:
> Thanks for tonight.
"""


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        (VTT, "vtt"),
        (CHAT, "teams-chat"),
        (STAMPED, "teams-chat"),
        (EMAIL, "email"),
        ("Notes.", "text"),
    ],
)
def test_detect_format(text: str, fmt: str) -> None:
    assert detect_format(text) == fmt


@pytest.mark.parametrize("text", [VTT, CHAT, STAMPED, EMAIL])
def test_speakers_are_removed(text: str, empty_roster: CompiledRoster) -> None:
    note = anonymise(text, roster=empty_roster, secret=b"t")
    for name in ("Tilly", "Voskuijlen", "VOSKUIJLEN", "Marek", "Zielinski", "HARROWGATE"):
        assert name not in note.text
    assert note.format == detect_format(text)


def test_decorations_and_spoken_text_stay(empty_roster: CompiledRoster) -> None:
    note = anonymise(VTT, roster=empty_roster, secret=b"t")
    assert "<v [name] (Guest)>Yes, thanks. I will be honest, it was hard.</v>" in note.text
    assert "<v [name]>OK, I think we're quorate. [name], do you want" in note.text


def test_chat_header_keeps_its_shape(empty_roster: CompiledRoster) -> None:
    note = anonymise(CHAT, roster=empty_roster, secret=b"t")
    assert note.text.splitlines()[0] == "[18:02] [name] ([organisation])"


def test_list_mailbox_name_is_not_a_person(empty_roster: CompiledRoster) -> None:
    note = anonymise(EMAIL, roster=empty_roster, secret=b"t")
    assert "To: PSP Network list <[email]>" in note.text


def test_explicit_format_is_checked(empty_roster: CompiledRoster) -> None:
    from pspn_core.errors import InputError

    assert anonymise(VTT, roster=empty_roster, fmt="text").format == "text"
    with pytest.raises(InputError, match="unknown note format"):
        anonymise(VTT, roster=empty_roster, fmt="docx")

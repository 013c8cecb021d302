"""Members whose names are ordinary words are told from the words by their context."""

from __future__ import annotations

import pytest

from pspn_core.notes.anonymiser import CompiledRoster, RosterEntry, anonymise, compile_roster


@pytest.fixture(scope="module")
def word_roster() -> CompiledRoster:
    names = ["Grace Osei", "Joy Tremlett", "Hope Varney", "Rose Tindall", "Heather Quarrie"]
    names += ["Robin Fairley", "May Lindqvist", "June Harker", "Will Ashdown", "Dawn Pryce"]
    names += ["Sunny Bhattacharjee"]
    return compile_roster(RosterEntry(n) for n in names)


def redacted(text: str, roster: CompiledRoster) -> str:
    return anonymise(text, roster=roster, secret=b"t").text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Many thanks for today.\nJoy", "Many thanks for today.\n[name]"),
        ("yes rose, i'll send it", "yes [name], i'll send it"),
        ("ok heather!", "ok [name]!"),
        ("one thing first, rose, can you share?", "one thing first, [name], can you share?"),
        (
            "Minutes attached.\nheather can you check them?",
            "Minutes attached.\n[name] can you check them?",
        ),
        (
            "Note-taker: Dawn\nApologies: Mark, june",
            "Note-taker: [name]\nApologies: [name], [name]",
        ),
        ("Grace closed the meeting.", "[name] closed the meeting."),
        ("Hope agreed to write it up.", "[name] agreed to write it up."),
    ],
)
def test_names_that_are_words_are_caught_in_context(
    text: str, expected: str, word_roster: CompiledRoster
) -> None:
    assert redacted(text, word_roster) == expected


def test_owner_cell_is_a_name_and_due_cell_a_month(word_roster: CompiledRoster) -> None:
    table = (
        "| Action | Owner | Due |\n|---|---|---|\n"
        "| Send the pack | Heather | May |\n| Book the room | June | June |\n"
    )
    assert redacted(table, word_roster) == (
        "| Action | Owner | Due |\n|---|---|---|\n"
        "| Send the pack | [name] | May |\n| Book the room | [name] | June |\n"
    )


@pytest.mark.parametrize(
    "text",
    [
        "We meet again in June.",
        "She said the June meeting moves to the 3rd.",
        "June 2025 works, and so does 3 June.",
        "From May to June the rota changes; by mid-June it settles.",
        "Will do. I hope so. Hope you are all well.",
        "Will proceed with the plan.",
        "With good grace, obviously.",
        "Sunny spells forecast.",
    ],
)
def test_words_and_months_are_kept(text: str, word_roster: CompiledRoster) -> None:
    assert redacted(text, word_roster) == text


def test_month_used_as_a_name_is_still_a_name(word_roster: CompiledRoster) -> None:
    assert redacted("I asked June's view and June said yes.", word_roster) == (
        "I asked [name]'s view and [name] said yes."
    )


def test_a_member_who_spoke_is_a_name_at_a_sentence_start(word_roster: CompiledRoster) -> None:
    line = "Heather please send it round."
    chat = f"[18:03] Heather Quarrie\nhello all\n[18:05] Grace Osei\n{line}\n"
    note = anonymise(chat, roster=word_roster, secret=b"t")
    at = chat.index(line)
    hit = [f for f in note.findings if f.start == at]
    assert hit and hit[0].detector == "roster-context" and hit[0].confidence < 0.8
    assert redacted(line, word_roster) == line  # Heather did not speak: the word stays


def test_doubtful_finds_are_flagged_for_review(word_roster: CompiledRoster) -> None:
    note = anonymise("Grace closed the meeting.", roster=word_roster, secret=b"t")
    assert [(f.detector, f.confidence) for f in note.findings] == [("roster-context", 0.65)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Welcome all! heather here from the trust", "Welcome all! [name] here from the trust"),
        ("sorry, it's hope from the carers group", "sorry, it's [name] from the carers group"),
        ("hi may yes. which one?", "hi [name] yes. which one?"),
        ("yes june it's the long one", "yes [name] it's the long one"),
        ("robin I'm in the car park", "[name] I'm in the car park"),
        ("go hope!!", "go [name]!!"),
        ("agree with rose.", "agree with [name]."),
        ("Agree with joy and will\nnext item", "Agree with [name] and [name]\nnext item"),
        ("In the chair: June\n\nMatters arising", "In the chair: [name]\n\nMatters arising"),
        ("1. Thank you to June for chairing.", "1. Thank you to [name] for chairing."),
        ("We voted. May disagreed: too long.", "We voted. [name] disagreed: too long."),
        (
            "Agreed; Hope drafts an easy-read version.",
            "Agreed; [name] drafts an easy-read version.",
        ),
    ],
)
def test_lower_case_chat_roll_calls_and_subjects(
    text: str, expected: str, word_roster: CompiledRoster
) -> None:
    assert redacted(text, word_roster) == expected


def test_members_who_spoke_are_addressed_in_lower_case(word_roster: CompiledRoster) -> None:
    chat = (
        "[18:00] Grace Osei\nwho keeps time?\n[18:00] Will Ashdown\nme\n[18:01] Joy Tremlett\n"
        "yes. grace you've got 10 mins, will 5\n[18:02] Rose Tindall\ngood luck. joy don't rush\n"
    )
    assert redacted(chat, word_roster).splitlines()[5:] == [
        "yes. [name] you've got 10 mins, [name] 5",
        "[18:02] [name]",
        "good luck. [name] don't rush",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("With joy and thanks,\nJoy", "With joy and thanks,\n[name]"),
        ("it's never sunny here.", "it's never sunny here."),
        (
            'From wash: "An aside." She keeps a list and will share it.',
            'From wash: "An aside." She keeps a list and will share it.',
        ),
        (
            "[18:00] Will Ashdown\nthanks. will do\n[18:01] Will Ashdown\nok will send it",
            "[18:00] [name]\nthanks. will do\n[18:01] [name]\nok will send it",
        ),
        (
            "[18:00] May Lindqvist\nthat may be. may the best win",
            "[18:00] [name]\nthat may be. may the best win",
        ),
        ("Thank you for the June update.", "Thank you for the June update."),
    ],
)
def test_ordinary_uses_stay(text: str, expected: str, word_roster: CompiledRoster) -> None:
    assert redacted(text, word_roster) == expected


def test_a_longer_key_does_not_hide_a_name(word_roster: CompiledRoster) -> None:
    # "joy t" (first name and initial) is a key; "Joy talked" must still find "Joy"
    assert redacted("Notes\n\nJoy talked us through it.", word_roster) == (
        "Notes\n\n[name] talked us through it."
    )


def test_a_quoted_nickname_inside_a_full_name_is_covered(word_roster: CompiledRoster) -> None:
    out = redacted('Cheers,\nSunny\n\nSunil "Sunny" Bhattacharjee\nPartner', word_roster)
    assert out == "Cheers,\n[name]\n\n[name]\nPartner"


def test_a_message_signed_with_a_members_initial(word_roster: CompiledRoster) -> None:
    text = "Will Ashdown wrote:\n> forwarded as promised. Good luck. W\nSee you. R"
    # W is the initial of a member named in this note; R of nobody here
    assert redacted(text, word_roster) == (
        "[name] wrote:\n> forwarded as promised. Good luck. [name]\nSee you. R"
    )


def test_members_who_spoke_as_subjects_labels_and_at_the_end(word_roster: CompiledRoster) -> None:
    chat = (
        "[18:00] Will Ashdown\nwill do the slides, then rose?\n[18:01] Rose Tindall\n"
        "sure. grace has the numbers\n[18:02] Grace Osei\nyes i did say that, will\n"
        "rose: agree. june is busy for me\n[18:03] June Harker\nok, the will was read\n"
    )
    assert redacted(chat, word_roster).splitlines() == [
        "[18:00] [name]",
        "will do the slides, then [name]?",
        "[18:01] [name]",
        "sure. [name] has the numbers",
        "[18:02] [name]",
        "yes i did say that, [name]",
        "[name]: agree. june is busy for me",
        "[18:03] [name]",
        "ok, the will was read",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chaired by May.", "Chaired by [name]."),
        ("Due by May.", "Due by May."),
        (
            "The report was written by June and Hope.",
            "The report was written by [name] and [name].",
        ),
        ("robin - can you check?", "[name] - can you check?"),
    ],
)
def test_by_whom_and_dashes(text: str, expected: str, word_roster: CompiledRoster) -> None:
    assert redacted(text, word_roster) == expected

"""Surveys: definitions, answers, CSV imports, tables and the report, with the store."""

from __future__ import annotations

import re
import sqlite3
from datetime import date
from pathlib import Path
from typing import cast

import pytest

from pspn_core.cli.app import App
from pspn_core.errors import (
    AdapterError,
    ConflictError,
    ForumUnavailable,
    InputError,
    OperationError,
)
from pspn_core.membership.model import Member
from pspn_core.notes.anonymiser import RosterEntry
from pspn_core.ports import Forum
from pspn_core.surveys import (
    Answer,
    Answers,
    QuestionKind,
    Survey,
    check_answers,
    hash_token,
    import_csv,
    new_token,
    parse_survey,
)
from pspn_core.surveys.report import build_report, render_html, render_markdown
from pspn_core.surveys.service import invite_members, respond
from pspn_core.surveys.tables import NOT_STATED, tabulate

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

SURVEY = """
[survey]
id = "role"
title = "The role"
network = "pspn"
opens = 2020-01-01
closes = 2099-12-31
threshold = 3

[[questions]]
id = "region"
kind = "breakdown"
dimension = "region"
text = "Region?"
options = ["North", "South"]

[[questions]]
id = "paid"
kind = "single"
text = "Paid?"
options = ["Yes", "No"]
required = true

[[questions]]
id = "groups"
kind = "multiple"
text = "Committees?"
options = ["Safety", "Quality", "Board"]

[[questions]]
id = "support"
kind = "scale"
text = "Supported?"
low_label = "Not at all"
high_label = "Very well"

[[questions]]
id = "better"
kind = "text"
text = "What would help?"
"""


def survey(text: str = SURVEY) -> Survey:
    return parse_survey(text, source="role.toml")


# -- definitions ----------------------------------------------------------------
def test_the_sample_survey_is_valid() -> None:
    sample = parse_survey((EXAMPLES / "survey-psp-role.toml").read_text(), source="sample")
    assert sample.breakdown is not None and sample.breakdown.dimension == "region"
    assert {q.kind for q in sample.questions} == set(QuestionKind)


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (('kind = "single"', 'kind = "single"\nextra = 1'), "questions[2].extra: unknown field"),
        (('options = ["Yes", "No"]', 'options = ["Yes"]'), "questions[2]: at least two options"),
        (("closes = 2099-12-31", "closes = 2019-12-31"), "survey: closes is before opens"),
        (("threshold = 3", "threshold = 0"), "survey.threshold:"),
        (('id = "role"', 'id = "Role Survey"'), "survey.id:"),
    ],
)
def test_errors_name_the_file_and_the_field(change: tuple[str, str], where: str) -> None:
    with pytest.raises(InputError) as caught:
        survey(SURVEY.replace(*change, 1))
    assert str(caught.value).startswith("role.toml: ")
    assert where.split(":")[0] in str(caught.value)
    assert where.split(": ", 1)[-1] in str(caught.value)


# -- answers and CSV --------------------------------------------------------------
def test_answers_are_checked_against_the_questions() -> None:
    s = survey()
    answers = check_answers(
        s, {"region": "north", "paid": "Yes", "groups": "Board; Safety;", "support": "4"}
    )
    assert answers == {
        "region": "North",
        "paid": "Yes",
        "groups": ("Safety", "Board"),
        "support": 4,
    }
    with pytest.raises(InputError, match="support: '9' is not a whole number from 1 to 5"):
        check_answers(s, {"paid": "No", "support": "9"})
    with pytest.raises(InputError, match="paid: an answer is required"):
        check_answers(s, {"region": "North"})


def test_csv_rows_that_do_not_fit_are_reported_by_row_number() -> None:
    text = (
        "Timestamp,Email,Region?,Paid?,Committees?,Supported?,What would help?\n"
        "1/1/27,a@example.org,North,Yes,Safety;Board;,5,More time\n"
        "1/1/27,b@example.org,East,Yes,,3,\n"
        "\n"
        "1/1/27,c@example.org,South,,Quality,2,\n"
        "1/1/27,d@example.org,South,No\n"
    )
    result = import_csv(survey(), text)
    assert result.responses == [
        {
            "region": "North",
            "paid": "Yes",
            "groups": ("Safety", "Board"),
            "support": 5,
            "better": "More time",
        }
    ]
    assert [(p.row, p.message.split(":")[0]) for p in result.problems] == [
        (3, "region"),
        (5, "paid"),
        (6, "has 4 cells; the header has 7"),
    ]
    assert "Email" not in result.mapping.values()


def test_columns_can_be_mapped_by_hand() -> None:
    text = "Q1,Q2\nNorth,No\n"
    result = import_csv(survey(), text, {"region": "Q1", "paid": "q2"})
    assert result.responses == [{"region": "North", "paid": "No"}]
    with pytest.raises(InputError, match="no column 'Q9'"):
        import_csv(survey(), text, {"region": "Q9"})


# -- tables -----------------------------------------------------------------------
def people(n: int, **answers: Answer) -> list[Answers]:
    return [dict(answers) for _ in range(n)]


def test_tables_agree_with_each_other_and_hide_small_counts() -> None:
    s = survey()
    responses = [
        *people(10, region="North", paid="Yes", groups=("Safety",), support=4),
        *people(2, region="North", paid="No", groups=("Safety", "Board"), support=2),
        *people(9, region="South", paid="Yes", groups=("Quality",), support=4),
        *people(8, region="South", paid="No", groups=("Safety", "Quality"), support=5),
        *people(2, paid="No", support=5),
    ]
    tables = {t.question.id: t for t in tabulate(s, responses)}
    region = tables["region"]
    assert region.categories == ("North", "South", NOT_STATED)
    # 2 did not say: hidden, and so is the smallest other group, or 31 - 12 - 17 gives it away.
    assert [str(region.figure(i)) for i in range(3)] == ["suppressed", "17 (55%)", "suppressed"]
    assert str(region.figure(None)) == "31"
    paid = tables["paid"]
    assert paid.groups == ("North", "South", NOT_STATED)
    # Group sizes are shown or hidden exactly as in the region table.
    assert [paid.figure(None, g).count for g in range(3)] == [None, 17, None]
    assert paid.figure(None).count == 31
    assert paid.figure(1, 0).count is None  # 2 North, unpaid
    for table in tables.values():
        for cell in table.protected.grid.cells:
            shown = table.protected.published(cell)
            assert shown is None or shown == 0 or shown > s.threshold
    groups = tables["groups"]
    assert groups.figure(0).count == 20  # Safety: 10 + 2 + 8
    # 29 answered (not the sum of choices), hidden: with South's 17 it would give North's 12.
    assert groups.figure(None).count is None
    assert groups.protected.grid.value((3, 2)) == 29
    assert tables["support"].labels[0] == "1: Not at all"


def test_free_text_is_anonymised_sorted_and_withheld_when_few_answered() -> None:
    s = survey()
    roster = [RosterEntry("Kit Marlowe", "kit_m", "Frimley Health NHS Foundation Trust")]
    said = ["Zoe needs time", "Ask Kit Marlowe about it", "Call 07700 900123", "More papers"]
    responses: list[Answers] = [{"paid": "Yes", "better": text} for text in said]
    report = build_report(s, responses, roster)
    comments = report.comments["better"]
    assert comments is not None and len(comments) == 4
    assert comments == sorted(comments)
    assert not any("Kit Marlowe" in c or "07700" in c for c in comments)
    few = build_report(s, responses[:3], roster)
    assert few.comments["better"] is None
    assert "written answers are withheld" in render_markdown(few)


def test_the_report_says_what_was_suppressed_and_shows_no_small_number() -> None:
    s = survey()
    responses = [
        *people(10, region="North", paid="Yes"),
        *people(1, region="North", paid="No"),
        *people(12, region="South", paid="No"),
    ]
    report = build_report(s, responses, [])
    markdown = render_markdown(report)
    assert "## What was suppressed and why" in markdown
    assert "no count from 1 to 3 is shown" in markdown
    assert "\u201cPaid?\u201d: suppressed" in markdown
    for row in re.findall(r"^\| (?!Answer).*$", markdown, flags=re.MULTILINE):
        for cell in row.strip("| ").split(" | ")[1:]:
            count = cell.split(" ")[0]
            assert count == "suppressed" or int(count) == 0 or int(count) > 3, row
    page = render_html(report, {"paid": "charts/paid.png"})
    assert '<img src="charts/paid.png"' in page and "<script" not in page


# -- the store: one response per link, none linked to a person -----------------------
def test_a_link_token_counts_once_and_the_response_names_nobody(app: App) -> None:
    s = survey()
    app.store.ensure_network("pspn", "PSPN")
    app.store.add_member(Member(network="pspn", username="kit_m", display_name="Kit Marlowe"))
    app.store.save_survey(s)
    token = "a-token-from-a-message"
    assert app.store.add_invitation(s.id, "kit_m", hash_token(token))
    assert not app.store.add_invitation(s.id, "KIT_M", hash_token("another"))
    respond(app.store, token, {"region": "North", "paid": "Yes"}, today=date(2027, 1, 5))
    with pytest.raises(OperationError, match="already been used"):
        respond(app.store, token, {"paid": "No"}, today=date(2027, 1, 5))
    with pytest.raises(OperationError, match="not valid"):
        respond(app.store, "made-up", {"paid": "No"}, today=date(2027, 1, 5))
    assert app.store.responses(s.id) == [{"region": "North", "paid": "Yes"}]
    assert app.store.token_counts(s.id) == (1, 1)
    db = sqlite3.connect(app.store.path)
    try:
        for table in ("survey_responses", "survey_tokens"):
            columns = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
            assert not columns & {"username", "member", "email", "created_at", "used_at"}
        dump = "\n".join(db.iterdump())
    finally:
        db.close()
    assert token not in dump


def test_a_survey_outside_its_dates_takes_no_link_response(app: App) -> None:
    s = survey(SURVEY.replace("closes = 2099-12-31", "closes = 2020-06-30"))
    app.store.ensure_network("pspn", "PSPN")
    app.store.add_member(Member(network="pspn", username="kit_m", display_name="Kit Marlowe"))
    app.store.save_survey(s)
    app.store.add_invitation(s.id, "kit_m", hash_token("late"))
    with pytest.raises(OperationError, match="open from 2020-01-01 to 2020-06-30"):
        respond(app.store, "late", {"paid": "No"}, today=date(2027, 1, 5))
    assert app.store.token_counts(s.id) == (1, 0)


def test_questions_cannot_change_once_responses_arrive(app: App) -> None:
    s = survey()
    app.store.ensure_network("pspn", "PSPN")
    assert app.store.save_survey(s)
    assert not app.store.save_survey(s)
    app.store.add_responses(s.id, [{"paid": "Yes"}], digest="one")
    with pytest.raises(OperationError, match="already been imported"):
        app.store.add_responses(s.id, [{"paid": "Yes"}], digest="one")
    changed = survey(SURVEY.replace('"Yes", "No"', '"Yes", "No", "Sometimes"'))
    with pytest.raises(OperationError, match="cannot change"):
        app.store.save_survey(changed)


def test_tokens_are_fresh_and_safe_to_type() -> None:
    tokens = {new_token() for _ in range(500)}
    assert len(tokens) == 500
    assert all(re.fullmatch(r"[0-9a-f]{40}", t) for t in tokens)
    assert hash_token(f" {next(iter(tokens))}\n") == hash_token(next(iter(tokens)))


class Messenger:
    """Just the part of a forum ``invite_members`` uses: fails as scripted, per member."""

    def __init__(self, failures: dict[str, AdapterError]) -> None:
        self.failures = failures
        self.delivered: list[str] = []

    def send_message(self, username: str, subject: str, body: str) -> str:
        failure = self.failures.pop(username, None)
        if failure is not None and failure.may_have_taken_effect:
            self.delivered.append(username)  # it went; only the answer was lost
        if failure is not None:
            raise failure
        self.delivered.append(username)
        return ""


def _invite(app: App, forum: Messenger) -> list[str]:
    return invite_members(
        app.store, cast(Forum, forum), survey(), today=date(2027, 1, 5), how_to_respond="{token}"
    )


def test_an_invitation_the_forum_refused_is_withdrawn_and_sent_on_the_rerun(app: App) -> None:
    app.store.ensure_network("pspn", "PSPN")
    for name in ("ada_l", "kit_m"):
        app.store.add_member(Member(network="pspn", username=name, display_name=name))
    app.store.save_survey(survey())
    forum = Messenger({"ada_l": ConflictError("refused", status=422)})
    with pytest.raises(ConflictError):
        _invite(app, forum)
    assert app.store.invited("role") == set()
    assert _invite(app, forum) == ["ada_l", "kit_m"]
    assert forum.delivered == ["ada_l", "kit_m"]


def test_an_invitation_that_may_have_gone_is_kept_and_never_sent_twice(app: App) -> None:
    """Issue 14 item 7: recorded once it may have happened; a rerun sends no second link."""
    app.store.ensure_network("pspn", "PSPN")
    for name in ("ada_l", "kit_m"):
        app.store.add_member(Member(network="pspn", username=name, display_name=name))
    app.store.save_survey(survey())
    forum = Messenger({"ada_l": ForumUnavailable("the answer was lost")})
    with pytest.raises(OperationError, match="may or may not have arrived"):
        _invite(app, forum)
    assert app.store.invited("role") == {"ada_l"}
    assert _invite(app, forum) == ["kit_m"]
    assert forum.delivered == ["ada_l", "kit_m"]

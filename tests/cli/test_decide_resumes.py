"""``members decide`` is a resumable workflow (issue 15, items 2 and 12).

Killed before any of its SQL statements, a rerun of the same decision leaves
the person admitted, in the forum group and on the roster once, with one
welcome at most (and a warning when the first run stopped while sending it);
bad input and contradictory flags are refused before anything is done.
"""

from __future__ import annotations

import shutil
from functools import partial
from pathlib import Path

import pytest

from pspn_adapters.local import LocalHub
from pspn_core.plugins import Plugins
from tests.cli.test_membership import ELIGIBLE, store_rows
from tests.conftest import Cli
from tests.killpoints import count_statements, killed_before

ADMIT = ("members", "decide", "1", "--admit", "--by", "Sam", "--reason", "eligible")


def _forum_state(hub_dir: Path) -> tuple[list[str], int]:
    local = LocalHub(hub_dir / "pspn-data" / "pspn.db")
    try:
        return local.group_members("psp-network"), len(local.messages("kit_m"))
    finally:
        local.close()


@pytest.fixture
def template(run: Cli, hub_dir: Path) -> Path:
    assert run("networks", "setup").exit_code == 0
    assert run("members", "apply", "kit_m", "--name", "Kit Marlowe", *ELIGIBLE).exit_code == 0
    return hub_dir


def test_a_decision_killed_before_any_statement_is_finished_by_a_rerun(
    template: Path, plugins: Plugins, tmp_path: Path
) -> None:
    def admit(hub_dir: Path) -> None:
        result = Cli(plugins, hub_dir / "pspn.toml")(*ADMIT)
        assert result.exit_code == 0, result.output

    scratch = tmp_path / "count"
    shutil.copytree(template, scratch)
    statements = count_statements(lambda: admit(scratch))
    assert statements > 10
    for point in range(1, statements + 1):
        hub_dir = tmp_path / f"kill-{point}"
        shutil.copytree(template, hub_dir)
        run = Cli(plugins, hub_dir / "pspn.toml")
        killed = killed_before(partial(admit, hub_dir), point)
        rerun = run(*ADMIT)
        if rerun.exit_code != 0 or not killed:  # the first run had finished the decision
            assert "already decided" in rerun.output, (point, rerun.output)
        members = [m["username"] for m in _json(run("members", "list", "--format", "json"))]
        group, welcomes = _forum_state(hub_dir)
        status = _json(run("members", "applications", "--all", "--no-fetch", "--format", "json"))
        assert (point, members, group, status[0]["status"]) == (
            point,
            ["kit_m"],
            ["kit_m"],
            "admitted",
        )
        assert welcomes <= 1, point
        if welcomes == 0:
            assert "check that it arrived" in rerun.output, (point, rerun.output)
        assert run(*ADMIT).exit_code == 1  # and now it is decided, once
        shutil.rmtree(hub_dir)


def _json(result: object) -> list[dict[str, object]]:
    import json

    output = result.output  # type: ignore[attr-defined]
    data: list[dict[str, object]] = json.loads(output)
    return data


@pytest.mark.parametrize(
    "flags",
    [
        ("--admit", "--decline"),
        ("--admit", "--ask", "Which trust?"),
        ("--decline", "--ask", "Which trust?"),
        (),
    ],
)
def test_contradictory_or_missing_flags_are_a_usage_error(
    template: Path, run: Cli, flags: tuple[str, ...]
) -> None:
    before = store_rows(template)
    result = run("members", "decide", "1", *flags, "--by", "Sam", "--reason", "ok")
    assert result.exit_code == 2, result.output
    assert "one of --admit, --decline or --ask" in result.output
    assert store_rows(template) == before
    assert _forum_state(template) == ([], 0)


def test_a_name_too_long_or_with_control_characters_is_refused_on_apply(run: Cli) -> None:
    assert run("networks", "setup").exit_code == 0
    for name in ("K" * 300, "Kit\nMarlowe", "Kit\x1bMarlowe"):
        result = run("members", "apply", "kit_m", "--name", name, *ELIGIBLE)
        assert result.exit_code == 2, result.output
        assert "display_name" in result.output
    listed = run("members", "applications", "--no-fetch", "--format", "json")
    assert _json(listed) == []


def test_an_application_that_cannot_become_a_member_changes_nothing_on_the_forum(
    template: Path, run: Cli
) -> None:
    import sqlite3

    # As a forum's join request may carry it: an answer with a line break in it.
    answers = '{"role": "Patient Safety Partner", "organisation": "Royal\\nBerkshire"}'
    with sqlite3.connect(template / "pspn-data" / "pspn.db") as conn:
        conn.execute("UPDATE applications SET answers = ?", (answers,))
    result = run(*ADMIT)
    assert result.exit_code == 2
    assert "cannot become a member" in result.output
    assert _forum_state(template) == ([], 0)
    assert run("members", "list", "--format", "json").output.strip() == "[]"


def test_two_decisions_cannot_start_on_one_application(template: Path) -> None:
    from datetime import UTC, datetime

    from pspn_core.errors import OperationError
    from pspn_core.membership.model import Decision, Outcome
    from pspn_core.store import SqliteStore

    store = SqliteStore(template / "pspn-data")
    try:
        decision = Decision(
            application_id=1,
            outcome=Outcome.ADMIT,
            by="Sam",
            reason="eligible",
            decided_at=datetime(2027, 1, 5, tzinfo=UTC),
        )
        store.start_decision(decision)
        with pytest.raises(OperationError, match="being decided by another command"):
            store.start_decision(decision.model_copy(update={"outcome": Outcome.DECLINE}))
        run = store.decision_run(1)
        assert run is not None and run.decision.outcome is Outcome.ADMIT
    finally:
        store.close()

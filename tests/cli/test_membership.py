"""Joining through the CLI on the embedded forum: apply, decide, sync, export, erase."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from pspn_adapters.local import LocalHub
from tests.conftest import Cli

ELIGIBLE = ("--answer", "role=Patient Safety Partner", "--answer", "organisation=RR8")


@pytest.fixture
def hub(run: Cli) -> Cli:
    assert run("networks", "setup").exit_code == 0
    return run


@pytest.fixture
def forum(hub_dir: Path) -> Iterator[LocalHub]:
    local = LocalHub(hub_dir / "pspn-data" / "pspn.db")
    yield local
    local.close()


def applications(run: Cli, *extra: str) -> list[dict[str, object]]:
    result = run("members", "applications", "--format", "json", *extra)
    assert result.exit_code == 0, result.output
    data: list[dict[str, object]] = json.loads(result.output)
    return data


def store_rows(hub_dir: Path) -> list[str]:
    """Every line of the store's own tables (the embedded forum's ``lf_`` tables left out)."""
    conn = sqlite3.connect(hub_dir / "pspn-data" / "pspn.db")
    try:
        return [line for line in conn.iterdump() if not line.startswith('INSERT INTO "lf_')]
    finally:
        conn.close()


def test_the_whole_workflow(hub: Cli, forum: LocalHub) -> None:
    applied = hub("members", "apply", "kit_m", "--name", "Kit Marlowe", *ELIGIBLE)
    assert applied.exit_code == 0
    assert applied.output == "Recorded application 1 from kit_m to pspn.\n"
    forum.create_user("lou_b", "Lou Brand")
    forum.request_join("psp-network", "lou_b", "I am a PSP in Leeds")

    listed = hub("members", "applications")
    assert "1 new join request(s) from the forum." in listed.output
    assert "all rules pass" in listed.output and "no answer to: role, organisation" in listed.output
    advice = {a["username"]: a["advice"] for a in applications(hub)}
    assert advice == {"kit_m": "pass", "lou_b": "fail"}

    admitted = hub("members", "decide", "1", "--admit", "--by", "Sam", "--reason", "eligible")
    assert admitted.exit_code == 0 and admitted.output == "Admitted kit_m to pspn.\n"
    asked = hub("members", "decide", "2", "--ask", "Which trust are you with?", "--by", "Sam")
    assert asked.exit_code == 0
    assert forum.messages("lou_b")[0].body == "Which trust are you with?"
    declined = hub("members", "decide", "2", "--decline", "--by", "Sam", "--reason", "no reply")
    assert declined.exit_code == 0

    assert forum.group_members("psp-network") == ["kit_m"]
    assert "kit_m" in hub("members", "list").output
    assert forum.messages("kit_m")[0].subject.startswith("Welcome to")
    assert applications(hub) == []
    assert [a["status"] for a in applications(hub, "--all")] == ["admitted", "declined"]


def test_sync_lists_the_difference_and_apply_fixes_the_store(hub: Cli, forum: LocalHub) -> None:
    hub("members", "add", "ada_l", "--name", "Ada Lovelock")
    hub("members", "add", "cleo_w", "--name", "Cleo Wainwright")
    forum.create_user("bram_s", "Bram Stokeley")
    group = forum.group_id("psp-network")
    with forum.conn:
        forum.conn.execute(
            "INSERT INTO lf_group_members (group_id, user_id) VALUES (?, ?)",
            (group, forum.user_id("bram_s")),
        )
        forum.conn.execute(
            "DELETE FROM lf_group_members WHERE user_id = ?", (forum.user_id("cleo_w"),)
        )
    looked = hub("members", "sync")
    assert "in the forum group, not on the roster: bram_s" in looked.output
    assert "on the roster, not in the forum group: cleo_w" in looked.output
    assert "1 in both, 1 only on the forum, 1 only on the roster." in looked.output
    assert "Nothing changed" in looked.output
    applied = hub("members", "sync", "--apply")
    assert "Added 1 to the roster, removed 1 from the roster, removed 0" in applied.output
    assert forum.group_members("psp-network") == ["ada_l", "bram_s"]
    assert "0 only on the forum, 0 only on the roster" in hub("members", "sync").output


def test_remove_from_forum_needs_apply(hub: Cli) -> None:
    result = hub("members", "sync", "--remove-from-forum")
    assert result.exit_code == 1 and "needs --apply" in result.output


def test_export_writes_json_and_erase_removes_the_person(
    hub: Cli, forum: LocalHub, hub_dir: Path, tmp_path: Path
) -> None:
    hub(
        "members",
        "apply",
        "zeb_q",
        "--name",
        "Zebedee Quillfeather",
        "--email",
        "zeb.q@example.nhs.uk",
        *ELIGIBLE,
    )
    hub("members", "decide", "1", "--admit", "--by", "Sam", "--reason", "eligible")
    hub("members", "volunteer", "zeb_q")
    out = tmp_path / "zeb.json"
    assert hub("members", "export", "zeb_q", "--output", str(out)).exit_code == 0
    data = json.loads(out.read_text())
    assert data["member"]["display_name"] == "Zebedee Quillfeather"
    assert data["applications"][0]["email"] == "zeb.q@example.nhs.uk"
    assert json.loads(hub("members", "export", "zeb_q").output)["username"] == "zeb_q"

    refused = hub("members", "erase", "zeb_q", input="n\n")
    assert refused.exit_code == 1 and "zeb_q" in hub("members", "list").output
    erased = hub("members", "erase", "zeb_q", "--by", "DPO", "--yes")
    assert erased.exit_code == 0, erased.output
    assert "Erased zeb_q from pspn (applications 1, memberships 1" in erased.output
    dump = "\n".join(store_rows(hub_dir))
    assert "Zebedee" not in dump and "zeb_q" not in dump and "zeb.q@" not in dump
    assert "member.erased" in dump
    assert forum.group_members("psp-network") == []


# -- bad input: a clear message, exit status 1, nothing changed ------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("members", "export", "nobody"), "nothing is held about 'nobody' in pspn"),
        (("members", "erase", "nobody", "--yes"), "nothing is held about 'nobody' in pspn"),
        (
            ("members", "decide", "7", "--admit", "--by", "Sam", "--reason", "ok"),
            "there is no application 7",
        ),
        (
            ("members", "apply", "kit_m", "--answer", "organisation=Leeds Teaching Hospital"),
            "'Leeds Teaching Hospital' is not in the bundled nhs_organisations.csv; did you mean: "
            "Leeds Teaching Hospitals NHS Trust",
        ),
        (("members", "apply", "kit_m", "--answer", "shoe_size=9"), "unknown answer(s) shoe_size"),
        (("members", "apply", "kit_m", "--answer", "role"), "is not KEY=TEXT"),
        (("members", "apply", "@kit_m"), "is not a forum username"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(
    hub: Cli, hub_dir: Path, args: tuple[str, ...], message: str
) -> None:
    hub("members", "apply", "ada_l", "--name", "Ada Lovelock", *ELIGIBLE)
    before = store_rows(hub_dir)
    result = hub(*args)
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert store_rows(hub_dir) == before


def test_a_duplicate_application_is_refused(hub: Cli, hub_dir: Path) -> None:
    hub("members", "apply", "kit_m", *ELIGIBLE)
    before = store_rows(hub_dir)
    result = hub("members", "apply", "kit_m", "--name", "Kit Marlowe", *ELIGIBLE)
    assert result.exit_code == 1
    assert "kit_m already has an open application to pspn (number 1)" in result.output
    assert store_rows(hub_dir) == before


def test_a_decision_on_a_decided_application_is_refused(
    hub: Cli, hub_dir: Path, forum: LocalHub
) -> None:
    hub("members", "apply", "kit_m", *ELIGIBLE)
    hub("members", "decide", "1", "--admit", "--by", "Sam", "--reason", "eligible")
    before = (store_rows(hub_dir), forum.messages("kit_m"))
    result = hub("members", "decide", "1", "--decline", "--by", "Sam", "--reason", "changed mind")
    assert result.exit_code == 1
    assert "application 1 was already decided (admitted); nothing changed" in result.output
    assert (store_rows(hub_dir), forum.messages("kit_m")) == before


def test_an_operator_list_of_organisations_is_used(hub: Cli, hub_dir: Path) -> None:
    (hub_dir / "orgs.csv").write_text("ods_code,name\nRZZ,Newtown NHS Trust\n")
    config = hub_dir / "pspn.toml"
    config.write_text(
        config.read_text() + '\n[networks.pspn.membership]\norganisations = "orgs.csv"\n'
    )
    assert (
        hub(
            "members",
            "apply",
            "kit_m",
            "--answer",
            "organisation=newtown nhs trust",
            "--answer",
            "role=Patient Safety Partner",
        ).exit_code
        == 0
    )
    refused = hub("members", "apply", "lou_b", *ELIGIBLE)
    assert refused.exit_code == 1 and "orgs.csv" in refused.output

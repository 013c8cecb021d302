"""``--dry-run`` on every forum write: it says what would be sent, and nothing changes.

On the embedded forum the forum's tables and pspn's live in the same database,
so one dump of it shows both: the dump is the same after a dry run, and not
after the real command.
"""

from __future__ import annotations

import inspect
import json
import re
import sqlite3
from pathlib import Path

import pytest

from pspn_adapters.local import LocalForum, LocalHub, LocalNetworkSettings
from pspn_core.cli.dry_run import RecordingForum
from pspn_core.errors import AdapterNotFound
from pspn_core.ports import Forum, Post, Provisionable, SetupCheckable
from tests.conftest import Cli

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ELIGIBLE = ("--answer", "role=Patient Safety Partner", "--answer", "organisation=RHW")


def dump(hub_dir: Path) -> list[str]:
    conn = sqlite3.connect(hub_dir / "pspn-data" / "pspn.db")
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def hub(run: Cli, hub_dir: Path) -> Cli:
    """A set-up hub with members, an open application, an approved note, meetings, a survey."""
    assert run("networks", "setup").exit_code == 0
    for username, name in (("ada_l", "Ada Lovelock"), ("bram_s", "Bram Stokeley")):
        assert run("members", "add", username, "--name", name).exit_code == 0
    assert run("members", "apply", "kit_m", "--name", "Kit Marlowe", *ELIGIBLE).exit_code == 0
    assert run("members", "volunteer", "ada_l").exit_code == 0
    assert run("meetings", "plan", "--from", "2031-01-01", "--months", "3").exit_code == 0
    assert run("keys", "init").exit_code == 0
    (hub_dir / "raw.txt").write_text("Ada asked about PSIRF. Bram agreed.\n")
    assert run("notes", "add", str(hub_dir / "raw.txt"), "--quiet").output.strip() == "1"
    assert run("notes", "approve", "1", "--by", "Sam").exit_code == 0
    text = (EXAMPLES / "survey-psp-role.toml").read_text()
    (hub_dir / "survey.toml").write_text(re.sub(r"closes = \S+", "closes = 2099-12-31", text))
    assert run("surveys", "create", str(hub_dir / "survey.toml")).exit_code == 0
    csv = str(EXAMPLES / "survey-responses.csv")
    assert run("surveys", "import", "psp-role-2027", csv, "--skip-bad-rows").exit_code == 0
    return run


WRITES = [
    (("meetings", "publish"), "would create an event in the calendar", "Would publish 3 meeting"),
    (
        ("notes", "publish", "1"),
        "would post 'Patient Safety Partners Network: notes",
        "Would publish note 1",
    ),
    (
        ("members", "decide", "1", "--admit", "--by", "Sam", "--reason", "eligible"),
        "would send kit_m the message 'Welcome",
        "Would admit kit_m to pspn.",
    ),
    (
        ("surveys", "invite", "psp-role-2027"),
        "would send ada_l the message 'Survey:",
        "Would send 2",
    ),
    (
        ("surveys", "publish", "psp-role-2027"),
        "would post 'Survey results:",
        "Would publish survey",
    ),
    (("networks", "setup"), "would create the network's group", "recorded network"),
]


@pytest.mark.parametrize(
    ("args", "would", "summary"), WRITES, ids=[" ".join(args[:2]) for args, _, _ in WRITES]
)
def test_a_dry_run_says_what_would_be_sent_and_changes_nothing(
    hub: Cli, hub_dir: Path, args: tuple[str, ...], would: str, summary: str
) -> None:
    if args == ("networks", "setup"):  # a second network, not yet set up
        config = hub_dir / "pspn.toml"
        extra = (
            '\n[networks.other]\nname = "Other"\n[networks.other.forum]\n'
            'group = "other"\nnotes_area = "Other notes"\ncalendar = "Other meetings"\n'
        )
        config.write_text(config.read_text() + extra)
        args = (*args, "--network", "other")
    before = dump(hub_dir)
    dry = hub(*args, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert would in dry.output and summary in dry.output
    assert dry.output.startswith("Dry run:")
    assert "nothing was sent to the forum and nothing was stored" in dry.output
    assert dump(hub_dir) == before
    real = hub(*args)
    assert real.exit_code == 0, real.output
    assert "would" not in real.output.lower()
    assert dump(hub_dir) != before


def test_a_dry_run_refuses_what_the_real_run_refuses(hub: Cli, hub_dir: Path) -> None:
    hub("members", "decide", "1", "--admit", "--by", "Sam", "--reason", "eligible")
    before = dump(hub_dir)
    again = hub("members", "decide", "1", "--decline", "--by", "Sam", "--reason", "x", "--dry-run")
    assert again.exit_code == 1 and "already decided" in again.output
    assert dump(hub_dir) == before


def test_a_dry_run_sends_no_message_to_anyone(hub: Cli, hub_dir: Path) -> None:
    hub("surveys", "invite", "psp-role-2027", "--dry-run")
    forum = LocalHub(hub_dir / "pspn-data" / "pspn.db")
    try:
        assert forum.messages("ada_l") == [] and forum.messages("bram_s") == []
    finally:
        forum.close()
    real = hub("surveys", "invite", "psp-role-2027")
    assert "Sent 2 single-use link(s)" in real.output


@pytest.mark.parametrize(
    "args",
    [
        ("topics", "raise", "PSIRF engagement", "--quiet"),
        ("notes", "add", "{hub}/raw.txt", "--quiet"),
        ("members", "apply", "lou_b", *ELIGIBLE, "--quiet"),
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_quiet_prints_only_the_id(hub: Cli, hub_dir: Path, args: tuple[str, ...]) -> None:
    result = hub(*(a.format(hub=hub_dir) for a in args))
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"[1-9]\d*\n", result.output)


def test_the_quiet_id_is_the_one_stored(hub: Cli) -> None:
    hub("topics", "raise", "Martha's Rule")
    quiet = hub("topics", "raise", "PSIRF engagement", "--quiet")
    listed = json.loads(hub("topics", "list", "--format", "json").output)
    assert {t["title"]: t["id"] for t in listed}["PSIRF engagement"] == int(quiet.output)


def test_without_quiet_the_id_is_in_one_sentence(hub: Cli) -> None:
    raised = hub("topics", "raise", "PSIRF engagement")
    assert raised.output == "Raised topic 1: PSIRF engagement\n"


def test_the_recording_forum_has_the_capabilities_of_the_real_one(hub_dir: Path) -> None:
    hub = LocalHub(hub_dir / "pspn-data" / "pspn.db")
    try:
        settings = LocalNetworkSettings(group="g", notes_area="n", calendar="c")
        lines: list[str] = []
        forum = RecordingForum(LocalForum(hub, settings), lines.append)
        assert isinstance(forum, Forum) and isinstance(forum, Provisionable)
        assert not isinstance(forum, SetupCheckable)  # the local forum cannot check its setup
        assert inspect.getattr_static(forum, "publish_post")  # seen without __getattr__ too
        assert forum.publish_post(Post("k", "Notes of March", "text")) == "(dry run)"
        assert forum.provision() == []
        assert lines == [
            "post 'Notes of March' (4 characters)",
            "create the network's group, private notes area and calendar where missing",
        ]
        with pytest.raises(AdapterNotFound, match="no group 'g'"):  # none was made
            hub.group_members("g")
    finally:
        hub.close()

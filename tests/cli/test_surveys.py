"""Surveys through the CLI on the embedded forum: import, invite, respond, report, publish."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from pspn_adapters.local import LocalHub
from tests.conftest import Cli

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
AREA = "PSPN meeting notes"
MEMBERS = (("ada_l", "Ada Lovelock"), ("bram_s", "Bram Stokeley"), ("cleo_w", "Cleo Wainwright"))


@pytest.fixture
def hub(run: Cli, hub_dir: Path) -> Cli:
    """The example hub with three members and the sample survey, kept open for the tests."""
    assert run("networks", "setup").exit_code == 0
    for username, name in MEMBERS:
        assert run("members", "add", username, "--name", name).exit_code == 0
    text = (EXAMPLES / "survey-psp-role.toml").read_text()
    text = re.sub(r"closes = \S+", "closes = 2099-12-31", text)
    (hub_dir / "survey.toml").write_text(text)
    created = run("surveys", "create", str(hub_dir / "survey.toml"))
    assert created.exit_code == 0, created.output
    return run


def local_hub(hub_dir: Path) -> LocalHub:
    return LocalHub(hub_dir / "pspn-data" / "pspn.db")


def test_import_refuses_bad_rows_unless_told_and_never_twice(hub: Cli, hub_dir: Path) -> None:
    csv_file = str(EXAMPLES / "survey-responses.csv")
    refused = hub("surveys", "import", "psp-role-2027", csv_file)
    assert refused.exit_code == 2
    assert "row 92: region: 'Wales'" in refused.output and "row 93: support" in refused.output
    assert "nothing was imported" in refused.output
    assert "fix them, or pass --skip-bad-rows to import the rest" in refused.output
    done = hub("surveys", "import", "psp-role-2027", csv_file, "--skip-bad-rows")
    assert done.exit_code == 0, done.output
    assert "Imported 90 responses" in done.output
    again = hub("surveys", "import", "psp-role-2027", csv_file, "--skip-bad-rows")
    assert again.exit_code == 1 and "already been imported" in again.output
    listed = json.loads(hub("surveys", "list", "--format", "json").output)
    assert listed[0]["responses"] == 90


def test_columns_mapped_by_file_or_option(hub: Cli, hub_dir: Path) -> None:
    (hub_dir / "form.csv").write_text("Where,How,Extra\nLondon,Volunteer agreement,x\n")
    (hub_dir / "map.toml").write_text('[columns]\nregion = "Where"\n')
    result = hub(
        "surveys",
        "import",
        "psp-role-2027",
        str(hub_dir / "form.csv"),
        "--map",
        str(hub_dir / "map.toml"),
        "--column",
        "engagement=How",
    )
    assert result.exit_code == 0, result.output
    assert "Imported 1 responses" in result.output
    bad = hub(
        "surveys", "import", "psp-role-2027", str(hub_dir / "form.csv"), "--column", "engagement"
    )
    assert bad.exit_code == 2 and "QUESTION=COLUMN" in bad.output


def test_invite_sends_one_link_each_and_a_link_answers_once(hub: Cli, hub_dir: Path) -> None:
    sent = hub("surveys", "invite", "psp-role-2027")
    assert sent.exit_code == 0, sent.output
    assert "Sent 3 single-use link(s)" in sent.output
    assert "Sent 0" in hub("surveys", "invite", "psp-role-2027", "--network", "pspn").output
    forum = local_hub(hub_dir)
    try:
        messages = [m for username, _ in MEMBERS for m in forum.messages(username)]
    finally:
        forum.close()
    assert len(messages) == 3
    tokens = [re.search(r"respond (\S+)", m.body).group(1) for m in messages]  # type: ignore[union-attr]
    assert len(set(tokens)) == 3
    answered = hub(
        "surveys",
        "respond",
        tokens[0],
        "--answer",
        "region=London",
        "--answer",
        "engagement=Sessional contract",
        "--answer",
        "committees=Quality committee;Incident review panel",
    )
    assert answered.exit_code == 0, answered.output
    assert "no link to you" in answered.output
    twice = hub("surveys", "respond", tokens[0], "--answer", "engagement=Sessional contract")
    assert twice.exit_code == 1 and "already been used" in twice.output
    (hub_dir / "answers.toml").write_text(
        'engagement = "Volunteer agreement"\ncommittees = ["None yet"]\nsupport = 2\n'
    )
    from_file = hub("surveys", "respond", tokens[1], "--answers", str(hub_dir / "answers.toml"))
    assert from_file.exit_code == 0, from_file.output
    missing = hub("surveys", "respond", tokens[2], "--answer", "region=London")
    assert missing.exit_code == 2 and "engagement: an answer is required" in missing.output
    listed = json.loads(hub("surveys", "list", "--format", "json").output)[0]
    assert (listed["responses"], listed["links_issued"], listed["links_used"]) == (2, 3, 2)
    # The embedded forum keeps its messages in the same file (lf_ tables); pspn's own
    # tables hold no token.
    with sqlite3.connect(hub_dir / "pspn-data" / "pspn.db") as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            if table.startswith("lf_"):
                continue
            rows = repr(db.execute(f"SELECT * FROM {table}").fetchall())  # noqa: S608
            assert not any(token in rows for token in tokens), table
    db.close()


def test_report_writes_markdown_html_and_a_png_per_question(hub: Cli, hub_dir: Path) -> None:
    hub(
        "surveys",
        "import",
        "psp-role-2027",
        str(EXAMPLES / "survey-responses.csv"),
        "--skip-bad-rows",
    )
    out = hub_dir / "report"
    result = hub("surveys", "report", "psp-role-2027", "--out", str(out))
    assert result.exit_code == 0, result.output
    charts = sorted(p.name for p in (out / "charts").iterdir())
    assert charts == sorted(
        f"{q}.png"
        for q in (
            "region",
            "org_type",
            "engagement",
            "committees",
            "paid",
            "support",
            "support_kinds",
        )
    )
    for chart in (out / "charts").iterdir():
        assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    markdown = (out / "report.md").read_text()
    assert "![Which kinds of support do you have?](charts/support_kinds.png)" in markdown
    assert "What was suppressed and why" in markdown
    assert "Stokeley" not in markdown and "07700" not in markdown
    assert "[name] and I started a buddy scheme" in markdown
    assert "<h2>What was suppressed and why</h2>" in (out / "report.html").read_text()


def test_publish_once_to_the_private_area_only(hub: Cli, hub_dir: Path) -> None:
    hub(
        "surveys",
        "import",
        "psp-role-2027",
        str(EXAMPLES / "survey-responses.csv"),
        "--skip-bad-rows",
    )
    forum = local_hub(hub_dir)
    try:
        forum.execute("UPDATE lf_areas SET visibility = 'public' WHERE name = ?", (AREA,))
        refused = hub("surveys", "publish", "psp-role-2027")
        assert refused.exit_code == 1
        assert "refusing to publish" in refused.output and "Nothing was posted" in refused.output
        assert forum.posts(AREA) == []
        forum.execute("UPDATE lf_areas SET visibility = 'private' WHERE name = ?", (AREA,))
        first = hub("surveys", "publish", "psp-role-2027")
        assert first.exit_code == 0, first.output
        again = hub("surveys", "publish", "psp-role-2027")
        assert "already published" in again.output
        # A crash after posting but before recording: the rerun finds the post by its key.
        forum.execute("UPDATE surveys SET forum_post_id = NULL, published_digest = NULL")
        assert hub("surveys", "publish", "psp-role-2027").exit_code == 0
        posts = forum.posts(AREA)
    finally:
        forum.close()
    assert [p.key for p in posts] == ["pspn-survey-psp-role-2027"]
    assert "What was suppressed and why" in posts[0].body
    assert "![" not in posts[0].body


def test_demo_publishes_the_sample_survey(tmp_path: Path, run: Cli) -> None:
    result = run("demo", str(tmp_path / "demo"))
    assert result.exit_code == 0, result.output
    assert "imported 90 responses" in result.output
    assert (tmp_path / "demo" / "survey-report" / "report.html").exists()
    forum = local_hub(tmp_path / "demo")
    try:
        keys = [p.key for p in forum.posts(AREA)]
    finally:
        forum.close()
    assert "pspn-survey-psp-role-2027" in keys


def test_help_for_every_surveys_command(run: Cli) -> None:
    for command in ("create", "list", "import", "invite", "respond", "report", "publish"):
        result = run("surveys", command, "--help")
        assert result.exit_code == 0 and "Usage:" in result.output, command

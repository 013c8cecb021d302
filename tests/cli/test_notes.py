"""The notes workflow on the embedded forum: nothing raw in plaintext, nothing lost,
published only to a verified private area, exactly once."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from pspn_adapters.local import LocalHub
from pspn_core import hookimpl
from pspn_core.plugins import Plugins, make_plugin_manager
from tests.conftest import Cli

ROOT = Path(__file__).resolve().parents[2]

# Planted values that appear only in the note (not on the roster): each must be redacted,
# so none may appear anywhere on disk, or in any output, in plaintext.
PLANTED = ["Zephyrine Quockett", "quillon.av@example.nhs.uk", "07700 900461", "999 032 3416"]
RAW = f"""PSP network meeting
Present: Quillon Abernathy-Vexworth, Ada Lovelock

- Quillon said Mrs {PLANTED[0]} on the ward called him on {PLANTED[2]} about the complaint.
- Patient NHS number {PLANTED[3]} was mentioned by mistake; removed.
- Contact {PLANTED[1]} for the pack.
"""


@pytest.fixture
def hub(run: Cli, hub_dir: Path) -> Cli:
    run("networks", "setup")
    run("members", "add", "quillon_av", "--name", "Quillon Abernathy-Vexworth")
    run("members", "add", "ada_l", "--name", "Ada Lovelock")
    assert run("keys", "init").exit_code == 0
    (hub_dir / "raw.txt").write_text(RAW)
    return run


def add(run: Cli, hub_dir: Path) -> int:
    result = run("notes", "add", str(hub_dir / "raw.txt"), "--by", "note-taker", "--quiet")
    assert result.exit_code == 0, result.output
    return int(result.output)


def posts(hub_dir: Path) -> list[tuple[str, str]]:
    local = LocalHub(hub_dir / "pspn-data" / "pspn.db")
    try:
        return [(p.key, p.body) for p in local.posts("PSPN meeting notes")]
    finally:
        local.close()


def raw_present(hub_dir: Path, note_id: int) -> bool:
    with sqlite3.connect(hub_dir / "pspn-data" / "pspn.db") as conn:
        row = conn.execute("SELECT raw_ciphertext FROM notes WHERE id = ?", (note_id,)).fetchone()
    return row[0] is not None


def test_commands_that_need_a_key_say_how_to_make_one(run: Cli, hub_dir: Path) -> None:
    run("networks", "setup")
    (hub_dir / "raw.txt").write_text(RAW)
    result = run("notes", "add", str(hub_dir / "raw.txt"))
    assert result.exit_code == 1
    assert "pspn keys init" in result.output


def test_the_key_file_is_private_and_never_overwritten(hub: Cli, hub_dir: Path) -> None:
    key = hub_dir / "pspn-data" / "pspn.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    before = key.read_bytes()
    again = hub("keys", "init")
    assert again.exit_code == 1 and "never overwrites" in again.output
    assert key.read_bytes() == before
    key.chmod(0o644)
    result = hub("keys", "status")
    assert result.exit_code == 1 and "chmod 600" in result.output


def test_nothing_raw_is_written_in_plaintext(hub: Cli, hub_dir: Path) -> None:
    outputs = [add(hub, hub_dir)]
    outputs.append(hub("notes", "review", "1").output)
    outputs.append(hub("notes", "approve", "1", "--by", "chair").output)
    outputs.append(hub("notes", "publish", "1").output)
    outputs.append(hub("notes", "list", "--format", "json").output)
    outputs.append(hub("notes", "show", "1").output)
    outputs.append(hub("notes", "history", "1").output)
    text = "\n".join(str(o) for o in outputs)
    files = [p for p in (hub_dir / "pspn-data").rglob("*") if p.is_file()]
    assert files
    for value in PLANTED:
        digits = value.replace(" ", "")
        assert value not in text and value.lower() not in text.lower()
        for path in files:
            data = path.read_bytes()
            assert value.encode() not in data, (value, path.name)
            if digits.isdigit():
                assert digits.encode() not in data, (value, path.name)
    body = posts(hub_dir)[0][1]
    assert "[name]" in body and "[email]" in body and "[phone]" in body
    assert "Quillon" not in body


def test_add_quiet_prints_the_id_and_review_marks_every_redaction(hub: Cli, hub_dir: Path) -> None:
    note_id = add(hub, hub_dir)
    review = hub("notes", "review", str(note_id))
    assert review.exit_code == 0
    assert "«1:" in review.output and "[email]»" in review.output
    assert "Quillon" not in review.output  # originals only with --show-originals
    shown = hub("notes", "review", str(note_id), "--show-originals")
    assert "Quillon" in shown.output


def test_review_changes_are_recorded_and_change_the_text(hub: Cli, hub_dir: Path) -> None:
    note_id = add(hub, hub_dir)
    more = hub(
        "notes",
        "review",
        str(note_id),
        "--redact",
        "the pack",
        "--label",
        "LOCATION",
        "--by",
        "reviewer",
    )
    assert "Redacted 1 more" in more.output
    assert "the pack" not in hub("notes", "show", str(note_id)).output
    no_reason = hub("notes", "review", str(note_id), "--restore", "1")
    assert no_reason.exit_code == 2 and "--reason" in no_reason.output
    restored = hub(
        "notes",
        "review",
        str(note_id),
        "--restore",
        "1",
        "--reason",
        "a heading",
        "--by",
        "reviewer",
    )
    assert restored.exit_code == 0
    assert "reviewer redacted" in restored.output and "reviewer restored 1 a heading" in (
        restored.output
    )
    history = hub("notes", "history", str(note_id)).output
    assert "note.redacted" in history and "note.restored" in history
    assert "the pack" not in history and "a heading" not in history


def test_only_approved_notes_are_published_once(hub: Cli, hub_dir: Path) -> None:
    note_id = add(hub, hub_dir)
    refused = hub("notes", "publish", str(note_id))
    assert refused.exit_code == 1 and "not approved" in refused.output
    assert posts(hub_dir) == []
    hub("notes", "approve", str(note_id), "--by", "chair")
    assert hub("notes", "publish", str(note_id)).exit_code == 0
    assert "already published" in hub("notes", "publish", str(note_id)).output
    assert len(posts(hub_dir)) == 1
    assert not raw_present(hub_dir, note_id)
    changed = hub("notes", "review", str(note_id), "--redact", "ward")
    assert changed.exit_code == 1 and "only a draft" in changed.output


@pytest.mark.parametrize("visibility", ["public", "unknown"])
def test_a_notes_area_not_verified_private_is_never_published_to(
    hub: Cli, hub_dir: Path, visibility: str
) -> None:
    note_id = add(hub, hub_dir)
    hub("notes", "approve", str(note_id), "--by", "chair")
    local = LocalHub(hub_dir / "pspn-data" / "pspn.db")
    local.execute("UPDATE lf_areas SET visibility = ?", (visibility,))
    local.close()
    result = hub("notes", "publish", str(note_id))
    assert result.exit_code == 1
    assert "refusing to publish" in result.output and "Nothing was posted" in result.output
    assert posts(hub_dir) == []
    assert raw_present(hub_dir, note_id)


def test_an_area_private_to_another_group_is_refused(hub: Cli, hub_dir: Path) -> None:
    note_id = add(hub, hub_dir)
    hub("notes", "approve", str(note_id), "--by", "chair")
    local = LocalHub(hub_dir / "pspn-data" / "pspn.db")
    local.create_group("everyone")
    local.create_area("PSPN meeting notes", visibility="private", group="everyone")
    local.close()
    result = hub("notes", "publish", str(note_id))
    assert result.exit_code == 1 and "'everyone'" in result.output
    assert posts(hub_dir) == []


def test_a_wrong_key_or_damaged_ciphertext_loses_nothing(hub: Cli, hub_dir: Path) -> None:
    note_id = add(hub, hub_dir)
    key = hub_dir / "pspn-data" / "pspn.key"
    original = key.read_bytes()
    from pspn_core.notes.keys import new_key

    key.write_text(new_key() + "\n")
    wrong = hub("notes", "review", str(note_id), "--restore", "1", "--reason", "x")
    assert wrong.exit_code == 1 and "key is wrong" in wrong.output
    key.write_bytes(original)
    with sqlite3.connect(hub_dir / "pspn-data" / "pspn.db") as conn:
        token = conn.execute("SELECT raw_ciphertext FROM notes").fetchone()[0]
        conn.execute("UPDATE notes SET raw_ciphertext = ?", (token[:-5] + b"AAAAA",))
    damaged = hub("notes", "review", str(note_id), "--redact", "ward")
    assert damaged.exit_code == 1 and "damaged" in damaged.output
    with sqlite3.connect(hub_dir / "pspn-data" / "pspn.db") as conn:
        conn.execute("UPDATE notes SET raw_ciphertext = ?", (token,))
    assert hub("notes", "review", str(note_id), "--redact", "ward").exit_code == 0


def test_key_rotation_re_encrypts_and_drops_the_old_key(
    hub: Cli, hub_dir: Path, tmp_path: Path
) -> None:
    config = hub_dir / "pspn.toml"
    config.write_text(config.read_text().replace("keep_raw_days = 0", "keep_raw_days = 30"))
    note_id = add(hub, hub_dir)
    hub("notes", "approve", str(note_id), "--by", "chair")
    hub("notes", "publish", str(note_id))
    assert raw_present(hub_dir, note_id)  # kept, encrypted, for 30 days
    key = hub_dir / "pspn-data" / "pspn.key"
    old = key.read_text()
    result = hub("keys", "rotate")
    assert result.exit_code == 0 and "re-encrypted 1" in result.output
    assert key.read_text() != old and len(key.read_text().split()) == 1
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert "No raw text was due" in hub("notes", "purge").output
    with sqlite3.connect(hub_dir / "pspn-data" / "pspn.db") as conn:
        conn.execute("UPDATE notes SET keep_raw_until = '2000-01-01T00:00:00+00:00'")
    assert "Deleted the raw text of 1" in hub("notes", "purge").output
    assert not raw_present(hub_dir, note_id)


def test_the_notes_published_hook_fires_once(hub_dir: Path, hub: Cli) -> None:
    published: list[int] = []

    class Listener:
        @hookimpl
        def pspn_notes_published(self, note_id: int) -> None:
            published.append(note_id)

    import pspn_adapters.local

    run = Cli(
        Plugins(
            make_plugin_manager(load_entrypoints=False, plugins=[pspn_adapters.local, Listener()])
        ),
        hub_dir / "pspn.toml",
    )
    note_id = add(run, hub_dir)
    run("notes", "approve", str(note_id), "--by", "chair")
    run("notes", "publish", str(note_id))
    run("notes", "publish", str(note_id))
    assert published == [note_id]


CRASHING_PUBLISH = """
import os, signal, sys
from pspn_adapters.local.adapter import LocalForum
from pspn_core import hookimpl
from pspn_core.cli import App, cli
from pspn_core.plugins import Plugins, make_plugin_manager
import pspn_adapters.local

point = sys.argv[1]
real = LocalForum.publish_post

def publish_post(self, post, *, known_id=None):
    if point == "before-call":
        os.kill(os.getpid(), signal.SIGKILL)
    forum_id = real(self, post, known_id=known_id)
    if point == "after-forum-commit":
        os.kill(os.getpid(), signal.SIGKILL)
    return forum_id

LocalForum.publish_post = publish_post

class AfterRecord:
    @hookimpl
    def pspn_notes_published(self):
        if point == "after-record":
            os.kill(os.getpid(), signal.SIGKILL)

plugins = Plugins(make_plugin_manager(load_entrypoints=False,
                                      plugins=[pspn_adapters.local, AfterRecord()]))
from pathlib import Path
cli.main(["notes", "publish", sys.argv[2]], obj=App(Path(sys.argv[3]), plugins=plugins, environ={}))
"""


@pytest.mark.parametrize(
    ("point", "posted_before_rerun", "raw_kept_before_rerun"),
    [("before-call", 0, True), ("after-forum-commit", 1, True), ("after-record", 1, False)],
)
def test_a_publish_killed_at_any_step_finishes_on_rerun_with_one_post(
    hub: Cli, hub_dir: Path, point: str, posted_before_rerun: int, raw_kept_before_rerun: bool
) -> None:
    note_id = add(hub, hub_dir)
    hub("notes", "approve", str(note_id), "--by", "chair")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    crashed = subprocess.run(
        [sys.executable, "-c", CRASHING_PUBLISH, point, str(note_id), str(hub_dir / "pspn.toml")],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert crashed.returncode == -9, crashed.stderr
    assert len(posts(hub_dir)) == posted_before_rerun
    assert raw_present(hub_dir, note_id) is raw_kept_before_rerun
    rerun = hub("notes", "publish", str(note_id))
    assert rerun.exit_code == 0, rerun.output
    assert len(posts(hub_dir)) == 1
    assert not raw_present(hub_dir, note_id)
    assert hub("notes", "publish", str(note_id)).exit_code == 0
    assert len(posts(hub_dir)) == 1


def test_the_compiled_roster_is_kept_encrypted_and_follows_the_roster(
    hub: Cli, hub_dir: Path
) -> None:
    add(hub, hub_dir)
    kept = hub_dir / "pspn-data" / "cache" / "roster.compiled"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(kept.parent.stat().st_mode) == 0o700
    assert b"abernathy" not in kept.read_bytes().lower()
    first = kept.read_bytes()
    (hub_dir / "later.txt").write_text("we will ask ottoline about it.\n")
    before = hub("notes", "anonymise", str(hub_dir / "later.txt"))
    assert "ask ottoline about" in before.output  # not on the roster, in lower case: kept
    assert kept.read_bytes() == first  # the same roster: read, not rebuilt
    hub("members", "add", "ottoline_bs", "--name", "Ottoline Brackenbury-Spence")
    after = hub("notes", "anonymise", str(hub_dir / "later.txt"))
    assert after.exit_code == 0, after.output
    assert "ask [name] about" in after.output
    assert kept.read_bytes() != first

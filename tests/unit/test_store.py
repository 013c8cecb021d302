"""The SQLite store: migrations, versions, members, and two processes at once."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from pspn_core.errors import NotFound, OperationError, Remedy, StoreError
from pspn_core.membership.model import Member
from pspn_core.store import SqliteStore, connect, migrate
from pspn_core.store.migrations import MIGRATIONS, OWNER


def test_migrations_apply_once_and_record_the_version(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path)
    store.close()
    store = SqliteStore(tmp_path)  # a second open must not re-run migration 1
    row = store.conn.execute(
        "SELECT version FROM schema_versions WHERE owner = ?", (OWNER,)
    ).fetchone()
    assert row["version"] == MIGRATIONS[-1].version
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    store.close()


def test_a_database_from_a_newer_pspn_is_refused_untouched(tmp_path: Path) -> None:
    SqliteStore(tmp_path).close()
    db = tmp_path / "pspn.db"
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE schema_versions SET version = 999 WHERE owner = ?", (OWNER,))
    before = db.read_bytes()
    with pytest.raises(StoreError, match="newer version of pspn"):
        SqliteStore(tmp_path)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT version FROM schema_versions").fetchone()[0] == 999
    assert len(db.read_bytes()) == len(before)


def test_a_failing_migration_leaves_nothing_half_done(tmp_path: Path) -> None:
    from pspn_core.store import Migration

    conn = connect(tmp_path / "pspn.db")
    steps = (Migration(1, "ok", "CREATE TABLE a (x);"), Migration(2, "bad", "CREATE TABLE a (y);"))
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn, "test", steps)
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'a'").fetchone()[0] == 0
    conn.close()


def test_members_are_stored_once(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path)
    with pytest.raises(OperationError, match="'pspn' has not been set up") as refused:
        store.add_member(Member(network="pspn", username="kit_m", display_name="Kit"))
    assert refused.value.remedy == Remedy("setup-network", {"network": "pspn"})
    assert store.ensure_network("pspn", "PSPN") is True
    assert store.ensure_network("pspn", "PSPN") is False
    kit = Member(network="pspn", username="kit_m", display_name="Kit Marlowe", aliases=("Kit",))
    assert store.add_member(kit) is True
    assert store.add_member(kit.model_copy(update={"username": "KIT_M"})) is False
    assert store.member("pspn", "kit_m").aliases == ("Kit",)
    with pytest.raises(NotFound, match="'nobody' is not a member of 'pspn'") as missing:
        store.member("pspn", "nobody")
    assert missing.value.remedy == Remedy("list-members", {"network": "pspn"})
    actions = [entry["action"] for entry in store.audit_log("pspn")]
    assert actions == ["network.created", "member.added"]
    store.close()


def test_everyone_lists_every_network_as_members_does(tmp_path: Path) -> None:
    from pspn_core.notes.service import hub_roster

    store = SqliteStore(tmp_path)
    for slug in ("zeta", "alpha"):
        store.ensure_network(slug, slug.title())
    people = [
        Member(network="zeta", username="kit_m", display_name="Kit Marlowe", aliases=("Kit",)),
        Member(network="zeta", username="ada_l", display_name="ada Lovelock", organisation="X"),
        Member(network="alpha", username="Kit_M", display_name="Christopher Marlowe"),
        Member(network="alpha", username="bo_p", display_name="Bo Peep"),
    ]
    for member in people:
        store.add_member(member)
    expected = [
        (m.username, m.display_name, m.organisation, m.aliases)
        for slug in store.networks()
        for m in store.members(slug)
    ]
    assert store.everyone() == expected
    assert store.member_names("zeta") == [
        (m.username, m.display_name, m.organisation) for m in store.members("zeta")
    ]
    assert [name for _, name, _ in store.member_names("zeta")] == ["ada Lovelock", "Kit Marlowe"]
    roster = hub_roster(store)
    assert [(e.username, e.name) for e in roster] == [  # one entry per username, last wins
        ("bo_p", "Bo Peep"),
        ("kit_m", "Kit Marlowe"),
        ("ada_l", "ada Lovelock"),
    ]
    store.close()


def _add_members(data_dir: str, worker: int, count: int) -> None:
    store = SqliteStore(Path(data_dir))
    for i in range(count):
        store.add_member(
            Member(network="pspn", username=f"w{worker}_{i}", display_name=f"Worker {worker} {i}")
        )
    store.close()


def test_two_processes_writing_at_once_do_not_corrupt(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path)
    store.ensure_network("pspn", "PSPN")
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_add_members, args=(str(tmp_path), w, 150)) for w in (1, 2)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(timeout=120)
        assert process.exitcode == 0
    assert len(store.members("pspn")) == 300
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.close()

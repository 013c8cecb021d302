"""SQLite plumbing shared by the store and the embedded local forum.

One database file per hub (``pspn.db`` in the data directory), opened in WAL
mode with foreign keys on and a busy timeout, so that two processes can use
the same data directory at once: readers never block, writers queue.
Each owner of tables (the store, the local forum) keeps its own numbered
migrations and its own row in ``schema_versions``.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pspn_core.errors import StoreError

__all__ = ["DATABASE_NAME", "Migration", "connect", "migrate", "transaction"]

DATABASE_NAME = "pspn.db"
BUSY_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class Migration:
    """One step of a schema: applied once, in order, inside a transaction."""

    version: int
    description: str
    sql: str


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating if needed) the database at ``path`` with pspn's settings.

    The data directory is created 0700 and the database 0600 (SQLite gives its
    WAL, journal and shared-memory files the database's mode); a directory or
    file that other users can read is refused, as the key file is.
    """
    try:
        _make_private(path)
        conn = sqlite3.connect(
            path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False
        )
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=NORMAL")
    except (OSError, sqlite3.Error) as error:
        raise StoreError(
            f"cannot open the database {path}: {error}. Check that the data directory "
            "exists, is writable, and holds a pspn database."
        ) from None
    return conn


#: The files SQLite keeps beside the database.
_COMPANIONS = ("-wal", "-journal", "-shm")


def _make_private(path: Path) -> None:
    """Create the data directory (0700) and the database (0600); refuse ones open to others."""
    directory = path.parent
    if not directory.exists():
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.name != "posix":
        return
    if directory.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise StoreError(
            f"the data directory {directory} can be read by other users, and it holds "
            f"members' personal data; run `chmod 700 {directory}` and try again"
        )
    for file in [path, *(path.with_name(path.name + end) for end in _COMPANIONS)]:
        if file.exists() and file.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise StoreError(
                f"the database file {file} can be read by other users; "
                f"run `chmod 600 {path}*` and try again"
            )
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A write transaction that takes the write lock at once (``BEGIN IMMEDIATE``)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def migrate(conn: sqlite3.Connection, owner: str, migrations: Sequence[Migration]) -> int:
    """Bring ``owner``'s tables up to the newest migration; return the version reached.

    Refuses, without changing anything, a database written by a newer pspn.
    """
    latest = migrations[-1].version if migrations else 0
    with transaction(conn):
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_versions ("
            " owner TEXT PRIMARY KEY, version INTEGER NOT NULL, applied_at TEXT NOT NULL)"
        )
        row = conn.execute(
            "SELECT version FROM schema_versions WHERE owner = ?", (owner,)
        ).fetchone()
        current = int(row["version"]) if row else 0
        if current > latest:
            raise StoreError(
                f"the database was written by a newer version of pspn ({owner} schema "
                f"{current}, this version knows up to {latest}). Upgrade pspn; "
                "nothing was changed."
            )
        for migration in migrations:
            if migration.version <= current:
                continue
            for statement in _statements(migration.sql):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_versions (owner, version, applied_at)"
                " VALUES (?, ?, datetime('now'))"
                " ON CONFLICT (owner) DO UPDATE SET version = excluded.version,"
                " applied_at = excluded.applied_at",
                (owner, migration.version),
            )
    return latest


def _statements(sql: str) -> list[str]:
    """Split a migration script into statements (executescript would commit early)."""
    statements: list[str] = []
    buffer = ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        raise ValueError(f"incomplete SQL statement in migration: {buffer.strip()[:60]}")
    return statements

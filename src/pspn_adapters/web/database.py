"""``web.db``: the web app's own tables, beside the hub's database.

Each part (sign-in links, calendar feed addresses, erasure requests) owns its
tables and migrations and reads them through one connection per thread, since
waitress serves requests on several threads. The file is made private like the
hub's database. A person's rows here are erased with them (:func:`forget`).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from pspn_core.store.database import Migration, connect, migrate, transaction

__all__ = ["WEB_DATABASE", "WebTables", "forget"]

WEB_DATABASE = "web.db"

#: The tables that hold a username, by the column that does.
PERSONAL = {"sign_in_links": "username", "feed_tokens": "username", "erasure_requests": "username"}


class WebTables:
    """One part of ``web.db``: its migrations applied on open, a connection per thread."""

    OWNER: ClassVar[str]
    MIGRATIONS: ClassVar[tuple[Migration, ...]]

    def __init__(self, data_dir: Path, *, clock: Callable[[], datetime]) -> None:
        self._path = data_dir / WEB_DATABASE
        self._clock = clock
        self._local = threading.local()
        migrate(self._conn(), self.OWNER, self.MIGRATIONS)

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect(self._path)
            self._local.conn = conn
        return conn

    def close(self) -> None:
        """Close this thread's connection (the others close with their threads)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None


def forget(data_dir: Path, username: str) -> int:
    """Delete every row of ``web.db`` that names ``username``; how many went.

    Deleted with ``secure_delete`` on, and the write-ahead log truncated, so the
    name is not left in free pages. Nothing to do if the web app never ran.
    """
    path = data_dir / WEB_DATABASE
    if not path.exists():
        return 0
    conn = connect(path)
    try:
        conn.execute("PRAGMA secure_delete = ON")
        known = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        gone = 0
        with transaction(conn):
            for table, column in PERSONAL.items():
                if table in known:
                    gone += conn.execute(
                        f"DELETE FROM {table} WHERE {column} = ? COLLATE NOCASE",  # noqa: S608
                        (username,),
                    ).rowcount
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return gone
    finally:
        conn.close()

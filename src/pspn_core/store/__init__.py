"""The core's own state: SQLite in the hub's data directory."""

from __future__ import annotations

from pspn_core.store.database import DATABASE_NAME, Migration, connect, migrate, transaction
from pspn_core.store.sqlite import SqliteStore

__all__ = ["DATABASE_NAME", "Migration", "SqliteStore", "connect", "migrate", "transaction"]

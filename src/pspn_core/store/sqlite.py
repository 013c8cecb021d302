"""The :class:`~pspn_core.ports.Store` on SQLite, assembled from its parts."""

from __future__ import annotations

from pspn_core.store.meetings import MeetingStore
from pspn_core.store.members import MemberStore
from pspn_core.store.notes import NoteStore

__all__ = ["SqliteStore"]


class SqliteStore(MemberStore, MeetingStore, NoteStore):
    """The core's state in ``<data_dir>/pspn.db``. Migrates on open."""

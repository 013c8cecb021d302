"""The :class:`~pspn_core.ports.Store` on SQLite, assembled from its parts."""

from __future__ import annotations

from pspn_core.store.applications import ApplicationStore
from pspn_core.store.meetings import MeetingStore
from pspn_core.store.members import MemberStore
from pspn_core.store.notes import NoteStore
from pspn_core.store.surveys import SurveyStore
from pspn_core.store.webhooks import WebhookStore

__all__ = ["SqliteStore"]


class SqliteStore(
    MemberStore, MeetingStore, NoteStore, ApplicationStore, SurveyStore, WebhookStore
):
    """The core's state in ``<data_dir>/pspn.db``. Migrates on open."""

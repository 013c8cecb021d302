"""The :class:`~pspn_core.ports.Store` on SQLite, assembled from its parts."""

from __future__ import annotations

from pspn_core.store.decisions import DecisionStore
from pspn_core.store.meetings import MeetingStore
from pspn_core.store.notes import NoteStore
from pspn_core.store.surveys import SurveyStore
from pspn_core.store.webhooks import WebhookStore

__all__ = ["SqliteStore"]


class SqliteStore(DecisionStore, MeetingStore, NoteStore, SurveyStore, WebhookStore):
    """The core's state in ``<data_dir>/pspn.db``. Migrates on open.

    :class:`DecisionStore` brings the applications and the members with it.
    """

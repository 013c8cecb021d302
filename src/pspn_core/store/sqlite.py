"""The :class:`~pspn_core.ports.Store` on SQLite, assembled from its parts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pspn_core.store import applications, base, decisions, meetings, members, notes, surveys
from pspn_core.store.base import StoreBase
from pspn_core.store.database import transaction
from pspn_core.store.decisions import DecisionStore
from pspn_core.store.meetings import MeetingStore
from pspn_core.store.members import person
from pspn_core.store.notes import NoteStore
from pspn_core.store.online import OnlineMeetingStore
from pspn_core.store.personal import Person, PersonalData
from pspn_core.store.surveys import SurveyStore
from pspn_core.store.webhooks import WebhookStore

if TYPE_CHECKING:  # imported where one is made: opening the store loads no model
    from pspn_core.membership.model import Erasure

__all__ = ["PersonalDataStore", "SqliteStore"]


class PersonalDataStore(StoreBase):
    """The store's subject-access export and erasure: the sum of its parts' shares.

    :attr:`PERSONAL_PARTS` is set by the assembled store; the parts run in that
    order (rows that others refer to go last).
    """

    PERSONAL_PARTS: tuple[PersonalData, ...] = ()

    def _person(self, network: str, username: str) -> Person:
        return person(self.conn, network, username)

    def personal_data(self, network: str, username: str) -> dict[str, Any]:
        """Everything the store holds about ``username`` in ``network``, for an export."""
        who = self._person(network, username)
        data: dict[str, Any] = {"network": network, "username": username}
        for part in self.PERSONAL_PARTS:
            data.update(part.export(self.conn, who))
        return data

    def holds_data_on(self, network: str, username: str) -> bool:
        data = self.personal_data(network, username)
        return any(data[key] for key in data if key not in ("network", "username"))

    def erase_person(self, network: str, username: str, *, by: str = "") -> Erasure:
        """Remove ``username``'s personal data from ``network``; where others need the
        record (chairing, decisions, approvals), the name becomes "a former member".

        Deletes with ``secure_delete`` on and then truncates the write-ahead log, so
        the erased text is not left behind in free pages of the database file. The
        audit log keeps one ``member.erased`` entry with counts only.
        """
        from pspn_core.membership.model import Erasure

        who = self._person(network, username)
        secure = self.conn.execute("PRAGMA secure_delete").fetchone()[0]
        self.conn.execute("PRAGMA secure_delete = ON")
        counts: dict[str, int] = {}
        try:
            with transaction(self.conn):
                for part in self.PERSONAL_PARTS:
                    counts.update(part.erase(self.conn, who))
                erasure = Erasure(counts)
                self._audit("member.erased", network=network, actor=by, detail=erasure.describe())
        finally:
            self.conn.execute(f"PRAGMA secure_delete = {int(secure)}")
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return erasure


class SqliteStore(
    DecisionStore,
    OnlineMeetingStore,
    MeetingStore,
    NoteStore,
    SurveyStore,
    WebhookStore,
    PersonalDataStore,
):
    """The core's state in ``<data_dir>/pspn.db``. Migrates on open.

    :class:`DecisionStore` brings the applications and the members with it.
    """

    PERSONAL_PARTS = (
        meetings.PERSONAL_DATA,
        decisions.PERSONAL_DATA,
        applications.PERSONAL_DATA,
        surveys.PERSONAL_DATA,
        notes.PERSONAL_DATA,
        base.PERSONAL_DATA,
        members.PERSONAL_DATA,  # last: volunteering refers to the roster
    )

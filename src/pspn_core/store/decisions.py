"""Decisions in progress: each step of ``members decide`` recorded as it is done.

A decision touches the forum (the group, a message) and the store (the
decision, the roster). A run that stops part-way leaves a row here saying
which step comes next, so a rerun finishes what is missing and repeats
nothing. The last store step (decision, status and roster) is one transaction.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import TYPE_CHECKING

from pspn_core._lazy import lazy_exports
from pspn_core.errors import OperationError, Remedy
from pspn_core.store.applications import ApplicationStore, decision_values
from pspn_core.store.database import Migration, transaction
from pspn_core.store.members import MemberStore
from pspn_core.store.personal import Person, PersonalData, anonymise_names

if TYPE_CHECKING:  # imported where they are used: opening the store loads no model
    from pspn_core.membership.model import Decision, DecisionRun, DecisionStep, Member

__all__ = ["PERSONAL_DATA", "DecisionRun", "DecisionStep", "DecisionStore"]

__getattr__ = lazy_exports(
    "pspn_core.membership", {"DecisionRun": "model", "DecisionStep": "model"}, owner=__name__
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "decisions in progress",
        """
        CREATE TABLE decision_runs (
            application_id INTEGER PRIMARY KEY
                REFERENCES applications(id) ON DELETE CASCADE,
            outcome TEXT NOT NULL,
            decided_by TEXT NOT NULL,
            reason TEXT NOT NULL,
            question TEXT NOT NULL DEFAULT '',
            decided_at TEXT NOT NULL,
            step TEXT NOT NULL,
            message_sent INTEGER,
            member_added INTEGER
        );
        """,
    ),
)


class DecisionStore(ApplicationStore, MemberStore):
    """Where each decision has got to."""

    SCHEMA = ("decision_runs", MIGRATIONS)

    def decision_run(self, application_id: int) -> DecisionRun | None:
        row = self.conn.execute(
            "SELECT * FROM decision_runs WHERE application_id = ?", (application_id,)
        ).fetchone()
        return None if row is None else _run(row)

    def start_decision(self, decision: Decision) -> DecisionRun:
        """Record that ``decision`` is being carried out (its first step is the forum).

        Refuses a second decision on the same application while one is under way.
        """
        from pspn_core.membership.model import DecisionRun, DecisionStep

        try:
            self._insert_run(decision)
        except sqlite3.IntegrityError:
            raise OperationError(
                f"application {decision.application_id} is being decided by another "
                "command; wait for it to finish",
                remedy=Remedy("list-applications"),
            ) from None
        return DecisionRun(decision, DecisionStep.FORUM, None, False)

    def _insert_run(self, decision: Decision) -> None:
        from pspn_core.membership.model import DecisionStep

        with transaction(self.conn):
            self.conn.execute(
                "INSERT INTO decision_runs (application_id, outcome, decided_by, reason,"
                " question, decided_at, step) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (*decision_values(decision), DecisionStep.FORUM.value),
            )

    def advance_decision(self, application_id: int, step: DecisionStep) -> None:
        self.conn.execute(
            "UPDATE decision_runs SET step = ? WHERE application_id = ?",
            (step.value, application_id),
        )

    def cancel_decision(self, application_id: int) -> None:
        """Forget a decision whose forum step failed (nothing else was done)."""
        self.conn.execute("DELETE FROM decision_runs WHERE application_id = ?", (application_id,))

    def finish_decision(
        self, decision: Decision, member: Member | None, *, message_sent: bool | None
    ) -> bool:
        """Record the decision, move the application on and add ``member``, atomically.

        Returns whether ``member`` was new to the roster.
        """
        from pspn_core.membership.model import DecisionStep

        if member is not None:
            self._require_network(member.network)
        with transaction(self.conn):
            self._record_decision(decision)
            added = self._insert_member(member) if member is not None else False
            self.conn.execute(
                "UPDATE decision_runs SET step = ?, message_sent = ?, member_added = ?"
                " WHERE application_id = ?",
                (DecisionStep.NOTIFY.value, message_sent, added, decision.application_id),
            )
        return added

    def end_decision(self, application_id: int) -> None:
        """The decision is complete: forget its progress."""
        self.cancel_decision(application_id)


def _run(row: sqlite3.Row) -> DecisionRun:
    from pspn_core.membership.model import Decision, DecisionRun, DecisionStep, Outcome

    decision = Decision(
        application_id=row["application_id"],
        outcome=Outcome(row["outcome"]),
        by=row["decided_by"],
        reason=row["reason"],
        question=row["question"],
        decided_at=datetime.fromisoformat(row["decided_at"]),
    )
    sent = row["message_sent"]
    return DecisionRun(
        decision,
        DecisionStep(row["step"]),
        None if sent is None else bool(sent),
        bool(row["member_added"]),
    )


# -- a person's data ----------------------------------------------------------------
# A run is deleted with its application (the applicant's part); who decides is named.


def _export(conn: sqlite3.Connection, who: Person) -> dict[str, object]:
    rows = conn.execute(
        f"SELECT r.application_id, r.outcome, r.step FROM decision_runs r"  # noqa: S608
        f" JOIN applications a ON a.id = r.application_id WHERE a.network = ?"
        f" AND (a.username = ? OR r.decided_by COLLATE NOCASE IN ({who.marks}))",
        (who.network, who.username, *who.names),
    )
    return {
        "decisions_in_progress": [
            {"application": r["application_id"], "outcome": r["outcome"], "step": r["step"]}
            for r in rows
        ]
    }


def _erase(conn: sqlite3.Connection, who: Person) -> dict[str, int]:
    in_network = "application_id IN (SELECT id FROM applications WHERE network = ?)"
    return {
        "decisions_in_progress": anonymise_names(
            conn, who, "decision_runs", "decided_by", in_network
        )
    }


PERSONAL_DATA = PersonalData(frozenset({"decision_runs.decided_by"}), _export, _erase)

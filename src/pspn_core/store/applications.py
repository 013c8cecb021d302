"""The store's applications and decisions.

An application is stored once however often it is seen: by its forum request
(network, source, source_ref) and, while it is open, by (network, username).
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import TYPE_CHECKING

from pspn_core.errors import NotFound, OperationError, Remedy
from pspn_core.store.base import StoreBase
from pspn_core.store.database import Migration, transaction
from pspn_core.store.personal import Person, PersonalData, anonymise_names

if TYPE_CHECKING:  # imported where they are used: opening the store loads no model
    from pspn_core.membership.model import Application, ApplicationStatus, Decision, Outcome

__all__ = ["PERSONAL_DATA", "ApplicationStore"]


def _open_statuses() -> tuple[ApplicationStatus, ...]:
    """The statuses of an application still waiting for a decision."""
    from pspn_core.membership.model import ApplicationStatus

    return (ApplicationStatus.OPEN, ApplicationStatus.NEEDS_INFORMATION)


def _status_after(outcome: Outcome) -> ApplicationStatus:
    """Where a decision with ``outcome`` moves its application."""
    from pspn_core.membership.model import ApplicationStatus, Outcome

    return {
        Outcome.ADMIT: ApplicationStatus.ADMITTED,
        Outcome.DECLINE: ApplicationStatus.DECLINED,
        Outcome.ASK: ApplicationStatus.NEEDS_INFORMATION,
    }[outcome]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "applications and decisions",
        """
        CREATE TABLE applications (
            id INTEGER PRIMARY KEY,
            network TEXT NOT NULL REFERENCES networks(slug),
            username TEXT NOT NULL COLLATE NOCASE,
            display_name TEXT NOT NULL DEFAULT '',
            email TEXT NOT NULL DEFAULT '',
            answers TEXT NOT NULL DEFAULT '{}',
            source TEXT NOT NULL,
            source_ref TEXT NOT NULL DEFAULT '',
            received_at TEXT NOT NULL,
            status TEXT NOT NULL
        );
        CREATE UNIQUE INDEX applications_once_per_request
            ON applications (network, source, source_ref) WHERE source_ref != '';
        CREATE UNIQUE INDEX applications_one_open_per_person
            ON applications (network, username) WHERE status IN ('open', 'needs-information');
        CREATE INDEX applications_by_status ON applications (network, status);
        CREATE TABLE decisions (
            id INTEGER PRIMARY KEY,
            application_id INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
            outcome TEXT NOT NULL,
            decided_by TEXT NOT NULL,
            reason TEXT NOT NULL,
            question TEXT NOT NULL DEFAULT '',
            decided_at TEXT NOT NULL
        );
        CREATE INDEX decisions_by_application ON decisions (application_id);
        """,
    ),
)


class ApplicationStore(StoreBase):
    """Applications to join, and the decisions on them."""

    SCHEMA = ("applications", MIGRATIONS)

    # -- applications ---------------------------------------------------------
    def record_application(self, application: Application) -> tuple[Application, bool]:
        """Store ``application`` unless it is already held; return the stored one and if new."""
        from pspn_core.membership.model import ApplicationStatus

        self._require_network(application.network)
        with transaction(self.conn):
            existing = self._same_application(application)
            if existing is not None:
                return _application(existing), False
            cursor = self.conn.execute(
                "INSERT INTO applications (network, username, display_name, email, answers,"
                " source, source_ref, received_at, status) VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    application.network,
                    application.username,
                    application.display_name,
                    application.email,
                    json.dumps(application.answers, ensure_ascii=False),
                    application.source,
                    application.source_ref,
                    application.received_at.isoformat(timespec="seconds"),
                    ApplicationStatus.OPEN.value,
                ),
            )
            assert cursor.lastrowid is not None
            self._audit(
                "application.received",
                network=application.network,
                subject=f"application {cursor.lastrowid}",
                detail=f"from {application.source}",
            )
        return self.application(cursor.lastrowid), True

    def _same_application(self, application: Application) -> sqlite3.Row | None:
        row: sqlite3.Row | None = None
        if application.source_ref:
            row = self.conn.execute(
                "SELECT * FROM applications WHERE network = ? AND source = ? AND source_ref = ?",
                (application.network, application.source, application.source_ref),
            ).fetchone()
        if row is None:
            row = self.conn.execute(
                "SELECT * FROM applications WHERE network = ? AND username = ?"
                " AND status IN (?, ?)",
                (application.network, application.username, *_open_statuses()),
            ).fetchone()
        return row

    def application(self, application_id: int) -> Application:
        row = self.conn.execute(
            "SELECT * FROM applications WHERE id = ?", (application_id,)
        ).fetchone()
        if row is None:
            raise NotFound(
                f"there is no application {application_id}", remedy=Remedy("list-applications")
            )
        return _application(row)

    def applications(
        self, network: str, statuses: tuple[ApplicationStatus, ...] | None = None
    ) -> list[Application]:
        """The network's applications with one of ``statuses`` (default: the open ones)."""
        statuses = _open_statuses() if statuses is None else statuses
        marks = ", ".join("?" * len(statuses))
        rows = self.conn.execute(
            f"SELECT * FROM applications WHERE network = ? AND status IN ({marks})"  # noqa: S608
            " ORDER BY id",
            (network, *statuses),
        ).fetchall()
        return [_application(row) for row in rows]

    # -- decisions ------------------------------------------------------------
    def record_decision(self, decision: Decision) -> Application:
        """Record ``decision`` and move its application on; refuse one already decided."""
        with transaction(self.conn):
            self._record_decision(decision)
        return self.application(decision.application_id)

    def _record_decision(self, decision: Decision) -> None:
        """:meth:`record_decision`, inside the caller's transaction."""
        row = self.conn.execute(
            "SELECT status, network FROM applications WHERE id = ?",
            (decision.application_id,),
        ).fetchone()
        if row is None:
            raise NotFound(f"there is no application {decision.application_id}")
        if row["status"] not in _open_statuses():
            raise OperationError(
                f"application {decision.application_id} was already decided ({row['status']})",
                remedy=Remedy("list-applications"),
            )
        self.conn.execute(
            "INSERT INTO decisions (application_id, outcome, decided_by, reason, question,"
            " decided_at) VALUES (?, ?, ?, ?, ?, ?)",
            decision_values(decision),
        )
        status = _status_after(decision.outcome)
        self.conn.execute(
            "UPDATE applications SET status = ? WHERE id = ?",
            (status.value, decision.application_id),
        )
        self._audit(
            f"application.{decision.outcome.value}",
            network=row["network"],
            actor=decision.by,
            subject=f"application {decision.application_id}",
        )

    def decisions(self, application_id: int) -> list[Decision]:
        rows = self.conn.execute(
            "SELECT * FROM decisions WHERE application_id = ? ORDER BY id", (application_id,)
        ).fetchall()
        return [_decision(row) for row in rows]

    # -- leaving ------------------------------------------------------------
    def remove_from_roster(self, network: str, username: str) -> bool:
        """Take someone off the roster (they left); ``False`` if they were not on it."""
        with transaction(self.conn):
            cursor = self.conn.execute(
                "DELETE FROM members WHERE network = ? AND username = ?", (network, username)
            )
            if cursor.rowcount:
                self._audit("member.left", network=network, subject=username)
        return cursor.rowcount > 0


def _application(row: sqlite3.Row) -> Application:
    from pspn_core.membership.model import Application, ApplicationStatus

    return Application(
        id=row["id"],
        network=row["network"],
        username=row["username"],
        display_name=row["display_name"],
        email=row["email"],
        answers=json.loads(row["answers"]),
        source=row["source"],
        source_ref=row["source_ref"],
        received_at=datetime.fromisoformat(row["received_at"]),
        status=ApplicationStatus(row["status"]),
    )


def decision_values(decision: Decision) -> tuple[object, ...]:
    """A decision's columns, in the order both the decisions and the decision_runs tables have."""
    return (
        decision.application_id,
        decision.outcome.value,
        decision.by,
        decision.reason,
        decision.question,
        decision.decided_at.isoformat(timespec="seconds"),
    )


def _decision(row: sqlite3.Row) -> Decision:
    from pspn_core.membership.model import Decision, Outcome

    return Decision(
        application_id=row["application_id"],
        outcome=Outcome(row["outcome"]),
        by=row["decided_by"],
        reason=row["reason"],
        decided_at=datetime.fromisoformat(row["decided_at"]),
        question=row["question"],
    )


# -- a person's data ----------------------------------------------------------------


def _export(conn: sqlite3.Connection, who: Person) -> dict[str, object]:
    applications = []
    for row in conn.execute(
        "SELECT * FROM applications WHERE network = ? AND username = ? ORDER BY id",
        (who.network, who.username),
    ):
        item = _application(row).model_dump(mode="json")
        decisions = conn.execute(
            "SELECT * FROM decisions WHERE application_id = ? ORDER BY id", (row["id"],)
        )
        item["decisions"] = [_decision(d).model_dump(mode="json") for d in decisions]
        applications.append(item)
    decided = conn.execute(
        f"SELECT d.application_id, d.outcome, d.decided_at FROM decisions d"  # noqa: S608
        f" JOIN applications a ON a.id = d.application_id WHERE a.network = ?"
        f" AND d.decided_by COLLATE NOCASE IN ({who.marks}) ORDER BY d.id",
        (who.network, *who.names),
    )
    return {
        "applications": applications,
        "decisions_made": [
            {"application": r["application_id"], "outcome": r["outcome"], "at": r["decided_at"]}
            for r in decided
        ],
    }


def _erase(conn: sqlite3.Connection, who: Person) -> dict[str, int]:
    in_network = "application_id IN (SELECT id FROM applications WHERE network = ?)"
    decided = anonymise_names(conn, who, "decisions", "decided_by", in_network)
    deleted = conn.execute(
        "DELETE FROM applications WHERE network = ? AND username = ?",
        (who.network, who.username),
    )
    return {"applications": deleted.rowcount, "decisions_made": decided}


PERSONAL_DATA = PersonalData(
    frozenset(
        {
            "applications.username",
            "applications.display_name",
            "applications.email",
            "applications.answers",
            "decisions.decided_by",
        }
    ),
    _export,
    _erase,
)

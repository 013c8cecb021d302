"""The store's applications and decisions, and what a member's rights over their data need.

An application is stored once however often it is seen: by its forum request
(network, source, source_ref) and, while it is open, by (network, username).
Erasure deletes with ``secure_delete`` on and then truncates the write-ahead
log, so the erased text is not left behind in free pages of the database file.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pspn_core.errors import NotFound, OperationError
from pspn_core.membership.model import Application, ApplicationStatus, Decision, Outcome
from pspn_core.store.base import StoreBase
from pspn_core.store.database import Migration, transaction
from pspn_core.store.members import member_from_row

__all__ = ["FORMER_MEMBER", "ApplicationStore", "Erasure"]

FORMER_MEMBER = "a former member"
OPEN_STATUSES = (ApplicationStatus.OPEN, ApplicationStatus.NEEDS_INFORMATION)
_OUTCOME_STATUS = {
    Outcome.ADMIT: ApplicationStatus.ADMITTED,
    Outcome.DECLINE: ApplicationStatus.DECLINED,
    Outcome.ASK: ApplicationStatus.NEEDS_INFORMATION,
}

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


@dataclass(frozen=True)
class Erasure:
    """What an erasure removed or anonymised, counted (no personal data)."""

    applications: int
    memberships: int
    volunteering: int
    votes: int
    topics: int
    chairing: int
    survey_invitations: int = 0

    def describe(self) -> str:
        return ", ".join(f"{name} {count}" for name, count in vars(self).items())


class ApplicationStore(StoreBase):
    """Applications to join, decisions on them, and export and erasure of a person's data."""

    SCHEMA = ("applications", MIGRATIONS)

    # -- applications ---------------------------------------------------------
    def record_application(self, application: Application) -> tuple[Application, bool]:
        """Store ``application`` unless it is already held; return the stored one and if new."""
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
                (application.network, application.username, *OPEN_STATUSES),
            ).fetchone()
        return row

    def application(self, application_id: int) -> Application:
        row = self.conn.execute(
            "SELECT * FROM applications WHERE id = ?", (application_id,)
        ).fetchone()
        if row is None:
            raise NotFound(
                f"there is no application {application_id}; `pspn members applications` lists them"
            )
        return _application(row)

    def applications(
        self, network: str, statuses: tuple[ApplicationStatus, ...] = OPEN_STATUSES
    ) -> list[Application]:
        """The network's applications with one of ``statuses`` (default: the open ones)."""
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
        if row["status"] not in OPEN_STATUSES:
            raise OperationError(
                f"application {decision.application_id} was already decided "
                f"({row['status']}); `pspn members applications --all` shows it"
            )
        self.conn.execute(
            "INSERT INTO decisions (application_id, outcome, decided_by, reason, question,"
            " decided_at) VALUES (?, ?, ?, ?, ?, ?)",
            (
                decision.application_id,
                decision.outcome.value,
                decision.by,
                decision.reason,
                decision.question,
                decision.decided_at.isoformat(timespec="seconds"),
            ),
        )
        status = _OUTCOME_STATUS[decision.outcome]
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

    # -- leaving, export and erasure ------------------------------------------
    def remove_from_roster(self, network: str, username: str) -> bool:
        """Take someone off the roster (they left); ``False`` if they were not on it."""
        with transaction(self.conn):
            cursor = self.conn.execute(
                "DELETE FROM members WHERE network = ? AND username = ?", (network, username)
            )
            if cursor.rowcount:
                self._audit("member.left", network=network, subject=username)
        return cursor.rowcount > 0

    def personal_data(self, network: str, username: str) -> dict[str, Any]:
        """Everything the store holds about ``username`` in ``network``, for an export."""
        query = self.conn.execute
        member = query(
            "SELECT * FROM members WHERE network = ? AND username = ?", (network, username)
        ).fetchone()
        applications = []
        for row in query(
            "SELECT * FROM applications WHERE network = ? AND username = ? ORDER BY id",
            (network, username),
        ):
            item = _application(row).model_dump(mode="json")
            item["decisions"] = [d.model_dump(mode="json") for d in self.decisions(row["id"])]
            applications.append(item)
        names = _names(username, member)
        return {
            "network": network,
            "username": username,
            "member": None if member is None else _member_dict(member),
            "applications": applications,
            "volunteering": [
                json.loads(row["slots"])
                for row in query(
                    "SELECT slots FROM volunteers WHERE network = ? AND username = ?",
                    (network, username),
                )
            ],
            "votes": [
                {"topic": row["id"], "title": row["title"]}
                for row in query(
                    "SELECT t.id, t.title FROM topic_votes v JOIN topics t ON t.id = v.topic_id"
                    " WHERE t.network = ? AND v.username = ? ORDER BY t.id",
                    (network, username),
                )
            ],
            "invited_to_surveys": [
                row["survey_id"]
                for row in query(
                    "SELECT i.survey_id FROM survey_invitations i JOIN surveys s"
                    " ON s.id = i.survey_id WHERE s.network = ? AND i.username = ?"
                    " ORDER BY i.survey_id",
                    (network, username),
                )
            ],
            "topics_raised": [
                {"topic": row["id"], "title": row["title"], "raised_at": row["raised_at"]}
                for row in query(
                    "SELECT id, title, raised_at FROM topics WHERE network = ? AND raised_by = ?"
                    " COLLATE NOCASE ORDER BY id",
                    (network, username),
                )
            ],
            "meetings_chaired": [
                {"meeting": row["uid"], "start": row["start"]}
                for row in query(
                    f"SELECT uid, start FROM meetings WHERE network = ?"  # noqa: S608
                    f" AND chair IN ({', '.join('?' * len(names))}) ORDER BY start",
                    (network, *names),
                )
            ],
        }

    def holds_data_on(self, network: str, username: str) -> bool:
        data = self.personal_data(network, username)
        return any(data[key] for key in data if key not in ("network", "username"))

    def erase_person(self, network: str, username: str, *, by: str = "") -> Erasure:
        """Remove ``username``'s personal data from ``network``; their chairing is anonymised.

        The audit log keeps one ``member.erased`` entry with counts only; earlier entries
        that named them lose the name.
        """
        member = self.conn.execute(
            "SELECT * FROM members WHERE network = ? AND username = ?", (network, username)
        ).fetchone()
        names = _names(username, member)
        chair_marks = ", ".join("?" * len(names))
        secure = self.conn.execute("PRAGMA secure_delete").fetchone()[0]
        self.conn.execute("PRAGMA secure_delete = ON")
        try:
            with transaction(self.conn):
                run = self.conn.execute
                counts = Erasure(
                    applications=run(
                        "DELETE FROM applications WHERE network = ? AND username = ?",
                        (network, username),
                    ).rowcount,
                    volunteering=run(
                        "DELETE FROM volunteers WHERE network = ? AND username = ?",
                        (network, username),
                    ).rowcount,
                    votes=run(
                        "DELETE FROM topic_votes WHERE username = ? AND topic_id IN"
                        " (SELECT id FROM topics WHERE network = ?)",
                        (username, network),
                    ).rowcount,
                    topics=run(
                        "UPDATE topics SET raised_by = NULL WHERE network = ?"
                        " AND raised_by = ? COLLATE NOCASE",
                        (network, username),
                    ).rowcount,
                    chairing=run(
                        f"UPDATE meetings SET chair = ? WHERE network = ?"  # noqa: S608
                        f" AND chair IN ({chair_marks})",
                        (FORMER_MEMBER, network, *names),
                    ).rowcount,
                    memberships=run(
                        "DELETE FROM members WHERE network = ? AND username = ?",
                        (network, username),
                    ).rowcount,
                    survey_invitations=run(
                        "DELETE FROM survey_invitations WHERE username = ? AND survey_id IN"
                        " (SELECT id FROM surveys WHERE network = ?)",
                        (username, network),
                    ).rowcount,
                )
                for column in ("subject", "actor"):
                    run(
                        f"UPDATE audit_log SET {column} = ? WHERE network = ?"  # noqa: S608
                        f" AND {column} COLLATE NOCASE IN ({chair_marks})",
                        (FORMER_MEMBER, network, *names),
                    )
                self._audit("member.erased", network=network, actor=by, detail=counts.describe())
        finally:
            self.conn.execute(f"PRAGMA secure_delete = {int(secure)}")
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return counts


def _names(username: str, member: sqlite3.Row | None) -> tuple[str, ...]:
    """The names a person may be recorded under: username, display name, aliases."""
    names = [username]
    if member is not None:
        names += [member["display_name"], *json.loads(member["aliases"])]
    return tuple(dict.fromkeys(name for name in names if name))


def _member_dict(row: sqlite3.Row) -> dict[str, Any]:
    return member_from_row(row).model_dump(mode="json")


def _application(row: sqlite3.Row) -> Application:
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


def _decision(row: sqlite3.Row) -> Decision:
    return Decision(
        application_id=row["application_id"],
        outcome=Outcome(row["outcome"]),
        by=row["decided_by"],
        reason=row["reason"],
        decided_at=datetime.fromisoformat(row["decided_at"]),
        question=row["question"],
    )

"""The store's notes: the anonymised text, findings without their values,
the raw text only encrypted, review changes, and the publishing outbox."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Sequence
from datetime import datetime

from pspn_core.errors import NotFound, Remedy
from pspn_core.notes.model import Note, NoteStatus, OutboxEntry, StoredFinding
from pspn_core.store.base import StoreBase
from pspn_core.store.database import Migration, transaction
from pspn_core.store.personal import Person, PersonalData, anonymise_names

__all__ = ["PERSONAL_DATA", "NoteStore", "OutboxEntry", "StoredFinding"]

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "notes, review changes and the publishing outbox",
        """
        CREATE TABLE notes (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            network TEXT NOT NULL REFERENCES networks(slug),
            meeting_uid TEXT REFERENCES meetings(uid),
            format TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('draft', 'approved', 'published')),
            created_at TEXT NOT NULL,
            text TEXT NOT NULL,
            findings TEXT NOT NULL,
            raw_ciphertext BLOB,
            keep_raw_until TEXT,
            approved_by TEXT,
            approved_at TEXT,
            published_at TEXT
        );
        CREATE TABLE note_changes (
            id INTEGER PRIMARY KEY,
            note_id INTEGER NOT NULL REFERENCES notes(id),
            at TEXT NOT NULL,
            by TEXT NOT NULL,
            action TEXT NOT NULL,
            finding INTEGER,
            reason TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE note_outbox (
            note_id INTEGER PRIMARY KEY REFERENCES notes(id),
            post_key TEXT NOT NULL UNIQUE,
            state TEXT NOT NULL CHECK (state IN ('pending', 'sent')),
            forum_id TEXT,
            intent_at TEXT NOT NULL,
            sent_at TEXT
        );
        """,
    ),
)


class NoteStore(StoreBase):
    """Notes from intake to publication."""

    SCHEMA = ("notes", MIGRATIONS)

    def add_note(
        self,
        *,
        network: str,
        meeting_uid: str | None,
        fmt: str,
        text: str,
        findings: Sequence[StoredFinding],
        raw_ciphertext: bytes,
        by: str,
    ) -> Note:
        self._require_network(network)
        with transaction(self.conn):
            cursor = self.conn.execute(
                "INSERT INTO notes (uid, network, meeting_uid, format, status, created_at, text,"
                " findings, raw_ciphertext) VALUES (?, ?, ?, ?, 'draft', ?, ?, ?, ?)",
                (
                    uuid.uuid4().hex,
                    network,
                    meeting_uid,
                    fmt,
                    self._now(),
                    text,
                    _findings_json(findings),
                    raw_ciphertext,
                ),
            )
            note_id = cursor.lastrowid
            assert note_id is not None
            self._audit(
                "note.added",
                network=network,
                actor=by,
                subject=f"note {note_id}",
                detail=f"sha256 {_sha256(text)}",
            )
        return self.note(note_id)

    def note(self, note_id: int) -> Note:
        return _note(self._row(note_id))

    def notes(self, network: str | None = None) -> list[Note]:
        rows = self.conn.execute(
            _NOTE_SELECT + " WHERE ? IS NULL OR n.network = ? ORDER BY n.id", (network, network)
        ).fetchall()
        return [_note(row) for row in rows]

    def note_uid(self, note_id: int) -> str:
        return str(self._row(note_id)["uid"])

    def note_findings(self, note_id: int) -> list[StoredFinding]:
        return [StoredFinding(**item) for item in json.loads(self._row(note_id)["findings"])]

    def raw_ciphertext(self, note_id: int) -> bytes | None:
        value = self._row(note_id)["raw_ciphertext"]
        return None if value is None else bytes(value)

    def revise_note(
        self,
        note_id: int,
        text: str,
        findings: Sequence[StoredFinding],
        *,
        by: str,
        action: str,
        finding: int | None,
        reason: str,
    ) -> None:
        """Store a reviewer's change: the new text and findings, and the change itself."""
        with transaction(self.conn):
            self.conn.execute(
                "UPDATE notes SET text = ?, findings = ? WHERE id = ?",
                (text, _findings_json(findings), note_id),
            )
            self.conn.execute(
                "INSERT INTO note_changes (note_id, at, by, action, finding, reason)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (note_id, self._now(), by, action, finding, reason),
            )
            self._audit(
                f"note.{action}",
                network=self._network_of(note_id),
                actor=by,
                subject=f"note {note_id}",
                detail=f"sha256 {_sha256(text)}",
            )

    def note_changes(self, note_id: int) -> list[dict[str, object]]:
        rows = self.conn.execute(
            "SELECT at, by, action, finding, reason FROM note_changes WHERE note_id = ?"
            " ORDER BY id",
            (note_id,),
        ).fetchall()
        return [dict(row) for row in rows]

    def note_added_by(self, note_id: int) -> str:
        """Who added the note (from the audit log); empty if nobody was named."""
        row = self.conn.execute(
            "SELECT actor FROM audit_log WHERE action = 'note.added' AND subject = ?"
            " ORDER BY id LIMIT 1",
            (f"note {note_id}",),
        ).fetchone()
        return "" if row is None else str(row["actor"])

    def approve_note(self, note_id: int, by: str) -> None:
        with transaction(self.conn):
            self.conn.execute(
                "UPDATE notes SET status = 'approved', approved_by = ?, approved_at = ?"
                " WHERE id = ? AND status = 'draft'",
                (by, self._now(), note_id),
            )
            self._audit(
                "note.approved",
                network=self._network_of(note_id),
                actor=by,
                subject=f"note {note_id}",
                detail=f"sha256 {_sha256(self._row(note_id)['text'])}",
            )

    def replace_ciphertexts(self, tokens: dict[int, bytes]) -> None:
        """Swap in re-encrypted raw texts, all at once (key rotation)."""
        with transaction(self.conn):
            for note_id, token in tokens.items():
                self.conn.execute(
                    "UPDATE notes SET raw_ciphertext = ?"
                    " WHERE id = ? AND raw_ciphertext IS NOT NULL",
                    (token, note_id),
                )
            self._audit("keys.rotated", detail=f"{len(tokens)} note(s) re-encrypted")

    def all_ciphertexts(self) -> dict[int, bytes]:
        rows = self.conn.execute(
            "SELECT id, raw_ciphertext FROM notes WHERE raw_ciphertext IS NOT NULL"
        ).fetchall()
        return {int(row["id"]): bytes(row["raw_ciphertext"]) for row in rows}

    # -- the outbox ---------------------------------------------------------
    def outbox_entry(self, note_id: int) -> OutboxEntry | None:
        row = self.conn.execute(
            "SELECT note_id, post_key, state, forum_id FROM note_outbox WHERE note_id = ?",
            (note_id,),
        ).fetchone()
        return None if row is None else OutboxEntry(**dict(row))

    def record_publish_intent(self, note_id: int, post_key: str) -> OutboxEntry:
        """Write down that we are about to publish, before calling the forum."""
        with transaction(self.conn):
            self.conn.execute(
                "INSERT INTO note_outbox (note_id, post_key, state, intent_at)"
                " VALUES (?, ?, 'pending', ?) ON CONFLICT (note_id) DO NOTHING",
                (note_id, post_key, self._now()),
            )
        entry = self.outbox_entry(note_id)
        assert entry is not None
        return entry

    def record_published(
        self, note_id: int, forum_id: str, *, by: str, keep_raw_until: datetime | None
    ) -> None:
        """The forum has the post: record its id, and delete the raw text unless kept.

        One transaction, so the raw text is never gone while the post is unrecorded.
        """
        now = self._now()
        until = keep_raw_until.isoformat(timespec="seconds") if keep_raw_until else None
        with transaction(self.conn):
            self.conn.execute(
                "UPDATE note_outbox SET state = 'sent', forum_id = ?, sent_at = ?"
                " WHERE note_id = ?",
                (forum_id, now, note_id),
            )
            self.conn.execute(
                "UPDATE notes SET status = 'published', published_at = ?, keep_raw_until = ?,"
                " raw_ciphertext = CASE WHEN ? IS NULL THEN NULL ELSE raw_ciphertext END"
                " WHERE id = ?",
                (now, until, until, note_id),
            )
            self._audit(
                "note.published",
                network=self._network_of(note_id),
                actor=by,
                subject=f"note {note_id}",
                detail=f"forum id {forum_id}; sha256 {_sha256(self._row(note_id)['text'])}",
            )

    def purge_raw(self, now: datetime) -> list[int]:
        """Delete kept raw texts whose time is up; returns the notes purged."""
        with transaction(self.conn):
            rows = self.conn.execute(
                "SELECT id, network FROM notes WHERE raw_ciphertext IS NOT NULL"
                " AND status = 'published' AND (keep_raw_until IS NULL OR keep_raw_until <= ?)",
                (now.isoformat(timespec="seconds"),),
            ).fetchall()
            for row in rows:
                self.conn.execute(
                    "UPDATE notes SET raw_ciphertext = NULL WHERE id = ?", (row["id"],)
                )
                self._audit("note.raw-purged", network=row["network"], subject=f"note {row['id']}")
        return [int(row["id"]) for row in rows]

    def _row(self, note_id: int) -> sqlite3.Row:
        row = self.conn.execute(_NOTE_SELECT + " WHERE n.id = ?", (note_id,)).fetchone()
        if row is None:
            raise NotFound(f"there is no note {note_id}", remedy=Remedy("list-notes"))
        return row  # type: ignore[no-any-return]

    def _network_of(self, note_id: int) -> str:
        return str(self._row(note_id)["network"])


_NOTE_SELECT = (
    "SELECT n.*, o.forum_id AS forum_id FROM notes n"
    " LEFT JOIN note_outbox o ON o.note_id = n.id AND o.state = 'sent'"
)


def _sha256(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _findings_json(findings: Sequence[StoredFinding]) -> str:
    return json.dumps([finding.to_json() for finding in findings])


def _note(row: sqlite3.Row) -> Note:
    return Note(
        id=row["id"],
        network=row["network"],
        meeting_uid=row["meeting_uid"],
        text=row["text"],
        status=NoteStatus(row["status"]),
        created_at=datetime.fromisoformat(row["created_at"]),
        approved_by=row["approved_by"],
        forum_id=row["forum_id"],
    )


# -- a person's data ----------------------------------------------------------------
# Notes are anonymised; what names a person is who approved or reviewed them.


def _export(conn: sqlite3.Connection, who: Person) -> dict[str, object]:
    approved = conn.execute(
        f"SELECT uid, approved_at FROM notes WHERE network = ?"  # noqa: S608
        f" AND approved_by COLLATE NOCASE IN ({who.marks}) ORDER BY id",
        (who.network, *who.names),
    )
    changes = conn.execute(
        f"SELECT n.uid, c.at, c.action FROM note_changes c JOIN notes n ON n.id = c.note_id"  # noqa: S608
        f" WHERE n.network = ? AND c.by COLLATE NOCASE IN ({who.marks}) ORDER BY c.id",
        (who.network, *who.names),
    )
    return {
        "notes_approved": [{"note": r["uid"], "at": r["approved_at"]} for r in approved],
        "note_reviews": [{"note": r["uid"], "at": r["at"], "action": r["action"]} for r in changes],
    }


def _erase(conn: sqlite3.Connection, who: Person) -> dict[str, int]:
    in_network = "note_id IN (SELECT id FROM notes WHERE network = ?)"
    return {
        "notes_approved": anonymise_names(conn, who, "notes", "approved_by", "network = ?"),
        "note_reviews": anonymise_names(conn, who, "note_changes", "by", in_network),
    }


PERSONAL_DATA = PersonalData(frozenset({"notes.approved_by", "note_changes.by"}), _export, _erase)

"""The store's part for ``pspn serve``: processed webhook deliveries and calendar-feed tokens.

A delivery is *claimed* before its effects run, *settled* after them and
*released* if they fail, so a redelivery of the same id is ignored once it has
been handled and retried when handling failed. Claims a stopped server left
unsettled are released when the server starts again. Calendar tokens are kept
only as SHA-256 hashes: the token itself is shown once, when it is made. No HTTP here: the server in
``pspn_adapters.server`` calls these methods.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

from pspn_core.store.base import StoreBase
from pspn_core.store.database import Migration, transaction

__all__ = ["WebhookStore"]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "webhook deliveries, calendar tokens and feed versions",
        """
        CREATE TABLE webhook_deliveries (
            source TEXT NOT NULL,
            delivery_id TEXT NOT NULL,
            event TEXT NOT NULL,
            network TEXT,
            intent TEXT NOT NULL DEFAULT '',
            received_at TEXT NOT NULL,
            PRIMARY KEY (source, delivery_id)
        );
        CREATE TABLE calendar_tokens (
            network TEXT PRIMARY KEY REFERENCES networks(slug) ON DELETE CASCADE,
            token_hash TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE calendar_feeds (
            network TEXT PRIMARY KEY REFERENCES networks(slug) ON DELETE CASCADE,
            digest TEXT NOT NULL,
            modified_at TEXT NOT NULL
        );
        """,
    ),
    Migration(
        2,
        "a claim is settled once its delivery is handled",
        """
        ALTER TABLE webhook_deliveries ADD COLUMN settled INTEGER NOT NULL DEFAULT 1;
        """,
    ),
)


class WebhookStore(StoreBase):
    """Which webhook deliveries were handled, and each network's calendar-feed token."""

    SCHEMA = ("webhooks", MIGRATIONS)

    # -- deliveries ---------------------------------------------------------
    def claim_delivery(self, source: str, delivery_id: str, event: str) -> bool:
        """Record a delivery as being handled; ``False`` if it was seen before (a replay)."""
        try:
            with transaction(self.conn):
                self.conn.execute(
                    "INSERT INTO webhook_deliveries (source, delivery_id, event, received_at,"
                    " settled) VALUES (?, ?, ?, ?, 0)",
                    (source, delivery_id, event, self._now()),
                )
        except sqlite3.IntegrityError:
            return False
        return True

    def settle_delivery(
        self, source: str, delivery_id: str, *, network: str | None, intent: str
    ) -> None:
        """Note what a claimed delivery meant (``intent``: e.g. ``topic.raised``, ``ignored``)."""
        with transaction(self.conn):
            self.conn.execute(
                "UPDATE webhook_deliveries SET network = ?, intent = ?, settled = 1"
                " WHERE source = ? AND delivery_id = ?",
                (network, intent, source, delivery_id),
            )

    def release_delivery(self, source: str, delivery_id: str) -> None:
        """Forget a claim whose handling failed, so that a redelivery is handled again."""
        with transaction(self.conn):
            self.conn.execute(
                "DELETE FROM webhook_deliveries WHERE source = ? AND delivery_id = ?",
                (source, delivery_id),
            )

    def release_unsettled_deliveries(self) -> int:
        """Forget every claim not settled: the server that made it stopped while handling it.

        Called when the server starts, so that the forum's redelivery is handled
        (effects are idempotent, so one done before the stop is not done twice).
        """
        with transaction(self.conn):
            return self.conn.execute("DELETE FROM webhook_deliveries WHERE settled = 0").rowcount

    def deliveries(self, source: str | None = None) -> list[dict[str, str | None]]:
        """The handled deliveries, oldest first (ids, events and intents; no payloads)."""
        rows = self.conn.execute(
            "SELECT source, delivery_id, event, network, intent, received_at"
            " FROM webhook_deliveries WHERE ? IS NULL OR source = ? ORDER BY rowid",
            (source, source),
        ).fetchall()
        return [dict(row) for row in rows]

    def delivery_count(self, source: str | None = None) -> int:
        """How many deliveries were accepted (each id once)."""
        row = self.conn.execute(
            "SELECT count(*) FROM webhook_deliveries WHERE ? IS NULL OR source = ?",
            (source, source),
        ).fetchone()
        return int(row[0])

    def republish_event(self, network: str, forum_event_id: str) -> str | None:
        """Mark the meeting behind a forum event someone changed as not yet published.

        The store is the truth about meetings: the next ``pspn meetings publish``
        puts the forum's copy back. Returns the meeting's UID, ``None`` if the
        event is not one of ours.
        """
        with transaction(self.conn):
            row = self.conn.execute(
                "SELECT uid FROM meetings WHERE network = ? AND forum_event_id = ?",
                (network, forum_event_id),
            ).fetchone()
            if row is None:
                return None
            self.conn.execute(
                "UPDATE meetings SET published_sequence = NULL WHERE uid = ?", (row["uid"],)
            )
            self._audit("meeting.changed_on_forum", network=network, subject=row["uid"])
        return str(row["uid"])

    # -- calendar feed ------------------------------------------------------
    def set_calendar_token_hash(self, network: str, token_hash: str) -> bool:
        """Store the hash of ``network``'s new feed token; ``True`` if it replaced one."""
        self._require_network(network)
        with transaction(self.conn):
            old = self.conn.execute(
                "SELECT 1 FROM calendar_tokens WHERE network = ?", (network,)
            ).fetchone()
            self.conn.execute(
                "INSERT INTO calendar_tokens (network, token_hash, created_at) VALUES (?, ?, ?)"
                " ON CONFLICT (network) DO UPDATE SET token_hash = excluded.token_hash,"
                " created_at = excluded.created_at",
                (network, token_hash, self._now()),
            )
            self._audit(
                "calendar.token_rotated" if old else "calendar.token_created",
                network=network,
                subject=network,
            )
        return old is not None

    def calendar_token_hash(self, network: str) -> str | None:
        row = self.conn.execute(
            "SELECT token_hash FROM calendar_tokens WHERE network = ?", (network,)
        ).fetchone()
        return None if row is None else str(row["token_hash"])

    def calendar_version(self, network: str, digest: str) -> str:
        """When the feed of ``network`` last changed (ISO time), given its content ``digest``.

        The time moves on only when the digest differs from the last one seen, so
        the feed's Last-Modified stays put while its meetings do not change.
        """
        with transaction(self.conn):
            row = self.conn.execute(
                "SELECT digest, modified_at FROM calendar_feeds WHERE network = ?", (network,)
            ).fetchone()
            if row is not None and row["digest"] == digest:
                return str(row["modified_at"])
            now = self._now()
            if row is not None and now <= row["modified_at"]:
                # a second change within the same second still moves Last-Modified on
                later = datetime.fromisoformat(row["modified_at"]) + timedelta(seconds=1)
                now = later.isoformat(timespec="seconds")
            self.conn.execute(
                "INSERT INTO calendar_feeds (network, digest, modified_at) VALUES (?, ?, ?)"
                " ON CONFLICT (network) DO UPDATE SET digest = excluded.digest,"
                " modified_at = excluded.modified_at",
                (network, digest, now),
            )
        return now

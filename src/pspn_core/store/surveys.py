"""The store's surveys, issued link tokens and responses, kept so no response names its giver.

Three tables and no column that joins them to a person: ``survey_invitations``
says who was sent a link (never which link); ``survey_tokens`` holds only a
hash of each link's token and whether it has been used (never who got it, nor
when it was used); ``survey_responses`` holds answers and nothing else. The
first two are ``WITHOUT ROWID`` tables ordered by their keys, so not even the
order rows were written in pairs a member with a token.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from pspn_core.errors import NotFound, OperationError, Remedy
from pspn_core.store.base import StoreBase
from pspn_core.store.database import Migration, transaction
from pspn_core.store.personal import Person, PersonalData

if TYPE_CHECKING:  # imported where a survey is read: opening the store loads no model
    from pspn_core.surveys.model import Answers, Survey

__all__ = ["PERSONAL_DATA", "SurveyStore"]

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "surveys, invitations, token hashes, responses and imports",
        """
        CREATE TABLE surveys (
            id TEXT PRIMARY KEY,
            network TEXT NOT NULL REFERENCES networks(slug),
            definition TEXT NOT NULL,
            created_at TEXT NOT NULL,
            forum_post_id TEXT,
            published_digest TEXT
        );
        CREATE TABLE survey_invitations (
            survey_id TEXT NOT NULL REFERENCES surveys(id),
            username TEXT NOT NULL COLLATE NOCASE,
            PRIMARY KEY (survey_id, username)
        ) WITHOUT ROWID;
        CREATE TABLE survey_tokens (
            token_hash TEXT PRIMARY KEY,
            survey_id TEXT NOT NULL REFERENCES surveys(id),
            used INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;
        CREATE TABLE survey_responses (
            id INTEGER PRIMARY KEY,
            survey_id TEXT NOT NULL REFERENCES surveys(id),
            answers TEXT NOT NULL
        );
        CREATE TABLE survey_imports (
            survey_id TEXT NOT NULL REFERENCES surveys(id),
            digest TEXT NOT NULL,
            PRIMARY KEY (survey_id, digest)
        ) WITHOUT ROWID;
        """,
    ),
    Migration(
        2,
        "an imported response is stored once, by its key",
        """
        ALTER TABLE survey_responses ADD COLUMN response_key TEXT;
        CREATE UNIQUE INDEX survey_responses_once ON survey_responses (survey_id, response_key)
            WHERE response_key IS NOT NULL;
        """,
    ),
)


class SurveyStore(StoreBase):
    """Surveys and their anonymous responses."""

    SCHEMA = ("surveys", MIGRATIONS)

    # -- definitions --------------------------------------------------------
    def save_survey(self, survey: Survey) -> bool:
        """Store a survey; ``True`` if new. A changed definition is refused once responses exist."""
        self._require_network(survey.network)
        definition = survey.model_dump_json()
        with transaction(self.conn):
            row = self.conn.execute(
                "SELECT definition FROM surveys WHERE id = ?", (survey.id,)
            ).fetchone()
            changed = row is not None and row["definition"] != definition
            if changed and self._count(survey.id):
                raise OperationError(
                    f"survey {survey.id!r} already has responses; its questions cannot "
                    "change. Give the new version another id."
                )
            self.conn.execute(
                "INSERT INTO surveys (id, network, definition, created_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET definition = excluded.definition,"
                " network = excluded.network",
                (survey.id, survey.network, definition, self._now()),
            )
            if row is None:
                self._audit("survey.created", network=survey.network, subject=survey.id)
        return row is None

    def survey(self, survey_id: str) -> Survey:
        from pspn_core.surveys.model import Survey

        row = self.conn.execute(
            "SELECT definition FROM surveys WHERE id = ?", (survey_id,)
        ).fetchone()
        if row is None:
            raise NotFound(f"there is no survey {survey_id!r}", remedy=Remedy("list-surveys"))
        return Survey.model_validate_json(row["definition"])

    def surveys(self) -> list[Survey]:
        from pspn_core.surveys.model import Survey

        rows = self.conn.execute("SELECT definition FROM surveys ORDER BY id").fetchall()
        return [Survey.model_validate_json(row["definition"]) for row in rows]

    # -- link tokens --------------------------------------------------------
    def invited(self, survey_id: str) -> set[str]:
        rows = self.conn.execute(
            "SELECT username FROM survey_invitations WHERE survey_id = ?", (survey_id,)
        ).fetchall()
        return {row["username"] for row in rows}

    def add_invitation(self, survey_id: str, username: str, token_hash: str) -> bool:
        """Record that ``username`` was sent a link, and the link's hash (not linked to them)."""
        with transaction(self.conn):
            cursor = self.conn.execute(
                "INSERT INTO survey_invitations (survey_id, username) VALUES (?, ?)"
                " ON CONFLICT DO NOTHING",
                (survey_id, username),
            )
            if cursor.rowcount == 0:
                return False
            self.conn.execute(
                "INSERT INTO survey_tokens (token_hash, survey_id) VALUES (?, ?)",
                (token_hash, survey_id),
            )
        return True

    def withdraw_invitation(self, survey_id: str, username: str, token_hash: str) -> None:
        """Undo :meth:`add_invitation` when the link could not be sent."""
        with transaction(self.conn):
            self.conn.execute(
                "DELETE FROM survey_invitations WHERE survey_id = ? AND username = ?",
                (survey_id, username),
            )
            self.conn.execute(
                "DELETE FROM survey_tokens WHERE token_hash = ? AND used = 0", (token_hash,)
            )

    def token_survey(self, token_hash: str) -> str:
        """The survey a token belongs to; refuses unknown and used tokens alike."""
        row = self.conn.execute(
            "SELECT survey_id FROM survey_tokens WHERE token_hash = ? AND used = 0", (token_hash,)
        ).fetchone()
        if row is None:
            raise OperationError(
                "this survey link is not valid or has already been used; each link counts once"
            )
        return str(row["survey_id"])

    def add_token_response(self, token_hash: str, answers: Answers) -> None:
        """Use the token and store the answers, together or not at all."""
        with transaction(self.conn):
            cursor = self.conn.execute(
                "UPDATE survey_tokens SET used = 1 WHERE token_hash = ? AND used = 0",
                (token_hash,),
            )
            if cursor.rowcount != 1:
                raise OperationError(
                    "this survey link is not valid or has already been used; each link counts once"
                )
            survey_id = self.conn.execute(
                "SELECT survey_id FROM survey_tokens WHERE token_hash = ?", (token_hash,)
            ).fetchone()["survey_id"]
            self._insert(survey_id, [answers])

    def token_counts(self, survey_id: str) -> tuple[int, int]:
        """(links issued, links used)."""
        row = self.conn.execute(
            "SELECT count(*) AS issued, coalesce(sum(used), 0) AS used FROM survey_tokens"
            " WHERE survey_id = ?",
            (survey_id,),
        ).fetchone()
        return int(row["issued"]), int(row["used"])

    # -- responses ----------------------------------------------------------
    def add_responses(
        self,
        survey_id: str,
        responses: Sequence[Answers],
        *,
        digest: str,
        keys: Sequence[str] | None = None,
    ) -> int:
        """Store imported responses; each key (see ``response_key``) once, however often seen.

        Refuses, storing nothing, a file whose responses are all held already.
        Without keys, a file (``digest`` of its content) is stored once.
        """
        survey = self.survey(survey_id)
        with transaction(self.conn):
            cursor = self.conn.execute(
                "INSERT INTO survey_imports (survey_id, digest) VALUES (?, ?)"
                " ON CONFLICT DO NOTHING",
                (survey_id, digest),
            )
            if keys is None:
                added = self._insert(survey_id, responses) if cursor.rowcount else 0
            else:
                added = sum(
                    self.conn.execute(
                        "INSERT INTO survey_responses (survey_id, answers, response_key)"
                        " VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                        (survey_id, json.dumps(answers, sort_keys=True), key),
                    ).rowcount
                    for answers, key in zip(responses, keys, strict=True)
                )
            if added == 0:
                raise OperationError(
                    f"this file has already been imported into survey {survey_id!r}; "
                    "importing it again would count everyone twice"
                )
            self._audit(
                "survey.imported", network=survey.network, subject=survey_id, detail=f"{added}"
            )
        return added

    def responses(self, survey_id: str) -> list[Answers]:
        rows = self.conn.execute(
            "SELECT answers FROM survey_responses WHERE survey_id = ? ORDER BY id", (survey_id,)
        ).fetchall()
        return [_answers(row["answers"]) for row in rows]

    def _count(self, survey_id: str) -> int:
        row = self.conn.execute(
            "SELECT count(*) FROM survey_responses WHERE survey_id = ?", (survey_id,)
        ).fetchone()
        return int(row[0])

    def _insert(self, survey_id: str, responses: Iterable[Answers]) -> int:
        rows = [(survey_id, json.dumps(answers, sort_keys=True)) for answers in responses]
        self.conn.executemany(
            "INSERT INTO survey_responses (survey_id, answers) VALUES (?, ?)", rows
        )
        return len(rows)

    # -- publishing ---------------------------------------------------------
    def survey_publication(self, survey_id: str) -> tuple[str | None, str | None]:
        """(forum id of the published report, digest of what was published), if any."""
        row = self.conn.execute(
            "SELECT forum_post_id, published_digest FROM surveys WHERE id = ?", (survey_id,)
        ).fetchone()
        if row is None:
            raise NotFound(f"there is no survey {survey_id!r}")
        return row["forum_post_id"], row["published_digest"]

    def mark_survey_published(self, survey_id: str, forum_id: str, digest: str) -> None:
        with transaction(self.conn):
            self.conn.execute(
                "UPDATE surveys SET forum_post_id = ?, published_digest = ? WHERE id = ?",
                (forum_id, digest, survey_id),
            )
            network = self.survey(survey_id).network
            self._audit("survey.published", network=network, subject=survey_id, detail=forum_id)


def _answers(text: str) -> Answers:
    data = json.loads(text)
    return {key: tuple(value) if isinstance(value, list) else value for key, value in data.items()}


# -- a person's data ----------------------------------------------------------------
# Responses are never linked to a person; only who was invited is.


def _export(conn: sqlite3.Connection, who: Person) -> dict[str, object]:
    rows = conn.execute(
        "SELECT i.survey_id FROM survey_invitations i JOIN surveys s ON s.id = i.survey_id"
        " WHERE s.network = ? AND i.username = ? ORDER BY i.survey_id",
        (who.network, who.username),
    )
    return {"invited_to_surveys": [row["survey_id"] for row in rows]}


def _erase(conn: sqlite3.Connection, who: Person) -> dict[str, int]:
    deleted = conn.execute(
        "DELETE FROM survey_invitations WHERE username = ? AND survey_id IN"
        " (SELECT id FROM surveys WHERE network = ?)",
        (who.username, who.network),
    )
    return {"survey_invitations": deleted.rowcount}


PERSONAL_DATA = PersonalData(frozenset({"survey_invitations.username"}), _export, _erase)

"""Every place that holds a person is covered by the subject-access export and erasure.

A column holds a person when its name says so (a username, a name, an e-mail, who
did something). Each part of the store declares the columns it exports and erases
(``PERSONAL_DATA``); the embedded forum's own tables are erased through the
forum (``LocalHub.erase_user``). A new table or column that names a person
fails here until its part covers it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from pspn_adapters.local import LocalHub
from pspn_core.store import SqliteStore

#: Column names that hold a person's username, name, e-mail or account id.
PERSONAL_COLUMNS = {
    "username",
    "display_name",
    "aliases",
    "email",
    "answers",
    "raised_by",
    "chair",
    "decided_by",
    "approved_by",
    "by",
    "actor",
    "subject",
    "user_id",
}

#: The embedded forum's tables, erased by ``LocalHub.erase_user``.
LOCAL_FORUM = {
    "lf_users.username",
    "lf_users.display_name",
    "lf_group_members.user_id",
    "lf_join_requests.user_id",
    "lf_messages.username",
    "lf_messages.subject",
}

#: Columns with a person-like name that hold no person, and why.
NOT_A_PERSON = {
    "survey_responses.answers": "anonymous survey answers, never linked to who gave them",
}


def _personal_columns(db: Path) -> set[str]:
    conn = sqlite3.connect(db)
    try:
        tables = [
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        return {
            f"{table}.{column[1]}"
            for table in tables
            for column in conn.execute(f"PRAGMA table_info({table})")
            if column[1] in PERSONAL_COLUMNS
        }
    finally:
        conn.close()


def test_every_column_that_holds_a_person_is_exported_and_erased(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path)
    LocalHub(store.path).close()
    found = _personal_columns(store.path)
    store.close()
    covered = set().union(*(part.covers for part in SqliteStore.PERSONAL_PARTS))
    assert "members.username" in found and "meetings.chair" in found
    uncovered = found - covered - LOCAL_FORUM - set(NOT_A_PERSON)
    assert uncovered == set(), f"no PERSONAL_DATA covers {sorted(uncovered)}"
    assert covered - found == set(), "a part claims columns that do not exist"

"""Meeting notes: keys, storage, review and publishing.

The anonymiser is the subpackage :mod:`pspn_core.notes.anonymiser`.

The names below are the package's public API; each submodule is imported on
first use (see :mod:`pspn_core._lazy`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pspn_core._lazy import lazy_exports

if TYPE_CHECKING:
    from pspn_core.notes.keys import KeyRing, create_key_file
    from pspn_core.notes.model import LABELS, Note, NotesConfig, NoteStatus
    from pspn_core.notes.service import (
        NoteStorage,
        PublishOutcome,
        add_note,
        approve_note,
        publish_note,
        purge_raw,
        redact_more,
        restore_finding,
        rotate_keys,
    )

__all__ = [
    "LABELS",
    "KeyRing",
    "Note",
    "NoteStatus",
    "NoteStorage",
    "NotesConfig",
    "PublishOutcome",
    "add_note",
    "approve_note",
    "create_key_file",
    "publish_note",
    "purge_raw",
    "redact_more",
    "restore_finding",
    "rotate_keys",
]

__getattr__ = lazy_exports(
    __name__,
    {
        "LABELS": "model",
        "Note": "model",
        "NoteStatus": "model",
        "NotesConfig": "model",
        "KeyRing": "keys",
        "create_key_file": "keys",
        "NoteStorage": "service",
        "PublishOutcome": "service",
        "add_note": "service",
        "approve_note": "service",
        "publish_note": "service",
        "purge_raw": "service",
        "redact_more": "service",
        "restore_finding": "service",
        "rotate_keys": "service",
    },
)

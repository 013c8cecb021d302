"""Meeting notes: the per-network policy and the stored, anonymised note."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["LABELS", "Note", "NoteStatus", "NotesConfig", "OutboxEntry", "StoredFinding"]


Label = Literal[
    "PERSON",
    "USERNAME",
    "EMAIL",
    "PHONE",
    "NHS_NUMBER",
    "MEDICAL_ID",
    "POSTCODE",
    "ADDRESS",
    "DATE_OF_BIRTH",
    "ORGANISATION",
    "LOCATION",
    "URL",
]

LABELS: tuple[Label, ...] = get_args(Label)


class NotesConfig(BaseModel):
    """``[networks.<slug>.notes]``: how a network's notes are anonymised and kept."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    redact: tuple[Label, ...] = LABELS
    """Which kinds of finding are redacted. All of them unless the network says otherwise."""
    replacement: Literal["label", "pseudonym"] = "label"
    """``label`` writes ``[name]``-style labels; ``pseudonym`` writes "Member A"-style names."""
    keep_raw_days: int = Field(default=0, ge=0, le=3650)
    """Days the encrypted raw notes are kept after publishing (0: deleted at once)."""
    review_below: float = Field(default=0.8, ge=0.0, le=1.0)
    """Findings below this confidence are listed first for the reviewer."""
    two_person_approval: bool = False
    """When true, a note must be approved by someone other than the person who added it."""


class NoteStatus(enum.StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    PUBLISHED = "published"


class Note(BaseModel):
    """An anonymised note as the store keeps it. The raw text is never on this object."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: int
    network: str
    meeting_uid: str | None = None
    text: str
    status: NoteStatus = NoteStatus.DRAFT
    created_at: datetime
    approved_by: str | None = None
    forum_id: str | None = None


@dataclass(frozen=True)
class StoredFinding:
    """A finding as stored: where, what kind, how sure, what replaced it. Never the value."""

    start: int
    end: int
    label: str
    detector: str
    confidence: float
    replacement: str
    restored: bool = False

    def to_json(self) -> dict[str, object]:
        return {
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "detector": self.detector,
            "confidence": self.confidence,
            "replacement": self.replacement,
            "restored": self.restored,
        }


@dataclass(frozen=True)
class OutboxEntry:
    note_id: int
    post_key: str
    state: str
    forum_id: str | None

"""The anonymiser's value types: roster entries, findings, policy and result.

Everything here is immutable, so a compiled roster or a policy can be shared
between calls and threads without copying.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator

from pspn_core.notes.model import LABELS, Label

__all__ = [
    "LABELS",
    "AnonymisedNote",
    "Finding",
    "Label",
    "NotesPolicy",
    "RosterEntry",
]

# The labels are the domain's (``pspn_core.notes.model``), shared with the config.


@dataclass(frozen=True)
class RosterEntry:
    """One member the anonymiser is told about (display name, forum username, organisation)."""

    name: str
    username: str = ""
    organisation: str = ""
    aliases: tuple[str, ...] = ()

    def __repr__(self) -> str:  # a roster is personal data: keep it out of logs
        return "RosterEntry(<redacted>)"


@dataclass(frozen=True, order=True, slots=True)  # slots: a long note has many thousands
class Finding:
    """A span of the input that identifies someone or something.

    ``start``/``end`` are character offsets into the input as given (end
    exclusive). ``key`` groups findings that name the same entity, so that
    pseudonyms stay consistent; it holds personal data and is never shown.
    """

    start: int
    end: int
    label: Label
    detector: str
    confidence: float
    replacement: str = ""
    key: str = field(default="", repr=False, compare=False)


@dataclass(frozen=True)
class AnonymisedNote:
    """The result of :func:`anonymise`: the new text and the sorted findings."""

    text: str
    findings: tuple[Finding, ...]
    format: str

    def __repr__(self) -> str:
        return f"AnonymisedNote(format={self.format!r}, findings={len(self.findings)})"


class NotesPolicy(BaseModel):
    """A network's rules for anonymising notes.

    :param redact: labels to redact (all twelve by default).
    :param replacement: ``"label"`` writes ``[name]``-style tags; ``"pseudonym"``
        writes ``Member A``-style names, consistent within one note only.
    :param review_below: findings under this confidence are flagged for review.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    redact: frozenset[Label] = frozenset(LABELS)
    replacement: Literal["label", "pseudonym"] = "label"
    review_below: float = 0.8

    @field_validator("review_below")
    @classmethod
    def _in_unit_interval(cls, value: float) -> float:
        if not 0.0 <= value <= 1.0:
            raise ValueError("review_below must be between 0 and 1")
        return value

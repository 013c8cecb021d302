"""Members of a network, the applications of people who want to join, and decisions on them."""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = [
    "NAME_LIMIT",
    "Application",
    "ApplicationStatus",
    "Decision",
    "DecisionRun",
    "DecisionStep",
    "Erasure",
    "Member",
    "Outcome",
    "clean_name",
    "has_control_characters",
]

_USERNAME_HELP = (
    "a forum username: 1 to 80 printable characters, not starting with '@' "
    "(Discourse allows letters, digits, '.', '_' and '-'; Invision also allows spaces)"
)


def _check_username(value: str) -> str:
    value = " ".join(value.split())
    if not value or len(value) > 80 or value.startswith("@") or not value.isprintable():
        raise ValueError(f"{value!r} is not {_USERNAME_HELP}")
    return value


#: The longest name or organisation kept (the forums' own limits are lower).
NAME_LIMIT = 200
#: Control characters, surrogates, line and paragraph separators (categories Cc, Cs,
#: Zl, Zp, which Unicode keeps fixed): they split rows and lines. A regular expression
#: searches in C, and a roster of thousands of names is read through this check.
_BREAKING_CHARACTER = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029]")


def has_control_characters(value: str) -> bool:
    """Whether ``value`` holds a control character or a line or paragraph break."""
    return _BREAKING_CHARACTER.search(value) is not None


def _check_name(value: object) -> object:
    """A person's or organisation's name as typed: one line, at most ``NAME_LIMIT`` long."""
    if not isinstance(value, str):
        return value  # the type check that follows refuses it
    if has_control_characters(value):
        raise ValueError("must not contain control characters or line breaks")
    value = " ".join(value.split())
    if len(value) > NAME_LIMIT:
        raise ValueError(f"must be at most {NAME_LIMIT} characters (it has {len(value)})")
    return value


def clean_name(value: str) -> str:
    """A name from a forum made storable: control characters become spaces, then trimmed."""
    text = _BREAKING_CHARACTER.sub(" ", value)
    return " ".join(text.split())[:NAME_LIMIT]


class Member(BaseModel):
    """A person in a network's private group. Identified by (network, username)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    network: str
    username: str
    display_name: str = Field(min_length=1, max_length=NAME_LIMIT)
    organisation: str = ""
    aliases: tuple[str, ...] = ()
    joined_at: datetime | None = None

    _username = field_validator("username")(_check_username)
    _names = field_validator("display_name", "organisation", mode="before")(_check_name)

    def __hash__(self) -> int:
        return hash((self.network, self.username))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Member):
            return NotImplemented
        return (self.network, self.username) == (other.network, other.username)


class ApplicationStatus(enum.StrEnum):
    OPEN = "open"
    NEEDS_INFORMATION = "needs-information"
    ADMITTED = "admitted"
    DECLINED = "declined"


class Application(BaseModel):
    """Someone asking to join a network, with the answers the network asks for."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: int | None = None
    network: str
    username: str
    display_name: str = ""
    email: str = ""
    answers: dict[str, str] = Field(default_factory=dict)
    source: str = "cli"
    source_ref: str = ""
    received_at: datetime
    status: ApplicationStatus = ApplicationStatus.OPEN

    _username = field_validator("username")(_check_username)
    _names = field_validator("display_name", "email", mode="before")(_check_name)


class Outcome(enum.StrEnum):
    ADMIT = "admit"
    DECLINE = "decline"
    ASK = "ask"


class Decision(BaseModel):
    """What a person decided about an application, when and why (the audit trail)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    application_id: int
    outcome: Outcome
    by: str = Field(min_length=1)
    reason: str = Field(min_length=1)
    decided_at: datetime
    question: str = ""


@dataclass(frozen=True)
class Erasure:
    """What an erasure removed or anonymised, counted (no personal data)."""

    counts: Mapping[str, int] = field(default_factory=dict)
    forum: tuple[str, ...] = ()
    """What was removed from the forum itself, or what its administrator must remove."""

    def describe(self) -> str:
        """The non-zero counts, by section name (``nothing`` if there were none)."""
        done = sorted((name, count) for name, count in self.counts.items() if count)
        return ", ".join(f"{name.replace('_', ' ')} {count}" for name, count in done) or "nothing"

    def __getitem__(self, section: str) -> int:
        return self.counts.get(section, 0)


class DecisionStep(enum.StrEnum):
    """The next step of a decision, in order."""

    FORUM = "forum"
    """Admit to (or decline on) the forum; idempotent, so safe to repeat."""
    MESSAGE = "message"
    """Send the message; recorded as begun first, so it is sent at most once."""
    RECORD = "record"
    """Record the decision and add the member, in one transaction."""
    NOTIFY = "notify"
    """Tell the plugins; recorded as done first, so they hear it at most once."""


@dataclass(frozen=True)
class DecisionRun:
    decision: Decision
    step: DecisionStep
    message_sent: bool | None
    """``None`` while unknown: an earlier run stopped while sending."""
    member_added: bool

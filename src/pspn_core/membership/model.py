"""Members of a network, the applications of people who want to join, and decisions on them."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = ["Application", "ApplicationStatus", "Decision", "Erasure", "Member", "Outcome"]

_USERNAME_HELP = (
    "a forum username: 1 to 80 printable characters, not starting with '@' "
    "(Discourse allows letters, digits, '.', '_' and '-'; Invision also allows spaces)"
)


def _check_username(value: str) -> str:
    value = " ".join(value.split())
    if not value or len(value) > 80 or value.startswith("@") or not value.isprintable():
        raise ValueError(f"{value!r} is not {_USERNAME_HELP}")
    return value


class Member(BaseModel):
    """A person in a network's private group. Identified by (network, username)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    network: str
    username: str
    display_name: str = Field(min_length=1, max_length=200)
    organisation: str = ""
    aliases: tuple[str, ...] = ()
    joined_at: datetime | None = None

    _username = field_validator("username")(_check_username)

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

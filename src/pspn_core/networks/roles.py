"""Who may do what in a network: roles from the roster and ``[networks.<slug>.roles]``.

Everyone on the roster is a member. The config names, by forum username, who
also takes notes, chairs (approves and publishes notes) or leads (decides
applications). A role counts only while the person is on the roster, so
leaving the network or being erased ends every role at once.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

__all__ = ["Role", "RolesConfig", "roles_of"]


class Role(enum.StrEnum):
    MEMBER = "member"
    NOTE_TAKER = "note-taker"
    CHAIR = "chair"
    LEAD = "lead"


class RolesConfig(BaseModel):
    """``[networks.<slug>.roles]``: forum usernames with more than the member role."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    note_takers: tuple[str, ...] = ()
    """May upload and review notes and send them for approval."""
    chairs: tuple[str, ...] = ()
    """May also approve and publish notes."""
    leads: tuple[str, ...] = ()
    """May do everything a chair can, and decide applications to join."""


def roles_of(config: RolesConfig, roster: Iterable[str], username: str) -> frozenset[Role]:
    """The roles ``username`` holds: none unless on ``roster``; a lead is also chair and
    note-taker, and a chair is also a note-taker. Usernames compare without case."""
    name = username.casefold()
    if name not in {entry.casefold() for entry in roster}:
        return frozenset()
    held = {Role.MEMBER}

    def listed(names: tuple[str, ...]) -> bool:
        return name in {entry.casefold() for entry in names}

    if listed(config.leads):
        held |= {Role.LEAD, Role.CHAIR, Role.NOTE_TAKER}
    if listed(config.chairs):
        held |= {Role.CHAIR, Role.NOTE_TAKER}
    if listed(config.note_takers):
        held.add(Role.NOTE_TAKER)
    return frozenset(held)

"""A network: one peer-support group on a hub, with its forum mapping and its rules."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from pspn_core.meetings.model import MeetingRules, OnlineConfig
from pspn_core.membership.eligibility import MembershipConfig
from pspn_core.networks.roles import RolesConfig
from pspn_core.notes.model import NotesConfig

__all__ = ["SLUG_PATTERN", "Network"]

SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9-]{0,39}$")


class Network(BaseModel):
    """``[networks.<slug>]``: a network hosted on the hub.

    ``forum`` is the network's own table for the hub's forum adapter (its
    private group or club, notes area and calendar); the adapter validates it.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    slug: str
    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    forum: dict[str, Any] = Field(default_factory=dict)
    meetings: MeetingRules | None = None
    online: OnlineConfig = OnlineConfig()
    notes: NotesConfig = NotesConfig()
    membership: MembershipConfig = MembershipConfig()
    roles: RolesConfig = RolesConfig()

    @field_validator("slug")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not SLUG_PATTERN.match(value):
            raise ValueError(
                f"{value!r} is not a valid network slug: use lower-case letters, digits "
                "and '-', starting with a letter, at most 40 characters (e.g. 'pspn')"
            )
        return value

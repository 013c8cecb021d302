"""The Invision adapter's settings: ``[adapters.invision]`` and ``[networks.<slug>.forum]``.

Validated by pydantic when pspn reads ``pspn.toml``; unknown keys are refused,
so a key pasted into the file as ``api_key = ...`` is an error, not a secret
silently kept in a file.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["InvisionNetworkSettings", "InvisionSettings"]


class InvisionSettings(BaseModel):
    """``[adapters.invision]``: where the community's API is and how we sign in."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    base_url: str = Field(
        pattern=r"^https?://\S+$",
        description="the /api root, e.g. https://community.example.org/api "
        "(or .../api/index.php without URL rewriting)",
    )
    api_key_env: str = Field(
        default="PSPN_INVISION_API_KEY",
        pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
        description="the NAME of the environment variable holding the REST API key",
    )
    requests_per_minute: int = Field(default=60, ge=6, description="client-side pacing")
    display_name_field_id: int | None = Field(
        default=None, gt=0, description="custom profile field holding people's full names"
    )
    page_size: int = Field(default=250, ge=1, le=1000, description="perPage for listings")
    timeout_seconds: float = Field(default=30.0, gt=0)
    retries: int = Field(default=4, ge=0, le=10, description="tries after the first")


class InvisionNetworkSettings(BaseModel):
    """``[networks.<slug>.forum]`` on Invision: exactly one of ``club_id`` and ``group_id``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    club_id: int | None = Field(default=None, gt=0, description="the network's private club")
    group_id: int | None = Field(
        default=None, gt=0, description="or: the secondary member group that is the network"
    )
    notes_forum_id: int = Field(gt=0, description="the private forum for notes")
    calendar_id: int = Field(gt=0, description="the calendar meetings go in")
    acting_member_id: int = Field(gt=0, description="the member who posts and sends messages")
    staff_group_ids: tuple[int, ...] = Field(
        default=(), description="groups besides the network's that may see a group's notes forum"
    )

    @model_validator(mode="after")
    def _one_private_group(self) -> InvisionNetworkSettings:
        if (self.club_id is None) == (self.group_id is None):
            raise ValueError("set exactly one of club_id (a club) and group_id (a member group)")
        return self

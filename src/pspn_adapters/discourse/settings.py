"""What the Discourse adapter reads from ``pspn.toml``.

Kept apart from the client and the adapter so that registering the plugin,
which every command does, imports no HTTP library.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["MAX_PAGE", "DiscourseNetworkSettings", "DiscourseSettings"]

#: The largest ``limit`` the members listing accepts.
MAX_PAGE = 1000


class DiscourseSettings(BaseModel):
    """``[adapters.discourse]``: where the forum is and how we sign in."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    base_url: str = Field(pattern=r"^https?://\S+$", description="e.g. https://forum.example.org")
    api_username: str = Field(min_length=1, description="the admin user the key acts as")
    api_key_env: str = Field(
        default="PSPN_DISCOURSE_API_KEY",
        pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
        description="the NAME of the environment variable holding the admin API key",
    )
    requests_per_minute: int = Field(default=60, ge=6, description="max_admin_api_reqs_per_minute")
    page_size: int = Field(default=MAX_PAGE, ge=1, le=MAX_PAGE)
    timeout_seconds: float = Field(default=30.0, gt=0)
    retries: int = Field(default=4, ge=0, le=10, description="tries after the first")


class DiscourseNetworkSettings(BaseModel):
    """``[networks.<slug>.forum]`` on Discourse."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    group: str = Field(min_length=1, description="the network's private group (name)")
    notes_category_id: int = Field(gt=0, description="the private category for notes")
    calendar_category_id: int = Field(gt=0, description="the category meetings go in")

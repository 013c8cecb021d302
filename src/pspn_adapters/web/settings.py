"""``[adapters.web]``: the members' web app in ``pspn serve``.

The session-signing key is named, never written: ``secret_key_env`` names the
environment variable that holds it. Without one, the app keeps a random key in
``<data_dir>/web-secret.key`` (mode 600), so sessions survive a restart.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pspn_core.config import Config, describe_validation_error
from pspn_core.errors import ConfigError

if TYPE_CHECKING:
    from pspn_adapters.web.invision_client import InvisionOAuth

__all__ = ["WebSettings", "connect_secret", "invision_oauth", "secret_key", "web_settings"]


class WebSettings(BaseModel):
    """``[adapters.web]``: sign-in, sessions and uploads."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    secret_key_env: str = Field(
        default="PSPN_WEB_SECRET",
        pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
        description="the NAME of the variable holding the key that signs session cookies",
    )
    discourse_connect_secret_env: str = Field(
        default="PSPN_DISCOURSE_CONNECT_SECRET",
        pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
        description="the NAME of the variable holding the DiscourseConnect provider secret; "
        "when it is set (and hub.forum is discourse), the sign-in page offers the forum",
    )
    invision_client_id: str = Field(
        default="",
        description="the OAuth client id pspn is registered as on Invision (AdminCP > System > "
        "REST & OAuth > OAuth Clients); with the secret set, the sign-in page offers the forum",
    )
    invision_client_secret_env: str = Field(
        default="PSPN_INVISION_OAUTH_SECRET",
        pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
        description="the NAME of the variable holding that OAuth client's secret",
    )
    link_minutes: int = Field(default=15, ge=1, le=60, description="sign-in links last this long")
    idle_minutes: int = Field(
        default=30, ge=5, le=24 * 60, description="a session ends after this long unused"
    )
    max_upload_bytes: int = Field(
        default=512 * 1024, ge=1024, le=16 * 1_048_576, description="largest note upload"
    )
    links_per_username: int = Field(
        default=3, ge=1, le=100, description="sign-in links per username per hour"
    )
    trusted_proxies: int = Field(
        default=0,
        ge=0,
        le=5,
        description="how many reverse proxies in front set X-Forwarded-For and -Proto "
        "(1 behind one nginx or Caddy); 0 trusts no such header",
    )
    links_per_address: int = Field(
        default=10, ge=1, le=1000, description="sign-in requests per network address per hour"
    )


def web_settings(config: Config) -> WebSettings:
    """The validated ``[adapters.web]`` table (defaults when there is none)."""
    try:
        return WebSettings.model_validate(config.adapters.get("web", {}))
    except ValidationError as error:
        raise ConfigError(
            f"{config.source}: {describe_validation_error(error, 'adapters.web')}"
        ) from None


def secret_key(settings: WebSettings, data_dir: Path, environ: Mapping[str, str]) -> bytes:
    """The session-signing key: from the environment, else the data directory's key file."""
    value = environ.get(settings.secret_key_env, "").strip()
    if value:
        if len(value) < 32:
            raise ConfigError(
                f"the web session key in {settings.secret_key_env} is shorter than 32 "
                "characters; make a longer random one (e.g. `openssl rand -hex 32`)"
            )
        return value.encode()
    path = data_dir / "web-secret.key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text(encoding="ascii").strip().encode()


def connect_secret(
    settings: WebSettings, config: Config, environ: Mapping[str, str]
) -> tuple[bytes, str] | None:
    """The DiscourseConnect secret and the forum's address, when sign-in by the forum is on."""
    value = environ.get(settings.discourse_connect_secret_env, "").strip()
    if config.hub.forum != "discourse" or not value:
        return None
    if len(value) < 10:
        raise ConfigError(
            f"the DiscourseConnect secret in {settings.discourse_connect_secret_env} is shorter "
            "than 10 characters; make a long random one (e.g. `openssl rand -hex 32`) on both sides"
        )
    base_url = str(config.adapters.get("discourse", {}).get("base_url", "")).rstrip("/")
    if not base_url:
        raise ConfigError(
            f"{config.source}: [adapters.discourse] base_url is needed for DiscourseConnect"
        )
    return value.encode(), base_url


def invision_oauth(
    settings: WebSettings, config: Config, environ: Mapping[str, str]
) -> InvisionOAuth | None:
    """The Invision OAuth client, when sign-in by the forum is on."""
    from pspn_adapters.web.invision_client import InvisionOAuth

    secret = environ.get(settings.invision_client_secret_env, "").strip()
    if config.hub.forum != "invision" or not settings.invision_client_id or not secret:
        return None
    api_url = str(config.adapters.get("invision", {}).get("base_url", "")).rstrip("/?")
    community = re.sub(r"/api(/index\.php)?$", "", api_url)
    if not api_url or community == api_url:
        raise ConfigError(
            f"{config.source}: [adapters.invision] base_url must be the /api root (e.g. "
            "https://community.example.org/api) for sign-in with Invision"
        )
    return InvisionOAuth(community, api_url, settings.invision_client_id, secret)

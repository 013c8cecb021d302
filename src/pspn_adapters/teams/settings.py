"""``[platforms.teams]``: which tenant, which app registration, whose calendar."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = ["GRAPH_SCOPE", "TeamsSettings"]

#: App-only tokens ask for every application permission the tenant granted the app.
GRAPH_SCOPE = "https://graph.microsoft.com/.default"

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class TeamsSettings(BaseModel):
    """``[platforms.teams]`` in ``pspn.toml``. Secrets are named, never written here."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    tenant_id: str = Field(min_length=1)
    """The Microsoft Entra tenant (directory) id, or its domain (``example.onmicrosoft.com``)."""
    client_id: str = Field(min_length=1)
    """The app registration's application (client) id."""
    client_secret_env: str | None = None
    """The environment variable that holds the app's client secret."""
    certificate_env: str | None = None
    """Or: the environment variable that holds the app's certificate private key (PEM)."""
    certificate_thumbprint: str | None = None
    """The certificate's SHA-1 thumbprint, as the app registration shows it."""
    organiser: str = Field(min_length=3)
    """The account whose calendar holds the meetings (``psp-meetings@example.nhs.uk``)."""
    authority_host: str = "https://login.microsoftonline.com"
    """Where tokens come from (another cloud, or a test double)."""
    graph_url: str = "https://graph.microsoft.com/v1.0"
    ca_bundle: Path | None = None
    """A CA bundle to trust instead of the system's (a TLS-inspecting proxy, a test double)."""
    timeout_seconds: float = Field(default=30.0, gt=0, le=300)
    retries: int = Field(default=4, ge=0, le=10)
    page_size: int = Field(default=50, ge=1, le=50)

    @model_validator(mode="before")
    @classmethod
    def _variable_names(cls, data: Any) -> Any:
        """Refuse a value that is not a variable name, without echoing it: it may be
        the secret itself, written where its variable's name belongs."""
        if isinstance(data, dict):
            for key in ("client_secret_env", "certificate_env"):
                value = data.get(key)
                if value is not None and not (isinstance(value, str) and _ENV_NAME.match(value)):
                    raise ValueError(
                        f"{key} is not an environment variable name: give the NAME of the "
                        "variable that holds the secret (e.g. PSPN_TEAMS_SECRET), never the "
                        "secret itself; if you wrote the secret here, remove it and rotate it"
                    )
        return data

    @field_validator("authority_host", "graph_url")
    @classmethod
    def _https(cls, value: str) -> str:
        if not value.startswith("https://"):
            raise ValueError(f"{value!r} must be an https:// address")
        return value.rstrip("/")

    @model_validator(mode="after")
    def _one_credential(self) -> TeamsSettings:
        if (self.client_secret_env is None) == (self.certificate_env is None):
            raise ValueError(
                "give exactly one of client_secret_env (a client secret) or certificate_env "
                "(a certificate's private key), each the name of an environment variable"
            )
        if self.certificate_env is not None and not self.certificate_thumbprint:
            raise ValueError(
                "certificate_env needs certificate_thumbprint (from the app registration)"
            )
        return self

    @property
    def authority(self) -> str:
        return f"{self.authority_host}/{self.tenant_id}"

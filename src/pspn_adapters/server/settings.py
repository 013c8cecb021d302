"""``[adapters.server]``: how ``pspn serve`` checks deliveries and where they belong.

Secrets are named, never written: the table gives the NAMES of the environment
variables that hold the Discourse webhook secret and the Invision key. Which
forum group, category or field stands for which network is set per network in
``[adapters.server.networks.<slug>]``, since the forums' own tables describe
what pspn writes, not what the forums announce.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pspn_core.config import Config, describe_validation_error
from pspn_core.errors import ConfigError

__all__ = ["NetworkRoutes", "Secrets", "ServerSettings", "load_secrets", "server_settings"]

_ENV_NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"


class NetworkRoutes(BaseModel):
    """``[adapters.server.networks.<slug>]``: which forum objects announce this network's news."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    discourse_group_id: int | None = Field(
        default=None, gt=0, description="Discourse: the numeric id of the network's group"
    )
    topics_category_id: int | None = Field(
        default=None, gt=0, description="Discourse: the category where members raise topics"
    )
    topics_forum_id: int | None = Field(
        default=None, gt=0, description="Invision: the forum where members raise topics"
    )
    signup_field_id: int | None = Field(
        default=None, gt=0, description="Invision: the yes/no profile field ticked at sign-up"
    )


class ServerSettings(BaseModel):
    """``[adapters.server]``: the webhook receiver and the calendar feed."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    discourse_secret_env: str = Field(
        default="PSPN_DISCOURSE_WEBHOOK_SECRET",
        pattern=_ENV_NAME,
        description="the NAME of the variable holding the Discourse webhook secret",
    )
    invision_key_env: str | None = Field(
        default=None,
        pattern=_ENV_NAME,
        description="the NAME of the variable holding the key Invision sends as Basic "
        "credentials (default: [adapters.invision] api_key_env, else PSPN_INVISION_API_KEY)",
    )
    max_body_bytes: int = Field(default=1_048_576, ge=1024, le=64 * 1_048_576)
    public_url: str = Field(
        default="",
        pattern=r"^(https?://\S+)?$",
        description="where members reach this server, e.g. https://pspn.example.org",
    )
    threads: int = Field(default=8, ge=1, le=64, description="waitress worker threads")
    connection_limit: int = Field(
        default=1000,
        ge=10,
        le=10_000,
        description="open connections at once; idle and slow clients beyond it wait",
    )
    client_timeout_seconds: int = Field(
        default=10,
        ge=1,
        le=300,
        description="a connection idle, or sending its request this slowly, is closed after it",
    )
    networks: dict[str, NetworkRoutes] = Field(default_factory=dict)


def server_settings(config: Config) -> ServerSettings:
    """The validated ``[adapters.server]`` table (defaults when there is none)."""
    table = config.adapters.get("server", {})
    try:
        settings = ServerSettings.model_validate(table)
    except ValidationError as error:
        raise ConfigError(
            f"{config.source}: {describe_validation_error(error, 'adapters.server')}"
        ) from None
    unknown = sorted(set(settings.networks) - set(config.networks))
    if unknown:
        raise ConfigError(
            f"{config.source}: adapters.server.networks names {', '.join(unknown)}, which "
            f"[networks] does not configure; correct the slug or remove the table"
        )
    return settings


class Secrets:
    """The webhook credentials, read once from the environment. Never shown in a repr."""

    __slots__ = ("discourse", "invision")

    def __init__(self, discourse: bytes | None, invision: bytes | None) -> None:
        self.discourse = discourse
        self.invision = invision

    def __repr__(self) -> str:
        shown = [name for name in self.__slots__ if getattr(self, name)]
        return f"Secrets(set={shown})"


def load_secrets(config: Config, settings: ServerSettings, environ: Mapping[str, str]) -> Secrets:
    """Read the secrets the config names; the hub's own forum must have its secret set."""
    invision_env = settings.invision_key_env or str(
        config.adapters.get("invision", {}).get("api_key_env", "PSPN_INVISION_API_KEY")
    )
    names = {"discourse": settings.discourse_secret_env, "invision": invision_env}
    values = {forum: environ.get(name, "").strip() for forum, name in names.items()}
    forum = config.hub.forum
    if forum in names and not values[forum]:
        raise ConfigError(
            f"hub.forum is {forum!r}, so `pspn serve` needs its webhook credential in the "
            f"environment variable {names[forum]} ([adapters.server] in {config.source} "
            "names it); export it before starting the server (see docs/serve.md)"
        )
    if values["discourse"] and len(values["discourse"]) < 12:
        raise ConfigError(
            f"the Discourse webhook secret in {names['discourse']} is shorter than the 12 "
            "characters Discourse requires; make a longer one on both sides"
        )
    return Secrets(
        values["discourse"].encode() or None,
        values["invision"].encode() or None,
    )

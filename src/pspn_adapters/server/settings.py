"""``[adapters.server]``: how ``pspn serve`` checks deliveries and where they belong.

Secrets are named, never written: the table gives the NAMES of the environment
variables that hold the Discourse webhook secret and the Invision key (each
forum adapter's webhook receiver reads its own). Which
forum group, category or field stands for which network is set per network in
``[adapters.server.networks.<slug>]``, since the forums' own tables describe
what pspn writes, not what the forums announce.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pspn_core.config import Config, describe_validation_error
from pspn_core.errors import ConfigError
from pspn_core.ports import WebhookReceiver

__all__ = ["NetworkRoutes", "ServerSettings", "Webhook", "server_settings"]

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
    collect_every_minutes: int | None = Field(
        default=None,
        ge=5,
        le=1440,
        description="collect ended meetings' transcripts and chat this often (off if unset)",
    )
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


class Webhook:
    """The hub forum's webhook receiver and its credential. The credential is never shown."""

    __slots__ = ("forum", "receiver", "secret")

    def __init__(self, forum: str, receiver: WebhookReceiver, secret: bytes) -> None:
        self.forum = forum
        self.receiver = receiver
        self.secret = secret

    def __repr__(self) -> str:
        return f"Webhook({self.forum!r}, secret=<hidden>)"

"""``pspn.toml``: reading and validating the hub's configuration.

Secrets never live in the file: it names the environment variables that hold
them. Every problem becomes a :class:`~pspn_core.errors.ConfigError` that names
the file, the key and the fix.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from pspn_core.errors import ConfigError
from pspn_core.networks.model import Network

__all__ = [
    "CONFIG_ENV",
    "DEFAULT_CONFIG_NAME",
    "Config",
    "HubSettings",
    "describe_validation_error",
    "example_config",
    "find_config",
    "load_config",
    "parse_config",
]

CONFIG_ENV = "PSPN_CONFIG"
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: The longest file or directory name most file systems take.
_NAME_MAX = 255
DEFAULT_CONFIG_NAME = "pspn.toml"


class HubSettings(BaseModel):
    """``[hub]``: the hub as a whole."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = "Patient safety hub"
    forum: str = "local"
    """Which forum adapter the hub uses: ``local`` (embedded), ``discourse`` or ``invision``."""
    platform: str = "local"
    """Where meetings happen unless a network says otherwise: ``local`` (embedded) or ``teams``."""
    data_dir: Path = Path("pspn-data")
    """Where pspn keeps its database; relative paths are relative to the config file."""
    key_env: str = "PSPN_KEY"
    """Name of the environment variable that may hold the encryption key."""
    key_file: Path | None = None
    """Key file; by default ``<data_dir>/pspn.key``."""

    @field_validator("name")
    @classmethod
    def _one_line(cls, value: str) -> str:
        if not value.strip() or not value.isprintable():
            raise ValueError("must be one line of printable text")
        return value.strip()

    @field_validator("forum")
    @classmethod
    def _adapter_name(cls, value: str) -> str:
        if not value.isidentifier():
            raise ValueError("must name a forum adapter, e.g. 'local', 'discourse' or 'invision'")
        return value

    @field_validator("data_dir", "key_file")
    @classmethod
    def _usable_path(cls, value: Path | None) -> Path | None:
        if value is None:
            return value
        if not str(value).isprintable():
            raise ValueError("must be a path without control characters")
        if any(len(part.encode()) > _NAME_MAX for part in value.parts):
            raise ValueError(f"has a part longer than {_NAME_MAX} bytes; shorten it")
        return value

    @field_validator("key_env")
    @classmethod
    def _variable_name(cls, value: str) -> str:
        if not _ENV_NAME.fullmatch(value):
            raise ValueError(
                "must be an environment variable's name: letters, digits and '_', "
                "not starting with a digit (e.g. PSPN_KEY)"
            )
        return value


class Config(BaseModel):
    """The whole of ``pspn.toml``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    hub: HubSettings = HubSettings()
    adapters: dict[str, dict[str, Any]] = Field(default_factory=dict)
    platforms: dict[str, dict[str, Any]] = Field(default_factory=dict)
    """``[platforms.<name>]``: each meeting platform's settings, validated by its plugin."""
    networks: dict[str, Network]
    source: Path | None = Field(default=None, exclude=True)

    @field_validator("networks", mode="before")
    @classmethod
    def _slugs_from_keys(cls, value: Any) -> Any:
        if isinstance(value, Mapping):
            return {
                key: {"slug": key, **table} if isinstance(table, Mapping) else table
                for key, table in value.items()
            }
        return value

    @field_validator("networks")
    @classmethod
    def _at_least_one(cls, value: dict[str, Network]) -> dict[str, Network]:
        if not value:
            raise ValueError(
                "no network is configured: add a [networks.<slug>] table (see `pspn init`)"
            )
        return value

    @property
    def data_dir(self) -> Path:
        base = self.source.parent if self.source else Path.cwd()
        return (base / self.hub.data_dir).resolve()

    @property
    def key_file(self) -> Path:
        if self.hub.key_file is None:
            return self.data_dir / "pspn.key"
        base = self.source.parent if self.source else Path.cwd()
        return (base / self.hub.key_file).resolve()

    def platform_of(self, slug: str) -> tuple[str, str]:
        """The meeting platform network ``slug`` uses, and the config key that chose it."""
        chosen = self.network(slug).online.platform
        if chosen is not None:
            return chosen, f"networks.{slug}.online.platform"
        return self.hub.platform, "hub.platform"

    def names_platform(self, slug: str) -> bool:
        """Whether the file itself chooses network ``slug``'s platform (not the default)."""
        return (
            self.network(slug).online.platform is not None
            or "platform" in self.hub.model_fields_set
        )

    def network(self, slug: str) -> Network:
        try:
            return self.networks[slug]
        except KeyError:
            known = ", ".join(sorted(self.networks))
            raise ConfigError(
                f"there is no network {slug!r} in {self.source}; configured networks: {known}"
            ) from None


def find_config(explicit: Path | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """The config file to use: ``--config``, then ``$PSPN_CONFIG``, then ``./pspn.toml``."""
    environ = os.environ if environ is None else environ
    if explicit is not None:
        return explicit
    if environ.get(CONFIG_ENV):
        return Path(environ[CONFIG_ENV])
    return Path(DEFAULT_CONFIG_NAME)


def load_config(path: Path) -> Config:
    """Read and validate ``path``."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(
            f"no configuration file at {path}. Run `pspn init` to write an example, "
            f"or point --config or ${CONFIG_ENV} at yours."
        ) from None
    except OSError as error:
        raise ConfigError(f"cannot read {path}: {error.strerror}.") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not UTF-8 text; save it as UTF-8.") from None
    return parse_config(text, source=path)


def parse_config(text: str, *, source: Path) -> Config:
    """Validate the TOML ``text`` of a config file (``source`` is named in errors)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{source} is not valid TOML: {error}. Fix the syntax there.") from None
    try:
        config = Config.model_validate(data)
    except ValidationError as error:
        raise ConfigError(f"{source}: {describe_validation_error(error)}") from None
    return config.model_copy(update={"source": source.resolve()})


def describe_validation_error(error: ValidationError, prefix: str = "") -> str:
    """One paragraph naming every bad key (dotted, as in the TOML) and how to fix it."""
    parts = []
    for item in error.errors(include_url=False):
        loc = ".".join(str(p) for p in (prefix, *item["loc"]) if p != "")
        kind = item["type"]
        if kind == "extra_forbidden":
            message = "unknown key; remove it or correct its spelling"
        elif kind == "missing":
            message = "required key is missing; add it (`pspn init` writes an example)"
        else:
            message = item["msg"]
            if message.startswith("Value error, "):
                message = message[len("Value error, ") :]
            shown = _shown(item.get("input"))
            if shown:
                message = f"{message} (got {shown})"
        parts.append(f"{loc}: {message}" if loc else message)
    return "; ".join(parts) + "."


def _shown(value: Any) -> str:
    if isinstance(value, str | int | float | bool) and len(repr(value)) <= 60:
        return repr(value)
    return ""


def example_config() -> str:
    """The commented example ``pspn.toml`` with the PSPN's own rules (``pspn init`` writes it)."""
    from importlib import resources

    return resources.files("pspn_core").joinpath("example.toml").read_text(encoding="utf-8")

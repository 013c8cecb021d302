"""Registries that plugins fill through the ``pspn_register_*`` hooks.

A registry validates what it is given and refuses duplicates, so that two
plugins cannot silently fight over one name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from pspn_core.errors import ConfigError
from pspn_core.ports import Forum

__all__ = ["ForumContext", "ForumRegistry", "ForumType"]


@dataclass(frozen=True)
class ForumContext:
    """What a forum factory is given to build the :class:`Forum` of one network.

    :param network: the network's slug.
    :param settings: the validated ``[adapters.<name>]`` table (the adapter's own model).
    :param network_settings: the validated ``[networks.<slug>.forum]`` table.
    :param data_dir: the hub's data directory (the local forum keeps its database there).
    :param environ: where secrets are read from, by the names the config gives.
    """

    network: str
    settings: BaseModel
    network_settings: BaseModel
    data_dir: Path
    environ: Mapping[str, str]

    def secret(self, variable: str, *, table: str, how_to_get: str) -> str:
        """The secret held in the environment variable ``variable``.

        A missing or empty variable is a :class:`ConfigError` that names the
        config table that points at it and says how to get the secret.
        """
        value = self.environ.get(variable, "").strip()
        if not value:
            raise ConfigError(
                f"[{table}] names the environment variable {variable} for its secret, but "
                f"it is not set. {how_to_get} and export {variable} before running pspn."
            )
        return value


@dataclass(frozen=True)
class ForumType:
    """A kind of forum an adapter can talk to.

    :param name: the name used in ``hub.forum`` and ``[adapters.<name>]``.
    :param settings_model: pydantic model for ``[adapters.<name>]``.
    :param network_model: pydantic model for each network's ``forum`` table.
    :param create: builds the network's :class:`Forum` from a :class:`ForumContext`.
    """

    name: str
    settings_model: type[BaseModel]
    network_model: type[BaseModel]
    create: Callable[[ForumContext], Forum]
    description: str = ""


class ForumRegistry:
    """The forum types plugins have registered, by name."""

    def __init__(self) -> None:
        self._types: dict[str, ForumType] = {}

    def add(self, forum_type: ForumType) -> None:
        if not forum_type.name.isidentifier():
            raise ValueError(f"forum type name {forum_type.name!r} must be an identifier")
        if forum_type.name in self._types:
            raise ValueError(f"forum type {forum_type.name!r} is registered twice")
        self._types[forum_type.name] = forum_type

    def get(self, name: str) -> ForumType:
        try:
            return self._types[name]
        except KeyError:
            known = ", ".join(sorted(self._types)) or "none"
            raise ConfigError(
                f"hub.forum is {name!r}, but no installed plugin provides that forum "
                f"(known: {known}). Install the adapter or correct hub.forum."
            ) from None

    def __iter__(self) -> Iterator[ForumType]:
        return iter(sorted(self._types.values(), key=lambda t: t.name))

    def __contains__(self, name: object) -> bool:
        return name in self._types

    def names(self) -> list[str]:
        return sorted(self._types)


def validate_settings(model: type[BaseModel], data: Mapping[str, Any], where: str) -> BaseModel:
    """Validate an adapter's settings table, turning errors into a :class:`ConfigError`."""
    from pydantic import ValidationError

    from pspn_core.config import describe_validation_error

    try:
        return model.model_validate(dict(data))
    except ValidationError as error:
        raise ConfigError(describe_validation_error(error, prefix=where)) from None

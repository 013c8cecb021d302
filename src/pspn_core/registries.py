"""The registries that plugins fill through the ``pspn_register_*`` hooks.

Every registry validates what it is given and refuses a second item with the
same name, so that two plugins cannot silently fight over one name. pspn's own
forum types, detectors and eligibility rules go through the same registries
(registered by its default plugins) as a third party's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel

from pspn_core.errors import ConfigError
from pspn_core.ports import Forum, MeetingPlatform, WebhookReceiver

if TYPE_CHECKING:
    from pspn_core.config import Config
    from pspn_core.membership.eligibility import EligibilityRule
    from pspn_core.notes.anonymiser.context import Detector

__all__ = [
    "DetectorRegistry",
    "EligibilityRegistry",
    "ForumContext",
    "ForumRegistry",
    "ForumType",
    "PlatformContext",
    "PlatformRegistry",
    "PlatformType",
    "ProgressReport",
    "Registry",
    "validate_forum_tables",
    "validate_settings",
]

T = TypeVar("T")


class Registry(Generic[T]):
    """Named items in the order they were added; a name registered twice is refused.

    Subclasses say what an item is called (``kind``) and how its name is found
    and checked (:meth:`name_of`, which raises ``TypeError`` or ``ValueError``).
    """

    kind = "item"

    def __init__(self, items: Iterable[T] = ()) -> None:
        self._items: dict[str, T] = {}
        for item in items:
            self.add(item)

    def name_of(self, item: T) -> str:
        raise NotImplementedError

    def add(self, item: T) -> None:
        name = self.name_of(item)
        if name in self._items:
            raise ValueError(f"{self.kind} {name!r} is registered twice")
        self._items[name] = item

    def __iter__(self) -> Iterator[T]:
        return iter(self._items.values())

    def __contains__(self, name: object) -> bool:
        return name in self._items

    def names(self) -> list[str]:
        return list(self._items)

    def _identifier(self, name: str) -> str:
        """``name``, if it can be a configuration value (a Python identifier)."""
        if not name.isidentifier():
            raise ValueError(f"{self.kind} name {name!r} must be an identifier")
        return name

    def _chosen(self, name: str, *, key: str, noun: str, install: str) -> T:
        """The item that configuration key ``key`` names; a :class:`ConfigError` if none."""
        try:
            return self._items[name]
        except KeyError:
            known = ", ".join(sorted(self._items)) or "none"
            raise ConfigError(
                f"{key} is {name!r}, but no installed plugin provides that {noun} "
                f"(known: {known}). Install the {install} or correct {key}."
            ) from None


#: ``progress(task, done, total)``: how far a long piece of work has got.
ProgressReport = Callable[[str, int, "int | None"], None]


@dataclass(frozen=True)
class ForumContext:
    """What a forum factory is given to build the :class:`Forum` of one network.

    :param network: the network's slug.
    :param settings: the validated ``[adapters.<name>]`` table (the adapter's own model).
    :param network_settings: the validated ``[networks.<slug>.forum]`` table.
    :param data_dir: the hub's data directory (the local forum keeps its database there).
    :param environ: where secrets are read from, by the names the config gives.
    :param progress: where to report progress on long work, as
        ``progress(task, done, total)`` (``total`` is ``None`` while unknown);
        the face shows it (the CLI draws a bar on a terminal). Adapters report
        through :meth:`progress_of` and never write to the terminal themselves.

    .. versionchanged:: 0.2 ``progress`` added.
    """

    network: str
    settings: BaseModel
    network_settings: BaseModel
    data_dir: Path
    environ: Mapping[str, str]
    progress: ProgressReport | None = None

    def progress_of(self, task: str) -> Callable[[int, int | None], None] | None:
        """A ``(done, total)`` callback for ``task`` (e.g. ``"members"``), or ``None`` if unwatched.

        The task is shown with the network's slug, e.g. ``pspn: members``.
        """
        report = self.progress
        if report is None:
            return None
        label = f"{self.network}: {task}"

        def step(done: int, total: int | None) -> None:
            report(label, done, total)

        return step

    def secret(self, variable: str, *, table: str, how_to_get: str) -> str:
        """The secret held in the environment variable ``variable``.

        A missing or empty variable is a :class:`ConfigError` that names the
        config table that points at it and says how to get the secret.
        """
        return _secret(self.environ, variable, table=table, how_to_get=how_to_get)


def _secret(environ: Mapping[str, str], variable: str, *, table: str, how_to_get: str) -> str:
    value = environ.get(variable, "").strip()
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
    :param webhooks: how ``pspn serve`` receives this forum's webhooks at
        ``/webhooks/<name>``; ``None`` if it sends none.
    """

    name: str
    settings_model: type[BaseModel]
    network_model: type[BaseModel]
    create: Callable[[ForumContext], Forum]
    description: str = ""
    webhooks: WebhookReceiver | None = None


class ForumRegistry(Registry[ForumType]):
    """The forum types plugins have registered (``pspn_register_forums``)."""

    kind = "forum type"

    def name_of(self, item: ForumType) -> str:
        return self._identifier(item.name)

    def get(self, name: str) -> ForumType:
        return self._chosen(name, key="hub.forum", noun="forum", install="adapter")

    def __iter__(self) -> Iterator[ForumType]:
        return iter(sorted(self._items.values(), key=lambda t: t.name))

    def names(self) -> list[str]:
        return sorted(self._items)


@dataclass(frozen=True)
class PlatformContext:
    """What a platform factory is given to build the :class:`MeetingPlatform` of one network.

    :param network: the network's slug.
    :param settings: the validated ``[platforms.<name>]`` table (the platform's own model).
    :param data_dir: the hub's data directory.
    :param environ: where secrets are read from, by the names the config gives.
    """

    network: str
    settings: BaseModel
    data_dir: Path
    environ: Mapping[str, str]

    def secret(self, variable: str, *, table: str, how_to_get: str) -> str:
        """The secret held in ``variable``; a missing one is a :class:`ConfigError`."""
        return _secret(self.environ, variable, table=table, how_to_get=how_to_get)


@dataclass(frozen=True)
class PlatformType:
    """A kind of meeting platform a plugin can talk to.

    :param name: the name used in ``hub.platform``, ``[networks.<slug>.online]
        platform`` and ``[platforms.<name>]``.
    :param settings_model: pydantic model for ``[platforms.<name>]``.
    :param create: builds the network's :class:`MeetingPlatform`.
    """

    name: str
    settings_model: type[BaseModel]
    create: Callable[[PlatformContext], MeetingPlatform]
    description: str = ""


class PlatformRegistry(Registry[PlatformType]):
    """The meeting platforms plugins have registered (``pspn_register_platforms``)."""

    kind = "meeting platform"

    def name_of(self, item: PlatformType) -> str:
        if not isinstance(item, PlatformType):
            raise TypeError(f"{item!r} is not a PlatformType")
        return self._identifier(item.name)

    def get(self, name: str, *, key: str = "hub.platform") -> PlatformType:
        """The platform called ``name``; ``key`` is the config key that named it."""
        return self._chosen(name, key=key, noun="meeting platform", install="plugin")

    def names(self) -> list[str]:
        return sorted(self._items)


class DetectorRegistry(Registry["Detector"]):
    """The anonymiser's detectors (``pspn_register_detectors``); every one of them runs."""

    kind = "detector"

    def name_of(self, item: Detector) -> str:
        name = getattr(item, "name", "")
        if not isinstance(name, str) or not name:
            raise ValueError("a detector needs a non-empty string attribute 'name'")
        if not callable(getattr(item, "detect", None)):
            raise ValueError(f"detector {name!r} has no detect(text, context) method")
        return name

    def detectors(self) -> list[Detector]:
        """All registered detectors, in the order they were added."""
        return list(self)


class EligibilityRegistry(Registry["EligibilityRule"]):
    """The rules that run on every application (``pspn_register_eligibility_rules``)."""

    kind = "eligibility rule"

    def name_of(self, item: EligibilityRule) -> str:
        from pspn_core.membership.eligibility import EligibilityRule

        if not isinstance(item, EligibilityRule):
            raise TypeError(f"{item!r} is not an eligibility rule (needs name and check)")
        return item.name


def validate_forum_tables(config: Config, forums: ForumRegistry) -> None:
    """Check the forum tables of ``config`` before any command uses them.

    ``hub.forum`` must name an installed adapter; its ``[adapters.<name>]`` table
    and every network's ``forum`` table must fit that adapter's models; the
    table of any other installed adapter, if present, must fit that adapter.
    Raises :class:`ConfigError` naming the file and key.
    """
    source = config.source
    chosen = forums.get(config.hub.forum)
    for forum_type in forums:
        if forum_type is chosen or forum_type.name in config.adapters:
            validate_settings(
                forum_type.settings_model,
                config.adapters.get(forum_type.name, {}),
                f"{source}: adapters.{forum_type.name}",
            )
    for slug, network in config.networks.items():
        validate_settings(chosen.network_model, network.forum, f"{source}: networks.{slug}.forum")


def validate_settings(model: type[BaseModel], data: Mapping[str, Any], where: str) -> BaseModel:
    """Validate an adapter's settings table, turning errors into a :class:`ConfigError`."""
    from pydantic import ValidationError

    from pspn_core.config import describe_validation_error

    try:
        return model.model_validate(dict(data))
    except ValidationError as error:
        raise ConfigError(describe_validation_error(error, prefix=where)) from None

"""The hooks pspn offers to plugins, grouped by when they fire.

Plugins implement them with ``from pspn_core import hookimpl``. Hooks are
called with keyword arguments only; pluggy passes each implementation just
the arguments it names, so new arguments can be appended safely.

Notification hooks (``pspn_<noun>_<past participle>``) fire after something
has happened; their return value is ignored and they must not raise.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from pspn_core import hookspec

if TYPE_CHECKING:
    import click

    from pspn_core.config import Config
    from pspn_core.meetings.model import Meeting
    from pspn_core.membership.model import Decision, Member
    from pspn_core.networks.model import Network
    from pspn_core.registries import (
        DetectorRegistry,
        EligibilityRegistry,
        ForumRegistry,
        PlatformRegistry,
    )

__all__ = [
    "pspn_configure",
    "pspn_demo_tips",
    "pspn_meeting_changed",
    "pspn_meeting_exclusions",
    "pspn_meeting_scheduled",
    "pspn_member_added",
    "pspn_member_admitted",
    "pspn_member_erased",
    "pspn_network_created",
    "pspn_notes_published",
    "pspn_register_commands",
    "pspn_register_detectors",
    "pspn_register_eligibility_rules",
    "pspn_register_forums",
    "pspn_register_platforms",
]


# -- start-up ---------------------------------------------------------------


@hookspec(historic=True)
def pspn_configure(config: Config) -> None:
    """Called once the configuration is loaded, before any command runs.

    Historic: a plugin registered later is still called with the config.

    :param config: the validated ``pspn.toml``.

    .. versionadded:: 0.1
    """


@hookspec
def pspn_register_forums(registry: ForumRegistry) -> None:
    """Register forum adapters: call ``registry.add(ForumType(...))``.

    Fires when the plugin manager builds the forum registry. A name registered
    twice is an error.

    :param registry: the :class:`~pspn_core.registries.ForumRegistry` to add to.

    .. versionadded:: 0.1
    """


@hookspec
def pspn_register_platforms(registry: PlatformRegistry) -> None:
    """Register meeting platforms: call ``registry.add(PlatformType(...))``.

    Fires when the plugin manager builds the platform registry, the first time
    a command needs a network's :class:`~pspn_core.ports.MeetingPlatform`. A
    name registered twice is an error.

    :param registry: the :class:`~pspn_core.registries.PlatformRegistry` to add to.

    .. versionadded:: 0.2
    """


@hookspec
def pspn_register_detectors(registry: DetectorRegistry) -> None:
    """Register extra anonymiser detectors: call ``registry.add(detector)``.

    Every registered detector runs on every note, after and beside the
    built-in ones; no detector can switch another off.

    :param registry: the anonymiser's detector registry.

    .. versionadded:: 0.1
    """


@hookspec
def pspn_register_commands(cli: click.Group) -> None:
    """Add subcommands to the ``pspn`` command line: call ``cli.add_command(...)``.

    Fires when a command is not one of pspn's own, so ``pspn --help`` stays fast.

    :param cli: the top-level ``pspn`` click group.

    .. versionadded:: 0.1
    """


# -- rules ------------------------------------------------------------------


@hookspec
def pspn_register_eligibility_rules(registry: EligibilityRegistry) -> None:
    """Register extra rules that advise on applications to join: call ``registry.add(rule)``.

    Fires each time applications are evaluated. A rule has a unique ``name`` and
    ``check(application, context)`` returning a
    :class:`~pspn_core.membership.eligibility.RuleResult` (pass, fail or needs-a-person, with a
    reason). Every registered rule runs, after the built-in ones; a rule cannot
    switch another off, and rules only advise: a person decides.

    :param registry: the :class:`~pspn_core.registries.EligibilityRegistry` to add to;
        a rule name registered twice is an error.

    .. versionadded:: 0.1
    """


@hookspec
def pspn_meeting_exclusions(network: Network, start: date, end: date) -> Iterable[date]:
    """Return extra dates on which ``network`` must not meet, between ``start`` and ``end``.

    Every plugin's dates are excluded (collect-all), on top of the network's own
    ``exclude`` rules. Return an empty iterable, or ``None``, for none. pspn's own
    bank-holiday exclusions come through this hook too (``pspn_core.meetings.plugin``).

    :param network: the network being planned.
    :param start: the first date asked about (inclusive): the rules' ``starts_on``
        or earlier, since the slots alternate from there.
    :param end: the last date planned (inclusive).

    .. versionadded:: 0.1
    .. versionchanged:: 0.2 ``start`` reaches back to ``starts_on``.
    """
    raise NotImplementedError


# -- notifications ----------------------------------------------------------


@hookspec
def pspn_network_created(network: Network) -> None:
    """A network was set up on the forum (its group, notes area and calendar).

    :param network: the network.

    .. versionadded:: 0.1
    """


@hookspec
def pspn_member_added(network: Network, member: Member) -> None:
    """A member was added to a network's roster in the store.

    :param network: the network.
    :param member: the member as stored.

    .. versionadded:: 0.1
    """


@hookspec
def pspn_member_admitted(network: Network, member: Member, decision: Decision) -> None:
    """A person decided to admit an application; the applicant is now a member.

    Fires after they were added to the forum group, welcomed, and the decision
    and the roster were stored (after ``pspn_member_added``).

    :param network: the network.
    :param member: the new member as stored.
    :param decision: who decided, when and why.

    .. versionadded:: 0.1
    """


@hookspec
def pspn_meeting_scheduled(network: Network, meeting: Meeting) -> None:
    """A new meeting was planned and stored.

    :param network: the network.
    :param meeting: the meeting, with its stable UID and chair.

    .. versionadded:: 0.1
    """


@hookspec
def pspn_meeting_changed(network: Network, meeting: Meeting) -> None:
    """A planned meeting was moved or cancelled; ``meeting.sequence`` has grown.

    :param network: the network.
    :param meeting: the meeting after the change.

    .. versionadded:: 0.1
    """


@hookspec
def pspn_notes_published(network: Network, note_id: int, forum_id: str) -> None:
    """An approved note was published to the network's private notes area.

    :param network: the network.
    :param note_id: the note's id in the store.
    :param forum_id: the post's id on the forum.

    .. versionadded:: 0.1
    """


@hookspec
def pspn_member_erased(network: Network, username: str, data_dir: Path) -> None:
    """A person's data was erased from ``network`` (``pspn members erase``, or a lead in
    the web app): erase what your plugin keeps about them.

    Fires after the store's erasure (and the embedded forum's). pspn's own server
    plugin deletes the person's sign-in links, calendar address and erasure request
    from the web app's database here.

    :param network: the network they were erased from.
    :param username: their username.
    :param data_dir: the hub's data directory, where plugins keep their files.

    .. versionadded:: 0.2
    """


# -- the demo ---------------------------------------------------------------


@hookspec
def pspn_demo_tips(config: Config, username: str) -> Iterable[str]:
    """Lines ``pspn demo`` prints at its end: what a newcomer can try next.

    Fires once, after every demo step has run, on the demo's embedded hub.

    :param config: the demo hub's configuration.
    :param username: a demo member (a network lead) the tips may act for,
        e.g. to make a sign-in link for the web app.
    :return: lines of text, printed in plugin order; ``None`` or nothing to add none.

    .. versionadded:: 0.1
    """
    raise NotImplementedError

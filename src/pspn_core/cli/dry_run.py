"""``--dry-run`` for the commands that write to the forum: say what would be sent, send nothing.

The use case runs as it would for real, with two things swapped: the forum is
a :class:`RecordingForum` that passes reads through and turns every write into
a line saying what would be sent, and the store is a scratch copy of the hub's
database that is thrown away afterwards. Plugins' notifications are not fired.
So the answer is the real one (the same checks, the same refusals), and
nothing on the forum or in the store changes.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from pspn_core.plugins import Plugins
from pspn_core.ports import CalendarEvent, JoinRequest, Post

if TYPE_CHECKING:
    from pspn_core.cli.app import App

__all__ = [
    "DRY_RUN_ID",
    "MutedPlugins",
    "RecordingForum",
    "dry_run",
    "dry_run_option",
    "scratch_copy",
]

#: The forum id a recorded write answers with (nothing was created).
DRY_RUN_ID = "(dry run)"

#: Forum methods that only read; every other method is a write and is recorded.
READS = frozenset(
    {
        "members",
        "join_requests",
        "check_notes_privacy",
        "check_calendar_privacy",
        "check_setup",
        "find_post",
        "find_event",
        "erasure_steps",
    }
)


def _describe(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[str, Any]:
    """What a write would do, in words, and what it answers with."""
    first = args[0] if args else None
    known = kwargs.get("known_id")
    if name == "publish_event" and isinstance(first, CalendarEvent):
        verb = f"update event {known}" if known else "create an event"
        state = " (cancelled)" if first.status.value == "cancelled" else ""
        when = f"{first.start:%a %d %b %Y %H:%M}"
        return f"{verb} in the calendar: {first.title!r}, {when}{state}", known or DRY_RUN_ID
    if name == "publish_post" and isinstance(first, Post):
        verb = f"update post {known}" if known else "post"
        return f"{verb} {first.title!r} ({len(first.body)} characters)", known or DRY_RUN_ID
    if name == "send_message":
        return f"send {first} the message {args[1]!r}", DRY_RUN_ID
    if name in ("accept_request", "decline_request") and isinstance(first, JoinRequest):
        verb = "accept" if name == "accept_request" else "decline"
        return f"{verb} the join request of {first.user.username}", None
    if name == "add_member":
        return f"add {first} to the network's group", None
    if name == "remove_member":
        return f"remove {first} from the network's group", None
    if name == "ensure_user":
        return f"create the forum account {first} if it is missing", None
    if name == "provision":
        return "create the network's group, private notes area and calendar where missing", []
    return f"{name.replace('_', ' ')}", None


class RecordingForum:
    """A forum whose reads are real and whose writes are only reported.

    It has exactly the methods of the forum it wraps, set on the instance, so
    the use cases see the same capabilities: ``isinstance`` checks against the
    ports hold as for the real forum (also where Python looks attributes up
    statically, as it does for protocols from 3.12).

    :param forum: the network's real forum.
    :param report: called with one line per write, e.g. ``"send kit_m the message 'Welcome'"``.
    """

    def __init__(self, forum: object, report: Callable[[str], None]) -> None:
        self._forum = forum
        self._report = report
        self.writes: list[str] = []
        for name in dir(type(forum)):
            if name.startswith("_") or not callable(getattr(type(forum), name)):
                continue
            method = getattr(forum, name)
            setattr(self, name, method if name in READS else self._recorder(name))

    def _recorder(self, name: str) -> Callable[..., Any]:
        def record(*args: Any, **kwargs: Any) -> Any:
            line, answer = _describe(name, args, kwargs)
            self.writes.append(line)
            self._report(line)
            return answer

        return record

    def __getattr__(self, name: str) -> Any:
        """Anything else (settings, attributes) is the real forum's."""
        return getattr(self._forum, name)


def scratch_copy(database: Path, into: Path) -> Path:
    """Copy the hub's database (if there is one yet) into the directory ``into``."""
    # late, here and below: the command modules that offer --dry-run also hold
    # commands that need no store (``notes anonymise --roster``)
    from pspn_core.store.database import DATABASE_NAME, connect

    target = into / DATABASE_NAME
    if database.exists():
        source = sqlite3.connect(database)
        copy = connect(target)  # private, like the hub's own
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
    return target


@contextmanager
def dry_run(app: App, enabled: bool) -> Iterator[None]:
    """Run the body as a dry run of ``app`` when ``enabled``; else just run it."""
    if not enabled:
        yield
        return
    from pspn_core.store.database import DATABASE_NAME

    scratch = Path(tempfile.mkdtemp(prefix="pspn-dry-run-"))
    click.echo("Dry run: showing what would be sent; nothing is sent or stored.")
    try:
        scratch_copy(app.config.data_dir / DATABASE_NAME, scratch)
        app.start_dry_run(scratch, lambda line: click.echo(f"  would {line}"))
        yield
        click.echo("Dry run: nothing was sent to the forum and nothing was stored.")
    finally:
        app.end_dry_run()
        shutil.rmtree(scratch, ignore_errors=True)


def dry_run_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--dry-run",
        is_flag=True,
        help="Say what would be sent to the forum; send nothing and store nothing.",
    )(func)


class MutedPlugins(Plugins):
    """Plugins whose notifications are not fired (a dry run tells nobody)."""

    def _notify(self, name: str, **kwargs: object) -> None:
        return None

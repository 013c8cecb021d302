"""``pspn init``, ``pspn demo`` and ``pspn plugins``: getting started."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import click

from pspn_core.cli.app import App
from pspn_core.cli.common import format_option, pass_app, print_json
from pspn_core.cli.example_config import EXAMPLE_CONFIG
from pspn_core.config import DEFAULT_CONFIG_NAME
from pspn_core.errors import OperationError
from pspn_core.membership.model import Member
from pspn_core.membership.service import add_member
from pspn_core.networks.service import setup_network

__all__ = [
    "DEMO_MEMBERS",
    "DEMO_STEPS",
    "demo",
    "init",
    "plugins",
    "sample_minutes",
    "write_example_config",
    "write_samples",
]

#: Who does what in the demo network's web app (added to the demo's own config only).
DEMO_ROLES = """
# Roles in the web app (`pspn serve`), added by `pspn demo`.
[networks.pspn.roles]
leads = ["ada_l"]
chairs = ["bram_s"]
note_takers = ["cleo_w"]
"""

#: The demo member the closing tips sign in as (a lead: every page is open to them).
DEMO_LEAD = "ada_l"

#: Invented people for the demo network (no real person is named).
DEMO_MEMBERS: tuple[tuple[str, str, str], ...] = (
    ("ada_l", "Ada Lovelock", "Royal Berkshire NHS Foundation Trust"),
    ("bram_s", "Bram Stokeley", "Frimley Health NHS Foundation Trust"),
    ("cleo_w", "Cleo Wainwright", "Oxford University Hospitals NHS Foundation Trust"),
    ("dev_p", "Dev Patelson", "University Hospital Southampton NHS Foundation Trust"),
    ("edie_k", "Edie Kowalczyk", "Norfolk and Norwich University Hospitals NHS Foundation Trust"),
)


def write_example_config(directory: Path) -> Path:
    """Write the example ``pspn.toml`` into ``directory``; refuse to overwrite one."""
    path = directory / DEFAULT_CONFIG_NAME
    directory.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(EXAMPLE_CONFIG)
    except FileExistsError:
        raise OperationError(
            f"{path} already exists; pspn init never overwrites a config. "
            "Move it away first, or edit it."
        ) from None
    return path


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option(
    "--with-samples",
    is_flag=True,
    help="Also write sample minutes (minutes.txt) and the sample survey with its responses "
    "(survey-psp-role.toml, survey-responses.csv), as the README's tour uses them.",
)
def init(directory: Path, with_samples: bool) -> None:
    """Write a commented example pspn.toml into DIRECTORY (default: here)."""
    path = write_example_config(directory)
    click.echo(f"Wrote {path}. Edit it, then run `pspn networks setup`.")
    if with_samples:
        for sample in write_samples(directory):
            click.echo(f"Wrote {sample}.")


# -- the demo ----------------------------------------------------------------
#
# The demo is a list of steps, each a function of the App that prints what it
# did. Later features add their step to DEMO_STEPS.

DemoStep = Callable[[App], None]


def _step_network(app: App) -> None:
    for slug, network in app.config.networks.items():
        done = setup_network(network, app.store, app.forum(slug), app.plugins)
        for line in done or ["already set up"]:
            click.echo(f"  {slug}: {line}")


def _step_members(app: App) -> None:
    network = next(iter(app.config.networks.values()))
    forum = app.forum(network.slug)
    added = 0
    for username, name, organisation in DEMO_MEMBERS:
        member = Member(
            network=network.slug, username=username, display_name=name, organisation=organisation
        )
        added += add_member(network, member, app.store, forum, app.plugins)
    total = len(app.store.member_names(network.slug))
    click.echo(f"  {network.slug}: added {added} invented members ({total} on the roster)")


def _step_meetings(app: App) -> None:
    from pspn_core.cli.meetings import months_later, network_calendar, publish_everywhere
    from pspn_core.meetings.service import plan

    network = next(iter(app.config.networks.values()))
    rules = network.meetings
    if rules is None:
        click.echo(f"  {network.slug}: no meeting rules configured; skipped")
        return
    for username, slots in (("ada_l", ()), ("bram_s", ("evening",)), ("cleo_w", ("daytime",))):
        chosen = list(slots) or [slot.name for slot in rules.slots]
        app.store.set_volunteer(network.slug, username, chosen)
    today = datetime.now(UTC).date()
    result = plan(network, app.store, app.plugins, today, months_later(today, 12))
    click.echo(
        f"  {network.slug}: {len(result.meetings)} meetings in the next twelve months "
        f"({len(result.added)} newly planned), chaired in turn by three volunteers"
    )
    for meeting in result.meetings[:3]:
        chair = (
            app.store.member(network.slug, meeting.chair).display_name if meeting.chair else "none"
        )
        click.echo(f"    {meeting.start:%a %d %b %Y %H:%M} ({meeting.slot}), chair {chair}")
    name, report, sent = publish_everywhere(app, network.slug)
    if name is not None:
        click.echo(
            f"  held {report.created} new meeting(s) online on the {name} platform, "
            "each with its joining link"
        )
    if report.failed is not None:
        raise report.failed
    click.echo(f"  published {len(sent)} new or changed meeting(s) to the forum calendar")
    ics_path = app.config.data_dir.parent / f"{network.slug}-meetings.ics"
    ics_path.write_bytes(network_calendar(app, network.slug))
    click.echo(f"  wrote the calendar to {ics_path}")


def sample_minutes() -> Path:
    """The sample minutes: an invented raw note, as a note-taker might write it.

    Shipped as package data (``pspn_core/notes/sample/minutes.txt``); every name
    and detail in it is made up.
    """
    from importlib.resources import files

    return Path(str(files("pspn_core.notes"))) / "sample" / "minutes.txt"


def write_samples(directory: Path) -> list[Path]:
    """Copy the sample minutes, survey and survey responses into ``directory``.

    A file already there is kept, never overwritten; returns the files written.
    """
    from pspn_core.cli.surveys import sample_files

    written = []
    for source in (sample_minutes(), *sample_files()):
        target = directory / source.name
        if not target.exists():
            target.write_bytes(source.read_bytes())
            written.append(target)
    return written


def _step_notes(app: App) -> None:
    from pspn_core.notes.keys import create_key_file
    from pspn_core.notes.service import add_note, approve_note, publish_note

    config = app.config
    network = next(iter(config.networks.values()))
    if not app.environ.get(config.hub.key_env) and not config.key_file.exists():
        create_key_file(config.key_file)
        click.echo(f"  created the encryption key {config.key_file} (mode 600)")
    existing = app.store.notes(network.slug)
    if existing:
        note = existing[0]
        click.echo(f"  note {note.id} is already there ({note.status.value})")
    else:
        raw = sample_minutes().read_text(encoding="utf-8")
        note, findings = add_note(
            network, raw, store=app.store, keys=app.keys, plugins=app.plugins, by="demo"
        )
        click.echo(
            f"  stored the raw note encrypted; {len(findings)} redaction(s). The anonymised note:"
        )
        for line in note.text.strip().splitlines():
            click.echo(f"    | {line}")
        approve_note(app.store, note.id, "demo chair")
    outcome = publish_note(
        network,
        note.id,
        store=app.store,
        forum=app.forum(network.slug),
        plugins=app.plugins,
        by="demo",
        now=datetime.now(UTC),
    )
    state = "was already published" if outcome.already else "published"
    click.echo(
        f"  note {note.id} {state} to the private notes area (post {outcome.forum_id}); "
        "its raw text is deleted"
    )


def _step_online(app: App) -> None:
    from pspn_core.cli.meeting_demo import demo_online_meeting

    demo_online_meeting(app)


def _step_surveys(app: App) -> None:
    from pspn_core.cli.surveys import demo_survey

    demo_survey(app)


def _step_applications(app: App) -> None:
    from pspn_core.cli.membership import demo_applications

    demo_applications(app)


DEMO_STEPS: list[tuple[str, DemoStep]] = [
    ("Setting up the network on the embedded forum", _step_network),
    ("Adding members", _step_members),
    ("Deciding on applications to join", _step_applications),
    ("Planning the next twelve months of meetings", _step_meetings),
    ("Anonymising, approving and publishing a sample note", _step_notes),
    ("Collecting a meeting's transcript and chat into a draft note", _step_online),
    ("Surveying members and publishing results that protect small numbers", _step_surveys),
]


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default="pspn-demo")
@click.pass_context
def demo(ctx: click.Context, directory: Path) -> None:
    """Show pspn at work on the embedded forum, in DIRECTORY (default: ./pspn-demo).

    Writes the example config there (or reuses it), sets up the example network
    with invented members, and prints what it did. Safe to run again.
    """
    parent = ctx.find_object(App)
    config_path = directory / DEFAULT_CONFIG_NAME
    if config_path.exists():
        click.echo(f"Reusing {config_path}")
    else:
        written = write_example_config(directory)
        written.write_text(written.read_text(encoding="utf-8") + DEMO_ROLES, encoding="utf-8")
        click.echo(f"Wrote the example config to {config_path}")
    app = App(
        config_path,
        plugins=parent.plugins if parent is not None and parent._plugins else None,
        environ=parent.environ if parent is not None else None,
    )
    if app.config.hub.forum != "local":
        raise OperationError(
            f"{config_path} uses the {app.config.hub.forum!r} forum; the demo runs only on "
            "the embedded local forum. Use an empty directory."
        )
    for title, step in DEMO_STEPS:
        click.echo(f"{title}...")
        step(app)
    click.echo(
        f"Done. Data is in {app.config.data_dir}; try `pspn --config {config_path} members list`."
    )
    for line in app.plugins.demo_tips(app.config, DEMO_LEAD):
        click.echo(line)


@click.command()
@format_option
@pass_app
def plugins(app: App, output_format: str) -> None:
    """List installed plugins, forum adapters, meeting platforms and plugin commands."""
    found = app.plugins.describe()
    if output_format == "json":
        print_json([dataclasses.asdict(info) for info in found])
        return
    click.echo("Plugins:")
    for info in found:
        origin = f" ({info.distribution} {info.version})" if info.distribution else ""
        click.echo(f"  {info.name}{origin}: {', '.join(info.hooks) or 'no hooks'}")
    click.echo("Forums:")
    for forum_type in app.plugins.forums():
        click.echo(f"  {forum_type.name}: {forum_type.description}")
    click.echo("Meeting platforms:")
    for name in app.plugins.platforms().names():
        click.echo(f"  {name}: {app.plugins.platforms().get(name).description}")
    extra = click.Group()
    app.plugins.register_commands(extra)
    click.echo("Commands from plugins:" + ("" if extra.commands else " none"))
    for name, command in sorted(extra.commands.items()):
        click.echo(f"  {name}: {command.get_short_help_str()}")

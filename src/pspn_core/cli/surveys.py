"""``pspn surveys``: define a survey, collect responses, report and publish the results."""

from __future__ import annotations

import tomllib
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import click

from pspn_core.cli.app import App
from pspn_core.cli.common import format_option, network_option, pass_app, print_json, print_table
from pspn_core.cli.dry_run import dry_run as dry_run_of
from pspn_core.cli.dry_run import dry_run_option
from pspn_core.errors import InputError

__all__ = [
    "RESPOND_HELP",
    "demo_survey",
    "read_answers_file",
    "respond_help",
    "sample_files",
    "surveys",
    "today",
]

RESPOND_HELP = (
    "To answer, run:\n\n    pspn surveys respond {token} --answer QUESTION=ANSWER ...\n\n"
    "or ask the network's organisers to record your answers with this code: {token}\n"
    "The code works once. Please do not share it."
)


def respond_help(app: App) -> str:
    """How to answer: the web form's address when ``pspn serve`` has a public address."""
    public_url = str(app.config.adapters.get("server", {}).get("public_url", "")).rstrip("/")
    if not public_url:
        return RESPOND_HELP
    return (
        f"To answer, open this link (it works once; please do not share it):\n\n"
        f"{public_url}/surveys/{{token}}\n\n" + RESPOND_HELP.replace("To answer, run", "Or run")
    )


def today() -> date:
    """Today in London, where the surveys' dates are meant."""
    return datetime.now(ZoneInfo("Europe/London")).date()


@click.group()
def surveys() -> None:
    """Member surveys whose results protect small numbers."""


@surveys.command()
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@pass_app
def create(app: App, file: Path) -> None:
    """Store the survey defined in FILE (TOML); rerun after editing it, until responses arrive."""
    from pspn_core.surveys.model import load_survey

    survey = load_survey(file)
    network = app.network(survey.network)
    new = app.store.save_survey(survey)
    verb = "Created" if new else "Updated"
    click.echo(
        f"{verb} survey {survey.id!r} for {network.name}: {len(survey.questions)} questions, "
        f"open {survey.opens} to {survey.closes}, counts of {survey.threshold} or fewer hidden."
    )


@surveys.command("list")
@format_option
@pass_app
def list_(app: App, output_format: str) -> None:
    """The stored surveys, with how many responses and links each has."""
    rows = []
    for survey in app.store.surveys():
        issued, used = app.store.token_counts(survey.id)
        rows.append(
            {
                "id": survey.id,
                "network": survey.network,
                "opens": survey.opens.isoformat(),
                "closes": survey.closes.isoformat(),
                "responses": len(app.store.responses(survey.id)),
                "links_issued": issued,
                "links_used": used,
            }
        )
    if output_format == "json":
        print_json(rows)
    else:
        print_table(list(rows[0]) if rows else ["id"], [list(r.values()) for r in rows])


def _columns(map_file: Path | None, pairs: tuple[str, ...]) -> dict[str, str]:
    columns: dict[str, str] = {}
    if map_file is not None:
        data = _toml(map_file)
        table = data.get("columns", data)
        if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
            raise InputError(f'{map_file}: write a [columns] table of QUESTION = "CSV column"')
        columns.update(table)
    for pair in pairs:
        question, sep, column = pair.partition("=")
        if not sep or not question.strip() or not column.strip():
            raise InputError(f"--column {pair!r}: write QUESTION=COLUMN")
        columns[question.strip()] = column.strip()
    return columns


def _toml(path: Path) -> dict[str, Any]:
    from pspn_core.files import read_text_limited

    text = read_text_limited(path, 1_000_000, "TOML file")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"cannot read {path}: {error}") from None


@surveys.command("import")
@click.argument("survey_id", metavar="ID")
@click.argument(
    "csv_file", metavar="CSV", type=click.Path(dir_okay=False, exists=True, path_type=Path)
)
@click.option(
    "--map",
    "map_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help='A TOML file with a [columns] table: QUESTION = "CSV column".',
)
@click.option(
    "--column",
    "pairs",
    multiple=True,
    metavar="Q=COL",
    help="Map question Q to CSV column COL (repeatable).",
)
@click.option(
    "--skip-bad-rows",
    is_flag=True,
    help="Import the rows that fit and list the others (default: import nothing).",
)
@pass_app
def import_(
    app: App,
    survey_id: str,
    csv_file: Path,
    map_file: Path | None,
    pairs: tuple[str, ...],
    skip_bad_rows: bool,
) -> None:
    """Import responses from a form tool's CSV export.

    Columns are matched to questions by --map/--column, else by the question's
    id or text. Other columns (names, emails, times) are never read.
    """
    from pspn_core.surveys.service import import_responses

    survey = app.store.survey(survey_id)
    result = import_responses(
        app.store, survey, csv_file, _columns(map_file, pairs), skip_bad_rows=skip_bad_rows
    )
    new = len(result.responses) - result.already
    held = f" ({result.already} were imported before)" if result.already else ""
    click.echo(f"Imported {new} responses into {survey.id!r}{held}.")
    for problem in result.problems:
        click.echo(f"  skipped {problem}")


@surveys.command()
@click.argument("survey_id", metavar="ID")
@network_option
@dry_run_option
@pass_app
def invite(app: App, survey_id: str, network_slug: str | None, dry_run: bool) -> None:
    """Send every member of the survey's network their own single-use link.

    Members already invited are skipped, so this is safe to rerun after new
    members join. Only a hash of each link is kept, with nothing tying it to them.
    """
    from pspn_core.surveys.service import invite_members

    survey = app.store.survey(survey_id)
    network = app.only_network(network_slug or survey.network)
    if network.slug != survey.network:
        raise InputError(
            f"survey {survey.id!r} belongs to {survey.network!r}, not {network.slug!r}"
        )
    with dry_run_of(app, dry_run):
        sent = invite_members(
            app.store,
            app.forum(network.slug),
            survey,
            today=today(),
            how_to_respond=respond_help(app),
        )
        verb = "Would send" if dry_run else "Sent"
        click.echo(f"{verb} {len(sent)} single-use link(s) for {survey.id!r} through the forum.")


def read_answers_file(path: Path) -> dict[str, str]:
    """Answers from a TOML file of QUESTION = answer (a list for several choices)."""
    answers = {}
    for key, value in _toml(path).items():
        if isinstance(value, list):
            answers[key] = ";".join(str(v) for v in value)
        elif isinstance(value, str | int):
            answers[key] = str(value)
        else:
            raise InputError(f"{path}: {key} must be text, a whole number or a list")
    return answers


@surveys.command()
@click.argument("token")
@click.option(
    "--answer",
    "pairs",
    multiple=True,
    metavar="Q=ANSWER",
    help="An answer (repeatable); separate several choices with ';'.",
)
@click.option(
    "--answers",
    "answers_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="A TOML file of QUESTION = answer.",
)
@pass_app
def respond(app: App, token: str, pairs: tuple[str, ...], answers_file: Path | None) -> None:
    """Answer a survey with the single-use TOKEN you were sent."""
    from pspn_core.surveys.service import respond as record

    raw = read_answers_file(answers_file) if answers_file else {}
    for pair in pairs:
        question, sep, answer = pair.partition("=")
        if not sep:
            raise InputError(f"--answer {pair!r}: write QUESTION=ANSWER")
        raw[question.strip()] = answer
    survey = record(app.store, token, raw, today=today())
    click.echo(f"Thank you: your answers to {survey.title!r} are recorded, with no link to you.")


@surveys.command()
@click.argument("survey_id", metavar="ID")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory to write into.",
)
@pass_app
def report(app: App, survey_id: str, out_dir: Path) -> None:
    """Write the protected report (Markdown, HTML and a chart per question) into --out."""
    from pspn_core.surveys.report import write_report
    from pspn_core.surveys.service import report_for

    built = report_for(app.store, app.store.survey(survey_id))
    written = write_report(built, out_dir)
    hidden = sum(t.suppressed for t in built.tables)
    click.echo(
        f"Wrote {len(written)} files to {out_dir} ({built.responses_shown} responses, "
        f"{hidden} figure(s) suppressed); open {out_dir / 'report.html'}."
    )


@surveys.command()
@click.argument("survey_id", metavar="ID")
@dry_run_option
@pass_app
def publish(app: App, survey_id: str, dry_run: bool) -> None:
    """Post the report to the network's private area (only if the forum confirms it is private)."""
    from pspn_core.surveys.service import publish_survey

    with dry_run_of(app, dry_run):
        survey = app.store.survey(survey_id)
        done = publish_survey(app.store, app.forum(survey.network), survey)
        if done.already:
            click.echo(
                f"Survey {survey.id!r} is already published, unchanged (forum id {done.forum_id})."
            )
        elif dry_run:
            click.echo(f"Would publish survey {survey.id!r} to the private area.")
        else:
            click.echo(
                f"Published survey {survey.id!r} to the private area (forum id {done.forum_id})."
            )


def sample_files() -> tuple[Path, Path]:
    """The sample survey and its responses: shipped in the wheel, or in the source tree."""
    from importlib.resources import files

    shipped = Path(str(files("pspn_core.surveys"))) / "sample"
    source = Path(__file__).resolve().parents[3] / "examples"
    for folder in (shipped, source):
        survey, responses = folder / "survey-psp-role.toml", folder / "survey-responses.csv"
        if survey.exists() and responses.exists():
            return survey, responses
    raise InputError("the sample survey is not installed; see examples/ in the pspn sources")


def demo_survey(app: App) -> None:
    """``pspn demo``: the sample survey from definition to a published, protected report."""
    from pspn_core.surveys.model import load_survey
    from pspn_core.surveys.report import write_report
    from pspn_core.surveys.service import (
        import_responses,
        invite_members,
        publish_survey,
        report_for,
    )

    survey_file, responses_file = sample_files()
    survey = load_survey(survey_file)
    app.store.save_survey(survey)
    click.echo(f"  stored survey {survey.id!r} ({len(survey.questions)} questions)")
    stored = len(app.store.responses(survey.id))
    if stored:
        click.echo(f"  {stored} responses already imported")
    else:
        result = import_responses(app.store, survey, responses_file, skip_bad_rows=True)
        click.echo(
            f"  imported {len(result.responses) - result.already} responses "
            f"from {responses_file.name}"
        )
        for problem in result.problems:
            click.echo(f"    skipped {problem}")
    if survey.is_open(today()):
        sent = invite_members(
            app.store,
            app.forum(survey.network),
            survey,
            today=today(),
            how_to_respond=respond_help(app),
        )
        click.echo(f"  sent {len(sent)} members a single-use link through the forum")
    else:
        click.echo(f"  the survey closed on {survey.closes}; no links sent")
    out = app.config.data_dir.parent / "survey-report"
    built = report_for(app.store, survey)
    write_report(built, out)
    hidden = sum(t.suppressed for t in built.tables)
    click.echo(f"  wrote the report to {out / 'report.html'} ({hidden} figures suppressed)")
    done = publish_survey(app.store, app.forum(survey.network), survey)
    state = "was already" if done.already else "is now"
    click.echo(f"  the report {state} published in the private area (forum id {done.forum_id})")

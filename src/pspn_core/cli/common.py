"""Options and helpers shared by the command modules."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from pspn_core.cli.app import App

__all__ = [
    "ID",
    "format_option",
    "network_option",
    "pass_app",
    "print_json",
    "print_table",
    "quiet_option",
]

F = TypeVar("F", bound=Callable[..., Any])

pass_app = click.make_pass_decorator(App, ensure=True)

#: A stored row's number: refused by click (a usage error) when SQLite could not hold it.
ID = click.IntRange(1, 2**63 - 1)


def network_option(func: F) -> F:
    return click.option(
        "--network",
        "network_slug",
        metavar="SLUG",
        help="The network (may be left out when only one is configured).",
    )(func)


def format_option(func: F) -> F:
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(["table", "json"]),
        default="table",
        show_default=True,
        help="Output format.",
    )(func)


def quiet_option(func: F) -> F:
    return click.option(
        "--quiet",
        "-q",
        is_flag=True,
        help="Print only the new id (for scripts).",
    )(func)


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """A plain, aligned text table (written at once: a roster has thousands of rows)."""
    cells = [[str(h) for h in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    click.echo("\n".join(lines))

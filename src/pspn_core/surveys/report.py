"""The survey report: protected tables, a chart per question, anonymised comments.

:func:`build_report` is pure (responses in, a :class:`Report` out); the
renderers turn it into Markdown (also what is posted to the forum, without
images) or a standalone HTML page; :func:`write_report` writes both with the
charts beside them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pspn_core.notes.anonymiser import RosterEntry, anonymise, compile_roster
from pspn_core.surveys.model import Answers, QuestionKind, Survey
from pspn_core.surveys.tables import QuestionTable, free_text, tabulate

__all__ = [
    "Report",
    "build_report",
    "escape_markdown",
    "render_html",
    "render_markdown",
    "suppression_statement",
    "write_report",
]


@dataclass(frozen=True)
class Report:
    """Everything a report shows, already protected and anonymised."""

    survey: Survey
    responses: int
    tables: list[QuestionTable]
    comments: dict[str, list[str] | None]
    """Free-text answers by question id, anonymised; ``None`` when withheld."""

    @property
    def responses_shown(self) -> str:
        if 1 <= self.responses <= self.survey.threshold:
            return f"{self.survey.threshold} or fewer"
        return str(self.responses)


def build_report(
    survey: Survey, responses: Sequence[Answers], roster: Sequence[RosterEntry]
) -> Report:
    """Count, protect and anonymise. ``roster`` is the network's members, for the anonymiser."""
    compiled = compile_roster(roster)
    comments: dict[str, list[str] | None] = {}
    for question in survey.questions:
        if question.kind is QuestionKind.TEXT:
            answers = free_text(survey, question, responses)
            # Sorted after anonymising: an order of the raw text would tell where a
            # replaced name fell in the alphabet.
            comments[question.id] = (
                None
                if answers is None
                else sorted(anonymise(a, roster=compiled).text for a in answers)
            )
    return Report(survey, len(responses), tabulate(survey, responses), comments)


def suppression_statement(report: Report) -> list[str]:
    """What was suppressed and why, in plain words, one paragraph per line."""
    t = report.survey.threshold
    lines = [
        f"To protect people who could be recognised from small numbers, no count from 1 to {t} "
        "is shown. Where hiding one count was not enough, because it could be worked out by "
        "subtracting the other figures from a total, further counts were hidden as well. "
        "Percentages are worked out only from figures that are shown. A hidden count is "
        "marked \u201csuppressed\u201d; it may be any number, including more than "
        f"{t}. Zeros are shown.",
    ]
    for table in report.tables:
        primary, secondary = len(table.protected.primary), len(table.protected.secondary)
        name = table.question.text
        if table.protected.withheld:
            lines.append(f"\u201c{name}\u201d: the whole table is withheld.")
        elif primary or secondary:
            parts = [f"{primary} figure(s) from 1 to {t}"] if primary else []
            if secondary:
                parts.append(f"{secondary} more so that those cannot be worked out from totals")
            lines.append(f"\u201c{name}\u201d: suppressed {' and '.join(parts)}.")
    for question in report.survey.questions:
        if question.id in report.comments and report.comments[question.id] is None:
            lines.append(
                f"\u201c{question.text}\u201d: the written answers are withheld because {t} or "
                "fewer people gave one."
            )
    if any(report.comments.values()):
        lines.append(
            "Written answers were anonymised: names, organisations, places and contact details "
            "are replaced, and they are listed in alphabetical order, not the order given."
        )
    return lines


def _rows(table: QuestionTable) -> tuple[list[str], list[list[str]]]:
    header = ["Answer", "Everyone", *table.groups]
    rows = []
    for index, category in enumerate([*table.labels, None]):
        label = "Answered" if category is None else category
        position = None if category is None else index
        figures = [
            table.figure(position),
            *(table.figure(position, g) for g in range(len(table.groups))),
        ]
        rows.append([label, *map(str, figures)])
    return header, rows


#: Characters Markdown gives a meaning to. Brackets are left as they are, so that
#: ``[name]`` reads as written: with ``(`` and ``:`` escaped they can make no link.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}()#+\-.!|~>:])")


def escape_markdown(text: str) -> str:
    """Respondent-written ``text`` as one line of inert Markdown: no HTML, link or markup."""
    text = "".join(c if c.isprintable() else " " for c in text)  # no control characters
    text = html.escape(" ".join(text.split()), quote=False)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def render_markdown(report: Report, charts: Mapping[str, str] | None = None) -> str:
    """The report as Markdown; ``charts`` maps question ids to image paths to link."""
    survey = report.survey
    out = [f"# {survey.title}", ""]
    if survey.description:
        out += [survey.description, ""]
    out += [
        f"Survey `{survey.id}`, open {survey.opens:%d %B %Y} to {survey.closes:%d %B %Y}; "
        f"{report.responses_shown} responses.",
        "",
    ]
    tables = {t.question.id: t for t in report.tables}
    for question in survey.questions:
        out += [f"## {question.text}", ""]
        if question.id in tables:
            if charts and question.id in charts:
                out += [f"![{question.text}]({charts[question.id]})", ""]
            if question.kind is QuestionKind.MULTIPLE:
                out += [f"_{_SEVERAL}_", ""]
            header, rows = _rows(tables[question.id])
            out.append("| " + " | ".join(header) + " |")
            out.append("|" + "---|" * len(header))
            out += [
                "| " + " | ".join(cell.replace("|", "/") for cell in row) + " |" for row in rows
            ]
            out.append("")
        else:
            answers = report.comments.get(question.id)
            if answers is None:
                out += ["_Withheld: too few people answered to show what they wrote._", ""]
            else:
                out += [f"> {escape_markdown(a)}\n" for a in answers] or ["_No answers._"]
                out.append("")
    out += ["## What was suppressed and why", ""]
    out += [line + "\n" for line in suppression_statement(report)]
    return "\n".join(out).rstrip() + "\n"


def render_html(report: Report, charts: Mapping[str, str] | None = None) -> str:
    """The report as one standalone HTML page."""
    e = html.escape
    survey = report.survey
    parts = [
        "<!doctype html>",
        f'<html lang="en-GB"><head><meta charset="utf-8"><title>{e(survey.title)}</title>',
        f"<style>{_CSS}</style></head><body><main>",
        f"<h1>{e(survey.title)}</h1>",
    ]
    if survey.description:
        parts.append(f"<p>{e(survey.description)}</p>")
    parts.append(
        f"<p class=meta>Survey <code>{e(survey.id)}</code>, open {survey.opens:%d %B %Y} to "
        f"{survey.closes:%d %B %Y}; {e(report.responses_shown)} responses.</p>"
    )
    tables = {t.question.id: t for t in report.tables}
    for question in survey.questions:
        parts.append(f"<section><h2>{e(question.text)}</h2>")
        if question.id in tables:
            if charts and question.id in charts:
                parts.append(f'<img src="{e(charts[question.id])}" alt="{e(question.text)}">')
            if question.kind is QuestionKind.MULTIPLE:
                parts.append(f"<p><em>{_SEVERAL}</em></p>")
            header, rows = _rows(tables[question.id])
            parts.append("<table><thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in header))
            parts.append("</tr></thead><tbody>")
            for row in rows:
                cells = "".join(
                    "<td class=hidden>suppressed</td>" if c == "suppressed" else f"<td>{e(c)}</td>"
                    for c in row[1:]
                )
                parts.append(f"<tr><th>{e(row[0])}</th>{cells}</tr>")
            parts.append("</tbody></table>")
        else:
            answers = report.comments.get(question.id)
            if answers is None:
                parts.append(
                    "<p><em>Withheld: too few people answered to show what they wrote.</em></p>"
                )
            else:
                parts += [f"<blockquote>{e(a)}</blockquote>" for a in answers]
        parts.append("</section>")
    parts.append("<section><h2>What was suppressed and why</h2>")
    parts += [f"<p>{e(line)}</p>" for line in suppression_statement(report)]
    parts.append("</section></main></body></html>")
    return "\n".join(parts) + "\n"


def write_report(report: Report, out: Path) -> list[Path]:
    """Write ``report.md``, ``report.html`` and ``charts/<question>.png`` into ``out``."""
    from pspn_core.surveys.charts import write_chart

    out.mkdir(parents=True, exist_ok=True)
    charts: dict[str, str] = {}
    written = []
    for table in report.tables:
        relative = f"charts/{table.question.id}.png"
        written.append(write_chart(table, out / relative))
        charts[table.question.id] = relative
    for name, text in (
        ("report.md", render_markdown(report, charts)),
        ("report.html", render_html(report, charts)),
    ):
        (out / name).write_text(text, encoding="utf-8")
        written.append(out / name)
    return written


_SEVERAL = "Several answers could be chosen, so the percentages add up to more than 100%."

_CSS = (
    "body{font:16px/1.5 system-ui,sans-serif;color:#1d1d1d;margin:0;background:#fafafa}"
    "main{max-width:62rem;margin:auto;padding:1rem 2rem;background:white}"
    "h2{margin-top:2.5rem;font-size:1.2rem}.meta{color:#555}img{max-width:100%}"
    "table{border-collapse:collapse;font-size:.9rem;margin:.5rem 0}"
    "th,td{border-bottom:1px solid #ddd;padding:.25rem .6rem;text-align:right}"
    "th:first-child{text-align:left}td.hidden{color:#888;font-style:italic}"
    "blockquote{border-left:3px solid #2a6f97;margin:.5rem 0;padding:.25rem 1rem}"
)

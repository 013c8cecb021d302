"""Responses counted into protected tables, one per question. Pure: no I/O.

With a breakdown question, each question's table has a column per group (and
"Not stated" for people who skipped the breakdown), then a column for
everyone; without one, just the column for everyone. The last row holds how
many people answered. Every table goes through :func:`~.disclosure.protect`,
so the overall figures and the breakdown are protected together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pspn_core.surveys.disclosure import Cell, Protected, cross_grid, frequency_grid, protect
from pspn_core.surveys.model import Answers, Question, QuestionKind, Survey

__all__ = ["NOT_STATED", "Figure", "QuestionTable", "free_text", "tabulate"]

NOT_STATED = "Not stated"


@dataclass(frozen=True)
class Figure:
    """One published figure: a count and its share of those who answered, or ``None`` if hidden."""

    count: int | None
    share: float | None

    def __str__(self) -> str:
        if self.count is None:
            return "suppressed"
        if self.share is None:
            return str(self.count)
        return f"{self.count} ({self.share:.0%})"


@dataclass(frozen=True)
class QuestionTable:
    """A question's counts by category (rows) and group (columns), protected."""

    question: Question
    categories: tuple[str, ...]
    groups: tuple[str, ...]
    protected: Protected

    @property
    def labels(self) -> tuple[str, ...]:
        """The categories as shown to readers."""
        return tuple(self.question.label(c) for c in self.categories)

    @property
    def _everyone(self) -> int:
        return len(self.groups)

    def figure(self, category: int | None, group: int | None = None) -> Figure:
        """A category's figure in a group.

        ``category=None`` is the number who answered; ``group=None`` is everyone.
        """
        column = self._everyone if group is None else group
        row = len(self.categories) if category is None else category
        cell: Cell = (row, column)
        total: Cell = (len(self.categories), column)
        share = None if category is None else self.protected.share(cell, of=total)
        return Figure(self.protected.published(cell), share)

    @property
    def suppressed(self) -> int:
        return len(self.protected.suppressed)


def tabulate(survey: Survey, responses: Sequence[Answers]) -> list[QuestionTable]:
    """A protected table for every question that is not free text.

    The breakdown's table (group sizes, with "Not stated", out of everyone who
    responded) is protected first. Where a question's table has the same group
    sizes in its last row, those figures are shown or hidden exactly as in the
    breakdown's table, so that no table undoes another's suppression.
    """
    breakdown = survey.breakdown
    sizes: QuestionTable | None = None
    if breakdown is not None:
        sizes = _breakdown_table(survey, breakdown, responses)
    tables = []
    for question in survey.questions:
        if question.kind is QuestionKind.TEXT:
            continue
        if sizes is not None and question is breakdown:
            tables.append(sizes)
            continue
        answered = [r for r in responses if question.id in r]
        groups = _groups(breakdown, answered) if breakdown is not None else ()
        tables.append(_table(survey, question, answered, breakdown, groups, sizes))
    return tables


def _groups(breakdown: Question, answered: Sequence[Answers]) -> tuple[str, ...]:
    missing = any(breakdown.id not in r for r in answered)
    return (*breakdown.options, *([NOT_STATED] if missing else []))


def _breakdown_table(
    survey: Survey, breakdown: Question, responses: Sequence[Answers]
) -> QuestionTable:
    groups = _groups(breakdown, responses)
    counts = [sum(r.get(breakdown.id, NOT_STATED) == g for r in responses) for g in groups]
    # The report states how many responded (unless from 1 to the threshold): never a complement.
    protected = protect(frequency_grid(counts), survey.threshold, fixed=[(len(groups), 0)])
    return QuestionTable(breakdown, groups, (), protected)


def _table(
    survey: Survey,
    question: Question,
    answered: Sequence[Answers],
    breakdown: Question | None,
    groups: tuple[str, ...],
    sizes: QuestionTable | None,
) -> QuestionTable:
    categories = question.choices
    multiple = question.kind is QuestionKind.MULTIPLE

    def chosen(answers: Answers) -> set[str]:
        value = answers[question.id]
        return set(value) if isinstance(value, tuple) else {str(value)}

    if not groups or breakdown is None or sizes is None:
        counts = [sum(c in chosen(r) for r in answered) for c in categories]
        grid = frequency_grid(counts, respondents=len(answered) if multiple else None)
        return QuestionTable(question, categories, (), protect(grid, survey.threshold))
    by_group = [[r for r in answered if r.get(breakdown.id, NOT_STATED) == g] for g in groups]
    counts2 = [[sum(c in chosen(r) for r in rs) for rs in by_group] for c in categories]
    grid = cross_grid(counts2, respondents=[len(rs) for rs in by_group] if multiple else None)
    fixed: list[Cell] = []
    forced: list[Cell] = []
    bottom = len(categories)
    shared = [(g, sizes.categories.index(group)) for g, group in enumerate(groups)]
    shared.append((len(groups), len(sizes.categories)))  # everyone who answered
    for column, row in shared:
        if grid.value((bottom, column)) != sizes.protected.grid.value((row, 0)):
            continue  # some skipped this question: a different figure
        shown = sizes.protected.published((row, 0)) is not None
        (fixed if shown else forced).append((bottom, column))
    protected = protect(grid, survey.threshold, fixed=fixed, forced=forced)
    return QuestionTable(question, categories, groups, protected)


def free_text(survey: Survey, question: Question, responses: Sequence[Answers]) -> list[str] | None:
    """A free-text question's answers in alphabetical order (so order reveals nothing).

    ``None`` when from 1 to the threshold people answered: so few answers could
    be recognised by their style, and their number is itself a small count.
    """
    answers = sorted(str(r[question.id]) for r in responses if question.id in r)
    if 1 <= len(answers) <= survey.threshold:
        return None
    return answers

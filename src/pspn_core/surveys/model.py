"""A survey as defined in a TOML file: its questions, network, dates and threshold.

::

    [survey]
    id = "psp-role-2027"
    title = "How the PSP role works"
    network = "pspn"
    opens = 2027-01-11
    closes = 2027-02-28
    threshold = 5                      # counts from 1 to this are suppressed

    [[questions]]
    id = "region"
    kind = "breakdown"                 # single, multiple, scale, text or breakdown
    dimension = "region"               # region or organisation-type
    text = "Which region do you work in?"
    options = ["London", "South East"]
"""

from __future__ import annotations

import enum
import tomllib
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from pspn_core.errors import InputError
from pspn_core.files import read_text_limited
from pspn_core.networks.model import SLUG_PATTERN
from pspn_core.surveys.disclosure import DEFAULT_THRESHOLD

__all__ = ["Answer", "Answers", "Question", "QuestionKind", "Survey", "load_survey", "parse_survey"]

Answer = str | int | tuple[str, ...]
"""One answer: an option or text (str), a scale point (int), or options chosen (tuple)."""
Answers = dict[str, Answer]
"""One person's answers, by question id. Questions left unanswered are absent."""


class QuestionKind(enum.StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    SCALE = "scale"
    TEXT = "text"
    BREAKDOWN = "breakdown"


class Question(BaseModel):
    """One question. ``options`` for choices; ``low``..``high`` for a scale."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    kind: QuestionKind
    text: str = Field(min_length=1)
    options: tuple[str, ...] = ()
    low: int = 1
    high: int = 5
    low_label: str = ""
    high_label: str = ""
    dimension: Literal["region", "organisation-type"] | None = None
    required: bool = False

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not SLUG_PATTERN.match(value.replace("_", "-")):
            raise ValueError(
                f"{value!r} is not a question id: use lower-case letters, digits, - or _"
            )
        return value

    @model_validator(mode="after")
    def _shape(self) -> Question:
        choice = self.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.BREAKDOWN)
        if choice and len(self.options) < 2:
            raise ValueError(f"a {self.kind} question needs at least two options")
        if not choice and self.options:
            raise ValueError(f"a {self.kind} question takes no options; remove them")
        if len(set(self.options)) != len(self.options):
            raise ValueError("options must be different from each other")
        if self.kind is QuestionKind.SCALE and not 2 <= self.high - self.low + 1 <= 11:
            raise ValueError("a scale needs 2 to 11 points (low..high)")
        if (self.kind is QuestionKind.BREAKDOWN) != (self.dimension is not None):
            raise ValueError("dimension belongs on the breakdown question, and only there")
        return self

    @property
    def choices(self) -> tuple[str, ...]:
        """The categories results are counted in (scale points as text)."""
        if self.kind is QuestionKind.SCALE:
            return tuple(str(n) for n in range(self.low, self.high + 1))
        return self.options

    def label(self, choice: str) -> str:
        """How a category is shown: scale ends carry their words ("1: Not at all")."""
        if self.kind is QuestionKind.SCALE:
            words = {str(self.low): self.low_label, str(self.high): self.high_label}.get(choice)
            return f"{choice}: {words}" if words else choice
        return choice


class Survey(BaseModel):
    """A survey of one network's members, open from ``opens`` to ``closes`` inclusive."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    title: str = Field(min_length=1, max_length=200)
    network: str
    opens: date
    closes: date
    description: str = ""
    threshold: int = Field(default=DEFAULT_THRESHOLD, ge=1, le=50)
    questions: tuple[Question, ...] = Field(min_length=1)

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not SLUG_PATTERN.match(value):
            raise ValueError(f"{value!r} is not a survey id: lower-case letters, digits and '-'")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Survey:
        if self.closes < self.opens:
            raise ValueError("closes is before opens")
        ids = [q.id for q in self.questions]
        if len(set(ids)) != len(ids):
            raise ValueError(f"question ids must be unique: {ids}")
        if sum(q.kind is QuestionKind.BREAKDOWN for q in self.questions) > 1:
            raise ValueError("at most one question may be the breakdown")
        return self

    @property
    def breakdown(self) -> Question | None:
        return next((q for q in self.questions if q.kind is QuestionKind.BREAKDOWN), None)

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        known = ", ".join(q.id for q in self.questions)
        raise InputError(f"survey {self.id!r} has no question {question_id!r}; it has: {known}")

    def is_open(self, today: date) -> bool:
        return self.opens <= today <= self.closes


#: A survey definition is a short TOML file.
MAX_DEFINITION_BYTES = 1_000_000


def load_survey(path: Path) -> Survey:
    """Read and validate a survey file; errors name the file and the field."""
    text = read_text_limited(path, MAX_DEFINITION_BYTES, "survey file")
    return parse_survey(text, source=str(path))


def parse_survey(text: str, *, source: str) -> Survey:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"{source} is not valid TOML: {error}. Fix the syntax there.") from None
    if not isinstance(data.get("survey"), dict):
        raise InputError(f"{source}: add a [survey] table with id, title, network, opens, closes.")
    unknown = sorted(set(data) - {"survey", "questions"})
    if unknown:
        raise InputError(f"{source}: unknown table(s) {unknown}; only [survey] and [[questions]].")
    try:
        return Survey.model_validate({**data["survey"], "questions": data.get("questions", [])})
    except ValidationError as error:
        raise InputError(f"{source}: {_describe(error)}") from None


def _describe(error: ValidationError) -> str:
    """Name fields as they appear in the file: ``survey.closes``, ``questions[2].options``."""
    parts = []
    for item in error.errors(include_url=False):
        loc = [str(p) for p in item["loc"]]
        if loc[:1] == ["questions"] and len(loc) > 1 and loc[1].isdigit():
            where = ".".join([f"questions[{int(loc[1]) + 1}]", *loc[2:]])
        else:
            where = ".".join(["survey", *loc])
        if item["type"] == "extra_forbidden":
            message = "unknown field; remove it or correct its spelling"
        elif item["type"] == "missing":
            message = "required field is missing; add it"
        else:
            message = item["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {message}")
    return "; ".join(parts) + "."

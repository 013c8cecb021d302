"""Responses: answers checked against the survey, CSV imports, and single-use link tokens.

A response never records who gave it. A member who responds through a link
uses a token sent to them alone; the store keeps only a hash of each token
issued, in a table apart from the responses, and marks it used, so it can
refuse a second response without knowing which response was theirs.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import secrets
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from pspn_core.errors import InputError, Remedy
from pspn_core.surveys.model import Answer, Answers, Question, QuestionKind, Survey

__all__ = [
    "ImportResult",
    "RowProblem",
    "check_answers",
    "hash_token",
    "import_csv",
    "new_token",
    "parse_answer",
    "parse_column_map",
]

TOKEN_BYTES = 20


def new_token() -> str:
    """A fresh single-use token: 160 random bits as hex, safe in a URL or on a command line.

    (Hex, not URL-safe base64, which may begin with "-" and read as an option.)
    """
    return secrets.token_hex(TOKEN_BYTES)


def hash_token(token: str) -> str:
    """What the store keeps of a token. Tokens are random, so a plain SHA-256 is enough."""
    return hashlib.sha256(token.strip().encode("utf-8")).hexdigest()


def parse_answer(question: Question, raw: str) -> Answer | None:
    """Turn the text of one answer into an :data:`Answer`; ``None`` if blank.

    Multiple choices are separated by ``;`` (as form tools export them).
    Raises :class:`InputError` naming the question and what is allowed.
    """
    text = raw.strip()
    if not text:
        return None
    if question.kind is QuestionKind.TEXT:
        return text
    if question.kind is QuestionKind.SCALE:
        try:
            point = int(text)
        except ValueError:
            point = question.low - 1
        if not question.low <= point <= question.high:
            raise InputError(
                f"{question.id}: {text!r} is not a whole number from {question.low} to "
                f"{question.high}"
            )
        return point
    chosen = (
        [part.strip() for part in text.split(";")]
        if question.kind is QuestionKind.MULTIPLE
        else [text]
    )
    chosen = [part for part in chosen if part]
    options = {option.casefold(): option for option in question.options}
    unknown = [part for part in chosen if part.casefold() not in options]
    if unknown:
        raise InputError(
            f"{question.id}: {', '.join(map(repr, unknown))} is not one of the options "
            f"({'; '.join(question.options)})"
        )
    picked = [options[part.casefold()] for part in chosen]
    if question.kind is QuestionKind.MULTIPLE:
        return tuple(option for option in question.options if option in picked)
    return picked[0]


def check_answers(survey: Survey, raw: Mapping[str, str]) -> Answers:
    """Check one person's answers (question id to text) against the survey."""
    unknown = sorted(set(raw) - {q.id for q in survey.questions})
    if unknown:
        raise InputError(f"survey {survey.id!r} has no question(s) {', '.join(unknown)}")
    answers: Answers = {}
    problems = []
    for question in survey.questions:
        try:
            answer = parse_answer(question, raw.get(question.id, ""))
        except InputError as error:
            problems.append(str(error))
            continue
        if answer is None:
            if question.required:
                problems.append(f"{question.id}: an answer is required")
        else:
            answers[question.id] = answer
    if problems:
        raise InputError("; ".join(problems))
    if not answers:
        raise InputError("the response answers no question")
    return answers


def parse_column_map(survey: Survey, pairs: Mapping[str, str], header: list[str]) -> dict[str, str]:
    """Which CSV column holds each question: ``pairs`` first, then a column named by its id or text.

    Questions with no column are left out (unanswered). A mapping that names a
    missing question or column is an error.
    """

    def norm(name: str) -> str:
        return " ".join(name.split()).casefold()

    columns = {norm(name): name for name in header}
    mapping: dict[str, str] = {}
    for question_id, column in pairs.items():
        survey.question(question_id)
        if norm(column) not in columns:
            raise InputError(f"the CSV has no column {column!r} (mapped to {question_id})")
        mapping[question_id] = columns[norm(column)]
    for question in survey.questions:
        if question.id in mapping:
            continue
        for name in (question.id, question.text):
            if norm(name) in columns:
                mapping[question.id] = columns[norm(name)]
                break
    if not mapping:
        raise InputError("no CSV column matches a question", remedy=Remedy("map-columns"))
    return mapping


@dataclass(frozen=True)
class RowProblem:
    """A CSV row that does not fit the survey. ``row`` counts the header as row 1."""

    row: int
    message: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.message}"


@dataclass(frozen=True)
class ImportResult:
    responses: list[Answers]
    problems: list[RowProblem]
    mapping: dict[str, str]
    keys: list[str] = field(default_factory=list)
    """One per response: who answered is unknown, but the same row always has the same key."""
    already: int = 0
    """How many responses were held already (set when stored)."""


def response_key(header: list[str], row: list[str], seen: dict[str, int]) -> str:
    """A response's identity: a hash of its whole row, normalised, and its occurrence.

    Every column counts (a form tool's timestamp or response id tells respondents
    apart); cells are keyed by column name and trimmed, and line ends are
    normalised, so the same export saved again with CRLF, with its columns
    reordered or with more rows gives the same key to the same responses.
    Identical rows are told apart by how many came before them.
    """
    cells = {
        name.strip(): " ".join(cell.replace("\r\n", "\n").replace("\r", "\n").split())
        for name, cell in zip(header, row, strict=True)
    }
    digest = hashlib.sha256(json.dumps(cells, sort_keys=True).encode()).hexdigest()[:32]
    seen[digest] = seen.get(digest, 0) + 1
    return f"{digest}-{seen[digest]}"


def _rows(text: str) -> Iterator[list[str]]:
    """The CSV's rows; a row the csv module cannot read is an :class:`InputError`."""
    reader = csv.reader(io.StringIO(text))
    try:
        yield from reader
    except csv.Error as error:
        raise InputError(
            f"the CSV cannot be read near line {reader.line_num} ({error}): a cell longer "
            f"than {csv.field_size_limit() // 1024} KiB or a broken quote; export it again"
        ) from None


def import_csv(survey: Survey, text: str, columns: Mapping[str, str] | None = None) -> ImportResult:
    """Read a form tool's CSV export: one response per row, columns mapped to questions.

    Columns not mapped (names, emails, timestamps a form tool adds) are never read.
    """
    reader = _rows(text.lstrip("\ufeff"))
    header = next(reader, None)
    if not header:
        raise InputError("the CSV file is empty; export it with a header row")
    mapping = parse_column_map(survey, columns or {}, header)
    position = {question_id: header.index(column) for question_id, column in mapping.items()}
    responses: list[Answers] = []
    keys: list[str] = []
    seen: dict[str, int] = {}
    problems: list[RowProblem] = []
    for row_number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(
                RowProblem(row_number, f"has {len(row)} cells; the header has {len(header)}")
            )
            continue
        raw = {question_id: row[index] for question_id, index in position.items()}
        try:
            responses.append(check_answers(survey, raw))
        except InputError as error:
            problems.append(RowProblem(row_number, str(error)))
        else:
            keys.append(response_key(header, row, seen))
    return ImportResult(responses, problems, mapping, keys)

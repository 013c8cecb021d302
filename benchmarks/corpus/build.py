"""Build the pspn-dev2 gold set (JSONL) from its inline-markup sources.

Usage: python benchmarks/corpus/build.py [--check] [--src DIR] [--out FILE]

Each source file ``pspn-dev2/NN-*.txt`` is one document: a header, a line
``---``, then the text with its gold spans marked inline::

    id: pspn-dev2-01
    kind: minutes
    roster: Grace Halloran | gracehal | Harrowmere Valley NHS Foundation Trust
    ---
    Present: [[PERSON#1|Grace]], [[PERSON|Tomasz Wierzbicki]]
    We {{1|hope}} to finish by [[ORGANISATION#4|St Aldric's]] ...

* ``[[LABEL|text]]`` is a gold span; ``[[LABEL#N|text]]`` tags it with the
  class N (1-9) of issue 17 it exercises. The tag is kept as an extra
  ``"class"`` key on the span, which the shared scorer ignores.
* ``{{N|text}}`` marks an ordinary word that must be KEPT although it looks
  like a class-N item (the month "June" when a member is called June); these
  go to an extra ``"keeps"`` list so the evaluation can count wrongly
  redacted decoys.
* ``roster:`` lines give ``name | username | organisation`` (the last two may
  be empty). The text runs to the end of the file; trailing newlines are
  dropped.

Every span is checked (label known, offsets give the marked text, no
leading or trailing whitespace, no overlap) and the output is deterministic:
files are read in name order and written with sorted spans. ``--check`` exits
with status 1 when the committed JSONL differs from a fresh build.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIR = Path(__file__).resolve().parent / "pspn-dev2"
OUTPUT = ROOT / "tests" / "data" / "anonymiser" / "pspn-dev2.jsonl"

# the labels of the shared scorer (tests/data/anonymiser/score.py)
LABELS = (
    "PERSON",
    "USERNAME",
    "EMAIL",
    "PHONE",
    "NHS_NUMBER",
    "MEDICAL_ID",
    "POSTCODE",
    "ADDRESS",
    "DATE_OF_BIRTH",
    "ORGANISATION",
    "LOCATION",
    "URL",
)
KINDS = frozenset({"minutes", "teams_chat", "vtt", "email", "summary"})
CLASSES = range(1, 10)
# the marked text is one line and may hold single brackets ("name [at] example.org")
_INNER = r"((?:(?!\[\[|\]\]|\{\{|\}\})[^\n])+?)"
_MARK = re.compile(rf"\[\[([A-Z_]+)(?:#(\d))?\|{_INNER}\]\]|\{{\{{(\d)\|{_INNER}\}}\}}")
_STRAY = re.compile(r"\[\[|\]\]|\{\{|\}\}")
# the guideline keeps honorifics and titles outside the span: "Dr [Okafor]"
_HONORIFIC = re.compile(
    r"(?<![\w-])(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame|Sister|Nurse)(?![\w-])"
)


class CorpusError(ValueError):
    """A source file that does not follow the format; the message names file and fix."""


@dataclass(frozen=True)
class Marked:
    start: int
    end: int
    label: str | None  # None for a kept decoy
    klass: int | None
    marked: str  # the text between the brackets, to check the offsets against


def parse_body(body: str, where: str) -> tuple[str, list[Marked]]:
    """Strip the markup from ``body``; return the text and the marked stretches."""
    out: list[str] = []
    marks: list[Marked] = []
    pos = length = 0
    for m in _MARK.finditer(body):
        out.append(body[pos : m.start()])
        length += m.start() - pos
        label, klass, inner = (m.group(1), m.group(2), m.group(3))
        if label is None:
            label, klass, inner = None, m.group(4), m.group(5)
        line = body.count("\n", 0, m.start()) + 1
        here = f"{where}, line {line}"
        if label is not None and label not in LABELS:
            raise CorpusError(f"{here}: unknown label {label!r}; use one of {', '.join(LABELS)}")
        number = int(klass) if klass is not None else None
        if number is not None and number not in CLASSES:
            raise CorpusError(f"{here}: class {number} is not one of 1-9")
        if inner != inner.strip():
            raise CorpusError(f"{here}: {inner!r} starts or ends with whitespace; move it out")
        marks.append(Marked(length, length + len(inner), label, number, inner))
        out.append(inner)
        length += len(inner)
        pos = m.end()
    out.append(body[pos:])
    text = "".join(out)
    stray = _STRAY.search(text)
    if stray:
        line = text.count("\n", 0, stray.start()) + 1
        raise CorpusError(f"{where}, line {line}: unmatched {stray.group()!r}; close the span")
    return text, marks


def parse_source(source: str, where: str) -> dict[str, object]:
    """One document (the shared JSONL shape, plus ``class`` and ``keeps``) from a source file."""
    head, sep, body = source.partition("\n---\n")
    if not sep:
        raise CorpusError(f"{where}: no '---' line between header and text; add one")
    fields: dict[str, str] = {}
    roster: list[dict[str, str]] = []
    for raw in head.splitlines():
        key, colon, value = raw.partition(":")
        if not colon or key.strip() not in {"id", "kind", "roster"}:
            raise CorpusError(f"{where}: header line {raw!r} is not 'id:', 'kind:' or 'roster:'")
        if key.strip() == "roster":
            parts = [p.strip() for p in value.split("|")]
            if not parts[0] or len(parts) > 3:
                raise CorpusError(f"{where}: roster line {raw!r}; write 'name | username | org'")
            parts += [""] * (3 - len(parts))
            roster.append({"name": parts[0], "username": parts[1], "organisation": parts[2]})
        else:
            fields[key.strip()] = value.strip()
    if "id" not in fields or fields.get("kind") not in KINDS:
        raise CorpusError(f"{where}: header needs 'id:' and 'kind:' (one of {sorted(KINDS)})")
    text, marks = parse_body(body.rstrip("\n"), where)
    validate(text, marks, where)
    spans: list[dict[str, object]] = []
    keeps: list[dict[str, object]] = []
    for mark in marks:
        if mark.label is None:
            keeps.append({"start": mark.start, "end": mark.end, "class": mark.klass})
            continue
        span: dict[str, object] = {"start": mark.start, "end": mark.end, "label": mark.label}
        if mark.klass is not None:
            span["class"] = mark.klass
        spans.append(span)
    return {
        "id": fields["id"],
        "kind": fields["kind"],
        "text": text,
        "roster": roster,
        "spans": spans,
        "keeps": keeps,
    }


def validate(text: str, marks: list[Marked], where: str) -> None:
    """Check every marked stretch against the final text: offsets, edges, order."""
    last_end = 0
    for mark in marks:
        piece = text[mark.start : mark.end]
        if not last_end <= mark.start < mark.end <= len(text):
            raise CorpusError(f"{where}: {mark.marked!r} overlaps the span before it")
        if piece != mark.marked or piece != piece.strip():
            raise CorpusError(f"{where}: offsets {mark.start}-{mark.end} give {piece!r}")
        if mark.label == "PERSON" and _HONORIFIC.search(piece):
            raise CorpusError(f"{where}: {piece!r}: move the title out of the PERSON span")
        if mark.label in {"ORGANISATION", "LOCATION"} and piece.startswith("the "):
            raise CorpusError(f"{where}: {piece!r}: a leading 'the' stays outside the span")
        last_end = mark.end


def build(source_dir: Path = SOURCE_DIR) -> str:
    """The JSONL for every ``*.txt`` under ``source_dir``, in file-name order."""
    lines: list[str] = []
    seen: set[str] = set()
    files = sorted(source_dir.glob("*.txt"))
    if not files:
        raise CorpusError(f"{source_dir}: no *.txt source files; check --src")
    for path in files:
        where = path.name
        source = path.read_text(encoding="utf-8")
        doc = parse_source(source, where)
        if doc["id"] in seen:
            raise CorpusError(f"{where}: id {doc['id']!r} is used twice; give it a new id")
        seen.add(str(doc["id"]))
        lines.append(json.dumps(doc, ensure_ascii=False))
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=SOURCE_DIR)
    parser.add_argument("--out", type=Path, default=OUTPUT)
    parser.add_argument("--check", action="store_true", help="fail if --out is out of date")
    args = parser.parse_args(argv)
    try:
        built = build(args.src)
    except CorpusError as error:
        print(f"build.py: {error}", file=sys.stderr)
        return 1
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != built:
            print(f"{args.out}: out of date; run benchmarks/corpus/build.py", file=sys.stderr)
            return 1
        return 0
    args.out.write_text(built, encoding="utf-8")
    count = built.count("\n")
    print(f"wrote {count} documents to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

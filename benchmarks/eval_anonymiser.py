"""Run the anonymiser over the gold sets and score it, per label and per class of issue 17.

Usage: python benchmarks/eval_anonymiser.py [GOLD.jsonl ...] [--pred-dir DIR] [--json]

With no GOLD files it scores both sets vendored in ``tests/data/anonymiser/``:
``shared-dev.jsonl`` (the shared development set) and ``pspn-dev2.jsonl``
(pspn's own, built from ``benchmarks/corpus/pspn-dev2/``). Scores come from
the shared scorer (``tests/data/anonymiser/score.py``), imported as it is;
on top of it this script reports:

* per class: gold spans tagged with a class (1-9 of issue 17) caught, their
  character recall, and the ordinary words of that class ("in June", "we
  hope") that were wrongly redacted (the ``keeps`` of pspn-dev2);
* roster-name spans left: gold PERSON spans sharing a word with a name on the
  document's roster that were not caught (the issue's goal is 0).

``--pred-dir`` keeps the prediction files (spans and output per document),
one per set, for ``score.py`` or for reading.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from pspn_core.notes.anonymiser import RosterEntry, anonymise, compile_roster

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "anonymiser"
SETS = (DATA / "shared-dev.jsonl", DATA / "pspn-dev2.jsonl")
SCORER = DATA / "score.py"
CAUGHT = 0.9  # as in score.py: a span is caught when 90% of its characters are redacted
CLASSES = {
    1: "roster names that are ordinary words",
    2: "identifiers spoken in transcripts",
    3: "dates of birth without a label",
    4: "hospitals and sites by short names",
    5: "addresses without a house number",
    6: "reference numbers of other shapes",
    7: "contact details written to dodge filters",
    8: "handles not on the roster",
    9: "e-mail header name forms",
}
_WORD = re.compile(r"[^\W\d_]{2,}")

Doc = dict[str, Any]


@cache
def scorer() -> ModuleType:
    """The shared scorer, imported from its file (it is a script, not a package)."""
    spec = importlib.util.spec_from_file_location("anonymiser_eval_score", SCORER)
    assert spec is not None and spec.loader is not None, SCORER
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_docs(path: Path) -> list[Doc]:
    with path.open(encoding="utf-8") as src:
        return [json.loads(line) for line in src if line.strip()]


def predict(docs: list[Doc]) -> tuple[dict[str, Doc], float]:
    """Anonymise every document with its roster; return predictions and characters/second."""
    preds: dict[str, Doc] = {}
    chars, seconds = 0, 0.0
    for doc in docs:
        roster = compile_roster(
            RosterEntry(
                name=r["name"],
                username=r.get("username", ""),
                organisation=r.get("organisation", ""),
                aliases=tuple(r.get("aliases", ())),
            )
            for r in doc.get("roster", [])
        )
        started = time.perf_counter()
        note = anonymise(doc["text"], roster=roster, secret=b"eval")
        seconds += time.perf_counter() - started
        chars += len(doc["text"])
        spans = [{"start": f.start, "end": f.end, "label": f.label} for f in note.findings]
        preds[doc["id"]] = {"spans": spans, "output": note.text}
    return preds, (chars / seconds if seconds else 0.0)


@dataclass
class Tally:
    spans: int = 0
    caught: int = 0
    chars: int = 0
    chars_hit: int = 0
    keeps: int = 0
    keeps_redacted: int = 0

    def as_dict(self) -> dict[str, float | int | None]:
        return {
            "spans": self.spans,
            "caught": self.caught,
            "span_recall": round(self.caught / self.spans, 4) if self.spans else None,
            "char_recall": round(self.chars_hit / self.chars, 4) if self.chars else None,
            "keeps": self.keeps,
            "keeps_redacted": self.keeps_redacted,
        }


def roster_words(doc: Doc) -> frozenset[str]:
    return frozenset(
        w.casefold() for r in doc.get("roster", []) for w in _WORD.findall(r.get("name", ""))
    )


def class_report(docs: list[Doc], preds: dict[str, Doc]) -> dict[str, Any]:
    """Per-class tallies and the roster-name spans left (see the module docstring)."""
    tallies: dict[int, Tally] = defaultdict(Tally)
    left: list[dict[str, str]] = []
    for doc in docs:
        text: str = doc["text"]
        redacted = bytearray(len(text))
        for span in preds.get(doc["id"], {}).get("spans", []):
            start, end = max(0, span["start"]), min(len(text), span["end"])
            redacted[start:end] = b"\x01" * max(0, end - start)
        names = roster_words(doc)
        for span in doc["spans"]:
            idx = [i for i in range(span["start"], span["end"]) if not text[i].isspace()]
            hit = sum(redacted[i] for i in idx)
            caught = bool(idx) and hit / len(idx) >= CAUGHT
            piece = text[span["start"] : span["end"]]
            if span.get("class"):
                tally = tallies[span["class"]]
                tally.spans += 1
                tally.caught += caught
                tally.chars += len(idx)
                tally.chars_hit += hit
            words = {w.casefold() for w in _WORD.findall(piece)}
            if span["label"] == "PERSON" and words & names and not caught:
                left.append({"id": doc["id"], "span": piece})
        for keep in doc.get("keeps", []):
            tally = tallies[keep["class"]]
            tally.keeps += 1
            tally.keeps_redacted += any(redacted[keep["start"] : keep["end"]])
    return {
        "per_class": {str(k): tallies[k].as_dict() for k in sorted(tallies)},
        "roster_name_spans_left": {"count": len(left), "list": left},
    }


def evaluate(gold: Path, pred_dir: Path | None = None) -> dict[str, Any]:
    """Predict and score one gold set; the shared scorer's JSON plus ``classes`` and ``speed``."""
    docs = read_docs(gold)
    preds, rate = predict(docs)
    if pred_dir is not None:
        pred_dir.mkdir(parents=True, exist_ok=True)
        with (pred_dir / f"{gold.stem}-predictions.jsonl").open("w", encoding="utf-8") as out:
            for doc_id, pred in preds.items():
                out.write(json.dumps({"id": doc_id, **pred}, ensure_ascii=False) + "\n")
    warnings: list[str] = []
    result: dict[str, Any] = scorer().score(docs, preds, None, warnings)
    result["classes"] = class_report(docs, preds)
    result["speed"] = {"characters_per_second": round(rate)}
    return result


def _r(value: float | None) -> str:
    return "  n/a" if value is None else f"{value:.3f}"


def print_report(name: str, res: dict[str, Any]) -> None:
    char, span = res["char"], res["span"]
    leaked = res["leaked_documents"]
    left = res["classes"]["roster_name_spans_left"]
    print(f"== {name}: {res['n_gold_docs']} documents")
    print(
        f"character recall {_r(char['overall']['recall'])}  "
        f"precision {_r(char['overall']['precision'])}  "
        f"span recall {_r(span['overall']['recall'])}  "
        f"documents leaking {leaked['count']} of {leaked['of_docs_with_spans']}  "
        f"roster-name spans left {left['count']}  "
        f"({res['speed']['characters_per_second']:,} characters/second)"
    )
    print(f"  {'label':<14} {'spans':>11} {'span rec':>9} {'char rec':>9} {'char prec':>9}")
    for label, v in span["per_label"].items():
        c = char["per_label"].get(label, {})
        print(
            f"  {label:<14} {v['caught']:>5}/{v['total']:<5} {_r(v['recall']):>9} "
            f"{_r(c.get('recall')):>9} {_r(c.get('precision')):>9}"
        )
    classes = res["classes"]["per_class"]
    if classes:
        print(f"  {'class':<44} {'spans':>11} {'span rec':>9} {'char rec':>9} {'words kept':>10}")
        for key, v in classes.items():
            title = f"{key}. {CLASSES[int(key)]}"
            kept = f"{v['keeps'] - v['keeps_redacted']}/{v['keeps']}" if v["keeps"] else "-"
            print(
                f"  {title:<44} {v['caught']:>5}/{v['spans']:<5} {_r(v['span_recall']):>9} "
                f"{_r(v['char_recall']):>9} {kept:>10}"
            )
    for item in left["list"]:
        print(f"  roster name left: {item['id']} {item['span']!r}")
    print()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="*", type=Path, default=list(SETS))
    parser.add_argument("--pred-dir", type=Path, help="keep the predictions in this folder")
    parser.add_argument("--json", action="store_true", help="print one JSON object per set")
    args = parser.parse_args()
    for gold in args.gold:
        if not gold.exists():
            print(f"{gold}: not found; pass the path of a gold JSONL file", file=sys.stderr)
            return 1
    for gold in args.gold:
        res = evaluate(gold, args.pred_dir)
        if args.json:
            print(json.dumps({"set": gold.name, **res}, ensure_ascii=False))
        else:
            print_report(gold.name, res)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

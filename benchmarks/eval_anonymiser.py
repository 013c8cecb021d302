"""Run the anonymiser over the evaluation set and score it with the set's own scorer.

Usage: python benchmarks/eval_anonymiser.py [GOLD.jsonl] [--pred PRED.jsonl] [--json]

GOLD defaults to ../shared/anonymiser-eval/dev.jsonl beside the repository.
Writes predictions (spans and output per document), then runs score.py.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from pspn_core.notes.anonymiser import RosterEntry, anonymise, compile_roster

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GOLD = ROOT.parent / "shared" / "anonymiser-eval" / "dev.jsonl"


def predict(gold: Path, pred: Path) -> float:
    """Write predictions for every document in ``gold``; return characters per second."""
    chars, seconds = 0, 0.0
    with gold.open(encoding="utf-8") as src, pred.open("w", encoding="utf-8") as out:
        for line in src:
            if not line.strip():
                continue
            doc = json.loads(line)
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
            out.write(json.dumps({"id": doc["id"], "spans": spans, "output": note.text}) + "\n")
    return chars / seconds if seconds else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("gold", nargs="?", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--pred", type=Path, default=Path("anonymiser-predictions.jsonl"))
    parser.add_argument("--json", action="store_true", help="print the scorer's JSON")
    args = parser.parse_args()
    if not args.gold.exists():
        print(f"{args.gold}: not found; pass the path of the gold JSONL file", file=sys.stderr)
        return 1
    rate = predict(args.gold, args.pred)
    print(f"predictions written to {args.pred} ({rate:,.0f} characters/second)")
    command = [sys.executable, str(args.gold.parent / "score.py"), str(args.gold), str(args.pred)]
    if args.json:
        command.append("--json")
    return subprocess.run(command, check=False).returncode


if __name__ == "__main__":
    raise SystemExit(main())

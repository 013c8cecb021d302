"""The development set, scored by its own scorer, stays above floors.

The floors sit below the figures measured last (character recall 0.999,
precision 0.984, span recall 0.999, 1 of 40 documents leaking) and at or
under the earlier ones (0.996, 0.967, 0.995, 3 leaking), so that a regression
fails without the test chasing every small change. It needs
``../shared/anonymiser-eval/`` beside the repository (as in CI) and is skipped
with a reason when that is absent.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pspn_core.notes.anonymiser import RosterEntry, anonymise, compile_roster

EVAL_DIR = Path(__file__).resolve().parents[3].parent / "shared" / "anonymiser-eval"


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    gold = EVAL_DIR / "dev.jsonl"
    if not gold.exists() or not (EVAL_DIR / "score.py").exists():
        pytest.skip(f"evaluation set not found at {EVAL_DIR} (it lives in shared/ beside the repo)")
    pred = tmp_path_factory.mktemp("eval") / "pred.jsonl"
    with gold.open(encoding="utf-8") as src, pred.open("w", encoding="utf-8") as out:
        for line in src:
            doc = json.loads(line)
            roster = compile_roster(
                RosterEntry(r["name"], r.get("username", ""), r.get("organisation", ""))
                for r in doc["roster"]
            )
            note = anonymise(doc["text"], roster=roster, secret=b"eval")
            spans = [{"start": f.start, "end": f.end, "label": f.label} for f in note.findings]
            out.write(json.dumps({"id": doc["id"], "spans": spans, "output": note.text}) + "\n")
    result = subprocess.run(
        [sys.executable, str(EVAL_DIR / "score.py"), str(gold), str(pred), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    data: dict[str, object] = json.loads(result.stdout)
    assert "error" not in data, data
    return data


def _find(data: object, *keys: str) -> float:
    for key in keys:
        assert isinstance(data, dict), f"score.py JSON has no {keys}"
        data = data[key]
    assert isinstance(data, int | float)
    return float(data)


def test_dev_set_floors(scores: dict[str, object]) -> None:
    assert _find(scores, "char", "overall", "recall") >= 0.99
    assert _find(scores, "char", "overall", "precision") >= 0.95
    assert _find(scores, "span", "overall", "recall") >= 0.99
    assert _find(scores, "leaked_documents", "count") <= 3

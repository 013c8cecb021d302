"""Is a word a name misspelt? One or two edits from a name part: a small index, an exact check.

The roster detector asks, for each unknown word of a note, whether a member's
name part with the same first letter is at most :func:`bound` edits from it
(Levenshtein: a letter inserted, deleted or replaced). A roster of 10,000
members has hundreds of parts for each first letter, so :class:`NearIndex`
first picks the few parts that can be that close, by pigeonhole:

    cut what follows a part's first letter into ``bound + 2`` pieces;
    ``bound`` edits change at most ``bound`` pieces, so two are left whole in
    the word, each starting at most ``bound`` letters from where it starts in
    the part.

The index maps (bound, length, piece number, piece) to the parts, so a word
looks up a few dozen keys, and only the parts found under two of them are
checked, exactly, by :func:`within`. Building it costs a few dictionary
entries per part, for the parts of one first letter when a word first needs
them (about 7 ms for a roster of 10,000 members): cheap enough that it is
built by a compiled roster when it is first used (:meth:`.CompiledRoster.near`), not saved with it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from functools import cache
from itertools import chain, pairwise

__all__ = ["NearIndex", "bound", "within"]


def bound(length: int) -> int:
    """How many edits a word of ``length`` letters may be from a name: 1, or 2 past 6 letters."""
    return 1 if length <= 6 else 2


def within(a: str, b: str, edits: int) -> bool:
    """Whether ``a`` and ``b`` are at most ``edits`` edits apart (Levenshtein distance)."""
    if abs(len(a) - len(b)) > edits:
        return False
    # a common start and end never need an edit
    start, end_a, end_b = 0, len(a), len(b)
    while start < end_a and start < end_b and a[start] == b[start]:
        start += 1
    while end_a > start and end_b > start and a[end_a - 1] == b[end_b - 1]:
        end_a -= 1
        end_b -= 1
    if start in (end_a, end_b):  # what is left of one is inserted into the other
        return max(end_a, end_b) - start <= edits
    if edits <= 1:  # a letter left on each side: one replaced by the other
        return edits == 1 and end_a - start == 1 and end_b - start == 1
    # the first letters left differ, so the first edit replaces, deletes or inserts one
    a, b = a[start:end_a], b[start:end_b]
    edits -= 1
    return within(a[1:], b[1:], edits) or within(a[1:], b, edits) or within(a, b[1:], edits)


def _cuts(length: int, count: int) -> list[tuple[int, int]]:
    """Where ``count`` pieces, as even as can be, of a string of ``length`` start and end."""
    ends = [length * n // count for n in range(count + 1)]
    return list(pairwise(ends))


def _head(edits: int, length: int, number: int | str) -> str:
    """The start of an index key; the piece follows it."""
    return f"{edits}:{length}:{number}:"


@cache
def _plan(length: int) -> tuple[tuple[str, int, int], ...]:
    """How a part of ``length`` letters is indexed: (the key's start, the piece's start, end).

    A part is indexed for each bound of the words that could be near it (words
    within that bound of its length); a part too short to cut is indexed whole,
    under its length alone.
    """
    plan = []
    rest = length - 1  # what follows the first letter
    for edits in sorted(
        {bound(n) for n in range(length - 2, length + 3) if abs(n - length) <= bound(n)}
    ):
        if rest < edits + 2:
            plan.append((_head(edits, rest, "whole"), 1, 1))
            continue
        for number, (start, end) in enumerate(_cuts(rest, edits + 2)):
            plan.append((_head(edits, rest, number), start + 1, end + 1))
    return tuple(plan)


@cache
def _probes(size: int) -> tuple[tuple[str, int, int, bool], ...]:
    """Where in a word of ``size`` letters the pieces of parts near it may be.

    Each probe is (the key's start, where the piece may start, where it then
    ends, whether the key is of parts too short to cut, indexed whole).
    """
    edits = bound(size)
    rest = size - 1
    probes = []
    for length in range(max(0, rest - edits), rest + edits + 1):  # the part's, after its first
        if length < edits + 2:
            probes.append((_head(edits, length, "whole"), 1, 1, True))
            continue
        for number, (start, end) in enumerate(_cuts(length, edits + 2)):
            width = end - start
            for at in range(max(0, start - edits), min(rest - width, start + edits) + 1):
                probes.append((_head(edits, length, number), at + 1, at + 1 + width, False))
    return tuple(probes)


class NearIndex:
    """Strings within :func:`bound` edits of a word, with its first letter (see above).

    :param parts: the strings, by first letter (a compiled roster's ``fuzzy_parts``).
    """

    def __init__(self, parts: Mapping[str, Sequence[str]]) -> None:
        self._parts = parts
        self._letters: dict[str, dict[str, list[str]]] = {}

    def _letter(self, letter: str) -> dict[str, list[str]]:
        """The index of the parts starting with ``letter``, made when first asked for."""
        index = self._letters.get(letter)
        if index is None:
            index = {}
            for part in self._parts.get(letter, ()):
                for head, start, end in _plan(len(part)):
                    index.setdefault(head + part[start:end], []).append(part)
            # kept only once whole: another thread may use it (at worst, both build it)
            self._letters[letter] = index
        return index

    def near(self, word: str) -> bool:
        """Whether a string starting with ``word``'s first letter is within its bound."""
        if not word:
            return False
        index = self._letter(word[0])
        keys = {(head + word[start:end], whole) for head, start, end, whole in _probes(len(word))}
        short: list[list[str]] = []  # parts too short to cut, found by length: check them all
        cut: list[list[str]] = []  # parts found by one piece: check those found by two
        for key, whole in keys:
            found = index.get(key)
            if found is not None:
                (short if whole else cut).append(found)
        twice = (part for part, pieces in Counter(chain(*cut)).items() if pieces >= 2)
        edits = bound(len(word))
        return any(within(word, part, edits) for part in chain(*short, twice))

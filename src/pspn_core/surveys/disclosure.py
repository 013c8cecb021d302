"""Statistical disclosure control for survey tables. Pure: counts in, a safe table out.

A table is a grid of counts with its totals, plus the *lines* that tie them
together: each line says "these cells add up to that total cell". Publishing
a count from 1 to the threshold could identify someone, so it is suppressed
(*primary* suppression). A suppressed count must not be recoverable from the
totals either: if a line has exactly one suppressed cell, subtraction gives it
away. More generally, think of every line as a node and every suppressed cell
as an edge between the (at most two) lines it belongs to. A suppressed cell
can be worked out exactly when its edge is a *bridge*: when no other path of
suppressed cells joins its two lines. When every suppressed cell lies on a
cycle of suppressed, non-zero cells, one can add 1 to every other cell on the
cycle and take 1 from the rest without changing any published figure, so no
suppressed value is determined. *Secondary* suppression therefore adds, for each
bridge, the cheapest path of non-zero cells that closes a cycle through it
(the smallest counts first), repeating until no bridge is left. If that cannot
be done, the whole table is withheld.

Zeros are published: they are not counts of people who could be identified.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

__all__ = [
    "DEFAULT_THRESHOLD",
    "Cell",
    "Grid",
    "Line",
    "Protected",
    "cross_grid",
    "frequency_grid",
    "protect",
]

DEFAULT_THRESHOLD = 5

Cell = tuple[int, int]
"""(row, column) in a grid; totals are cells too."""

_FREE = -1  # the node for "no line": a cell counted in only one line


@dataclass(frozen=True)
class Line:
    """The cells ``parts`` add up to the cell ``total``."""

    parts: tuple[Cell, ...]
    total: Cell


@dataclass(frozen=True)
class Grid:
    """Counts to publish, totals included, and the lines that relate them."""

    values: tuple[tuple[int, ...], ...]
    lines: tuple[Line, ...]

    def __post_init__(self) -> None:
        for line in self.lines:
            if sum(self.value(c) for c in line.parts) != self.value(line.total):
                raise ValueError(f"the cells of {line} do not add up to its total")
        self._ends  # noqa: B018  (checks that no cell is in more than two lines)

    def value(self, cell: Cell) -> int:
        return self.values[cell[0]][cell[1]]

    @property
    def cells(self) -> list[Cell]:
        return [(r, c) for r, row in enumerate(self.values) for c in range(len(row))]

    def lines_of(self, cell: Cell) -> tuple[int, int]:
        """The two graph nodes ``cell`` joins: its lines, ``_FREE`` standing in for none."""
        return self._ends.get(cell, (_FREE, _FREE))

    @cached_property
    def _ends(self) -> dict[Cell, tuple[int, int]]:
        found: dict[Cell, list[int]] = {}
        for index, line in enumerate(self.lines):
            for cell in (*line.parts, line.total):
                found.setdefault(cell, []).append(index)
        for cell, ids in found.items():
            if len(ids) > 2:
                raise ValueError(f"cell {cell} is in {len(ids)} lines; at most two are supported")
        return {cell: (ids[0], ids[1] if len(ids) > 1 else _FREE) for cell, ids in found.items()}


def frequency_grid(counts: Sequence[int], *, respondents: int | None = None) -> Grid:
    """One column of counts and a total row.

    For a single-choice question the total is the sum, and the column is a line.
    For a multiple-choice question pass ``respondents``: the total row holds the
    number of people who answered, which is not the sum, so there is no line.
    """
    total = sum(counts) if respondents is None else respondents
    values = tuple((n,) for n in (*counts, total))
    lines = () if respondents is not None else (_column(len(counts), 0),)
    return Grid(values, lines)


def cross_grid(
    counts: Sequence[Sequence[int]], *, respondents: Sequence[int] | None = None
) -> Grid:
    """Rows (answers) by columns (groups), with a total column and a total row.

    For a single-choice question every row and every column is a line. For a
    multiple-choice question pass ``respondents`` per group: the total row holds
    them, each answer's row still adds up across groups, the columns do not.
    """
    rows, cols = len(counts), len(counts[0]) if counts else 0
    body = [[*row, sum(row)] for row in counts]
    if respondents is None:
        bottom = [sum(row[c] for row in body) for c in range(cols + 1)]
    else:
        bottom = [*respondents, sum(respondents)]
    values = tuple(tuple(row) for row in (*body, bottom))
    row_lines = [Line(tuple((r, c) for c in range(cols)), (r, cols)) for r in range(rows + 1)]
    col_lines = [_column(rows, c) for c in range(cols + 1)] if respondents is None else []
    return Grid(values, (*row_lines, *col_lines))


def _column(rows: int, column: int) -> Line:
    return Line(tuple((r, column) for r in range(rows)), (rows, column))


@dataclass(frozen=True)
class Protected:
    """A grid with its suppressed cells, and why each was suppressed."""

    grid: Grid
    threshold: int
    primary: frozenset[Cell]
    secondary: frozenset[Cell]
    withheld: bool = False

    @property
    def suppressed(self) -> frozenset[Cell]:
        return self.primary | self.secondary

    def published(self, cell: Cell) -> int | None:
        """The count to show, or ``None`` if it is suppressed."""
        if self.withheld or cell in self.suppressed:
            return None
        return self.grid.value(cell)

    def share(self, cell: Cell, of: Cell) -> float | None:
        """``cell`` as a fraction of ``of``, only when both are published and ``of`` is not 0."""
        part, whole = self.published(cell), self.published(of)
        if part is None or not whole:
            return None
        return part / whole


def protect(
    grid: Grid,
    threshold: int = DEFAULT_THRESHOLD,
    *,
    fixed: Iterable[Cell] = (),
    forced: Iterable[Cell] = (),
) -> Protected:
    """Suppress every count from 1 to ``threshold``, then enough others to hide them.

    Figures shared with another table must be treated alike in both: ``fixed``
    cells are published elsewhere, so they are never chosen to hide others
    (hiding them here would hide nothing); ``forced`` cells are suppressed
    elsewhere, so they are suppressed here too. Deterministic: the same grid
    always gives the same suppression.
    """
    if threshold < 1:
        raise ValueError("the threshold must be at least 1")
    primary = frozenset(c for c in grid.cells if 1 <= grid.value(c) <= threshold)
    suppressed = set(primary) | {c for c in forced if grid.value(c)}
    known = frozenset(fixed) - primary
    while (bridge := _first_bridge(grid, suppressed)) is not None:
        path = _complement(grid, suppressed, bridge, known)
        if path is None:
            everything = frozenset(grid.cells)
            return Protected(grid, threshold, primary, everything - primary, withheld=True)
        suppressed.update(path)
    return Protected(grid, threshold, primary, frozenset(suppressed - primary))


def _edges(grid: Grid, cells: Iterable[Cell]) -> dict[Cell, tuple[int, int]]:
    edges = {cell: grid.lines_of(cell) for cell in cells}
    return {cell: ends for cell, ends in edges.items() if ends != (_FREE, _FREE)}


def _component(edges: dict[Cell, tuple[int, int]], start: int) -> set[int]:
    seen, todo = {start}, [start]
    while todo:
        node = todo.pop()
        for a, b in edges.values():
            for here, there in ((a, b), (b, a)):
                if here == node and there not in seen:
                    seen.add(there)
                    todo.append(there)
    return seen


def _first_bridge(grid: Grid, suppressed: set[Cell]) -> Cell | None:
    edges = _edges(grid, suppressed)
    for cell in sorted(edges):
        a, b = edges[cell]
        rest = {c: ends for c, ends in edges.items() if c != cell}
        if b not in _component(rest, a):
            return cell
    return None


def _complement(
    grid: Grid, suppressed: set[Cell], bridge: Cell, known: frozenset[Cell]
) -> list[Cell] | None:
    """The cheapest non-zero cells that put ``bridge`` on a cycle (shortest path, Dijkstra).

    A path of non-zero cells from one of the bridge's lines to the other, not
    using the bridge, closes a cycle through it. Cells already suppressed cost
    nothing; the path suppressing the fewest new cells wins, then the one with
    the smallest counts.
    """
    start, goal = grid.lines_of(bridge)
    usable = (c for c in grid.cells if c != bridge and grid.value(c) and c not in known)
    edges = _edges(grid, usable)
    best: dict[int, tuple[tuple[int, int], list[Cell]]] = {start: ((0, 0), [])}
    queue: list[tuple[tuple[int, int], list[Cell], int]] = [((0, 0), [], start)]
    while queue:
        cost, path, node = heapq.heappop(queue)
        if node == goal:
            return [cell for cell in path if cell not in suppressed]
        if cost > best[node][0]:
            continue
        for cell, (a, b) in sorted(edges.items()):
            if node not in (a, b):
                continue
            there = b if node == a else a
            new = cell not in suppressed
            step = (cost[0] + new, cost[1] + new * grid.value(cell))
            if there not in best or (step, [*path, cell]) < best[there]:
                best[there] = (step, [*path, cell])
                heapq.heappush(queue, (step, [*path, cell], there))
    return None

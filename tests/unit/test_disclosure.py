"""Disclosure control: no small count is published, and none can be worked out from totals.

The second property is checked the way an attacker would: for every suppressed
cell, solve the linear constraints the published table gives (every line adds
up, every count is at least 0) for its smallest and largest possible value.
If those differ, the cell cannot be recovered.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog  # type: ignore[import-untyped]

from pspn_core.surveys.disclosure import Grid, Protected, cross_grid, frequency_grid, protect

counts = st.one_of(st.integers(0, 7), st.integers(0, 60))


@st.composite
def grids(draw: st.DrawFn) -> Grid:
    """Frequency tables and cross tables, single-choice (additive) or multiple-choice."""
    rows = draw(st.integers(1, 5))
    cols = draw(st.integers(1, 5))
    table = [[draw(counts) for _ in range(cols)] for _ in range(rows)]
    multiple = draw(st.booleans())
    if cols == 1:
        column = [row[0] for row in table]
        respondents = max(column, default=0) + draw(st.integers(0, 10)) if multiple else None
        return frequency_grid(column, respondents=respondents)
    if multiple:
        peaks = [max(row[c] for row in table) + draw(st.integers(0, 10)) for c in range(cols)]
        return cross_grid(table, respondents=peaks)
    return cross_grid(table)


def feasible_range(result: Protected, target: tuple[int, int]) -> tuple[float, float]:
    """The smallest and largest value of ``target`` consistent with what is published."""
    hidden = sorted(result.suppressed)
    index = {cell: i for i, cell in enumerate(hidden)}
    rows, rhs = [], []
    for line in result.grid.lines:
        coefficients = np.zeros(len(hidden))
        known = 0
        for cell, sign in [*((c, 1) for c in line.parts), (line.total, -1)]:
            shown = result.published(cell)
            if shown is None:
                coefficients[index[cell]] += sign
            else:
                known += sign * shown
        if coefficients.any():
            rows.append(coefficients)
            rhs.append(-known)
    objective = np.zeros(len(hidden))
    objective[index[target]] = 1
    bounds = [(0, None)] * len(hidden)
    equalities = {"A_eq": np.array(rows), "b_eq": np.array(rhs)} if rows else {}
    low = linprog(objective, bounds=bounds, method="highs", **equalities)
    high = linprog(-objective, bounds=bounds, method="highs", **equalities)
    assert low.status == 0, low.message
    top = float("inf") if high.status == 3 else -high.fun
    return low.fun, top


@settings(max_examples=300, deadline=None)
@given(grids(), st.integers(1, 10))
def test_no_published_count_is_between_one_and_the_threshold(grid: Grid, threshold: int) -> None:
    result = protect(grid, threshold)
    for cell in grid.cells:
        shown = result.published(cell)
        assert shown is None or shown == 0 or shown > threshold
    assert result.primary == {c for c in grid.cells if 1 <= grid.value(c) <= threshold}


@settings(max_examples=300, deadline=None)
@given(grids(), st.integers(1, 10))
def test_no_suppressed_count_can_be_recovered_from_the_totals(grid: Grid, threshold: int) -> None:
    result = protect(grid, threshold)
    if result.withheld:
        assert all(result.published(cell) is None for cell in grid.cells)
        return
    for cell in sorted(result.suppressed):
        low, high = feasible_range(result, cell)
        assert low - 1e-6 <= grid.value(cell) <= high + 1e-6
        assert high - low >= 1 - 1e-6, f"{cell} is pinned to {low}..{high} in {grid.values}"


@settings(max_examples=200, deadline=None)
@given(grids(), st.integers(1, 10), st.data())
def test_figures_shared_with_another_table_are_treated_alike(
    grid: Grid, threshold: int, data: st.DataObject
) -> None:
    bottom = len(grid.values) - 1
    shared = [(bottom, c) for c in range(len(grid.values[bottom]))]
    hidden = data.draw(st.sets(st.sampled_from(shared)))
    fixed = set(shared) - hidden
    result = protect(grid, threshold, fixed=fixed, forced=hidden)
    if result.withheld:
        return
    assert not result.secondary & fixed
    assert {c for c in hidden if grid.value(c)} <= result.suppressed
    for cell in sorted(result.suppressed):
        low, high = feasible_range(result, cell)
        assert high - low >= 1 - 1e-6, f"{cell} is pinned to {low}..{high} in {grid.values}"


@settings(max_examples=100, deadline=None)
@given(grids())
def test_the_same_table_is_always_protected_the_same_way(grid: Grid) -> None:
    assert protect(grid) == protect(grid)


def test_one_small_count_takes_the_smallest_other_count_with_it() -> None:
    grid = frequency_grid([3, 10, 12, 0])
    result = protect(grid)
    assert result.primary == {(0, 0)}
    # The zero is published (it identifies nobody); 10 is the smallest count that hides the 3.
    assert result.secondary == {(1, 0)}
    assert [result.published((r, 0)) for r in range(5)] == [None, None, 12, 0, 25]


def test_two_small_counts_in_a_cross_table_are_hidden_by_a_rectangle() -> None:
    grid = cross_grid([[3, 10, 12], [20, 1, 15], [8, 9, 30]])
    result = protect(grid)
    assert result.primary == {(0, 0), (1, 1)}
    # 3 and 1 sit on opposite corners: 10 and 20 complete the rectangle; no total is hidden.
    assert result.secondary == {(0, 1), (1, 0)}
    assert result.published((3, 3)) == 108
    assert result.share((0, 2), of=(3, 2)) == pytest.approx(12 / 57)
    assert result.share((0, 0), of=(3, 0)) is None


def test_a_small_total_is_suppressed_too() -> None:
    result = protect(cross_grid([[2, 0], [0, 30]]))
    assert (0, 2) in result.suppressed and (2, 0) in result.suppressed
    for cell in result.suppressed:
        low, high = feasible_range(result, cell)
        assert high - low >= 1


def test_multiple_choice_counts_have_no_column_sums() -> None:
    grid = frequency_grid([3, 10, 12], respondents=20)
    result = protect(grid)
    # Nothing adds up down the column, so the 3 cannot be worked out: only it is hidden.
    assert result.suppressed == {(0, 0)}


def test_a_lone_small_count_and_its_totals_hide_each_other() -> None:
    # 4 is the only count in its row and column, so its totals are 4 as well; the
    # four equal cells form a cycle: any value fits what is published.
    result = protect(cross_grid([[4, 0], [0, 0]]))
    assert result.suppressed == {(0, 0), (0, 2), (2, 0), (2, 2)}
    assert feasible_range(result, (0, 0)) == (0, float("inf"))


def test_grids_refuse_lines_that_do_not_add_up() -> None:
    from pspn_core.surveys.disclosure import Line

    with pytest.raises(ValueError, match="do not add up"):
        Grid(((1,), (2,), (4,)), (Line(((0, 0), (1, 0)), (2, 0)),))
    three = (Line(((0, 0),), (1, 0)), Line(((0, 0),), (1, 0)), Line(((0, 0),), (1, 0)))
    with pytest.raises(ValueError, match="at most two"):
        Grid(((1,), (1,)), three)


def test_a_table_that_cannot_be_protected_is_withheld() -> None:
    # The group sizes (bottom row) are published elsewhere: 3 = 33 - 30 whatever is hidden here.
    grid = cross_grid([[3, 10], [0, 20]])
    result = protect(grid, fixed={(2, 0), (2, 1), (2, 2)})
    assert result.withheld
    assert all(result.published(cell) is None for cell in grid.cells)

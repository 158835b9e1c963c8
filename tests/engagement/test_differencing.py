"""Differencing across breakdowns: no small set of people follows from the groups shown.

The property tests draw random engagements (roles x units, small counts),
decide what to suppress, and then try, by brute force, every sum of shown
groups with coefficients -1, 0 or 1: none may be the indicator of a set of
more than none and fewer than the floor. The exact rank is checked against
an independent elimination on fractions.
"""

from __future__ import annotations

import itertools
import json
from fractions import Fraction

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from svcdiag.engagement.anonymity import (
    ALL,
    UnitTree,
    group_cells,
    group_counts,
    group_id,
    protected_groups,
)
from svcdiag.engagement.differencing import leaking_sets, rank

ROLES = ["board", "manager", "staff", "frontline"]


def _fraction_rank(rows: list[list[int]]) -> int:
    matrix = [[Fraction(v) for v in r] for r in rows]
    found = 0
    width = len(matrix[0]) if matrix else 0
    for col in range(width):
        pivot = next((i for i in range(found, len(matrix)) if matrix[i][col] != 0), None)
        if pivot is None:
            continue
        matrix[found], matrix[pivot] = matrix[pivot], matrix[found]
        for i in range(len(matrix)):
            if i != found and matrix[i][col] != 0:
                f = matrix[i][col] / matrix[found][col]
                matrix[i] = [a - f * b for a, b in zip(matrix[i], matrix[found], strict=True)]
        found += 1
    return found


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(-3, 3), min_size=5, max_size=5),
        min_size=1,
        max_size=7,
    )
)
def test_the_integer_rank_is_exact(rows: list[list[int]]) -> None:
    assert rank(rows) == _fraction_rank(rows)


def test_leaders_outside_retail_follow_from_three_shown_groups() -> None:
    # the shipped example before the fix: leaders 8, retail 20, workforce in retail 14
    sizes = {"board": 1, "mgr-support": 1, "mgr-retail": 6, "front-retail": 14, "staff": 6}
    leaders = frozenset({"board", "mgr-support", "mgr-retail"})
    retail = frozenset({"mgr-retail", "front-retail"})
    workforce_retail = frozenset({"front-retail"})
    everyone = frozenset(sizes)
    found = leaking_sets(sizes, [everyone, leaders, retail, workforce_retail], 5, [everyone])
    assert found == [frozenset({"board", "mgr-support"})]  # 8 - (20 - 14) = 2
    # without the role-within-unit group nothing separates the two outside retail
    assert leaking_sets(sizes, [everyone, leaders, retail], 5, [everyone]) == []


def test_a_derived_set_that_reaches_the_floor_is_no_leak() -> None:
    sizes = {"a": 3, "b": 3, "c": 9}
    both = frozenset({"a", "b"})
    # a and b are each under the floor, but only their total (6) follows
    assert leaking_sets(sizes, [frozenset(sizes), frozenset({"c"}), both], 5) == []
    # showing a as part of another group makes it follow: (a + c) - c
    found = leaking_sets(sizes, [frozenset(sizes), frozenset({"c"}), frozenset({"a", "c"})], 5)
    assert frozenset({"a"}) in found


def test_the_shipped_example_hides_the_leaders_outside_retail() -> None:
    from svcdiag.engagement.commands import report_of
    from tests.engagement.conftest import EXAMPLES

    report = report_of(EXAMPLES / "engagement", None)
    shown = {g.group: g.n for g in report.groups if not g.suppressed}
    # leaders, the workforce and its two roles stay: the perception gap is still shown
    assert shown == {"all": 28, "leaders": 8, "workforce": 20, "staff": 6, "frontline": 14}
    assert report.gaps
    data = json.loads(report.model_dump_json())
    retail = next(g for g in data["groups"] if g["group"] == "unit:retail")
    assert retail["suppressed"] is True and "n" not in {k for k, v in retail.items() if v}


@st.composite
def engagements(draw: st.DrawFn) -> tuple[list[tuple[str, str | None]], dict]:
    """Up to three units (one maybe inside another), up to four roles, small counts."""
    count = draw(st.integers(0, 3))
    units: list[tuple[str, str | None]] = []
    for i in range(count):
        unit = "abc"[i]
        parent = draw(st.sampled_from([None, *[u for u, _ in units]]))
        units.append((unit, parent))
    roles = draw(st.lists(st.sampled_from(ROLES), min_size=1, max_size=3, unique=True))
    cells = {}
    for role in roles:
        for unit in [None, *[u for u, _ in units]]:
            cells[(role, unit)] = draw(st.sampled_from([0, 0, 1, 2, 3, 4, 6, 9]))
    return units, cells


def _brute_force_leaks(
    cells: dict, shown: list[frozenset], floor: int, everyone: frozenset
) -> list[tuple[int, ...]]:
    """Every signed sum (coefficients -1, 0, 1) of shown groups that is a small set."""
    atoms = [c for c, n in cells.items() if n > 0]
    if not atoms or not shown:
        return []
    sizes = np.array([cells[a] for a in atoms])
    rows = np.array([[1 if a in g else 0 for a in atoms] for g in shown], dtype=np.int64)
    whole = np.array([1 if a in everyone else 0 for a in atoms])
    found = []
    for start in range(0, 3 ** len(shown), 20000):
        block = list(
            itertools.islice(itertools.product((-1, 0, 1), repeat=len(shown)), start, start + 20000)
        )
        coefficients = np.array(block, dtype=np.int64)
        derived = coefficients @ rows
        is_set = np.all((derived == 0) | (derived == 1), axis=1)
        n = derived @ sizes
        bad = is_set & (n > 0) & (n < floor) & ~np.all(derived == whole, axis=1)
        found.extend(tuple(int(v) for v in coefficients[i]) for i in np.flatnonzero(bad))
    return found


@settings(max_examples=120, deadline=None)
@given(engagements(), st.integers(3, 5))
def test_no_signed_sum_of_shown_groups_is_a_small_set(layout, floor: int) -> None:
    units, cells = layout
    tree = UnitTree.from_parents(dict(units))
    suppressed = protected_groups(cells, tree, floor)
    members = group_cells(cells, tree)
    counts = group_counts(cells, tree)
    shown_ids = sorted((g for g in members if g not in suppressed), key=lambda g: group_id(g))
    for group in shown_ids:
        assert group == (ALL, ALL) or counts[group] >= floor, group_id(group)
    # groups with the same people add nothing new to a reader: try each once
    distinct = list(dict.fromkeys(members[g] for g in shown_ids))
    assume(len(distinct) <= 11)  # 3**11 sums at most
    everyone = members.get((ALL, ALL), frozenset())
    assert _brute_force_leaks(cells, distinct, floor, everyone) == []


def test_the_rules_of_one_breakdown_still_hold() -> None:
    # the floor's own rules come first: the one board member goes, with the managers
    tree = UnitTree.from_parents({})
    cells = {("board", None): 1, ("manager", None): 9, ("frontline", None): 12}
    suppressed = protected_groups(cells, tree, 5)
    assert {("board", ALL), ("manager", ALL)} <= suppressed
    assert ("leaders", ALL) not in suppressed


def test_the_derivation_names_the_groups_a_reader_subtracts() -> None:
    from svcdiag.engagement.differencing import derivation

    sizes = {"board": 1, "mgr-support": 1, "mgr-retail": 6, "front-retail": 14, "staff": 6}
    shown = [
        frozenset(sizes),  # everyone
        frozenset({"board", "mgr-support", "mgr-retail"}),  # leaders
        frozenset({"mgr-retail", "front-retail"}),  # retail
        frozenset({"front-retail"}),  # workforce in retail
        frozenset({"staff"}),  # staff
    ]
    # leaders - retail + workforce in retail: the two leaders outside retail
    assert derivation(sizes, shown, frozenset({"board", "mgr-support"})) == [1, 2, 3]
    assert derivation(sizes, shown, frozenset({"board"})) == []  # does not follow

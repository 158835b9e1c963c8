"""The anonymity floor and complementary suppression, in the rules and in every output.

The property tests draw random unit trees and random group sizes, build the
report, render it in every format, and check that no group under the floor
shows a value, and that no partition of a shown group leaves fewer than the
floor unshown (which would let a reader subtract the shown groups from the
total to get the hidden one). They check the outputs themselves: the JSON
and YAML numbers, every line of the rich and markdown text, and every table row, chart cell
and quotation of the HTML page (which the PDF prints).
"""

from __future__ import annotations

import json
from html.parser import HTMLParser

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from svcdiag.definitions.loading import load_questionnaire
from svcdiag.engagement.anonymity import (
    ALL,
    UnitTree,
    group_counts,
    group_id,
    partitions,
    shown_complement_ok,
    suppressed_groups,
)
from svcdiag.engagement.report import MAX_COMMENTS, build_report
from svcdiag.engagement.respondents import Respondents
from svcdiag.render.engagement_formats import EngagementFormat, render_engagement
from svcdiag.render.engagement_sections import sections
from svcdiag.render.report_formats import RenderOptions
from tests.engagement.conftest import engagement_file, make_people

ROLES = ["board", "manager", "staff", "frontline", "customer"]


@st.composite
def layouts(
    draw: st.DrawFn,
) -> tuple[list[tuple[str, str | None]], dict[tuple[str, str | None], int]]:
    """A random unit tree (ids a, b, c..., each under an earlier one or at the top), sizes."""
    count = draw(st.integers(0, 5))
    units: list[tuple[str, str | None]] = []
    for i in range(count):
        unit = "abcdef"[i]
        parent = draw(st.sampled_from([None, *[u for u, _ in units]]))
        units.append((unit, parent))
    cells = {}
    for role in ROLES:
        for unit in [None, *[u for u, _ in units]]:
            cells[(role, unit)] = draw(st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6, 8]))
    return units, cells


def _tree(units: list[tuple[str, str | None]]) -> UnitTree:
    return UnitTree.from_parents(dict(units))


@settings(max_examples=400, deadline=None)
@given(layouts(), st.integers(3, 7))
def test_the_rules_leave_nothing_recoverable(layout, floor: int) -> None:
    units, cells = layout
    tree = _tree(units)
    counts = group_counts(cells, tree)
    suppressed = suppressed_groups(counts, tree, floor)
    shown = {g for g, n in counts.items() if n > 0 and g not in suppressed}
    for group in shown - {(ALL, ALL)}:
        assert counts[group] >= floor, group_id(group)
    assert shown_complement_ok(counts, shown, tree, floor) == []
    # a suppressed parent hides its children in both trees
    for part in partitions(tree):
        if part.parent in suppressed:
            assert all(c in suppressed or counts.get(c, 0) == 0 for c in part.children)


def test_exactly_one_small_group_takes_a_second_with_it() -> None:
    tree = UnitTree.from_parents({})
    # leaders: board 2 (under the floor), managers 9; the board alone would follow by subtraction
    counts = group_counts({("board", None): 2, ("manager", None): 9, ("frontline", None): 12}, tree)
    suppressed = suppressed_groups(counts, tree, 5)
    assert ("board", ALL) in suppressed
    assert ("manager", ALL) in suppressed  # the complementary one
    assert ("leaders", ALL) not in suppressed  # board merged upward into leaders
    assert ("frontline", ALL) not in suppressed


def test_two_small_groups_together_under_the_floor_take_a_third() -> None:
    tree = UnitTree.from_parents({"a": None, "b": None, "c": None})
    cells = {("staff", "a"): 1, ("staff", "b"): 2, ("staff", "c"): 10}
    counts = group_counts(cells, tree)
    suppressed = suppressed_groups(counts, tree, 5)
    # a (1) and b (2) make 3 < 5 together: c must go too, or 3 people follow by subtraction
    assert {("all", "a"), ("all", "b"), ("all", "c")} <= suppressed


def test_a_group_nobody_is_in_is_not_suppressed() -> None:
    tree = UnitTree.from_parents({})
    counts = group_counts({("frontline", None): 6, ("manager", None): 6}, tree)
    suppressed = suppressed_groups(counts, tree, 5)
    assert ("board", ALL) not in counts
    assert ("board", ALL) not in suppressed


def _people(cells: dict[tuple[str, str | None], int]):
    plan = [(role, unit, n) for (role, unit), n in cells.items() if n]
    return make_people(plan, seed=len(plan), notes=True)


def _check_json(data: dict, floor: int, tree: UnitTree) -> None:
    by_id = {g["group"]: g for g in data["groups"]}
    for group in data["groups"]:
        if group["suppressed"]:
            assert set(group) <= {
                "group",
                "label",
                "dimension",
                "role",
                "unit",
                "suppressed",
                "merged_into",
            }, group
        elif group["group"] != "all":
            assert group["n"] >= floor
    # nothing follows by subtraction from the numbers shown
    for part in partitions(tree):
        parent = by_id.get(group_id(part.parent))
        if parent is None or parent["suppressed"]:
            continue
        shown = [by_id[group_id(c)] for c in part.children if group_id(c) in by_id]
        rest = parent["n"] - sum(c["n"] for c in shown if not c["suppressed"])
        assert rest == 0 or rest >= floor or rest == parent["n"], (parent["group"], rest)
    groups_shown = {g["group"] for g in data["groups"] if not g["suppressed"]}
    for item in data["agreement"]:
        assert item["group"] in groups_shown
    if data["gaps"]:
        assert {"leaders", "workforce"} <= groups_shown


def _check_sections(report, suppressed_labels: set[str]) -> None:
    """No table of the text layouts is headed by a suppressed group, wrapped or not.

    The terminal layout wraps a number column's head over several lines, so
    the check on the printed text alone would not see a head; this one reads
    the heads before they are laid out.
    """
    for section in sections(report):
        for table in section.tables:
            for head in table.head:
                for label in suppressed_labels:
                    assert not head.startswith(f"{label} (n="), (section.title, head)


def _check_text(text: str, suppressed_labels: set[str]) -> None:
    """Every table row of a suppressed group says so; no column is headed by one."""
    for label in suppressed_labels:
        assert f"{label} (n=" not in text
        for line in text.splitlines():
            cells = [c.strip() for c in line.replace("│", "|").strip("| ").split("|")]
            if cells and cells[0] == label:
                assert cells[1] == "suppressed", (label, line)


class _Rows(HTMLParser):
    """The table rows (cell texts), SVG tooltips and text of an HTML page."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.titles: list[str] = []
        self.chunks: list[str] = []
        self._cell: list[str] | None = None
        self._title: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "title":
            self._title = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "title" and self._title is not None:
            self.titles.append("".join(self._title))
            self._title = None

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self._title is not None:
            self._title.append(data)


def _check_html(html: str, report, cells: dict[tuple[str, str | None], int], floor: int) -> None:
    """No table row, heatmap cell or quotation of the page gives a suppressed group away."""
    from svcdiag.render.html_engagement import _short

    page = _Rows(html)
    hidden = {g.label for g in report.groups if g.suppressed}
    hidden |= {_short(label) for label in hidden}
    shown = {g.label for g in report.groups if not g.suppressed}
    shown |= {_short(g.label) for g in report.groups if not g.suppressed}
    for row in page.rows:
        if row and row[0] in hidden and row[0] not in shown:
            assert all(c.startswith("suppressed") for c in row[1:]), row
    for title in page.titles:
        where, _, value = title.rpartition(": ")
        if where.rsplit(", ", 1)[0] in hidden - shown:
            assert value == "suppressed", title
    text = " ".join(page.chunks)
    for label in hidden:
        assert f"{label} (n=" not in text
    for (role, unit), n in cells.items():
        if n < floor:
            assert f"note from {role} in {unit} number" not in text, (role, unit)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(layouts(), st.integers(3, 6))
def test_no_output_shows_a_group_under_the_floor(layout, floor: int) -> None:
    diagnostic = load_questionnaire("diagnostic")
    units, cells = layout
    engagement = engagement_file(units, floor=floor)
    tree = _tree(units)
    report = build_report(engagement, diagnostic, Respondents(people=_people(cells)))
    options = RenderOptions(width=200)
    as_json = json.loads(render_engagement(report, EngagementFormat.json, options))
    _check_json(as_json, floor, tree)
    as_yaml = yaml.safe_load(render_engagement(report, EngagementFormat.yaml, options))
    _check_json(as_yaml, floor, tree)
    suppressed = {g.label for g in report.groups if g.suppressed}
    _check_sections(report, suppressed)
    for fmt in (EngagementFormat.rich, EngagementFormat.markdown):
        _check_text(render_engagement(report, fmt, options), suppressed)
    _check_html(render_engagement(report, EngagementFormat.html, options), report, cells, floor)
    # survey comments only from cells at or above the comment floor
    quoted = {c.words for c in report.comments if c.kind == "note"}
    expected = {
        f"note from {role} in {unit} number {i}"
        for (role, unit), n in cells.items()
        if n >= floor
        for i in range(n)
    }
    assert quoted <= expected
    assert quoted == expected or len(report.comments) == MAX_COMMENTS


def test_suppressed_is_shown_differently_from_no_data(diagnostic) -> None:
    engagement = engagement_file([("north", None), ("south", None)], floor=5)
    people = make_people(
        [
            ("frontline", "north", 6),
            ("frontline", "south", 6),
            ("board", None, 1),
            ("manager", None, 6),
        ]
    )
    report = build_report(engagement, diagnostic, Respondents(people=people))
    by_id = {g.group: g for g in report.groups}
    assert by_id["board"].suppressed and by_id["board"].merged_into == "leaders"
    assert "staff" not in by_id  # nobody: no data, not listed as suppressed
    data = json.loads(render_engagement(report, EngagementFormat.json))
    board = next(g for g in data["groups"] if g["group"] == "board")
    assert board["suppressed"] is True
    assert "n" not in board and "characteristics" not in board and "factors" not in board
    text = render_engagement(report, EngagementFormat.markdown)
    assert "| Board | suppressed | suppressed: counted in Leaders (board and managers) |" in text

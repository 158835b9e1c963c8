"""The control chart in proportion to time: a gap takes its width on the calendar."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st
from typer.testing import CliRunner

from svcdiag.cli import app
from svcdiag.render.svg_trend import CUT_RATIO, MAX_X_LABELS, PeriodValue, control_chart


def _period(i: int, value: float, lower: float = 0.0, upper: float = 0.10) -> PeriodValue:
    return PeriodValue(f"p{i}", value, lower, upper, False, f"tip {i}")


# Five periods at slots 0, 1, 2, then (after 5 without data: slots 3 to 7) 8
# and 9. The axis holds 10 slots over 480 px: 48 px each, so the marks are at
# 64 + 48 * (slot + 0.5) = 88, 136, 184, 472 and 520; the gap from 184 to 472
# is 288 px, six steps. Values and limits span 0 to 0.10, so y is as in
# test_svg_trend.py: y(0.05) = 120, y(0.08) = 62.1, y(0.02) = 177.9,
# y(0.10) = 23.6 and y(0) = 216.4.
GAPPED = [_period(0, 0.05), _period(1, 0.08), _period(2, 0.02), _period(3, 0.05), _period(4, 0.05)]
SLOTS = [0, 1, 2, 8, 9]


def test_periods_sit_at_their_place_on_the_calendar() -> None:
    chart = control_chart(GAPPED, 0.05, str, slots=SLOTS)
    xs = [p.x for p in chart.points]
    assert xs == [88.0, 136.0, 184.0, 472.0, 520.0]
    steps = [b - a for a, b in itertools.pairwise(xs)]
    assert steps == [48.0, 48.0, 6 * 48.0, 48.0]  # a gap of 5 periods is 6 steps wide


def test_the_line_and_the_limits_break_at_the_gap() -> None:
    chart = control_chart(GAPPED, 0.05, str, slots=SLOTS)
    assert chart.lines == ["88.0,120.0 136.0,62.1 184.0,177.9", "472.0,120.0 520.0,120.0"]
    # each limit lies flat over its own 48 px; the path lifts over the gap
    assert chart.upper == "M64.0 23.6H112.0V23.6H160.0V23.6H208.0M448.0 23.6H496.0V23.6H544.0"
    assert chart.lower == "M64.0 216.4H112.0V216.4H160.0V216.4H208.0M448.0 216.4H496.0V216.4H544.0"
    # the same breaks when the caller also names them
    assert control_chart(GAPPED, 0.05, str, slots=SLOTS, breaks={3}) == chart


def test_labels_are_thinned_by_their_distance_on_the_axis() -> None:
    # 10 slots, at most 8 labels: labels stand 2 slots apart at least, so p1
    # (one slot after p0) and p4 (one after p3) go without
    chart = control_chart(GAPPED, 0.05, str, slots=SLOTS)
    assert [(t.at, t.label) for t in chart.x_ticks] == [(88.0, "p0"), (184.0, "p2"), (472.0, "p3")]


def test_a_change_is_drawn_where_its_period_starts_after_a_gap() -> None:
    chart = control_chart(GAPPED, 0.05, str, slots=SLOTS, changes=[("p3", "new CRM")])
    assert [(m.x, m.anchor) for m in chart.changes] == [(448.0, "end")]  # 472 - 24


@given(st.integers(1, 60), st.integers(0, 30_000))
def test_a_series_without_gaps_is_drawn_as_before(count: int, first: int) -> None:
    periods = [_period(i, 0.01 * (i % 7), 0.0, 0.08 + 0.001 * (i % 3)) for i in range(count)]
    before = control_chart(periods, 0.03, str)
    slotted = control_chart(periods, 0.03, str, slots=range(first, first + count))
    assert [(p.x, p.y) for p in slotted.points] == [(p.x, p.y) for p in before.points]
    assert slotted.lines == before.lines and len(before.lines) == 1
    assert (slotted.upper, slotted.lower) == (before.upper, before.lower)
    assert slotted.x_ticks == before.x_ticks
    every = -(-count // MAX_X_LABELS)
    assert [t.label for t in before.x_ticks] == [f"p{i}" for i in range(0, count, every)]


@given(st.sets(st.integers(0, 5000), min_size=1, max_size=80))
@example({0, 99, 100, 998, 4998})  # neighbours on an axis of thousands of periods
def test_labels_never_crowd_and_marks_stay_in_the_plot(chosen: set[int]) -> None:
    slots = sorted(chosen)
    periods = [_period(i, 0.05) for i in range(len(slots))]
    chart = control_chart(periods, 0.05, str, slots=slots)
    xs = [p.x for p in chart.points]
    assert all(chart.left <= x <= chart.right for x in xs)
    assert len(chart.lines) == 1 + sum(b - a > 1 for a, b in itertools.pairwise(slots))
    ticks = [t.at for t in chart.x_ticks]
    assert ticks[0] == xs[0] and set(ticks) <= set(xs) and len(ticks) <= MAX_X_LABELS
    least = (chart.right - chart.left) / MAX_X_LABELS
    assert all(b - a >= least - 0.2 for a, b in itertools.pairwise(ticks))
    assert all(a < b for a, b in itertools.pairwise(xs))
    empty = [b - a - 1 for a, b in itertools.pairwise(slots)]
    longest = max(empty, default=0)
    if longest <= CUT_RATIO * (slots[-1] - slots[0] + 1 - longest):
        # the x of each mark is in proportion to its slot, within rounding
        assert chart.cut_x is None
        step = (chart.right - chart.left) / (slots[-1] - slots[0] + 1)
        for x, slot in zip(xs, slots, strict=True):
            assert abs(x - (chart.left + step * (slot - slots[0] + 0.5))) <= 0.05 + 1e-9
    else:  # cut in the middle of the longest gap, which is then as wide as the rest
        at = empty.index(longest) + 1
        assert chart.cut_x == round((xs[at - 1] + xs[at]) / 2, 1)
        step = (chart.right - chart.left) / (2 * (slots[-1] - slots[0] + 1 - longest))
        assert abs((xs[at] - xs[at - 1]) - step * (slots[-1] - slots[0] + 1 - longest + 1)) <= 0.11


def test_the_html_page_draws_a_twelve_month_gap_thirteen_steps_wide(tmp_path: Path) -> None:
    # 2023-01 to 2023-04, then nothing until 2024-05, then 12 more months: 28
    # slots of 480 / 28 px.
    months = [f"2023-{m:02d}-01" for m in range(1, 5)]
    months += [f"{2024 + (m - 1) // 12}-{(m - 1) % 12 + 1:02d}-01" for m in range(5, 17)]
    data = tmp_path / "gap.csv"
    data.write_text(
        "date,complaints,contacts\n"
        + "".join(f"{d},{5 + i % 3},100\n" for i, d in enumerate(months)),
        encoding="utf-8",
    )
    out = tmp_path / "gap.html"
    args = ("--time", "date", "--events", "complaints", "--cases", "contacts", "-o", str(out))
    result = CliRunner().invoke(app, ["trend", str(data), *args])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    segments = re.findall(r'<polyline points="([^"]+)" fill="none"', page)
    assert len(segments) == 2
    xs = [[float(point.split(",")[0]) for point in s.split()] for s in segments]
    assert [len(x) for x in xs] == [4, 12]
    step = 480 / 28
    within = [b - a for x in xs for a, b in itertools.pairwise(x)]
    assert all(abs(d - step) <= 0.11 for d in within)
    assert abs((xs[1][0] - xs[0][-1]) - 13 * step) <= 0.11  # 12 months without data: 13 steps


def test_a_gap_far_longer_than_the_rest_is_cut_to_the_rest_s_width() -> None:
    # 18 months, then nothing until a mistyped 2204-02: 2,143 months without
    # data beside 19 slots for the rest. Drawn as wide as the rest, the gap
    # ends at place 17 + 19 + 1 = 37 of 38 slots (480 / 38 px each), and the
    # axis is cut half way across it.
    slots = [*range(18), 2161]
    periods = [_period(i, 0.05) for i in range(19)]
    chart = control_chart(periods, 0.05, str, slots=slots)
    step = 480 / 38
    assert [p.x for p in chart.points[:2]] == [round(64 + step * 0.5, 1), round(64 + step * 1.5, 1)]
    assert chart.points[-1].x == round(64 + step * 37.5, 1)
    assert chart.cut_x == round((chart.points[17].x + chart.points[18].x) / 2, 1)
    assert len(chart.lines) == 2
    # four times the rest is still drawn to scale, and not cut
    near = control_chart(periods, 0.05, str, slots=[*range(18), 17 + 4 * 19 + 1])
    assert near.cut_x is None
    assert near.points[-1].x == round(64 + 480 / 95 * 94.5, 1)


def test_the_html_page_marks_a_cut_axis(tmp_path: Path) -> None:
    data = tmp_path / "typo.csv"
    data.write_text(
        "date,complaints,contacts\n"
        + "".join(f"2024-{m:02d}-01,5,100\n" for m in range(1, 13))
        + "2204-02-01,5,100\n",
        encoding="utf-8",
    )
    out = tmp_path / "typo.html"
    args = ("--time", "date", "--events", "complaints", "--cases", "contacts", "-o", str(out))
    result = CliRunner().invoke(app, ["trend", str(data), *args])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    missing = (2204 * 12 + 1) - (2024 * 12 + 11) - 1
    assert (
        f"The axis is cut in the gap of {missing:,} months, drawn narrower than its length." in page
    )
    assert page.count("<title>The axis is cut here") == 1

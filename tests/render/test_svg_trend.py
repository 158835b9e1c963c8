"""Geometry of the control chart, checked against positions worked out by hand."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from svcdiag.render.svg import PALETTE
from svcdiag.render.svg_trend import PeriodValue, control_chart, step_path


def _period(i: int, value: float, lower: float, upper: float, signal: bool = False) -> PeriodValue:
    return PeriodValue(f"2024-{i + 1:02d}", value, lower, upper, signal, f"tip {i}")


# Four periods on a p-chart, centre 5 %. Values and limits span 0 to 0.10, so
# with the 6 % margin the y axis runs from -0.006 to 0.106 over pixels 228
# (bottom) to 12 (top): y(v) = 228 - (v + 0.006) / 0.112 * 216.
#   y(0.05) = 228 - 0.5 * 216 = 120
#   y(0.10) = 228 - 0.106 / 0.112 * 216 = 23.57 -> 23.6
#   y(0.09) = 228 - 0.096 / 0.112 * 216 = 42.86 -> 42.9
#   y(0.08) = 228 - 0.086 / 0.112 * 216 = 62.14 -> 62.1
#   y(0)    = 228 - 0.006 / 0.112 * 216 = 216.43 -> 216.4
#   y(0.01) = 228 - 0.016 / 0.112 * 216 = 197.14 -> 197.1
#   y(0.02) = 228 - 0.026 / 0.112 * 216 = 177.86 -> 177.9
# The plot runs from x 64 to 544: 4 periods of 120 px, centred at 124, 244, 364, 484.
PERIODS = [
    _period(0, 0.05, 0.0, 0.10),
    _period(1, 0.08, 0.01, 0.09),
    _period(2, 0.02, 0.0, 0.10, signal=True),
    _period(3, 0.05, 0.02, 0.08),
]


def test_a_point_at_the_centre_sits_on_the_centre_line() -> None:
    chart = control_chart(PERIODS, 0.05, lambda v: f"{100 * v:.0f} %")
    assert chart.centre_y == 120.0
    assert [p.y for p in chart.points if p.tip in ("tip 0", "tip 3")] == [120.0, 120.0]
    assert [p.x for p in chart.points] == [124.0, 244.0, 364.0, 484.0]
    assert chart.line == "124.0,120.0 244.0,62.1 364.0,177.9 484.0,120.0"


def test_limits_are_step_lines_at_the_right_heights() -> None:
    chart = control_chart(PERIODS, 0.05, lambda v: f"{100 * v:.0f} %")
    # Each period's limit lies flat over its own 120 px, from 60 px before its
    # centre to 60 px after; neighbours join with a vertical step between them.
    assert chart.upper == "M64.0 23.6H184.0V42.9H304.0V23.6H424.0V62.1H544.0"
    assert chart.lower == "M64.0 216.4H184.0V197.1H304.0V216.4H424.0V177.9H544.0"


def test_flat_limits_draw_a_straight_line() -> None:
    path = step_path([10.0, 20.0, 30.0], [5.0, 5.0, 5.0], 5.0)
    assert path == "M5.0 5.0H15.0V5.0H25.0V5.0H35.0"
    assert set(re.findall(r"V([\d.]+)", path)) == {"5.0"}


def test_signals_are_marked_by_shape_as_well_as_colour() -> None:
    periods = [
        _period(0, 0.05, 0.0, 0.1),
        _period(1, 0.12, 0.0, 0.1, signal=True),
        _period(2, 0.01, 0.0, 0.1, signal=True),
    ]
    chart = control_chart(periods, 0.05, str)
    assert [p.shape for p in chart.points] == ["circle", "up", "down"]
    assert [p.colour for p in chart.points] == [
        PALETTE["unit"],
        PALETTE["limit998"],
        PALETTE["limit998"],
    ]
    assert chart.points[0].path == "" and chart.points[1].path.startswith("M")


def test_a_target_gets_its_own_line_and_widens_the_axis() -> None:
    chart = control_chart(PERIODS, 0.05, str, target=0.2)
    assert chart.target_y is not None
    assert chart.target_y < chart.centre_y  # higher on the page
    assert chart.target_y >= chart.top
    assert control_chart(PERIODS, 0.05, str).target_y is None


def test_many_periods_label_at_most_eight_but_mark_every_one() -> None:
    periods = [_period(i % 12, 3.0 + (i % 5) * 0.1, 2.0, 4.0) for i in range(36)]
    chart = control_chart(periods, 3.2, lambda v: f"{v:.1f}")
    assert len(chart.points) == 36
    assert 2 <= len(chart.x_ticks) <= 8
    assert chart.x_ticks[0].at == chart.points[0].x


def test_one_period_is_drawn_in_the_middle() -> None:
    chart = control_chart([_period(0, 4.2, 4.2, 4.2)], 4.2, str)
    assert chart.points[0].x == (chart.left + chart.right) / 2
    assert chart.top <= chart.points[0].y <= chart.bottom


finite = st.floats(-1000, 1000, allow_nan=False, allow_infinity=False)


@given(
    st.lists(st.tuples(finite, finite, finite, st.booleans()), min_size=1, max_size=60),
    finite,
)
def test_every_mark_and_limit_lies_inside_the_plot(
    raw: list[tuple[float, float, float, bool]], centre: float
) -> None:
    periods = [
        _period(i % 12, value, min(a, b), max(a, b), signal)
        for i, (value, a, b, signal) in enumerate(raw)
    ]
    chart = control_chart(periods, centre, lambda v: f"{v:g}")
    for p in chart.points:
        assert chart.left <= p.x <= chart.right
        assert chart.top <= p.y <= chart.bottom
    assert chart.top <= chart.centre_y <= chart.bottom
    for path in (chart.upper, chart.lower):
        ys = [float(y) for y in re.findall(r"(?:M[\d.]+ |V)(-?[\d.]+)", path)]
        assert ys and all(chart.top <= y <= chart.bottom for y in ys)
        xs = [float(x) for x in re.findall(r"(?:M|H)(-?[\d.]+)", path)]
        assert min(xs) == pytest.approx(chart.left, abs=0.2)
        assert max(xs) == pytest.approx(chart.right, abs=0.2)


def test_a_named_change_is_drawn_where_its_signal_starts() -> None:
    changes = [("2024-03", "new CRM"), ("2024-03", "new CRM"), ("2023-12", "unseen")]
    chart = control_chart(PERIODS, 0.05, str, changes=changes)
    # 2024-03 is the third period, centred at 364: it starts 60 px before, at
    # the plot's middle (304), so its label reads rightwards from 4 px after it.
    assert [(m.x, m.label, m.anchor, m.text_x) for m in chart.changes] == [
        (304.0, "new CRM", "start", 308.0)
    ]
    # 2024-04 starts at 424, right of the middle: its label ends 4 px before it.
    late = control_chart(PERIODS, 0.05, str, changes=[("2024-04", "re-organisation")])
    assert [(m.x, m.anchor, m.text_x) for m in late.changes] == [(424.0, "end", 420.0)]
    # A third legend row explains the dotted line, so the chart grows by one row.
    assert chart.height == control_chart(PERIODS, 0.05, str).height + 18


def test_an_nps_period_shows_its_interval_as_a_whisker() -> None:
    # Values -20 and +20, limits -50 to +50, intervals -60..+10 and -10..+40: the
    # axis spans -60 to 50 with a margin of 6.6 either side, so
    # y(v) = 228 - (v + 66.6) / 123.2 * 216; y(-60) = 216.4, y(10) = 93.7.
    periods = [
        PeriodValue("2024-01", -20.0, -50.0, 50.0, False, "a", -60.0, 10.0),
        PeriodValue("2024-02", 20.0, -50.0, 50.0, False, "b", -10.0, 40.0),
    ]
    chart = control_chart(periods, 0.0, str)
    first = chart.points[0]
    assert (first.low_y, first.high_y) == (216.4, 93.7)
    assert control_chart(PERIODS, 0.05, str).points[0].low_y is None

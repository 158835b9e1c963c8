"""Chart geometry on synthetic data: scales, bars, funnel curves, intervals, gaps, heatmaps."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from svcdiag.render import html_evidence, svg, svg_funnel
from svcdiag.render.html_templates import environment

WHITE = "#ffffff"


def test_contrast_ratio_matches_known_values() -> None:
    assert svg.contrast_ratio("#000000", WHITE) == pytest.approx(21.0)
    assert svg.contrast_ratio("#123456", "#123456") == pytest.approx(1.0)
    # WebAIM's checker gives 4.48:1 for #777777 on white, just short of AA.
    assert svg.contrast_ratio("#777777", WHITE) == pytest.approx(4.48, abs=0.01)
    assert svg.contrast_ratio("#767676", WHITE) >= 4.5


@pytest.mark.parametrize(
    "name", ["ink", "muted", "weak", "fair", "healthy", "none", "unit", "target", "leaders"]
)
def test_text_and_mark_colours_pass_wcag_aa_on_white(name: str) -> None:
    assert svg.contrast_ratio(svg.PALETTE[name], WHITE) >= 4.5


@pytest.mark.parametrize("fill", [*svg.HEAT_FILLS, "#eeeeee", WHITE])
def test_text_on_every_heatmap_fill_passes_aa(fill: str) -> None:
    assert svg.contrast_ratio(svg.text_on(fill), fill) >= 4.5


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (None, "none"),
        (0.0, "weak"),
        (39.9, "weak"),
        (40.0, "fair"),
        (59.9, "fair"),
        (60.0, "healthy"),
        (100.0, "healthy"),
    ],
)
def test_bands(score: float | None, expected: str) -> None:
    assert svg.band(score, 60.0) == expected


def test_linear_and_log_scales() -> None:
    linear = svg.Scale(0, 100, 10, 210)
    assert linear(0) == 10 and linear(50) == 110 and linear(100) == 210
    log = svg.Scale(10, 1000, 0, 200, log=True)
    assert log(100) == 100  # one decade of two
    flipped = svg.Scale(0.0, 0.5, 300, 0)
    assert flipped(0.25) == 150


def test_nice_ticks() -> None:
    assert svg.nice_step(100, 5) == 20
    assert svg.nice_step(0.37, 5) == pytest.approx(0.1)
    values = [v for v, _ in svg.linear_ticks(-100, 100, str, 5)]
    assert values == [-100, -50, 0, 50, 100]
    assert [v for v, _ in svg.log_ticks(90, 2100)] == [100, 200, 500, 1000, 2000]


def test_signed_formatter() -> None:
    fmt = svg.signed(1)
    assert (fmt(12.34), fmt(-3.0), fmt(0.0), fmt(-0.01)) == ("+12.3", "-3.0", "0.0", "0.0")


def test_bar_chart_scales_scores_and_marks_missing_ones() -> None:
    chart = svg.bar_chart([("a", 50.0), ("b", None), ("c", 100.0)], healthy_at=60)
    span = chart.right - chart.left
    assert chart.bars[0].width == pytest.approx(span / 2, abs=0.1)
    assert chart.bars[2].width == pytest.approx(span, abs=0.1)
    missing = chart.bars[1]
    assert (missing.band, missing.value_text, missing.width) == ("none", "—", 0.0)
    assert missing.band_word == "too few answers"
    assert chart.threshold_x == pytest.approx(chart.left + 0.6 * span, abs=0.1)
    assert chart.bars[0].y < chart.bars[1].y < chart.bars[2].y < chart.axis_y < chart.height


def _normal_limits(target: float) -> svg_funnel.Limits4:
    def limits(n: int) -> svg_funnel.Limits4:
        s = math.sqrt(target * (1 - target) / n)
        return (
            target - 3.090232 * s,
            target - 1.959964 * s,
            target + 1.959964 * s,
            target + 3.090232 * s,
        )

    return limits  # type: ignore[return-value]


def _units(specs: list[tuple[int, int, str]]) -> list[svg_funnel.FunnelUnit]:
    return [svg_funnel.FunnelUnit(f"u{i}", e, n, e / n, s) for i, (e, n, s) in enumerate(specs)]


def test_funnel_curves_follow_the_limits_they_are_given() -> None:
    target = 0.2
    limits = _normal_limits(target)
    units = _units([(20, 100, "normal"), (400, 2000, "normal"), (90, 300, "alarm_high")])
    plot = svg_funnel.funnel_plot(units, target, limits)  # type: ignore[arg-type]
    # Invert the pixel scales by hand and check every drawn point of the upper
    # 95 % curve against the formula (log x axis: 2000 / 100 >= 8).
    x_low, x_high = 100 / 1.15, 2000 * 1.15
    ys = plot.y_ticks
    (v0, p0), (v1, p1) = [(float(t.label.split()[0]) / 100, t.at) for t in (ys[0], ys[-1])]
    checked = 0
    for run in plot.curves["upper95"]:
        for pair in run.split():
            px, py = map(float, pair.split(","))
            share = (px - plot.left) / (plot.right - plot.left)
            n = 10 ** (math.log10(x_low) + share * (math.log10(x_high) - math.log10(x_low)))
            rate = v0 + (py - p0) * (v1 - v0) / (p1 - p0)
            assert rate == pytest.approx(limits(round(n))[2], abs=0.004)
            checked += 1
    assert checked > 50
    assert plot.target_y == pytest.approx(p0 + (target - v0) * (p1 - p0) / (v1 - v0), abs=0.5)
    assert plot.x_label == "cases per unit (log scale)"


def test_funnel_point_shapes_carry_the_status() -> None:
    units = _units(
        [
            (20, 100, "normal"),
            (35, 100, "alert_high"),
            (60, 100, "alarm_high"),
            (5, 100, "alarm_low"),
            (10, 100, "alert_low"),
        ]
    )
    plot = svg_funnel.funnel_plot(units, 0.2, _normal_limits(0.2))  # type: ignore[arg-type]
    by_tip = {p.tip.split(":")[0]: p for p in plot.points}
    assert (by_tip["u0"].shape, by_tip["u0"].filled) == ("circle", True)
    assert (by_tip["u1"].shape, by_tip["u1"].filled) == ("up", False)
    assert (by_tip["u2"].shape, by_tip["u2"].filled) == ("up", True)
    assert (by_tip["u3"].shape, by_tip["u3"].filled) == ("down", True)
    assert (by_tip["u4"].shape, by_tip["u4"].filled) == ("down", False)
    assert "above its 99.8 % limit" in by_tip["u2"].tip
    assert plot.points[0].shape == "circle"  # flagged units are drawn last, on top
    assert plot.x_label == "cases per unit (linear scale)"


def test_units_at_one_spot_are_drawn_once_and_counted() -> None:
    units = [svg_funnel.FunnelUnit(f"a{i}", 10, 100, 0.1, "normal") for i in range(1000)]
    units.append(svg_funnel.FunnelUnit("big", 500, 5000, 0.1, "normal"))
    plot = svg_funnel.funnel_plot(units, 0.1, _normal_limits(0.1))  # type: ignore[arg-type]
    assert len(plot.points) == 2
    assert any("and 999 more at this point" in p.tip for p in plot.points)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(1, 10_000),
            st.floats(0, 1),
            st.sampled_from(["normal", "alert_high", "alarm_low"]),
        ),
        min_size=1,
        max_size=30,
    ),
    st.floats(0.001, 0.999),
)
def test_every_funnel_point_lies_inside_the_plot(
    specs: list[tuple[int, float, str]], target: float
) -> None:
    units = [
        svg_funnel.FunnelUnit(f"u{i}", round(r * n), n, round(r * n) / n, s)
        for i, (n, r, s) in enumerate(specs)
    ]
    plot = svg_funnel.funnel_plot(units, target, _normal_limits(target))  # type: ignore[arg-type]
    for point in plot.points:
        assert plot.left - 0.1 <= point.x <= plot.right + 0.1
        assert plot.top - 0.1 <= point.y <= plot.bottom + 0.1
    for runs in plot.curves.values():
        for run in runs:
            for pair in run.split():
                y = float(pair.split(",")[1])
                assert plot.top - 0.1 <= y <= plot.bottom + 0.1


def test_interval_chart_places_nps_on_its_fixed_scale() -> None:
    chart = svg.interval_chart(
        [
            svg.Estimate("Overall", 0.0, -10.0, 10.0, "overall"),
            svg.Estimate("North", 50.0, 30.0, 70.0, "above"),
        ],
        low=-100,
        high=100,
        reference=0.0,
        reference_label="overall",
    )
    middle = (chart.left + chart.right) / 2
    overall, north = chart.rows
    assert overall.x == pytest.approx(middle, abs=0.1)
    assert north.x == pytest.approx(chart.left + 0.75 * (chart.right - chart.left), abs=0.1)
    assert north.low_x < north.x < north.high_x
    assert (north.shape, north.value_text) == ("up", "+50")
    assert chart.zero_x == pytest.approx(middle, abs=0.1)
    assert chart.ticks[0].label == "-100"


def test_gap_chart_marks_clear_gaps_by_shape() -> None:
    items = [
        svg.GapItem("Vision is clear", 4.5, 2.5, 2.0, 1.2, 2.8),
        svg.GapItem("Tools work", 3.0, 3.2, -0.2, -0.9, 0.5),
        svg.GapItem("Managers listen", 2.0, 3.5, -1.5, -2.4, -0.6),
        svg.GapItem("One leader", 5.0, 3.0, 2.0),
    ]
    chart = svg.gap_chart(items)
    shapes = [r.shape for r in chart.rows]
    assert shapes == ["up", "circle", "down", "circle"]
    assert chart.zero_x == pytest.approx((chart.left + chart.right) / 2, abs=0.1)
    no_interval = chart.rows[3]
    assert no_interval.low_x == no_interval.high_x == no_interval.x
    assert chart.rows[0].note == "leaders 4.5 · frontline 2.5"
    # Symmetric scale wide enough for the widest interval end (2.8 -> 3.0).
    assert chart.ticks[0].label == "-3.0" and chart.ticks[-1].label == "+3.0"


def test_heatmap_tells_suppressed_from_no_data() -> None:
    values = [
        [svg.HeatInput(10.0), svg.HeatInput(None, "suppressed"), svg.HeatInput(95.0)],
        [svg.HeatInput(None, "no_data"), svg.HeatInput(55.0), svg.HeatInput(None)],
    ]
    chart = svg.heatmap(["North", "South"], ["1", "2", "3"], values)
    states = [(c.state, c.text) for c in chart.cells]
    assert states == [
        ("value", "10"),
        ("suppressed", "suppressed"),
        ("value", "95"),
        ("no_data", "no data"),
        ("value", "55"),
        ("no_data", "no data"),
    ]
    fills = {c.state: c.fill for c in chart.cells if c.state != "value"}
    assert fills["suppressed"] != fills["no_data"]
    assert not set(fills.values()) & set(svg.HEAT_FILLS)
    assert chart.cells[0].fill == svg.HEAT_FILLS[0] and chart.cells[2].fill == svg.HEAT_FILLS[4]
    assert chart.cells[1].tip == "North, 2: suppressed"


def _render_macro(call: str, **context: object) -> str:
    template = environment().from_string('{% import "charts.html.j2" as c %}' + call)
    return template.render(**context)


def _svg_root(html: str) -> ET.Element:
    start, end = html.index("<svg"), html.index("</svg>") + len("</svg>")
    return ET.fromstring(html[start:end])


def test_engagement_macros_render_accessible_svg_with_tables() -> None:
    gap = html_evidence.gap_view(
        [
            svg.GapItem("Vision <is> clear", 4.5, 2.5, 2.0, 1.2, 2.8),
            svg.GapItem("One leader", 5.0, 3.0, 2.0),
        ]
    )
    html = _render_macro("{{ c.gap_figure(v, 'gap') }}", v=gap)
    root = _svg_root(html)
    assert root.get("role") == "img" and root.get("aria-labelledby") == "gap-title gap-desc"
    assert root.find("title").text == "Leaders versus frontline"  # type: ignore[union-attr]
    assert "1 gaps are clear" in root.find("desc").text  # type: ignore[union-attr,operator]
    assert "Vision &lt;is&gt; clear" in html and "<is>" not in html
    assert "no interval (one respondent)" in html

    heat = html_evidence.heatmap_view(
        ["North", "South"],
        [("1", "Driven from the top"), ("2", "Business led")],
        [
            [svg.HeatInput(72.0), svg.HeatInput(None, "suppressed")],
            [svg.HeatInput(None, "no_data"), svg.HeatInput(31.0)],
        ],
    )
    html = _render_macro("{{ c.heatmap_figure(v, 'heat') }}", v=heat)
    root = _svg_root(html)
    texts = [t.text for t in root.iter("text")]
    assert texts.count("suppressed") == 2  # the cell and the legend
    assert texts.count("no data") == 2
    table = html[html.index("<table") :]
    assert '<td class="num">suppressed</td>' in table
    assert '<td class="num">no data</td>' in table
    assert '<td class="num">72.0</td>' in table


CSS = (
    Path(__file__).resolve().parents[2] / "src" / "svcdiag" / "render" / "templates" / "report.css"
).read_text(encoding="utf-8")


def test_css_text_colours_pass_aa_on_their_backgrounds() -> None:
    # White text on each verdict label, dark text on each band's tint.
    labels = re.findall(r"\.verdict\.\w+ \.label \{ background: (#[0-9a-f]{6}); \}", CSS)
    bands = re.findall(r"\.band-\w+ \{ background: (#[0-9a-f]{6});", CSS)
    assert len(labels) == 4 and len(bands) == 4
    for background in labels:
        assert svg.contrast_ratio("#ffffff", background) >= 4.5, background
    for background in bands:
        assert svg.contrast_ratio(svg.PALETTE["ink"], background) >= 4.5, background
        assert svg.contrast_ratio(svg.PALETTE["muted"], background) >= 4.5, background
    for colour in set(re.findall(r"[^-]color: (#[0-9a-f]{6})", CSS)) - {"#ffffff"}:
        assert svg.contrast_ratio(colour, "#ffffff") >= 4.5, colour
        assert svg.contrast_ratio(colour, "#f4f4f4") >= 4.5, colour


def test_crowded_funnels_merge_nearby_units_but_keep_every_status() -> None:
    import random

    rng = random.Random(7)
    units = []
    for i in range(20_000):
        cases = rng.randint(50, 5000)
        events = round(cases * rng.uniform(0.05, 0.15))
        status = "normal" if i % 50 else "alarm_high"
        units.append(svg_funnel.FunnelUnit(f"u{i}", events, cases, events / cases, status))
    plot = svg_funnel.funnel_plot(units, 0.1, _normal_limits(0.1))  # type: ignore[arg-type]
    assert plot.hidden == 0 and plot.merged > 0
    assert len(plot.points) <= svg_funnel.MAX_POINTS
    counts = [int(p.tip.split("(and ")[1].split()[0].replace(",", "")) + 1 if "(and " in p.tip
              else 1 for p in plot.points]  # fmt: skip
    assert sum(counts) == len(units)  # every unit is in exactly one mark
    assert {p.shape for p in plot.points} == {"circle", "up"}
    assert all("near this point" in p.tip for p in plot.points if "(and " in p.tip)
    assert plot.marker_size < 5.0

"""Client data for the HTML reports: a funnel or NPS result as a chart and its table.

Shared by the findings report (evidence attached with ``--evidence``) and the
pages of ``svcdiag nps`` and ``svcdiag variation``. Each function returns a
plain view (a dataclass) that ``templates/evidence.html.j2`` lays out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from svcdiag.models.figures import signed
from svcdiag.models.results import VERDICT_TEXT, NpsResult, VariationResult
from svcdiag.render import svg, svg_funnel
from svcdiag.render.nps_listing import list_groups
from svcdiag.stats.funnel import funnel_limits

#: Units listed in a funnel plot's table when there are more than this many.
TABLE_UNITS = 60
#: Most ``--by`` groups drawn in an NPS chart and listed in its table.
CHART_GROUPS = 60

STATUS_WORDS = {
    "normal": "within limits",
    "alert_high": "above 95 %",
    "alert_low": "below 95 %",
    "alarm_high": "above 99.8 %",
    "alarm_low": "below 99.8 %",
}
FLAG_WORDS = {"above": "above overall", "below": "below overall", "within": "within"}


@dataclass(frozen=True)
class VariationView:
    """A funnel analysis ready for the template."""

    chart: svg_funnel.FunnelPlot
    title: str
    desc: str
    verdict: str
    verdict_class: str
    facts: list[tuple[str, str]]
    rows: list[tuple[str, str, str, str, str, str]]
    rows_note: str = ""


@dataclass(frozen=True)
class NpsView:
    """An NPS result ready for the template."""

    chart: svg.IntervalChart
    title: str
    desc: str
    headline: str
    facts: list[tuple[str, str]]
    rows: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    rows_note: str = ""


def _pct(value: float) -> str:
    return f"{100 * value:.1f} %"


def variation_view(result: VariationResult, name: str = "units") -> VariationView:
    """The funnel plot of ``result``, its verdict in words and a table of units."""

    def limits(cases: int) -> svg_funnel.Limits4:
        found = funnel_limits(result.target, cases, result.tau2)
        return (found.lower998, found.lower95, found.upper95, found.upper998)

    units = [
        svg_funnel.FunnelUnit(u.unit, u.events, u.cases, u.rate, u.status.value)
        for u in result.units
    ]
    chart = svg_funnel.funnel_plot(units, result.target, limits)
    flagged = [u for u in result.units if u.status.value != "normal"]
    listed = result.units
    note = ""
    if len(result.units) > TABLE_UNITS:
        listed = sorted(flagged, key=lambda u: -abs(u.z))[:TABLE_UNITS]
        note = (
            f"{len(result.units):,} units: the table lists the {len(listed):,} furthest "
            "beyond their limits."
        )
    rows = [
        (
            u.unit,
            f"{u.events:,}",
            f"{u.cases:,}",
            _pct(u.rate),
            f"{_pct(u.lower95)} – {_pct(u.upper95)}",
            STATUS_WORDS[u.status.value],
        )
        for u in listed
    ]
    facts = [
        ("Units", f"{len(result.units):,}"),
        ("Events", f"{result.events:,} of {result.cases:,} cases"),
        ("Target rate", _pct(result.target)),
        ("Beyond 95 %", f"{len(flagged):,}"),
        ("Beyond 99.8 %", f"{sum(1 for u in flagged if u.status.is_alarm):,}"),
        ("Overdispersion phi", f"{result.phi:.2f}"),
    ]
    if result.adjusted:
        facts.append(("Limits widened by tau²", f"{result.tau2:.3g}"))
    desc = (
        f"Funnel plot of {len(result.units):,} {name}: each unit's rate against its number "
        f"of cases, with the target rate {_pct(result.target)} and the 95 % and 99.8 % "
        f"limits. {len(flagged):,} beyond 95 %, "
        f"{sum(1 for u in flagged if u.status.is_alarm):,} beyond 99.8 %."
    )
    if chart.merged:
        desc += f" Units within {chart.merged:g} pixels of each other are drawn as one mark."
    if chart.hidden:
        desc += f" {chart.hidden:,} crowded points are not drawn; the table lists flagged units."
    return VariationView(
        chart=chart,
        title="Funnel plot: rate by unit size",
        desc=desc,
        verdict=VERDICT_TEXT[result.verdict],
        verdict_class=result.verdict.value,
        facts=facts,
        rows=rows,
        rows_note=note,
    )


def nps_view(result: NpsResult) -> NpsView:
    """The NPS of ``result`` with its interval, per group when there are groups."""
    level = f"{100 * result.confidence:g} %"
    listing = list_groups(result, CHART_GROUPS)
    estimates = [
        svg.Estimate("Overall", result.nps, result.ci_low, result.ci_high, "overall"),
        *(svg.Estimate(g.group, g.nps, g.ci_low, g.ci_high, g.flag.value) for g in listing.listed),
    ]
    chart = svg.interval_chart(
        estimates,
        low=-100,
        high=100,
        reference=result.nps if result.groups else None,
        reference_label="overall",
    )
    headline = (
        f"NPS {signed(result.nps)} ({level} interval {signed(result.ci_low)} to "
        f"{signed(result.ci_high)}) from {result.n:,} answers."
    )
    facts = [
        ("Answers", f"{result.n:,}"),
        ("Promoters (9-10)", f"{result.promoters:,} ({_pct(result.share(result.promoters))})"),
        ("Passives (7-8)", f"{result.passives:,} ({_pct(result.share(result.passives))})"),
        ("Detractors (0-6)", f"{result.detractors:,} ({_pct(result.share(result.detractors))})"),
    ]
    if result.skipped:
        facts.append(("Invalid rows skipped", f"{result.skipped:,}"))
    rows = [
        (
            "Overall",
            f"{result.n:,}",
            f"{signed(result.nps)}",
            f"{signed(result.ci_low)} to {signed(result.ci_high)}",
            "",
        ),
        *(
            (
                g.group,
                f"{g.n:,}",
                f"{signed(g.nps)}",
                f"{signed(g.ci_low)} to {signed(g.ci_high)}",
                FLAG_WORDS[g.flag.value],
            )
            for g in listing.listed
        ),
    ]
    desc = (
        f"Net Promoter Score on a scale from -100 to +100: overall {signed(result.nps)} with "
        f"its {level} interval"
    )
    note = ""
    if not result.groups:
        desc += "."
    elif listing.complete:
        desc += f", and {len(result.groups):,} groups, each with its interval."
    else:
        flagged = sum(1 for g in result.groups if g.flag.value != "within")
        shown = f"{len(listing.listed):,}"
        desc += (
            f", and {shown} of {len(result.groups):,} groups, each with its interval: the "
            "flagged ones first, then those with the most answers."
        )
        note = (
            f"{len(result.groups):,} groups ({flagged:,} flagged): the chart and the table show "
            f"{shown}, the flagged ones first, then those with the most answers. "
            "svcdiag nps --format csv or json lists every group."
        )
    return NpsView(
        chart=chart,
        title="Net Promoter Score with its interval",
        desc=desc,
        headline=headline,
        facts=facts,
        rows=rows,
        rows_note=note,
    )


@dataclass(frozen=True)
class ChartView:
    """A chart with its accessible text and its data table (engagement charts)."""

    chart: svg.IntervalChart | svg.Heatmap
    title: str
    desc: str
    head: tuple[str, ...]
    rows: Sequence[tuple[str, ...]]
    key: str = ""


def _gap_interval(item: svg.GapItem) -> str:
    if item.low is None or item.high is None:
        return "no interval (one respondent)"
    return f"{signed(item.low, 2)} to {signed(item.high, 2)}"


def gap_view(items: list[svg.GapItem], *, title: str = "Leaders versus frontline") -> ChartView:
    """The gap chart of ``items``, with a table of both means, the gap and its interval."""
    chart = svg.gap_chart(items)
    clear = [i for i in items if i.low is not None and i.high is not None and i.low * i.high > 0]
    desc = (
        f"For each of {len(items)} statements, the leaders' mean answer minus the "
        f"frontline's, with its 95 % interval. {len(clear)} gaps are clear (the interval "
        "excludes zero)."
    )
    rows = [
        (
            i.label,
            f"{i.leaders:.2f}",
            f"{i.frontline:.2f}",
            f"{signed(i.difference, 2)}",
            _gap_interval(i),
        )
        for i in items
    ]
    return ChartView(
        chart, title, desc, ("Statement", "Leaders", "Frontline", "Gap", "95 % interval"), rows
    )


def heatmap_view(
    groups: list[str],
    columns: list[tuple[str, str]],
    values: list[list[svg.HeatInput]],
    *,
    title: str = "Groups by benchmark characteristic",
) -> ChartView:
    """The heatmap of ``values[group][column]``; ``columns`` are (short label, full title).

    The table says "suppressed" or "no data" where the chart does, never a number.
    """
    chart = svg.heatmap(
        groups, [short for short, _ in columns], values, column_titles=[t for _, t in columns]
    )
    suppressed = sum(1 for row in values for cell in row if cell.state == "suppressed")
    desc = (
        f"Scores of {len(groups)} groups on {len(columns)} characteristics, from 0 to 100. "
        f"{suppressed} cells are suppressed to protect anonymity."
    )
    rows = [
        (
            group,
            *(
                f"{cell.value:.1f}"
                if cell.state == "value" and cell.value is not None
                else svg.STATE_WORDS["suppressed" if cell.state == "suppressed" else "no_data"]
                for cell in row
            ),
        )
        for group, row in zip(groups, values, strict=True)
    ]
    head = ("Group", *(short for short, _ in columns))
    key = "Columns: " + "; ".join(f"{short}. {full}" for short, full in columns) + "."
    return ChartView(chart, title, desc, head, rows, key)

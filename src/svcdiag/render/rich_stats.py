r"""The terminal view of NPS and variation results: tables, a funnel chart, a verdict.

Fits 80 columns. Colour only repeats what glyphs and words already say, so
the view reads the same with ``NO_COLOR`` set (Rich honours it). Unit and
group names never break a line themselves: a control character or a line
separator is shown as an escape (``\n``, ``\x1b``, ``\u2028``;
:func:`svcdiag.textsafe.visible`), so that a name in a client's file can
never draw a table row or a verdict line of its own. A long name folds
within its column of the table, never into another.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import IO

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from svcdiag.console import print_data, stdout_console
from svcdiag.models.figures import signed
from svcdiag.models.results import (
    VERDICT_TEXT,
    Flag,
    NpsGroup,
    NpsResult,
    StatsResult,
    Status,
    UnitResult,
    VariationResult,
    Verdict,
)
from svcdiag.render.funnel_chart import draw_funnel
from svcdiag.render.nps_listing import GroupListing, list_groups
from svcdiag.stats.funnel import MIN_UNITS_FOR_ADJUSTMENT, Limits, status_for
from svcdiag.textsafe import some_names, visible

#: Most units listed in the table before only the flagged ones are shown.
MAX_UNIT_ROWS = 40
#: Most units named in the verdict note.
MAX_NAMED = 10
#: Most ``--by`` groups listed in the NPS table (flagged first, then the largest).
MAX_GROUP_ROWS = 40
CHART_WIDTH = 80
#: Share of units beyond their 99.8 % limits, high or low, by chance alone.
BEYOND_ALARM = 0.002
#: Share of units between their 95 % and 99.8 % limits, high or low, by chance alone.
BETWEEN_LIMITS = 0.05 - BEYOND_ALARM

_STATUS_WORDS = {
    Status.normal: ("", ""),
    Status.alert_high: ("alert high", "yellow"),
    Status.alert_low: ("alert low", "yellow"),
    Status.alarm_high: ("ALARM high", "bold red"),
    Status.alarm_low: ("ALARM low", "bold red"),
}
_FLAG_STYLE = {Flag.above: "green", Flag.below: "red", Flag.within: "dim"}


def _signed(value: float) -> str:
    return f"{signed(value)}"


def _share(count: int | None, total: int) -> str:
    return "" if count is None else f"{100 * count / total:.1f}%"


def _percent_label(confidence: float) -> str:
    return f"{100 * confidence:g} %"


def nps_view(result: NpsResult) -> RenderableType:
    """Return the terminal view of an NPS result."""
    level = _percent_label(result.confidence)
    summary = Table.grid(padding=(0, 2))
    summary.add_column()
    summary.add_column(justify="right")
    summary.add_column(justify="right")
    for label, count in (
        ("Promoters (9-10)", result.promoters),
        ("Passives (7-8)", result.passives),
        ("Detractors (0-6)", result.detractors),
    ):
        summary.add_row(label, f"{count:,}", _share(count, result.n))
    answered = f"{result.n:,}"
    skipped = f"{result.skipped:,} invalid rows skipped" if result.skipped else ""
    summary.add_row("Answers", answered, skipped)
    parts: list[RenderableType] = [
        Text("Net Promoter Score", style="bold"),
        summary,
        Text.assemble(
            ("NPS ", "bold"),
            (_signed(result.nps), "bold"),
            f"   {level} interval {_signed(result.ci_low)} to {_signed(result.ci_high)}"
            " (adjusted Wald)",
        ),
    ]
    if result.groups:
        listing = list_groups(result, MAX_GROUP_ROWS)
        parts += ["", _groups_table(result, listing.listed), *_groups_notes(result, listing)]
    return Group(*parts)


def _groups_table(result: NpsResult, listed: list[NpsGroup]) -> Table:
    table = Table(box=None, pad_edge=False, header_style="bold", padding=(0, 1))
    table.add_column("Group", overflow="fold", max_width=18)
    for title in ("n", "Prom.", "Pass.", "Detr.", "NPS"):
        table.add_column(title, justify="right")
    table.add_column(f"{_percent_label(result.confidence)} interval", justify="right")
    table.add_column("vs overall")
    for group in listed:
        table.add_row(*_group_cells(group))
    return table


def _group_cells(group: NpsGroup) -> list[RenderableType]:
    return [
        Text(visible(group.group)),
        f"{group.n:,}",
        _share(group.promoters, group.n),
        _share(group.passives, group.n),
        _share(group.detractors, group.n),
        _signed(group.nps),
        f"{_signed(group.ci_low)} to {_signed(group.ci_high)}",
        Text(group.flag.value, style=_FLAG_STYLE[group.flag]),
    ]


def _groups_notes(result: NpsResult, listing: GroupListing) -> list[RenderableType]:
    within = Flag.within
    flagged = [g for g in result.groups if g.flag is not within]
    level = _percent_label(result.confidence)
    overall = _signed(result.nps)
    notes: list[RenderableType] = []
    if not listing.complete:
        including = (
            f" (including {listing.hidden_flagged:,} flagged)" if listing.hidden_flagged else ""
        )
        notes.append(
            Text(
                f"{len(result.groups):,} groups: the table lists {len(listing.listed):,}, the "
                f"flagged ones first, then those with the most answers; {listing.hidden:,} "
                f"more{including} are not listed. --format csv or json lists every group.",
                style="dim",
            )
        )
    notes.append("")
    if flagged:
        names = some_names([f"{visible(g.group)} ({g.flag.value})" for g in flagged], MAX_NAMED)
        notes.append(
            Text(
                f"Above or below the overall NPS ({overall}) beyond chance, with the whole "
                f"{level} interval and the group's own NPS on that side: {names}."
            )
        )
    else:
        notes.append(
            Text(
                f"No group lies beyond chance above or below the overall NPS ({overall}): "
                "the differences between groups are within chance."
            )
        )
    pulled = sum(
        1
        for g in result.groups
        if g.flag is within and (g.ci_low > result.nps or g.ci_high < result.nps)
    )
    if pulled:
        notes.append(
            Text(
                f"{pulled:,} group(s) with few answers have an interval wholly on one side of "
                "the overall NPS but their own NPS on the other side or equal to it (the "
                "interval is drawn towards 0): too few answers to tell, so not flagged.",
                style="dim",
            )
        )
    if len(result.groups) >= 10:
        expected = flagged_by_chance(len(result.groups), result.confidence)
        notes.append(
            Text(
                f"With {len(result.groups):,} groups, about {about(expected)} would be flagged "
                "by chance alone; check them before acting.",
                style="dim",
            )
        )
    return notes


def flagged_by_chance(groups: int, confidence: float) -> float:
    """How many of ``groups`` alike groups are flagged, above or below, by chance alone.

    A group is flagged when its whole interval lies on one side of the
    overall NPS, either side: under the null that happens with probability
    ``1 - confidence`` (half of it above, half below).
    """
    return groups * (1 - confidence)


def about(expected: float) -> str:
    """An expected count as a whole number, halves rounded up: ``1,250``."""
    return f"{math.floor(expected + 0.5):,}"


@dataclass
class VariationTally:
    """What the view of a funnel analysis needs from its units, gathered in one pass.

    Made from a whole result by :func:`tally_of`, or from units kept in the
    engine (:func:`svcdiag.render.kept_units.units_view`): both give the
    same view.
    """

    units: int
    cases: int
    events: int
    #: Units beyond their 95 % limits, and how many of them lie beyond the 99.8 %.
    flagged: int
    alarms: int
    #: The first :data:`MAX_NAMED` units beyond the 99.8 % limits, in file order.
    first_alarms: list[UnitResult]
    #: The units listed in the table, in file order (see :func:`rows_to_show`).
    shown: list[UnitResult]
    #: Whether a unit's rate lies beyond a shown limit without being flagged for it.
    looks_beyond: bool


def tally_of(result: VariationResult) -> VariationTally:
    """The tally of a whole result."""
    cases = events = 0
    flagged: list[int] = []
    normal = Status.normal
    units = result.units
    for index, unit in enumerate(units):
        cases += unit.cases
        events += unit.events
        if unit.status is not normal:
            flagged.append(index)
    alarms = [units[i] for i in flagged if units[i].status.is_alarm]
    if len(units) <= MAX_UNIT_ROWS:
        shown = list(units)
    else:
        ranked = sorted(flagged, key=lambda i: show_rank(units[i]))
        shown = [units[i] for i in sorted(ranked[:MAX_UNIT_ROWS])]
    return VariationTally(
        units=len(units),
        cases=cases,
        events=events,
        flagged=len(flagged),
        alarms=len(alarms),
        first_alarms=alarms[:MAX_NAMED],
        shown=shown,
        looks_beyond=any(looks_beyond(u) for u in units),
    )


def show_rank(unit: UnitResult) -> tuple[bool, float]:
    """How a flagged unit ranks for the table of many: alarms first, most extreme first.

    Units that rank the same are listed in file order.
    """
    return (not unit.status.is_alarm, -abs(unit.z))


def _rate_digits(result: VariationResult) -> int:
    return 2 if result.target < 0.1 else 1


def _units_table(result: VariationResult, shown: list[UnitResult]) -> Table:
    digits = _rate_digits(result)
    table = Table(box=None, pad_edge=False, header_style="bold", padding=(0, 1))
    table.add_column("Unit", overflow="fold", max_width=16)
    for title in ("Events", "Cases", "Rate %", "95 % limits", "99.8 % limits", "z"):
        table.add_column(title, justify="right")
    table.add_column("Status")
    for unit in shown:
        words, style = _STATUS_WORDS[unit.status]
        table.add_row(
            Text(visible(unit.unit)),
            f"{unit.events:,}",
            f"{unit.cases:,}",
            f"{100 * unit.rate:.{digits}f}",
            f"{100 * unit.lower95:.{digits}f}-{100 * unit.upper95:.{digits}f}",
            f"{100 * unit.lower998:.{digits}f}-{100 * unit.upper998:.{digits}f}",
            f"{signed(unit.z, 2)}",
            Text(words, style=style),
        )
    return table


def _heading(result: VariationResult, tally: VariationTally) -> list[RenderableType]:
    source = {"pooled": "pooled", "given": "from --target"}
    where = source.get(result.target_source or "", "")
    target = f"{100 * result.target:.{_rate_digits(result)}f} %"
    if result.adjusted:
        spread = f"phi {result.phi:.2f}, tau² {result.tau2:.3g} (limits widened)"
    elif result.adjustment == "few_units":
        spread = f"phi {result.phi:.2f}, not adjusted: too few units to estimate it"
    elif result.overdispersed:
        spread = f"phi {result.phi:.2f}, not adjusted (--no-overdispersion)"
    else:
        spread = f"phi {result.phi:.2f}, no overdispersion"
    return [
        Text(
            f"Variation between units: {tally.units:,} units, "
            f"{tally.cases:,} cases, {tally.events:,} events",
            style="bold",
        ),
        Text(f"Target rate {target}" + (f" ({where})" if where else "") + f"; {spread}"),
        "",
    ]


def looks_beyond(unit: UnitResult) -> bool:
    """Whether the unit's rate lies beyond a limit shown for it without being flagged for it."""
    rate = unit.rate
    if unit.lower95 <= rate <= unit.upper95 and unit.lower998 <= rate <= unit.upper998:
        return unit.status is not Status.normal  # most units: no limits to build
    shown = Limits(unit.lower95, unit.upper95, unit.lower998, unit.upper998, "normal")
    return status_for(rate, shown) is not unit.status


def _verdict_notes(result: VariationResult, tally: VariationTally) -> list[RenderableType]:
    alerts = tally.flagged - tally.alarms
    style = "bold red" if result.verdict is Verdict.special_cause else "bold green"
    notes: list[RenderableType] = [
        Text.assemble(("Verdict: ", "bold"), (VERDICT_TEXT[result.verdict], style)),
    ]
    if tally.alarms:
        first = [
            f"{visible(u.unit)} ({'high' if u.status is Status.alarm_high else 'low'})"
            for u in tally.first_alarms
        ]
        names = some_names(first, MAX_NAMED, total=tally.alarms)
        notes.append(
            Text(
                f"Beyond the 99.8 % limits: {names}. Ask what differs for them (case mix, "
                "shift, tools, local practice) before drawing conclusions about people; "
                "the rest of the spread belongs to the system."
            )
        )
    else:
        notes.append(
            Text(
                "No unit lies beyond its 99.8 % limits. Ranking these units would blame "
                "people for noise: improve the system they all work in."
            )
        )
    count = tally.units
    if tally.alarms and count * BEYOND_ALARM >= 0.5:
        notes.append(
            Text(
                f"With {count:,} units, about {about(count * BEYOND_ALARM)} would lie beyond "
                f"their 99.8 % limits by chance alone; {tally.alarms:,} do.",
                style="dim",
            )
        )
    if alerts:
        notes.append(
            Text(
                f"{alerts:,} unit(s) between the 95 % and 99.8 % limits; about "
                f"{about(count * BETWEEN_LIMITS)} of {count:,} would be there by chance alone.",
                style="dim",
            )
        )
    if tally.looks_beyond:
        notes.append(
            Text(
                "Units with few cases are judged by the exact (mid-p) test: a rate less than "
                "half a case beyond a limit shown here is not flagged.",
                style="dim",
            )
        )
    if result.adjusted:
        notes.append(
            Text(
                "The units vary more than chance alone (phi above (I - 1) / I for I units), "
                "so the limits allow for that extra spread (random effects); only units "
                "beyond it are flagged.",
                style="dim",
            )
        )
    elif result.adjustment == "few_units":
        notes.append(
            Text(
                "The units vary more than chance alone (phi above (I - 1) / I for I units), "
                f"but {tally.units} units are too few to estimate that extra spread "
                "(the adjustment needs "
                f"{MIN_UNITS_FOR_ADJUSTMENT}): the limits are the plain binomial ones. "
                "--overdispersion widens them anyway.",
                style="dim",
            )
        )
    return notes


def variation_view(result: VariationResult, *, width: int = CHART_WIDTH) -> RenderableType:
    """Return the terminal view of a funnel analysis."""
    return tally_view(result, tally_of(result), width=width)


def tally_view(
    result: VariationResult, tally: VariationTally, *, width: int = CHART_WIDTH
) -> RenderableType:
    """Return the terminal view of a funnel analysis from its ``tally``.

    Of ``result``'s units only the chart's points are needed: a unit per
    distinct (events, cases) draws the same chart as all of them.
    """
    shown = tally.shown
    parts = _heading(result, tally)
    if shown:
        parts.append(_units_table(result, shown))
    hidden = tally.units - len(shown)
    if hidden:
        listed = (
            "units within their 95 % limits are"
            if tally.flagged == len(shown)
            else (f"units (including {tally.flagged - len(shown):,} flagged) are")
        )
        parts.append(
            Text(
                f"{hidden:,} {listed} not listed; --format csv lists every unit.",
                style="dim",
            )
        )
    chart = Text(no_wrap=True, overflow="crop")
    for line in draw_funnel(result, width=min(width, CHART_WIDTH)):
        for text, style in line:
            chart.append(text, style=style or None)
        chart.append("\n")
    chart.rstrip()
    parts += ["", chart, "", *_verdict_notes(result, tally)]
    return Group(*parts)


def view(result: StatsResult, *, width: int = CHART_WIDTH) -> RenderableType:
    """Return the terminal view of either kind of result."""
    if isinstance(result, NpsResult):
        return nps_view(result)
    return variation_view(result, width=width)


def write(result: StatsResult, out: IO[str], *, width: int | None = None) -> None:
    """Print the terminal view of ``result`` to ``out``."""
    console: Console = stdout_console(file=out, width=width)
    print_data(view(result, width=console.width), console=console)


def write_tally(
    result: VariationResult, tally: VariationTally, out: IO[str], *, width: int | None = None
) -> None:
    """Print the terminal view of a funnel analysis from its tally (see :func:`tally_view`)."""
    console: Console = stdout_console(file=out, width=width)
    print_data(tally_view(result, tally, width=console.width), console=console)

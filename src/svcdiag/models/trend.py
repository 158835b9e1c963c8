"""Result of ``svcdiag trend``: a control chart per series, with its signals.

The exported keys are fixed (README, "Change over time"). A result saved with
``--output`` is read back as evidence by :func:`svcdiag.stats.evidence.load_evidence`.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Mapping
from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from svcdiag.models.located import PartError
from svcdiag.models.periods import PeriodKind, period_number
from svcdiag.models.trusted import all_fields, trusted

#: Tolerance for checks on numbers read back from a saved trend.
_SLACK = 1e-6
#: Largest value, limit or centre a saved trend may hold: the limits around the
#: largest mean ``svcdiag trend`` charts (1e306) stay below it, and a chart's
#: axis spans twice it in floating point.
MAX_LEVEL = 1e307
#: The shortest shift and trend, in periods: the rules :mod:`svcdiag.stats.trend`
#: applies, and what a saved trend is checked against.
SHIFT_RUN = 8
TREND_RUN = 6


class Chart(str, Enum):
    """Which control chart a series is drawn on."""

    p = "p"
    xmr = "xmr"
    nps = "nps"


#: Each chart as a sentence names it.
CHART_NAMES = {Chart.p: "a p-chart", Chart.xmr: "an XmR chart", Chart.nps: "an NPS chart"}


class Rule(str, Enum):
    """The three special-cause rules svcdiag applies (and no more)."""

    beyond_limits = "beyond_limits"
    shift = "shift"
    trend = "trend"


class Direction(str, Enum):
    """Which way a signal goes."""

    up = "up"
    down = "down"


class TrendPoint(BaseModel):
    """One period of a series: its value and its control limits."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    period: str = Field(description="Start of the period, e.g. 2024-03 or 2024-03-04.")
    n: int = Field(ge=1, description="Cases, answers or values in the period.")
    events: int | None = Field(None, ge=0, description="Events (p-chart only).")
    value: float = Field(description="Rate (0-1), mean value, or NPS of the period.")
    lower: float = Field(description="Lower control limit.")
    upper: float = Field(description="Upper control limit.")
    ci_low: float | None = Field(None, description="NPS only: adjusted-Wald interval, low end.")
    ci_high: float | None = Field(None, description="NPS only: adjusted-Wald interval, high end.")
    signal: bool = Field(description="Whether a rule marks this period.")

    @classmethod
    def computed(
        cls,
        period: str,
        n: int,
        events: int | None,
        value: float,
        limits: tuple[float, float],
        interval: tuple[float | None, float | None],
        signal: bool,
    ) -> TrendPoint:
        """A point from values the analysis computed (so already valid), built unvalidated.

        A trend per team for 100,000 teams holds a million points: built this
        way (:func:`~svcdiag.models.trusted.trusted`) they take a third of the
        memory and half the time. The values are given the types validation
        would give them (a whole-number limit of 0 becomes 0.0).
        """
        lower, upper = limits
        ci_low, ci_high = interval
        fields = {
            "period": period,
            "n": int(n),
            "events": None if events is None else int(events),
            "value": float(value),
            "lower": float(lower),
            "upper": float(upper),
            "ci_low": None if ci_low is None else float(ci_low),
            "ci_high": None if ci_high is None else float(ci_high),
            "signal": bool(signal),
        }
        return trusted(cls, fields, _POINT_FIELDS)

    def problem(self, chart: Chart, centre: float | None = None) -> str | None:
        """Say what is inconsistent in this point on a ``chart``, if anything.

        A point the analysis computed is always consistent; one read back
        from a file edited by hand may not be. With its series' ``centre``,
        the centre line must lie between the point's limits too.
        """
        levels = (self.value, self.lower, self.upper, self.ci_low, self.ci_high)
        if any(v is not None and abs(v) > MAX_LEVEL for v in levels):
            return f"a value or limit beyond ±{MAX_LEVEL:g}, more than a chart can draw"
        if self.lower > self.upper + _SLACK:
            return f"lower limit ({self.lower}) is above upper limit ({self.upper})"
        problem = self._fields_problem(chart)
        if problem is None and chart is Chart.p:
            problem = self._rate_problem()
        if problem is None and chart is Chart.nps:
            problem = self._nps_problem()
        between = centre is None or self.lower - _SLACK <= centre <= self.upper + _SLACK
        if problem is None and not between:
            return (
                f"the centre line ({centre}) is not between the limits "
                f"({self.lower} to {self.upper})"
            )
        return problem

    def _fields_problem(self, chart: Chart) -> str | None:
        """Say which of a chart's own fields is missing, or which of another's is there."""
        name = CHART_NAMES[chart]
        if chart is Chart.p and self.events is None:
            return "a point of a p-chart needs its events"
        if chart is not Chart.p and self.events is not None:
            return f"events belong to a p-chart, not to {name}"
        if chart is Chart.nps and (self.ci_low is None or self.ci_high is None):
            return "a point of an NPS chart needs its interval, ci_low and ci_high"
        if chart is not Chart.nps and (self.ci_low is not None or self.ci_high is not None):
            return f"ci_low and ci_high belong to an NPS chart, not to {name}"
        return None

    def _rate_problem(self) -> str | None:
        """The events, rate and limits of a p-chart's point, checked."""
        events = self.events or 0
        if events > self.n:
            return f"events ({events}) exceed n ({self.n})"
        if abs(self.value - events / self.n) > _SLACK:
            return f"value is {self.value}, but events / n = {events / self.n}"
        if self.lower < -_SLACK or self.upper > 1 + _SLACK:
            return f"the limits of a p-chart lie between 0 and 1, not {self.lower} to {self.upper}"
        return None

    def _nps_problem(self) -> str | None:
        """The NPS, interval and limits of an NPS chart's point, checked."""
        ends = [v for v in (self.value, self.ci_low, self.ci_high) if v is not None]
        if any(not -100 <= v <= 100 for v in ends):
            return "an NPS and its interval lie between -100 and +100"
        low, high = self.ci_low, self.ci_high
        if low is not None and high is not None and low > high + _SLACK:
            return f"ci_low ({low}) is above ci_high ({high})"
        if self.lower < -100 - _SLACK or self.upper > 100 + _SLACK:
            return (
                f"the limits of an NPS chart lie between -100 and +100, not {self.lower} to "
                f"{self.upper}"
            )
        return None


_POINT_FIELDS = all_fields(TrendPoint)


class Signal(BaseModel):
    """A special-cause signal: which rule, over which periods, which way."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    rule: Rule
    start: str = Field(description="First period of the signal.")
    end: str = Field(description="Last period of the signal.")
    direction: Direction
    change: str | None = Field(None, description="A known change the signal follows, if any.")
    text: str = Field(description="The signal in plain words.")


class Gap(BaseModel):
    """Periods without any row between two periods that have rows."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    first: str = Field(description="First period without data.")
    last: str = Field(description="Last period without data (the same as first for one).")
    periods: int = Field(ge=1, description="How many periods in a row have no data.")

    def span(self) -> str:
        """The periods as a label: ``2024-03``, or ``2024-03 to 2024-05``."""
        return self.first if self.periods == 1 else f"{self.first} to {self.last}"


class TrendSeries(BaseModel):
    """One chart: the whole file, or one --by group."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    group: str = Field(description="The --by group, or '' for all rows.")
    centre: float = Field(description="Centre line: pooled rate, mean, or pooled NPS.")
    mr_upper: float | None = Field(None, description="XmR only: upper limit of moving ranges.")
    stable: bool = Field(description="No signal: the process varies by chance alone.")
    poor_throughout: bool | None = Field(
        None, description="With --target: stable and every period on the wrong side of it."
    )
    summary: str = Field(description="What the chart says, in plain words.")
    points: list[TrendPoint] = Field(min_length=1)
    signals: list[Signal] = Field(default_factory=list)
    missing: int | None = Field(
        None, ge=1, description="Periods without data between the first and the last, if any."
    )
    gaps: list[Gap] | None = Field(
        None,
        description="Each run of periods without data, if any: not charted, and no run "
        "rule or moving range spans one.",
    )

    def gaps_before(self) -> dict[int, Gap]:
        """The gap just before each point that follows one, by the point's index.

        Periods are named so that their text sorts in time order (2024-03,
        2024-Q1, 2024-03-04), which places each gap.
        """
        found: dict[int, Gap] = {}
        at = 0
        for gap in self.gaps or []:
            while at < len(self.points) and self.points[at].period <= gap.last:
                at += 1
            found[at] = gap
        return found

    def of_group(self) -> str:
        """The series' group in an error's words: `` (group 'North')``, or nothing for all rows."""
        return f" (group {self.group!r})" if self.group else ""

    def check(self, at: int, chart: Chart, period: PeriodKind, changes: Collection[str]) -> None:
        """Refuse a series the analysis could never write, naming its part.

        ``at`` is the series' index in the result; ``changes``, the labels
        of the result's known changes.

        Raises:
            PartError: the first problem found, at the series, a point, a
                gap or a signal.
        """
        problem = self._own_problem(chart)
        if problem is not None:
            raise PartError(("series", at), f"{self.of_group()}: {problem}")
        numbers = self._check_points(at, chart, period)
        if chart is Chart.p:
            self._check_pooled(at)
        self._check_gaps(at, period, numbers)
        self._check_signals(at, changes)
        if self.stable == bool(self.signals):
            told = f"it has {len(self.signals)} signal(s)" if self.signals else "it has no signal"
            raise PartError(
                ("series", at),
                f"{self.of_group()}: stable is {str(self.stable).lower()}, but {told}",
            )
        if self.poor_throughout and not self.stable:
            raise PartError(
                ("series", at),
                f"{self.of_group()}: poor_throughout is true, but the series is not stable",
            )

    def _own_problem(self, chart: Chart) -> str | None:
        """The series' own fields: its levels, mr_upper for its chart, two periods or more."""
        for level in (self.centre, self.mr_upper):
            if level is not None and abs(level) > MAX_LEVEL:
                return f"centre or mr_upper beyond ±{MAX_LEVEL:g}, more than a chart can draw"
        if chart is Chart.xmr and self.mr_upper is None:
            return (
                "an XmR chart's series has mr_upper, the upper limit of its moving ranges; "
                "this one has none"
            )
        if chart is not Chart.xmr and self.mr_upper is not None:
            return f"mr_upper belongs to an XmR chart, not to {CHART_NAMES[chart]}"
        if self.mr_upper is not None and self.mr_upper < 0:
            return f"mr_upper ({self.mr_upper}) is below 0, and a moving range never is"
        if len(self.points) < 2:
            return f"a chart over time has at least two periods; this series has {len(self.points)}"
        low, high = {Chart.p: (0.0, 1.0), Chart.nps: (-100.0, 100.0)}.get(chart, (None, None))
        if low is not None and high is not None and not low <= self.centre <= high:
            return f"the centre line of {CHART_NAMES[chart]} lies between {low:g} and {high:g}"
        return None

    def _check_points(self, at: int, chart: Chart, period: PeriodKind) -> list[int]:
        """Check every point, and return the numbers of their periods (in time order)."""
        numbers: list[int] = []
        first = self.points[0]
        for index, point in enumerate(self.points):
            problem = point.problem(chart, self.centre) or self._place_problem(
                point, period, numbers
            )
            if problem is None and chart is Chart.xmr:
                problem = _xmr_limits_problem(first, point)
            if problem is not None:
                group = f", group {self.group!r}" if self.group else ""
                raise PartError(
                    ("series", at, "points", index), f" ({point.period!r}{group}): {problem}"
                )
        return numbers

    def _place_problem(
        self, point: TrendPoint, period: PeriodKind, numbers: list[int]
    ) -> str | None:
        """Read the point's period into ``numbers``; say if it is no period, or out of order."""
        try:
            number = period_number(point.period, period)
        except ValueError as err:
            return f"{err} (the result's period is {period})"
        if numbers and number <= numbers[-1]:
            before = self.points[len(numbers) - 1].period
            if number == numbers[-1]:
                return f"period {point.period!r} is given twice"
            return (
                f"period {point.period!r} is listed after {before!r}: the periods of a series "
                "run in time order"
            )
        numbers.append(number)
        return None

    def _check_pooled(self, at: int) -> None:
        """A p-chart's centre line is its points' events over their cases."""
        events = sum(point.events or 0 for point in self.points)
        pooled = events / sum(point.n for point in self.points)
        if abs(pooled - self.centre) > _SLACK:
            raise PartError(
                ("series", at),
                f"{self.of_group()}: the centre line is {self.centre}, but the events / n of "
                f"its points pool to {pooled}",
            )

    def _check_gaps(self, at: int, period: PeriodKind, numbers: list[int]) -> None:
        """The gaps named are the runs of periods missing between the points, and add up.

        A result that names none (neither ``gaps`` nor ``missing``, as
        versions before gaps were named wrote it) is not checked.
        """
        if self.gaps is None and self.missing is None:
            return
        between = [(a + 1, b - 1) for a, b in itertools.pairwise(numbers) if b - a > 1]
        gaps = self.gaps or []
        for index, gap in enumerate(gaps):
            try:
                span = (period_number(gap.first, period), period_number(gap.last, period))
            except ValueError as err:
                raise PartError(("series", at, "gaps", index), f": {err}") from None
            if (
                index >= len(between)
                or span != between[index]
                or gap.periods != span[1] - span[0] + 1
            ):
                raise PartError(
                    ("series", at, "gaps", index),
                    f": a gap from {gap.first} to {gap.last} ({gap.periods} {period}s) is not "
                    f"a run of {period}s missing between the points of the series",
                )
        if len(gaps) < len(between):
            raise PartError(
                ("series", at),
                f"{self.of_group()}: {len(between)} run(s) of {period}s are missing between "
                f"its points, but its gaps name {len(gaps)}",
            )
        total = sum(gap.periods for gap in gaps)
        if (self.missing or 0) != total:
            raise PartError(
                ("series", at),
                f"{self.of_group()}: missing is {self.missing}, but its gaps hold {total}",
            )

    def _check_signals(self, at: int, changes: Collection[str]) -> None:
        """Each signal spans periods of the series, as its rule does; the points agree."""
        index = {point.period: i for i, point in enumerate(self.points)}
        marked: set[int] = set()
        beyond: set[tuple[int, Direction]] = set()
        for number, signal in enumerate(self.signals):
            problem = self._signal_problem(signal, index, changes)
            if problem is not None:
                raise PartError(("series", at, "signals", number), f"{self.of_group()}: {problem}")
            first, last = index[signal.start], index[signal.end]
            marked.update(range(first, last + 1))
            if signal.rule is Rule.beyond_limits:
                beyond.add((first, signal.direction))
        for number, point in enumerate(self.points):
            within = point.lower - _SLACK <= point.value <= point.upper + _SLACK
            if within and point.signal == (number in marked):
                continue  # most points: no need to say more
            problem = _flag_problem(point, number in marked, beyond, number)
            if problem is not None:
                group = f", group {self.group!r}" if self.group else ""
                raise PartError(
                    ("series", at, "points", number), f" ({point.period!r}{group}): {problem}"
                )

    def _signal_problem(
        self, signal: Signal, index: Mapping[str, int], changes: Collection[str]
    ) -> str | None:
        """Say what is wrong with one signal: its periods, its length, its change."""
        for end, label in (("start", signal.start), ("end", signal.end)):
            if label not in index:
                return f"{end} {label!r} is not a period of this series"
        first, last = index[signal.start], index[signal.end]
        if last < first:
            return f"it ends ({signal.end}) before it starts ({signal.start})"
        count = last - first + 1
        shortest = {Rule.beyond_limits: 1, Rule.shift: SHIFT_RUN, Rule.trend: TREND_RUN}
        if signal.rule is Rule.beyond_limits and count > 1:
            return f"a beyond_limits signal marks one period, not {signal.start} to {signal.end}"
        if count < shortest[signal.rule]:
            return (
                f"a {signal.rule.value} runs {shortest[signal.rule]} periods or more; this one "
                f"runs {count} ({signal.start} to {signal.end})"
            )
        if signal.rule is Rule.beyond_limits:
            problem = _beyond_problem(self.points[first], signal.direction)
            if problem is not None:
                return problem
        if signal.change is not None and signal.change not in changes:
            return f"change {signal.change!r} is not one of the changes of the result"
        return None


def _xmr_limits_problem(first: TrendPoint, point: TrendPoint) -> str | None:
    """Say if ``point`` has other limits than the ``first`` of its XmR chart."""
    if (point.lower, point.upper) == (first.lower, first.upper):
        return None
    return (
        "an XmR chart has the same limits in every period, here those of "
        f"{first.period} ({first.lower} to {first.upper})"
    )


def _beyond_problem(point: TrendPoint, direction: Direction) -> str | None:
    """Say if ``point`` is not beyond the limit a beyond_limits signal ``direction`` names."""
    if direction is Direction.up and point.value <= point.upper - _SLACK:
        return (
            f"a beyond_limits signal up in {point.period}, but its value ({point.value}) is "
            f"not above the upper limit ({point.upper})"
        )
    if direction is Direction.down and point.value >= point.lower + _SLACK:
        return (
            f"a beyond_limits signal down in {point.period}, but its value ({point.value}) is "
            f"not below the lower limit ({point.lower})"
        )
    return None


def _flag_problem(
    point: TrendPoint, covered: bool, beyond: Collection[tuple[int, Direction]], number: int
) -> str | None:
    """Say if a point's ``signal`` flag, or its place beyond a limit, contradicts the signals."""
    if point.value > point.upper + _SLACK and (number, Direction.up) not in beyond:
        return f"its value ({point.value}) is above its upper limit, but no signal says so"
    if point.value < point.lower - _SLACK and (number, Direction.down) not in beyond:
        return f"its value ({point.value}) is below its lower limit, but no signal says so"
    if point.signal and not covered:
        return "it is marked as a signal, but no signal covers it"
    if covered and not point.signal:
        return "a signal covers it, but it is not marked as a signal"
    return None


class Change(BaseModel):
    """A known change to the system (given with --change)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    date: str = Field(description="When it happened, YYYY-MM-DD.")
    label: str = Field(description="What it was.")


class TrendResult(BaseModel):
    """A measure per period, on a control chart, overall and per --by group."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    chart: Chart
    measure: str = Field(description="What is charted, e.g. 'rate of complaints'.")
    period: Literal["day", "week", "month", "quarter"]
    target: float | None = Field(None, description="The level asked for (--target), if any.")
    better: Literal["higher", "lower"] = Field(description="Which way is better.")
    changes: list[Change] = Field(default_factory=list)
    stable: bool = Field(description="Whether every series is stable.")
    summary: str = Field(description="What the overall chart says, in plain words.")
    series: list[TrendSeries] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> TrendResult:
        # One loop over every point here, as VariationResult does for its units:
        # a hand-edited result must not chart a rate of 1e308 or limits upside down,
        # nor anything else the analysis could never write.
        self._check_settings()
        changes = {change.label for change in self.changes}
        groups: set[str] = set()
        for at, series in enumerate(self.series):
            _check_group(at, series, groups)
            series.check(at, self.chart, self.period, changes)
            if (series.poor_throughout is None) != (self.target is None):
                given = (
                    "is given, but the result has no target"
                    if self.target is None
                    else "is missing, though the result has a target"
                )
                raise PartError(("series", at), f"{series.of_group()}: poor_throughout {given}")
        unstable = next((at for at, s in enumerate(self.series) if not s.stable), None)
        if self.stable != (unstable is None):
            told = (
                f"series.{unstable}{self.series[unstable].of_group()} is not"
                if unstable is not None
                else "every series is"
            )
            raise PartError(("stable",), f": {str(self.stable).lower()}, but {told}")
        return self

    def _check_settings(self) -> None:
        """The known changes, by date, and a target the chart's scale holds."""
        previous = ""
        for at, change in enumerate(self.changes):
            try:
                period_number(change.date, "day")
            except ValueError as err:
                raise PartError(("changes", at), f": {err}") from None
            if change.date < previous:
                raise PartError(("changes", at), f": {change.date} is listed after {previous}")
            previous = change.date
        scale = {Chart.p: (0.0, 1.0), Chart.nps: (-100.0, 100.0)}.get(self.chart)
        if self.target is not None and scale is not None:
            low, high = scale
            if not low <= self.target <= high:
                raise PartError(
                    ("target",),
                    f": {self.target} is beyond the scale of {CHART_NAMES[self.chart]}, "
                    f"{low:g} to {high:g}",
                )


def _check_group(at: int, series: TrendSeries, groups: set[str]) -> None:
    """Each series charts its own group; the series of all rows (group '') comes first."""
    if not series.group and at > 0:
        raise PartError(("series", at), ": the series of all rows (group '') comes first")
    if series.group in groups:
        raise PartError(
            ("series", at), f"{series.of_group()}: group {series.group!r} is given twice"
        )
    groups.add(series.group)

"""From a data file to a result: what ``svcdiag nps`` and ``svcdiag variation`` run.

Each function checks its options, has the engine aggregate the file (CSV,
Parquet or a workbook sheet) in one pass, computes the result with the pure
functions of :mod:`.nps` or :mod:`.funnel` on the aggregated counts, and
returns it with any warnings for the user (the CLI prints those to stderr).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Generic, TypeVar

from svcdiag.errors import DataError, UsageError
from svcdiag.models.results import Adjustment, NpsResult, VariationResult
from svcdiag.stats import appearance, locate
from svcdiag.stats.aggregate import (
    UnitQuery,
    answer_keys,
    counts_query,
    first_rows_of,
    outcome_counts,
    outcomes_query,
    unit_counts,
)
from svcdiag.stats.engine import Engine, open_engine
from svcdiag.stats.funnel import (
    MIN_UNITS_FOR_ADJUSTMENT,
    Fit,
    UnitRow,
    analyse_units,
    fit_pairs,
    result_of,
)
from svcdiag.stats.nps import NpsCounts, check_confidence, nps_result
from svcdiag.stats.sources import DataSource, open_source
from svcdiag.stats.unit_table import UnitTable, kept_units
from svcdiag.stats.values import parse_score, sql_strip, strip

R = TypeVar("R")

#: Units are kept in the engine (see :mod:`.unit_table`) only when they hold at
#: most this many distinct (events, cases) per unit: the way pays for itself
#: by working out each distinct pair once, and when most units have counts of
#: their own it is slower than making a result per unit.
SHARED_PAIRS = 0.5

#: Closest a ``--target`` may come to 0 or 1: nearer, the limits and z-scores
#: overflow or lose all precision in floating point.
MIN_TARGET = 1e-9

#: Header names taken as the NPS answer column when ``--column`` is not given.
NPS_COLUMN_NAMES = (
    "nps",
    "score",
    "nps_score",
    "rating",
    "recommend",
    "likelihood_to_recommend",
)


@dataclass
class Analysis(Generic[R]):
    """A result and what the user should be told about how it was reached."""

    result: R
    warnings: list[str] = field(default_factory=list)


def score_column(source: DataSource, column: str | None) -> int:
    """Return the index of the column of 0-10 answers (named, or found by its name)."""
    if column is not None:
        return source.column(column, option="--column", role="number")
    if len(source.header) == 1:
        if source.csv_table is not None:
            wrong = source.csv_table.wrong_delimiter(
                "cannot tell which column holds the 0-10 answers"
            )
            if wrong is not None:
                raise wrong
        return source.column(source.header[0], option="--column", role="number")
    found = [i for i, t in enumerate(source.header) if t.casefold() in NPS_COLUMN_NAMES]
    if len(found) == 1:
        return source.column(source.header[found[0]], option="--column", role="number")
    if len({source.header[i].casefold() for i in found}) == 1:
        places = " and ".join(str(i + 1) for i in found)
        raise source.header_error(
            f"column {source.header[found[0]]!r} appears more than once in the header "
            f"(columns {places}), so it is unclear which holds the 0-10 answers",
            hint="rename the duplicates so that each column has its own name",
        )
    columns = ", ".join(repr(title) for title in source.header)
    raise source.header_error(
        f"which column holds the 0-10 answers? The columns are {columns}",
        hint="name it with --column",
    )


def _no_rows(path: Path) -> DataError:
    return DataError(path, "the file has a header but no data rows", line=2)


def _no_data(source: DataSource) -> DataError:
    if source.kind == "excel":
        return DataError(source.path, f"{source.place()}: the sheet has a header but no data rows")
    if source.kind == "parquet":
        return DataError(source.path, "the file has no rows")
    return _no_rows(source.path)


def nps_from_file(
    path: Path,
    *,
    column: str | None = None,
    by: str | None = None,
    confidence: float = 0.95,
    skip_invalid: bool = False,
    delimiter: str | None = None,
    sheet: str | None = None,
) -> Analysis[NpsResult]:
    """Compute the NPS of the 0-10 answers in a data file, overall and per ``by`` group."""
    check_confidence(confidence)
    with (
        open_engine() as engine,
        open_source(engine, path, delimiter=delimiter, sheet=sheet) as source,
    ):
        score = score_column(source, column)
        group = source.column(by, option="--by") if by is not None else None
        source.distinct({"--column": score, "--by": group})
        keys = answer_keys(engine, source, score, group, skip_invalid=skip_invalid)
        rows = sum(key.count for key in keys)
        if rows == 0:
            raise _no_data(source)
        overall = NpsCounts()
        by_group: dict[str, NpsCounts] = {}
        invalid: list[tuple[str, str]] = []
        skipped = 0
        for key in keys:
            value = parse_score(key.answer)
            if value is None or (group is not None and not strip(key.group)):
                invalid.append((key.group, key.answer))
                skipped += key.count
                continue
            overall.add(value, key.count)
            if group is not None:
                by_group.setdefault(strip(key.group), NpsCounts()).add(value, key.count)
        warnings = []
        if invalid and not skip_invalid:  # the engine and the rules disagree: name the row
            with source.rows() as walk:
                error = locate.first_bad_answer(walk, score, group)
            raise error or DataError(path, "an answer could not be read")
        if skipped:
            with source.rows() as walk:
                found = locate.skipped_examples(walk, score, group, invalid, name=source.row_name)
            sheet = f" of {source.place()}" if source.kind == "excel" else ""
            warnings.append(
                f"skipped {skipped} of {rows} rows{sheet} with invalid values ({'; '.join(found)})"
            )
    if overall.n == 0:
        raise DataError(
            path,
            f"none of the {rows} rows holds a valid answer from 0 to 10",
            hint="check that --column names the answer column",
        )
    groups = list(by_group.items())
    result = nps_result(overall, groups, confidence=confidence, skipped=skipped)
    return Analysis(result, warnings)


def _check_target(target: float | None) -> None:
    if target is None:
        return
    if not 0.0 < target < 1.0:
        hint = "give a proportion, e.g. 0.05 for 5 %"
        if 1 < target < 100:
            hint = f"give a proportion, not a percentage: {target / 100:g}"
        raise UsageError(f"--target must lie strictly between 0 and 1, not {target:g}", hint=hint)
    if not MIN_TARGET <= target <= 1.0 - MIN_TARGET:
        raise UsageError(
            f"--target {target!r} is too close to {0 if target < 0.5 else 1} to compare rates with",
            hint=f"give a rate from {MIN_TARGET:g} to 1 - {MIN_TARGET:g}",
        )


def check_counting(events: str | None, cases: str | None, outcome: str | None) -> None:
    """Raise UsageError unless the options say what to count, in one way."""
    if outcome is not None and (events is not None or cases is not None):
        raise UsageError(
            "give either --events and --cases, or --outcome, not both",
            hint="--events/--cases for one row per unit, --outcome for one row per case",
        )
    if outcome is None and events is None and cases is None:
        raise UsageError(
            "say what to count: --events and --cases (one row per unit with counts), "
            "or --outcome (one row per case, 0 or 1)",
        )
    if outcome is None and (events is None or cases is None):
        missing = "--cases" if cases is None else "--events"
        raise UsageError(
            f"--events and --cases go together; {missing} is missing",
            hint="--events counts what happened (e.g. complaints), "
            "--cases what it happened among (e.g. contacts)",
        )


def _check_units(path: Path, units: list[UnitRow], unit_column: str, target: float | None) -> None:
    if not units:
        raise _no_rows(path)
    if len(units) == 1:
        raise DataError(
            path,
            f"only one unit ({units[0][0]!r}) in column {unit_column!r}; "
            "comparing units needs at least two",
            hint="check that --unit names the column of agents, teams or branches",
        )
    if target is None:
        events = sum(map(itemgetter(1), units))
        cases = sum(map(itemgetter(2), units))
        if events in (0, cases):
            share = "none" if events == 0 else "all"
            raise DataError(
                path,
                f"{share} of the {cases} cases are events, so every unit has the same "
                "rate and there is no variation to analyse",
                hint="check the --events or --outcome column, or compare with --target",
            )


@dataclass
class _Counting:
    """The columns a funnel analysis counts, as indexes of the file's header."""

    unit: int
    events: int | None
    cases: int | None
    outcome: int | None

    @property
    def used(self) -> list[int]:
        """The columns the aggregation reads."""
        if self.outcome is not None:
            return [self.unit, self.outcome]
        assert self.events is not None and self.cases is not None
        return [self.unit, self.events, self.cases]

    @property
    def key_sql(self) -> list[str]:
        """The unit's name without outer spaces, as SQL."""
        return [sql_strip(f"c{self.unit}")]

    def query(self, source: DataSource) -> UnitQuery:
        """The aggregation of units."""
        if self.outcome is not None:
            return outcomes_query(source, self.unit, self.outcome)
        assert self.events is not None and self.cases is not None
        return counts_query(source, self.unit, self.events, self.cases)

    def units(
        self, engine: Engine, source: DataSource, first: dict[Hashable, int]
    ) -> list[UnitRow]:
        """Each unit's name, events and cases, in the order units first appear.

        ``first``: :func:`~.aggregate.first_rows_of` the units.
        """
        if self.outcome is not None:
            return outcome_counts(engine, source, self.unit, self.outcome, first)
        assert self.events is not None and self.cases is not None
        return unit_counts(engine, source, self.unit, self.events, self.cases, first)


def _counting(
    source: DataSource, unit: str, events: str | None, cases: str | None, outcome: str | None
) -> _Counting:
    unit_index = source.column(unit, option="--unit")
    if outcome is not None:
        outcome_index = source.column(outcome, option="--outcome", role="outcome")
        source.distinct({"--unit": unit_index, "--outcome": outcome_index})
        return _Counting(unit_index, None, None, outcome_index)
    assert events is not None and cases is not None
    events_index = source.column(events, option="--events", role="number")
    cases_index = source.column(cases, option="--cases", role="number")
    source.distinct({"--unit": unit_index, "--events": events_index, "--cases": cases_index})
    return _Counting(unit_index, events_index, cases_index, None)


def variation_from_file(
    path: Path,
    *,
    unit: str,
    events: str | None = None,
    cases: str | None = None,
    outcome: str | None = None,
    target: float | None = None,
    overdispersion: bool | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
) -> Analysis[VariationResult]:
    """Run the funnel analysis of a rate across the units of a data file."""
    with variation_analysis(
        path,
        unit=unit,
        events=events,
        cases=cases,
        outcome=outcome,
        target=target,
        overdispersion=overdispersion,
        delimiter=delimiter,
        sheet=sheet,
    ) as found:
        assert isinstance(found, Analysis)  # units are kept only when asked
        return found


@dataclass
class KeptVariation:
    """A funnel analysis whose units stay in the engine (see :mod:`.unit_table`)."""

    fit: Fit
    table: UnitTable
    #: How many units have each distinct (events, cases).
    pairs: Counter[tuple[int, int]]
    #: The result without its units.
    summary: VariationResult
    warnings: list[str]


@contextmanager
def variation_analysis(
    path: Path,
    *,
    unit: str,
    events: str | None = None,
    cases: str | None = None,
    outcome: str | None = None,
    target: float | None = None,
    overdispersion: bool | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    keep_many: bool = False,
) -> Iterator[Analysis[VariationResult] | KeptVariation]:
    """Run the funnel analysis of a rate across the units of a data file.

    With ``keep_many``, a clean file of many units is analysed without a
    result per unit: a :class:`KeptVariation` is yielded, whose units stay in
    the engine while the context lasts (for the terminal view and ``-f
    csv``, ``json`` or ``yaml``, which can be written from them). Any other
    file gives the usual
    :class:`Analysis`, as it would without ``keep_many``.
    """
    check_counting(events, cases, outcome)
    _check_target(target)
    with (
        open_engine() as engine,
        open_source(engine, path, delimiter=delimiter, sheet=sheet) as source,
    ):
        counting = _counting(source, unit, events, cases, outcome)
        first = first_rows_of(engine, source, counting.used, counting.key_sql)
        units: list[UnitRow] | None = None
        if keep_many and len(first) > appearance.MANY_KEYS:
            table = kept_units(engine, source, counting.query(source), counting.used)
            if table is not None and _comparable(table, target):
                pairs = table.pairs()
                if len(pairs) <= table.units * SHARED_PAIRS:
                    fit = fit_pairs(pairs, target=target, overdispersion=overdispersion)
                    summary = result_of(fit, [], given=target is not None)
                    warnings = _variation_warnings(fit.adjustment, fit.phi, fit.units)
                    yield KeptVariation(fit, table, pairs, summary, warnings)
                    return
                units = table.rows()  # units seldom share counts: the usual way is quicker
        if units is None:
            units = counting.units(engine, source, first)
        unit_column = source.header[counting.unit]
        if not units:
            raise _no_data(source)
    _check_units(path, units, unit_column, target)
    result = analyse_units(units, target=target, overdispersion=overdispersion)
    yield Analysis(result, _variation_warnings(result.adjustment, result.phi, len(result.units)))


def _comparable(table: UnitTable, target: float | None) -> bool:
    """Whether the kept units pass :func:`_check_units` (which names the problem otherwise)."""
    return table.units >= 2 and (target is not None or 0 < table.events < table.cases)


def _variation_warnings(adjustment: Adjustment | None, phi: float, units: int) -> list[str]:
    if adjustment == "turned_off":
        return [
            f"{spread_words(phi, units)}, but "
            "--no-overdispersion keeps the limits narrow, so more units may be flagged"
        ]
    if adjustment == "few_units":
        return [few_units_text(phi, units)]
    return []


def spread_words(phi: float, units: int) -> str:
    """Say that phi shows more spread than chance, against the threshold it passed.

    The threshold is (I - 1) / I for I units, not 1: with two units a phi of
    0.98 already estimates extra spread between them.
    """
    threshold = (units - 1) / units
    return (
        f"phi is {phi:.2f}, above the {threshold:.2f} that chance alone gives "
        f"{units} units ((I - 1) / I): they vary more than chance"
    )


def few_units_text(phi: float, units: int) -> str:
    """Why the overdispersion adjustment was left out for a result of ``units`` units."""
    return (
        f"{spread_words(phi, units)}, but with "
        f"{units} units (fewer than {MIN_UNITS_FOR_ADJUSTMENT}) the extra spread "
        "cannot be estimated reliably, so the limits are not widened for it; pass "
        "--overdispersion to widen them anyway"
    )

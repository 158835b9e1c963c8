"""From a CSV file to a result: what ``svcdiag nps`` and ``svcdiag variation`` run.

Each function checks its options, streams the file once, computes the result
with the pure functions of :mod:`.nps` or :mod:`.funnel`, and returns it with
any warnings for the user (the CLI prints those to stderr).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from svcdiag.errors import DataError, InputFileError, UsageError
from svcdiag.models.results import NpsResult, VariationResult
from svcdiag.stats.csvsource import CsvTable, open_csv, parse_delimiter
from svcdiag.stats.funnel import MIN_UNITS_FOR_ADJUSTMENT, UnitCount, analyse_units
from svcdiag.stats.nps import check_confidence, nps_result
from svcdiag.stats.tally import tally_nps, tally_outcomes, tally_unit_rows

R = TypeVar("R")

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


def _score_column(table: CsvTable, column: str | None) -> int:
    if column is not None:
        return table.column(column, option="--column")
    if len(table.header) == 1:
        wrong = table.wrong_delimiter("cannot tell which column holds the 0-10 answers")
        if wrong is not None:
            raise wrong
        return 0
    found = [i for i, t in enumerate(table.header) if t.casefold() in NPS_COLUMN_NAMES]
    if len(found) == 1:
        return found[0]
    columns = ", ".join(repr(title) for title in table.header)
    raise InputFileError(
        table.path,
        f"which column holds the 0-10 answers? The columns are {columns}",
        line=1,
        hint="name it with --column",
    )


def _no_rows(path: Path) -> DataError:
    return DataError(path, "the file has a header but no data rows", line=2)


def nps_from_csv(
    path: Path,
    *,
    column: str | None = None,
    by: str | None = None,
    confidence: float = 0.95,
    skip_invalid: bool = False,
    delimiter: str | None = None,
) -> Analysis[NpsResult]:
    """Compute the NPS of the 0-10 answers in a CSV file, overall and per ``by`` group."""
    check_confidence(confidence)
    separator = parse_delimiter(delimiter)
    with open_csv(path, delimiter=separator) as table:
        score = _score_column(table, column)
        group = table.column(by, option="--by") if by is not None else None
        if group == score:
            raise UsageError("--by names the answer column itself; give the grouping column")
        tally = tally_nps(table, score, group, skip_invalid=skip_invalid)
    if tally.rows == 0:
        raise _no_rows(path)
    warnings = []
    if tally.skipped:
        examples = "; ".join(tally.examples)
        warnings.append(
            f"skipped {tally.skipped} of {tally.rows} rows with invalid values ({examples})"
        )
    if tally.overall.n == 0:
        raise DataError(
            path,
            f"none of the {tally.rows} rows holds a valid answer from 0 to 10",
            hint="check that --column names the answer column",
        )
    result = nps_result(tally.overall, tally.groups, confidence=confidence, skipped=tally.skipped)
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


def _check_counting(events: str | None, cases: str | None, outcome: str | None) -> None:
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


def _check_units(
    path: Path, units: list[UnitCount], unit_column: str, target: float | None
) -> None:
    if not units:
        raise _no_rows(path)
    if len(units) == 1:
        raise DataError(
            path,
            f"only one unit ({units[0].unit!r}) in column {unit_column!r}; "
            "comparing units needs at least two",
            hint="check that --unit names the column of agents, teams or branches",
        )
    if target is None:
        events = sum(u.events for u in units)
        cases = sum(u.cases for u in units)
        if events in (0, cases):
            share = "none" if events == 0 else "all"
            raise DataError(
                path,
                f"{share} of the {cases} cases are events, so every unit has the same "
                "rate and there is no variation to analyse",
                hint="check the --events or --outcome column, or compare with --target",
            )


def variation_from_csv(
    path: Path,
    *,
    unit: str,
    events: str | None = None,
    cases: str | None = None,
    outcome: str | None = None,
    target: float | None = None,
    overdispersion: bool | None = None,
    delimiter: str | None = None,
) -> Analysis[VariationResult]:
    """Run the funnel analysis of a rate across the units of a CSV file."""
    _check_counting(events, cases, outcome)
    _check_target(target)
    separator = parse_delimiter(delimiter)
    with open_csv(path, delimiter=separator) as table:
        unit_index = table.column(unit, option="--unit")
        if outcome is not None:
            outcome_index = table.column(outcome, option="--outcome")
            units = tally_outcomes(table, unit_index, outcome_index)
        else:
            assert events is not None and cases is not None
            events_index = table.column(events, option="--events")
            cases_index = table.column(cases, option="--cases")
            units = tally_unit_rows(table, unit_index, events_index, cases_index)
        unit_column = table.header[unit_index]
    _check_units(path, units, unit_column, target)
    result = analyse_units(units, target=target, overdispersion=overdispersion)
    warnings = []
    if result.adjustment == "turned_off":
        warnings.append(
            f"phi is {result.phi:.2f}: the units vary more than chance alone, but "
            "--no-overdispersion keeps the limits narrow, so more units may be flagged"
        )
    elif result.adjustment == "few_units":
        warnings.append(few_units_text(result))
    return Analysis(result, warnings)


def few_units_text(result: VariationResult) -> str:
    """Why the overdispersion adjustment was left out for a result with few units."""
    return (
        f"phi is {result.phi:.2f}: the units vary more than chance alone, but with "
        f"{len(result.units)} units (fewer than {MIN_UNITS_FOR_ADJUSTMENT}) the extra spread "
        "cannot be estimated reliably, so the limits are not widened for it; pass "
        "--overdispersion to widen them anyway"
    )

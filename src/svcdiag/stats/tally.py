"""Tally CSV rows into NPS categories or per-unit events and cases, in one pass.

The loops are the hot path for files of a million rows, so they do as little
as possible per row: count each distinct raw value (or unit and value pair)
in a dict, and check a value only the first time it is seen. A bad value is
still reported at the first line it occurs on, and as soon as it is read.

Counts of cases are limited to :data:`MAX_CASES` in all (so also per row and
per unit): beyond about 10**11 cases in one unit the exact binomial limits
lose precision in floating point, and near 10**16 the rates themselves do. A
larger count is a data error naming the row where the total passes the limit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from svcdiag.errors import DataError
from svcdiag.stats.csvsource import CsvTable
from svcdiag.stats.funnel import UnitCount
from svcdiag.stats.nps import NpsCounts

#: Most examples of skipped values kept for the warning.
MAX_EXAMPLES = 3
#: Most cases one analysis takes, per row, per unit and over all units.
MAX_CASES = 10**10
#: Longest run of digits read as a number; longer ones read as :data:`_HUGE`.
_MAX_DIGITS = 30
_HUGE = 10**_MAX_DIGITS
_WHOLE = re.compile(r"(\d+)(?:\.0+)?", re.ASCII)  # never ٩ or ９
_SCORES = {str(score): score for score in range(11)}
_OUTCOMES = {"0": 0, "1": 1, "false": 0, "true": 1, "no": 0, "yes": 1}
_OUTCOME_WORDS = "0 or 1 (or true/false, yes/no)"


def parse_whole(text: str) -> int | None:
    """Return a non-negative whole number written as ``7``, `` 7 `` or ``7.0``; else None.

    A number of more than 30 digits (after leading zeros) is returned as
    10**30, beyond any count or score svcdiag takes, rather than converted.
    """
    match = _WHOLE.fullmatch(text.strip())
    if not match:
        return None
    digits = match.group(1).lstrip("0")
    return int(digits or "0") if len(digits) <= _MAX_DIGITS else _HUGE


def parse_score(text: str) -> int | None:
    """Return an NPS answer 0..10, or None when ``text`` is not one."""
    score = _SCORES.get(text)
    if score is None:
        score = parse_whole(text)
    return score if score is not None and score <= 10 else None


def parse_outcome(text: str) -> int | None:
    """Return 0 or 1 for an outcome cell, or None when ``text`` is not one."""
    outcome = _OUTCOMES.get(text.strip().casefold())
    if outcome is None:
        number = parse_whole(text)
        outcome = number if number in (0, 1) else None
    return outcome


def _describe(text: str) -> str:
    return "empty" if not text.strip() else _quoted(text)


def _quoted(text: str, longest: int = 40) -> str:
    """Return ``text`` quoted for a message, shortened in the middle when long."""
    if len(text) <= longest:
        return repr(text)
    half = longest // 2
    return repr(f"{text[:half]}...{text[-half:]}") + f" ({len(text):,} characters)"


@dataclass
class NpsTally:
    """Answers counted overall and per group, and what was skipped."""

    overall: NpsCounts = field(default_factory=NpsCounts)
    groups: list[tuple[str, NpsCounts]] = field(default_factory=list)
    rows: int = 0
    skipped: int = 0
    examples: list[str] = field(default_factory=list)


def _score_problem(text: str, column: str) -> str | None:
    if parse_score(text) is not None:
        return None
    if not text.strip():
        return f"column {column!r} is empty; an answer from 0 to 10 is expected"
    return f"column {column!r}: {_quoted(text)} is not an integer from 0 to 10"


_SKIP_HINT = "correct the value, or pass --skip-invalid to skip such rows (they are counted)"


def tally_nps(table: CsvTable, score: int, group: int | None, *, skip_invalid: bool) -> NpsTally:
    """Count 0-10 answers in column ``score``, per value of column ``group`` if given."""
    score_name = table.header[score]
    group_name = table.header[group] if group is not None else ""
    counts: dict[tuple[str, str], int] = {}
    invalid: set[tuple[str, str]] = set()
    tally = NpsTally()

    def first_sight(key: tuple[str, str]) -> None:
        problem = _score_problem(key[1], score_name)
        if problem is None and group is not None and not key[0].strip():
            problem = f"column {group_name!r} (--by) is empty"
        if problem is None:
            return
        if not skip_invalid:
            raise table.error(problem, hint=_SKIP_HINT)
        invalid.add(key)
        if len(tally.examples) < MAX_EXAMPLES:
            shown = _describe(key[1]) if parse_score(key[1]) is None else "empty group"
            tally.examples.append(f"line {table.line}: {shown}")

    rows = _pairs(table, score, group)
    for key in rows:
        seen = counts.get(key)
        if seen is None:
            first_sight(key)
            counts[key] = 1
        else:
            counts[key] = seen + 1

    by_group: dict[str, NpsCounts] = {}
    for key, times in counts.items():
        tally.rows += times
        if key in invalid:
            tally.skipped += times
            continue
        value = parse_score(key[1])
        assert value is not None  # checked on first sight
        tally.overall.add(value, times)
        if group is not None:
            by_group.setdefault(key[0].strip(), NpsCounts()).add(value, times)
    tally.groups = list(by_group.items())
    return tally


def _pairs(table: CsvTable, score: int, group: int | None) -> Iterator[tuple[str, str]]:
    if group is None:
        for row in table.records():
            yield "", row[score]
    else:
        for row in table.records():
            yield row[group], row[score]


def _count_in(table: CsvTable, text: str, column: str) -> int:
    number = parse_whole(text)
    if number is not None:
        return number
    if not text.strip():
        raise table.error(f"column {column!r} is empty; a count of 0 or more is expected")
    stripped = text.strip()
    if stripped.startswith("-") and parse_whole(stripped[1:]) is not None:
        raise table.error(f"column {column!r}: {_quoted(text)} is negative; counts are 0 or more")
    raise table.error(f"column {column!r}: {_quoted(text)} is not a whole number")


def _unit_name(table: CsvTable, text: str, column: str) -> str:
    name = text.strip()
    if not name:
        raise table.error(
            f"column {column!r} (--unit) is empty",
            hint="every row needs the agent, team or branch it belongs to",
        )
    return name


def _plain_count(text: str) -> bool:
    """Whether ``text`` is plain ASCII digits int() may take as is (never ٩, ９ or 1_0)."""
    return len(text) <= _MAX_DIGITS and text.isascii() and text.isdigit()


def tally_unit_rows(table: CsvTable, unit: int, events: int, cases: int) -> list[UnitCount]:
    """Sum event and case counts per unit (rows of the same unit are added up)."""
    unit_col, events_col, cases_col = (table.header[i] for i in (unit, events, cases))
    totals: dict[str, list[int]] = {}
    all_cases = 0
    for row in table.records():
        raw_events, raw_cases = row[events], row[cases]
        if _plain_count(raw_events):
            n_events = int(raw_events)
        else:
            n_events = _count_in(table, raw_events, events_col)
        if _plain_count(raw_cases):
            n_cases = int(raw_cases)
        else:
            n_cases = _count_in(table, raw_cases, cases_col)
        all_cases += n_cases
        if n_events < 0 or n_cases < 0 or n_events > n_cases or all_cases > MAX_CASES:
            _bad_counts(
                table, (n_events, n_cases), (events_col, cases_col), (row[events], row[cases])
            )
        seen = totals.get(row[unit])
        if seen is None:
            totals[row[unit]] = [n_events, n_cases, table.line]
        else:
            seen[0] += n_events
            seen[1] += n_cases

    merged: dict[str, list[int]] = {}
    for raw, (n_events, n_cases, line) in totals.items():
        if not raw.strip():
            raise DataError(
                table.path,
                f"column {unit_col!r} (--unit) is empty",
                line=line,
                hint="every row needs the agent, team or branch it belongs to",
            )
        seen = merged.setdefault(raw.strip(), [0, 0, line])
        seen[0] += n_events
        seen[1] += n_cases
    for name, (_, n_cases, line) in merged.items():
        if n_cases == 0:
            raise DataError(
                table.path,
                f"unit {name!r} has 0 cases in column {cases_col!r}; "
                "a rate needs at least one case",
                line=line,
                hint="correct the count, or leave out units that handled no cases",
            )
    return [UnitCount(name, e, c) for name, (e, c, _) in merged.items()]


def _bad_counts(
    table: CsvTable, counts: tuple[int, int], columns: tuple[str, str], texts: tuple[str, str]
) -> None:
    """Raise the error for a row whose counts cannot be taken (the first problem found)."""
    (events, cases), (events_col, cases_col) = counts, columns
    events_text, cases_text = (_quoted(text.strip()) for text in texts)
    if events < 0:
        raise table.error(f"column {events_col!r}: '{events}' is negative; counts are 0 or more")
    if cases < 0:
        raise table.error(f"column {cases_col!r}: '{cases}' is negative; counts are 0 or more")
    if cases > MAX_CASES:
        raise table.error(
            f"column {cases_col!r}: {cases_text} is more cases than "
            f"svcdiag takes ({MAX_CASES:,} at most)",
            hint="rates from more cases than that are beyond the precision of the limits; "
            "check the value, or analyse a sample or a shorter period",
        )
    if events <= cases:
        raise table.error(
            f"the cases in column {cases_col!r} add up to more than {MAX_CASES:,} by this "
            "row, the most svcdiag takes in one analysis",
            hint="analyse a shorter period or fewer units at a time",
        )
    raise table.error(
        f"{events if events < _HUGE else events_text} events ({events_col!r}) "
        f"but only {cases} cases ({cases_col!r}); "
        "events are counted among the cases, so they cannot exceed them",
        hint="check that --events and --cases name the right columns",
    )


def tally_outcomes(table: CsvTable, unit: int, outcome: int) -> list[UnitCount]:
    """Count cases and events (outcome 1) per unit from one row per case."""
    unit_col, outcome_col = table.header[unit], table.header[outcome]
    counts: dict[tuple[str, str], int] = {}
    for row in table.records():
        key = (row[unit], row[outcome])
        seen = counts.get(key)
        if seen is None:
            _unit_name(table, key[0], unit_col)
            if parse_outcome(key[1]) is None:
                raise table.error(
                    f"column {outcome_col!r}: {_describe(key[1])} is not an outcome; "
                    f"expected {_OUTCOME_WORDS}"
                )
            counts[key] = 1
        else:
            counts[key] = seen + 1

    merged: dict[str, list[int]] = {}
    for (raw, value), times in counts.items():
        seen_unit = merged.setdefault(raw.strip(), [0, 0])
        seen_unit[0] += times * (parse_outcome(value) or 0)
        seen_unit[1] += times
    return [UnitCount(name, e, c) for name, (e, c) in merged.items()]

"""Name the first bad row of a data file: the error path of the data commands.

The engine counts and sums in bulk; when its query finds a value it cannot
take (or refuses a row), these functions walk the rows in Python, in file
order, applying the rules of :mod:`.values`, and raise the error a user sees:
the line (or sheet row), the column, the value and how to fix it. The walk
stops at the first problem, so it costs little when the problem is early.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Collection

from svcdiag.errors import DataError
from svcdiag.stats.sources import Rows
from svcdiag.stats.values import (
    HUGE,
    MAX_CASES,
    MAX_EXAMPLES,
    OUTCOME_WORDS,
    TIME_WORDS,
    describe,
    parse_number,
    parse_outcome,
    parse_score,
    parse_time,
    parse_whole,
    quoted,
    strip,
)

SKIP_HINT = "correct the value, or pass --skip-invalid to skip such rows (they are counted)"
_UNIT_HINT = "every row needs the agent, team or branch it belongs to"
#: How far, in proportion, a number may lie from a whole one to be a formula's rounding of it.
_ROUNDING = 1e-9


def score_problem(text: str, column: str) -> str | None:
    """Say what is wrong with an NPS answer cell, or None when it is valid."""
    if parse_score(text) is not None:
        return None
    if not strip(text):
        return f"column {column!r} is empty; an answer from 0 to 10 is expected"
    return f"column {column!r}: {quoted(text)} is not an integer from 0 to 10"


def check_score_cell(rows: Rows, text: str, column: str) -> None:
    """Raise the error for a cell that is not an NPS answer from 0 to 10."""
    problem = score_problem(text, column)
    if problem is not None:
        raise rows.error(problem, hint=rounding_hint(text, _is_score))


def rounding_hint(text: str, accepted: Callable[[int], bool]) -> str | None:
    """The hint for a number a formula's rounding put beside a whole one, else None.

    A formula such as 0.1*3*30 gives 9.000000000000002 in floating point: the
    spreadsheet shows 9, but the cell holds more, and the rules read what it
    holds. Only a number within a billionth of a whole one that ``accepted``
    takes gets the hint.
    """
    value = parse_number(text)
    if value is None:
        return None
    nearest = round(value)
    off = abs(value - nearest)
    if off == 0 or off > _ROUNDING * max(1, abs(nearest)) or not accepted(nearest):
        return None
    return (
        f"the cell holds {strip(text)}, a formula's rounding (shown as {nearest}): "
        "wrap the formula in ROUND(..., 0)"
    )


def _is_score(number: int) -> bool:
    return 0 <= number <= 10


def _is_count(number: int) -> bool:
    return number >= 0


def answer_problem(rows: Rows, score: int, group: int | None, row: list[str]) -> str | None:
    """Say what is wrong with a row of NPS answers (its answer, then its group)."""
    problem = score_problem(row[score], rows.header[score])
    if problem is None and group is not None and not strip(row[group]):
        problem = f"column {rows.header[group]!r} (--by) is empty"
    return problem


def first_bad_answer(rows: Rows, score: int, group: int | None) -> DataError | None:
    """Return the error at the first row whose answer (or group) is invalid."""
    for row in rows.records():
        problem = answer_problem(rows, score, group, row)
        if problem is not None:
            return rows.error(problem, hint=rounding_hint(row[score], _is_score) or SKIP_HINT)
    return None


def skipped_examples(
    rows: Rows,
    score: int,
    group: int | None,
    keys: Collection[tuple[str, str]],
    *,
    name: Callable[[int], str],
) -> list[str]:
    """Return where the first invalid (group, answer) pairs of ``keys`` first occur.

    ``keys`` are the invalid pairs in order of first appearance; at most
    :data:`MAX_EXAMPLES` are described, as ``line 3: 'N/A'``, the row named
    by ``name`` (:meth:`.DataSource.row_name`: ``row 3`` in Parquet or Excel).
    """
    wanted = list(keys)[:MAX_EXAMPLES]
    found: dict[tuple[str, str], str] = {}
    for row in rows.records():
        key = (row[group] if group is not None else "", row[score])
        if key in wanted and key not in found:
            shown = describe(key[1]) if parse_score(key[1]) is None else "empty group"
            found[key] = f"{name(rows.line)}: {shown}"
            if len(found) == len(wanted):
                break
    return [found[key] for key in wanted if key in found]


def count_in(rows: Rows, text: str, column: str) -> int:
    """Return the count in a cell, or raise the error naming what is wrong with it."""
    number = parse_whole(text)
    if number is not None:
        return number
    stripped = strip(text)
    if not stripped:
        raise rows.error(f"column {column!r} is empty; a count of 0 or more is expected")
    magnitude = parse_whole(stripped[1:]) if stripped.startswith("-") else None
    if magnitude == 0:  # -0 is no less than 0, but no count is written so
        raise rows.error(
            f"column {column!r}: {quoted(text)} is not a whole number as written", hint="write 0"
        )
    if magnitude is not None:
        raise rows.error(f"column {column!r}: {quoted(text)} is negative; counts are 0 or more")
    raise rows.error(
        f"column {column!r}: {quoted(text)} is not a whole number",
        hint=rounding_hint(text, _is_count),
    )


def check_counts(rows: Rows, events: int, cases: int) -> None:
    """Raise the error at the first row whose event and case counts cannot be taken.

    That is a cell that is not a count, more events than cases, a row beyond
    :data:`MAX_CASES` cases, or the row where the running total passes it.
    """
    total = 0
    for row in rows.records():
        total = check_count_row(rows, row, events, cases, total)


def check_count_row(rows: Rows, row: list[str], events: int, cases: int, total: int) -> int:
    """Check the event and case counts of ``row``; return the running total of cases.

    Raises:
        DataError: as :func:`check_counts` describes, at this row.
    """
    events_col, cases_col = rows.header[events], rows.header[cases]
    n_events = count_in(rows, row[events], events_col)
    n_cases = count_in(rows, row[cases], cases_col)
    total += n_cases
    if n_cases > MAX_CASES:
        raise rows.error(
            f"column {cases_col!r}: {quoted(strip(row[cases]))} is more cases than "
            f"svcdiag takes ({MAX_CASES:,} at most)",
            hint="rates from more cases than that are beyond the precision of the limits; "
            "check the value, or analyse a sample or a shorter period",
        )
    if n_events > n_cases:
        shown = n_events if n_events < HUGE else quoted(strip(row[events]))
        raise rows.error(
            f"{shown} events ({events_col!r}) but only {n_cases} cases ({cases_col!r}); "
            "events are counted among the cases, so they cannot exceed them",
            hint="check that --events and --cases name the right columns",
        )
    if total > MAX_CASES:
        raise rows.error(
            f"the cases in column {cases_col!r} add up to more than {MAX_CASES:,} by this "
            "row, the most svcdiag takes in one analysis",
            hint="analyse a shorter period or fewer units at a time",
        )
    return total


def empty_unit(rows: Rows, unit: int) -> DataError:
    """Return the error at the first row whose unit is empty."""
    for row in rows.records():
        if not strip(row[unit]):
            break
    return rows.error(f"column {rows.header[unit]!r} (--unit) is empty", hint=_UNIT_HINT)


def nul_in_name(rows: Rows, column: int) -> DataError:
    """Return the error at the first row whose name in ``column`` holds a NUL character."""
    for row in rows.records():
        if "\x00" in row[column]:
            break
    return rows.error(
        f"column {rows.header[column]!r} holds a NUL character: binary data, or text "
        "saved in another encoding (UTF-16?)",
        hint="export the data again as 'CSV UTF-8'",
    )


def unit_without_cases(rows: Rows, unit: int, cases: int, name: str) -> DataError:
    """Return the error for unit ``name``, with no cases, at its first row."""
    for row in rows.records():
        if strip(row[unit]) == name:
            break
    return rows.error(
        f"unit {name!r} has 0 cases in column {rows.header[cases]!r}; "
        "a rate needs at least one case",
        hint="correct the count, or leave out units that handled no cases",
    )


def check_outcome_cell(rows: Rows, text: str, column: str) -> None:
    """Raise the error for an outcome cell that is not 0 or 1 (true/false, yes/no)."""
    if parse_outcome(text) is None:
        raise rows.error(
            f"column {column!r}: {describe(text)} is not an outcome; expected {OUTCOME_WORDS}"
        )


def check_outcomes(rows: Rows, unit: int, outcome: int) -> None:
    """Raise the error at the first row with an empty unit or an invalid outcome."""
    for row in rows.records():
        if not strip(row[unit]):
            raise rows.error(f"column {rows.header[unit]!r} (--unit) is empty", hint=_UNIT_HINT)
        check_outcome_cell(rows, row[outcome], rows.header[outcome])


# ---------------------------------------------------------------- dates

#: A value written as a date, YYYY-MM-DD, with whatever follows it.
_DATE_SHAPE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[ T].*)?", re.DOTALL)
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
#: A moment with a time-zone offset at its end: Z, +02:00, -0500, +02, UTC or GMT.
_OFFSET = re.compile(r"(.*?) ?(Z|[+-][0-9]{2}(?::?[0-9]{2})?|UTC|GMT)", re.DOTALL | re.IGNORECASE)
#: How DuckDB writes a typed date beyond the years 1 to 9999 (10000-06-01, 0001-06-01 (BC)).
_FAR_OFF = re.compile(
    r"[0-9]{5,}-[0-9]{2}-[0-9]{2}(?:[ T].*)?|[0-9]{4}-[0-9]{2}-[0-9]{2} \(BC\).*|[+-]?infinity",
    re.DOTALL | re.IGNORECASE,
)
_RANGE_HINT = "correct the date, or leave out the rows whose date is a placeholder, not a day"
#: A time of day alone, as a workbook's time cell reads.
_TIME_OF_DAY = re.compile(r"[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?")
_TIME_OF_DAY_HINT = (
    "write the date with the time, YYYY-MM-DD HH:MM; in a spreadsheet, a date cell "
    "holding a number below 1 (0 or a negative number) reads as a time alone"
)
#: Day 0 of Excel's serial numbers, as counted from 1 March 1900 on.
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
#: The serial numbers whose day a hint names: 1927-05-18 to 9999-12-31.
_SERIALS = (10_000, 2_958_465)
_CALENDAR_HINT = "correct the date: check the month (01 to 12) and the day of the month"
_FORM_HINT = "dates in one column must share one format: write them as YYYY-MM-DD"


def check_time_cell(rows: Rows, text: str, column: str) -> None:
    """Raise the error for a cell of the --time column that is not a date."""
    if parse_time(text) is None:
        message, hint = time_problem(text, column)
        raise rows.error(message, hint=hint)


def time_problem(text: str, column: str) -> tuple[str, str]:
    """Say what is wrong with a cell that is not a date, and how to mend it: (message, hint)."""
    stripped = strip(text)
    for problem in (_far_off, _off_the_calendar, _zoned, _time_alone, _number):
        found = problem(stripped)
        if found is not None:
            return f"column {column!r}: {quoted(text)} {found[0]}", found[1]
    return f"column {column!r}: {describe(text)} is not a date; expected {TIME_WORDS}", _FORM_HINT


#: What is wrong with a value, after the value in a message, and the hint.
_Problem = tuple[str, str] | None


def _far_off(text: str) -> _Problem:
    if out_of_range(text):
        return "is out of the range of dates svcdiag reads (years 1 to 9999)", _RANGE_HINT
    return None


def _off_the_calendar(text: str) -> _Problem:
    reason = calendar_problem(text)
    return None if reason is None else (f"is no date of the calendar: {reason}", _CALENDAR_HINT)


def _zoned(text: str) -> _Problem:
    offset = _OFFSET.fullmatch(text)
    if offset is None or parse_time(offset.group(1)) is None:
        return None
    return (
        f"has a time-zone offset ({offset.group(2)!r}), which svcdiag does not read",
        f"write local times, or times in UTC, without the offset, e.g. {quoted(offset.group(1))}",
    )


def _time_alone(text: str) -> _Problem:
    if _TIME_OF_DAY.fullmatch(text):
        return "is a time of day without a date", _TIME_OF_DAY_HINT
    return None


def _number(text: str) -> _Problem:
    value = parse_number(text)
    return None if value is None else ("is a number, not a date", _serial_hint(text, value))


def _serial_hint(shown: str, value: float) -> str:
    """The hint for a number in the --time column: a date in a cell not formatted as one."""
    hint = (
        "format the column as Date in the spreadsheet: a date in a General or Number cell "
        "reads as its serial number"
    )
    low, high = _SERIALS
    if low <= value <= high:
        moment = _EXCEL_EPOCH + dt.timedelta(days=value)
        day = f"{moment:%Y-%m-%d}" if value.is_integer() else f"{moment:%Y-%m-%d %H:%M}"
        hint += f" ({shown} is {day})"
    return hint


def out_of_range(text: str) -> bool:
    """Whether ``text`` is a date before the year 1 or after 9999, or an infinite one."""
    if _FAR_OFF.fullmatch(text):
        return True
    shape = _DATE_SHAPE.fullmatch(text)
    return shape is not None and shape.group(1) == "0000"


def calendar_problem(text: str) -> str | None:
    """Why ``text``, written YYYY-MM-DD in the years 1 to 9999, names no day, else None.

    The reason reads ``there is no month 13`` or ``February 2023 has 28 days``.

    A real day written otherwise (2024-1-5), or with a wrong time after it,
    is a wrong form, not a wrong date: None.
    """
    shape = _DATE_SHAPE.fullmatch(text)
    if shape is None:
        return None
    year, month, day = (int(part) for part in shape.groups())
    if not 1 <= month <= 12:
        return f"there is no month {shape.group(2)}"
    if day == 0:
        return "there is no day 00"
    days = calendar.monthrange(year, month)[1]
    if day > days:
        return f"{_MONTHS[month - 1]} {year} has {days} days"
    return None

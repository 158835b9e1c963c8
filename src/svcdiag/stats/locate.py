"""Name the first bad row of a data file: the error path of the data commands.

The engine counts and sums in bulk; when its query finds a value it cannot
take (or refuses a row), these functions walk the rows in Python, in file
order, applying the rules of :mod:`.values`, and raise the error a user sees:
the line (or sheet row), the column, the value and how to fix it. The walk
stops at the first problem, so it costs little when the problem is early.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from svcdiag.errors import DataError
from svcdiag.stats.sources import Rows
from svcdiag.stats.values import (
    HUGE,
    MAX_CASES,
    MAX_EXAMPLES,
    OUTCOME_WORDS,
    describe,
    parse_outcome,
    parse_score,
    parse_whole,
    quoted,
    strip,
)

SKIP_HINT = "correct the value, or pass --skip-invalid to skip such rows (they are counted)"
_UNIT_HINT = "every row needs the agent, team or branch it belongs to"


def score_problem(text: str, column: str) -> str | None:
    """Say what is wrong with an NPS answer cell, or None when it is valid."""
    if parse_score(text) is not None:
        return None
    if not strip(text):
        return f"column {column!r} is empty; an answer from 0 to 10 is expected"
    return f"column {column!r}: {quoted(text)} is not an integer from 0 to 10"


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
            return rows.error(problem, hint=SKIP_HINT)
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
    raise rows.error(f"column {column!r}: {quoted(text)} is not a whole number")


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

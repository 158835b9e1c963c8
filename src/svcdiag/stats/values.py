"""What a cell of client data may hold: the rules, in Python and in SQL alike.

Each rule exists twice, once as a Python function (used to name the first bad
row in an error) and once as a SQL expression (used by the engine to count
and aggregate). Both read the same values the same way, which a property test
checks on random text:

* Outer whitespace is ASCII whitespace (space, tab, CR, LF, VT, FF) only.
* A whole number is ASCII digits, optionally followed by ``.0``, ``.00``...:
  ``7``, `` 7 ``, ``7.0``. Other digits (``٩``, ``９``), signs, underscores
  and exponents are not numbers here: a spreadsheet never writes them for a
  count, and accepting them hides a wrong column.
* An NPS answer is such a number from 0 to 10.
* An outcome is 0 or 1 written as a number, or true/false, yes/no (any case).

Counts of cases are limited to :data:`MAX_CASES` in all (so also per row and
per unit): beyond about 10**11 cases in one unit the exact binomial limits
lose precision in floating point, and near 10**16 the rates themselves do.
"""

from __future__ import annotations

import datetime as dt
import math
import re

#: Most cases one analysis takes, per row, per unit and over all units.
MAX_CASES = 10**10
#: Longest run of digits read as a number; longer ones read as :data:`HUGE`.
MAX_DIGITS = 30
HUGE = 10**MAX_DIGITS
#: Characters stripped from both ends of a value.
WHITESPACE = " \t\n\r\x0b\x0c"
#: Most examples of skipped values kept for the warning.
MAX_EXAMPLES = 3
OUTCOME_WORDS = "0 or 1 (or true/false, yes/no)"

_WHOLE = re.compile(r"([0-9]+)(?:\.0+)?")
_OUTCOMES = {"0": 0, "1": 1, "false": 0, "true": 1, "no": 0, "yes": 1}


def strip(text: str) -> str:
    """Return ``text`` without outer ASCII whitespace."""
    return text.strip(WHITESPACE)


def parse_whole(text: str) -> int | None:
    """Return a non-negative whole number written as ``7``, `` 7 `` or ``7.0``; else None.

    A number of more than 30 digits (after leading zeros) is returned as
    10**30, beyond any count or score svcdiag takes, rather than converted.
    """
    match = _WHOLE.fullmatch(strip(text))
    if not match:
        return None
    digits = match.group(1).lstrip("0")
    return int(digits or "0") if len(digits) <= MAX_DIGITS else HUGE


def parse_score(text: str) -> int | None:
    """Return an NPS answer 0..10, or None when ``text`` is not one."""
    score = parse_whole(text)
    return score if score is not None and score <= 10 else None


def parse_outcome(text: str) -> int | None:
    """Return 0 or 1 for an outcome cell, or None when ``text`` is not one."""
    outcome = _OUTCOMES.get(strip(text).lower())
    if outcome is None:
        number = parse_whole(text)
        outcome = number if number in (0, 1) else None
    return outcome


def quoted(text: str, longest: int = 40) -> str:
    """Return ``text`` quoted for a message, shortened in the middle when long."""
    if len(text) <= longest:
        return repr(text)
    half = longest // 2
    return repr(f"{text[:half]}...{text[-half:]}") + f" ({len(text):,} characters)"


def describe(text: str) -> str:
    """Return ``text`` as a message shows it: ``empty``, or quoted."""
    return "empty" if not strip(text) else quoted(text)


# ---------------------------------------------------------------- SQL (DuckDB)
#
# Each public ``sql_*`` function takes a raw text column (never NULL) and
# first tries the form nearly every value has (``7``, ``9``, ``0``,
# ``2024-03-05``), cast at once; only other values go through the full rule
# on the stripped text. The result is the same, several times faster.

#: The whitespace set as a SQL expression (chr() keeps the query printable).
_SQL_WHITESPACE = "' ' || chr(9) || chr(10) || chr(13) || chr(11) || chr(12)"


def sql_strip(expr: str) -> str:
    """SQL for ``expr`` (text, never NULL) without outer ASCII whitespace."""
    return f"trim({expr}, {_SQL_WHITESPACE})"


def sql_is_whole(stripped: str) -> str:
    """SQL true when the stripped text ``stripped`` is a whole number."""
    return f"regexp_full_match({stripped}, '[0-9]+(\\.0+)?')"


def _sql_whole(stripped: str) -> str:
    """SQL for the value of a whole number of at most 18 digits, else NULL.

    Longer numbers are beyond :data:`MAX_CASES` and so an error either way;
    the Python rules then name the row.
    """
    digits = f"ltrim(regexp_extract({stripped}, '^[0-9]+'), '0')"
    return (
        f"CASE WHEN {sql_is_whole(stripped)} AND length({digits}) <= 18 "
        f"THEN TRY_CAST('0' || {digits} AS BIGINT) END"
    )


def _sql_score(stripped: str) -> str:
    """SQL for an NPS answer 0..10 in ``stripped`` text, else NULL."""
    digits = f"ltrim(regexp_extract({stripped}, '^[0-9]+'), '0')"
    number = f"TRY_CAST('0' || {digits} AS INTEGER)"
    return (
        f"CASE WHEN {sql_is_whole(stripped)} AND length({digits}) <= 2 AND {number} <= 10 "
        f"THEN {number} END"
    )


def _sql_outcome(stripped: str) -> str:
    """SQL for an outcome 0 or 1 in ``stripped`` text, else NULL."""
    lowered = f"lower({stripped})"
    return (
        f"CASE WHEN {lowered} IN ('1', 'true', 'yes') THEN 1 "
        f"WHEN {lowered} IN ('0', 'false', 'no') THEN 0 "
        f"WHEN regexp_full_match({stripped}, '0*1(\\.0+)?') THEN 1 "
        f"WHEN regexp_full_match({stripped}, '0+(\\.0+)?') THEN 0 END"
    )


# ---------------------------------------------------------------- dates and measured values

_TIME = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[ T]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.[0-9]+)?)?)?"
)
_SQL_TIME = "[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?)?"
_NUMBER = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_SQL_NUMBER = "-?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?"
TIME_WORDS = "a date written YYYY-MM-DD (a time after it, HH:MM or HH:MM:SS, is allowed)"


def parse_time(text: str) -> dt.datetime | None:
    """Return the moment in ``text`` (``2024-03-05``, ``2024-03-05 14:30``), else None."""
    match = _TIME.fullmatch(strip(text))
    if not match:
        return None
    parts = [int(part) if part else 0 for part in match.groups()]
    try:
        return dt.datetime(*parts)  # type: ignore[arg-type]
    except ValueError:
        return None


def parse_number(text: str) -> float | None:
    """Return a measured value (``4.5``, ``-3``, ``1e3``), else None."""
    stripped = strip(text)
    if not _NUMBER.fullmatch(stripped):
        return None
    value = float(stripped)
    return value if math.isfinite(value) else None


def _sql_time(stripped: str) -> str:
    """SQL for the TIMESTAMP in ``stripped`` text, else NULL.

    The hour 24, which DuckDB reads as midnight of the next day, is refused:
    Python, the rule, has no hour 24.
    """
    return (
        f"CASE WHEN regexp_full_match({stripped}, '{_SQL_TIME}') AND {_after_year_zero(stripped)} "
        f"AND NOT regexp_matches({stripped}, '^.{{10}}[ T]24') "
        f"THEN TRY_CAST(replace({stripped}, 'T', ' ') AS TIMESTAMP) END"
    )


def _after_year_zero(text: str) -> str:
    """SQL true unless ``text`` starts with the year 0000 (1 BC to DuckDB, no year to Python)."""
    return f"NOT starts_with({text}, '0000')"


def _sql_number(stripped: str) -> str:
    """SQL for the DOUBLE in ``stripped`` text, else NULL (never infinite)."""
    value = f"TRY_CAST({stripped} AS DOUBLE)"
    return (
        f"CASE WHEN regexp_full_match({stripped}, '{_SQL_NUMBER}') AND isfinite({value}) "
        f"THEN {value} END"
    )


def _fast(raw: str, pattern: str, cast: str, full: str) -> str:
    return f"CASE WHEN regexp_full_match({raw}, '{pattern}') THEN {cast} ELSE {full} END"


def sql_whole(raw: str) -> str:
    """SQL for a whole number (at most 18 digits) in the raw text ``raw``, else NULL.

    The quick test casts the text and writes the number back: only digits
    without a leading zero come back unchanged (DuckDB's own cast also takes
    ``+7``, ``7.4``, ``1e2``, ``0x10`` and ``1_000``, which the rule refuses).
    That is cheaper than a regular expression, and cheaper again in 32 bits
    (a tenth of the time of a count over 10^7 rows): a count of 2^32 or more
    in one row, like all other text, takes the rule.
    """
    number = f"TRY_CAST({raw} AS UINTEGER)"
    return (
        f"CASE WHEN CAST({number} AS VARCHAR) = {raw} "
        f"THEN CAST({number} AS BIGINT) ELSE {_sql_whole(sql_strip(raw))} END"
    )


def sql_score(raw: str) -> str:
    """SQL for an NPS answer 0..10 in the raw text ``raw``, else NULL."""
    quick = " ".join(f"WHEN '{n}' THEN {n}" for n in range(11))
    return f"CASE {raw} {quick} ELSE {_sql_score(sql_strip(raw))} END"


def sql_outcome(raw: str) -> str:
    """SQL for an outcome 0 or 1 in the raw text ``raw``, else NULL."""
    return f"CASE {raw} WHEN '0' THEN 0 WHEN '1' THEN 1 ELSE {_sql_outcome(sql_strip(raw))} END"


def sql_time(raw: str) -> str:
    """SQL for the TIMESTAMP in the raw text ``raw``, else NULL."""
    return _fast(
        raw,
        "[0-9]{4}-[0-9]{2}-[0-9]{2}",
        f"CASE WHEN {_after_year_zero(raw)} THEN TRY_CAST({raw} AS TIMESTAMP) END",
        _sql_time(sql_strip(raw)),
    )


def sql_number(raw: str) -> str:
    """SQL for a measured value (DOUBLE, never infinite) in the raw text ``raw``, else NULL."""
    return _fast(
        raw,
        "-?[0-9]{1,15}(\\.[0-9]{1,15})?",
        f"CAST({raw} AS DOUBLE)",
        _sql_number(sql_strip(raw)),
    )

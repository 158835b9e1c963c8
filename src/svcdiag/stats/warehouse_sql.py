"""The aggregation of ``nps`` and ``variation`` as plain SQL, for ``--sql``.

When the raw data must stay in the client's warehouse, the consultant runs
this query there and brings back only its result: one row per unit (or
group), which ``svcdiag variation --events events --cases cases`` reads like
any export. The SQL is standard (SUM, CASE, IN, FLOOR, GROUP BY,
double-quoted names), with the file's stem standing for the table name; it
assumes the columns are numeric there, as a warehouse types them.

It counts what svcdiag's own rules count, and says what they would refuse: a
score that is not a whole number from 0 to 10, an outcome other than 0 or 1,
or counts that are negative, fractional or with more events than cases are
left out of the sums and counted in ``left_out`` (a NULL among them), so that
nothing is dropped unseen. Rows without a unit are left out of ``variation``.
"""

from __future__ import annotations

from pathlib import Path

from svcdiag.stats.analysis import score_column
from svcdiag.stats.engine import open_engine, sql_name
from svcdiag.stats.sources import open_source


def _table(path: Path) -> str:
    return sql_name(path.stem)


def _listed(values: range) -> str:
    return ", ".join(str(value) for value in values)


def nps_sql(
    path: Path,
    *,
    column: str | None = None,
    by: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
) -> str:
    """Return the query counting promoters, passives and detractors (per ``by`` group)."""
    with (
        open_engine() as engine,
        open_source(engine, path, delimiter=delimiter, sheet=sheet) as src,
    ):
        score = sql_name(src.header[score_column(src, column)])
        group = sql_name(src.header[src.column(by, option="--by")]) if by is not None else None
    select = [f"{group} AS grp"] if group else []
    answer = f"{score} IN ({_listed(range(11))})"
    select += [
        f"SUM(CASE WHEN {score} IN (9, 10) THEN 1 ELSE 0 END) AS promoters",
        f"SUM(CASE WHEN {score} IN (7, 8) THEN 1 ELSE 0 END) AS passives",
        f"SUM(CASE WHEN {score} IN ({_listed(range(7))}) THEN 1 ELSE 0 END) AS detractors",
        f"SUM(CASE WHEN {answer} THEN 1 ELSE 0 END) AS answers",
        f"SUM(CASE WHEN {answer} THEN 0 ELSE 1 END) AS left_out",
    ]
    lines = ["SELECT", "  " + ",\n  ".join(select), f"FROM {_table(path)}"]
    if group:
        lines += ["GROUP BY 1", "ORDER BY 1"]
    return "\n".join(lines) + ";\n"


def variation_sql(
    path: Path,
    *,
    unit: str,
    events: str | None = None,
    cases: str | None = None,
    outcome: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
) -> str:
    """Return the query giving one row per unit: ``unit``, ``events``, ``cases``."""
    with (
        open_engine() as engine,
        open_source(engine, path, delimiter=delimiter, sheet=sheet) as src,
    ):
        unit_sql = sql_name(src.header[src.column(unit, option="--unit")])
        if outcome is not None:
            outcome_sql = sql_name(src.header[src.column(outcome, option="--outcome")])
            valid = f"{outcome_sql} IN (0, 1)"
            sums = [
                f"SUM(CASE WHEN {outcome_sql} = 1 THEN 1 ELSE 0 END) AS events",
                f"SUM(CASE WHEN {valid} THEN 1 ELSE 0 END) AS cases",
            ]
        else:
            assert events is not None and cases is not None
            e_sql = sql_name(src.header[src.column(events, option="--events")])
            c_sql = sql_name(src.header[src.column(cases, option="--cases")])
            valid = (
                f"{e_sql} >= 0 AND {e_sql} <= {c_sql} AND {e_sql} = FLOOR({e_sql}) "
                f"AND {c_sql} = FLOOR({c_sql})"
            )
            sums = [
                f"SUM(CASE WHEN {valid} THEN {e_sql} ELSE 0 END) AS events",
                f"SUM(CASE WHEN {valid} THEN {c_sql} ELSE 0 END) AS cases",
            ]
        sums.append(f"SUM(CASE WHEN {valid} THEN 0 ELSE 1 END) AS left_out")
    select = [f"{unit_sql} AS unit", *sums]
    return (
        "SELECT\n  "
        + ",\n  ".join(select)
        + f"\nFROM {_table(path)}\nWHERE {unit_sql} IS NOT NULL\nGROUP BY 1\nORDER BY 1;\n"
    )

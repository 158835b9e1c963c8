"""The aggregation of ``nps`` and ``variation`` as plain SQL, for ``--sql``.

When the raw data must stay in the client's warehouse, the consultant runs
this query there and brings back only its result: one row per unit (or
group), which ``svcdiag variation --events events --cases cases`` reads like
any export. The SQL is standard (SUM, COUNT, CASE, GROUP BY, double-quoted
names), with the file's stem standing for the table name; it assumes the
columns are numeric there, as a warehouse types them.
"""

from __future__ import annotations

from pathlib import Path

from svcdiag.stats.analysis import score_column
from svcdiag.stats.engine import open_engine, sql_name
from svcdiag.stats.sources import open_source


def _table(path: Path) -> str:
    return sql_name(path.stem)


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
    select += [
        f"SUM(CASE WHEN {score} >= 9 THEN 1 ELSE 0 END) AS promoters",
        f"SUM(CASE WHEN {score} BETWEEN 7 AND 8 THEN 1 ELSE 0 END) AS passives",
        f"SUM(CASE WHEN {score} <= 6 THEN 1 ELSE 0 END) AS detractors",
        "COUNT(*) AS answers",
    ]
    lines = ["SELECT", "  " + ",\n  ".join(select), f"FROM {_table(path)}"]
    lines.append(f"WHERE {score} BETWEEN 0 AND 10")
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
            sums = [
                f"SUM(CASE WHEN {outcome_sql} = 1 THEN 1 ELSE 0 END) AS events",
                "COUNT(*) AS cases",
            ]
        else:
            assert events is not None and cases is not None
            events_sql = sql_name(src.header[src.column(events, option="--events")])
            cases_sql = sql_name(src.header[src.column(cases, option="--cases")])
            sums = [f"SUM({events_sql}) AS events", f"SUM({cases_sql}) AS cases"]
    select = [f"{unit_sql} AS unit", *sums]
    return (
        "SELECT\n  "
        + ",\n  ".join(select)
        + f"\nFROM {_table(path)}\nWHERE {unit_sql} IS NOT NULL\nGROUP BY 1\nORDER BY 1;\n"
    )

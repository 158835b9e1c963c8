"""`--sql`: the aggregation as plain SQL, and its result back into `svcdiag variation`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import duckdb
from typer.testing import CliRunner, Result

from svcdiag.cli import app

MakeCsv = Callable[..., Path]
ROWS = "agent,complaints,contacts\nA,10,200\nB,12,220\nC,30,180\nA,5,100\nB,0,40\n"
COUNTS = ("--unit", "agent", "--events", "complaints", "--cases", "contacts")


def run(*args: object) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "80", "NO_COLOR": "1"})


def in_warehouse(query: str, table: str, path: Path) -> duckdb.DuckDBPyConnection:
    """Stand in for the client's warehouse: the file as a typed table of its name."""
    con = duckdb.connect()
    con.execute(f"CREATE TABLE \"{table}\" AS SELECT * FROM read_csv('{path}')")
    return con


def test_variation_sql_round_trip(make_csv: MakeCsv, tmp_path: Path) -> None:
    path = make_csv(ROWS, "contacts.csv")
    printed = run("variation", path, *COUNTS, "--sql")
    assert printed.exit_code == 0, printed.output
    query = printed.stdout
    assert query.startswith("SELECT\n")
    assert 'FROM "contacts"' in query
    assert 'SUM("complaints") AS events' in query
    con = in_warehouse(query, "contacts", path)
    per_unit = tmp_path / "per_unit.csv"
    con.execute(f"COPY ({query.rstrip().rstrip(';')}) TO '{per_unit}' (HEADER)")
    con.close()
    assert per_unit.read_text().splitlines()[0] == "unit,events,cases"
    back = run("variation", per_unit, "--unit", "unit", "--events", "events", "--cases", "cases",
               "-f", "json")  # fmt: skip
    direct = run("variation", path, *COUNTS, "-f", "json")
    assert back.exit_code == 0 and direct.exit_code == 0
    assert json.loads(back.stdout) == json.loads(direct.stdout)


def test_variation_outcome_sql(make_csv: MakeCsv) -> None:
    path = make_csv("agent,bad\nA,1\nA,0\nB,0\n", "cases.csv")
    query = run("variation", path, "--unit", "agent", "--outcome", "bad", "--sql").stdout
    con = in_warehouse(query, "cases", path)
    assert con.execute(query).fetchall() == [("A", 1, 2), ("B", 0, 1)]
    con.close()


def test_nps_sql_counts_per_group(make_csv: MakeCsv) -> None:
    path = make_csv("branch,score\nA,9\nA,10\nA,3\nB,8\nB,7\nB,11\n", "survey.csv")
    query = run("nps", path, "--by", "branch", "--sql").stdout
    con = in_warehouse(query, "survey", path)
    # B's 11 is no answer: the query counts only 0 to 10, as svcdiag does.
    assert con.execute(query).fetchall() == [("A", 2, 0, 1, 3), ("B", 0, 2, 0, 2)]
    con.close()


def test_sql_checks_the_columns(make_csv: MakeCsv) -> None:
    path = make_csv(ROWS)
    result = run("variation", path, "--unit", "agents", "--events", "complaints", "--cases",
                 "contacts", "--sql")  # fmt: skip
    assert result.exit_code == 2
    assert "no column 'agents'" in result.stderr
    usage = run("variation", path, "--unit", "agent", "--sql")
    assert usage.exit_code == 2 and "say what to count" in usage.stderr

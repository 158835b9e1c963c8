"""`--sql`: the aggregation as plain SQL, and its result back into `svcdiag variation`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
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
    assert 'THEN "complaints" ELSE 0 END) AS events' in query
    con = in_warehouse(query, "contacts", path)
    per_unit = tmp_path / "per_unit.csv"
    con.execute(f"COPY ({query.rstrip().rstrip(';')}) TO '{per_unit}' (HEADER)")
    con.close()
    assert per_unit.read_text().splitlines()[0] == "unit,events,cases,left_out"
    back = run("variation", per_unit, "--unit", "unit", "--events", "events", "--cases", "cases",
               "-f", "json")  # fmt: skip
    direct = run("variation", path, *COUNTS, "-f", "json")
    assert back.exit_code == 0 and direct.exit_code == 0
    assert json.loads(back.stdout) == json.loads(direct.stdout)


def test_variation_outcome_sql(make_csv: MakeCsv) -> None:
    path = make_csv("agent,bad\nA,1\nA,0\nB,0\n", "cases.csv")
    query = run("variation", path, "--unit", "agent", "--outcome", "bad", "--sql").stdout
    con = in_warehouse(query, "cases", path)
    assert con.execute(query).fetchall() == [("A", 1, 2, 0), ("B", 0, 1, 0)]
    con.close()


def test_nps_sql_counts_per_group(make_csv: MakeCsv) -> None:
    path = make_csv("branch,score\nA,9\nA,10\nA,3\nB,8\nB,7\nB,11\n", "survey.csv")
    query = run("nps", path, "--by", "branch", "--sql").stdout
    con = in_warehouse(query, "survey", path)
    # B's 11 is no answer: the query counts only 0 to 10, as svcdiag does,
    # and says how many rows it left out.
    assert con.execute(query).fetchall() == [("A", 2, 0, 1, 3, 0), ("B", 0, 2, 0, 2, 1)]
    con.close()


def test_sql_checks_the_columns(make_csv: MakeCsv) -> None:
    path = make_csv(ROWS)
    result = run("variation", path, "--unit", "agents", "--events", "complaints", "--cases",
                 "contacts", "--sql")  # fmt: skip
    assert result.exit_code == 2
    assert "no column 'agents'" in result.stderr
    usage = run("variation", path, "--unit", "agent", "--sql")
    assert usage.exit_code == 2 and "say what to count" in usage.stderr


def test_nps_sql_leaves_out_what_svcdiag_refuses_and_counts_it(make_csv: MakeCsv) -> None:
    # A decimal column, as a warehouse may type it: 8.5 and 6.5 are no answers
    # (a local run refuses them), 11 and NULL neither; each is counted.
    path = make_csv("score\n10\n9\n8.5\n3\n11\n6.5\n\n7\n", "decimal.csv")
    query = run("nps", path, "--column", "score", "--sql").stdout
    con = duckdb.connect()
    con.execute(
        f"CREATE TABLE decimal AS SELECT * FROM read_csv('{path}', columns = {{'score': 'DOUBLE'}})"
    )
    assert con.execute(query).fetchall() == [(2, 1, 1, 4, 4)]
    con.close()


def test_variation_sql_leaves_out_counts_svcdiag_refuses(make_csv: MakeCsv) -> None:
    rows = "agent,complaints,contacts\nA,2,10\nA,-1,5\nB,3,2\nB,1.5,4\nB,1,4\nC,,3\nC,0,6\n"
    path = make_csv(rows, "counts.csv")
    query = run("variation", path, *COUNTS, "--sql").stdout
    con = duckdb.connect()
    con.execute(
        f"CREATE TABLE counts AS SELECT * FROM read_csv('{path}', "
        "columns = {'agent': 'VARCHAR', 'complaints': 'DOUBLE', 'contacts': 'DOUBLE'})"
    )
    assert con.execute(query).fetchall() == [("A", 2, 10, 1), ("B", 1, 4, 2), ("C", 0, 6, 1)]
    con.close()


def test_sql_with_output_writes_the_query_to_the_file(make_csv: MakeCsv, tmp_path: Path) -> None:
    path = make_csv(ROWS, "contacts.csv")
    target = tmp_path / "query.sql"
    written = run("variation", path, *COUNTS, "--sql", "-o", target)
    assert written.exit_code == 0, written.output
    assert written.stdout == ""
    assert target.read_text() == run("variation", path, *COUNTS, "--sql").stdout
    again = run("nps", make_csv("score\n9\n", "s.csv"), "--sql", "-o", target)
    assert again.exit_code == 2 and "already exists" in again.stderr  # --force replaces it
    assert (
        run("nps", make_csv("score\n9\n", "s.csv"), "--sql", "-o", target, "--force").exit_code == 0
    )
    assert "promoters" in target.read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--sql", "-f", "json"), "--format json does not apply"),
        (("--sql", "-o", "{dir}/query.yaml"), "query.yaml is named for yaml"),
        (("-o", "{dir}/query.sql"), "query.sql is named for SQL, but without --sql"),
    ],
)
def test_sql_refuses_what_it_would_ignore_or_misname(
    make_csv: MakeCsv, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    """--sql with a format, SQL in a .yaml file, a .sql file of results: said, nothing written."""
    path = make_csv(ROWS, "contacts.csv")
    given = [a.format(dir=tmp_path) for a in args]
    for command in (["variation", path, *COUNTS], ["nps", make_csv("score\n9\n", "s.csv")]):
        result = run(*command, *given)
        assert result.exit_code == 2, result.output
        assert message in result.stderr
        assert not any(p.name.startswith("query") for p in tmp_path.iterdir())

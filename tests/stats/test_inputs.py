"""The same data as CSV, Parquet and Excel give the same results; hostile files are refused."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb
import openpyxl
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from svcdiag.cli import app
from svcdiag.stats.values import (
    parse_number,
    parse_outcome,
    parse_score,
    parse_time,
    parse_whole,
    sql_number,
    sql_outcome,
    sql_score,
    sql_time,
    sql_whole,
)

MakeCsv = Callable[..., Path]
ROWS = [("North", 9, 1, 10), ("North", 3, 0, 20), ("South", 10, 4, 30), ("South", 7, 2, 25)]
HEADER = ("branch", "score", "complaints", "contacts")


def run(*args: object) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "80", "NO_COLOR": "1"})


def write_all(tmp_path: Path) -> dict[str, Path]:
    text = ",".join(HEADER) + "\n" + "".join(",".join(map(str, r)) + "\n" for r in ROWS)
    as_csv = tmp_path / "data.csv"
    as_csv.write_text(text)
    as_parquet = tmp_path / "data.parquet"
    con = duckdb.connect()
    con.execute(f"COPY (SELECT * FROM read_csv('{as_csv}')) TO '{as_parquet}' (FORMAT parquet)")
    con.close()
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    as_xlsx = tmp_path / "data.xlsx"
    book.save(as_xlsx)
    return {"csv": as_csv, "parquet": as_parquet, "xlsx": as_xlsx}


def result_json(*args: object) -> dict[str, object]:
    result = run(*args, "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


def test_nps_is_the_same_from_every_kind_of_file(tmp_path: Path) -> None:
    files = write_all(tmp_path)
    results = {kind: result_json("nps", path, "--by", "branch") for kind, path in files.items()}
    assert results["csv"] == results["parquet"] == results["xlsx"]
    assert (results["csv"]["n"], results["csv"]["promoters"]) == (4, 2)


def test_variation_is_the_same_from_every_kind_of_file(tmp_path: Path) -> None:
    files = write_all(tmp_path)
    args = ("--unit", "branch", "--events", "complaints", "--cases", "contacts")
    results = {kind: result_json("variation", path, *args) for kind, path in files.items()}
    assert results["csv"] == results["parquet"] == results["xlsx"]
    units = results["csv"]["units"]
    assert [(u["unit"], u["events"], u["cases"]) for u in units] == [  # type: ignore[attr-defined]
        ("North", 1, 30),
        ("South", 6, 55),
    ]


@pytest.mark.parametrize(
    ("args", "column", "kind"),
    [
        (("variation", "--unit", "unit", "--events", "e", "--cases", "n"), "e", "INTEGER[]"),
        (("variation", "--unit", "u", "--events", "n", "--cases", "n"), "u", "VARCHAR[]"),
        (("nps", "-c", "n", "--by", "s"), "s", "STRUCT(x INTEGER)"),
        (("nps", "-c", "n", "--by", "m"), "m", "MAP(VARCHAR, INTEGER)"),
        (("trend", "--time", "d", "--value", "arr"), "arr", "INTEGER[]"),
    ],
)
def test_a_parquet_column_of_several_values_a_row_is_refused(
    tmp_path: Path, args: tuple[str, ...], column: str, kind: str
) -> None:
    """A list used to pass as a number column (INTEGER[] starts like INTEGER) and fail per row."""
    path = tmp_path / "nested.parquet"
    con = duckdb.connect()
    con.execute(
        "COPY (SELECT ['a'] AS u, [3] AS e, {'x': 1} AS s, MAP {'k': 1} AS m, 'A' AS unit, "
        "3 AS n, [1, 2]::INTEGER[2] AS arr, DATE '2024-01-01' AS d) "
        f"TO '{path}' (FORMAT parquet)"
    )
    con.close()
    result = run(args[0], path, *args[1:])
    assert result.exit_code == 2, result.output
    assert f"column {column!r}" in result.stderr
    assert f"holds several values in a row (type {kind})" in result.stderr


def test_parquet_column_of_the_wrong_type(tmp_path: Path) -> None:
    path = tmp_path / "dates.parquet"
    con = duckdb.connect()
    con.execute(
        f"COPY (SELECT 'A' AS branch, DATE '2024-01-01' AS score) TO '{path}' (FORMAT parquet)"
    )
    con.close()
    result = run("nps", path, "--column", "score")
    assert result.exit_code == 2
    assert "column 'score' (--column) is of type DATE in this Parquet file" in result.stderr


def parquet_with_names(path: Path, first: str, second: str) -> Path:
    """A Parquet file of columns ``first``, ``second`` and ``score``, names DuckDB cannot write.

    DuckDB writes no two names that are equal in any case, so the second
    column is written as ``BRANCX`` and renamed in the file's footer (a name
    of the same length keeps the footer valid).
    """
    assert len(second) == len("BRANCX")
    con = duckdb.connect()
    con.execute(
        "COPY (SELECT * FROM (VALUES ('U1', 'l1', 9), ('U2', 'l2', 3)) "
        f't("{first}", "BRANCX", score)) TO \'{path}\' (FORMAT parquet)'
    )
    con.close()
    path.write_bytes(path.read_bytes().replace(b"BRANCX", second.encode()))
    return path


def test_parquet_columns_named_alike_are_chosen_as_in_csv(tmp_path: Path) -> None:
    """DuckDB reads ``Branch`` and ``branch`` as ``Branch`` and ``branch_1``."""
    parquet = parquet_with_names(tmp_path / "alike.parquet", "Branch", "branch")
    as_csv = tmp_path / "alike.csv"
    as_csv.write_text("Branch,branch,score\nU1,l1,9\nU2,l2,3\n")
    for path in (parquet, as_csv):
        result = run("nps", path, "--by", "branch", "-f", "json")
        assert result.exit_code == 0, result.output
        assert [g["group"] for g in json.loads(result.stdout)["groups"]] == ["l1", "l2"]
        ambiguous = run("nps", path, "--by", "BRANCH")
        assert ambiguous.exit_code == 2
        assert "column 'BRANCH' appears more than once in the header" in ambiguous.stderr


def test_parquet_duplicate_column_names_are_refused_as_in_csv(tmp_path: Path) -> None:
    path = parquet_with_names(tmp_path / "twice.parquet", "branch", "branch")
    result = run("nps", path, "--by", "branch", "--column", "score")
    assert result.exit_code == 2
    assert "column 'branch' appears more than once in the header (columns 1 and 2)" in (
        " ".join(result.stderr.split())
    )


def test_parquet_bad_value_names_the_row(tmp_path: Path) -> None:
    path = tmp_path / "bad.parquet"
    con = duckdb.connect()
    con.execute(f"COPY (SELECT * FROM (VALUES (9), (12)) t(score)) TO '{path}' (FORMAT parquet)")
    con.close()
    result = run("nps", path)
    assert result.exit_code == 1
    assert f"{path}: row 2: column 'score': '12' is not an integer from 0 to 10" in result.stderr


@pytest.mark.parametrize("name", ["file_row_number", "File_Row_Number"])
def test_parquet_with_a_column_named_file_row_number(tmp_path: Path, name: str) -> None:
    files = write_all(tmp_path)
    path = tmp_path / "numbered.parquet"
    con = duckdb.connect()
    con.execute(
        f"COPY (SELECT *, 100 - row_number() OVER () AS {name} FROM '{files['parquet']}') "
        f"TO '{path}' (FORMAT parquet)"
    )
    con.close()
    args = ("--unit", "branch", "--events", "complaints", "--cases", "contacts")
    assert result_json("nps", path, "--by", "branch") == result_json(
        "nps", files["csv"], "--by", "branch"
    )
    assert result_json("variation", path, *args) == result_json("variation", files["csv"], *args)
    bad = tmp_path / "bad.parquet"
    con = duckdb.connect()
    con.execute(
        f"COPY (SELECT * FROM (VALUES (7, 9), (8, 10), (9, 12)) t({name}, score)) "
        f"TO '{bad}' (FORMAT parquet)"
    )
    con.close()
    result = run("nps", bad, "--column", "score")
    assert result.exit_code == 1
    assert f"{bad}: row 3: column 'score': '12' is not an integer from 0 to 10" in result.stderr


SKIPPED = [(1, 9), (2, "N/A"), (3, 10), (4, None), (5, 11)]


def test_skipped_rows_of_a_parquet_file_are_named_as_rows(tmp_path: Path) -> None:
    path = tmp_path / "skip.parquet"
    values = ", ".join(f"({i}, {'NULL' if v is None else repr(str(v))})" for i, v in SKIPPED)
    con = duckdb.connect()
    con.execute(f"COPY (SELECT * FROM (VALUES {values}) t(id, score)) TO '{path}' (FORMAT parquet)")
    con.close()
    result = run("nps", path, "--column", "score", "--skip-invalid", "-f", "json")
    assert result.exit_code == 0, result.output
    assert (
        "warning: skipped 3 of 5 rows with invalid values "
        "(row 2: 'N/A'; row 4: empty; row 5: '11')" in result.stderr
    )


def test_skipped_rows_of_a_sheet_are_named_with_the_sheet(tmp_path: Path) -> None:
    def build(book: openpyxl.Workbook) -> None:
        sheet = book.active
        assert sheet is not None
        sheet.title = "Data"
        sheet.append(["id", "score"])
        for row in SKIPPED:
            sheet.append(row)

    result = run("nps", workbook(tmp_path, build), "--skip-invalid", "-f", "json")
    assert result.exit_code == 0, result.output
    assert (
        "warning: skipped 3 of 5 rows of sheet 'Data' with invalid values "
        "(row 3: 'N/A'; row 5: empty; row 6: '11')" in result.stderr
    )


def workbook(tmp_path: Path, build: Callable[[openpyxl.Workbook], None]) -> Path:
    book = openpyxl.Workbook()
    build(book)
    path = tmp_path / "book.xlsx"
    book.save(path)
    return path


def test_xlsx_merged_header_cells(tmp_path: Path) -> None:
    def build(book: openpyxl.Workbook) -> None:
        sheet = book.active
        assert sheet is not None
        sheet.append(["Survey", None])
        sheet.merge_cells("A1:B1")
        sheet.append(["branch", "score"])

    result = run("nps", workbook(tmp_path, build))
    assert result.exit_code == 2
    assert "sheet 'Sheet', row 1: the header has merged cells (A1:B1)" in result.stderr


def header_below_empty_rows(at: str) -> Callable[[openpyxl.Workbook], None]:
    """Build a sheet whose header starts at cell ``at`` (B3, A2), the rows above it empty."""

    def build(book: openpyxl.Workbook) -> None:
        sheet = book.active
        assert sheet is not None
        column, row = openpyxl.utils.cell.coordinate_from_string(at)
        first = openpyxl.utils.cell.column_index_from_string(column)
        for offset, values in enumerate([HEADER, *ROWS]):
            for step, value in enumerate(values):
                sheet.cell(row=row + offset, column=first + step, value=value)

    return build


@pytest.mark.parametrize(("at", "header_row"), [("B3", 3), ("A2", 2)])
def test_xlsx_header_below_empty_rows(tmp_path: Path, at: str, header_row: int) -> None:
    path = workbook(tmp_path, header_below_empty_rows(at))
    from_csv = result_json("nps", write_all(tmp_path)["csv"], "--by", "branch")
    assert result_json("nps", path, "--by", "branch") == from_csv
    missing = run("nps", path, "--by", "brnch")
    assert missing.exit_code == 2
    assert f"sheet 'Sheet', row {header_row}: no column 'brnch' in the header" in missing.stderr


def test_xlsx_header_below_empty_rows_names_rows_as_excel_does(tmp_path: Path) -> None:
    def build(book: openpyxl.Workbook) -> None:
        header_below_empty_rows("B3")(book)
        sheet = book.active
        assert sheet is not None
        sheet["C6"] = 12  # the third data row, on Excel's row 6

    result = run("nps", workbook(tmp_path, build), "--column", "score")
    assert result.exit_code == 1
    assert "sheet 'Sheet', row 6: column 'score': '12' is not an integer from 0 to 10" in (
        result.stderr
    )


def test_xlsx_unnamed_header_column_below_empty_rows(tmp_path: Path) -> None:
    def build(book: openpyxl.Workbook) -> None:
        sheet = book.active
        assert sheet is not None
        sheet["B3"], sheet["D3"] = "branch", "score"
        sheet["B4"], sheet["C4"], sheet["D4"] = "North", "x", 9

    result = run("nps", workbook(tmp_path, build))
    assert result.exit_code == 2
    assert "sheet 'Sheet', row 3: the header has no name in column C" in result.stderr


def test_xlsx_several_sheets_need_sheet(tmp_path: Path) -> None:
    def build(book: openpyxl.Workbook) -> None:
        first = book.active
        assert first is not None
        first.title = "2023"
        first.append(["score"])
        first.append([9])
        second = book.create_sheet("2024")
        second.append(["score"])
        second.append([3])
        book.create_sheet("Empty")

    path = workbook(tmp_path, build)
    result = run("nps", path)
    assert result.exit_code == 2
    assert "several sheets with data ('2023', '2024')" in result.stderr
    assert "--sheet" in result.stderr
    assert result_json("nps", path, "--sheet", "2024")["detractors"] == 1
    empty = run("nps", path, "--sheet", "Empty")
    assert empty.exit_code == 2 and "sheet 'Empty' is empty" in empty.stderr
    missing = run("nps", path, "--sheet", "2025")
    assert "no sheet '2025' in the workbook" in missing.stderr


def test_xlsx_formula_cell_without_a_saved_value(tmp_path: Path) -> None:
    def build(book: openpyxl.Workbook) -> None:
        sheet = book.active
        assert sheet is not None
        sheet.append(["branch", "score"])
        sheet.append(["North", 9])
        sheet.append(["South", "=B2+1"])  # openpyxl saves no computed value

    result = run("nps", workbook(tmp_path, build))
    assert result.exit_code == 1
    assert "sheet 'Sheet', row 3: column 'score' is empty" in result.stderr


def test_xlsx_error_cells_are_reported_as_written(tmp_path: Path) -> None:
    def build(book: openpyxl.Workbook) -> None:
        header_below_empty_rows("B3")(book)
        sheet = book.active
        assert sheet is not None
        sheet["C5"] = "#DIV/0!"  # openpyxl writes an error cell (t="e")
        sheet["C7"] = "#N/A"
        sheet.append([None, "#REF!", "#NAME?", "#VALUE!", "#NUM!"])  # errors only: not blank

    path = workbook(tmp_path, build)
    result = run("nps", path, "--by", "branch")
    assert result.exit_code == 1
    assert "sheet 'Sheet', row 5: column 'score': '#DIV/0!' is not an integer from 0 to 10" in (
        result.stderr
    )
    skipped = run("nps", path, "--by", "branch", "--skip-invalid", "-f", "json")
    assert skipped.exit_code == 0, skipped.output
    assert json.loads(skipped.stdout)["n"] == 2
    assert (
        "warning: skipped 3 of 5 rows of sheet 'Sheet' with invalid values "
        "(row 5: '#DIV/0!'; row 7: '#N/A'; row 8: '#NAME?')" in skipped.stderr
    )


def test_xlsx_date_column_in_three_formats(tmp_path: Path) -> None:
    def build(book: openpyxl.Workbook) -> None:
        sheet = book.active
        assert sheet is not None
        sheet.append(["date", "csat"])
        sheet.append([dt.date(2024, 1, 5), 4])
        sheet.append(["2024-02-05", 3])
        sheet.append(["05/03/2024", 5])

    result = run("trend", workbook(tmp_path, build), "--time", "date", "--value", "csat")
    assert result.exit_code == 1
    assert "sheet 'Sheet', row 4: column 'date': '05/03/2024' is not a date" in result.stderr


def test_non_ascii_digits_are_refused(make_csv: MakeCsv) -> None:
    result = run("nps", make_csv("score\n9\n\u0669\n"))
    assert result.exit_code == 1
    assert ":3: column 'score': '\u0669' is not an integer from 0 to 10" in result.stderr
    counts = make_csv("agent,e,n\nA,1,10\nB,\uff11,10\n", "counts.csv")
    result = run("variation", counts, "--unit", "agent", "--events", "e", "--cases", "n")
    assert result.exit_code == 1
    assert ":3: column 'e': '\uff11' is not a whole number" in result.stderr


def test_huge_header_field_is_an_error_not_a_crash(make_csv: MakeCsv) -> None:
    path = make_csv("x" * 200_000 + ",score\n1,9\n")
    result = run("nps", path, "--column", "score")
    assert "Traceback" not in result.output
    assert result.exit_code == 2
    assert f"error: {path}:1: " in result.stderr and "header" in result.stderr


def test_a_long_value_does_not_hide_the_bad_line_after_it(make_csv: MakeCsv) -> None:
    long = "x" * 200_000  # beyond the csv module's default limit, within the engine's
    path = make_csv(f'note,score\n{long},9\n"{long}\nmore",8\nb,7\nc,12\n')
    result = run("nps", path, "--column", "score")
    assert result.exit_code == 1
    assert f"{path}:6: column 'score': '12' is not an integer from 0 to 10" in result.stderr
    fixed = make_csv(f'note,score\n{long},9\n"{long}\nmore",8\nb,7\nc,1\n', "fixed.csv")
    assert result_json("nps", fixed, "--column", "score")["n"] == 4


def test_trailing_empty_fields_are_read_on_the_second_try(make_csv: MakeCsv) -> None:
    data = result_json("nps", make_csv("id,score\n1,9,,\n2,3\n"), "--column", "score")
    assert (data["n"], data["promoters"]) == (2, 1)


def test_glob_characters_in_the_file_name(make_csv: MakeCsv) -> None:
    assert result_json("nps", make_csv("score\n9\n", "survey[1]*.csv"))["n"] == 1


_CELL = st.text(alphabet=" \t0123456789.-+_eExbyzTRUEtruefalsyNO\u0669\uff11\u00a0", max_size=8)
#: What DuckDB's own cast takes and the rules do not, and the edges of the quick paths.
_LENIENT = ["+5", "1e2", "5.5", "0x10", "1_000", "0b1", "-0", " 5", "5.", ".5", "007", "0"]
_EDGES = ["999999999999999999", "1000000000000000000", "18446744073709551615", "10", "11",
          "4294967295", "4294967296", "04294967296", "4294967296.0"]  # fmt: skip


@pytest.mark.parametrize("text", [*_LENIENT, *_EDGES])
def test_sql_and_python_agree_where_the_engine_alone_would_be_lenient(text: str) -> None:
    check_value_read_alike(text)


@given(_CELL)
def test_sql_and_python_read_every_value_alike(text: str) -> None:
    check_value_read_alike(text)


def check_value_read_alike(text: str) -> None:
    con = duckdb.connect()
    raw = "$1"
    row = con.execute(
        f"SELECT {sql_whole(raw)}, {sql_score(raw)}, {sql_outcome(raw)}, {sql_number(raw)}",
        [text],
    ).fetchone()
    con.close()
    assert row is not None
    whole = parse_whole(text)
    assert row[0] == (whole if whole is not None and whole < 10**18 else None)
    assert row[1] == parse_score(text)
    assert row[2] == parse_outcome(text)
    assert row[3] == parse_number(text)


_DATE = st.from_regex(
    r"\A *[0-9]{4}-[0-9]{1,2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2})?)?[ x]?\Z"
)


@given(st.one_of(_DATE, _CELL))
@example("0000-01-01")
@example("2024-03-31 24:00")
@example("2024-03-31T24:00:00")
@example("2024-03-31 23:60")
@example("2024-03-31 23:59:60")
@example(" 0000-01-01 10:00")
def test_sql_and_python_read_dates_alike(text: str) -> None:
    con = duckdb.connect()
    row = con.execute(f"SELECT {sql_time('$1')}", [text]).fetchone()
    con.close()
    assert row is not None
    assert row[0] == parse_time(text)


def test_help_lint_and_assess_do_not_load_the_data_engine() -> None:
    for argv in (["--help"], ["lint", "--help"], ["assess", "--help"], ["lint"]):
        code = (
            "import sys\nfrom svcdiag.cli import main\n"
            f"sys.argv = ['svcdiag', *{argv!r}]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted({'duckdb', 'python_calamine', 'olefile'} & set(sys.modules)), "
            "file=sys.stderr)\n"
        )
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert done.stderr.strip().splitlines()[-1] == "[]", argv


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ("(1, 10), (-2, 10)", "row 2: column 'complaints': '-2' is negative"),
        ("(1, 10), (NULL, 10)", "row 2: column 'complaints' is empty"),
        ("(1, 10), (12, 10)", "row 2: 12 events ('complaints') but only 10 cases"),
    ],
)
def test_typed_parquet_counts_keep_the_messages(tmp_path: Path, values: str, message: str) -> None:
    path = tmp_path / "typed.parquet"
    con = duckdb.connect()
    con.execute(
        f"COPY (SELECT 'A' || row_number() OVER () AS agent, CAST(e AS INTEGER) AS complaints, "
        f"CAST(n AS BIGINT) AS contacts FROM (VALUES {values}) t(e, n)) TO '{path}' "
        "(FORMAT parquet)"
    )
    con.close()
    result = run("variation", path, "--unit", "agent", "--events", "complaints", "--cases",
                 "contacts")  # fmt: skip
    assert result.exit_code == 1, result.output
    assert message in result.stderr


def test_typed_parquet_scores_and_outcomes(tmp_path: Path) -> None:
    path = tmp_path / "typed.parquet"
    con = duckdb.connect()
    con.execute(
        "COPY (SELECT * FROM (VALUES ('A', 9::TINYINT, true), ('A', 3::TINYINT, false), "
        "('B', 10::TINYINT, false), ('B', 7::TINYINT, true)) t(agent, score, bad)) "
        f"TO '{path}' (FORMAT parquet)"
    )
    con.close()
    assert result_json("nps", path, "--column", "score")["nps"] == 25.0
    units = result_json("variation", path, "--unit", "agent", "--outcome", "bad")["units"]
    assert [(u["unit"], u["events"], u["cases"]) for u in units] == [("A", 1, 2), ("B", 1, 2)]  # type: ignore[attr-defined]


def test_a_blank_row_with_an_extra_delimiter_is_still_blank(make_csv: MakeCsv) -> None:
    # DuckDB reads "  ,," under two columns as two fields ("  ", ""), Python's
    # reader as three blank ones: a blank row, skipped as it always was.
    data = result_json("nps", make_csv("g,score\nA,9\n  ,,\nB,3\n"), "--by", "g")
    assert (data["n"], data["promoters"], data["detractors"]) == (2, 1, 1)
    only_blank = run("nps", make_csv("g\tscore\n  \t\t\n\t\n", "blank.tsv"), "--column", "score")
    assert only_blank.exit_code == 1
    assert ":2: the file has a header but no data rows" in only_blank.stderr


def test_blank_rows_are_skipped_and_rows_with_values_elsewhere_are_not(make_csv: MakeCsv) -> None:
    # Excel ends many exports with rows of bare delimiters: skipped, not counted.
    path = make_csv("id,g,score\n1,A,9\n,,\n2,B,x\n,,\n,,\n")
    data = result_json("nps", path, "--column", "score", "--skip-invalid")
    assert (data["n"], data["skipped"]) == (1, 1)
    # A row whose answer and group are empty but whose id is not is a row with
    # no answer: an error naming it, or skipped and counted.
    missing = make_csv("id,g,score\n1,A,9\n2,,\n", "missing.csv")
    result = run("nps", missing, "--column", "score", "--by", "g")
    assert result.exit_code == 1
    assert f"{missing}:3: column 'score' is empty" in result.stderr
    skipped = result_json("nps", missing, "--column", "score", "--by", "g", "--skip-invalid")
    assert (skipped["n"], skipped["skipped"]) == (1, 1)
    units = make_csv("agent,e,n\nA,1,10\nB,2,10\n,,\n", "units.csv")
    assert len(result_json("variation", units, "--unit", "agent", "--events", "e", "--cases",
                           "n")["units"]) == 2  # type: ignore[arg-type]  # fmt: skip


def test_an_interrupted_query_is_an_interruption() -> None:
    from svcdiag.stats.engine import Engine, open_engine

    class Interrupting:
        def execute(self, query: str) -> None:
            raise duckdb.InterruptException("INTERRUPT Error: Interrupted!")

    with open_engine() as engine:
        stub = Engine(Interrupting(), engine.folder)  # type: ignore[arg-type]
        with pytest.raises(KeyboardInterrupt):
            stub.rows("SELECT 1")


@pytest.mark.parametrize("suffix", [".xls", ".xlsx", ".ods", ".parquet"])
def test_text_named_as_a_workbook_or_parquet_is_read_as_csv(make_csv: MakeCsv, suffix: str) -> None:
    # Web applications export CSV as ".xls": the content decides, not the name.
    path = make_csv("branch,score\nA,9\nB,3\nB,10\n", "export" + suffix)
    data = result_json("nps", path, "--column", "score", "--by", "branch")
    assert (data["n"], data["promoters"], data["detractors"]) == (3, 2, 1)
    latin = make_csv("", "latin" + suffix)
    latin.write_bytes("score,café\n9,é\n".encode("latin-1"))
    result = run("nps", latin, "--column", "score")
    assert result.exit_code == 2 and "not UTF-8" in result.stderr  # named as CSV is, by byte


def test_a_web_page_named_as_a_workbook_is_named_as_one(make_csv: MakeCsv) -> None:
    path = make_csv("\ufeff <html><table><tr><td>score</td></tr></table></html>\n", "report.xls")
    result = run("nps", path)
    assert result.exit_code == 2
    assert f"{path}: named .xls but holds markup (a web page or XML), not a workbook" in (
        result.stderr
    )


def test_binary_junk_named_as_parquet_or_workbook_keeps_its_format_error(tmp_path: Path) -> None:
    junk = b"\x01\x02garbage\x00\x00"
    (tmp_path / "junk.parquet").write_bytes(junk)
    (tmp_path / "junk.xlsx").write_bytes(junk)
    (tmp_path / "zip.parquet").write_bytes(b"PK\x03\x04garbage")
    for name in ("junk.parquet", "zip.parquet"):
        result = run("nps", tmp_path / name)
        assert "not a Parquet file (it does not start with PAR1)" in result.stderr, name
    result = run("nps", tmp_path / "junk.xlsx")
    assert "cannot read this workbook" in result.stderr


def test_a_cut_short_parquet_file_is_named_without_the_engine_s_path(tmp_path: Path) -> None:
    files = write_all(tmp_path)
    cut = tmp_path / "cut.parquet"
    cut.write_bytes(files["parquet"].read_bytes()[:-40])
    result = run("nps", cut, "--column", "score")
    assert result.exit_code == 2
    assert f"error: {cut}: cannot read this Parquet file: " in result.stderr
    assert "hint: the file may be cut short or damaged: export it again" in result.stderr
    assert result.stderr.count(str(cut)) == 1  # the path as given, once


def test_a_workbook_boolean_reads_as_the_sheet_shows_it(tmp_path: Path) -> None:
    """A boolean cell is the group ``TRUE``/``FALSE`` and, as an outcome, 1 or 0."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(("escalated", "score", "complained"))
    for escalated, score, complained in [(True, 9, True), (False, 3, False), (True, 10, False)]:
        sheet.append((escalated, score, complained))
    path = tmp_path / "flags.xlsx"
    book.save(path)
    nps = result_json("nps", path, "--by", "escalated")
    groups = nps["groups"]
    assert isinstance(groups, list)
    assert sorted((g["group"], g["n"]) for g in groups) == [("FALSE", 1), ("TRUE", 2)]
    variation = result_json("variation", path, "--unit", "escalated", "--outcome", "complained")
    units = variation["units"]
    assert isinstance(units, list)
    counts = {u["unit"]: (u["events"], u["cases"]) for u in units}
    assert counts == {"TRUE": (1, 2), "FALSE": (0, 1)}


def test_a_workbook_whose_list_of_sheets_inflates_beyond_reason_is_refused(
    tmp_path: Path,
) -> None:
    """A zip bomb in ``xl/workbook.xml`` was read whole: gigabytes, then a traceback."""
    import zipfile

    from svcdiag.stats.xlsx_errors import MAX_LISTING

    plain = tmp_path / "plain.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(("score",))
    sheet.append((9,))
    book.save(plain)
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/workbook.xml":
                data = data.replace(b"</workbook>", b" " * (MAX_LISTING + 1) + b"</workbook>")
            out.writestr(item, data, zipfile.ZIP_DEFLATED)
    assert bomb.stat().st_size < 200_000
    result = run("nps", bomb, "-c", "score")
    assert result.exit_code == 2, result.output
    assert "xl/workbook.xml inflates to more than 16,777,216 bytes" in result.stderr
    assert "Traceback" not in result.output
    assert result_json("nps", plain, "-c", "score")["n"] == 1

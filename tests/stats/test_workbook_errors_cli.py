"""Through the commands: an error cell of an .ods or .xlsb sheet is its error, never a 0."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner, Result

from svcdiag.cli import app
from svcdiag.stats.workbook_errors import error_cells
from tests.stats.workbooks import (
    ods_empty,
    ods_error,
    ods_number,
    ods_row,
    ods_table,
    ods_text,
    write_ods,
    write_xlsb,
    xlsb_sheet,
)
from tests.stats.xls_writer import write_xls, xls_sheet


def run(*args: object) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "80", "NO_COLOR": "1"})


def units_of(result: Result) -> list[tuple[str, int, int]]:
    assert result.exit_code == 0, result.output
    units = json.loads(result.stdout)["units"]
    return [(u["unit"], u["events"], u["cases"]) for u in units]


def cases_ods(path: Path) -> Path:
    """One row per case from B3, as LibreOffice saves a sheet whose formulas failed."""
    lead = ods_empty()
    return write_ods(
        path,
        ods_table("Notes", ods_row(ods_text("not data"))),
        ods_table(
            "Cases",
            ods_row(ods_empty(4), repeat=2),
            ods_row(lead, ods_text("agent"), ods_text("resolved"), ods_text("score")),
            ods_row(lead, ods_text("A"), ods_number(1), ods_number(9), repeat=2),
            ods_row(lead, ods_error("#N/A", as_number=False), ods_number(0), ods_number(3)),
            ods_row(lead, ods_text("B"), ods_error("#DIV/0!"), ods_error("#DIV/0!")),
            ods_row(lead, ods_text("B"), ods_number(0), ods_number(10)),
        ),
    )


def test_ods_error_in_an_outcome_or_score_column_is_an_invalid_value(tmp_path: Path) -> None:
    path = cases_ods(tmp_path / "cases.ods")
    outcome = run("variation", path, "--sheet", "Cases", "--unit", "agent", "--outcome", "resolved")
    assert outcome.exit_code == 1
    assert (
        f"error: {path}: sheet 'Cases', row 7: column 'resolved': '#DIV/0!' is not an outcome"
        in outcome.stderr
    )
    score = run("nps", path, "--sheet", "Cases", "--column", "score")
    assert score.exit_code == 1
    assert "sheet 'Cases', row 7: column 'score': '#DIV/0!' is not an integer from 0 to 10" in (
        score.stderr
    )
    skipped = run(
        "nps", path, "--sheet", "Cases", "--column", "score", "--skip-invalid", "-f", "json"
    )
    assert skipped.exit_code == 0, skipped.output
    data = json.loads(skipped.stdout)
    # Read as python-calamine reads it, the #DIV/0! would be a sixth answer, a 0.
    assert (data["n"], data["promoters"], data["detractors"]) == (4, 3, 1)
    assert "skipped 1 of 5 rows of sheet 'Cases' with invalid values (row 7: '#DIV/0!')" in (
        skipped.stderr
    )


def test_ods_error_in_a_unit_column_is_a_unit_name(tmp_path: Path) -> None:
    path = tmp_path / "units.ods"
    write_ods(
        path,
        ods_table(
            "Units",
            ods_row(ods_text("agent"), ods_text("resolved")),
            ods_row(ods_text("A"), ods_number(1), repeat=3),
            ods_row(ods_error("#N/A", as_number=False), ods_number(0)),
            ods_row(ods_error("#N/A", as_number=True), ods_number(1)),
            ods_row(ods_text("B"), ods_number(0), repeat=2),
        ),
    )
    result = run("variation", path, "--unit", "agent", "--outcome", "resolved", "-f", "json")
    assert units_of(result) == [("A", 3, 3), ("#N/A", 1, 2), ("B", 0, 2)]


def test_ods_without_errors_reads_as_before(tmp_path: Path) -> None:
    rows = [("A", 1, 10), ("A", 2, 20), ("B", 0, 15)]
    path = write_ods(
        tmp_path / "clean.ods",
        ods_table(
            "S",
            ods_row(ods_text("agent"), ods_text("complaints"), ods_text("contacts")),
            *(ods_row(ods_text(a), ods_number(e), ods_number(n)) for a, e, n in rows),
        ),
    )
    as_csv = tmp_path / "clean.csv"
    as_csv.write_text("agent,complaints,contacts\n" + "".join(f"{a},{e},{n}\n" for a, e, n in rows))
    assert error_cells(path, "S") == {}
    args = ("--unit", "agent", "--events", "complaints", "--cases", "contacts", "-f", "json")
    from_ods, from_csv = run("variation", path, *args), run("variation", as_csv, *args)
    assert units_of(from_ods) == [("A", 3, 30), ("B", 0, 15)]
    assert json.loads(from_ods.stdout) == json.loads(from_csv.stdout)


def test_xlsb_errors_in_counts_units_and_a_row_python_calamine_leaves_out(tmp_path: Path) -> None:
    header = (0, [(0, "agent"), (1, "complaints"), (2, "contacts")])
    counts = [(1, [(0, "A"), (1, 1.0), (2, 10.0)]), (2, [(0, "#N/A"), (1, 2.0), (2, 10.0)])]
    path = write_xlsb(tmp_path / "counts.xlsb", [("Counts", xlsb_sheet([header, *counts]))])
    args = ("--unit", "agent", "--events", "complaints", "--cases", "contacts", "-f", "json")
    assert units_of(run("variation", path, *args)) == [("A", 1, 10), ("#N/A", 2, 10)]
    # A last row whose count is a formula's #DIV/0!: python-calamine drops the
    # cell, and with it the row; it is read all the same.
    failed = (3, [(1, "#DIV/0!")])
    for formulas in (False, True):
        sheet = xlsb_sheet([header, *counts, failed], formula_errors=formulas)
        broken = write_xlsb(tmp_path / f"broken{formulas}.xlsb", [("Counts", sheet)])
        result = run("variation", broken, *args)
        assert result.exit_code == 1
        assert (
            f"error: {broken}: sheet 'Counts', row 4: column 'complaints': '#DIV/0!' "
            "is not a whole number" in result.stderr
        )


def test_xlsb_error_in_a_score_column(tmp_path: Path) -> None:
    rows = [(0, [(0, "score")]), (1, [(0, 9.0)]), (2, [(0, "#VALUE!")])]
    path = write_xlsb(tmp_path / "scores.xlsb", [("S", xlsb_sheet(rows, formula_errors=True))])
    result = run("nps", path, "--column", "score")
    assert result.exit_code == 1
    assert "sheet 'S', row 3: column 'score': '#VALUE!' is not an integer from 0 to 10" in (
        result.stderr
    )


def test_a_broken_compound_file_or_a_missing_one_has_no_error_cells(tmp_path: Path) -> None:
    ole = tmp_path / "old.xls"
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    assert error_cells(ole, "Sheet1") == {}
    missing = tmp_path / "missing.ods"
    assert error_cells(missing, "Sheet1") == {}


def test_only_workbooks_load_the_error_cell_readers(tmp_path: Path) -> None:
    data = tmp_path / "data.csv"
    data.write_text("score\n9\n")
    book = cases_ods(tmp_path / "cases.ods")
    readers = ["svcdiag.stats.workbook_errors", "svcdiag.stats.ods_errors"]
    readers += ["svcdiag.stats.xlsb_errors", "svcdiag.stats.xlsx_errors"]
    readers += ["svcdiag.stats.xls_errors", "olefile"]
    old = write_xls(
        tmp_path / "old.xls", [("S", xls_sheet([(0, [(0, "score")]), (1, [(0, 9.0)])]))]
    )
    for argv, loaded in (
        (["--help"], []),
        (["lint"], []),
        (["assess", "--help"], []),
        (["nps", str(data)], []),
        (["nps", str(book), "--sheet", "Cases"], readers[:2]),
        (["nps", str(old)], [readers[0], *readers[-2:]]),
    ):
        code = (
            "import sys\nfrom svcdiag.cli import main\n"
            f"sys.argv = ['svcdiag', *{argv!r}]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            f"print(sorted(set({readers!r}) & set(sys.modules)), file=sys.stderr)\n"
        )
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert done.stderr.strip().splitlines()[-1] == str(sorted(loaded)), argv


def test_an_ods_sheet_longer_than_a_workbook_is_refused_not_cut_short(tmp_path: Path) -> None:
    """python-calamine reads 1,048,576 rows at most: the detractors below are not dropped."""
    path = write_ods(
        tmp_path / "long.ods",
        ods_table(
            "Answers",
            ods_row(ods_text("score")),
            ods_row(ods_number(10), repeat=1_048_575),
            ods_row(ods_number(0), repeat=5),
        ),
    )
    result = run("nps", path, "-f", "json")
    assert result.exit_code == 2, result.output
    assert "sheet 'Answers' has rows below row 1,048,576" in " ".join(result.stderr.split())
    assert result.stdout == ""

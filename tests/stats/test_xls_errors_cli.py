"""Through the commands: an error cell of an .xls sheet is its error, as in the .xlsx."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from svcdiag.cli import app
from tests.stats.xls_writer import write_xls, xls_sheet

FIXTURES = Path(__file__).parent / "fixtures"


def run(*args: object) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "80", "NO_COLOR": "1"})


def saved(tmp_path: Path, fixture: str) -> Path:
    """A saved workbook, copied under a name that does not say which program wrote it."""
    path = tmp_path / f"scores{Path(fixture).suffix}"
    shutil.copyfile(FIXTURES / fixture, path)
    return path


XLSX = "libreoffice-7.4-errors.xlsx"
#: The same sheets saved as BIFF8 (Excel 97-2003) and as BIFF5 (Excel 5.0/95).
XLS = ["libreoffice-7.4-errors.xls", "gnumeric-1.12-biff5-errors.xls"]


@pytest.mark.parametrize("xls", XLS)
def test_a_div0_score_gives_the_message_the_xlsx_gives(tmp_path: Path, xls: str) -> None:
    messages = {}
    for fixture in (xls, XLSX):
        path = saved(tmp_path, fixture)
        result = run("nps", path, "--sheet", "Scores", "--column", "score")
        assert result.exit_code == 1, result.output
        messages[fixture] = result.stderr.replace(str(path), "FILE")
    assert messages[xls] == messages[XLSX]
    assert (
        "error: FILE: sheet 'Scores', row 5: column 'score': '#DIV/0!' "
        "is not an integer from 0 to 10" in messages[xls]
    )


@pytest.mark.parametrize("xls", XLS)
def test_skip_invalid_counts_the_error_cell(tmp_path: Path, xls: str) -> None:
    outputs = {}
    for fixture in (xls, XLSX):
        path = saved(tmp_path, fixture)
        result = run(
            "nps", path, "--sheet", "Scores", "--column", "score", "--skip-invalid", "-f", "json"
        )
        assert result.exit_code == 0, result.output
        assert (
            "skipped 1 of 6 rows of sheet 'Scores' with invalid values (row 5: '#DIV/0!')"
            in result.stderr
        )
        outputs[fixture] = json.loads(result.stdout)
    assert outputs[xls] == outputs[XLSX]
    data = outputs[xls]
    # 9, 10, 3, 10, 7: three promoters, one passive, one detractor.
    assert (data["n"], data["promoters"], data["passives"], data["detractors"]) == (5, 3, 1, 1)
    assert data["skipped"] == 1
    assert data["nps"] == 40.0


def test_an_error_in_a_unit_column_is_a_unit_name(tmp_path: Path) -> None:
    header = (0, [(0, "agent"), (1, "complaints"), (2, "contacts")])
    rows = [(1, [(0, "A"), (1, 1.0), (2, 10.0)]), (2, [(0, "#N/A"), (1, 2.0), (2, 10.0)])]
    path = write_xls(tmp_path / "counts.xls", [("Counts", xls_sheet([header, *rows]))])
    args = ("--unit", "agent", "--events", "complaints", "--cases", "contacts", "-f", "json")
    result = run("variation", path, *args)
    assert result.exit_code == 0, result.output
    units = [(u["unit"], u["events"], u["cases"]) for u in json.loads(result.stdout)["units"]]
    assert units == [("A", 1, 10), ("#N/A", 2, 10)]
    failed = (3, [(0, "B"), (1, "#DIV/0!"), (2, 5.0)])
    broken = write_xls(
        tmp_path / "broken.xls",
        [("Counts", xls_sheet([header, *rows, failed], formula_errors=True))],
    )
    result = run("variation", broken, *args)
    assert result.exit_code == 1
    assert (
        f"error: {broken}: sheet 'Counts', row 4: column 'complaints': '#DIV/0!' "
        "is not a whole number" in result.stderr
    )


def test_an_encrypted_xls_is_refused_with_a_message(tmp_path: Path) -> None:
    path = tmp_path / "locked.xls"
    shutil.copyfile(FIXTURES / "libreoffice-7.4-encrypted.xls", path)
    result = run("nps", path, "--sheet", "Scores", "--column", "score")
    assert result.exit_code == 2
    assert f"error: {path}: cannot read this workbook: Workbook is password protected" in (
        result.stderr
    )
    assert "hint: open it in its spreadsheet program, remove the password" in result.stderr
    assert "Traceback" not in result.output


def test_a_cut_short_xls_is_refused_with_a_message_not_a_panic(tmp_path: Path) -> None:
    # python-calamine panics (a BaseException, not an Exception) on this
    # workbook cut short inside its Workbook stream.
    path = tmp_path / "cut.xls"
    path.write_bytes((FIXTURES / "libreoffice-7.4-errors.xls").read_bytes()[:7500])
    result = run("nps", path, "--sheet", "Scores", "--column", "score")
    assert result.exit_code == 2, result.output
    assert f"error: {path}: cannot read this workbook: it is damaged or cut short" in (
        result.stderr
    )
    assert "hint: save it again as .xlsx" in result.stderr
    assert "Traceback" not in result.output

"""Through the commands, what only BIFF5 .xls files hold: code pages, 16-bit DIMENSIONS.

The error cells of the saved BIFF5 workbook are checked against the .xlsx
in ``test_xls_errors_cli.py``, beside the BIFF8 one.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

from typer.testing import CliRunner, Result

from svcdiag.cli import app
from tests.stats.xls_writer import BIFF5, bof, record, write_xls, xls_sheet

FIXTURES = Path(__file__).parent / "fixtures"


def run(*args: object) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "80", "NO_COLOR": "1"})


def test_a_sheet_named_in_windows_1252_is_chosen_by_that_name(tmp_path: Path) -> None:
    name = "Coût € – Équipe"  # the euro sign and the dash are not Latin-1
    rows = [(0, [(0, "agent"), (1, "score")]), (1, [(0, "A"), (1, 9.0)])]
    rows += [(2, [(0, "B"), (1, "#DIV/0!")])]
    path = write_xls(
        tmp_path / "team.xls",
        [
            ("Notes", xls_sheet([(0, [(0, "about")])], version=BIFF5)),
            (name, xls_sheet(rows, formula_errors=True, version=BIFF5)),
        ],
        version=BIFF5,
        stream_name="Book",
        code_page=1252,
    )
    result = run("nps", path, "--sheet", name, "--column", "score")
    assert result.exit_code == 1, result.output
    assert (
        f"error: {path}: sheet '{name}', row 3: column 'score': '#DIV/0!' "
        "is not an integer from 0 to 10" in result.stderr
    )


def test_an_error_past_row_16384_is_named_by_its_row(tmp_path: Path) -> None:
    # Excel 95 showed 16,384 rows; other writers of BIFF5 write up to 65,536.
    rows = [(0, [(0, "agent"), (1, "score")])]
    rows += [(r, [(0, "A"), (1, float(r % 11))]) for r in range(1, 20_000)]
    rows[17_000] = (17_000, [(0, "B"), (1, "#N/A")])
    path = write_xls(
        tmp_path / "long.xls",
        [("Scores", xls_sheet(rows, formula_errors=True, version=BIFF5))],
        version=BIFF5,
        stream_name="Book",
        code_page=1252,
    )
    result = run("nps", path, "--column", "score", "--skip-invalid", "-f", "json")
    assert result.exit_code == 0, result.output
    assert "(row 17001: '#N/A')" in result.stderr
    assert json.loads(result.stdout)["n"] == 19_998


def test_a_code_page_python_calamine_does_not_know_is_refused_with_a_message(
    tmp_path: Path,
) -> None:
    # Excel 5 for the Macintosh writes code page 0x8000 (Mac Roman) in its files.
    sheets = [("Scores", xls_sheet([(0, [(0, "score")]), (1, [(0, 9.0)])], version=BIFF5))]
    path = write_xls(
        tmp_path / "mac.xls", sheets, version=BIFF5, stream_name="Book", code_page=0x8000
    )
    result = run("nps", path, "--column", "score")
    assert result.exit_code == 2, result.output
    assert f"error: {path}: cannot read this workbook: " in result.stderr
    assert "hint: save it again as .xlsx" in result.stderr
    assert "Traceback" not in result.output


def _claiming(first_row: int, end_row: int, first_column: int, end_column: int) -> bytes:
    """A BIFF5 sheet whose 10-byte DIMENSIONS claims what it is given."""
    cells = xls_sheet([(0, [(0, "score")]), (1, [(0, 9.0)])], version=BIFF5)
    at = cells.index(b"\x00\x02\x0a\x00") + 4
    claim = struct.pack("<HHHHH", first_row, end_row, first_column, end_column, 0)
    return cells[:at] + claim + cells[at + 10 :]


def test_a_biff5_sheet_claiming_65535_columns_is_refused_before_it_is_read(
    tmp_path: Path,
) -> None:
    # python-calamine would set aside 65,535 x 65,535 cells: the process would abort.
    path = write_xls(
        tmp_path / "damaged.xls",
        [("Scores", _claiming(0, 65_535, 0, 65_535))],
        version=BIFF5,
        stream_name="Book",
        code_page=1252,
    )
    result = run("nps", path, "--sheet", "Scores", "--column", "score")
    assert result.exit_code == 2, result.output
    assert (
        f"error: {path}: cannot read this workbook: it is damaged (a sheet claims "
        "65,535 columns, and an .xls holds at most 256)"
    ) in " ".join(result.stderr.split())
    wrapped = write_xls(
        tmp_path / "wrapped.xls",
        [("Scores", _claiming(9, 2, 0, 1))],  # the first row past the last
        version=BIFF5,
        stream_name="Book",
    )
    result = run("nps", wrapped, "--column", "score")
    assert result.exit_code == 2, result.output
    assert "it is damaged (a sheet's first row, 10, comes after its last, 2)" in " ".join(
        result.stderr.split()
    )


def test_an_empty_sheet_as_php_writers_size_it_is_read(tmp_path: Path) -> None:
    # Spreadsheet_Excel_Writer gives an empty sheet first column 257, one past the last 1.
    empty = bof(0x0010, BIFF5) + record(0x0200, struct.pack("<HHHHH", 1, 1, 257, 1, 0))
    path = write_xls(
        tmp_path / "php.xls",
        [("Scores", _claiming(1, 2, 0, 1)), ("Sheet2", empty + record(0x000A))],
        version=BIFF5,
        stream_name="Book",
        code_page=1252,
    )
    result = run("nps", path, "--sheet", "Scores", "--column", "score", "-f", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["n"] == 1

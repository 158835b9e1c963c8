"""A damaged .xls claiming more cells than the format holds is refused before it is read.

python-calamine sets aside room for the cells a sheet's DIMENSIONS record
claims; a claim of billions of rows aborts the whole process (no message, no
exception). These files are made with that claim, so each test would end the
test run if the claim reached python-calamine.
"""

from __future__ import annotations

import struct
from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st
from typer.testing import CliRunner

from svcdiag.cli import app
from svcdiag.stats.xls_limits import MAX_COLUMNS, MAX_ROWS, oversized, oversized_in
from tests.stats.xls_writer import BIFF5, bof, record, workbook_stream, write_xls, xls_sheet

FIXTURE = Path(__file__).parent / "fixtures" / "libreoffice-7.4-errors.xls"
_DIMENSIONS_HEADER = b"\x00\x02\x0e\x00"


def _claiming(rows: int, columns: int) -> bytes:
    """A sheet substream whose DIMENSIONS claims ``rows`` rows and ``columns`` columns."""
    sheet = xls_sheet([(0, [(0, "score")]), (1, [(0, 9.0)])])
    at = sheet.index(_DIMENSIONS_HEADER) + 4
    return sheet[:at] + struct.pack("<IIHHH", 0, rows, 0, columns, 0) + sheet[at + 14 :]


def test_a_file_claiming_billions_of_rows_is_refused_with_its_claim(tmp_path: Path) -> None:
    data = bytearray(FIXTURE.read_bytes())
    at = data.index(_DIMENSIONS_HEADER) + 4 + 4  # the row past the last
    data[at : at + 4] = struct.pack("<I", 3_489_660_941)
    path = tmp_path / "damaged.xls"
    path.write_bytes(bytes(data))
    result = CliRunner().invoke(app, ["nps", str(path), "--sheet", "Scores", "--column", "score"])
    assert result.exit_code == 2, result.output
    assert (
        f"error: {path}: cannot read this workbook: it is damaged (a sheet claims "
        "3,489,660,941 rows, and an .xls holds at most 65,536)"
    ) in " ".join(result.stderr.split())
    assert "hint: save it again from its spreadsheet program" in result.stderr


def test_survey_import_refuses_the_same_file(tmp_path: Path) -> None:
    path = write_xls(tmp_path / "responses.xls", [("Sheet1", _claiming(1 << 31, 3))])
    folder = str(tmp_path / "eng")
    made = CliRunner().invoke(app, ["engagement", "new", folder, "--organisation", "Acme"])
    assert made.exit_code == 0, made.output
    result = CliRunner().invoke(app, ["survey", "import", folder, str(path)])
    assert result.exit_code == 2, result.output
    assert "it is damaged (a sheet claims 2,147,483,648 rows" in " ".join(result.stderr.split())


def test_the_saved_workbook_and_one_of_full_size_are_read() -> None:
    assert oversized(FIXTURE) is None
    full = workbook_stream([("S", _claiming(MAX_ROWS, MAX_COLUMNS))])
    assert oversized_in(full) is None


@given(
    st.integers(0, 2**32 - 1),
    st.integers(0, 2**32 - 1),
    st.integers(0, 2**16 - 1),
    st.integers(0, 2**16 - 1),
)
def test_a_claim_is_refused_exactly_when_the_format_cannot_hold_it(
    first_row: int, end_row: int, first_column: int, end_column: int
) -> None:
    dimensions = struct.pack("<IIHHH", first_row, end_row, first_column, end_column, 0)
    stream = workbook_stream([("S", xls_sheet([]) + record(0x0200, dimensions))])
    impossible = (
        end_row > MAX_ROWS
        or first_row > end_row
        or end_column > MAX_COLUMNS
        or first_column > end_column
    )
    assert (oversized_in(stream) is not None) == impossible


def test_a_file_that_is_no_compound_file_is_left_to_the_reader(tmp_path: Path) -> None:
    path = tmp_path / "text.xls"
    path.write_text("not a workbook")
    assert oversized(path) is None


def test_an_encrypted_workbook_is_left_to_the_reader_which_names_it() -> None:
    # past FILEPASS the records are ciphertext: a DIMENSIONS there means nothing
    assert oversized(FIXTURE.with_name("libreoffice-7.4-encrypted.xls")) is None


def _calamine_cells(first_row: int, end_row: int, first_column: int, end_column: int) -> int:
    """The cells python-calamine sets aside for a DIMENSIONS claim, worked as it works them.

    It takes the last row and column (one less than each end) when both ends
    are at least 1, else a single cell, then counts last - first + 1 of each
    in unsigned 32-bit arithmetic, which wraps.
    """
    if end_row < 1 or end_column < 1:
        return 1
    rows = (end_row - 1 - first_row + 1) & 0xFFFF_FFFF
    columns = (end_column - 1 - first_column + 1) & 0xFFFF_FFFF
    return rows * columns


def _biff5_stream(first_row: int, end_row: int, first_column: int, end_column: int) -> bytes:
    dimensions = struct.pack("<HHHHH", first_row, end_row, first_column, end_column, 0)
    sheet = bof(0x0010, BIFF5) + record(0x0200, dimensions) + record(0x000A)
    return workbook_stream([("S", sheet)], version=BIFF5, code_page=1252)


@given(
    st.integers(0, 2**16 - 1),
    st.integers(0, 2**16 - 1),
    st.integers(0, 2**16 - 1),
    st.integers(0, 2**16 - 1),
)
@example(0, 65_535, 0, 256)  # the most a sheet holds: read
@example(0, 65_535, 0, 65_535)  # four billion cells: refused
@example(1, 1, 257, 1)  # an empty sheet as PHP's writers size it: no cells, read
@example(9, 2, 0, 1)  # the first row past the last: wraps to four billion rows
@example(0, 0, 0, 65_535)  # an end of 0: one cell
def test_a_biff5_claim_is_refused_exactly_when_it_is_beyond_the_format(
    first_row: int, end_row: int, first_column: int, end_column: int
) -> None:
    cells = _calamine_cells(first_row, end_row, first_column, end_column)
    no_cells = end_row == 0 or end_column == 0 or first_row == end_row
    no_cells = no_cells or first_column == end_column
    beyond = first_row > end_row or first_column > end_column or end_column > MAX_COLUMNS
    claim = oversized_in(_biff5_stream(first_row, end_row, first_column, end_column))
    assert (claim is not None) == (beyond and not no_cells)
    if claim is None:
        assert cells <= MAX_ROWS * MAX_COLUMNS  # what python-calamine sets aside stays bounded


def test_a_first_row_or_column_past_the_last_is_named_as_such() -> None:
    dimensions = record(0x0200, struct.pack("<IIHHH", 9, 3, 0, 1, 0))
    rows = workbook_stream([("S", xls_sheet([]) + dimensions)])
    assert oversized_in(rows) == "a sheet's first row, 10, comes after its last, 3"
    columns = _biff5_stream(0, 2, 300, 1)
    assert oversized_in(columns) == "a sheet's first column, 301, comes after its last, 1"


def test_the_saved_biff5_workbook_is_read() -> None:
    assert oversized(FIXTURE.with_name("gnumeric-1.12-biff5-errors.xls")) is None

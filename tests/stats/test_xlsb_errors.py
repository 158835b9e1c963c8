"""Error cells of an .xlsb sheet are read from its records, in the right sheet and place."""

from __future__ import annotations

import io
import struct
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import pytest
import python_calamine
from hypothesis import given, settings
from hypothesis import strategies as st

from svcdiag.stats import xlsb_errors
from svcdiag.stats.workbook_errors import error_cells
from tests.stats.workbooks import (
    XLSB_ERRORS,
    XlsbValue,
    record,
    write_xlsb,
    xlsb_sheet,
)

SCORES = [
    (2, [(1, "agent"), (2, "score")]),
    (3, [(1, "A"), (2, 9.0)]),
    (4, [(1, "#N/A"), (2, "#DIV/0!")]),
    (6, [(1, "B"), (2, "#VALUE!")]),
]


def calamine_rows(path: Path, sheet: str) -> list[list[Any]]:
    chosen = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet)
    return [list(r) for r in chosen.iter_rows()]


def test_python_calamine_reads_errors_as_empty_or_leaves_them_out(tmp_path: Path) -> None:
    constants = write_xlsb(tmp_path / "c.xlsb", [("S", xlsb_sheet(SCORES))])
    assert calamine_rows(constants, "S")[4:] == [["", ""], ["", ""], ["B", ""]]
    formulas = write_xlsb(tmp_path / "f.xlsb", [("S", xlsb_sheet(SCORES, formula_errors=True))])
    assert calamine_rows(formulas, "S")[4:] == [["", ""], ["", ""], ["B", ""]]
    for path in (constants, formulas):
        assert error_cells(path, "S") == {5: {1: "#N/A", 2: "#DIV/0!"}, 7: {2: "#VALUE!"}}


def test_every_error_code_and_the_named_sheet(tmp_path: Path) -> None:
    codes = list(XLSB_ERRORS)
    many = xlsb_sheet([(0, [(i, "x") for i in range(len(codes))]), (1, list(enumerate(codes)))])
    path = write_xlsb(
        tmp_path / "book.xlsb",
        [
            ("Clean", xlsb_sheet([(0, [(0, "a")])])),
            ("Errors", many),
            ("Équipe ☎", xlsb_sheet(SCORES)),
        ],
        targets=["worksheets/sheet3.bin", "worksheets/sheet1.bin", "worksheets/sheet2.bin"],
    )
    assert error_cells(path, "Clean") == {}
    assert error_cells(path, "Errors") == {2: dict(enumerate(codes))}
    assert error_cells(path, "Équipe ☎") == {5: {1: "#N/A", 2: "#DIV/0!"}, 7: {2: "#VALUE!"}}
    names = python_calamine.CalamineWorkbook.from_path(str(path)).sheet_names
    assert names == ["Clean", "Errors", "Équipe ☎"]
    assert error_cells(path, "Missing") == {}


def test_without_relations_a_single_sheet_is_still_found(tmp_path: Path) -> None:
    path = write_xlsb(tmp_path / "one.xlsb", [("S", xlsb_sheet(SCORES))])
    stripped = tmp_path / "stripped.xlsb"
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(stripped, "w") as new:
        for name in old.namelist():
            if name != "xl/_rels/workbook.bin.rels":
                new.writestr(name, old.read(name))
    assert error_cells(stripped, "S") == {5: {1: "#N/A", 2: "#DIV/0!"}, 7: {2: "#VALUE!"}}
    two = write_xlsb(tmp_path / "two.xlsb", [("S", xlsb_sheet(SCORES)), ("T", xlsb_sheet([]))])
    unsure = tmp_path / "unsure.xlsb"
    with zipfile.ZipFile(two) as old, zipfile.ZipFile(unsure, "w") as new:
        for name in old.namelist():
            if name != "xl/_rels/workbook.bin.rels":
                new.writestr(name, old.read(name))
    assert error_cells(unsure, "S") == {}  # rather none than another sheet's


def test_long_records_and_two_byte_types_are_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsb_errors, "_CHUNK", 7)  # records straddle every chunk
    cell_error = record(0x03, struct.pack("<II", 4, 0) + b"\x2a")
    stream = (
        record(0x81)  # two-byte type
        + record(0x00, struct.pack("<I", 9) + b"\x00" * 13)
        + record(
            0x06, struct.pack("<II", 0, 0) + struct.pack("<I", 300) + "é".encode("utf-16-le") * 300
        )
        + cell_error
        + record(0x3FFF, b"\xff" * 20_000)  # the largest type, a three-byte size
        + record(0x00, struct.pack("<I", 1_048_575) + b"\x00" * 13)
        + record(0x0B, struct.pack("<II", 16_383, 0) + b"\x07" + b"\x00" * 10)
        + record(0x92)
        + record(0x00, struct.pack("<I", 12))
        + cell_error  # after the end of the sheet data: not a cell
    )
    assert len(record(0x3FFF, b"\xff" * 20_000)) == 2 + 3 + 20_000
    assert xlsb_errors._read_errors(io.BytesIO(stream)) == {
        10: {4: "#N/A"},
        1_048_576: {16_383: "#DIV/0!"},
    }


@pytest.mark.parametrize(
    "stream",
    [
        record(0x00, struct.pack("<I", 0)) + record(0x03, struct.pack("<II", 1, 0) + b"\x2a")[:-3],
        record(0x00, struct.pack("<I", 0)) + b"\x83",  # a type cut short
        record(0x00, struct.pack("<I", 0)) + record(0x03, struct.pack("<II", 1, 0) + b"\x99"),
    ],
    ids=["cut-record", "cut-type", "unknown-code"],
)
def test_broken_streams_do_not_raise(stream: bytes) -> None:
    assert xlsb_errors._read_errors(io.BytesIO(stream)) == {}


def test_rows_are_counted_as_python_calamine_counts_them() -> None:
    error = record(0x03, struct.pack("<II", 1, 0) + b"\x2a")
    beyond = record(0x00, struct.pack("<I", 0x100001))
    assert xlsb_errors._read_errors(io.BytesIO(error + beyond + error)) == {1: {1: "#N/A"}}


def test_a_broken_workbook_part_gives_no_error_cells(tmp_path: Path) -> None:
    path = write_xlsb(tmp_path / "book.xlsb", [("S", xlsb_sheet(SCORES)), ("T", xlsb_sheet([]))])
    broken = tmp_path / "broken.xlsb"
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(broken, "w") as new:
        for name in old.namelist():
            data = old.read(name)
            new.writestr(name, data[:9] if name == "xl/workbook.bin" else data)
    assert error_cells(broken, "S") == {}
    junk = tmp_path / "junk.xlsb"
    junk.write_bytes(b"PK\x03\x04 not a zip")
    assert error_cells(junk, "S") == {}
    assert xlsb_errors.error_cells(junk, "S") == {}


_value = st.one_of(
    st.none(),
    st.sampled_from(list(XLSB_ERRORS)),
    st.integers(0, 99).map(float),
    st.text("abc", min_size=1, max_size=3),
)


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(st.integers(0, 30), st.dictionaries(st.integers(0, 6), _value), max_size=8),
    st.booleans(),
)
def test_error_cells_line_up_with_calamine(
    grid: dict[int, dict[int, XlsbValue]], formulas: bool
) -> None:
    rows = [(r, sorted(cells.items())) for r, cells in sorted(grid.items())]
    expected = {
        r + 1: {c: v for c, v in cells.items() if v in XLSB_ERRORS}
        for r, cells in grid.items()
        if any(v in XLSB_ERRORS for v in cells.values())
    }
    with tempfile.TemporaryDirectory() as folder:
        path = write_xlsb(
            Path(folder) / "b.xlsb", [("S", xlsb_sheet(rows, formula_errors=formulas))]
        )
        assert error_cells(path, "S") == expected
        sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("S")
        if sheet.height == 0:
            return
        first = sheet.start[1]
        cells = [list(r) for r in sheet.iter_rows()]
    for r, row in grid.items():
        for c, value in row.items():
            if value is None or value in XLSB_ERRORS:
                continue  # calamine reads errors as "" or leaves them out
            assert cells[r][c - first] == value  # our row r + 1 is calamine's row r

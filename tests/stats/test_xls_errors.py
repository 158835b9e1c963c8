"""Error cells of an .xls sheet are read from its BIFF8 records, in the right sheet and place."""

from __future__ import annotations

import re
import struct
import tempfile
from pathlib import Path

import pytest
import python_calamine
import xlrd
from hypothesis import example, given, settings
from hypothesis import strategies as st

from svcdiag.stats import xls_errors, xlsb_errors
from svcdiag.stats.workbook_errors import ErrorCells, error_cells
from tests.stats.xls_readers import SCORE_ERRORS, SCORES, calamine_rows, xlrd_errors
from tests.stats.xls_writer import (
    BIFF5,
    BIFF8,
    XLS_ERRORS,
    XlsValue,
    bof,
    record,
    workbook_stream,
    write_xls,
    xls_cell,
    xls_sheet,
)

FIXTURES = Path(__file__).parent / "fixtures"
SAVED_XLS = FIXTURES / "libreoffice-7.4-errors.xls"
SAVED_XLSX = FIXTURES / "libreoffice-7.4-errors.xlsx"
ENCRYPTED = FIXTURES / "libreoffice-7.4-encrypted.xls"
SHEETS = ["Notes", "Scores", "Équipe ☎", "Café"]


#: The same workbook saved as BIFF8 by LibreOffice and as BIFF5 by Gnumeric:
#: (file, xlrd's BIFF version and code page, its sheets, the name of its third).
SAVED_BOTH = [
    (SAVED_XLS, (80, 1200), SHEETS, "Équipe ☎"),
    (FIXTURES / "gnumeric-1.12-biff5-errors.xls", (50, 1252),
     ["Notes", "Scores", "Équipe €", "Café"], "Équipe €"),
]  # fmt: skip


@pytest.mark.parametrize("saved", SAVED_BOTH, ids=["biff8", "biff5"])
def test_a_saved_xls_reads_as_xlrd_reads_it(
    saved: tuple[Path, tuple[int, int], list[str], str],
) -> None:
    path, version, sheets, equipe = saved
    book = xlrd.open_workbook(str(path))
    assert (book.biff_version, book.codepage) == version
    assert python_calamine.CalamineWorkbook.from_path(str(path)).sheet_names == sheets
    assert book.sheet_names() == sheets
    seen = {sheet: error_cells(path, sheet) for sheet in sheets}
    assert seen == {sheet: xlrd_errors(path, sheet) for sheet in sheets}
    assert seen["Notes"] == {}
    assert seen["Scores"] == {5: {2: "#DIV/0!"}}
    assert seen["Café"] == {3: {2: "#DIV/0!"}}
    assert seen[equipe] == {
        2: {1: "#DIV/0!"},
        3: {1: "#N/A"},
        4: {1: "#NUM!"},
        5: {1: "#VALUE!"},
        6: {1: "#NAME?"},
        7: {1: "#REF!"},
        8: {1: "#VALUE!"},
        12: {3: "#N/A"},  # the literal error value
    }
    # The bug this module fixes: python-calamine reads each as an empty cell.
    assert calamine_rows(path, "Scores")[4] == ["B", ""]
    assert calamine_rows(path, equipe)[1] == ["div", "", "", ""]


def test_the_texts_are_those_of_the_same_workbook_saved_as_xlsx() -> None:
    for sheet in SHEETS:
        assert error_cells(SAVED_XLS, sheet) == error_cells(SAVED_XLSX, sheet), sheet
    assert xls_errors._SHOWN.items() <= xlsb_errors._SHOWN.items()


def test_every_code_as_a_constant_and_a_formula_in_the_named_sheet(tmp_path: Path) -> None:
    codes = list(XLS_ERRORS)
    every = [(0, [(i, "x") for i in range(len(codes))]), (1, list(enumerate(codes)))]
    for formulas in (False, True):
        path = write_xls(
            tmp_path / f"book{formulas}.xls",
            [
                ("Clean", xls_sheet([(0, [(0, "a"), (1, 3.0)])], formula_errors=formulas)),
                ("Errors", xls_sheet(every, formula_errors=formulas)),
                ("Équipe ☎", xls_sheet(SCORES, formula_errors=formulas)),
                ("Café", xls_sheet([(2, [(2, "#REF!")])], formula_errors=formulas)),
            ],
        )
        names = python_calamine.CalamineWorkbook.from_path(str(path)).sheet_names
        assert names == ["Clean", "Errors", "Équipe ☎", "Café"]
        assert error_cells(path, "Clean") == {}
        assert error_cells(path, "Errors") == {2: dict(enumerate(codes))}
        assert error_cells(path, "Équipe ☎") == SCORE_ERRORS
        assert error_cells(path, "Café") == {3: {2: "#REF!"}}
        assert error_cells(path, "Missing") == {}
        assert error_cells(path, "café") == {}  # names are matched exactly


def test_an_encrypted_workbook_gives_no_error_cells() -> None:
    with pytest.raises(python_calamine.PasswordError):
        python_calamine.CalamineWorkbook.from_path(str(ENCRYPTED))
    assert error_cells(ENCRYPTED, "Scores") == {}
    filepass = record(0x002F, struct.pack("<HHH", 0, 0, 0))
    stream = workbook_stream([("S", xls_sheet(SCORES))], globals_extra=filepass)
    assert xls_errors.read_errors(stream, "S") == {}


def test_an_excel_4_workbook_or_another_stream_gives_no_error_cells(tmp_path: Path) -> None:
    sheets = [("S", xls_sheet(SCORES))]
    excel4 = write_xls(tmp_path / "old.xls", sheets, version=0x0400, stream_name="Book")
    assert error_cells(excel4, "S") == {}
    book = write_xls(tmp_path / "book.xls", sheets, stream_name="Book")
    assert error_cells(book, "S") == SCORE_ERRORS  # BIFF8 in a stream of the older name
    other = write_xls(tmp_path / "doc.xls", sheets, stream_name="WordDocument")
    assert error_cells(other, "S") == {}


def test_a_sheet_without_the_shape_of_an_error_record_is_not_walked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def never(data: bytes, start: int) -> ErrorCells:
        raise AssertionError("walked")

    path = write_xls(tmp_path / "b.xls", [("Clean", xls_sheet([(0, [(0, 1.0), (1, "a")])]))])
    monkeypatch.setattr(xls_errors, "_walk_sheet", never)
    assert error_cells(path, "Clean") == {}


def test_charts_continues_and_what_follows_the_end_are_not_cells() -> None:
    div0 = xls_cell(1, 1, "#DIV/0!")
    chart = bof(0x0020) + xls_cell(7, 7, "#N/A", formula_error=True) + xls_cell(8, 8, "#REF!")
    chart += record(0x000A)
    sheet = (
        bof(0x0010)
        + xls_cell(0, 0, "#NAME?", formula_error=True)
        + record(0x003C, div0 * 3)  # a CONTINUE holding what looks like cells
        + chart  # an embedded chart: a substream of its own
        + div0
        + record(0x0205, struct.pack("<HHHBB", 2, 0, 15, 1, 0))  # a boolean TRUE
        + record(0x0205, struct.pack("<HHHBB", 2, 1, 15, 0x99, 1))  # no such error code
        + record(0x0006, struct.pack("<HHHd", 2, 2, 15, 2.0) + b"\0" * 8)  # the number 2
        + record(0x000A)
        + xls_cell(9, 0, "#NUM!")  # after the sheet's end
    )
    stream = workbook_stream([("S", sheet)])
    assert xls_errors.read_errors(stream, "S") == {1: {0: "#NAME?"}, 2: {1: "#DIV/0!"}}


def test_a_record_cut_short_keeps_what_was_found_before_it() -> None:
    sheet = xls_sheet(SCORES)
    stream = workbook_stream([("S", sheet)])
    cut = stream[: stream.index(xls_cell(5, 2, "#VALUE!")) + 6]
    assert xls_errors.read_errors(cut, "S") == {4: {0: "#N/A", 1: "#DIV/0!"}}
    assert xls_errors.read_errors(stream[:30], "S") == {}
    assert xls_errors.read_errors(b"", "S") == {}


#: The saved workbooks, BIFF8 and BIFF5, each with its sheets and the one damage is looked for in.
SAVED = [
    (SAVED_XLS, SHEETS, "Équipe ☎"),
    (FIXTURES / "gnumeric-1.12-biff5-errors.xls", ["Notes", "Scores", "Équipe €", "Café"],
     "Équipe €"),
]  # fmt: skip


@pytest.mark.parametrize("saved", SAVED, ids=["biff8", "biff5"])
@pytest.mark.parametrize("keep", [0, 7, 8, 511, 512, 1000, 2048, 4096, 6000, 7000, 8000])
def test_a_truncated_file_gives_what_it_can_without_raising(
    tmp_path: Path, keep: int, saved: tuple[Path, list[str], str]
) -> None:
    path, _, sheet = saved
    cut = tmp_path / "cut.xls"
    cut.write_bytes(path.read_bytes()[:keep])
    whole = error_cells(path, sheet)
    found = error_cells(cut, sheet)
    assert all(
        whole[row][column] == text for row, cells in found.items() for column, text in cells.items()
    )


@settings(max_examples=150, deadline=None)
@given(st.data(), st.sampled_from(SAVED))
def test_damaged_bytes_never_raise(data: st.DataObject, saved: tuple[Path, list[str], str]) -> None:
    path, sheets, _ = saved
    raw = bytearray(path.read_bytes())
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, len(raw) - 1))
        raw[at] = data.draw(st.integers(0, 255))
    with tempfile.TemporaryDirectory() as folder:
        damaged = Path(folder) / "damaged.xls"
        damaged.write_bytes(bytes(raw))
        found = error_cells(damaged, data.draw(st.sampled_from(sheets)))
    assert all(text in XLS_ERRORS for cells in found.values() for text in cells.values())


_value = st.one_of(
    st.none(),
    st.sampled_from(list(XLS_ERRORS)),
    st.integers(0, 99).map(float),
    st.text("abé☎", min_size=1, max_size=3),
)


def _in_cp1252(value: XlsValue) -> XlsValue:
    """``value`` with the one character of the strategies windows-1252 lacks replaced."""
    return value.replace("☎", "€") if isinstance(value, str) else value


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(st.integers(0, 300), st.dictionaries(st.integers(0, 9), _value), max_size=8),
    st.booleans(),
    st.sampled_from(["S", "Équipe ☎", "Café"]),
    st.sampled_from([BIFF8, BIFF5]),
)
def test_error_cells_line_up_with_calamine(
    grid: dict[int, dict[int, XlsValue]], formulas: bool, name: str, version: int
) -> None:
    if version == BIFF5:  # text in the workbook's code page, windows-1252
        grid = {r: {c: _in_cp1252(v) for c, v in cells.items()} for r, cells in grid.items()}
        name = str(_in_cp1252(name))
    rows = [(r, sorted(cells.items())) for r, cells in sorted(grid.items())]
    expected = {
        r + 1: {c: v for c, v in cells.items() if v in XLS_ERRORS}
        for r, cells in grid.items()
        if any(v in XLS_ERRORS for v in cells.values())
    }
    with tempfile.TemporaryDirectory() as folder:
        path = write_xls(
            Path(folder) / "b.xls",
            [
                ("Other", xls_sheet([(0, [(0, "#N/A")])], version=version)),
                (name, xls_sheet(rows, formula_errors=formulas, version=version)),
            ],
            version=version,
            stream_name="Book" if version == BIFF5 else "Workbook",
            code_page=1252 if version == BIFF5 else None,
        )
        assert error_cells(path, name) == expected
        sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name)
        if sheet.height == 0:
            return
        first = sheet.start[1]
        cells = [list(r) for r in sheet.iter_rows()]
    for r, row in grid.items():
        for c, value in row.items():
            if value is None:
                continue
            # our row r + 1 is calamine's row r; it reads an error as ""
            assert cells[r][c - first] == ("" if value in XLS_ERRORS else value)


#: The two shapes written out as one regular expression, to check the quick scan by.
SHAPES = re.compile(rb"\x05\x02\x08\x00.{7}\x01|\x06\x00.{8}\x02.{5}\xff\xff", re.DOTALL)
_pieces = st.lists(
    st.sampled_from(
        [b"\x05\x02\x08\x00", b"\x06\x00", b"\x02", b"\x01", b"\xff\xff", b"\xff", b"\x00"]
    )
    | st.binary(max_size=6),
    max_size=30,
)


FORMULA_SHAPE = b"\x06\x00" + b"\x00" * 8 + b"\x02" + b"\x00" * 5 + b"\xff\xff"
BOOLERR_SHAPE = b"\x05\x02\x08\x00" + b"\x00" * 7 + b"\x01"


@settings(max_examples=300, deadline=None)
@given(_pieces, st.integers(0, 8), st.integers(0, 8))
@example([FORMULA_SHAPE], 0, 0)
@example([FORMULA_SHAPE], 1, 0)  # the record would start before the range
@example([FORMULA_SHAPE], 0, 1)  # and end after it
@example([BOOLERR_SHAPE], 0, 0)
@example([BOOLERR_SHAPE], 1, 0)
@example([BOOLERR_SHAPE], 0, 1)
def test_the_quick_scan_finds_what_the_shapes_describe(
    pieces: list[bytes], cut_start: int, cut_end: int
) -> None:
    data = b"".join(pieces)
    start, end = min(cut_start, len(data)), max(len(data) - cut_end, 0)
    expected = start <= end and SHAPES.search(data, start, end) is not None
    assert xls_errors._may_hold_errors(data, start, end) == expected


def test_a_shape_that_is_no_record_is_walked_and_gives_nothing() -> None:
    sheet = bof(0x0010) + record(0x003C, xls_cell(1, 1, "#N/A")) + record(0x000A)
    stream = workbook_stream([("S", sheet)])
    assert xls_errors._may_hold_errors(stream, 0, len(stream))
    assert xls_errors.read_errors(stream, "S") == {}


def test_a_sheet_offset_beyond_the_stream_does_not_raise() -> None:
    ghost = record(0x0085, struct.pack("<IBB", 0x7FFFFFFF, 0, 0) + b"\x05\x00Ghost")
    clean = xls_sheet([(0, [(0, "score")]), (1, [(0, 9.0)])])
    for tail in (b"\x05\x02\x08\x00\x01", b"\x06\x00" + b"\x00" * 8 + b"\x02"):
        stream = workbook_stream([("S", clean + tail)], globals_extra=ghost)
        assert xls_errors.read_errors(stream, "S") == {}
        assert xls_errors.read_errors(stream, "Ghost") == {}


_records = st.lists(
    st.tuples(
        st.sampled_from([0x0809, 0x000A, 0x0085, 0x0205, 0x0006, 0x003C, 0x0203, 0x002F]),
        st.binary(max_size=24),
    ).map(lambda kind_data: record(*kind_data)),
    max_size=20,
)


@settings(max_examples=300, deadline=None)
@given(_records, st.binary(max_size=6), st.sampled_from(["S", "", "Ghost"]), st.integers(0, 300))
def test_any_run_of_records_reads_without_raising(
    records: list[bytes], tail: bytes, name: str, offset: int
) -> None:
    globals_ = bof(0x0005) + record(0x0085, struct.pack("<IBB", offset, 0, 0) + b"\x01\x00S")
    stream = globals_ + b"".join(records) + tail
    found = xls_errors.read_errors(stream, name)
    assert all(text in XLS_ERRORS for cells in found.values() for text in cells.values())


def test_a_nul_in_a_sheet_name_is_left_out_as_calamine_leaves_it_out(tmp_path: Path) -> None:
    for name in ("Sc\0ores", "Équipe\0 ☎"):
        path = write_xls(tmp_path / "b.xls", [(name, xls_sheet(SCORES))])
        (shown,) = python_calamine.CalamineWorkbook.from_path(str(path)).sheet_names
        assert shown == name.replace("\0", "")
        assert error_cells(path, shown) == SCORE_ERRORS


#: Code pages whose names python-calamine decodes a byte at a time, or as UTF-8.
BYTE_PAGES = [None, 1200, 1201, 65001, *sorted(xls_errors._SINGLE_BYTE)]


@pytest.mark.parametrize("code_page", BYTE_PAGES)
def test_a_compressed_name_is_read_in_the_code_page_as_calamine_reads_it(
    tmp_path: Path, code_page: int | None
) -> None:
    # Every byte from 1 to 255 in a name stored a byte a character: python-
    # calamine reads it in the CODEPAGE record's code page, not as Latin-1.
    name = bytes(range(1, 256)).decode("latin-1")
    path = write_xls(tmp_path / "b.xls", [(name, xls_sheet(SCORES))], code_page=code_page)
    (shown,) = python_calamine.CalamineWorkbook.from_path(str(path)).sheet_names
    assert xls_errors.compressed_name(name.encode("latin-1"), code_page) == shown
    assert error_cells(path, shown) == SCORE_ERRORS


def test_a_compressed_name_in_windows_1251_is_found_by_its_cyrillic_name(tmp_path: Path) -> None:
    name = "Отчёт".encode("cp1251").decode("latin-1")  # as Excel stores it, a byte a letter
    path = write_xls(tmp_path / "b.xls", [(name, xls_sheet(SCORES))], code_page=1251)
    assert python_calamine.CalamineWorkbook.from_path(str(path)).sheet_names == ["Отчёт"]
    assert error_cells(path, "Отчёт") == SCORE_ERRORS


@settings(max_examples=150, deadline=None)
@example(b"\xef\xbb\xbfA", 1252)  # a byte order mark is not heeded, unlike in BIFF5
@example(b"\xcd\xa0", 65001)  # valid UTF-8, read a byte at a time all the same
@given(st.binary(min_size=1, max_size=20).filter(lambda b: 0 not in b), st.sampled_from(BYTE_PAGES))
def test_any_compressed_name_is_read_as_calamine_reads_it(
    raw: bytes, code_page: int | None
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        sheets = [(raw.decode("latin-1"), xls_sheet(SCORES))]
        path = write_xls(Path(folder) / "b.xls", sheets, code_page=code_page)
        (shown,) = python_calamine.CalamineWorkbook.from_path(str(path)).sheet_names
        assert xls_errors.compressed_name(raw, code_page) == shown
        assert error_cells(path, shown) == SCORE_ERRORS

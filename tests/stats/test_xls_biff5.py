"""Error cells of a BIFF5 .xls (Excel 5.0/95): found in the sheet python-calamine names."""

from __future__ import annotations

import struct
import tempfile
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from svcdiag.stats import xls_errors
from svcdiag.stats.workbook_errors import error_cells
from svcdiag.stats.xls_errors import biff5_name
from tests.stats.xls_readers import (
    SCORE_ERRORS,
    SCORES,
    calamine_names,
)
from tests.stats.xls_writer import (
    BIFF5,
    XLS_ERRORS,
    bof,
    compound_file,
    record,
    workbook_stream,
    write_xls,
    xls_sheet,
)

FIXTURES = Path(__file__).parent / "fixtures"
BIFF5_XLS = FIXTURES / "gnumeric-1.12-biff5-errors.xls"
SAVED_XLSX = FIXTURES / "libreoffice-7.4-errors.xlsx"
SHEETS = ["Notes", "Scores", "Équipe €", "Café"]


def test_the_texts_are_those_of_the_same_workbook_saved_as_xlsx() -> None:
    for biff5, xlsx in zip(SHEETS, ["Notes", "Scores", "Équipe ☎", "Café"], strict=True):
        assert error_cells(BIFF5_XLS, biff5) == error_cells(SAVED_XLSX, xlsx), biff5


def test_every_code_as_a_constant_and_a_formula_in_the_named_sheet(tmp_path: Path) -> None:
    codes = list(XLS_ERRORS)
    every = [(0, [(i, "x") for i in range(len(codes))]), (1, list(enumerate(codes)))]
    for formulas in (False, True):
        clean = [(0, [(0, "a"), (1, 3.0)])]
        sheets = [
            ("Clean", xls_sheet(clean, formula_errors=formulas, version=BIFF5)),
            ("Errors", xls_sheet(every, formula_errors=formulas, version=BIFF5)),
            ("Équipe €", xls_sheet(SCORES, formula_errors=formulas, version=BIFF5)),
            ("Café", xls_sheet([(2, [(2, "#REF!")])], formula_errors=formulas, version=BIFF5)),
        ]
        path = write_xls(
            tmp_path / f"book{formulas}.xls",
            sheets,
            version=BIFF5,
            stream_name="Book",
            code_page=1252,
        )
        assert calamine_names(path) == ["Clean", "Errors", "Équipe €", "Café"]
        assert error_cells(path, "Clean") == {}
        assert error_cells(path, "Errors") == {2: dict(enumerate(codes))}
        assert error_cells(path, "Équipe €") == SCORE_ERRORS
        assert error_cells(path, "Café") == {3: {2: "#REF!"}}
        assert error_cells(path, "Missing") == {}
        assert error_cells(path, "café") == {}  # names are matched exactly


def test_a_name_in_another_code_page_is_found_by_the_name_calamine_gives(tmp_path: Path) -> None:
    sheets = [
        ("Notes", xls_sheet([(0, [(0, "a")])], version=BIFF5, encoding="cp1251")),
        ("Отчёт", xls_sheet(SCORES, version=BIFF5, encoding="cp1251")),
    ]
    path = write_xls(
        tmp_path / "ru.xls",
        sheets,
        version=BIFF5,
        stream_name="Book",
        code_page=1251,
        encoding="cp1251",
    )
    assert calamine_names(path) == ["Notes", "Отчёт"]
    assert error_cells(path, "Отчёт") == SCORE_ERRORS
    # The same bytes read in windows-1252 are another name: nothing is found by it.
    assert error_cells(path, "Îò÷¸ò") == {}


def book_named(path: Path, raw: bytes, code_page: int | None) -> Path:
    """A BIFF5 workbook of one sheet whose BOUNDSHEET holds the bytes ``raw`` as its name."""
    sheet = xls_sheet([(0, [(0, "#N/A")])], version=BIFF5)
    pages = b"" if code_page is None else record(0x0042, struct.pack("<H", code_page))

    def globals_at(offset: int) -> bytes:
        named = struct.pack("<IBBB", offset, 0, 0, len(raw)) + raw
        return bof(0x0005, BIFF5) + pages + record(0x0085, named) + record(0x000A)

    stream = globals_at(len(globals_at(0))) + sheet
    path.write_bytes(compound_file(stream, "Book"))
    return path


#: The code pages read a byte at a time, each with every byte from 1 to 255 in a name.
SINGLE_BYTE = sorted(xls_errors._SINGLE_BYTE)


@pytest.mark.parametrize("code_page", [None, 1200, 1201, 65001, *SINGLE_BYTE])
def test_every_byte_of_a_name_is_decoded_as_calamine_decodes_it(
    tmp_path: Path, code_page: int | None
) -> None:
    raw = bytes(range(1, 256))
    path = book_named(tmp_path / "b.xls", raw, code_page)
    (name,) = calamine_names(path)
    assert biff5_name(raw, code_page) == name
    assert error_cells(path, name) == {1: {0: "#N/A"}}


@pytest.mark.parametrize("code_page", [932, 936, 949, 950, 54936])
def test_an_ascii_name_in_a_double_byte_code_page_is_found(tmp_path: Path, code_page: int) -> None:
    path = book_named(tmp_path / "b.xls", b"Sheet 1", code_page)
    assert calamine_names(path) == ["Sheet 1"]
    assert error_cells(path, "Sheet 1") == {1: {0: "#N/A"}}


@settings(max_examples=200, deadline=None)
@example(b"\xfe\xff", 65001)  # a UTF-16 byte order mark in UTF-8: heeded too
@example(b"\xef\xbb\xbf\xff", 65001)
@given(
    st.binary(min_size=1, max_size=24),
    st.sampled_from([None, 1200, 1201, 65001, 1252, 1250, 1251, 1253, 874, 21866, 28599]),
)
def test_any_name_is_decoded_as_calamine_decodes_it(raw: bytes, code_page: int | None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = book_named(Path(folder) / "b.xls", raw, code_page)
        (name,) = calamine_names(path)
        assert biff5_name(raw, code_page) == name  # a byte order mark and NULs included
        assert error_cells(path, name) == {1: {0: "#N/A"}}


def test_byte_order_marks_and_nuls_in_names(tmp_path: Path) -> None:
    for raw, code_page, expected in [
        (b"\xef\xbb\xbfCaf\xc3\xa9", 1252, "Café"),  # a UTF-8 mark: read as UTF-8
        (b"\xff\xfeA\x00", 1252, "A"),
        (b"\xef\xbb\xbfA", None, "ï»¿A"),  # no code page: Latin-1, no mark heeded
        (b"Sc\x00ores", 1252, "Scores"),
    ]:
        path = book_named(tmp_path / "b.xls", raw, code_page)
        assert calamine_names(path) == [expected] == [biff5_name(raw, code_page)]


def test_without_a_codepage_record_names_are_latin_1(tmp_path: Path) -> None:
    sheets = [("Coût \x80", xls_sheet(SCORES, version=BIFF5, encoding="latin-1"))]
    path = write_xls(
        tmp_path / "b.xls", sheets, version=BIFF5, stream_name="Book", encoding="latin-1"
    )
    assert calamine_names(path) == ["Coût \x80"]
    assert error_cells(path, "Coût \x80") == SCORE_ERRORS
    assert error_cells(path, "Coût €") == {}


def test_a_cut_short_name_or_record_gives_no_error_cells_without_raising() -> None:
    stream = workbook_stream(
        [("Scores", xls_sheet(SCORES, version=BIFF5))], version=BIFF5, code_page=1252
    )
    assert xls_errors.read_errors(stream, "Scores") == SCORE_ERRORS
    at = stream.index(b"Scores")
    damaged = bytearray(stream)
    damaged[at - 1] = 200  # the name's length, past the record's end
    assert xls_errors.read_errors(bytes(damaged), "Scores") == {}
    for keep in range(0, len(stream), 7):
        found = xls_errors.read_errors(stream[:keep], "Scores")
        assert all(
            SCORE_ERRORS[row][column] == text
            for row, cells in found.items()
            for column, text in cells.items()
        )


_records = st.lists(
    st.tuples(
        st.sampled_from([0x0809, 0x000A, 0x0085, 0x0042, 0x0205, 0x0006, 0x003C, 0x002F]),
        st.binary(max_size=24),
    ).map(lambda kind_data: record(*kind_data)),
    max_size=20,
)


@settings(max_examples=300, deadline=None)
@given(_records, st.binary(max_size=6), st.sampled_from(["S", "", "Ghost"]), st.integers(0, 300))
def test_any_run_of_biff5_records_reads_without_raising(
    records: list[bytes], tail: bytes, name: str, offset: int
) -> None:
    named = record(0x0085, struct.pack("<IBBB", offset, 0, 0, 1) + b"S")
    stream = bof(0x0005, BIFF5) + named + b"".join(records) + tail
    found = xls_errors.read_errors(stream, name)
    assert all(text in XLS_ERRORS for cells in found.values() for text in cells.values())

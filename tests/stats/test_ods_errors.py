"""Error cells of an .ods sheet are found where python-calamine puts its cells."""

from __future__ import annotations

import io
import tempfile
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import python_calamine
from hypothesis import given, settings
from hypothesis import strategies as st

from svcdiag.stats import ods_errors
from svcdiag.stats.workbook_errors import ErrorCells, error_cells
from tests.stats.workbooks import (
    ods_content,
    ods_covered,
    ods_empty,
    ods_error,
    ods_number,
    ods_row,
    ods_table,
    ods_text,
    write_ods,
)


def calamine_rows(path: Path, sheet: str) -> tuple[list[list[Any]], int]:
    """The rows python-calamine yields (from row 1) and its first column."""
    chosen = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet)
    return [list(r) for r in chosen.iter_rows()], chosen.start[1] if chosen.start else 0


def both_ways(path: Path, sheet: str) -> tuple[ErrorCells | None, ErrorCells]:
    """The quick reading of the bytes (None where it gives way) and the full parse."""
    with zipfile.ZipFile(path) as book:
        with book.open("content.xml") as raw:
            quick = ods_errors._scan(raw, sheet)
        with book.open("content.xml") as raw:
            return quick, ods_errors._read_errors(raw, sheet)


def test_python_calamine_reads_an_error_as_zero_or_empty(tmp_path: Path) -> None:
    path = write_ods(
        tmp_path / "book.ods",
        ods_table(
            "Scores",
            ods_row(ods_text("agent"), ods_text("score")),
            ods_row(ods_text("A"), ods_error("#DIV/0!", as_number=True)),
            ods_row(ods_error("#N/A", as_number=False), ods_number(7)),
        ),
    )
    rows, _ = calamine_rows(path, "Scores")
    assert rows == [["agent", "score"], ["A", 0.0], ["", 7.0]]  # the bug this module fixes
    assert error_cells(path, "Scores") == {2: {1: "#DIV/0!"}, 3: {0: "#N/A"}}


@pytest.mark.parametrize("chunk", [1 << 18, 40], ids=["one-chunk", "many-chunks"])
def test_repeats_groups_and_covered_cells_place_the_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    monkeypatch.setattr(ods_errors, "_CHUNK", chunk)
    # Data from C4: two empty rows (one repeated), a header in a header-rows
    # group, rows in a row group, a repeated row and repeated columns.
    path = write_ods(
        tmp_path / "book.ods",
        ods_table(
            "Data",
            ods_row(ods_empty(8)),
            ods_row(ods_empty(8), repeat=2),
            "<table:table-header-rows>"
            + ods_row(ods_empty(2), ods_text("agent"), ods_text("score"), ods_text("note"))
            + "</table:table-header-rows>",
            "<table:table-row-group>"
            + ods_row(ods_empty(2), ods_text("A"), ods_number(9), ods_text("x"), repeat=2)
            + ods_row(ods_covered(2), ods_text("B"), ods_error("#VALUE!"), ods_text("y"))
            + "</table:table-row-group>",
            "<table:table-rows>"
            + ods_row(ods_empty(), ods_covered(), ods_error("#REF!", repeat=2), ods_text("z"))
            + "</table:table-rows>",
            ods_row(ods_empty(2), ods_text("C"), ods_error("Err:502"), repeat=2),
            ods_row(ods_empty(1024), repeat=1_048_560),
        ),
    )
    found = error_cells(path, "Data")
    assert found == {
        7: {3: "#VALUE!"},
        8: {2: "#REF!", 3: "#REF!"},
        9: {3: "Err:502"},
        10: {3: "Err:502"},
    }
    assert both_ways(path, "Data") == (found, found)
    rows, first = calamine_rows(path, "Data")
    assert first == 2 and rows[3] == ["agent", "score", "note"]
    for row, marked in found.items():
        for column in marked:
            assert rows[row - 1][column - first] in ("", 0.0)  # where calamine holds it
    assert [r[0] for r in rows[4:10]] == ["A", "A", "B", 0.0, "C", "C"]  # 0.0: #REF!


def test_only_the_named_sheet_and_not_a_nested_table(tmp_path: Path) -> None:
    nested = (
        "<table:table-cell><table:table table:name='inner'>"
        + ods_row(ods_error("#NAME?"), repeat=3)
        + "</table:table></table:table-cell>"
    )
    path = write_ods(
        tmp_path / "book.ods",
        ods_table("Other", ods_row(ods_error("#N/A"))),
        ods_table(
            "Mine", ods_row(ods_text("a"), ods_text("b")), ods_row(nested, ods_error("#N/A"))
        ),
        ods_table("R&D <'24>", ods_row(ods_empty(), ods_error("#NUM!"))),
    )
    assert error_cells(path, "Mine") == {2: {1: "#N/A"}}
    assert error_cells(path, "Other") == {1: {0: "#N/A"}}
    names = python_calamine.CalamineWorkbook.from_path(str(path)).sheet_names
    assert names == ["Other", "Mine", "R&D <'24>"]  # as python-calamine names them
    assert error_cells(path, "R&D <'24>") == {1: {1: "#NUM!"}}
    assert error_cells(path, "Missing") == {}
    assert both_ways(path, "Mine") == (None, {2: {1: "#N/A"}})  # the full parse, for the table
    assert both_ways(path, "Other") == ({1: {0: "#N/A"}},) * 2
    assert both_ways(path, "Missing") == ({}, {})


@pytest.mark.parametrize(
    "change",
    [
        lambda xml: xml.replace("<table:table-row>", "<!-- a note --><table:table-row>", 1),
        lambda xml: (
            xml.replace("<table:", "<t:")
            .replace("</table:", "</t:")
            .replace(" table:", " t:")
            .replace("xmlns:table=", "xmlns:t=")
        ),
        lambda xml: xml.replace("<office:document-content", "<office:document-content x='1'"),
    ],
    ids=["comment", "other-prefix", "same-layout"],
)
def test_unusual_bytes_are_parsed_in_full(tmp_path: Path, change: Callable[[str], str]) -> None:
    table = ods_table("S", ods_row(ods_text("a")), ods_row(ods_number(1), ods_error("#N/A")))
    content = change(ods_content(table))
    path = write_ods(tmp_path / "book.ods", content=content)
    quick, full = both_ways(path, "S")
    assert full == error_cells(path, "S") == {2: {1: "#N/A"}}
    assert quick == (full if "<t:table" not in content and "<!--" not in content else None)


def test_a_workbook_without_errors_is_not_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_ods(tmp_path / "book.ods", ods_table("S", ods_row(ods_text("a"), ods_number(1))))

    def fail(*_: object) -> None:
        raise AssertionError("parsed a workbook without the mark")

    monkeypatch.setattr(ods_errors, "_read_errors", fail)
    assert error_cells(path, "S") == {}


@pytest.mark.parametrize("at", [0, 1, 5, 17, 18])
def test_the_mark_is_found_across_chunks(monkeypatch: pytest.MonkeyPatch, at: int) -> None:
    monkeypatch.setattr(ods_errors, "_CHUNK", 8)
    text = b"x" * at + b'calcext:value-type="error"' + b"y" * 20
    assert ods_errors._has_mark(io.BytesIO(text))
    assert not ods_errors._has_mark(io.BytesIO(text.replace(b'"error"', b'"float"')))


_WHOLE = ods_content(ods_table("S", ods_row(ods_error("#N/A"))))
_BAD_REPEAT = ods_table("S", ods_row(ods_error("#N/A"))).replace(
    "<table:table-row>", '<table:table-row table:number-rows-repeated="many">'
)


@pytest.mark.parametrize(
    "content",
    [
        _WHOLE[: _WHOLE.index("</table:table-row>")],  # cut short inside the sheet
        "<a><b calcext:value-type='error'>&bad;</b></a>",  # not well-formed
        ods_content(_BAD_REPEAT),
    ],
    ids=["truncated", "not-xml", "bad-repeat"],
)
def test_a_broken_content_xml_gives_no_error_cells(tmp_path: Path, content: str) -> None:
    path = write_ods(tmp_path / "book.ods", content=content)
    assert ods_errors._has_mark(io.BytesIO(content.encode()))  # so it is parsed
    assert error_cells(path, "S") == {}


def test_a_zip_without_content_or_not_a_zip(tmp_path: Path) -> None:
    empty = tmp_path / "empty.ods"
    with zipfile.ZipFile(empty, "w") as book:
        book.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    assert error_cells(empty, "S") == {}
    assert ods_errors.error_cells(empty, "S") == {}
    junk = tmp_path / "junk.ods"
    junk.write_bytes(b"PK\x03\x04 not a zip")
    assert error_cells(junk, "S") == {}


@pytest.mark.parametrize("quick", [True, False], ids=["quick", "full-parse"])
def test_memory_stays_flat_on_a_long_sheet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, quick: bool
) -> None:
    if not quick:
        monkeypatch.setattr(ods_errors, "_scan", lambda *_: None)
    rows = [ods_row(ods_text("agent"), ods_text("score"))]
    rows += [ods_row(ods_text(f"agent {i}"), ods_number(i % 11)) for i in range(60_000)]
    rows.append(ods_row(ods_text("Z"), ods_error("#DIV/0!")))
    path = write_ods(tmp_path / "long.ods", ods_table("S", *rows))
    with zipfile.ZipFile(path) as book:
        size = book.getinfo("content.xml").file_size
    tracemalloc.start()
    try:
        found = error_cells(path, "S")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert found == {60_002: {1: "#DIV/0!"}}
    assert size > 8_000_000 and peak < 3_000_000  # a tree of the sheet would take far more


# A cell: (kind, columns it repeats over). A row: (cells, rows it repeats over,
# the group it sits in).
_KINDS = ["empty", "number", "text", "float-error", "string-error", "covered"]
_cell = st.tuples(st.sampled_from(_KINDS), st.integers(1, 3))
_row = st.tuples(
    st.lists(_cell, max_size=5),
    st.integers(1, 3),
    st.sampled_from(["", "table:table-header-rows", "table:table-row-group", "table:table-rows"]),
)


def _cell_xml(kind: str, repeat: int, value: int) -> str:
    if kind == "number":
        return ods_number(value, repeat=repeat)
    if kind == "text":
        return ods_text(f"t{value}", repeat=repeat)
    if kind == "covered":
        return ods_covered(repeat)
    if kind.endswith("error"):
        return ods_error(f"#E{value}", as_number=kind == "float-error", repeat=repeat)
    return ods_empty(repeat)


@settings(max_examples=80, deadline=None)
@given(st.lists(_row, max_size=8), st.sampled_from([1 << 18, 30]))
def test_error_cells_match_an_expanded_grid_and_calamine(
    rows: list[tuple[list[tuple[str, int]], int, str]], chunk: int
) -> None:
    xml: list[str] = []
    expected: dict[int, dict[int, str]] = {}
    numbers: dict[tuple[int, int], float] = {}
    at_row = 0
    for index, (cells, row_repeat, group) in enumerate(rows):
        parts, at_column = [], 0
        for position, (kind, repeat) in enumerate(cells):
            value = index * 10 + position
            parts.append(_cell_xml(kind, repeat, value))
            for r in range(at_row, at_row + row_repeat):
                for c in range(at_column, at_column + repeat):
                    if kind.endswith("error"):
                        expected.setdefault(r + 1, {})[c] = f"#E{value}"
                    elif kind == "number":
                        numbers[r, c] = value
            at_column += repeat
        row = ods_row(*parts, repeat=row_repeat)
        xml.append(f"<{group}>{row}</{group}>" if group else row)
        at_row += row_repeat
    with tempfile.TemporaryDirectory() as folder:
        path = write_ods(Path(folder) / "book.ods", ods_table("S", *xml))
        with mock.patch.object(ods_errors, "_CHUNK", chunk):
            assert both_ways(path, "S") == (expected, expected)  # each way on its own
        assert error_cells(path, "S") == expected
        if not expected and not numbers:
            return
        grid, first = calamine_rows(path, "S")
    for row_number, marked in expected.items():
        for column in marked:
            assert grid[row_number - 1][column - first] in ("", 0.0)
    for (r, c), value in numbers.items():
        assert grid[r][c - first] == value


@pytest.mark.parametrize("quote", ["'", '"'])
def test_a_repeat_written_in_a_cell_s_text_moves_no_error(tmp_path: Path, quote: str) -> None:
    # Quotes need no escape in XML text: the words of a row repeat inside a
    # note must not count as rows, or the error would land on C's row.
    note = f"note table:number-rows-repeated={quote}2{quote} and a > b"
    path = write_ods(
        tmp_path / "notes.ods",
        ods_table(
            "Sheet1",
            ods_row(ods_text("branch"), ods_text("score")),
            ods_row(ods_text(note), ods_number(9)),
            ods_row(ods_text("A"), ods_number(8)),
            ods_row(ods_text("B"), ods_error("#DIV/0!")),
            ods_row(ods_text("C"), ods_number(7)),
        ),
    )
    assert ods_errors.error_cells(path, "Sheet1") == {4: {1: "#DIV/0!"}}
    with zipfile.ZipFile(path) as book, book.open("content.xml") as raw:
        assert ods_errors._read_errors(raw, "Sheet1") == {4: {1: "#DIV/0!"}}  # the full parse

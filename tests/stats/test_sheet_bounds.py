"""A workbook sheet spanning more cells than can be read is refused before it is read.

python-calamine would ask for room for every cell between the first value
and the last: two values far apart in a file of a few kilobytes abort the
process. Each test checks what the command says, and that it says it.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.styles import Font
from typer.testing import CliRunner

from svcdiag.cli import app
from svcdiag.stats import sheet_bounds, xlsx_errors
from svcdiag.stats.sheet_bounds import MAX_CELLS, Span, exact_span, ods_spans, span_of
from svcdiag.stats.sources import column_letter
from tests.stats.workbooks import (
    damage,
    ods_content,
    ods_covered,
    ods_empty,
    ods_number,
    ods_row,
    ods_table,
    ods_text,
    write_ods,
    write_xlsb,
    xlsb_cell,
    xlsb_sheet,
)

runner = CliRunner()


def scores(path: Path, far: dict[str, object], *, sheets: int = 1) -> Path:
    """A sheet of scores, with the cells ``far`` set (a value, or a bold font for None)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Scores"
    for row in [("score",), (9,), (3,), (10,)]:
        sheet.append(row)
    for where, value in far.items():
        if value is None:
            sheet[where].font = Font(bold=True)  # a style, no value
        else:
            sheet[where] = value  # type: ignore[assignment]
    for number in range(1, sheets):
        other = book.create_sheet(f"Other{number}")
        other.append(("score",))
        other.append((5,))
    book.save(path)
    return path


def test_two_values_far_apart_are_named_not_read(tmp_path: Path) -> None:
    path = scores(tmp_path / "corner.xlsx", {"XFD1048576": 1})
    assert path.stat().st_size < 10_000
    result = runner.invoke(app, ["nps", str(path), "-c", "score"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert (
        "sheet 'Scores' spans 17,179,869,184 cells (A1 to XFD1048576), more than the "
        f"{MAX_CELLS:,} a sheet may span to be read" in " ".join(result.stderr.split())
    )
    assert "a stray value far off" in result.stderr and "export the sheet as CSV" in result.stderr


def test_a_far_cell_with_only_a_style_is_left_out_as_the_reader_leaves_it(
    tmp_path: Path,
) -> None:
    path = scores(tmp_path / "styled.xlsx", {"XFD1048576": None, "ZZ900000": None})
    result = runner.invoke(app, ["nps", str(path), "-c", "score", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert '"n": 3,' in result.stdout


def test_only_the_sheets_that_are_read_are_checked(tmp_path: Path) -> None:
    path = scores(tmp_path / "two.xlsx", {"XFD1048576": 1}, sheets=2)
    named = runner.invoke(app, ["nps", str(path), "-c", "score", "--sheet", "Other1", "-f", "json"])
    assert named.exit_code == 0, named.output
    assert '"n": 1,' in named.stdout
    every = runner.invoke(app, ["nps", str(path), "-c", "score"])  # all sheets are looked at
    assert every.exit_code == 2 and "sheet 'Scores' spans" in every.stderr


def test_a_sheet_at_the_limit_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sheet_bounds, "MAX_CELLS", 5)  # A1:A5
    path = scores(tmp_path / "edge.xlsx", {"A5": 1})
    assert runner.invoke(app, ["nps", str(path), "-c", "score"]).exit_code == 0
    path = scores(tmp_path / "over.xlsx", {"A6": 1})
    over = runner.invoke(app, ["nps", str(path), "-c", "score"])
    assert over.exit_code == 2 and "spans 6 cells (A1 to A6)" in over.stderr


WRITING = st.tuples(
    st.sampled_from([" ", "\t", "\n", "  "]),  # before the reference
    st.sampled_from(['"', "'"]),
    st.sampled_from(["=", " = ", "=\t"]),
    st.booleans(),  # lower-case letters
    st.sampled_from(["", "0", "000"]),  # leading zeros
    st.sampled_from(["", "x:"]),  # a namespace prefix
)
CELLS = st.lists(
    st.tuples(
        st.integers(0, 1_048_575), st.integers(0, 16_383), st.booleans(), st.booleans(), WRITING
    ),
    max_size=12,
)


@settings(max_examples=400, deadline=None)
@given(cells=CELLS, block=st.integers(1, 64))
def test_the_span_is_that_of_the_cells_written(
    cells: list[tuple[int, int, bool, bool, tuple[str, str, str, bool, str, str]]], block: int
) -> None:
    """Random cells (with a value or not, written in any way XML allows), in small blocks."""
    parts = ['<?xml version="1.0"?><worksheet xmlns:x="urn:x"><sheetData>']
    for row, column, valued, style_first, (space, quote, equals, lower, zeros, prefix) in cells:
        name = column_letter(column).lower() if lower else column_letter(column)
        ref = f"r{equals}{quote}{name}{zeros}{row + 1}{quote}"
        attributes = f's="2"{space}{ref}' if style_first else f"{ref} t='n'"
        tag = f"{prefix}c"
        cell = f"<{tag}{space}{attributes}>" + ("<v>1</v>" + f"</{tag}>" if valued else "")
        cell = cell if valued else cell[:-1] + "/>"
        parts.append(f'<row r="{row + 1}">{cell}</row>')
    parts.append("</sheetData></worksheet>")
    xml = "".join(parts).encode()
    real = sheet_bounds._BLOCK
    sheet_bounds._BLOCK = block
    try:
        every, sure = span_of(io.BytesIO(xml))
    finally:
        sheet_bounds._BLOCK = real
    valued, whole = exact_span(io.BytesIO(xml))
    assert sure and whole

    def span(chosen: list[Any]) -> Span | None:
        if not chosen:
            return None
        rows = [c[0] for c in chosen]
        columns = [c[1] for c in chosen]
        return Span(min(rows), max(rows), min(columns), max(columns))

    assert every == span(cells)
    assert valued == span([c for c in cells if c[2]])


def test_a_kilobyte_of_ods_spelling_out_millions_of_cells_is_named(tmp_path: Path) -> None:
    """A value repeated over 16,000 columns, and that row over 2,000 rows."""
    wide = ods_table(
        "S",
        ods_row(ods_text("score"), ods_text("x", repeat=16_000)),
        ods_row(ods_number(9), ods_text("a", repeat=16_000), repeat=2_000),
    )
    path = write_ods(tmp_path / "wide.ods", wide)
    assert path.stat().st_size < 5_000
    result = runner.invoke(app, ["nps", str(path), "-c", "score"])
    assert result.exit_code == 2
    assert "sheet 'S' spans 32,018,001 cells (A1 to WQK2001)" in " ".join(result.stderr.split())


def test_ods_padding_and_other_sheets_are_not_counted(tmp_path: Path) -> None:
    """LibreOffice pads rows with empty cells and sheets with empty rows, by the million."""
    padded = ods_table(
        "Scores",
        ods_row(ods_text("score"), ods_empty(repeat=16_383)),
        ods_row(ods_number(9), ods_covered(), ods_empty(repeat=16_382), repeat=3),
        ods_row(ods_empty(repeat=16_384), repeat=1_048_572),
    )
    far = ods_table("Far", ods_row(ods_text("score")), ods_row(ods_number(1), repeat=9_000_000))
    path = write_ods(tmp_path / "padded.ods", padded, far)
    result = runner.invoke(
        app, ["nps", str(path), "-c", "score", "--sheet", "Scores", "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    assert '"n": 3,' in result.stdout
    every = runner.invoke(app, ["nps", str(path), "-c", "score"])
    assert every.exit_code == 2 and "sheet 'Far' spans 9,000,001 cells" in every.stderr


def test_ods_spans_count_repeats_and_skip_nested_tables() -> None:
    nested = (
        "<table:table table:name='Inner'>" + ods_row(ods_text("x", repeat=99)) + "</table:table>"
    )
    typed = f'<table:table-cell office:value-type="string">{nested}</table:table-cell>'
    content = ods_content(
        ods_table(
            "A",
            ods_row(ods_empty(2), ods_text("h", repeat=3)),
            ods_row(ods_empty(repeat=5)),
            ods_row(typed, repeat=4),
        ),
        ods_table("B", ods_row(ods_empty(repeat=9)), ods_row(ods_empty(3), ods_number(1))),
    )
    spans = ods_spans(io.BytesIO(content.encode()), None)
    assert spans == {"A": Span(0, 5, 0, 4), "B": Span(1, 1, 3, 3)}
    assert ods_spans(io.BytesIO(content.encode()), "B") == {"B": Span(1, 1, 3, 3)}


ODS_CELLS = st.lists(
    st.tuples(
        st.sampled_from(["text", "number", "empty", "covered", "paragraph"]), st.integers(1, 40)
    ),
    max_size=6,
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(ODS_CELLS, st.integers(1, 3_000)), min_size=1, max_size=12),
    st.booleans(),
)
def test_the_quick_ods_span_holds_the_parsed_one(
    rows: list[tuple[list[tuple[str, int]], int]], second_sheet: bool
) -> None:
    """Read on the bytes, a sheet spans the rows parsing finds, and at least its columns."""
    makers = {
        "text": lambda n: ods_text("t", repeat=n),
        "number": lambda n: ods_number(1, repeat=n),
        "empty": ods_empty,
        "covered": ods_covered,
        "paragraph": lambda n: (  # no value: python-calamine reads it as empty
            f'<table:table-cell table:number-columns-repeated="{n}"><text:p/></table:table-cell>'
        ),
    }
    body = [ods_row(*(makers[kind](n) for kind, n in cells), repeat=r) for cells, r in rows]
    tables = [ods_table("S", *body)]
    if second_sheet:
        tables.append(ods_table("T", ods_row(ods_text("x", repeat=7))))
    content = ods_content(*tables).encode()
    quick = sheet_bounds.quick_ods_spans(content, None)
    parsed = ods_spans(io.BytesIO(content), None)
    assert quick is not None
    assert set(quick) == set(parsed)
    for name, span in parsed.items():
        found = quick[name]
        assert (found.top, found.bottom) == (span.top, span.bottom)
        assert found.left <= span.left and found.right >= span.right


def test_an_xlsb_sheet_with_a_value_far_off_is_named_not_read(tmp_path: Path) -> None:
    """python-calamine aborted on this file of under a kilobyte."""
    far = [(0, [(0, "score")]), (1, [(0, 9.0)]), (2, [(0, 3.0)]), (1_048_575, [(16_383, 1.0)])]
    near = [(0, [(0, "score")]), (1, [(0, 5.0)])]
    path = write_xlsb(
        tmp_path / "far.xlsb", [("Far", xlsb_sheet(iter(far))), ("Near", xlsb_sheet(iter(near)))]
    )
    assert path.stat().st_size < 2_000
    every = runner.invoke(app, ["nps", str(path), "-c", "score"])
    assert every.exit_code == 2 and every.stdout == ""
    assert "sheet 'Far' spans 17,179,869,184 cells (A1 to XFD1048576)" in " ".join(
        every.stderr.split()
    )
    near_only = runner.invoke(
        app, ["nps", str(path), "-c", "score", "--sheet", "Near", "-f", "json"]
    )
    assert near_only.exit_code == 0, near_only.output
    assert '"n": 1,' in near_only.stdout


def xlsx_with(tmp_path: Path, name: str, cells: str) -> Path:
    """A workbook whose one sheet holds ``cells`` (XML of rows) after a header A1 and A2."""
    book = scores(tmp_path / "base.xlsx", {})
    path = tmp_path / name
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(path, "w") as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                head, rest = data.split(b"</sheetData>", 1)
                data = head + cells.encode() + b"</sheetData>" + rest
            out.writestr(info.filename, data)
    return path


def test_cells_without_a_reference_are_placed_by_their_row(tmp_path: Path) -> None:
    """python-calamine puts such a cell on its row's number: the span reaches it."""
    far = '<row r="1048576"><c><v>1</v></c><c><v>1</v></c></row>'
    far += '<row r="5"><c r="XFD5"><v>1</v></c></row>'
    result = runner.invoke(app, ["nps", str(xlsx_with(tmp_path, "noref.xlsx", far)), "-c", "score"])
    assert result.exit_code == 2
    assert "spans 17,179,869,184 cells (A1 to XFD1048576)" in " ".join(result.stderr.split())


def test_far_cells_without_a_value_are_not_counted(tmp_path: Path) -> None:
    """A style in an open tag, or a formula never computed, holds no value."""
    far = '<row r="900000"><c r="ZZ900000" s="1"></c><c r="AAA900000"><f>1+1</f></c></row>'
    path = xlsx_with(tmp_path, "empty.xlsx", far)
    result = runner.invoke(app, ["nps", str(path), "-c", "score", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert '"n": 3,' in result.stdout


def test_an_ods_row_closed_in_its_start_tag_still_counts(tmp_path: Path) -> None:
    """A repeated empty row written as one tag, then a wide row: parsed, not cut on the bytes."""
    wide = ods_table(
        "S",
        ods_row(ods_text("score")),
        '<table:table-row table:number-rows-repeated="1048000"/>',
        ods_row(ods_number(1), ods_text("x", repeat=16_000)),
    )
    content = ods_content(wide).encode()
    assert sheet_bounds.quick_ods_spans(content, None) is None
    path = write_ods(tmp_path / "closed.ods", wide)
    result = runner.invoke(app, ["nps", str(path), "-c", "score"])
    assert result.exit_code == 2
    assert "sheet 'S' spans 16,769,080,002 cells" in " ".join(result.stderr.split())


XLSB_VALUES = st.one_of(
    st.sampled_from(["#DIV/0!", "#N/A", "#REF!", "x"]), st.floats(-5, 5, allow_nan=False)
)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 1_048_580), st.lists(st.tuples(st.integers(0, 16_390), XLSB_VALUES))
        ),
        max_size=8,
    ),
    st.booleans(),
)
def test_an_xlsb_walk_finds_the_error_cells_the_error_reader_finds(
    rows: list[tuple[int, list[tuple[int, str | float]]]], formulas: bool
) -> None:
    """One walk of an .xlsb sheet gives its span and its error cells, read once."""
    from svcdiag.stats import xlsb_errors

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "e.xlsb"
        write_xlsb(path, [("S", xlsb_sheet(iter(rows), formula_errors=formulas))])
        with zipfile.ZipFile(path) as book:
            ((name, (_, errors)),) = xlsb_errors.sheet_spans(book, None).items()
        assert name == "S"
        assert errors == xlsb_errors.error_cells(path, "S")


def _far_ods(tmp_path: Path, name: str, far: str, *, parsed: bool) -> Path:
    """Scores 9 and 3, then ``far`` in column WQK (16,000) of row 1,000,000.

    ``parsed`` writes the empty rows between as one closed tag, which the
    quick read of the bytes leaves to the parser.
    """
    gap = (
        '<table:table-row table:number-rows-repeated="999996"/>'
        if parsed
        else ods_row(ods_empty(repeat=5), repeat=999_996)
    )
    table = ods_table(
        "S",
        ods_row(ods_text("score")),
        ods_row(ods_number(9)),
        ods_row(ods_number(3)),
        gap,
        ods_row(ods_empty(repeat=16_000), far),
    )
    assert (sheet_bounds.quick_ods_spans(ods_content(table).encode(), None) is None) == parsed
    return write_ods(tmp_path / name, table)


EMPTY_PARAGRAPHS = [
    "<table:table-cell><text:p/></table:table-cell>",
    "<table:table-cell><text:p></text:p></table:table-cell>",
    '<table:table-cell table:number-columns-repeated="3"><text:p/><text:p/></table:table-cell>',
    "<table:table-cell><text:p>typed in, no value type</text:p></table:table-cell>",
]


@pytest.mark.parametrize("parsed", [False, True], ids=["bytes", "parsed"])
@pytest.mark.parametrize("far", EMPTY_PARAGRAPHS)
def test_an_ods_cell_with_a_paragraph_but_no_value_is_empty_as_the_reader_reads_it(
    tmp_path: Path, far: str, parsed: bool
) -> None:
    """python-calamine reads a cell's text only with a value type: this one is empty."""
    path = _far_ods(tmp_path, "paragraph.ods", far, parsed=parsed)
    result = runner.invoke(app, ["nps", str(path), "-c", "score", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert '"n": 2,' in result.stdout


@pytest.mark.parametrize("parsed", [False, True], ids=["bytes", "parsed"])
@pytest.mark.parametrize(
    "far",
    [
        '<table:table-cell office:value="5"/>',
        '<table:table-cell office:boolean-value="true"/>',
        '<table:table-cell office:value-type="string"/>',
    ],
)
def test_an_ods_cell_with_a_value_attribute_counts_without_content(
    tmp_path: Path, far: str, parsed: bool
) -> None:
    """A value, or the string type (read as ""), is a value to python-calamine."""
    path = _far_ods(tmp_path, "valued.ods", far, parsed=parsed)
    result = runner.invoke(app, ["nps", str(path), "-c", "score"])
    assert result.exit_code == 2
    assert "sheet 'S' spans 16,001,000,000 cells (A1 to WQK1000000)" in " ".join(
        result.stderr.split()
    )


def svcdiag(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the command in a process of its own: python-calamine may abort it."""
    command = [sys.executable, "-m", "svcdiag", *args]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def damaged_xlsx(
    tmp_path: Path, how: str, *, broken_first: bool, far: str, after: bytes | None = None
) -> Path:
    """Sheets 'Broken' (damaged: see :func:`damage`) and 'Scores'; ``far`` holds XFD1048576."""
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "Broken" if broken_first else "Scores"
    book.create_sheet("Scores" if broken_first else "Broken")
    for sheet in book.worksheets:
        sheet.append(("score",))
        for number in range(300):
            sheet.append((number % 11,))
    book[far]["XFD1048576"] = 1
    path = tmp_path / f"{how}.xlsx"
    book.save(path)
    part = f"xl/worksheets/sheet{1 if broken_first else 2}.xml"
    return damage(path, part, how, after=after)


HOWS = ["crc", "cut", "garbled"]


@pytest.mark.parametrize("broken_first", [True, False], ids=["broken-first", "broken-last"])
@pytest.mark.parametrize("how", [*HOWS, "unknown"])
def test_a_damaged_sheet_leaves_the_other_sheets_checked(
    tmp_path: Path, how: str, broken_first: bool
) -> None:
    path = damaged_xlsx(tmp_path, how, broken_first=broken_first, far="Scores")
    done = svcdiag("nps", str(path), "-c", "score")
    assert done.returncode == 2, done.stderr
    assert "sheet 'Scores' spans 17,179,869,184 cells" in done.stderr


@pytest.mark.parametrize("how", [*HOWS, "unknown"])
def test_a_damaged_sheet_asked_for_is_named_not_a_traceback(tmp_path: Path, how: str) -> None:
    path = damaged_xlsx(tmp_path, how, broken_first=True, far="Scores")
    done = svcdiag("nps", str(path), "-c", "score", "--sheet", "Broken")
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "cannot read sheet 'Broken' of this workbook" in done.stderr


@pytest.mark.parametrize("sheet", [[], ["--sheet", "Broken"]], ids=["every", "named"])
@pytest.mark.parametrize(
    ("how", "after"), [("crc", None), ("cut", b"</sheetData>"), ("garbled", b"</sheetData>")]
)
def test_a_damaged_sheet_that_sprawls_before_its_damage_is_named(
    tmp_path: Path, how: str, after: bytes | None, sheet: list[str]
) -> None:
    """python-calamine reads the far cell, stops at the sheet's data end, and aborts."""
    path = damaged_xlsx(tmp_path, how, broken_first=True, far="Broken", after=after)
    done = svcdiag("nps", str(path), "-c", "score", *sheet)
    assert done.returncode == 2, done.stderr
    assert "sheet 'Broken' spans 17,179,869,184 cells" in done.stderr


#: The first number in column A, up to its value: a byte changed after it changes a number.
XLSB_FLOAT_AT_A = xlsb_cell(0, 5.0)[:-8]


@pytest.mark.parametrize("broken_first", [True, False], ids=["broken-first", "broken-last"])
@pytest.mark.parametrize("how", HOWS)
def test_a_damaged_xlsb_sheet_leaves_the_other_sheets_checked(
    tmp_path: Path, how: str, broken_first: bool
) -> None:
    near = [(0, [(0, "score")]), *((row, [(0, float(row % 11))]) for row in range(1, 300))]
    far = [(0, [(0, "score")]), (1, [(0, 9.0)]), (1_048_575, [(16_383, 1.0)])]
    sheets = [("Broken", xlsb_sheet(iter(near))), ("Far", xlsb_sheet(iter(far)))]
    path = write_xlsb(tmp_path / f"{how}.xlsb", sheets if broken_first else sheets[::-1])
    part = f"xl/worksheets/sheet{1 if broken_first else 2}.bin"
    damage(path, part, how, after=XLSB_FLOAT_AT_A if how == "crc" else None)
    done = svcdiag("nps", str(path), "-c", "score")
    assert done.returncode == 2, done.stderr
    assert "sheet 'Far' spans 17,179,869,184 cells" in done.stderr


@pytest.mark.parametrize("how", HOWS)
def test_a_damaged_xlsb_sheet_that_sprawls_before_its_damage_is_named(
    tmp_path: Path, how: str
) -> None:
    far = [(0, [(0, "score")]), (1, [(0, 9.0)]), (1_048_575, [(16_383, 1.0)])]
    path = write_xlsb(tmp_path / f"{how}.xlsb", [("Far", xlsb_sheet(iter(far)))])
    end_of_data = b"\x92\x01\x00"  # BrtEndSheetData
    damage(
        path,
        "xl/worksheets/sheet1.bin",
        how,
        after=XLSB_FLOAT_AT_A if how == "crc" else end_of_data,
    )
    done = svcdiag("nps", str(path), "-c", "score")
    assert done.returncode == 2, done.stderr
    assert "sheet 'Far' spans 17,179,869,184 cells" in done.stderr


FAR_ODS_ROWS = ods_row(ods_number(1), repeat=9_000_000)


@pytest.mark.parametrize(
    "after", ["</table:table>", FAR_ODS_ROWS], ids=["in-the-next-sheet", "in-the-far-sheet"]
)
@pytest.mark.parametrize("how", HOWS)
def test_a_damaged_ods_is_checked_up_to_its_damage(tmp_path: Path, how: str, after: str) -> None:
    """Every sheet is in content.xml: those before the damage are checked, and the one it cuts."""
    far = ods_table("Far", ods_row(ods_text("score")), FAR_ODS_ROWS, ods_row(ods_number(2)))
    near = ods_table("Near", ods_row(ods_text("score")), ods_row(ods_number(5), repeat=300))
    path = write_ods(tmp_path / f"{how}.ods", far, near)
    damage(path, "content.xml", how, after=after.encode())
    done = svcdiag("nps", str(path), "-c", "score")
    assert done.returncode == 2, done.stderr
    assert "sheet 'Far' spans 9,00" in done.stderr


def twice_named(tmp_path: Path, *, sprawling_first: bool) -> Path:
    """A workbook listing two sheets named 'S' (as no program saves it), one sprawling."""
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "S"
    second = book.create_sheet("T")
    for sheet in (first, second):
        for row in [("score",), (9,), (3,)]:
            sheet.append(row)
    (first if sprawling_first else second)["XFD1048576"] = 1
    saved = tmp_path / "saved.xlsx"
    book.save(saved)
    path = tmp_path / "twice.xlsx"
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(path, "w") as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/workbook.xml":
                data = data.replace(b'name="T"', b'name="S"')
            out.writestr(info.filename, data)
    return path


@pytest.mark.parametrize("sheet", [[], ["--sheet", "S"]], ids=["every", "named"])
def test_of_two_sheets_of_one_name_the_first_is_checked_as_it_is_the_one_loaded(
    tmp_path: Path, sheet: list[str]
) -> None:
    """python-calamine loads the first sheet of a name, for the name and for its index."""
    done = svcdiag("nps", str(twice_named(tmp_path, sprawling_first=True)), "-c", "score", *sheet)
    assert done.returncode == 2, done.stderr
    assert "sheet 'S' spans 17,179,869,184 cells" in done.stderr


def test_of_two_sheets_of_one_name_the_second_is_never_loaded(tmp_path: Path) -> None:
    path = twice_named(tmp_path, sprawling_first=False)
    result = runner.invoke(app, ["nps", str(path), "-c", "score", "--sheet", "S", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert '"n": 2,' in result.stdout
    with zipfile.ZipFile(path) as book:  # its error cells are read from it too
        assert xlsx_errors.sheet_part(book, "S") == "xl/worksheets/sheet1.xml"

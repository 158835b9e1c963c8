"""Streaming CSV reading: delimiters, encodings, row widths and the errors users see."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from svcdiag.errors import DataError, InputFileError, UsageError
from svcdiag.stats.csvsource import (
    MAX_FIELD_CHARS,
    detect_delimiter,
    open_csv,
    parse_delimiter,
)

MakeCsv = Callable[..., Path]


def read_all(path: Path, delimiter: str | None = None) -> tuple[list[str], list[list[str]]]:
    with open_csv(path, delimiter=delimiter) as table:
        return table.header, list(table.records())


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("id,branch,score\n", ","),
        ("id;branch;score\n", ";"),
        ("id\tbranch\tscore\n", "\t"),
        ("id|branch|score\n", "|"),
        ("score\n", ","),
        ('"a;b",c\n', ","),
        ("a;b,c;d;e\n", ";"),
    ],
)
def test_detect_delimiter(line: str, expected: str) -> None:
    assert detect_delimiter(line) == expected


def test_reads_semicolons_without_being_told(make_csv: MakeCsv) -> None:
    header, rows = read_all(make_csv("id;score\n1;9\n2;10\n"))
    assert header == ["id", "score"]
    assert rows == [["1", "9"], ["2", "10"]]


def test_byte_order_mark_is_dropped(make_csv: MakeCsv) -> None:
    path = make_csv("\ufeffscore,branch\n9,North\n".encode())
    with open_csv(path) as table:
        assert table.column("score", option="--column") == 0


def test_blank_and_empty_rows_are_skipped_and_lines_still_counted(make_csv: MakeCsv) -> None:
    # Excel writes empty rows as ",,"; rows of spaces are values, left to the caller.
    path = make_csv("a,b\n1,2\n\n,\n  \n  ,  \n3,x\n")
    with open_csv(path) as table:
        seen = [(row, table.line) for row in table.records()]
    assert seen == [(["1", "2"], 2), (["  ", "  "], 6), (["3", "x"], 7)]


def test_quoted_values_keep_delimiters_and_newlines(make_csv: MakeCsv) -> None:
    _, rows = read_all(make_csv('a,b\n"x, y","line1\nline2"\n5,6\n'))
    assert rows == [["x, y", "line1\nline2"], ["5", "6"]]


def test_trailing_empty_fields_are_allowed(make_csv: MakeCsv) -> None:
    _, rows = read_all(make_csv("a,b\n1,2,,\n"))
    assert rows == [["1", "2", "", ""]]


def test_row_with_too_many_fields(make_csv: MakeCsv) -> None:
    path = make_csv("agent,comment,score\nA1,slow, but polite,7\n")
    with pytest.raises(DataError) as caught:
        read_all(path)
    err = caught.value
    assert err.message == f"{path}:2: the row has 4 fields, but the header has only 3"
    assert err.hint is not None
    assert "double quotes" in err.hint and "',' as delimiter" in err.hint
    assert err.exit_code == 1


def test_row_with_too_few_fields(make_csv: MakeCsv) -> None:
    path = make_csv("a,b,c\n1,2,3\n4,5\n")
    with pytest.raises(DataError) as caught:
        read_all(path)
    assert caught.value.message == f"{path}:3: the row has 2 field(s), but the header has 3"


def test_missing_column_lists_the_header_and_suggests(make_csv: MakeCsv) -> None:
    path = make_csv("agent,complaints,contacts\nA,1,2\n")
    with open_csv(path) as table, pytest.raises(InputFileError) as caught:
        table.column("complaint", option="--events")
    err = caught.value
    assert err.message == (
        f"{path}:1: no column 'complaint' in the header; "
        "the columns are 'agent', 'complaints', 'contacts'"
    )
    assert err.hint == "did you mean --events 'complaints'?"


def test_column_matches_ignoring_case_and_spaces(make_csv: MakeCsv) -> None:
    with open_csv(make_csv(" Agent , Score\nA,1\n")) as table:
        assert table.header == ["Agent", "Score"]
        assert table.column("score", option="--column") == 1
        assert table.column("agent", option="--unit") == 0


def test_duplicate_column(make_csv: MakeCsv) -> None:
    path = make_csv("score,x,score\n1,2,3\n")
    with open_csv(path) as table, pytest.raises(InputFileError) as caught:
        table.column("score", option="--column")
    assert "appears more than once in the header (columns 1 and 3)" in caught.value.message


def test_wrong_delimiter_is_named(make_csv: MakeCsv) -> None:
    path = make_csv("agent;complaints;contacts\nA;1;20\n")
    with open_csv(path, delimiter=",") as table, pytest.raises(InputFileError) as caught:
        table.column("agent", option="--unit")
    err = caught.value
    assert err.message == (
        f"{path}:1: no column 'agent': the header is one column when split at ',', "
        "but it looks separated by ';'"
    )
    assert err.hint is not None and "--delimiter ';'" in err.hint


def test_not_utf8_names_line_and_column(make_csv: MakeCsv) -> None:
    path = make_csv(b"agent,score\nA,9\nJos\xe9,7\n")
    with pytest.raises(InputFileError) as caught:
        read_all(path)
    err = caught.value
    assert err.message == f"{path}:3:4: not UTF-8 text (byte 0xe9)"
    assert err.hint is not None and "UTF-8" in err.hint
    assert err.exit_code == 2


def test_not_utf8_far_into_a_streamed_file(make_csv: MakeCsv) -> None:
    body = b"".join(b"A,%d\n" % (i % 11) for i in range(20_000))
    path = make_csv(b"agent,score\n" + body + b"B,\xff\n")
    with pytest.raises(InputFileError) as caught:
        read_all(path)
    assert caught.value.message == f"{path}:20002:3: not UTF-8 text (byte 0xff)"


def test_utf16_is_recognised(make_csv: MakeCsv) -> None:
    path = make_csv("score\n9\n".encode("utf-16"))
    with pytest.raises(InputFileError) as caught:
        read_all(path)
    assert caught.value.message == f"{path}:1: the file is UTF-16 text, not UTF-8"


@pytest.mark.parametrize("codec", ["utf-32", "utf-32-le", "utf-32-be"])
def test_utf32_is_named_as_utf32(make_csv: MakeCsv, codec: str) -> None:
    # UTF-32's little-endian mark starts as UTF-16's does: told apart, with the right iconv.
    text = "score\n9\n".encode(codec)
    mark = {"utf-32-le": b"\xff\xfe\x00\x00", "utf-32-be": b"\x00\x00\xfe\xff"}
    path = make_csv(mark.get(codec, b"") + text)
    with pytest.raises(InputFileError) as caught:
        read_all(path)
    assert caught.value.message == f"{path}:1: the file is UTF-32 text, not UTF-8"
    assert caught.value.hint is not None and "iconv -f UTF-32" in caught.value.hint


def test_workbook_is_recognised(make_csv: MakeCsv) -> None:
    path = make_csv(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xb4\xe2", "survey.csv")
    with pytest.raises(InputFileError) as caught:
        read_all(path)
    assert "zip file (an Excel workbook?)" in caught.value.message


def test_nul_bytes_in_header(make_csv: MakeCsv) -> None:
    with pytest.raises(InputFileError, match="NUL bytes"):
        read_all(make_csv(b"a\x00b,c\n1,2\n"))


def test_empty_file(make_csv: MakeCsv) -> None:
    path = make_csv("")
    with pytest.raises(InputFileError) as caught:
        read_all(path)
    assert caught.value.message == f"{path}: the file is empty"


def test_blank_first_line(make_csv: MakeCsv) -> None:
    path = make_csv("\n1,2\n")
    with pytest.raises(InputFileError) as caught:
        read_all(path)
    assert caught.value.message == f"{path}:1: the first line is blank"


def test_unclosed_quote_names_where_it_opened(make_csv: MakeCsv) -> None:
    path = make_csv('a,b\n1,2\n3,"oops\n5,6\n7,8\n')
    with pytest.raises(DataError) as caught:
        read_all(path)
    assert caught.value.message == (
        f"{path}:3: a quoted value opened on or after line 3 is never closed"
    )


def test_unclosed_quote_in_a_long_file_is_a_value_too_long(make_csv: MakeCsv) -> None:
    path = make_csv('a,b\n1,2\n3,"oops\n' + "5,6\n" * 600_000)
    with pytest.raises(DataError) as caught:
        read_all(path)
    assert caught.value.message == (
        f"{path}:3: a value starting on or after line 3 is longer than 2,000,000 characters "
        "(an unclosed quote?)"
    )


def test_fields_as_long_as_the_engine_reads_are_read(make_csv: MakeCsv) -> None:
    long, half = "x" * (MAX_FIELD_CHARS - 10), "y" * (MAX_FIELD_CHARS // 2 - 10)
    path = make_csv(f'note,score\n{long},9\n"{half}\n{half}",8\n')
    rows = read_all(path)[1]
    assert [(len(note), score) for note, score in rows] == [
        (len(long), "9"),
        (2 * len(half) + 1, "8"),
    ]


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="no such file"):
        read_all(tmp_path / "absent.csv")
    with pytest.raises(InputFileError, match="is a directory"):
        read_all(tmp_path)


@pytest.mark.parametrize(
    ("given", "expected"),
    [(None, None), (";", ";"), ("tab", "\t"), ("TAB", "\t"), ("\\t", "\t"), ("pipe", "|")],
)
def test_parse_delimiter(given: str | None, expected: str | None) -> None:
    assert parse_delimiter(given) == expected


@pytest.mark.parametrize("bad", [";;", ""])
def test_parse_delimiter_rejects(bad: str) -> None:
    with pytest.raises(UsageError, match="--delimiter must be one character"):
        parse_delimiter(bad)


@pytest.mark.parametrize(
    ("bad", "why"), [('"', "the double quote"), ("\n", "a line break"), ("\r", "a line break")]
)
def test_parse_delimiter_names_why_a_character_cannot_be_one(bad: str, why: str) -> None:
    with pytest.raises(UsageError, match=f"--delimiter cannot be {why}"):
        parse_delimiter(bad)

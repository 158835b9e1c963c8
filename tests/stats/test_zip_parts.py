"""A workbook's zip member is read as far as it can be, as python-calamine reads it."""

from __future__ import annotations

import random
import zipfile
import zlib
from pathlib import Path

import pytest

from svcdiag.stats.zip_parts import open_part
from tests.stats.workbooks import damage

#: Half a megabyte of rows of varied numbers: several pieces of deflated data.
ROWS = b"".join(
    b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (n, n, random.Random(n).randrange(10**9))
    for n in range(1, 12_000)
)
AFTER = b'<row r="9000">'


def member(tmp_path: Path, how: str | None) -> Path:
    path = tmp_path / "book.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("before.xml", b"<a/>")
        book.writestr("sheet.xml", ROWS)
        book.writestr("after.xml", b"<b/>")
    return path if how is None else damage(path, "sheet.xml", how, after=AFTER)


def read(path: Path, size: int) -> bytes:
    with zipfile.ZipFile(path) as book, open_part(book, "sheet.xml") as raw:
        return b"".join(iter(lambda: raw.read(size), b""))


@pytest.mark.parametrize("size", [1, 4_096, 1 << 20, -1])
def test_a_whole_member_is_read_whole(tmp_path: Path, size: int) -> None:
    path = member(tmp_path, None)
    if size == 1:  # a byte at a time: only the start, for speed
        with zipfile.ZipFile(path) as book, open_part(book, "sheet.xml") as raw:
            assert b"".join(raw.read(1) for _ in range(5_000)) == ROWS[:5_000]
        return
    assert read(path, size) == ROWS


def test_a_member_with_a_bad_crc_is_read_as_written(tmp_path: Path) -> None:
    path = member(tmp_path, "crc")
    with zipfile.ZipFile(path) as book, pytest.raises(zipfile.BadZipFile):
        book.read("sheet.xml")
    got = read(path, 1 << 20)
    where = ROWS.index(AFTER) + len(AFTER)
    assert got[:where] == ROWS[:where] and got[where + 1 :] == ROWS[where + 1 :]
    assert got[where] != ROWS[where]


@pytest.mark.parametrize("how", ["cut", "garbled"])
@pytest.mark.parametrize("size", [4_096, 1 << 20])
def test_a_member_cut_short_or_garbled_is_read_up_to_its_damage(
    tmp_path: Path, how: str, size: int
) -> None:
    path = member(tmp_path, how)
    with zipfile.ZipFile(path) as book, pytest.raises((zipfile.BadZipFile, zlib.error)):
        book.read("sheet.xml")
    got = read(path, size)
    where = ROWS.index(AFTER) + len(AFTER)
    assert got[:where] == ROWS[:where]
    assert len(got) < where + 300  # what the garbled bytes decode to before they fail

"""A data file is read as what its content shows, whatever its suffix says."""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import duckdb
import openpyxl
import pytest
from typer.testing import CliRunner, Result

from svcdiag.cli import app
from tests.stats.workbooks import (
    ods_number,
    ods_row,
    ods_table,
    ods_text,
    write_ods,
    write_xlsb,
    xlsb_sheet,
)
from tests.stats.xls_writer import compound_file, write_xls, xls_sheet

FIXTURES = Path(__file__).parent / "fixtures"
#: Scores 9, 3, 10 and 7 (two promoters, one detractor), under the header ``score``.
SCORES = (9, 3, 10, 7)


def run(*args: object) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "80", "NO_COLOR": "1"})


def nps_json(path: Path) -> dict[str, object]:
    result = run("nps", path, "-c", "score", "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


def write_xlsx(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(("branch", "score"))
    for number, score in enumerate(SCORES):
        sheet.append((f"B{number % 2}", score))
    book.save(path)
    return path


def write_scores_ods(path: Path) -> Path:
    rows = [ods_row(ods_text(f"B{n % 2}"), ods_number(s)) for n, s in enumerate(SCORES)]
    return write_ods(
        path, ods_table("Scores", ods_row(ods_text("branch"), ods_text("score")), *rows)
    )


def write_scores_xlsb(path: Path) -> Path:
    rows = [(n + 1, [(0, f"B{n % 2}"), (1, float(s))]) for n, s in enumerate(SCORES)]
    sheet = xlsb_sheet([(0, [(0, "branch"), (1, "score")]), *rows])
    return write_xlsb(path, [("Scores", sheet)])


def write_scores_xls(path: Path) -> Path:
    rows = [(n + 1, [(0, f"B{n % 2}"), (1, float(s))]) for n, s in enumerate(SCORES)]
    sheet = xls_sheet([(0, [(0, "branch"), (1, "score")]), *rows])
    return write_xls(path, [("Scores", sheet)])


def write_scores_parquet(path: Path) -> Path:
    values = ", ".join(f"('B{n % 2}', {s})" for n, s in enumerate(SCORES))
    con = duckdb.connect()
    con.execute(
        f"COPY (SELECT * FROM (VALUES {values}) AS t(branch, score)) TO '{path}' (FORMAT parquet)"
    )
    con.close()
    return path


WRITERS: dict[str, Callable[[Path], Path]] = {
    ".xlsx": write_xlsx,
    ".ods": write_scores_ods,
    ".xlsb": write_scores_xlsb,
    ".xls": write_scores_xls,
    ".parquet": write_scores_parquet,
}
WRONG = (".csv", ".tsv", ".txt", ".parquet", ".xlsx", ".xlsm", ".xlsb", ".xls", ".ods", "")


@pytest.mark.parametrize("real", list(WRITERS))
@pytest.mark.parametrize("named", WRONG)
def test_a_file_is_read_as_its_content_whatever_its_suffix(
    tmp_path: Path, real: str, named: str
) -> None:
    right = WRITERS[real](tmp_path / f"scores{real}")
    expected = nps_json(right)
    assert (expected["n"], expected["promoters"], expected["detractors"]) == (4, 2, 1)
    if named == real:
        return
    wrong = tmp_path / f"copy{named}"
    shutil.copyfile(right, wrong)
    assert nps_json(wrong) == expected


def test_a_workbook_named_in_capitals_is_read(tmp_path: Path) -> None:
    right = write_xlsx(tmp_path / "scores.xlsx")
    shouting = tmp_path / "SCORES.XLS"
    shutil.copyfile(right, shouting)
    assert nps_json(shouting) == nps_json(right)


def test_a_wrongly_named_workbook_s_sheets_are_chosen_as_usual(tmp_path: Path) -> None:
    right = write_xlsx(tmp_path / "scores.xlsx")
    wrong = tmp_path / "scores.csv"
    shutil.copyfile(right, wrong)
    result = run("nps", wrong, "-c", "score", "--sheet", "Nope")
    assert result.exit_code == 2
    assert f"{wrong}: no sheet 'Nope' in the workbook; its sheets are 'Sheet'" in result.stderr
    assert "--delimiter applies to CSV files" in run("nps", wrong, "--delimiter", ";").stderr


def test_a_bad_value_in_a_wrongly_named_workbook_names_the_sheet_row(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(("score",))
    sheet.append((9,))
    sheet.append(("eleven",))
    path = tmp_path / "scores.parquet"
    book.save(tmp_path / "scores.xlsx")
    shutil.copyfile(tmp_path / "scores.xlsx", path)
    result = run("nps", path, "-c", "score")
    assert result.exit_code == 1
    assert f"{path}: sheet 'Sheet', row 3: column 'score'" in result.stderr


def plain_zip(path: Path, *members: tuple[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in members:
            archive.writestr(name, text)
    return path


DOCX = (("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w:document/>"))
ODT = (("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", "<x/>"))


@pytest.mark.parametrize("named", [".xlsx", ".ods", ".xlsb", ".csv", ".parquet", ".docx", ""])
@pytest.mark.parametrize(
    ("members", "what"),
    [
        ((("notes.txt", "hello"),), "a zip archive"),
        (DOCX, "a Word document (.docx)"),
        (ODT, "an OpenDocument text document (.odt)"),
    ],
)
def test_a_zip_that_holds_no_workbook_says_so(
    tmp_path: Path, named: str, members: tuple[tuple[str, str], ...], what: str
) -> None:
    path = plain_zip(tmp_path / f"file{named}", *members)
    result = run("nps", path, "-c", "score")
    assert result.exit_code == 2
    assert f"error: {path}: is {what}, not a workbook, a Parquet file or CSV text" in (
        result.stderr
    )
    unzip = "(unzip the archive first)" in result.stderr
    assert unzip == what.startswith("a zip archive"), result.stderr


def test_a_workbook_missing_its_workbook_part_keeps_the_reader_s_message(tmp_path: Path) -> None:
    path = plain_zip(tmp_path / "lost.xlsx", ("[Content_Types].xml", "<Types/>"))
    result = run("nps", path, "-c", "score")
    assert result.exit_code == 2
    assert f"error: {path}: cannot read this workbook: " in result.stderr
    assert "hint: save it again as .xlsx" in result.stderr


def test_a_cut_short_zip_keeps_the_message_of_its_suffix(tmp_path: Path) -> None:
    whole = write_xlsx(tmp_path / "whole.xlsx").read_bytes()
    for name, message in [
        ("cut.csv", "this is a zip file (an Excel workbook?), not CSV text"),
        ("cut.parquet", "not a Parquet file (it does not start with PAR1)"),
        ("cut.xlsx", "cannot read this workbook: "),
    ]:
        (tmp_path / name).write_bytes(whole[: len(whole) // 2])
        result = run("nps", tmp_path / name, "-c", "score")
        assert result.exit_code == 2 and message in result.stderr, name


def test_an_encrypted_xls_named_xlsx_is_refused_as_protected(tmp_path: Path) -> None:
    path = tmp_path / "locked.xlsx"
    shutil.copyfile(FIXTURES / "libreoffice-7.4-encrypted.xls", path)
    result = run("nps", path, "-c", "score")
    assert result.exit_code == 2
    assert f"error: {path}: cannot read this workbook: Workbook is password protected" in (
        result.stderr
    )


@pytest.mark.parametrize(
    "suffix", [".parquet", ".pq", ".xlsx", ".xlsb", ".xls", ".ods", ".csv", ""]
)
def test_an_empty_file_is_named_empty(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"empty{suffix}"
    path.write_bytes(b"")
    result = run("nps", path, "-c", "score")
    assert result.exit_code == 2
    assert f"error: {path}: the file is empty" in result.stderr
    assert "hint: " in result.stderr


def test_standard_input_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("nps", "-", "-c", "score")
    assert result.exit_code == 2
    assert "error: -: standard input is not read; name a file" in result.stderr
    assert "no such file" not in result.stderr


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:1/x.csv", "https://example.com/data/scores.xlsx", "s3://bucket/x.parquet"],
)
def test_a_url_is_shown_as_typed_and_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("nps", url, "-c", "score")
    assert result.exit_code == 2
    assert f"error: {url}: is a URL; svcdiag reads only files" in result.stderr
    assert "hint: download the file first and give its name" in result.stderr


def test_a_missing_file_is_still_named_missing(tmp_path: Path) -> None:
    path = tmp_path / "http:" / "x.csv"
    result = run("nps", path, "-c", "score")
    assert result.exit_code == 2
    assert f"error: {path}: no such file" in result.stderr


def test_a_file_url_is_named_with_its_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("nps", "file:///srv/exports/x.csv", "-c", "score")
    assert result.exit_code == 2
    assert "error: file:///srv/exports/x.csv: is a URL; svcdiag reads only files" in result.stderr
    assert "hint: give the file's path: /srv/exports/x.csv" in result.stderr


def test_a_file_that_exists_is_read_whatever_its_name_looks_like(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "https:").mkdir()
    (tmp_path / "https:" / "x.csv").write_text("score\n9\n")
    (tmp_path / "-").write_text("score\n9\n")
    for name in ("https://x.csv", "-"):
        assert nps_json(Path(name))["n"] == 1, name


def test_a_header_without_rows_is_a_problem_found_an_empty_file_an_unreadable_one(
    tmp_path: Path,
) -> None:
    """Exit 1: read, and no data in it to count; exit 2: nothing in it can be read as a table."""
    parquet = tmp_path / "none.parquet"
    con = duckdb.connect()
    con.execute(f"COPY (SELECT 9 AS score WHERE false) TO '{parquet}' (FORMAT parquet)")
    con.close()
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(("score",))
    header_only = tmp_path / "header.xlsx"
    book.save(header_only)
    (tmp_path / "header.csv").write_text("score\n")
    for path in (parquet, header_only, tmp_path / "header.csv"):
        result = run("nps", path, "-c", "score")
        assert result.exit_code == 1, result.output
        assert "no data rows" in result.stderr or "has no rows" in result.stderr
    for name in ("empty.csv", "empty.parquet", "empty.xlsx"):
        (tmp_path / name).write_bytes(b"")
        result = run("nps", tmp_path / name, "-c", "score")
        assert result.exit_code == 2 and "the file is empty" in result.stderr, name


@pytest.mark.parametrize("named", [".xls", ".doc", ".csv", ".xlsx"])
@pytest.mark.parametrize(
    ("stream", "what", "hint"),
    [
        ("WordDocument", "is a Word document (.doc), not a workbook, a Parquet file", "name the"),
        ("EncryptedPackage", "is encrypted with a password (an Office file", "remove the password"),
    ],
)
def test_an_ole2_file_that_holds_no_workbook_says_what_it_is(
    tmp_path: Path, named: str, stream: str, what: str, hint: str
) -> None:
    path = tmp_path / f"file{named}"
    path.write_bytes(compound_file(b"\x00" * 4096, stream))
    result = run("nps", path, "-c", "score")
    assert result.exit_code == 2
    assert f"error: {path}: {what}" in result.stderr
    assert hint in result.stderr.split("hint: ", 1)[1]

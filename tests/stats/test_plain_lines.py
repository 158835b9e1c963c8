"""Rows of a plain CSV file holding some text: the rows and lines the csv module reads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from svcdiag.cli import app
from svcdiag.stats import plain_lines
from svcdiag.stats.csvsource import open_csv
from svcdiag.stats.plain_lines import Unsearchable, rows_holding

#: Field text of a plain file: no quote, delimiter or line break, some outer spaces.
FIELDS = st.text(alphabet="ab 20\t;é\u2028\x0b", max_size=6)


def by_the_csv_module(path: Path, delimiter: str, needles: list[str]) -> list[Any]:
    """The data rows holding a needle, with their lines, as the usual reader walks them."""
    with open_csv(path, delimiter=delimiter) as table:
        return [
            (table.line, row)
            for row in table.records()
            if any(needle in delimiter.join(row) for needle in needles)
        ]


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.one_of(st.lists(FIELDS, min_size=3, max_size=3), st.just([])), min_size=1, max_size=30
    ),
    ends=st.lists(st.sampled_from(["\n", "\r\n"]), min_size=1),
    bom=st.booleans(),
    last_end=st.booleans(),
    block=st.integers(1, 40),
    needles=st.lists(st.sampled_from(["20", "a", "é", "b 2", "\u2028"]), min_size=1, max_size=2),
)
def test_the_rows_and_lines_are_those_the_csv_module_reads(
    tmp_path: Path,
    rows: list[list[str]],
    ends: list[str],
    bom: bool,
    last_end: bool,
    block: int,
    needles: list[str],
) -> None:
    lines = ["unit,date,x", *(",".join(row) for row in rows)]
    text = "".join(line + ends[i % len(ends)] for i, line in enumerate(lines))
    if not last_end:
        text = text.rstrip("\r\n")
    path = tmp_path / "plain.csv"
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(plain_lines, "BLOCK_BYTES", block)  # lines cut across blocks
        patch.setattr(plain_lines, "MAX_SHARE", float("inf"))
        found = list(rows_holding(path, ",", 3, needles))
    assert found == by_the_csv_module(path, ",", needles)


@pytest.mark.parametrize(
    "body",
    [
        'a,2204-01-01,"1"\n',  # a quoted field
        "a,2204-01-01,1\rb,2023-01-01,1\n",  # a lone carriage return ends a line
        "a,2204-01-01,\x001\n",
        "a,2204-01-01\n",  # a row short of a field: the usual walk reports it
        "a,2204-01-01,1,2\n",  # one field too many
    ],
)
def test_a_file_that_is_not_plain_is_left_to_the_walk(tmp_path: Path, body: str) -> None:
    path = tmp_path / "t.csv"
    path.write_text("unit,date,x\n" + body, encoding="utf-8", newline="")
    with pytest.raises(Unsearchable):
        list(rows_holding(path, ",", 3, ["2204"]))


def test_a_file_not_utf8_is_left_to_the_walk(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"unit,date,x\na\xe9,2204-01-01,1\n")
    with pytest.raises(Unsearchable):
        list(rows_holding(path, ",", 3, ["2204"]))


def test_text_on_many_lines_is_left_to_the_walk(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    rows = [f"a,2023-{1 + i % 12:02d}-01,1\n" for i in range(40)] + ["a,2204-01-01,1\n"]
    path.write_text("unit,date,x\n" + "".join(rows), encoding="utf-8")
    assert list(rows_holding(path, ",", 3, ["2204"])) == [(42, ["a", "2204-01-01", "1"])]
    with pytest.raises(Unsearchable):
        list(rows_holding(path, ",", 3, ["2023"]))


def mistyped(path: Path, newline: str, quoted: bool = False) -> Path:
    """Two years of days for three teams, one day in the second year written 2204."""
    rows = ["day,team,complaint"]
    for index in range(730 * 3):
        day = f"2023-{1 + index // 3 % 24 // 2:02d}-{1 + index % 28:02d}"
        if index // 3 >= 365:
            day = "2024" + day[4:]
        rows.append(f"{day},{'NSW'[index % 3]},{index % 5 // 4}")
        if index % 400 == 0:
            rows.append("")  # blank lines count as lines
    rows[2000] = "2204-03-04,S,1"
    rows[2100] = "2023-01-02,W,0"  # far from the team's own months, not the file's
    if quoted:
        rows[1500] = '2024-01-01,"N",0'
    path.write_text(newline.join(rows) + newline, encoding="utf-8", newline="")
    return path


@pytest.mark.parametrize(("newline", "quoted"), [("\n", False), ("\r\n", False), ("\n", True)])
@pytest.mark.parametrize("by", [[], ["--by", "team"]])
def test_the_warning_names_the_lines_the_walk_names(
    tmp_path: Path, newline: str, quoted: bool, by: list[str]
) -> None:
    path = mistyped(tmp_path / "days.csv", newline, quoted)
    args = ["trend", str(path), "--time", "day", "--outcome", "complaint", "-f", "json", *by]
    searched: list[int] = []
    real = plain_lines.rows_holding

    def counted(*given: Any) -> Any:
        for found in real(*given):
            searched.append(found[0])
            yield found

    runner = CliRunner()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(plain_lines, "rows_holding", counted)
        quick = runner.invoke(app, args)
    with pytest.MonkeyPatch.context() as patch:

        def unsearchable(*given: Any) -> Any:
            raise Unsearchable
            yield

        patch.setattr(plain_lines, "rows_holding", unsearchable)
        walked = runner.invoke(app, args)
    assert quick.exit_code == walked.exit_code == 0
    assert (quick.stdout, quick.stderr) == (walked.stdout, walked.stderr)
    assert "2204-03 (line 2001)" in " ".join(quick.stderr.split())
    assert bool(searched) is not quoted  # a quoted field anywhere: the rows are walked

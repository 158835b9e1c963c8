"""A header cell with a line break (Alt+Enter in Excel), in a CRLF or LF export: every row read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.hardening.conftest import run

#: Scores 9, 10, 7, 3, 0, 9: three promoters, one passive, two detractors.
SCORES = ["9", "10", "7", "3", "0", "9"]


def _export(tmp_path: Path, end: str, header: list[str], rows: list[list[str]]) -> Path:
    def record(cells: list[str]) -> str:
        return ",".join(f'"{c}"' if "\n" in c else c for c in cells) + end

    path = tmp_path / "export.csv"
    path.write_bytes("".join(record(r) for r in [header, *rows]).encode())
    return path


@pytest.mark.parametrize("end", ["\r\n", "\n"], ids=["crlf", "lf"])
@pytest.mark.parametrize("broken", [0, 1, 2], ids=["score", "branch", "other"])
def test_nps_counts_every_row_under_a_header_cell_with_a_line_break(
    tmp_path: Path, end: str, broken: int
) -> None:
    header = ["score", "branch", "How likely are you to recommend us?"]
    header[broken] = (
        header[broken].replace(" ", "\n", 1)
        if " " in header[broken]
        else (header[broken][:2] + "\n" + header[broken][2:])
    )
    rows = [[s, "Leeds" if i % 2 else "York", "x"] for i, s in enumerate(SCORES)]
    data = _export(tmp_path, end, header, rows)
    result = run("nps", data, "--column", header[0], "--by", header[1], "-f", "json")
    assert result.exit_code == 0, result.stderr
    found = json.loads(result.stdout)
    assert (found["n"], found["promoters"], found["passives"], found["detractors"]) == (6, 3, 1, 2)
    assert found["nps"] == pytest.approx(100 * (3 - 2) / 6)
    # York holds rows 0, 2, 4 (9, 7, 0); Leeds rows 1, 3, 5 (10, 3, 9)
    by_group = {
        g["group"]: (g["promoters"], g["passives"], g["detractors"]) for g in found["groups"]
    }
    assert by_group == {"York": (1, 1, 1), "Leeds": (2, 0, 1)}


@pytest.mark.parametrize("end", ["\r\n", "\n"], ids=["crlf", "lf"])
def test_variation_and_trend_read_every_row_under_such_a_header(tmp_path: Path, end: str) -> None:
    header = ["month", "team", "com\nplaints", "contacts"]
    rows = [
        [f"2024-{m:02d}-01", team, str(m % 3), "50"]
        for m in range(1, 7)
        for team in ("North", "South")
    ]
    data = _export(tmp_path, end, header, rows)
    variation = run(
        "variation", data, "--unit", "team", "--events", "com\nplaints", "--cases", "contacts",
        "-f", "json",
    )  # fmt: skip
    assert variation.exit_code == 0, variation.stderr
    units = {u["unit"]: (u["events"], u["cases"]) for u in json.loads(variation.stdout)["units"]}
    # months 1..6 give 1, 2, 0, 1, 2, 0 events for each team
    assert units == {"North": (6, 300), "South": (6, 300)}
    trend = run(
        "trend", data, "--time", "month", "--events", "com\nplaints", "--cases", "contacts",
        "-f", "json",
    )  # fmt: skip
    assert trend.exit_code == 0, trend.stderr
    points = json.loads(trend.stdout)["series"][0]["points"]
    assert [(p["n"], p["events"]) for p in points] == [
        (100, 2), (100, 4), (100, 0), (100, 2), (100, 4), (100, 0),
    ]  # fmt: skip


def test_a_data_cell_with_a_line_break_in_a_crlf_file_still_reads(tmp_path: Path) -> None:
    rows = [[s, "Leeds", "two\nlines"] for s in SCORES]
    data = _export(tmp_path, "\r\n", ["score", "branch", "comment"], rows)
    result = run("nps", data, "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["n"] == 6

"""`svcdiag nps` and `svcdiag variation` through the command line: output and errors."""

from __future__ import annotations

import csv
import io
import json
import math
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from typer.main import get_command
from typer.testing import CliRunner, Result

from svcdiag.cli import app
from svcdiag.render.stats_formats import RENDERERS, OutputFormat

MakeCsv = Callable[..., Path]
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

NPS_KEYS = {
    "n",
    "promoters",
    "passives",
    "detractors",
    "nps",
    "ci_low",
    "ci_high",
    "confidence",
    "skipped",
    "groups",
}
#: The group keys the README documents, in the order they are written.
GROUP_KEYS_ORDER = (
    "group",
    "n",
    "promoters",
    "passives",
    "detractors",
    "nps",
    "ci_low",
    "ci_high",
    "flag",
)
GROUP_KEYS = set(GROUP_KEYS_ORDER)
VARIATION_KEYS = {"target", "phi", "tau2", "adjustment", "verdict", "units"}
#: The unit keys the issue fixes, in the order they are written.
UNIT_KEYS_ORDER = (
    "unit",
    "events",
    "cases",
    "rate",
    "z",
    "lower95",
    "upper95",
    "lower998",
    "upper998",
    "status",
)
UNIT_KEYS = set(UNIT_KEYS_ORDER)
TEN_ANSWERS = "branch,score\nA,9\nA,10\nA,10\nB,8\nB,7\nA,6\nB,3\nB,0\nA,9\nB,10\n"


def run(*args: object, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(
        app, [str(a) for a in args], env={"COLUMNS": "80", "NO_COLOR": "1", **(env or {})}
    )


def run_json(*args: object) -> dict[str, object]:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


def rocks(p: int, d: int, n: int, z: float) -> tuple[float, float]:
    pp, dd = (p + 0.75) / (n + 3), (d + 0.75) / (n + 3)
    half = z * math.sqrt((pp + dd - (pp - dd) ** 2) / (n + 3))
    return 100 * (pp - dd - half), 100 * (pp - dd + half)


# ---------------------------------------------------------------- nps


def test_nps_terminal_view(make_csv: MakeCsv) -> None:
    # 5 promoters, 2 passives, 3 detractors: NPS 20; interval from the formula.
    result = run("nps", make_csv(TEN_ANSWERS))
    assert result.exit_code == 0, result.stderr
    low, high = rocks(5, 3, 10, 1.959964)  # -30.3 to +61.1
    lines = [" ".join(line.split()) for line in result.stdout.splitlines()]
    assert lines == [
        "Net Promoter Score",
        "Promoters (9-10) 5 50.0%",
        "Passives (7-8) 2 20.0%",
        "Detractors (0-6) 3 30.0%",
        "Answers 10",
        f"NPS +20.0 95 % interval {low:+.1f} to {high:+.1f} (adjusted Wald)",
    ]
    assert result.stderr == ""


def test_nps_json_has_the_fixed_keys(make_csv: MakeCsv) -> None:
    data = run_json("nps", make_csv(TEN_ANSWERS), "--by", "branch")
    assert set(data) == NPS_KEYS
    assert (data["n"], data["promoters"], data["passives"], data["detractors"]) == (10, 5, 2, 3)
    assert data["nps"] == pytest.approx(20.0)
    assert (data["ci_low"], data["ci_high"]) == pytest.approx(rocks(5, 3, 10, 1.959964))
    groups = data["groups"]
    assert isinstance(groups, list)
    assert [set(g) for g in groups] == [GROUP_KEYS, GROUP_KEYS]
    # A: 9, 10, 10, 6, 9 -> 4 promoters, 1 detractor: NPS 60. B: 8, 7, 3, 0, 10 -> -20.
    assert [(g["group"], g["n"], g["nps"]) for g in groups] == [("A", 5, 60.0), ("B", 5, -20.0)]
    # B: 10 is a promoter, 8 and 7 passives, 3 and 0 detractors.
    counts = [(g["promoters"], g["passives"], g["detractors"]) for g in groups]
    assert counts == [(4, 0, 1), (1, 2, 2)]
    assert [g["flag"] for g in groups] == ["within", "within"]


def test_nps_confidence_changes_interval(make_csv: MakeCsv) -> None:
    data = run_json("nps", make_csv(TEN_ANSWERS), "--confidence", "0.9")
    assert data["confidence"] == 0.9
    assert (data["ci_low"], data["ci_high"]) == pytest.approx(rocks(5, 3, 10, 1.644854))


def test_nps_confidence_as_percentage_is_refused(make_csv: MakeCsv) -> None:
    result = run("nps", make_csv(TEN_ANSWERS), "--confidence", "95")
    assert result.exit_code == 2
    assert "error: --confidence must be between 0.5 and 0.999, not 95" in result.stderr
    assert "hint: give a proportion, not a percentage: 0.95" in result.stderr


def test_nps_confidence_without_a_percentage_reading(make_csv: MakeCsv) -> None:
    # 1.5 / 100 = 0.015 is no valid level either, so it must not be offered.
    result = run("nps", make_csv(TEN_ANSWERS), "--confidence", "1.5")
    assert result.exit_code == 2
    assert "error: --confidence must be between 0.5 and 0.999, not 1.5" in result.stderr
    assert "hint: give a proportion from 0.5 to 0.999, e.g. 0.90 or 0.95" in result.stderr
    assert "0.015" not in result.stderr


def test_nps_example_flags_hull() -> None:
    data = run_json("nps", EXAMPLES / "nps_survey.csv", "--by", "branch")
    flags = {g["group"]: g["flag"] for g in data["groups"]}  # type: ignore[attr-defined]
    assert flags == {
        "Bradford": "within",
        "York": "within",
        "Hull": "below",
        "Leeds": "within",
        "Wakefield": "within",
    }
    assert data["n"] == 590


def test_nps_invalid_value_names_row_and_value(make_csv: MakeCsv) -> None:
    path = make_csv("id,score\n1,9\n2,eleven\n3,7\n")
    result = run("nps", path)
    assert result.exit_code == 1
    assert f"error: {path}:3: column 'score': 'eleven' is not an integer from 0 to 10" in (
        result.stderr
    )
    assert "--skip-invalid" in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("11", "'11' is not an integer from 0 to 10"),
        ("7.5", "'7.5' is not an integer from 0 to 10"),
        ("-1", "'-1' is not an integer from 0 to 10"),
        ("", "column 'score' is empty"),
    ],
)
def test_nps_out_of_range(make_csv: MakeCsv, cell: str, message: str) -> None:
    result = run("nps", make_csv(f"id,score\n1,{cell}\n"))
    assert result.exit_code == 1
    assert f":2: {message}" in result.stderr or f":2: column 'score': {message}" in result.stderr


def test_nps_accepts_spreadsheet_spellings(make_csv: MakeCsv) -> None:
    data = run_json("nps", make_csv("score\n9.0\n 10 \n7\n"))
    assert (data["promoters"], data["passives"]) == (2, 1)


def test_nps_skip_invalid_counts_and_warns(make_csv: MakeCsv) -> None:
    path = make_csv("id,score\n1,9\n2,N/A\n3,10\n4,\n5,11\n6,N/A\n7,0\n8,8\n")
    result = run("nps", path, "--skip-invalid", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert (data["n"], data["skipped"]) == (4, 4)
    assert (data["promoters"], data["passives"], data["detractors"]) == (2, 1, 1)
    assert (
        "warning: skipped 4 of 8 rows with invalid values "
        "(line 3: 'N/A'; line 5: empty; line 6: '11')" in result.stderr
    )


def test_nps_skip_invalid_shows_in_terminal_view(make_csv: MakeCsv) -> None:
    result = run("nps", make_csv("score\n9\nx\n"), "--skip-invalid")
    assert "1 invalid rows skipped" in result.stdout


def test_nps_empty_group_is_invalid(make_csv: MakeCsv) -> None:
    path = make_csv("branch,score\nA,9\n,7\n")
    result = run("nps", path, "--by", "branch")
    assert result.exit_code == 1
    assert f"{path}:3: column 'branch' (--by) is empty" in result.stderr
    data = run_json("nps", path, "--by", "branch", "--skip-invalid")
    assert (data["n"], data["skipped"]) == (1, 1)


def test_nps_finds_answer_column_by_name(make_csv: MakeCsv) -> None:
    data = run_json("nps", make_csv("id,NPS,comment\n1,10,great\n2,3,slow\n"))
    assert (data["promoters"], data["detractors"]) == (1, 1)


def test_nps_asks_which_column(make_csv: MakeCsv) -> None:
    path = make_csv("id,q1,q2\n1,10,3\n")
    result = run("nps", path)
    assert result.exit_code == 2
    assert f"{path}:1: which column holds the 0-10 answers? The columns are 'id', 'q1', 'q2'" in (
        result.stderr
    )
    assert "hint: name it with --column" in result.stderr


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        ("score\n", 1, ":2: the file has a header but no data rows"),
        ("", 2, ": the file is empty"),
        ("score\nx\n", 1, ":2: column 'score': 'x' is not an integer from 0 to 10"),
    ],
)
def test_nps_bad_files(make_csv: MakeCsv, text: str, code: int, message: str) -> None:
    result = run("nps", make_csv(text))
    assert result.exit_code == code
    assert message in result.stderr


def test_nps_no_valid_answers_after_skipping(make_csv: MakeCsv) -> None:
    result = run("nps", make_csv("score\nx\ny\n"), "--skip-invalid")
    assert result.exit_code == 1
    assert "none of the 2 rows holds a valid answer from 0 to 10" in result.stderr


def test_nps_wrong_delimiter(make_csv: MakeCsv) -> None:
    path = make_csv("id;branch;score\n1;A;9\n")
    result = run("nps", path, "--delimiter", ",", "--column", "score")
    assert result.exit_code == 2
    assert "looks separated by ';'" in result.stderr
    assert "--delimiter ';'" in result.stderr
    assert run_json("nps", path, "--column", "score")["n"] == 1


def test_nps_wrong_delimiter_without_column(make_csv: MakeCsv) -> None:
    # One column at ',' used to be taken as the answer column, so the first
    # row failed as an invalid answer with a hint to pass --skip-invalid.
    path = make_csv("branch;score\nNorth;9\nSouth;3\n")
    result = run("nps", path, "--delimiter", ",")
    assert result.exit_code == 2, result.output
    assert (
        f"error: {path}:1: cannot tell which column holds the 0-10 answers: the header is "
        "one column when split at ',', but it looks separated by ';'"
    ) in result.stderr
    assert "hint: pass --delimiter ';' (or leave --delimiter out to detect it)" in result.stderr
    assert "--skip-invalid" not in result.stderr
    assert run_json("nps", path, "--delimiter", ";")["n"] == 2


def test_nps_single_column_with_right_delimiter_is_still_the_answers(make_csv: MakeCsv) -> None:
    assert run_json("nps", make_csv("score\n9\n3\n"), "--delimiter", ",")["nps"] == 0.0
    # No delimiter splits a one-column header: any --delimiter reads it.
    for given in (";", "tab", "|"):
        assert run_json("nps", make_csv("score\n9\n3\n"), "--delimiter", given)["nps"] == 0.0


@pytest.mark.parametrize(
    "args",
    [
        ("--unit", "branch", "--outcome", "complaint"),
        ("--unit", "branch", "--events", "complaints", "--cases", "contacts"),
    ],
)
def test_variation_wrong_delimiter(make_csv: MakeCsv, args: tuple[str, ...]) -> None:
    path = make_csv("branch;complaint;complaints;contacts\nN;1;1;10\nS;0;2;10\n")
    result = run("variation", path, "--delimiter", ",", *args)
    assert result.exit_code == 2, result.output
    assert (
        f"error: {path}:1: no column 'branch': the header is one column when split at ',', "
        "but it looks separated by ';'"
    ) in result.stderr
    assert "hint: pass --delimiter ';'" in result.stderr


def test_nps_non_utf8(make_csv: MakeCsv) -> None:
    path = make_csv(b"branch,score\nA,9\nM\xfcnchen,7\n")
    result = run("nps", path, "--by", "branch")
    assert result.exit_code == 2
    assert f"{path}:3:2: not UTF-8 text (byte 0xfc)" in result.stderr


def test_nps_missing_file(tmp_path: Path) -> None:
    result = run("nps", tmp_path / "nope.csv")
    assert result.exit_code == 2
    assert "nope.csv: no such file" in result.stderr


def test_nps_csv_output(make_csv: MakeCsv) -> None:
    result = run("nps", make_csv(TEN_ANSWERS), "--by", "branch", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["scope"], r["group"], r["n"], r["flag"]) for r in rows] == [
        ("overall", "", "10", ""),
        ("group", "A", "5", "within"),
        ("group", "B", "5", "within"),
    ]
    assert (rows[1]["promoters"], rows[1]["detractors"]) == ("4", "1")
    assert float(rows[0]["nps"]) == pytest.approx(20.0)


# ---------------------------------------------------------------- variation

UNIT_ROWS = "agent,complaints,contacts\nA,10,200\nB,12,220\nC,30,180\nA,5,100\n"
UNIT_ARGS = ("--unit", "agent", "--events", "complaints", "--cases", "contacts")


def test_variation_json_has_the_fixed_keys(make_csv: MakeCsv) -> None:
    data = run_json(
        "variation",
        make_csv(UNIT_ROWS),
        *UNIT_ARGS,
    )
    assert set(data) == VARIATION_KEYS
    units = data["units"]
    assert isinstance(units, list)
    assert all(set(u) == UNIT_KEYS for u in units)
    # rows of the same unit are added: A = 15 / 300
    assert [(u["unit"], u["events"], u["cases"]) for u in units] == [
        ("A", 15, 300),
        ("B", 12, 220),
        ("C", 30, 180),
    ]
    assert data["target"] == pytest.approx(57 / 700)
    assert data["verdict"] in ("common_cause", "special_cause")
    assert all(
        u["status"] in {"normal", "alert_high", "alarm_high", "alert_low", "alarm_low"}
        for u in units
    )


def test_variation_common_cause_example() -> None:
    result = run(
        "variation",
        EXAMPLES / "complaints_by_agent.csv",
        *UNIT_ARGS,
    )
    assert result.exit_code == 0, result.stderr
    assert (
        "Verdict: common cause: the spread between units is what one system produces, "
        "look at the system" in " ".join(result.stdout.split())
    )
    assert "No unit lies beyond its 99.8 % limits." in result.stdout
    assert "● unit" in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_variation_special_cause_example() -> None:
    args = (
        "variation",
        EXAMPLES / "contacts_by_case.csv",
        "--unit",
        "agent",
        "--outcome",
        "repeat_contact",
    )
    data = run_json(*args)
    assert data["verdict"] == "special_cause"
    statuses = {u["unit"]: u["status"] for u in data["units"]}  # type: ignore[attr-defined]
    assert statuses.pop("AG07") == "alarm_high"
    assert set(statuses.values()) == {"normal"}
    text = " ".join(run(*args).stdout.split())
    assert "Verdict: special cause: these units differ beyond what the system explains" in text
    assert "Beyond the 99.8 % limits: AG07 (high)." in text
    assert "▲" in run(*args).stdout


def test_variation_outcome_spellings(make_csv: MakeCsv) -> None:
    path = make_csv("agent,bad\nA,1\nA,0\nA,yes\nB,no\nB,TRUE\nB,false\nB,0.0\n")
    data = run_json("variation", path, "--unit", "agent", "--outcome", "bad")
    assert [(u["unit"], u["events"], u["cases"]) for u in data["units"]] == [  # type: ignore[attr-defined]
        ("A", 2, 3),
        ("B", 1, 4),
    ]


def test_variation_target_and_no_overdispersion(make_csv: MakeCsv) -> None:
    rows = "".join(f"U{i},{e},1000\n" for i, e in enumerate([50, 80, 100, 120, 150, 180]))
    path = make_csv("unit,events,cases\n" + rows)
    common = ("variation", path, "--unit", "unit", "--events", "events", "--cases", "cases")
    adjusted = run_json(*common, "--overdispersion")  # 6 units: only when asked
    assert adjusted["tau2"] > 0  # type: ignore[operator]
    assert adjusted["adjustment"] == "applied"
    default = run(*common, "--format", "json")
    assert json.loads(default.stdout)["adjustment"] == "few_units"
    assert "with 6 units (fewer than 20)" in " ".join(default.stderr.split())
    plain = run(*common, "--no-overdispersion", "--format", "json")
    assert json.loads(plain.stdout)["tau2"] == 0.0
    assert json.loads(plain.stdout)["adjustment"] == "turned_off"
    assert "--no-overdispersion keeps the limits narrow" in plain.stderr
    given = run_json(*common, "--target", "0.1")
    assert given["target"] == 0.1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "say what to count: --events and --cases"),
        (("--outcome", "x", "--events", "e"), "give either --events and --cases, or --outcome"),
        (("--events", "complaints"), "--events and --cases go together; --cases is missing"),
        (("--cases", "contacts"), "--events and --cases go together; --events is missing"),
        (("--outcome", "x", "--target", "5"), "--target must lie strictly between 0 and 1"),
    ],
)
def test_variation_usage_errors(make_csv: MakeCsv, args: tuple[str, ...], message: str) -> None:
    result = run("variation", make_csv(UNIT_ROWS), "--unit", "agent", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("A,1,10\nB,0,0\n", ":3: unit 'B' has 0 cases in column 'contacts'"),
        ("A,1,10\nB,12,10\n", ":3: 12 events ('complaints') but only 10 cases ('contacts')"),
        ("A,1,10\nB,abc,10\n", ":3: column 'complaints': 'abc' is not a whole number"),
        ("A,1,10\nB,-2,10\n", ":3: column 'complaints': '-2' is negative"),
        ("A,1,10\nB,,10\n", ":3: column 'complaints' is empty"),
        ("A,1,10\n,1,10\n", ":3: column 'agent' (--unit) is empty"),
        ("A,1,10\nA,2,10\n", "only one unit ('A') in column 'agent'"),
        ("A,0,10\nB,0,10\n", "none of the 20 cases are events"),
        ("", ":2: the file has a header but no data rows"),
        ("A,1,10,x\n", ":2: the row has 4 fields, but the header has only 3"),
    ],
)
def test_variation_data_errors(make_csv: MakeCsv, body: str, message: str) -> None:
    path = make_csv("agent,complaints,contacts\n" + body)
    result = run(
        "variation", path, "--unit", "agent", "--events", "complaints", "--cases", "contacts"
    )
    assert result.exit_code == 1, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("zero", ["-0", " -00 ", "-0.0"])
def test_variation_minus_zero_count_is_not_called_negative(make_csv: MakeCsv, zero: str) -> None:
    path = make_csv(f"agent,complaints,contacts\nA,1,10\nB,{zero},10\n")
    result = run(
        "variation", path, "--unit", "agent", "--events", "complaints", "--cases", "contacts"
    )
    assert result.exit_code == 1, result.output
    assert (
        f"{path}:3: column 'complaints': {zero!r} is not a whole number as written\n"
        "hint: write 0" in result.stderr
    )
    assert "negative" not in result.stderr


def test_variation_bad_outcome(make_csv: MakeCsv) -> None:
    path = make_csv("agent,bad\nA,1\nB,2\n")
    result = run("variation", path, "--unit", "agent", "--outcome", "bad")
    assert result.exit_code == 1
    assert f"{path}:3: column 'bad': '2' is not an outcome; expected 0 or 1" in result.stderr


def test_variation_missing_column(make_csv: MakeCsv) -> None:
    result = run(
        "variation",
        make_csv(UNIT_ROWS),
        "--unit",
        "agents",
        "--events",
        "complaints",
        "--cases",
        "contacts",
    )
    assert result.exit_code == 2
    assert "no column 'agents' in the header" in result.stderr
    assert "hint: did you mean --unit 'agent'?" in result.stderr


def test_variation_csv_output(make_csv: MakeCsv) -> None:
    result = run(
        "variation",
        make_csv(UNIT_ROWS),
        *UNIT_ARGS,
        "-f",
        "csv",
    )
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert tuple(rows[0]) == UNIT_KEYS_ORDER
    assert [r["unit"] for r in rows] == ["A", "B", "C"]


def test_variation_long_names_fit_80_columns(make_csv: MakeCsv) -> None:
    rows = "".join(
        f"Customer service team number {i} (north region),{10 + i},{300 + 40 * i}\n"
        for i in range(30)
    )
    path = make_csv("team,complaints,contacts\n" + rows)
    result = run(
        "variation", path, "--unit", "team", "--events", "complaints", "--cases", "contacts"
    )
    assert result.exit_code == 0
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_many_units_list_only_flagged(make_csv: MakeCsv) -> None:
    rows = "".join(f"U{i:03d},{10},{200}\n" for i in range(60)) + "BIG,90,200\n"
    path = make_csv("unit,e,n\n" + rows)
    result = run("variation", path, "--unit", "unit", "--events", "e", "--cases", "n")
    assert "BIG" in result.stdout
    assert "U001" not in result.stdout
    assert "60 units within their 95 % limits are not listed" in result.stdout


# ---------------------------------------------------------------- output files and formats


def test_output_writes_yaml_and_refuses_to_overwrite(make_csv: MakeCsv, tmp_path: Path) -> None:
    target = tmp_path / "nps.yaml"
    first = run("nps", make_csv(TEN_ANSWERS), "--output", target)
    assert first.exit_code == 0
    assert "Net Promoter Score" in first.stdout
    assert f"wrote {target}" in first.stderr
    assert yaml.safe_load(target.read_text())["nps"] == pytest.approx(20.0)
    again = run("nps", make_csv(TEN_ANSWERS), "--output", target)
    assert again.exit_code == 2
    assert "already exists; nothing was written" in again.stderr
    assert run("nps", make_csv(TEN_ANSWERS), "--output", target, "--force").exit_code == 0


def test_output_in_explicit_format(make_csv: MakeCsv, tmp_path: Path) -> None:
    target = tmp_path / "result.txt"
    result = run("nps", make_csv(TEN_ANSWERS), "-f", "json", "-o", target)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert set(json.loads(target.read_text())) == NPS_KEYS


def test_output_format_from_unknown_suffix(make_csv: MakeCsv, tmp_path: Path) -> None:
    result = run("nps", make_csv(TEN_ANSWERS), "-o", tmp_path / "result.txt")
    assert result.exit_code == 2
    assert "cannot tell the format of" in result.stderr
    assert not (tmp_path / "result.txt").exists()


def test_every_format_has_a_renderer() -> None:
    assert set(RENDERERS) == set(OutputFormat)


def test_no_color_is_honoured(make_csv: MakeCsv) -> None:
    path = make_csv("unit,e,n\nA,10,200\nB,60,200\nC,12,200\nD,9,200\n")
    args = ("variation", path, "--unit", "unit", "--events", "e", "--cases", "n")
    coloured = CliRunner().invoke(
        app, [str(a) for a in args], env={"FORCE_COLOR": "1", "NO_COLOR": None}
    )
    plain = CliRunner().invoke(
        app, [str(a) for a in args], env={"FORCE_COLOR": "1", "NO_COLOR": "1"}
    )
    assert "\x1b[31m" in coloured.stdout or "\x1b[1;31m" in coloured.stdout
    assert "31m" not in plain.stdout and "32m" not in plain.stdout
    assert "▲" in plain.stdout


def test_every_command_and_option_has_help() -> None:
    group = get_command(app)
    for name in ("nps", "variation"):
        command = group.commands[name]  # type: ignore[attr-defined]
        assert command.help
        for param in command.params:
            if param.param_type_name == "option":
                assert param.help, f"{name} {param.name}"


def test_stats_commands_import_no_heavy_modules() -> None:
    code = (
        "import sys\n"
        "from svcdiag.cli import main\n"
        f"sys.argv = ['svcdiag', 'nps', {str(EXAMPLES / 'nps_survey.csv')!r}, '-f', 'json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = {'numpy', 'pandas', 'scipy', 'questionary', 'prompt_toolkit'}\n"
        "print(sorted(heavy & set(sys.modules)), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stderr.strip() == "[]"


def test_many_alarms_are_capped_and_put_in_proportion(make_csv: MakeCsv) -> None:
    # 288 units at 5 % and 12 at 40 %, all with 400 cases: 300 units, 12 alarms.
    rows = "".join(f"U{i:03d},20,400\n" for i in range(288))
    rows += "".join(f"X{i:02d},160,400\n" for i in range(12))
    path = make_csv("unit,e,n\n" + rows)
    result = run(
        "variation", path, "--unit", "unit", "--events", "e", "--cases", "n",
        "--no-overdispersion",
    )  # fmt: skip
    text = " ".join(result.stdout.split())
    named = ", ".join(f"X{i:02d} (high)" for i in range(10))
    assert f"Beyond the 99.8 % limits: {named} and 2 more." in text
    assert "With 300 units, about 1 would lie beyond their 99.8 % limits by chance alone; " in (
        text
    )
    assert "12 do." in text


@pytest.mark.parametrize("header", ["score,score", "Score,score", "id,score,NPS,score"])
def test_an_answer_column_named_twice_is_named_as_a_duplicate(
    make_csv: MakeCsv, header: str
) -> None:
    width = header.count(",") + 1
    path = make_csv(f"{header}\n" + ",".join(["9"] * width) + "\n")
    result = CliRunner().invoke(app, ["nps", str(path)])
    assert result.exit_code == 2
    if header.startswith("id"):  # two different names: which one is unclear
        assert "which column holds the 0-10 answers?" in result.stderr
    else:
        assert "appears more than once in the header (columns 1 and 2)" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nps", "-c", "e", "--by", "e"), "--column and --by both name column 'e'"),
        (("variation", "--unit", "e", "--events", "e", "--cases", "n"), "--unit and --events"),
        (("variation", "--unit", "u", "--events", "n", "--cases", "n"), "--events and --cases"),
        (("variation", "--unit", "e", "--outcome", "e"), "--unit and --outcome both name"),
    ],
)
def test_two_options_naming_one_column_are_refused(
    make_csv: MakeCsv, args: tuple[str, ...], message: str
) -> None:
    """A rate of a column over itself, or a unit that is its own count, is never what was meant."""
    data = make_csv("u,e,n\nA,1,5\nB,0,6\n")
    result = CliRunner().invoke(app, [args[0], str(data), *args[1:]])
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "a column of its own" in result.stderr

"""Numbers too large or too small to compute with: refused with an error, never wrong."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from svcdiag.cli import app
from svcdiag.stats.funnel import exact_limits
from svcdiag.stats.values import MAX_CASES, parse_outcome, parse_score, parse_whole

MakeCsv = Callable[..., Path]
COUNTS = ("--unit", "agent", "--events", "complaints", "--cases", "contacts")


def run(*args: object) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "80", "NO_COLOR": "1"})


def test_cases_beyond_the_maximum_are_refused_naming_the_row(make_csv: MakeCsv) -> None:
    # 10**17 cases: 1 - p0 rounds to 1 and the exact limits collapse; before
    # this was refused, both units came out "ALARM high", one with z = -0.50.
    path = make_csv("agent,complaints,contacts\nA,5,100000000000000000\nB,3,100000000000000000\n")
    result = run("variation", path, *COUNTS)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert (
        f"error: {path}:2: column 'contacts': '100000000000000000' is more cases than "
        "svcdiag takes (10,000,000,000 at most)"
    ) in result.stderr
    assert "Traceback" not in result.output


def test_total_beyond_the_maximum_names_the_row_where_it_is_passed(make_csv: MakeCsv) -> None:
    half = MAX_CASES // 2
    path = make_csv(f"agent,complaints,contacts\nA,5,{half}\nB,3,{half}\nC,1,1\nD,1,9\n")
    result = run("variation", path, *COUNTS)
    assert result.exit_code == 1, result.output
    assert (
        f"error: {path}:4: the cases in column 'contacts' add up to more than "
        "10,000,000,000 by this row"
    ) in result.stderr


def test_rows_of_one_unit_adding_up_beyond_the_maximum(make_csv: MakeCsv) -> None:
    path = make_csv(f"agent,complaints,contacts\nA,5,{MAX_CASES}\nB,1,7\nA,1,1\n")
    result = run("variation", path, *COUNTS)
    assert result.exit_code == 1
    assert f"{path}:3: the cases in column 'contacts' add up to more than" in result.stderr


def test_the_maximum_itself_is_analysed(make_csv: MakeCsv) -> None:
    half = MAX_CASES // 2
    path = make_csv(f"agent,complaints,contacts\nA,5,{half}\nB,3,{half}\n")
    result = run("variation", path, *COUNTS, "--format", "csv")
    assert result.exit_code == 0, result.output
    statuses = [line.rsplit(",", 1)[1] for line in result.stdout.splitlines()[1:]]
    assert statuses == ["normal", "normal"]


def test_exact_limits_hold_up_to_the_maximum() -> None:
    # With n p0 fixed at 4, the binomial tends to Poisson(4): its limits on the
    # count scale barely move between 10**6 and MAX_CASES cases. Beyond about
    # 10**12 (lgamma cancellation) they drift, which is why larger counts are refused.
    small = exact_limits(4 / 10**6, 10**6)
    large = exact_limits(4 / MAX_CASES, MAX_CASES)
    for name in ("lower95", "upper95", "lower998", "upper998"):
        on_count_scale = getattr(large, name) * MAX_CASES
        assert on_count_scale == pytest.approx(getattr(small, name) * 10**6, abs=1e-4)


@pytest.mark.parametrize(
    ("argv", "body", "message"),
    [
        (("nps",), "score\n{big}\n", "column 'score': '99999999999999999999...9999"),
        (("variation", "-u", "agent", "--outcome", "x"), "agent,x\nA,{big}\n", "column 'x': '9999"),
        (("variation", *COUNTS), "agent,complaints,contacts\nA,1,{big}\n", "more cases than"),
        (("variation", *COUNTS), "agent,complaints,contacts\nA,{big},3\n", "but only 3 cases"),
    ],
)
def test_numbers_of_thousands_of_digits_are_data_errors(
    make_csv: MakeCsv, argv: tuple[str, ...], body: str, message: str
) -> None:
    # int() refuses strings of over 4300 digits with a ValueError; that was a traceback.
    path = make_csv(body.format(big="9" * 5000))
    result = run(argv[0], path, *argv[1:])
    assert result.exit_code == 1, result.output
    assert f"{path}:2: " in result.stderr
    assert message in result.stderr
    assert "(5,000 characters)" in result.stderr or "but only" in result.stderr
    assert "Traceback" not in result.output
    assert "9" * 50 not in result.stderr


def test_parse_whole_caps_long_numbers() -> None:
    assert parse_whole("0" * 50 + "7") == 7
    assert parse_whole("1" * 30) == int("1" * 30)
    assert parse_whole("1" * 31) == 10**30
    assert parse_whole("9" * 5000) == 10**30
    assert parse_score("0" * 40 + "9") == 9
    assert parse_score("9" * 5000) is None
    assert parse_outcome("1" * 5000) is None


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("1e-320", "--target 1e-320 is too close to 0"),
        ("1e-10", "--target 1e-10 is too close to 0"),
        ("0.9999999999", "--target 0.9999999999 is too close to 1"),
    ],
)
def test_target_too_close_to_0_or_1(make_csv: MakeCsv, target: str, message: str) -> None:
    # 1e-320 made phi infinite and the limits NaN: a validation traceback.
    path = make_csv("agent,complaints,contacts\nA,1,10\nB,2,10\n")
    result = run("variation", path, *COUNTS, "--target", target)
    assert result.exit_code == 2, result.output
    assert f"error: {message}" in result.stderr
    assert "hint: give a rate from 1e-09 to 1 - 1e-09" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("target", ["1e-9", "0.999999999"])
def test_target_at_the_edges_is_analysed(make_csv: MakeCsv, target: str) -> None:
    path = make_csv("agent,complaints,contacts\nA,1,10\nB,2,10\n")
    assert run("variation", path, *COUNTS, "--target", target).exit_code == 0

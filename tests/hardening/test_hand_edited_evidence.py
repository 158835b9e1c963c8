"""A saved trend edited by hand: refused with the point named, never a traceback or an 'inf %'."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.hardening.conftest import EXAMPLES, run

FINDINGS = EXAMPLES / "findings-few-individuals.yaml"


@pytest.fixture(scope="module")
def saved_trend(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A p-chart trend of the example data, as ``svcdiag trend -o trend.json`` saves it."""
    path = tmp_path_factory.mktemp("trend") / "trend.json"
    made = run(
        "trend", EXAMPLES / "complaints_by_month.csv", "--time", "month", "--events",
        "complaints", "--cases", "contacts", "--by", "team", "-o", path,
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def _report(tmp_path: Path, text: str) -> tuple[int, str, Path]:
    evidence = tmp_path / "trend.json"
    evidence.write_text(text)
    page = tmp_path / "report.html"
    result = run("report", FINDINGS, "--evidence", evidence, "-o", page)
    return result.exit_code, result.stderr, page


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", '"NaN"', '"inf"'])
def test_a_value_that_is_not_finite_is_refused_at_its_line(
    tmp_path: Path, saved_trend: dict[str, Any], literal: str
) -> None:
    first = saved_trend["series"][0]["points"][0]
    text = json.dumps(saved_trend, indent=2).replace(
        f'"value": {json.dumps(first["value"])}', f'"value": {literal}', 1
    )
    code, stderr, page = _report(tmp_path, text)
    assert code == 2
    line = next(n for n, row in enumerate(text.splitlines(), 1) if literal in row)
    assert f"trend.json:{line}:" in stderr
    assert "series.0.points.0.value: Input should be a finite number" in stderr
    assert not page.exists()


def _edited(data: dict[str, Any], **point: Any) -> str:
    copy = json.loads(json.dumps(data))
    copy["series"][0]["points"][0].update(point)
    return json.dumps(copy)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"value": 5.0, "upper": 6.0}, "value is 5.0, but events / n = "),
        ({"value": 1e308, "upper": 1e308}, "a value or limit beyond ±1e+307"),
        ({"events": 900}, "events (900) exceed n (840)"),
        ({"lower": 0.5, "upper": 0.1}, "lower limit (0.5) is above upper limit (0.1)"),
        ({"events": None}, "a point of a p-chart needs its events"),
    ],
)
def test_a_point_that_contradicts_itself_is_refused(
    tmp_path: Path, saved_trend: dict[str, Any], change: dict[str, Any], message: str
) -> None:
    code, stderr, page = _report(tmp_path, _edited(saved_trend, **change))
    assert code == 2
    assert "not a valid trend result" in stderr
    assert f"series.0.points.0 ('2024-01'): {message}" in stderr
    assert "run svcdiag trend again rather than editing the file" in stderr
    assert "inf %" not in stderr
    assert not page.exists()


def test_an_xmr_chart_beyond_what_floating_point_draws_is_refused(
    tmp_path: Path, saved_trend: dict[str, Any]
) -> None:
    xmr = json.loads(json.dumps(saved_trend))
    xmr["chart"] = "xmr"
    for series in xmr["series"]:
        series["mr_upper"] = 0.1
        for point in series["points"]:
            del point["events"]
    xmr["series"][0]["points"][0].update(value=1.7e308, lower=-1.7e308, upper=1.7e308)
    code, stderr, page = _report(tmp_path, json.dumps(xmr))
    assert code == 2
    assert not page.exists()
    assert "series.0.points.0 ('2024-01'): a value or limit beyond ±1e+307" in stderr
    xmr["series"][0]["points"][0].update(value=1.0, lower=0.0, upper=2.0)
    xmr["series"][0]["centre"] = -1.7e308
    code, stderr, _ = _report(tmp_path, json.dumps(xmr))
    assert code == 2
    assert "series.0: centre or mr_upper beyond ±1e+307" in stderr


def test_an_nps_trend_outside_minus_100_to_100_is_refused(
    tmp_path: Path, saved_trend: dict[str, Any]
) -> None:
    nps = json.loads(json.dumps(saved_trend))
    nps["chart"] = "nps"
    for series in nps["series"]:
        for point in series["points"]:
            del point["events"]
            point.update(ci_low=-50.0, ci_high=50.0)
    nps["series"][0]["points"][0].update(value=250.0, lower=-10.0, upper=300.0)
    code, stderr, _ = _report(tmp_path, json.dumps(nps))
    assert code == 2
    assert "an NPS and its interval lie between -100 and +100" in stderr


def test_the_saved_trend_itself_still_reads_and_charts(
    tmp_path: Path, saved_trend: dict[str, Any]
) -> None:
    code, stderr, page = _report(tmp_path, json.dumps(saved_trend))
    assert code == 0, stderr
    assert "inf %" not in page.read_text()
    assert "<svg" in page.read_text()


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("hello\n", "text"),
        ("---\n...\n", "nothing: an empty document"),
        ("42\n", "a number"),
        ("true\n", "a yes/no value"),
        ("- 1\n", "a list"),
    ],
)
def test_evidence_that_is_not_a_mapping_is_named_in_words(
    tmp_path: Path, text: str, found: str
) -> None:
    evidence = tmp_path / "result.yaml"
    evidence.write_text(text)
    result = run("report", FINDINGS, "--evidence", evidence)
    assert result.exit_code == 2
    assert f"not a saved NPS, variation or trend result (found {found});" in result.stderr
    assert "NoneType" not in result.stderr and "a str" not in result.stderr


def test_a_point_that_contradicts_itself_is_named_at_its_own_line(
    tmp_path: Path, saved_trend: dict[str, Any]
) -> None:
    copy = json.loads(json.dumps(saved_trend))
    copy["series"][1]["points"][2]["events"] = 900
    text = json.dumps(copy, indent=2)
    code, stderr, _ = _report(tmp_path, text)
    assert code == 2
    lines = text.splitlines()
    # the point's own mapping opens on the line above its first key, "period"
    series = [n for n, row in enumerate(lines, 1) if row.strip() == '"points": [']
    opening = [n for n, row in enumerate(lines, 1) if row.strip() == "{" and n > series[1]][2]
    period = copy["series"][1]["points"][2]["period"]
    group = copy["series"][1]["group"]
    assert f"trend.json:{opening}:" in stderr
    assert (
        f"not a valid trend result: series.1.points.2 ({period!r}, group {group!r}): "
        "events (900) exceed" in stderr
    )
    assert "(the whole result)" not in stderr


def test_a_unit_that_contradicts_itself_is_named_at_its_own_line(tmp_path: Path) -> None:
    saved = tmp_path / "variation.json"
    made = run(
        "variation", EXAMPLES / "complaints_by_agent.csv", "--unit", "agent", "--events",
        "complaints", "--cases", "contacts", "-o", saved,
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    data = json.loads(saved.read_text())
    data["units"][3]["events"] = data["units"][3]["cases"] + 1
    text = json.dumps(data, indent=2)
    saved.write_text(text)
    result = run("report", FINDINGS, "--evidence", saved)
    assert result.exit_code == 2
    lines = text.splitlines()
    start = next(n for n, row in enumerate(lines, 1) if row.strip() == '"units": [')
    opening = [n for n, row in enumerate(lines, 1) if row.strip() == "{" and n > start][3]
    assert f"variation.json:{opening}:" in result.stderr
    assert f"units.3 ({data['units'][3]['unit']!r}): " in result.stderr
    assert "(the whole result)" not in result.stderr

"""A saved trend as evidence: what ``svcdiag trend`` writes reads back, the rest is refused.

Every result the command writes (p-chart of counts or of an outcome, XmR, NPS;
with and without ``--by``; each period kind) must load as it was written. A
file edited into something the analysis could never write (a chart's fields
on another chart, a period given twice or out of order, a month 13, a signal
in a period the series lacks...) is refused, naming the file, the line, the
part and what to do.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from svcdiag.cli import app
from svcdiag.errors import DataError, InputFileError
from svcdiag.models.trend import TrendResult
from svcdiag.serialise import to_json, to_yaml
from svcdiag.stats.evidence import load_evidence
from svcdiag.stats.trend_analysis import Measure, trend_from_file

FINDINGS = Path(__file__).resolve().parents[2] / "examples" / "findings-few-individuals.yaml"
MEASURES: dict[str, tuple[str, ...]] = {
    "counts": ("--events", "complaints", "--cases", "contacts"),
    "outcome": ("--outcome", "repeat"),
    "xmr": ("--value", "csat"),
    "nps": ("--nps", "score"),
}
PERIODS = ("day", "week", "month", "quarter")


def run(*args: object) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "80", "NO_COLOR": "1"})


def _rows() -> str:
    """Two teams over two years, six days a week; no May 2023, no 2024-Q3 for team B; signals."""
    rng = random.Random(7)
    lines = ["date,team,complaints,contacts,repeat,csat,score"]
    day = dt.date(2023, 1, 2)
    while day < dt.date(2025, 1, 1):
        for team in ("A", "B"):
            if day.month == 5 and day.year == 2023:
                continue
            if team == "B" and day.year == 2024 and 7 <= day.month <= 9:
                continue
            later = day.year == 2024
            rate = 0.14 if later else 0.08
            if team == "A" and (day.year, day.month) == (2024, 3):
                rate = 0.35  # a month beyond the limits
            complaints = sum(rng.random() < rate for _ in range(10))
            lines.append(
                f"{day},{team},{complaints},10,{int(rng.random() < rate)},"
                f"{rng.gauss(3.0 if later else 4.0, 0.5):.2f},{rng.randint(4 if later else 6, 10)}"
            )
        day += dt.timedelta(days=1 if day.weekday() < 5 else 2)
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    made = tmp_path_factory.mktemp("trend-evidence")
    (made / "data.csv").write_text(_rows(), encoding="utf-8")
    return made


def _save(folder: Path, measure: str, period: str, by: bool, suffix: str) -> Path:
    name = f"{measure}-{period}-{'by' if by else 'all'}.{suffix}"
    out = folder / name
    if not out.exists():
        result = run(
            "trend", folder / "data.csv", "--time", "date", *MEASURES[measure],
            "--period", period, *(("--by", "team") if by else ()),
            "--change", "2024-01-01=new CRM", "-f", suffix, "-o", out,
        )  # fmt: skip
        assert result.exit_code == 0, result.output
    return out


# ---------------------------------------------------------------- what svcdiag trend writes


@pytest.mark.parametrize("by", [True, False], ids=["by", "all"])
@pytest.mark.parametrize("period", PERIODS)
@pytest.mark.parametrize("measure", list(MEASURES))
def test_every_saved_trend_reads_back_as_written(
    folder: Path, measure: str, period: str, by: bool
) -> None:
    for suffix in ("yaml", "json"):  # two runs: a mean's last digit may differ between them
        saved = _save(folder, measure, period, by, suffix)
        written = yaml.safe_load(saved.read_text(encoding="utf-8"))
        loaded = load_evidence(saved)
        assert isinstance(loaded, TrendResult)
        assert json.loads(to_json(loaded)) == written
        assert len(written["series"]) == (3 if by else 1)


def test_the_saved_trends_hold_gaps_signals_and_changes(folder: Path) -> None:
    """The round trip above covers the optional parts, not only plain series."""
    data = json.loads(_save(folder, "counts", "month", True, "json").read_text())
    assert any(s.get("gaps") for s in data["series"])
    rules = {sig["rule"] for sig in data["series"][0]["signals"]}
    assert rules == {"beyond_limits", "shift"}
    assert any(sig.get("change") for sig in data["series"][0]["signals"])


def test_a_saved_trend_is_accepted_by_report_and_assess(folder: Path, tmp_path: Path) -> None:
    saved = _save(folder, "nps", "week", True, "yaml")
    page = tmp_path / "report.md"
    result = run("report", FINDINGS, "--evidence", saved, "-f", "markdown", "-o", page)
    assert result.exit_code == 0, result.output
    assert page.exists()


_ROWS = st.lists(
    st.tuples(st.integers(0, 500), st.sampled_from("AB"), st.integers(0, 10)),
    min_size=2,
    max_size=40,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    _ROWS,
    st.sampled_from(["outcome", "xmr", "nps"]),
    st.sampled_from(PERIODS),
    st.booleans(),
)
def test_any_trend_the_analysis_makes_reads_back(
    rows: list[tuple[int, str, int]], measure: str, period: str, by: bool
) -> None:
    start = dt.date(2023, 1, 1)
    text = "date,team,x,v,s\n" + "".join(
        f"{start + dt.timedelta(days=d)},{team},{int(s >= 7)},{s / 2},{s}\n" for d, team, s in rows
    )
    measures = {
        "outcome": Measure(outcome="x"),
        "xmr": Measure(value="v"),
        "nps": Measure(nps="s"),
    }
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data.csv"
        data.write_text(text, encoding="utf-8")
        try:
            made = trend_from_file(
                data,
                time="date",
                measure=measures[measure],
                period=period,  # type: ignore[arg-type]
                by="team" if by else None,
                target={"outcome": 0.5, "xmr": 2.5, "nps": 0.0}[measure],
            )
        except DataError:  # one period only, or no two consecutive ones for XmR
            assume(False)
            return
        for dump, name in ((to_yaml, "trend.yaml"), (to_json, "trend.json")):
            saved = Path(tmp) / name
            saved.write_text(dump(made.result), encoding="utf-8")
            assert to_json(load_evidence(saved)) == to_json(made.result)


# ---------------------------------------------------------------- what it could never write


Edit = Callable[[dict[str, Any]], None]


def _points(data: dict[str, Any], series: int = 0) -> list[dict[str, Any]]:
    points: list[dict[str, Any]] = data["series"][series]["points"]
    return points


def _drop_points(data: dict[str, Any]) -> None:
    del _points(data)[1:]
    series = data["series"][0]
    series["signals"], series["gaps"], series["missing"] = [], None, None
    series["stable"] = True


def _swap(data: dict[str, Any]) -> None:
    points = _points(data)
    points[1], points[2] = points[2], points[1]


def _dup(data: dict[str, Any]) -> None:
    points = _points(data)
    points[2]["period"] = points[1]["period"]


def _set_point(index: int, **fields: Any) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        point = _points(data)[index]
        for key, value in fields.items():
            if value is None:
                point.pop(key, None)
            else:
                point[key] = value

    return edit


def _set_series(**fields: Any) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        for key, value in fields.items():
            data["series"][0][key] = value

    return edit


def _set_signal(**fields: Any) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        data["series"][0]["signals"][0].update(fields)

    return edit


def _unflag(data: dict[str, Any]) -> None:
    for point in _points(data):
        if point["signal"]:
            point["signal"] = False
            return


def _nudge_centre(data: dict[str, Any]) -> None:
    data["series"][0]["centre"] += 0.001


def _drop_shifts(data: dict[str, Any]) -> None:
    series = data["series"][0]
    series["signals"] = [s for s in series["signals"] if s["rule"] != "shift"]


def _ends_before(data: dict[str, Any]) -> None:
    signal = next(s for s in data["series"][0]["signals"] if s["rule"] == "shift")
    signal["end"] = _points(data)[0]["period"]
    signal["start"] = _points(data)[1]["period"]


def _unmark_beyond(data: dict[str, Any]) -> None:
    series = data["series"][0]
    beyond = next(s for s in series["signals"] if s["rule"] == "beyond_limits")
    series["signals"].remove(beyond)


def _stable_overall(data: dict[str, Any]) -> None:
    data["stable"] = True


def _twin_groups(data: dict[str, Any]) -> None:
    data["series"][2]["group"] = data["series"][1]["group"]


def _gap_moved(data: dict[str, Any]) -> None:
    gap = data["series"][0]["gaps"][0]
    gap["first"] = gap["last"] = "2023-04"


def _missing_wrong(data: dict[str, Any]) -> None:
    data["series"][0]["missing"] += 1


def _poor_without_target(data: dict[str, Any]) -> None:
    data["series"][0]["poor_throughout"] = False


def _bad_change(data: dict[str, Any]) -> None:
    data["changes"][0]["date"] = "2024-13-01"


def _unknown_change(data: dict[str, Any]) -> None:
    signal = next(s for s in data["series"][0]["signals"] if s.get("change"))
    signal["change"] = "a change nobody gave"


def _all_rows_second(data: dict[str, Any]) -> None:
    data["series"][1]["group"] = ""


def _changes_out_of_order(data: dict[str, Any]) -> None:
    data["changes"].append({"date": "2023-06-01", "label": "new rota"})


def _gaps_dropped(data: dict[str, Any]) -> None:
    data["series"][0]["gaps"] = None


def _beyond_turned(data: dict[str, Any]) -> None:
    signal = next(s for s in data["series"][0]["signals"] if s["rule"] == "beyond_limits")
    signal["direction"] = "down" if signal["direction"] == "up" else "up"


def _beyond_widened(data: dict[str, Any]) -> None:
    signal = next(s for s in data["series"][0]["signals"] if s["rule"] == "beyond_limits")
    points = [p["period"] for p in _points(data)]
    signal["end"] = points[points.index(signal["start"]) + 1]


def _short_shift(data: dict[str, Any]) -> None:
    signal = next(s for s in data["series"][0]["signals"] if s["rule"] == "shift")
    signal["end"] = signal["start"]


#: (the saved trend: measure, period; the edit; what the message says)
REFUSALS: list[tuple[str, str, Edit, str]] = [
    # a chart's own fields missing, or another chart's present
    ("nps", "month", lambda d: d.update(chart="xmr"), "series.0: an XmR chart's series has"),
    ("xmr", "month", lambda d: d.update(chart="p"), "series.0: mr_upper belongs to an XmR"),
    ("counts", "month", _set_series(mr_upper=0.5), "series.0: mr_upper belongs to an XmR chart"),
    ("counts", "month", _set_point(0, ci_low=0.1, ci_high=0.2), "ci_low and ci_high belong to"),
    ("xmr", "month", _set_point(3, events=2), "events belong to a p-chart, not to an XmR"),
    ("nps", "month", _set_point(0, ci_high=None), "an NPS chart needs its interval"),
    ("nps", "month", _set_point(1, events=3), "events belong to a p-chart, not to an NPS"),
    # periods
    ("counts", "month", _dup, "series.0.points.2 ('2023-02'): period '2023-02' is given twice"),
    (
        "counts",
        "month",
        _swap,
        "series.0.points.2 ('2023-02'): period '2023-02' is listed after '2023-03'",
    ),
    ("counts", "month", _set_point(0, period="2023-13"), "'2023-13' is not a month"),
    ("counts", "month", _set_point(0, period="2023-01-02"), "'2023-01-02' is not a month"),
    ("xmr", "quarter", _set_point(0, period="2023-Q5"), "'2023-Q5' is not a quarter"),
    ("xmr", "quarter", _set_point(0, period="2023-01"), "'2023-01' is not a quarter"),
    ("xmr", "week", _set_point(0, period="2023-01-03"), "'2023-01-03' is a Tuesday"),
    ("outcome", "day", _set_point(0, period="2023-02-30"), "'2023-02-30' is no day"),
    ("outcome", "day", _set_point(0, period="2023-1-2"), "'2023-1-2' is not a day"),
    ("counts", "month", _drop_points, "series.0: a chart over time has at least two periods"),
    # counts and limits
    ("counts", "month", _set_point(0, events=-1), "greater than or equal to 0"),
    ("counts", "month", _set_point(0, n=0), "greater than or equal to 1"),
    ("counts", "month", _set_point(0, lower=-0.1), "limits of a p-chart lie between 0 and 1"),
    ("nps", "month", _set_point(0, upper=150.0), "limits of an NPS chart lie between -100"),
    ("nps", "month", _set_series(centre=99.0), "centre line (99.0) is not between the limits"),
    ("counts", "month", _nudge_centre, "but the events / n of its points pool to"),
    # signals
    ("counts", "month", _set_signal(start="2019-01"), "start '2019-01' is not a period of"),
    ("counts", "month", _ends_before, "ends (2023-01) before it starts (2023-02)"),
    ("counts", "month", _short_shift, "a shift runs 8 periods or more"),
    ("counts", "month", _unflag, "a signal covers it, but it is not marked as a signal"),
    ("counts", "month", _drop_shifts, "marked as a signal, but no signal covers it"),
    ("counts", "month", _unmark_beyond, "lower limit, but no signal says so"),
    ("counts", "month", _set_series(stable=True), "series.0: stable is true, but it has"),
    ("counts", "month", _stable_overall, "stable: true, but series.0 is not"),
    ("counts", "month", _unknown_change, "'a change nobody gave' is not one of the changes"),
    ("counts", "month", _bad_change, "changes.0: '2024-13-01' is no day of the calendar"),
    # series and gaps
    ("counts", "month", _twin_groups, "series.2 (group 'A'): group 'A' is given twice"),
    ("counts", "month", _gap_moved, "series.0.gaps.0: a gap from 2023-04 to 2023-04"),
    ("counts", "month", _missing_wrong, "series.0: missing is 2, but its gaps hold 1"),
    ("counts", "month", _poor_without_target, "poor_throughout is given, but the result has no"),
    ("counts", "month", _all_rows_second, "series.1: the series of all rows (group '') comes"),
    ("counts", "month", _gaps_dropped, "1 run(s) of months are missing between its points, but"),
    ("xmr", "month", _set_series(mr_upper=-1.0), "mr_upper (-1.0) is below 0"),
    # the result's settings
    ("counts", "month", lambda d: d.update(target=5.0), "target: 5.0 is beyond the scale of a p"),
    ("counts", "month", _changes_out_of_order, "changes.1: 2023-06-01 is listed after 2024-01-01"),
    ("counts", "month", _beyond_turned, "but its value"),
    ("counts", "month", _beyond_widened, "a beyond_limits signal marks one period, not"),
]


@pytest.mark.parametrize(
    ("measure", "period", "edit", "message"),
    REFUSALS,
    ids=[f"{m}-{p}-{i}" for i, (m, p, _, _) in enumerate(REFUSALS)],
)
def test_a_trend_the_analysis_could_never_write_is_refused(
    folder: Path, tmp_path: Path, measure: str, period: str, edit: Edit, message: str
) -> None:
    data = json.loads(_save(folder, measure, period, True, "json").read_text())
    edit(data)
    edited = tmp_path / "trend.json"
    edited.write_text(json.dumps(data, indent=2), encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        load_evidence(edited)
    text = caught.value.message
    assert f"{edited}:" in text
    assert "not a valid trend result" in text
    assert message in text
    assert caught.value.hint is not None
    assert "run svcdiag trend again" in caught.value.hint


def test_a_point_names_its_group(folder: Path, tmp_path: Path) -> None:
    data = json.loads(_save(folder, "counts", "month", True, "json").read_text())
    data["series"][1]["points"][0]["period"] = "2023-13"
    edited = tmp_path / "trend.json"
    edited.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputFileError, match=r"series\.1\.points\.0 \('2023-13', group 'A'\)"):
        load_evidence(edited)


def test_a_duplicated_period_is_named_at_its_line_in_yaml(folder: Path, tmp_path: Path) -> None:
    data = json.loads(_save(folder, "counts", "month", True, "json").read_text())
    _dup(data)
    text = to_yaml(data)
    edited = tmp_path / "t.yaml"
    edited.write_text(text, encoding="utf-8")
    dup = _points(data)[2]["period"]
    line = [n for n, row in enumerate(text.splitlines(), 1) if row.endswith(f"period: {dup}")][1]
    with pytest.raises(InputFileError) as caught:
        load_evidence(edited)
    assert caught.value.message.startswith(f"{edited}:{line}:")


@pytest.mark.parametrize("command", ["report", "assess"])
def test_the_commands_refuse_it_with_exit_code_2(
    folder: Path, tmp_path: Path, command: str
) -> None:
    data = json.loads(_save(folder, "nps", "month", False, "json").read_text())
    data["chart"] = "xmr"
    edited = tmp_path / "t.json"
    edited.write_text(json.dumps(data, indent=2), encoding="utf-8")
    out = tmp_path / "out.md"
    if command == "report":
        result = run("report", FINDINGS, "--evidence", edited, "-o", out)
    else:
        answers = FINDINGS.parent / "answers-few-individuals.yaml"
        result = run("assess", "--answers", answers, "--evidence", edited, "-o", out)
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert f"{edited}:" in result.stderr
    assert "an XmR chart's series has" in result.stderr
    assert "run svcdiag trend again" in result.stderr
    assert not out.exists()


def test_a_trend_saved_before_gaps_were_named_still_reads(folder: Path, tmp_path: Path) -> None:
    """Versions before gaps were named wrote neither ``gaps`` nor ``missing``."""
    data = json.loads(_save(folder, "counts", "month", True, "json").read_text())
    assert data["series"][0]["gaps"]
    for series in data["series"]:
        series.pop("gaps", None)
        series.pop("missing", None)
    saved = tmp_path / "old.json"
    saved.write_text(json.dumps(data), encoding="utf-8")
    loaded = load_evidence(saved)
    assert isinstance(loaded, TrendResult)
    assert loaded.series[0].gaps is None

"""Saved NPS and variation results read back as evidence, and the errors for bad files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from svcdiag.errors import InputFileError
from svcdiag.models.results import NpsResult, StatsResult, VariationResult
from svcdiag.serialise import to_json, to_yaml
from svcdiag.stats.evidence import evidence_kind, load_evidence, summary
from svcdiag.stats.funnel import UnitCount, analyse_units
from svcdiag.stats.nps import NpsCounts, nps_result

MakeCsv = Callable[..., Path]


def sample_nps() -> NpsResult:
    return nps_result(
        NpsCounts(120, 85, 95),
        [("North", NpsCounts(80, 15, 5)), ("South", NpsCounts(40, 70, 90))],
    )


def sample_variation() -> VariationResult:
    units = [UnitCount("A", 150, 1200), UnitCount("B", 110, 1200), UnitCount("C", 240, 1200)]
    return analyse_units(units, target=0.1, overdispersion=False)


@pytest.mark.parametrize("dump", [to_yaml, to_json])
@pytest.mark.parametrize("make", [sample_nps, sample_variation])
def test_round_trip(
    make_csv: MakeCsv, dump: Callable[[object], str], make: Callable[[], StatsResult]
) -> None:
    original = make()
    path = make_csv(dump(original), "evidence.yaml")
    loaded = load_evidence(path)
    assert type(loaded) is type(original)
    assert to_json(loaded) == to_json(original)


def test_round_trip_through_the_cli(make_csv: MakeCsv, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from svcdiag.cli import app

    data = make_csv("agent,complaint\n" + "A,0\n" * 40 + "A,1\n" * 3 + "B,0\n" * 30 + "B,1\n" * 9)
    saved = tmp_path / "variation.yaml"
    result = CliRunner().invoke(
        app, ["variation", str(data), "--unit", "agent", "--outcome", "complaint", "-o", str(saved)]
    )
    assert result.exit_code == 0, result.stderr
    loaded = load_evidence(saved)
    assert isinstance(loaded, VariationResult)
    assert [(u.unit, u.events, u.cases) for u in loaded.units] == [("A", 3, 43), ("B", 9, 39)]


def test_kind_by_keys() -> None:
    assert evidence_kind({"n": 1, "promoters": 1, "nps": 100.0}) == "nps"
    assert evidence_kind({"target": 0.1, "units": []}) == "variation"
    assert evidence_kind({"name": "x"}) is None
    assert evidence_kind([1, 2]) is None


def test_not_a_result(make_csv: MakeCsv) -> None:
    path = make_csv("organisation: Acme\nanswers: {}\n", "answers.yaml")
    with pytest.raises(InputFileError) as caught:
        load_evidence(path)
    assert caught.value.message.startswith(
        f"{path}:1: not a saved NPS, variation or trend result "
        "(found a mapping without the expected keys)"
    )
    assert caught.value.hint is not None and "--output nps.yaml" in caught.value.hint
    assert "svcdiag trend FILE.csv ... --output trend.yaml" in caught.value.hint


def test_list_is_not_a_result(make_csv: MakeCsv) -> None:
    with pytest.raises(InputFileError, match=r"found a list"):
        load_evidence(make_csv("- 1\n- 2\n", "list.yaml"))


def test_invalid_value_is_located(make_csv: MakeCsv) -> None:
    text = to_yaml(sample_nps()).replace("confidence: 0.95", "confidence: 95")
    path = make_csv(text, "nps.yaml")
    line = text.splitlines().index("confidence: 95") + 1
    with pytest.raises(InputFileError) as caught:
        load_evidence(path)
    assert caught.value.message == (
        f"{path}:{line}:1: not a valid NPS result: confidence: Input should be less than 1"
    )


def test_counts_must_add_up(make_csv: MakeCsv) -> None:
    text = to_yaml(sample_nps()).replace("promoters: 120", "promoters: 121")
    with pytest.raises(InputFileError) as caught:
        load_evidence(make_csv(text, "nps.yaml"))
    assert "promoters + passives + detractors = 301, but n = 300" in caught.value.message


def test_verdict_must_match_statuses(make_csv: MakeCsv) -> None:
    text = to_yaml(sample_variation()).replace("verdict: special_cause", "verdict: common_cause")
    with pytest.raises(InputFileError) as caught:
        load_evidence(make_csv(text, "variation.yaml"))
    assert "verdict is common_cause, but the unit statuses give special_cause" in (
        caught.value.message
    )


def test_unknown_status_and_extra_key(make_csv: MakeCsv) -> None:
    text = to_yaml(sample_variation()).replace("status: normal", "status: fine")
    text += "comment: hand-edited\n"
    with pytest.raises(InputFileError) as caught:
        load_evidence(make_csv(text, "variation.yaml"))
    message = caught.value.message
    assert "units.1.status: Input should be 'normal', 'alert_high'" in message
    assert "comment: Extra inputs are not permitted" in message


def test_duplicate_key(make_csv: MakeCsv) -> None:
    text = to_yaml(sample_nps()) + "nps: 99\n"
    path = make_csv(text, "nps.yaml")
    with pytest.raises(InputFileError) as caught:
        load_evidence(path)
    assert caught.value.message == (
        f"{path}:{len(text.splitlines())}:1: key 'nps' is given twice (first on line 5)"
    )


def test_missing_and_broken_files(tmp_path: Path, make_csv: MakeCsv) -> None:
    with pytest.raises(InputFileError, match="no such file"):
        load_evidence(tmp_path / "absent.yaml")
    with pytest.raises(InputFileError, match="invalid YAML"):
        load_evidence(make_csv("n: [1, 2\n", "broken.yaml"))


def test_summaries() -> None:
    # p' = 120.75/303, d' = 95.75/303: 0.0825 -/+ 1.959964 * 0.04833 -> -1.2 to +17.7
    assert summary(sample_nps()) == (
        "NPS +8.3 (95 % interval -1.2 to +17.7; 300 answers); "
        "groups beyond chance: North above, South below"
    )
    assert summary(sample_variation()) == (
        "special cause: these units differ beyond what the system explains "
        "(3 units, target rate 10.00 %, beyond 99.8 % limits: C)"
    )

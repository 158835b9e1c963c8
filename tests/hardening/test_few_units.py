"""Few units in a funnel: the overdispersion adjustment needs units to estimate it.

Four agents at 0 %, 100 %, 0 % and 100 % of 50 cases each, worked by hand:
p0 = 100/200 = 0.5, s² = 0.25/50 = 0.005, every z = ±0.5/sqrt(0.005) = ±7.0711,
so phi = 50 (winsorising changes nothing: all |z| are equal). With the
adjustment, tau² = (4·50 − 3) / (800 − 160000/800) = 197/600 = 0.32833, and the
99.8 % limits 0.5 ± 3.09·sqrt(0.005 + 0.328) reach beyond 0 and 1: nothing can
be flagged. Before the fix that was the default.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from svcdiag.stats.funnel import MIN_UNITS_FOR_ADJUSTMENT, UnitCount, analyse_units

from .conftest import run

ARGS = ("--unit", "agent", "--events", "complaints", "--cases", "contacts", "-f", "json")


@pytest.fixture
def four_agents(tmp_path: Path) -> Path:
    path = tmp_path / "agents.csv"
    rows = "".join(
        f"{name},{events},50\n" for name, events in zip("ABCD", (0, 50, 0, 50), strict=True)
    )
    path.write_text("agent,complaints,contacts\n" + rows, encoding="utf-8")
    return path


def test_four_extreme_agents_are_flagged_by_default(four_agents: Path) -> None:
    result = run("variation", four_agents, *ARGS)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["phi"] == pytest.approx(50.0)
    assert data["tau2"] == 0.0
    assert data["adjustment"] == "few_units"
    assert data["verdict"] == "special_cause"
    statuses = [u["status"] for u in data["units"]]
    assert statuses == ["alarm_low", "alarm_high", "alarm_low", "alarm_high"]
    said = " ".join(result.stderr.split())
    assert "with 4 units (fewer than 20) the extra spread cannot be estimated" in said


def test_the_adjustment_is_still_there_when_asked_for(four_agents: Path) -> None:
    result = run("variation", four_agents, *ARGS, "--overdispersion")
    data = json.loads(result.stdout)
    assert data["tau2"] == pytest.approx(197 / 600)
    assert data["adjustment"] == "applied"
    assert data["verdict"] == "common_cause"


def test_the_rich_view_says_why_the_limits_were_not_widened(four_agents: Path) -> None:
    result = run("variation", four_agents, *ARGS[:-2])
    assert "not adjusted: too few units to estimate it" in result.stdout
    assert "4 units are too few to estimate that extra spread" in " ".join(result.stdout.split())


def test_from_twenty_units_the_adjustment_is_applied_by_default() -> None:
    rates = [0.05, 0.08, 0.10, 0.12, 0.15, 0.18, 0.07, 0.11, 0.13, 0.09]
    units = [UnitCount(f"U{i}", round(r * 1000), 1000) for i, r in enumerate(rates * 2)]
    assert len(units) == MIN_UNITS_FOR_ADJUSTMENT
    assert analyse_units(units).adjustment == "applied"
    assert analyse_units(units[:-1]).adjustment == "few_units"
    assert analyse_units(units, overdispersion=False).adjustment == "turned_off"
    calm = [UnitCount(f"U{i}", 100, 1000) for i in range(3)]
    assert analyse_units(calm).adjustment == "not_needed"

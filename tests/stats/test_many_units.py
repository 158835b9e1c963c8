"""Many units: shared work is done once per distinct count, and results stay the same."""

from __future__ import annotations

import io
import platform
import random
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from svcdiag.models.results import Status, UnitResult, VariationResult, Verdict
from svcdiag.render import csv_stats as render_csv
from svcdiag.render import funnel_chart
from svcdiag.render.csv_stats import UNIT_COLUMNS
from svcdiag.render.funnel_chart import draw_funnel
from svcdiag.stats import funnel
from svcdiag.stats.funnel import UnitCount, analyse_units, funnel_limits, judged_rate, status_for
from svcdiag.textsafe import CsvWriter, for_csv


def many_units(count: int, seed: int = 3) -> list[UnitCount]:
    rng = random.Random(seed)
    units = []
    for i in range(count):
        cases = rng.choice((40, 200, 900))
        events = sum(rng.random() < 0.05 for _ in range(cases // 20))
        units.append(UnitCount(f"U{i}", events, cases))
    units.append(UnitCount("HIGH", 30, 200))
    return units


def test_unit_result_computed_equals_validated() -> None:
    values = {
        "unit": "",
        "events": 3,
        "cases": 40,
        "rate": 0.075,
        "z": 1.25,
        "lower95": 0.0,
        "upper95": 0.15,
        "lower998": 0.0,
        "upper998": 0.2,
        "status": Status.normal,
        "method": "exact",
    }
    made = UnitResult.computed(values, "Leeds")
    validated = UnitResult.model_validate({**values, "unit": "Leeds"})
    assert made == validated
    assert made.model_dump() == validated.model_dump()
    assert list(made.model_dump()) == list(validated.model_dump())
    assert made.model_fields_set == validated.model_fields_set
    assert values["unit"] == ""  # the shared values are copied, not changed
    other = UnitResult.computed(values, "York")
    other.z = 9.0
    assert made.z == 1.25 and other.model_fields_set == validated.model_fields_set


def test_shared_fields_are_the_values_in_a_smaller_dict() -> None:
    values = {
        "status": Status.alert_high,
        "unit": "",
        "events": 9,
        "cases": 40,
        "rate": 0.225,
        "z": 2.5,
        "lower95": 0.0,
        "upper95": 0.2,
        "lower998": 0.0,
        "upper998": 0.25,
        "method": "exact",
    }
    shared = UnitResult.shared_fields(values)
    assert shared == values
    assert list(shared) == list(UnitResult.model_fields)  # the model's order, not the given one
    made = UnitResult.computed(shared, "Leeds")
    assert made == UnitResult.model_validate({**values, "unit": "Leeds"})
    assert shared["unit"] == ""
    if platform.python_implementation() == "CPython":
        assert sys.getsizeof(shared.copy()) < sys.getsizeof(dict(values).copy())


def test_analysis_of_many_units_validates_as_before() -> None:
    # Built without validation, the result must still pass it, and match a
    # unit-by-unit computation.
    result = analyse_units(many_units(3000))
    again = VariationResult.model_validate(result.model_dump())
    assert again.model_dump() == result.model_dump()
    assert result.verdict is Verdict.special_cause
    p0, tau2 = result.target, result.tau2
    for unit in result.units[:50] + result.units[-5:]:
        limits = funnel_limits(p0, unit.cases, tau2)
        shown = limits.clipped()
        assert (unit.lower95, unit.upper95, unit.lower998, unit.upper998) == (
            shown.lower95,
            shown.upper95,
            shown.lower998,
            shown.upper998,
        )
        judged = judged_rate(unit.events, unit.cases, limits.method)
        assert unit.status is status_for(judged, limits)
        assert unit.rate == unit.events / unit.cases


def test_units_sharing_counts_are_judged_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def counting(rate: float, limits: funnel.Limits) -> Status:
        calls.append(rate)
        return status_for(rate, limits)

    monkeypatch.setattr(funnel, "status_for", counting)
    units = [UnitCount(f"A{i}", 1, 50) for i in range(500)]
    units += [UnitCount(f"B{i}", 4, 50) for i in range(500)]
    result = analyse_units(units)
    assert len(result.units) == 1000
    assert len(calls) == 2


def test_counts_beyond_cases_are_refused() -> None:
    with pytest.raises(ValueError, match="'B': events must lie between 0 and the cases"):
        analyse_units([UnitCount("A", 1, 10), UnitCount("B", 11, 10)])


def test_chart_places_each_distinct_point_once(monkeypatch: pytest.MonkeyPatch) -> None:
    result = analyse_units(many_units(2000))
    lines = draw_funnel(result)
    placed = []
    original = funnel_chart._Axis.position

    def counting(axis: funnel_chart._Axis, value: float) -> int:
        placed.append(value)
        return original(axis, value)

    monkeypatch.setattr(funnel_chart._Axis, "position", counting)
    assert draw_funnel(result) == lines
    distinct = {(u.rate, u.cases, u.status) for u in result.units}
    # One row and one column per distinct point, plus the target and four limits per column.
    assert len(placed) == 2 * len(distinct) + 1 + 4 * (80 - funnel_chart.LABEL_WIDTH - 1)


def reference_csv(result: VariationResult) -> str:
    out = io.StringIO()
    writer = CsvWriter(out)  # csv.writer, with a carriage return in a name quoted too
    writer.writerow(UNIT_COLUMNS)
    for u in result.units:
        writer.writerow(
            (
                for_csv(u.unit),  # a formula is neutralised (OWASP)
                u.events,
                u.cases,
                u.rate,
                u.z,
                u.lower95,
                u.upper95,
                u.lower998,
                u.upper998,
                u.status.value,
            )
        )
    return out.getvalue()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(alphabet="ab ,;\"\r\n\t'", min_size=1, max_size=6), min_size=2))
def test_csv_output_is_what_csv_writer_writes(names: list[str]) -> None:
    units = [UnitCount(name, i % 3, 10 + i % 2) for i, name in enumerate(names)]
    units.append(UnitCount("last", 9, 10))
    result = analyse_units(units)
    out = io.StringIO()
    render_csv.write(result, out)
    assert out.getvalue() == reference_csv(result)


def test_csv_output_of_many_units_in_chunks() -> None:
    result = analyse_units(many_units(9000))
    out = io.StringIO()
    render_csv.write(result, out)
    assert out.getvalue() == reference_csv(result)


def test_a_query_s_rows_analyse_as_unit_counts_do() -> None:
    # The data commands hand analyse_units DuckDB's rows (name, events, cases,
    # refused) as they come; the result must be the one of UnitCount tuples.
    units = many_units(500, seed=11)
    rows = [(u.unit, u.events, u.cases, 0) for u in units]
    assert analyse_units(rows).model_dump() == analyse_units(units).model_dump()
    with pytest.raises(ValueError, match="unit 'Bad': events must lie between 0 and the cases"):
        analyse_units([*rows, ("Bad", 9, 3, 0)])

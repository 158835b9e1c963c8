"""Groups come out in the order they first appear, also when they start late in the file."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from svcdiag.errors import DataError, UsageError
from svcdiag.stats import appearance
from svcdiag.stats.analysis import nps_from_file, variation_from_file
from svcdiag.stats.engine import Engine
from svcdiag.stats.trend_analysis import Measure, trend_from_file


def first_appearance(names: list[str]) -> list[str]:
    return list(dict.fromkeys(name.strip() for name in names))


def write_counts(path: Path, names: list[str]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["agent", "complaints", "contacts"])
        for i, name in enumerate(names):
            writer.writerow([name, i % 2, 3])
    return path


@pytest.fixture(params=["prefix", "many keys"])
def small_prefix(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A prefix of three rows; with "many keys", two keys there already count as many."""
    monkeypatch.setattr(appearance, "PREFIX_ROWS", 3)
    if request.param == "many keys":
        monkeypatch.setattr(appearance, "MANY_KEYS", 1)


def test_a_unit_first_seen_after_the_prefix_keeps_its_place(
    tmp_path: Path, small_prefix: None
) -> None:
    names = ["b", "a", "b", "b", "b", "b", "c", "a", "d"]
    path = write_counts(tmp_path / "late.csv", names)
    analysis = variation_from_file(path, unit="agent", events="complaints", cases="contacts")
    assert [u.unit for u in analysis.result.units] == ["b", "a", "c", "d"]


def test_names_with_outer_spaces_are_one_unit_placed_at_its_first_row(
    tmp_path: Path, small_prefix: None
) -> None:
    names = ["x", "x", "x", "x", " y", "x", "z", "y "]
    path = write_counts(tmp_path / "spaces.csv", names)
    analysis = variation_from_file(path, unit="agent", events="complaints", cases="contacts")
    assert [u.unit for u in analysis.result.units] == ["x", "y", "z"]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    names=st.lists(
        st.sampled_from(["a", "b", " c", "d ", "é", "10", "2"]), min_size=2, max_size=40
    ),
    prefix=st.integers(min_value=1, max_value=50),
    many=st.integers(min_value=1, max_value=10),
)
def test_units_come_out_in_order_of_first_appearance(
    tmp_path: Path, names: list[str], prefix: int, many: int
) -> None:
    if len({n.strip() for n in names}) < 2:
        names = [*names, "zz"]
    path = write_counts(tmp_path / "units.csv", names)
    original = appearance.PREFIX_ROWS, appearance.MANY_KEYS
    appearance.PREFIX_ROWS, appearance.MANY_KEYS = prefix, many
    try:
        analysis = variation_from_file(path, unit="agent", events="complaints", cases="contacts")
    finally:
        appearance.PREFIX_ROWS, appearance.MANY_KEYS = original
    assert [u.unit for u in analysis.result.units] == first_appearance(names)


def test_outcome_units_in_order_from_parquet(tmp_path: Path, small_prefix: None) -> None:
    path = tmp_path / "cases.parquet"
    rows = [("q", 1), ("q", 0), ("q", 0), ("q", 0), ("p", 1), ("r", 0), ("p", 0)]
    values = ", ".join(f"('{u}', {o})" for u, o in rows)
    duckdb.sql(
        f"COPY (SELECT * FROM (VALUES {values}) t(agent, complaint)) TO '{path}' (FORMAT parquet)"
    )
    analysis = variation_from_file(path, unit="agent", outcome="complaint")
    assert [u.unit for u in analysis.result.units] == ["q", "p", "r"]


def test_nps_groups_in_order_of_first_appearance(tmp_path: Path, small_prefix: None) -> None:
    path = tmp_path / "nps.csv"
    rows = [("York", 9), ("York", 10), ("York", 3), ("Hull", 7), ("Leeds", 0), ("Hull", 9)]
    path.write_text("branch,score\n" + "".join(f"{b},{s}\n" for b, s in rows), encoding="utf-8")
    analysis = nps_from_file(path, by="branch")
    assert [g.group for g in analysis.result.groups] == ["York", "Hull", "Leeds"]
    assert [g.n for g in analysis.result.groups] == [3, 2, 1]


def test_trend_series_in_order_of_first_appearance(tmp_path: Path, small_prefix: None) -> None:
    path = tmp_path / "trend.csv"
    start = dt.date(2024, 1, 1)
    lines = ["date,team,complaint"]
    for i in range(12):
        day = (start + dt.timedelta(days=31 * i)).isoformat()
        lines += [f"{day},West,{i % 2}", f"{day},West,0"]
        if i >= 2:
            lines.append(f"{day},North,{(i + 1) % 2}")
        if i >= 5:
            lines.append(f"{day} 09:30,East,1")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    analysis = trend_from_file(path, time="date", measure=Measure(outcome="complaint"), by="team")
    assert [s.group for s in analysis.result.series] == ["", "West", "North", "East"]
    east = analysis.result.series[3]
    assert len(east.points) == 7  # the times of day fall in their months


def test_running_out_of_memory_in_the_numbered_rerun_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(appearance, "PREFIX_ROWS", 2)
    real = Engine.rows

    def rows(self: Engine, query: str) -> list[tuple[object, ...]]:
        if "ORDER BY min(first)" in query:  # the rerun that numbers every row
            raise duckdb.OutOfMemoryException("Out of Memory Error: could not allocate")
        return real(self, query)

    monkeypatch.setattr(Engine, "rows", rows)
    path = write_counts(tmp_path / "late.csv", ["a", "a", "a", "b", "c"])
    with pytest.raises(UsageError, match="needs more memory than the engine is allowed"):
        variation_from_file(path, unit="agent", events="complaints", cases="contacts")


def test_trend_group_first_seen_after_the_prefix_keeps_its_place(
    tmp_path: Path, small_prefix: None
) -> None:
    path = tmp_path / "late-group.csv"
    lines = ["date,team,complaint"]
    for month in range(1, 7):
        day = f"2024-{month:02d}-01"
        zeta = [f"{day},Zeta,{month % 2}", f"{day},Zeta,0", f"{day},Zeta,1"]
        lines += [*zeta, f"{day},Alpha,{(month + 1) % 2}"]  # Alpha first on row 4
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    analysis = trend_from_file(path, time="date", measure=Measure(outcome="complaint"), by="team")
    assert [s.group for s in analysis.result.series] == ["", "Zeta", "Alpha"]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["a", "b", " b", "c ", "", "  ", "é"]),
            st.sampled_from(["0", "1", "2", "x", ""]),
            st.sampled_from(["3", "5", "1", "0"]),
        ),
        min_size=2,
        max_size=30,
    ),
    outcome=st.booleans(),
)
def test_every_order_of_the_query_gives_the_same_result(
    tmp_path: Path, rows: list[tuple[str, str, str]], outcome: bool
) -> None:
    # Summed per raw name then by stripped name (a few names), or by stripped
    # name at once (a row per name): the same counts, or the same error.
    path = tmp_path / "rows.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["agent", "complaints", "contacts"])
        writer.writerows(rows)
    counting: dict[str, str] = (
        {"outcome": "complaints"} if outcome else {"events": "complaints", "cases": "contacts"}
    )
    seen = []
    original = appearance.PREFIX_ROWS, appearance.MANY_KEYS
    for prefix, many in [(1000, 1000), (1, 1000), (1000, 1)]:  # none, late key, many keys
        appearance.PREFIX_ROWS, appearance.MANY_KEYS = prefix, many
        try:
            analysis = variation_from_file(path, unit="agent", **counting)  # type: ignore[arg-type]
            seen.append(analysis.result.model_dump())
        except (DataError, UsageError) as err:
            seen.append({"error": err.message})
        finally:
            appearance.PREFIX_ROWS, appearance.MANY_KEYS = original
    assert seen[1] == seen[0]
    assert seen[2] == seen[0]

"""The garbage collector is paused while a trend is built, and always as it was after."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from svcdiag.errors import DataError
from svcdiag.stats import trend_analysis
from svcdiag.stats.bulk import collector_paused
from svcdiag.stats.trend_analysis import Measure, trend_from_file


@pytest.fixture
def collector_on() -> Iterator[None]:
    was_on = gc.isenabled()
    gc.enable()
    yield
    if not was_on:
        gc.disable()


@pytest.mark.usefixtures("collector_on")
def test_the_collector_is_paused_inside_and_on_again_after() -> None:
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_on")
def test_an_error_inside_still_turns_the_collector_on_again() -> None:
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("inside")
    assert gc.isenabled()


def test_a_collector_turned_off_before_stays_off() -> None:
    was_on = gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        if was_on:
            gc.enable()


@pytest.mark.usefixtures("collector_on")
def test_a_trend_is_built_with_the_collector_paused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    build = trend_analysis.build_series

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return build(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(trend_analysis, "build_series", spy)
    path = tmp_path / "t.csv"
    rows = [f"2024-{m:02d}-01,{team},{m % 2}" for m in range(1, 7) for team in ("a", "b")]
    path.write_text("day,team,complaint\n" + "\n".join(rows) + "\n")
    analysis = trend_from_file(path, time="day", measure=Measure(outcome="complaint"), by="team")
    assert [s.group for s in analysis.result.series] == ["", "a", "b"]
    assert seen == [False, False, False]
    assert gc.isenabled()
    path.write_text("day,team,complaint\n2024-01-01,a,7\n")
    with pytest.raises(DataError):
        trend_from_file(path, time="day", measure=Measure(outcome="complaint"), by="team")
    assert gc.isenabled()

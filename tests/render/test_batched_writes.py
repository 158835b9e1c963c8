"""CSV of nps, variation and trend: one write when short, large chunks when long."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from svcdiag.models.results import UnitResult, VariationResult
from svcdiag.render import csv_stats, csv_trend, stats_formats, trend_formats
from svcdiag.render.batched import WHOLE_WRITE, batched
from svcdiag.render.stats_formats import OutputFormat
from svcdiag.stats.analysis import nps_from_file, variation_from_file

from .conftest import EXAMPLES, trend_example


class Recorder(io.StringIO):
    """A text stream that keeps the length of every write it is given."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[int] = []

    def write(self, text: str, /) -> int:
        self.writes.append(len(text))
        return super().write(text)


def test_the_example_csvs_leave_in_one_write() -> None:
    nps = nps_from_file(EXAMPLES / "nps_survey.csv", by="branch").result
    variation = variation_from_file(
        EXAMPLES / "complaints_by_agent.csv", unit="agent", events="complaints", cases="contacts"
    ).result
    for write, result in (
        (csv_stats.write, nps),
        (csv_stats.write, variation),
        (csv_trend.write, trend_example()),
    ):
        out = Recorder()
        write(result, out)  # type: ignore[operator]
        assert out.writes == [len(out.getvalue())], type(result).__name__


def _many_units(count: int) -> VariationResult:
    result = variation_from_file(
        EXAMPLES / "complaints_by_agent.csv", unit="agent", events="complaints", cases="contacts"
    ).result
    first: UnitResult = result.units[0]
    units = [first.model_copy(update={"unit": f"U{i}"}) for i in range(count)]
    return result.model_copy(update={"units": units})


def test_a_long_csv_leaves_in_large_bounded_chunks() -> None:
    result = _many_units(20_000)
    out = Recorder()
    csv_stats.write(result, out)
    text = out.getvalue()
    assert len(text) > 10 * WHOLE_WRITE
    assert set(out.writes[:-1]) == {WHOLE_WRITE}  # large chunks, that keep memory bounded
    assert 0 < out.writes[-1] <= WHOLE_WRITE
    plain = io.StringIO()
    csv_stats.write(result, plain)
    assert plain.getvalue() == text


def test_batched_writes_whole_up_to_the_size_then_in_chunks() -> None:
    out = Recorder()
    with batched(out, size=10) as buffer:
        buffer.write("x" * 6)
        buffer.write("y" * 4)  # 10: still held
    assert out.writes == [10]
    out = Recorder()
    with batched(out, size=10) as buffer:
        for _ in range(5):
            buffer.write("z" * 4)
    assert out.writes == [10, 10]
    assert out.getvalue() == "z" * 20
    out = Recorder()
    with batched(out, size=10) as buffer:
        buffer.write("a")
        buffer.write("b" * 34)  # cut as it comes
        assert out.writes == [10, 10, 10]
    assert out.writes == [10, 10, 10, 5]
    assert out.getvalue() == "a" + "b" * 34


def test_nothing_is_written_after_an_error(tmp_path: Path) -> None:
    out = Recorder()
    try:
        with batched(out, size=10) as buffer:
            buffer.write("partial")
            raise RuntimeError
    except RuntimeError:
        pass
    assert out.writes == []


@pytest.mark.parametrize("fmt", [OutputFormat.json, OutputFormat.yaml, OutputFormat.csv])
def test_every_data_format_leaves_whole_when_short_and_in_chunks_when_long(
    fmt: OutputFormat,
) -> None:
    short = Recorder()
    trend_formats.RENDERERS[fmt](trend_example(), short)
    assert short.writes == [len(short.getvalue())]
    long = Recorder()
    stats_formats.RENDERERS[fmt](_many_units(5_000), long)
    assert len(long.writes) > 1
    assert set(long.writes[:-1]) == {WHOLE_WRITE}


def test_text_made_in_chunks_leaves_in_writes_of_the_whole_size() -> None:
    out = Recorder()
    stats_formats.emit_text(iter(["h\n", "x" * 150_000, "y" * 10]), out)
    assert out.writes == [WHOLE_WRITE, WHOLE_WRITE, 150_012 - 2 * WHOLE_WRITE]

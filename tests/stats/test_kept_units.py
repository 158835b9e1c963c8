"""Many units listed straight from the engine: the same CSV, JSON and YAML, byte for byte.

``variation -f csv`` on a file of many units keeps them in the engine
(:mod:`svcdiag.stats.unit_table`). Each test runs the command both ways and
compares what it printed or wrote, and checks which way was taken: the
threshold of "many" is lowered for small files, and the engine's way can be
turned off.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic_core import to_json
from typer.testing import CliRunner, Result

from svcdiag.cli import app
from svcdiag.models.results import VariationResult
from svcdiag.render.csv_stats import UNIT_COLUMNS
from svcdiag.render.kept_units import csv_name_sql, json_name_sql
from svcdiag.stats import analysis, appearance
from svcdiag.stats.engine import Engine
from svcdiag.stats.unit_table import UnitTable
from svcdiag.textsafe import FORMULA_START, CsvWriter, for_csv

runner = CliRunner()


def analyses_kept(patch: pytest.MonkeyPatch) -> list[int]:
    """A list that receives the number of units each time the engine's way analyses a file."""
    real_fit = analysis.fit_pairs
    taken: list[int] = []

    def fit(*args: Any, **kwargs: Any) -> Any:
        found = real_fit(*args, **kwargs)
        taken.append(found.units)
        return found

    patch.setattr(analysis, "fit_pairs", fit)
    return taken


def in_engine(name_sql: Callable[[str], str], name: str) -> str:
    """The text ``name_sql`` makes of ``name`` in the engine."""
    query = f"SELECT {name_sql('u')} FROM (SELECT $1::VARCHAR AS u)"
    (found,) = duckdb.connect().execute(query, [name]).fetchone() or ()
    return str(found)


NAMES = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1
)


@contextmanager
def way(kept: bool) -> Iterator[list[int]]:
    """Run the command the engine's way or the usual one.

    The engine's way is then taken for any number of units, however few of
    them share their counts.

    Yields a list that receives the number of units each time the engine's
    way analyses a file.
    """
    with pytest.MonkeyPatch.context() as patch:
        taken = analyses_kept(patch)
        if kept:
            patch.setattr(appearance, "MANY_KEYS", 0)
            patch.setattr(analysis, "SHARED_PAIRS", 1.0)
        else:
            patch.setattr(analysis, "kept_units", lambda *args, **kwargs: None)
        yield taken


def both_ways(*argv: str | Path) -> tuple[Result, Result, list[int]]:
    """Run ``svcdiag ARGV`` the engine's way and the usual way."""
    args = [str(a) for a in argv]
    with way(True) as taken:
        kept = runner.invoke(app, args)
    with way(False):
        usual = runner.invoke(app, args)
    for result in (kept, usual):
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(f"svcdiag {args} raised {result.exception!r}")
    return kept, usual, taken


def write_units(path: Path, rows: list[tuple[str, int, int]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, quoting=csv.QUOTE_ALL)
        writer.writerow(["agent", "complaints", "contacts"])
        writer.writerows(rows)
    return path


def counts_args(path: Path, *extra: str, fmt: str = "csv") -> list[str | Path]:
    return ["variation", path, "--unit", "agent", "--events", "complaints", "--cases", "contacts",
            "-f", fmt, *extra]  # fmt: skip


NASTY_NAMES = st.one_of(
    st.sampled_from(["=SUM(A1)", "+1", "-2", "@x", "\tTab", "a,b", 'say "hi"', "two\nlines",
                     "cr\rhere", "=a,\"b\"\r\n", "Zoë", "李", "\U0001f600", "  padded  ", "'q"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
            min_size=1, max_size=8),
)  # fmt: skip


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(NASTY_NAMES, st.integers(0, 30), st.integers(1, 60)), min_size=2, max_size=30
    )
)
def test_the_engine_lists_units_as_the_usual_way_does(
    tmp_path: Path, rows: list[tuple[str, int, int]]
) -> None:
    rows = [(name, min(events, cases), cases) for name, events, cases in rows]
    path = write_units(tmp_path / "units.csv", rows)
    for fmt in ("csv", "json", "yaml", "rich"):
        kept, usual, taken = both_ways(*counts_args(path, fmt=fmt))
        assert (kept.exit_code, kept.stdout, kept.stderr) == (
            usual.exit_code,
            usual.stdout,
            usual.stderr,
        )
        if usual.exit_code == 0:
            assert taken, "the engine's way was not taken for a clean file"
            if fmt == "csv":
                lines = io.StringIO(kept.stdout).readlines()
                assert lines[0] == ",".join(UNIT_COLUMNS) + "\n"
            elif fmt == "json":
                result = VariationResult.model_validate_json(kept.stdout)
                assert len(result.units) == taken[0]
            elif fmt == "rich":
                assert f"Variation between units: {taken[0]:,} units" in kept.stdout
            else:
                result = VariationResult.model_validate(yaml.safe_load(kept.stdout))
                assert len(result.units) == taken[0]


def test_a_file_of_many_units_takes_the_engines_way(tmp_path: Path) -> None:
    """Beyond MANY_KEYS units in the first rows, with no threshold lowered."""
    count = appearance.MANY_KEYS + 2_000
    rows = [(f"U{i}", i % 7, 20 + i % 13) for i in range(count)]
    rows.append(("U5", 3, 10))  # a unit seen again at the end: summed, listed where it began
    rows.insert(1, ("=cmd|'/c calc'!A1", 1, 9))
    path = write_units(tmp_path / "many.csv", rows)
    formats = ("csv", "json", "yaml")
    with pytest.MonkeyPatch.context() as patch:
        taken = analyses_kept(patch)
        kept, kept_json, kept_yaml = (
            runner.invoke(app, [str(a) for a in counts_args(path, fmt=fmt)]) for fmt in formats
        )
    with way(False):
        usual, usual_json, usual_yaml = (
            runner.invoke(app, [str(a) for a in counts_args(path, fmt=fmt)]) for fmt in formats
        )
    assert kept.exit_code == usual.exit_code == kept_json.exit_code == kept_yaml.exit_code == 0
    assert taken == [count + 1] * 3
    assert kept.stdout == usual.stdout
    assert kept_json.stdout == usual_json.stdout
    assert kept_yaml.stdout == usual_yaml.stdout
    assert "\n  - unit: =cmd|'/c calc'!A1\n" in kept_yaml.stdout  # no formulas in YAML
    table = list(csv.reader(io.StringIO(kept.stdout)))
    assert table[0] == list(UNIT_COLUMNS)
    assert len(table) == 1 + count + 1
    assert [row[0] for row in table[1:4]] == ["U0", "'=cmd|'/c calc'!A1", "U1"]
    u5 = next(row for row in table if row[0] == "U5")
    assert (u5[1], u5[2]) == (str(5 % 7 + 3), str(20 + 5 % 13 + 10))
    assert float(u5[3]) == pytest.approx((5 % 7 + 3) / (20 + 5 % 13 + 10))


@pytest.mark.parametrize("fmt", ["csv", "yaml"])
def test_written_to_a_file_the_same_and_never_over_an_existing_one(
    tmp_path: Path, fmt: str
) -> None:
    path = write_units(tmp_path / "units.csv", [(f"T{i}", i % 3, 10 + i) for i in range(40)])
    out_kept, out_usual = tmp_path / f"kept.{fmt}", tmp_path / f"usual.{fmt}"
    with way(True) as taken:
        first = runner.invoke(app, [str(a) for a in counts_args(path, "-o", out_kept, fmt=fmt)])
        again = runner.invoke(app, [str(a) for a in counts_args(path, "-o", out_kept, fmt=fmt)])
    with way(False):
        runner.invoke(app, [str(a) for a in counts_args(path, "-o", out_usual, fmt=fmt)])
    assert first.exit_code == 0 and "wrote" in first.stderr
    assert taken == [40, 40]
    assert out_kept.read_bytes() == out_usual.read_bytes()
    assert again.exit_code == 2 and "exists" in again.stderr
    assert out_kept.read_bytes() == out_usual.read_bytes()


def test_a_document_beside_the_terminal_view_needs_every_unit(tmp_path: Path) -> None:
    """-o units.html without --format writes a document of every unit: the usual way."""
    path = write_units(tmp_path / "units.csv", [(f"T{i}", i % 3, 10 + i) for i in range(40)])
    args = ["variation", path, "--unit", "agent", "--events", "complaints", "--cases", "contacts"]
    with way(True) as taken:
        result = runner.invoke(app, [str(a) for a in [*args, "-o", tmp_path / "out.html"]])
    assert result.exit_code == 0
    assert taken == []
    assert "T39" in result.stdout and "T39" in (tmp_path / "out.html").read_text()


def flagged_units(count: int) -> list[tuple[str, int, int]]:
    """``count`` ordinary units, and among them many flagged ones that tie on their counts."""
    rows = [(f"T{i}", i % 3, 30 + i % 11) for i in range(count)]
    for i in range(0, count, 4):  # a quarter as high as can be, in a few shared pairs
        rows[i] = (f"H{i}", 12 + i % 3, 30)
    rows[5] = ("Low one", 0, 400)
    rows[7] = ("\x1b[31mred", 20, 30)
    return rows


@pytest.mark.parametrize("count", [12, 40, 41, 300])
def test_the_terminal_view_is_the_same_from_the_engine(tmp_path: Path, count: int) -> None:
    """Flagged units ranked (ties in file order), the first alarms named, the chart."""
    path = write_units(tmp_path / "units.csv", flagged_units(count))
    kept, usual, taken = both_ways(*counts_args(path, "--no-overdispersion", fmt="rich"))
    assert kept.exit_code == usual.exit_code == 0
    assert taken == [count]
    assert (kept.stdout, kept.stderr) == (usual.stdout, usual.stderr)
    assert (
        f"{count:,} units" in kept.stdout and "Beyond the 99.8 % limits: H0 (high)" in kept.stdout
    )
    assert "\x1b" not in kept.stdout and "\\x1b[31mred" in kept.stdout
    if count > 40:
        assert "not listed" in kept.stdout


@pytest.mark.parametrize("suffix", ["csv", "json", "yaml"])
def test_the_terminal_view_beside_a_file_both_from_the_engine(tmp_path: Path, suffix: str) -> None:
    path = write_units(tmp_path / "units.csv", flagged_units(60))
    args = ["variation", path, "--unit", "agent", "--events", "complaints", "--cases", "contacts"]
    out_kept, out_usual = tmp_path / f"kept.{suffix}", tmp_path / f"usual.{suffix}"
    with way(True) as taken:
        kept = runner.invoke(app, [str(a) for a in [*args, "-o", out_kept]])
    with way(False):
        usual = runner.invoke(app, [str(a) for a in [*args, "-o", out_usual]])
    assert kept.exit_code == usual.exit_code == 0
    assert taken == [60]
    assert out_kept.read_bytes() == out_usual.read_bytes()
    assert kept.stdout == usual.stdout and "Verdict:" in kept.stdout
    assert kept.stderr.replace("kept", "usual") == usual.stderr and "wrote" in kept.stderr


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("A", 1, 10), ("B", 2, 10), ("C", "x", 10)], "bad.csv:4: column 'complaints'"),
        ([("A", 1, 10), ("B", 12, 10)], "bad.csv:3: 12 events"),
        ([("A", 1, 10), ("", 2, 10)], "bad.csv:3: column 'agent' (--unit) is empty"),
        ([("A", 1, 10), ("B\x00", 2, 10)], "bad.csv:3: column 'agent' holds a NUL"),
        ([("A", 0, 10), ("B", 0, 10)], "none of the 20 cases"),
        ([("A", 1, 10), ("A ", 2, 10)], "only one unit"),
        ([("A", 1, 10), ("B", 1, 20_000_000_000)], "bad.csv:3: column 'contacts'"),
    ],
)
def test_files_the_checks_refuse_are_refused_as_before(
    tmp_path: Path, rows: list[tuple[Any, ...]], message: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "agent,complaints,contacts\n" + "".join(",".join(map(str, row)) + "\n" for row in rows),
        encoding="utf-8",
    )
    kept, usual, taken = both_ways(*counts_args(path))
    assert taken == []
    assert kept.exit_code == usual.exit_code != 0
    assert kept.stderr == usual.stderr
    assert message in kept.stderr


def cases_file(folder: Path, kind: str) -> Path:
    """25 agents' cases (one row each, complaint 0 or 1) as CSV, Parquet or XLSX."""
    rows = [(str(i), f"A{i % 25}", int(i % 9 == 0)) for i in range(500)]
    path = folder / f"cases.{kind}"
    if kind == "xlsx":
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        for row in [("case", "agent", "complaint"), *rows]:
            sheet.append(row)
        book.save(path)
        return path
    csv_path = folder / "cases.csv"
    lines = ["case,agent,complaint", *(",".join(map(str, row)) for row in rows)]
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if kind == "parquet":
        duckdb.connect().execute(
            f"COPY (SELECT * FROM read_csv('{csv_path}')) TO '{path}' (FORMAT parquet)"
        )
    return path


@pytest.mark.parametrize("kind", ["csv", "parquet", "xlsx"])
def test_outcomes_and_a_target_the_engines_way(tmp_path: Path, kind: str) -> None:
    path = cases_file(tmp_path, kind)
    for extra in ([], ["--target", "0.2"], ["--no-overdispersion"]):
        args = ["variation", path, "--unit", "agent", "--outcome", "complaint", "-f", "csv", *extra]
        kept, usual, taken = both_ways(*args)
        assert kept.exit_code == usual.exit_code == 0
        assert (kept.stdout, kept.stderr) == (usual.stdout, usual.stderr)
        assert kept.stdout.count("\n") == 26
        assert kept.stdout.splitlines()[1].startswith("A0,")
        assert taken == [25]


@settings(max_examples=300, deadline=None)
@given(NAMES)
def test_names_are_escaped_in_the_engine_as_csv_writer_does(name: str) -> None:
    buffer = io.StringIO()
    CsvWriter(buffer).writerow([for_csv(name)])
    assert in_engine(csv_name_sql, name) == buffer.getvalue().removesuffix("\n")


def test_every_formula_start_is_guarded_in_the_engine() -> None:
    for start in FORMULA_START:
        assert in_engine(csv_name_sql, start + "1").lstrip('"').startswith("'" + start)


@settings(max_examples=300, deadline=None)
@given(NAMES)
def test_names_are_escaped_in_the_engine_as_json_is_written(name: str) -> None:
    assert in_engine(json_name_sql, name) == to_json(name).decode()


def test_every_control_character_is_escaped_in_json() -> None:
    name = "".join(chr(code) for code in range(1, 32)) + '"\\/\x7f\u2028é'
    found = in_engine(json_name_sql, name)
    assert found == to_json(name).decode()
    assert "\\u001b" in found and "\\n" in found and "\x1b" not in found


def test_json_to_a_file_reads_back_as_evidence(tmp_path: Path) -> None:
    path = write_units(tmp_path / "units.csv", [(f"T{i}", i % 3, 10 + i) for i in range(40)])
    out_kept, out_usual = tmp_path / "kept.json", tmp_path / "usual.json"
    with way(True) as taken:
        args = counts_args(path, "-o", str(out_kept), fmt="json")
        wrote = runner.invoke(app, [str(a) for a in args])
    with way(False):
        runner.invoke(app, [str(a) for a in counts_args(path, "-o", str(out_usual), fmt="json")])
    assert wrote.exit_code == 0 and taken == [40]
    assert out_kept.read_bytes() == out_usual.read_bytes()
    findings = Path(__file__).resolve().parents[2] / "examples" / "findings-widespread.yaml"
    args = ["report", str(findings), "--evidence", str(out_kept), "-f", "markdown"]
    report = runner.invoke(app, args)
    assert report.exit_code == 0, report.output
    assert "across 40 units no one lies beyond its 99.8 % funnel limits" in report.stdout


def test_interrupted_while_listing_writes_nothing(tmp_path: Path) -> None:
    path = write_units(tmp_path / "units.csv", [(f"T{i}", i % 3, 10 + i) for i in range(40)])
    out = tmp_path / "out.json"
    real = Engine.batches

    def interrupted(self: Engine, query: str, size: int) -> Iterator[list[tuple[Any, ...]]]:
        yield from itertools.islice(real(self, query, 5), 1)
        raise KeyboardInterrupt

    with way(True) as taken, pytest.MonkeyPatch.context() as patch:
        patch.setattr(Engine, "batches", interrupted)
        result = runner.invoke(app, [str(a) for a in counts_args(path, "-o", str(out), fmt="json")])
    assert taken == [40]
    assert result.exit_code == 130
    assert sorted(p.name for p in tmp_path.iterdir()) == ["units.csv"]


def test_out_of_memory_while_listing_is_named_and_nothing_is_printed(tmp_path: Path) -> None:
    path = write_units(tmp_path / "units.csv", [(f"T{i}", i % 3, 10 + i) for i in range(40)])

    def no_memory(self: Engine, query: str, size: int) -> Iterator[list[tuple[Any, ...]]]:
        raise duckdb.OutOfMemoryException("failed to pin block")
        yield []  # a generator, as the real one

    for fmt in ("csv", "json", "yaml"):
        with way(True) as taken, pytest.MonkeyPatch.context() as patch:
            patch.setattr(Engine, "batches", no_memory)
            result = runner.invoke(app, [str(a) for a in counts_args(path, fmt=fmt)])
        assert taken == [40]
        assert result.exit_code == 2
        assert result.stdout == ""
        assert "the analysis needs more memory than the engine is allowed" in result.stderr
        assert "SVCDIAG_MEMORY_LIMIT" in result.stderr


def test_a_table_beyond_the_engines_memory_takes_the_usual_way(tmp_path: Path) -> None:
    path = write_units(tmp_path / "units.csv", [(f"T{i}", i % 3, 10 + i) for i in range(40)])
    real = Engine.run
    dropped: list[str] = []

    def short_of_memory(self: Engine, statement: str, parameters: Any = None) -> None:
        if statement.startswith("CREATE TEMP TABLE units"):
            real(self, statement, parameters)  # made, then found too big to work with
            raise duckdb.OutOfMemoryException("failed to allocate")
        if statement.startswith("DROP TABLE"):
            dropped.append(statement)
        real(self, statement, parameters)

    with way(True) as taken, pytest.MonkeyPatch.context() as patch:
        patch.setattr(Engine, "run", short_of_memory)
        kept = runner.invoke(app, [str(a) for a in counts_args(path)])
    with way(False):
        usual = runner.invoke(app, [str(a) for a in counts_args(path)])
    assert taken == []
    assert dropped == ["DROP TABLE IF EXISTS units_1"]
    assert kept.exit_code == usual.exit_code == 0
    assert kept.stdout == usual.stdout and kept.stdout.count("\n") == 41


def test_a_contradicted_format_is_reported_after_the_data_as_always(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("agent,complaints,contacts\nA,1,10\nB,x,10\n", encoding="utf-8")
    kept, usual, taken = both_ways(*counts_args(path, "-o", str(tmp_path / "x.csv"), fmt="json"))
    assert taken == []
    assert kept.exit_code == usual.exit_code == 1
    assert kept.stderr == usual.stderr
    assert "bad.csv:3: column 'complaints'" in kept.stderr


def test_units_with_counts_of_their_own_are_listed_the_usual_way(tmp_path: Path) -> None:
    """Most units with a pair of counts of their own: the engine hands the units back."""
    rows = [(f"U{i}", i % 3, 10 + i) for i in range(appearance.MANY_KEYS + 100)]
    path = write_units(tmp_path / "own.csv", rows)
    real_rows = UnitTable.rows
    handed_back: list[int] = []

    def hand_back(self: UnitTable) -> list[tuple[Any, ...]]:
        found = real_rows(self)
        handed_back.append(len(found))
        return found

    with pytest.MonkeyPatch.context() as patch:
        taken = analyses_kept(patch)
        patch.setattr(UnitTable, "rows", hand_back)
        kept = runner.invoke(app, [str(a) for a in counts_args(path, fmt="json")])
    with way(False):
        usual = runner.invoke(app, [str(a) for a in counts_args(path, fmt="json")])
    assert taken == []
    assert handed_back == [len(rows)]
    assert kept.exit_code == usual.exit_code == 0
    assert kept.stdout == usual.stdout
    assert [unit.unit for unit in VariationResult.model_validate_json(kept.stdout).units][:3] == [
        "U0",
        "U1",
        "U2",
    ]


def test_out_of_memory_for_the_terminal_view_writes_no_file(tmp_path: Path) -> None:
    path = write_units(tmp_path / "units.csv", flagged_units(60))
    out = tmp_path / "out.csv"
    real = Engine.rows

    def short_of_memory(self: Engine, query: str) -> list[tuple[Any, ...]]:
        if " JOIN ranks" in query:
            raise duckdb.OutOfMemoryException("failed to allocate")
        return real(self, query)

    args = ["variation", path, "--unit", "agent", "--events", "complaints", "--cases", "contacts"]
    with way(True) as taken, pytest.MonkeyPatch.context() as patch:
        patch.setattr(Engine, "rows", short_of_memory)
        result = runner.invoke(app, [str(a) for a in [*args, "-o", out]])
    assert taken == [60]
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "the analysis needs more memory than the engine is allowed" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["units.csv"]

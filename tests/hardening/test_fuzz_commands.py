"""Every command that reads a file, fed random bytes, random YAML and random CSV.

Whatever the file holds, the command ends with an exit code from the README's
table and never with a traceback. Random YAML is both free-form and a valid
example file with one value replaced by a hostile one (so that it passes the
shape checks and reaches the deeper ones); random CSV has a header that names
the columns the command asks for, so that the rows are read.
"""

from __future__ import annotations

import copy
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from svcdiag.source.yamlsource import walk_paths

from .conftest import EXAMPLES, run

FINDINGS = EXAMPLES / "findings-few-individuals.yaml"
Argv = Callable[[Path], list[str | Path]]

#: Every command that reads a YAML file the user names, by how it is named.
YAML_READERS: list[Argv] = [
    lambda f: ["lint", f],
    lambda f: ["lint", f.parent],
    lambda f: ["report", f, "-f", "json"],
    lambda f: ["report", f, "-f", "markdown"],
    lambda f: ["report", FINDINGS, "--evidence", f, "-f", "json"],
    lambda f: ["assess", "--answers", f, "-o", f.parent / "out.findings.yaml", "-f", "json"],
    lambda f: ["assess", "--answers", FINDINGS, "--evidence", f, "-o", f.parent / "o.yaml"],
    lambda f: ["list", "--dir", f.parent],
]
#: Every command that reads a CSV file.
CSV_READERS: list[Argv] = [
    lambda f: ["nps", f],
    lambda f: ["nps", f, "--column", "score", "--by", "group", "-f", "csv"],
    lambda f: ["nps", f, "--skip-invalid", "-f", "json"],
    lambda f: ["variation", f, "--unit", "unit", "--events", "events", "--cases", "cases"],
    lambda f: ["variation", f, "--unit", "unit", "--outcome", "outcome", "-f", "csv"],
    lambda f: [
        "variation",
        f,
        "--unit",
        "unit",
        "--events",
        "events",
        "--cases",
        "cases",
        "--delimiter",
        ";",
        "-f",
        "yaml",
    ],
]

FUZZ = settings(
    max_examples=int(os.environ.get("SVCDIAG_FUZZ_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

#: Scalars as YAML text: numbers no reader should trust, tags, and ordinary values.
hostile_scalars = st.sampled_from(
    [
        "9" * 5000,
        "-" + "9" * 4400,
        "4:00",
        "0xF0",
        "010",
        ".inf",
        "-.inf",
        ".nan",
        "1.0e+999",
        "2026-13-45",
        "!!python/object:os.system x",
        "!!binary aGVsbG8=",
        "*undefined_alias",
        "~",
        "''",
        "unknown",
        "[1, [2, [3]]]",
        "{a: 1}",
        '"\\e]0;title\\a"',
        "yes",
        "-1",
        "2.5",
        "1e3",
        "=HYPERLINK(1)",
    ]
)
plain_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
)
trees = st.recursive(
    plain_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(min_size=1, max_size=8), inner, max_size=4),
    ),
    max_leaves=15,
)


def _saved_results() -> list[Any]:
    """A saved NPS and a saved variation result, made by the commands themselves."""
    with tempfile.TemporaryDirectory() as folder:
        nps, variation = Path(folder) / "nps.yaml", Path(folder) / "variation.yaml"
        run("nps", EXAMPLES / "nps_survey.csv", "--by", "branch", "-o", nps)
        run(
            "variation",
            EXAMPLES / "complaints_by_agent.csv",
            "--unit",
            "agent",
            "--events",
            "complaints",
            "--cases",
            "contacts",
            "-o",
            variation,
        )
        return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in (nps, variation)]


def _examples() -> list[Any]:
    names = ["findings-few-individuals.yaml", "answers-widespread.yaml", "findings-healthy.yaml"]
    found = [yaml.safe_load((EXAMPLES / n).read_text(encoding="utf-8")) for n in names]
    shipped = EXAMPLES.parent / "questionnaires" / "triage.yaml"
    found.append(yaml.safe_load(shipped.read_text(encoding="utf-8")))
    return [*found, *_saved_results()]


BASES = _examples()
PLACEHOLDER = "__FUZZ_VALUE__"


def _mutated(base: Any, where: int, value: str) -> str:
    data = copy.deepcopy(base)
    paths = [p for p in walk_paths(data) if p]
    path = paths[where % len(paths)]
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = PLACEHOLDER
    return (
        yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
        .replace(f"'{PLACEHOLDER}'", value)
        .replace(PLACEHOLDER, value)
    )


#: A replacement value as YAML text: a hostile one, or any plain value (JSON is YAML).
values = st.one_of(hostile_scalars, trees.map(lambda v: json.dumps(v, ensure_ascii=False)))
yaml_texts = st.one_of(
    st.builds(_mutated, st.sampled_from(BASES), st.integers(0, 10_000), values),
    trees.map(lambda t: yaml.safe_dump(t, allow_unicode=True)),
    st.text(max_size=300),
)


def _in_a_folder(name: str, content: bytes, argvs: list[Argv]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        for argv in argvs:
            run(*argv(path))  # run() fails on a traceback or an undocumented exit code


@FUZZ
@given(st.binary(max_size=600))
def test_random_bytes_never_crash_a_yaml_reader(content: bytes) -> None:
    _in_a_folder("input.yaml", content, YAML_READERS)


@FUZZ
@given(yaml_texts)
def test_random_yaml_never_crashes_a_yaml_reader(text: str) -> None:
    _in_a_folder("input.yaml", text.encode("utf-8", "surrogatepass"), YAML_READERS)


cells = st.one_of(
    st.sampled_from(["0", "1", "7", "10", "11", "-1", "2.5", "٩", "９", "", " ", "1_0", "nan"]),
    st.sampled_from(["=cmd", "+1", "@x", "\x1b]0;x\x07", '"', "a,b", "a;b", "9" * 40]),
    st.text(max_size=8),
)
HEADERS = ["score", "group", "unit", "events", "cases", "outcome"]


@st.composite
def csv_texts(draw: st.DrawFn) -> str:
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    header = draw(st.permutations(HEADERS))
    width = len(header) + draw(st.integers(-1, 1))
    rows = draw(st.lists(st.lists(cells, min_size=width, max_size=width), max_size=8))
    lines = [delimiter.join(header[:width]), *(delimiter.join(row) for row in rows)]
    ending = draw(st.sampled_from(["\n", "\r\n", ""]))
    return ending.join(lines) + ending


@FUZZ
@given(st.one_of(csv_texts(), st.text(max_size=200)))
def test_random_csv_never_crashes_nps_or_variation(text: str) -> None:
    _in_a_folder("input.csv", text.encode("utf-8", "surrogatepass"), CSV_READERS)


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes_never_crash_nps_or_variation(content: bytes) -> None:
    _in_a_folder("input.csv", content, CSV_READERS)

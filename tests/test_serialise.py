"""YAML and JSON written by svcdiag read back as the data that was written."""

from __future__ import annotations

import collections
import enum
import json

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from svcdiag import serialise
from svcdiag.serialise import to_json, to_yaml

#: Characters YAML reads as line breaks beyond CR and LF, and their neighbours.
BREAKS = st.text(st.sampled_from("a \n\r\t\x85\u2028\u2029\ufeff\x00\\\"'#:-"), max_size=12)


@pytest.mark.parametrize("name", ["North\x85South", "North\u2028South", "North\u2029", "a\n\x85b"])
def test_names_with_unicode_line_breaks_round_trip(name: str) -> None:
    text = to_yaml({"units": [{"unit": name, "cases": 3}], name: 1})
    assert yaml.safe_load(text) == {"units": [{"unit": name, "cases": 3}], name: 1}
    assert "\\N" in text or "\\L" in text or "\\P" in text


@settings(max_examples=300)
@given(st.one_of(st.text(), BREAKS))
@example("a\x85b")
@example("x" * 100 + "\u2028" + "y " * 60)
def test_any_text_round_trips_through_yaml(text: str) -> None:
    data = {"unit": text, "units": [text, {"name": text}], text: text}
    assert yaml.safe_load(to_yaml(data)) == data


@given(st.text())
def test_any_text_round_trips_through_json(text: str) -> None:
    assert json.loads(to_json({"unit": text})) == {"unit": text}


words = st.sampled_from(["A1", "normal", "alarm_high", "yes", "Null", "NaN", "e5", "x y", "", "0"])
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    words,
    st.text(max_size=12),
)
records = st.lists(
    st.dictionaries(st.sampled_from(["unit", "events", "rate", "status", "z"]), scalars,
                    min_size=1),
    min_size=1,
    max_size=8,
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(records, st.dictionaries(st.sampled_from(["target", "phi", "verdict"]), scalars))
def test_long_lists_of_records_are_written_as_pyyaml_writes_them(
    units: list[dict[str, object]], rest: dict[str, object]
) -> None:
    assert_written_as_pyyaml_writes({**rest, "units": units, "after": 1})


def assert_written_as_pyyaml_writes(data: dict[str, object]) -> None:
    """``data``, records taken from one on, is written as PyYAML's emitter writes it."""
    expected = yaml.dump(
        data, Dumper=serialise._dumper(), sort_keys=False, allow_unicode=True, width=88
    )
    original = serialise.FAST_RECORDS
    serialise.FAST_RECORDS = 1
    try:
        assert serialise.to_yaml(data) == expected
    finally:
        serialise.FAST_RECORDS = original


#: Values equal to Python but written differently (1, 1.0 and True; 0.0 and -0.0).
look_alikes = st.sampled_from([0, 0.0, -0.0, 1, 1.0, True, False, None, "1", "yes", "A1", 2.5])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.dictionaries(st.sampled_from(["unit", "events", "rate"]), look_alikes, min_size=1),
        min_size=1,
        max_size=12,
    )
)
def test_repeated_values_that_compare_equal_keep_their_own_text(
    units: list[dict[str, object]],
) -> None:
    assert_written_as_pyyaml_writes({"units": units})


def test_json_of_a_model_is_the_json_of_its_dump() -> None:
    from svcdiag.models.results import UnitResult, VariationResult
    from svcdiag.stats.funnel import UnitCount, analyse_units

    result = analyse_units([UnitCount(f"U{i}", i % 7, 10 + i % 5) for i in range(40)])
    assert isinstance(result, VariationResult)
    dumped = serialise.plain(result)
    assert to_json(result) == to_json(dumped)
    assert json.loads(to_json(result))["units"][3] == dumped["units"][3]
    assert isinstance(result.units[0], UnitResult)


def test_a_text_enum_in_plain_data_is_left_to_pyyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    from enum import Enum

    class Kind(str, Enum):
        a = "a"

    monkeypatch.setattr(serialise, "FAST_RECORDS", 1)
    with pytest.raises(yaml.representer.RepresenterError):
        serialise.to_yaml({"units": [{"kind": Kind.a}]})


#: Names of words, spaces and punctuation, some long enough to reach the line's width.
spaced_names = st.one_of(
    st.text(alphabet="Ab0_.'- #:", min_size=1, max_size=90),
    st.lists(st.text(alphabet="Ab0_.'-", min_size=1, max_size=12), min_size=1, max_size=12).map(
        " ".join
    ),
)


@settings(max_examples=500, deadline=None)
@given(spaced_names, st.sampled_from(["unit", "name", "a_rather_long_field_name"]))
def test_a_name_of_words_is_written_as_pyyaml_writes_it(name: str, field: str) -> None:
    record = {field: name, "events": 3}
    expected = yaml.dump(
        {"units": [record]}, Dumper=serialise._dumper(), sort_keys=False, allow_unicode=True,
        width=88,
    )  # fmt: skip
    assert expected.startswith(f"units:\n  - {field}: ")
    written = serialise.first_field_yaml("units", field, name)
    assert expected == f"units:\n  - {field}: {written}    events: 3\n"
    assert_written_as_pyyaml_writes({"units": [record, {"events": 1, field: name}]})


def test_names_with_spaces_are_written_plain_only_where_they_fit() -> None:
    short, long = "North West 2", " ".join(["word"] * 20)
    assert serialise.first_field_yaml("units", "unit", short) == "North West 2\n"
    folded = serialise.first_field_yaml("units", "unit", long)
    assert folded.count("\n") == 2 and yaml.safe_load("unit: " + folded) == {"unit": long}


@pytest.mark.parametrize(
    "data",
    [
        {"units": [{"unit": "\n"}], "after": 1},
        {"units": [{"unit": "\n"}]},
        {"units": [{"unit": "a"}], "note": "\n\n", "after": 2},
        {"units": [{"unit": "\n", "b": "x\n\n"}, {"unit": "\n"}]},
    ],
)
def test_text_kept_with_its_line_breaks_ends_the_document_only_at_its_end(
    data: dict[str, object],
) -> None:
    """PyYAML writes ``...`` after a ``|+`` text only when nothing follows it."""
    assert_written_as_pyyaml_writes(data)
    assert yaml.safe_load(serialise.to_yaml(data)) == data


def test_text_ending_in_dots_keeps_them() -> None:
    for data in ({"units": [{"unit": "0..."}]}, {"units": [{"unit": "a..."}], "b": "c..."}):
        assert_written_as_pyyaml_writes(data)
    assert serialise.first_field_yaml("units", "unit", "0...") == "0...\n"


@pytest.mark.parametrize(
    "data",
    [
        {"units": [{"yes": 1, "unit": "A"}]},
        {"units": [{"On": "x"}], "after": 1},
        {"no": [{"unit": "A"}]},
        {"units": [{"b" * 123: 1}]},
        {"b" * 123: [{"unit": "A"}]},
        {"units": [{"b" * 122: 1}]},
    ],
)
def test_keys_yaml_reads_as_other_values_or_writes_apart_are_written_as_pyyaml_writes(
    data: dict[str, object],
) -> None:
    """A key ``yes`` is quoted (else it reads back as true), and a long one is written ``? key``."""
    assert_written_as_pyyaml_writes(data)
    assert yaml.safe_load(serialise.to_yaml(data)) == data


#: Text that PyYAML writes in every way: plain, quoted, folded, kept (``|+``), escaped.
texts = st.one_of(
    words,
    BREAKS,
    st.text(max_size=12),
    st.lists(st.sampled_from(["Stable:", "over", "24", "periods", "(2023-01", "to", "a#b"]),
             max_size=40).map(" ".join),
    st.sampled_from(["2024-03", "2024-03-05", "2024-W09", "1e3", "...", "a\n\n", "x\n", "- a"]),
)  # fmt: skip
leaves = st.one_of(scalars, texts)
keys = st.sampled_from(["period", "n", "summary", "points", "group", "yes", "a b", "1", "k" * 130])
documents = st.recursive(
    leaves,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)),
    max_leaves=30,
)


@settings(max_examples=600, deadline=None)
@given(st.dictionaries(keys, documents, max_size=5))
@example({"series": [{"points": [{"period": "2024-03-05", "summary": "x: y " * 30}]}]})
@example({"a": [[1, 2], {"b": {}}], "c": [{}], "d": []})
@example({"a": {"b": "kept\n\n"}, "c": 1})
def test_nested_data_is_written_as_pyyaml_writes_it(data: dict[str, object]) -> None:
    """Mappings and lists at every depth (a trend's series and points) are PyYAML's bytes."""
    assert to_yaml(data) == serialise._dump(data)


def _shared_cases() -> list[dict[str, object]]:
    one, empty, record, pair = [1], {}, {"a": 1}, [1, [2]]
    return [
        {"series": [{"points": [record]}, {"points": [record]}]},
        {"a": one, "b": one},  # under two top-level keys
        {"a": {"x": empty, "y": empty}},  # an empty mapping too
        {"a": [[], []][:1] * 2},
        {"k": [record] * 1000},  # in a long list of records
        {"a": [pair, pair], "b": [pair, pair]},  # anchors numbered across the document
    ]


@pytest.mark.parametrize("data", _shared_cases())
def test_an_object_met_twice_is_named_once_as_pyyaml_names_it(data: dict[str, object]) -> None:
    assert to_yaml(data) == serialise._dump(data)
    assert "&id001" in to_yaml(data)


@pytest.mark.parametrize(
    "data",
    [{"a": ["\n"]}, {"a": {"b": "x\n\n"}}, {"a": [{"b": "x\n\n"}, "y\n\n"]}, {"a": {"b": "x\n\n"}}],
)
def test_text_kept_with_its_breaks_last_in_a_nested_part_ends_the_document(
    data: dict[str, object],
) -> None:
    assert to_yaml(data) == serialise._dump(data)
    assert to_yaml(data).endswith("\n...\n")


def test_subclasses_pyyaml_refuses_are_refused_as_it_refuses_them() -> None:
    class Word(str, enum.Enum):
        X = "x"

    for data in (
        {"a": {Word.X: 1}},
        {"a": collections.OrderedDict(b=1)},
        {"k": [{Word.X: 1}] * 1000},
    ):
        with pytest.raises(yaml.representer.RepresenterError):
            to_yaml(data)


def test_a_trend_is_written_without_pyyaml_but_for_its_quoted_texts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Periods recur in every series: PyYAML writes each distinct one once, not every point."""

    def points() -> list[dict[str, object]]:
        return [
            {"period": f"2024-03-{day:02d}", "n": day, "value": day / 7} for day in range(1, 29)
        ]

    data = {
        "chart": "p",
        "series": [{"group": f"B{g}", "summary": "Stable: no change", "points": points()}
                   for g in range(50)],
    }  # fmt: skip
    expected = serialise._dump(data)
    calls = []
    dump = serialise._dump
    monkeypatch.setattr(serialise, "_dump", lambda value: calls.append(value) or dump(value))
    assert to_yaml(data) == expected
    assert len(calls) == 28 + 1  # each quoted period, and the summary: once each

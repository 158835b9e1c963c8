"""The YAML reader: positions, duplicate keys, hostile input, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from svcdiag.errors import InputFileError
from svcdiag.source import yamlsource
from svcdiag.source.yamlsource import MAX_NODES, YamlFileError, load_file, parse_text

keys = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)
scalars = st.one_of(st.integers(-1000, 1000), st.booleans(), st.text("abc xyz", max_size=8))
trees = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=4)
    ),
    max_leaves=20,
)


@given(st.dictionaries(keys, trees, min_size=1, max_size=5))
@settings(max_examples=150, deadline=None)
def test_round_trip_matches_pyyaml_and_positions_point_at_keys(data: dict[str, object]) -> None:
    text = yaml.safe_dump(data, sort_keys=False)
    doc = parse_text(text, "t.yaml")
    assert doc.data == yaml.safe_load(text)
    lines = text.splitlines()
    for key in data:
        pos = doc.keys[(key,)]
        at = lines[pos.line - 1][pos.col - 1 :]
        assert at.startswith((key, f"'{key}'"))  # PyYAML quotes YAML 1.1 booleans


@given(st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_arbitrary_text_gives_data_or_a_located_error(text: str) -> None:
    try:
        parse_text(text, "t.yaml")
    except YamlFileError as err:
        assert err.path == "t.yaml"
        assert err.reason in {"encoding", "syntax", "empty", "unsupported", "value"}


def test_duplicate_keys_are_recorded_and_first_kept() -> None:
    doc = parse_text("a: 1\nb:\n  c: 2\n  c: 3\n")
    assert doc.data == {"a": 1, "b": {"c": 2}}
    (dup,) = doc.duplicates
    assert (dup.key, dup.at.line, dup.at.col, dup.first.line) == ("c", 4, 3, 3)


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    with pytest.raises(YamlFileError) as info:
        parse_text("\n".join(lines))
    assert info.value.reason == "unsupported"
    assert f"expands to more than {MAX_NODES:,} values (" in info.value.detail
    assert "of them repeated by aliases)" in info.value.detail
    assert info.value.hint == "write the content out instead of repeating anchors and aliases"


def test_a_large_document_without_aliases_is_called_too_large(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(yamlsource, "MAX_NODES", 1_500)
    text = "".join(f"k{i}: 1\n" for i in range(1_500))  # the mapping itself is one more
    with pytest.raises(YamlFileError) as info:
        parse_text(text, "big.yaml")
    assert info.value.detail == (
        "the document is too large: it holds more than 1,500 values "
        "(keys, list items and mappings), and 1,500 is the most svcdiag reads"
    )
    assert (info.value.line, info.value.col) == (1500, 8)
    assert "alias" not in str(info.value) + str(info.value.hint)
    doc = parse_text(text[: text.rindex("k1499")])  # one value fewer: within the limit
    assert len(doc.data) == 1_499


@pytest.mark.parametrize(
    ("encoding", "named"),
    [("utf-16", "UTF-16"), ("utf-16-le", "UTF-16"), ("utf-16-be", "UTF-16"), ("utf-32", "UTF-32")],
)
def test_other_unicode_encodings_are_named(tmp_path: Path, encoding: str, named: str) -> None:
    path = tmp_path / "answers.yaml"
    path.write_bytes("questionnaire: diagnostic\nanswers: {}\n".encode(encoding))
    with pytest.raises(YamlFileError) as info:
        load_file(path)
    assert info.value.reason == "encoding"
    assert info.value.detail == f"the file is {named} text, not UTF-8"
    assert info.value.hint == f"save it as UTF-8, or convert it with iconv -f {named} -t UTF-8"


def test_a_binary_file_is_still_called_binary(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(b"a: 1\n\x00\x01\x02garbage")
    with pytest.raises(YamlFileError, match="binary file, not YAML text"):
        load_file(path)


def test_recursive_alias_is_an_error() -> None:
    with pytest.raises(YamlFileError, match="recursive alias"):
        parse_text("a: &x [1, *x]\n")


def test_python_tags_are_never_constructed() -> None:
    with pytest.raises(YamlFileError, match="unsupported YAML tag"):
        parse_text("a: !!python/object/apply:os.system ['echo hi']\n")


def test_yaml_11_keys_stay_strings() -> None:
    assert parse_text("yes: 1\n3: 2\n").data == {"yes": 1, "3": 2}


def test_binary_file_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    path.write_bytes(b"a: 1\nb: 2\n\x00\xff")
    with pytest.raises(YamlFileError, match="binary") as info:
        load_file(path)
    assert info.value.line == 3


def test_missing_and_directory_paths(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="no such file"):
        load_file(tmp_path / "nope.yaml")
    with pytest.raises(InputFileError, match="is a directory"):
        load_file(tmp_path)


def test_huge_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import svcdiag.source.yamlsource as ys

    monkeypatch.setattr(ys, "MAX_BYTES", 100)
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 200)
    with pytest.raises(YamlFileError, match="too large"):
        load_file(path)


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    with pytest.raises(YamlFileError):
        parse_text("[" * 5000 + "]" * 5000)


def test_python_scalar_tag_is_never_constructed() -> None:
    with pytest.raises(YamlFileError, match="could not determine a constructor"):
        parse_text("a: !!python/name:os.system x\n")

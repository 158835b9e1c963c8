"""Reading survey files fast, and falling back to the careful reader when needed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from svcdiag.engagement.fastyaml import Unsupported, load_plain
from svcdiag.engagement.respondents import read_responses
from svcdiag.errors import InputFileError
from svcdiag.serialise import to_yaml
from tests.engagement.conftest import SHIPPED_VERSION, engagement_file

scalars = st.one_of(
    st.text(max_size=20),
    st.integers(-(10**6), 10**6),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
)
documents = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(documents)
def test_the_fast_reader_reads_what_the_safe_loader_reads(data: object) -> None:
    text = to_yaml(data)
    assert load_plain(text) == yaml.safe_load(text)


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n",  # a duplicate key
        "a: &x [1, 2]\nb: *x\n",  # an alias
        "a: !!python/object:os.system x\n",  # a custom tag
    ],
)
def test_the_fast_reader_refuses_what_it_does_not_handle(text: str) -> None:
    with pytest.raises((Unsupported, yaml.YAMLError)):
        load_plain(text)


def _responses_text(extra: str = "") -> str:
    return (
        "format: svcdiag-responses/1\n"
        f"questionnaire: {{id: diagnostic, version: '{SHIPPED_VERSION}', sha256: "
        + "a"
        * 64
        + "}\n"
        "source: {platform: csv, file: s.csv, imported: 2026-03-01T10:00:00Z, sha256: "
        + "b"
        * 64
        + "}\n"
        "responses:\n"
        "  - id: r1\n"
        "    role: frontline\n"
        "    answers: {board_vision: 2}\n" + extra
    )


def test_a_duplicate_key_in_a_survey_file_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(_responses_text("    role: staff\n"))
    with pytest.raises(InputFileError) as caught:
        read_responses(path, engagement_file())
    assert "given twice" in caught.value.message
    assert caught.value.line == 8


def test_an_invalid_survey_file_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(_responses_text().replace("role: frontline", "role: janitor"))
    with pytest.raises(InputFileError) as caught:
        read_responses(path, engagement_file())
    assert caught.value.line == 6
    assert "responses.0.role" in caught.value.message


def test_a_json_survey_file_reads_the_same(tmp_path: Path) -> None:
    yaml_path = tmp_path / "s.yaml"
    yaml_path.write_text(_responses_text())
    json_path = tmp_path / "s.json"
    json_path.write_text(json.dumps(yaml.safe_load(_responses_text()), default=str))
    engagement = engagement_file()
    assert read_responses(json_path, engagement) == read_responses(yaml_path, engagement)


def test_a_survey_of_another_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(_responses_text().replace(f"version: '{SHIPPED_VERSION}'", "version: '2.0'"))
    with pytest.raises(InputFileError) as caught:
        read_responses(path, engagement_file())
    assert str(path) in caught.value.message
    assert "version 2.0 of questionnaire 'diagnostic'" in caught.value.message
    assert caught.value.line == 2

"""The responses file: written fast by hand, read back exactly by any YAML reader."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from svcdiag.models.responses import ResponsesFile, ResponsesQuestionnaire, ResponsesSource
from svcdiag.source.yamlsource import parse_text
from svcdiag.survey.store import (
    existing_ids,
    quote,
    read_responses,
    responses_json,
    responses_yaml,
)

HEADER = ResponsesFile(
    questionnaire=ResponsesQuestionnaire(id="diagnostic", version="1.0", sha256="a" * 64),
    source=ResponsesSource(
        platform="kobo",
        file="export.csv",
        imported=datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc),
        sha256="b" * 64,
        rows_read=3,
        dropped_columns=["_submitted_by"],
    ),
)

TEXT = st.text(st.characters(exclude_categories=("Cs",)), min_size=1)
ANSWER = st.one_of(
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    TEXT,
    st.lists(TEXT, max_size=3),
)
KEYS = st.one_of(
    st.from_regex(r"[a-z][a-z0-9_]{0,20}", fullmatch=True),
    st.sampled_from(["yes", "no", "on", "null", "y"]),
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "id": TEXT,
                "role": st.sampled_from(["staff", "manager"]),
                "answers": st.dictionaries(KEYS, ANSWER, max_size=5),
            },
            optional={"unit": TEXT},
        ),
        max_size=4,
    )
)
def test_any_answers_read_back_as_written(responses: list[dict[str, object]]) -> None:
    text = responses_yaml(HEADER, responses)  # type: ignore[arg-type]
    for data in (yaml.load(text, Loader=yaml.CSafeLoader), parse_text(text).data):
        loaded = ResponsesFile.model_validate(data)
        assert [
            r.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
            for r in loaded.responses
        ] == [{k: v for k, v in r.items() if v != {}} for r in responses]
        assert loaded.source == HEADER.source


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "id": TEXT,
                "role": st.sampled_from(["staff", "manager"]),
                "answers": st.dictionaries(KEYS, ANSWER, max_size=5),
            },
            optional={"unit": TEXT},
        ),
        max_size=4,
        unique_by=lambda r: r["id"],
    )
)
def test_json_responses_read_back_as_their_yaml_twin(responses: list[dict[str, object]]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        as_json = Path(folder) / "r.json"
        as_yaml = Path(folder) / "r.yaml"
        as_json.write_text(responses_json(HEADER, responses), encoding="utf-8")  # type: ignore[arg-type]
        as_yaml.write_text(responses_yaml(HEADER, responses), encoding="utf-8")  # type: ignore[arg-type]
        assert read_responses(as_json) == read_responses(as_yaml)
        ids = {str(r["id"]) for r in responses}
        assert existing_ids(Path(folder)) == ids


def test_the_layout_is_block_yaml_one_answer_a_line(tmp_path: Path) -> None:
    answers = {"board_vision": 4, "channels": ["phone", "email"], "note": "a\nb", "yes": True}
    response = {
        "id": "uuid:1",
        "role": "staff",
        "unit": "north",
        "submitted": "2026-11-30T09:00:00",
    }
    text = responses_yaml(HEADER, [{**response, "answers": answers}])
    assert text.endswith(
        "responses:\n"
        '  - id: "uuid:1"\n'
        "    role: staff\n"
        "    unit: north\n"
        '    submitted: "2026-11-30T09:00:00"\n'
        "    answers:\n"
        "      board_vision: 4\n"
        "      channels: [phone, email]\n"
        '      note: "a\\nb"\n'
        '      "yes": true\n'
    )
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    assert read_responses(path).responses[0].answers["yes"] is True


def test_quote_leaves_only_safe_words_bare() -> None:
    assert quote("staff") == "staff"
    assert quote("no") == '"no"'
    assert quote("3") == '"3"'
    assert quote("\x85 \u2028") == '"\\u0085 \\u2028"'


def test_floats_keep_their_type() -> None:
    for value in (1e-09, 1e20, -2.5e-300, 0.1, 5e-324):
        text = responses_yaml(HEADER, [{"id": "a", "role": "staff", "answers": {"x": value}}])
        assert yaml.load(text, Loader=yaml.CSafeLoader)["responses"][0]["answers"]["x"] == value


def test_existing_ids_are_found_in_any_yaml_layout(tmp_path: Path) -> None:
    from svcdiag.survey.store import existing_ids

    block = responses_yaml(HEADER, [{"id": "a", "role": "staff", "answers": {"id": "x"}}])
    (tmp_path / "one.yaml").write_text(block, encoding="utf-8")
    (tmp_path / "two.yaml").write_text(
        "format: svcdiag-responses/1\n"
        "source: {id: not-this}\n"
        "responses: [{id: 'b', answers: {id: no, q: [1, {id: z}]}}, {role: staff, id: \"c\"}]\n",
        encoding="utf-8",
    )
    assert existing_ids(tmp_path) == {"a", "b", "c"}


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=8),
    st.sampled_from(["yes", "No", "~", "0x1f", "1_000", "2026-11-30", "12:30", "<<", "=", "0o7"]),
)
DATA = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.one_of(st.text(max_size=5), st.integers(), st.booleans()), inner, max_size=4
        ),
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(DATA, st.booleans())
def test_the_event_loader_gives_what_safe_load_gives(data: object, flow: bool) -> None:
    import io

    from svcdiag.survey.yamlstream import load_events

    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True)
    assert load_events(io.StringIO(text)) == yaml.safe_load(text)


def test_the_event_loader_falls_back_for_aliases_tags_and_merge_keys() -> None:
    import io

    from svcdiag.survey.yamlstream import load_events

    for text in (
        "a: &x [1, 2]\nb: *x\n",
        "a: !!str 3\n",
        "base: &b {x: 1}\nc:\n  <<: *b\n  y: 2\n",
    ):
        assert load_events(io.StringIO(text)) == yaml.load(text, Loader=yaml.CSafeLoader)


@pytest.mark.parametrize("text", ["a: 1\n---\nb: 2\n", "a: 1\n...\n---\n", "--- 1\n--- 2\n"])
def test_the_event_loader_refuses_a_second_document_as_safe_load_does(text: str) -> None:
    import io

    from svcdiag.survey.yamlstream import load_events

    with pytest.raises(yaml.composer.ComposerError, match="single document"):
        yaml.safe_load(text)
    with pytest.raises(yaml.composer.ComposerError, match="single document"):
        load_events(io.StringIO(text))

"""The JSON Schemas: committed copies are current, and shipped files validate against them."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from svcdiag.cli import app
from svcdiag.definitions.schema import SchemaKind, committed_name, json_schema
from svcdiag.source.resources import CATALOGUE_FILES, shipped_dir
from svcdiag.source.yamlsource import load_file

runner = CliRunner()


@pytest.mark.parametrize("kind", list(SchemaKind), ids=lambda k: k.value)
def test_committed_schema_is_current(kind: SchemaKind, repo_root: Path) -> None:
    committed = json.loads((repo_root / "schema" / committed_name(kind)).read_text())
    assert committed == json_schema(kind), (
        f"schema/{committed_name(kind)} is stale: run "
        f"'svcdiag schema {kind.value} > schema/{committed_name(kind)}'"
    )


def test_schema_command_prints_the_schema() -> None:
    result = runner.invoke(app, ["schema", "findings"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == json_schema(SchemaKind.findings)


def _shipped_files() -> list[Path]:
    return sorted(shipped_dir().glob("*.yaml"))


@pytest.mark.parametrize("path", _shipped_files(), ids=lambda p: p.name)
def test_shipped_file_validates_against_json_schema(path: Path) -> None:
    kind = SchemaKind(path.stem) if path.name in CATALOGUE_FILES else SchemaKind.questionnaire
    validator = jsonschema.Draft202012Validator(json_schema(kind))
    errors = sorted(validator.iter_errors(load_file(path).data), key=str)
    assert not errors, [e.message for e in errors]


def test_shipped_files_point_editors_at_the_schema() -> None:
    for path in _shipped_files():
        first = path.read_text().splitlines()[0]
        kind = path.stem if path.name in CATALOGUE_FILES else "questionnaire"
        assert first == f"# yaml-language-server: $schema=../schema/{kind}.schema.json"


def test_json_schema_rejects_what_the_models_reject() -> None:
    validator = jsonschema.Draft202012Validator(json_schema(SchemaKind.questionnaire))
    doc = {
        "schema_version": 1,
        "id": "x",
        "version": "1",
        "title": "X",
        "sections": [
            {"id": "s", "title": "S", "questions": [{"id": "q", "text": "Q", "type": "essay"}]}
        ],
    }
    assert not validator.is_valid(doc)
    doc["sections"][0]["questions"][0]["type"] = "likert"  # type: ignore[index]
    assert validator.is_valid(doc)

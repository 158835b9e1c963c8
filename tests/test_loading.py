"""Loading a questionnaire by id or path, with its catalogue, refusing invalid ones."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from svcdiag.definitions.loading import load_catalogue, load_questionnaire
from svcdiag.errors import EXIT_DEFINITION, EXIT_USAGE, DefinitionError, UsageError
from svcdiag.source.resources import shipped_dir


def test_shipped_questionnaire_by_id() -> None:
    loaded = load_questionnaire("diagnostic")
    assert loaded.shipped
    assert loaded.questionnaire.id == "diagnostic"
    assert loaded.sha256 == hashlib.sha256(loaded.path.read_bytes()).hexdigest()
    assert len(loaded.catalogue.characteristics) == 10
    assert [c.number for c in loaded.catalogue.characteristics.values()] == list(range(1, 11))
    assert len(loaded.catalogue.interventions) >= 15


def test_questionnaire_by_path_uses_shipped_catalogue_when_none_beside(tmp_path: Path) -> None:
    path = tmp_path / "copy.yaml"
    shutil.copy(shipped_dir() / "triage.yaml", path)
    loaded = load_questionnaire(str(path))
    assert not loaded.shipped
    assert loaded.path == path
    assert set(loaded.catalogue.factors) == set(load_catalogue(shipped_dir().resolve()).factors)


def test_catalogue_beside_the_questionnaire_is_used(tmp_path: Path) -> None:
    (tmp_path / "factors.yaml").write_text(
        "schema_version: 1\nfactors:\n"
        "  - {id: only_one, title: Only, kind: system, gilbert: information}\n"
    )
    (tmp_path / "q.yaml").write_text(
        "schema_version: 1\nid: q\nversion: '1'\ntitle: Q\nsections:\n"
        "  - id: s\n    title: S\n    questions:\n"
        "      - {id: a, text: A, type: likert, evidence: [{factor: only_one}]}\n"
    )
    (tmp_path / "interventions.yaml").write_text(
        "schema_version: 1\ninterventions:\n"
        "  - {id: i, title: I, factors: [only_one], stage: expectations, level: board,\n"
        "     effort: low, description: D}\n"
    )
    loaded = load_questionnaire(str(tmp_path / "q.yaml"))
    assert list(loaded.catalogue.factors) == ["only_one"]
    assert list(loaded.catalogue.interventions) == ["i"]
    assert len(loaded.catalogue.characteristics) == 10  # shipped fallback


def test_unknown_id_lists_the_shipped_ones() -> None:
    with pytest.raises(UsageError) as info:
        load_questionnaire("diagnostik")
    assert info.value.exit_code == EXIT_USAGE
    assert info.value.hint is not None and "diagnostic, triage" in info.value.hint


def test_invalid_definition_is_refused_with_its_problems(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "schema_version: 1\nid: bad\nversion: '1'\ntitle: B\nsections:\n"
        "  - id: s\n    title: S\n    questions:\n"
        "      - {id: a, text: A, type: likert, evidence: [{factor: nope}]}\n"
    )
    with pytest.raises(DefinitionError) as info:
        load_questionnaire(str(path))
    assert info.value.exit_code == EXIT_DEFINITION
    assert f"{path}:9:60: SD330 unknown cause factor 'nope'" in info.value.message
    assert info.value.hint == f"run 'svcdiag lint {path}' to see every problem"

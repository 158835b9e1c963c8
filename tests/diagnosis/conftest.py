"""Fixtures for the diagnosis tests: small definitions and findings built from answers."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from svcdiag.definitions.loading import Loaded, load_questionnaire
from svcdiag.diagnosis import with_analysis
from svcdiag.models.findings import AnswersFile, Findings, QuestionnaireRef
from svcdiag.source.yamlsource import load_file

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini.yaml"
TRIAGE = FIXTURES / "triage.yaml"
STARTED = datetime(2025, 3, 1, 10, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="session")
def mini() -> Loaded:
    return load_questionnaire(str(MINI))


@pytest.fixture(scope="session")
def mini_triage() -> Loaded:
    return load_questionnaire(str(TRIAGE))


def make_findings(
    definition: Loaded,
    answers: dict[str, Any],
    *,
    notes: dict[str, str] | None = None,
    organisation: str = "Example Ltd",
) -> Findings:
    """Findings for ``answers``, with the analysis computed."""
    questionnaire = definition.questionnaire
    findings = Findings(
        svcdiag_version="0.1.0",
        questionnaire=QuestionnaireRef(
            id=questionnaire.id,
            version=questionnaire.version,
            sha256=definition.sha256,
            title=questionnaire.title,
            path=str(definition.path),
        ),
        organisation=organisation,
        respondent={"role": "manager", "name": "Sam Lee"},
        started=STARTED,
        answers=answers,
        notes=notes or {},
    )
    return with_analysis(findings, questionnaire, definition.catalogue)


def answers_file(path: Path) -> AnswersFile:
    """Read an answers file from the fixtures."""
    return AnswersFile.model_validate(load_file(path).data)


def findings_from_file(definition: Loaded, path: Path) -> Findings:
    """Findings for the answers file at ``path``."""
    part = answers_file(path)
    return make_findings(
        definition,
        dict(part.answers),
        notes=dict(part.notes),
        organisation=part.organisation or "Example Ltd",
    )

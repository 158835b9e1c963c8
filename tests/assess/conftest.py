"""Fixtures for the assessment tests: a small questionnaire with every question type."""

from __future__ import annotations

from pathlib import Path

import pytest

from svcdiag.assess.flow import Flow
from svcdiag.assess.sessions import SessionStore
from svcdiag.definitions.loading import Loaded, load_questionnaire
from svcdiag.models.questionnaire import Question, Questionnaire

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini.yaml"


@pytest.fixture(scope="session")
def mini_loaded() -> Loaded:
    return load_questionnaire(str(MINI))


@pytest.fixture
def mini(mini_loaded: Loaded) -> Questionnaire:
    return mini_loaded.questionnaire


@pytest.fixture
def flow(mini: Questionnaire) -> Flow:
    return Flow(mini)


@pytest.fixture
def store(tmp_path: Path) -> SessionStore:
    return SessionStore(tmp_path / "home")


def question(questionnaire: Questionnaire, question_id: str) -> Question:
    found = questionnaire.question(question_id)
    assert found is not None, question_id
    return found

"""Shared fixtures: respondents made from the example answer files, engagement files."""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

import pytest
import yaml

from svcdiag.definitions.loading import Loaded, load_questionnaire
from svcdiag.engagement.respondents import Person
from svcdiag.models.engagement import EngagementFile, EngagementQuestionnaire, Unit

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
#: The version of the shipped diagnostic questionnaire, whatever it is today.
SHIPPED_VERSION = load_questionnaire("diagnostic").questionnaire.version
PROFILE = {
    "board": "answers-healthy.yaml",
    "manager": "answers-few-individuals.yaml",
    "staff": "answers-widespread.yaml",
    "frontline": "answers-widespread.yaml",
    "customer": "answers-widespread.yaml",
}


def profile(role: str) -> dict[str, object]:
    data = yaml.safe_load((EXAMPLES / PROFILE[role]).read_text(encoding="utf-8"))
    return dict(data["answers"])


def make_people(
    plan: Sequence[tuple[str, str | None, int]], seed: int = 0, *, notes: bool = False
) -> list[Person]:
    """People answering like their role's example file, likert answers moved by up to 1."""
    rng = random.Random(seed)
    bases = {role: profile(role) for role in PROFILE}
    people = []
    for role, unit, count in plan:
        for i in range(count):
            answers = {}
            for key, value in bases[role].items():
                is_likert = isinstance(value, int) and not isinstance(value, bool)
                if is_likert and 1 <= value <= 5 and key != "staff_count":
                    value = min(5, max(1, value + rng.choice((-1, 0, 1))))
                answers[key] = value
            people.append(
                Person(
                    source=f"test#{role}-{unit}-{i}",
                    kind="survey",
                    role=role,
                    unit=unit,
                    answers=answers,
                    notes={"tools_work": f"note from {role} in {unit} number {i}"} if notes else {},
                )
            )
    return people


def engagement_file(units: Sequence[tuple[str, str | None]] = (), floor: int = 5) -> EngagementFile:
    return EngagementFile(
        organisation="Test Ltd",
        questionnaire=EngagementQuestionnaire(id="diagnostic", version=SHIPPED_VERSION),
        anonymity_floor=floor,
        units=[Unit(id=u, name=f"Unit {u.upper()}", parent=p) for u, p in units],
    )


@pytest.fixture(scope="session")
def diagnostic() -> Loaded:
    return load_questionnaire("diagnostic")

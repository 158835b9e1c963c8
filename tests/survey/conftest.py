"""Fixtures for the survey tests: engagement folders and the fixture questionnaire."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from svcdiag.atomicio import write_atomic
from svcdiag.definitions.loading import load_questionnaire
from svcdiag.models.engagement import ENGAGEMENT_FILE, EngagementFile
from svcdiag.serialise import to_yaml

FIXTURES = Path(__file__).parent / "fixtures"
EVERYTHING = FIXTURES / "everything.yaml"

MakeEngagement = Callable[..., Path]


@pytest.fixture
def make_engagement(tmp_path: Path) -> MakeEngagement:
    """Create an engagement folder with engagement.yaml written through the model."""

    def make(
        questionnaire: str = "diagnostic",
        *,
        version: str | None = None,
        units: list[tuple[str, str]] | None = None,
        floor: int = 5,
        name: str = "acme",
    ) -> Path:
        folder = tmp_path / name
        if version is None:  # the version that is installed, whatever it is today
            version = load_questionnaire(questionnaire).questionnaire.version
        engagement = EngagementFile.model_validate(
            {
                "organisation": "Acme Ltd",
                "questionnaire": {"id": questionnaire, "version": version},
                "anonymity_floor": floor,
                "units": [{"id": uid, "name": uname} for uid, uname in units or []],
            }
        )
        write_atomic(folder / ENGAGEMENT_FILE, to_yaml(engagement))
        return folder

    return make

"""Answers files and findings files.

An answers file (``--answers``) holds the organisation, the respondent, the
answers and notes. A findings file holds exactly the same keys plus where they
came from (questionnaire id, version and sha256; times; svcdiag version) and,
once scored, the analysis. A findings file can therefore be passed back as
``--answers``.

Answer values, by question type: likert 1-5, scale 0-10, yes_no true/false,
choice an option id, multi_choice a list of option ids, number a number, text
a string; ``unknown`` where the question allows it.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from svcdiag.models.analysis import (
    CharacteristicScore,
    Coverage,
    Diagnosis,
    FactorScore,
    GilbertScore,
    Quote,
    Recommendation,
    TrainingStep,
    Triage,
)
from svcdiag.models.results import NpsResult, VariationResult
from svcdiag.models.trend import TrendResult

#: The answer meaning "don't know / not applicable". Never scored.
UNKNOWN = "unknown"

#: One answer, as stored in answers and findings files.
AnswerValue = bool | int | float | str | list[str]


class Role(str, Enum):
    """Who answered."""

    board = "board"
    manager = "manager"
    staff = "staff"
    frontline = "frontline"
    customer = "customer"


class Respondent(BaseModel):
    """The person whose answers these are."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    role: Role
    name: str | None = None
    unit: str | None = Field(
        None, description="The team or branch the respondent belongs to (an engagement unit id)."
    )


class AnswersFile(BaseModel):
    """The shape of an ``--answers`` file (and the core of a findings file)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    organisation: str | None = Field(None, description="The client organisation.")
    respondent: Respondent | None = None
    consultant: str | None = None
    answers: dict[str, AnswerValue] = Field(default_factory=dict)
    notes: dict[str, str] = Field(default_factory=dict)


class QuestionnaireRef(BaseModel):
    """Which questionnaire definition the answers belong to."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    id: str
    version: str
    sha256: str = Field(..., pattern=r"^[0-9a-f]{64}$")
    title: str | None = None
    path: str | None = Field(
        None, description="Where the definition was read from, when it is not a shipped one."
    )


class DataEvidence(BaseModel):
    """A saved ``svcdiag nps`` or ``svcdiag variation`` result attached to the findings."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    source: str = Field(..., description="The file the result was read from, as given.")
    kind: Literal["nps", "variation", "trend"]
    summary: str = Field(..., description="One sentence for the report.")
    nps: NpsResult | None = None
    variation: VariationResult | None = None
    trend: TrendResult | None = None


class Findings(BaseModel):
    """A completed assessment, as saved to disk and exported.

    Analysis sections (scores, diagnosis, recommendations, attached evidence)
    are added by later stages; unknown keys are kept out so that a typo in a
    hand-edited file is reported.
    """

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    schema_version: Literal[1] = 1
    svcdiag_version: str
    questionnaire: QuestionnaireRef
    organisation: str
    respondent: Respondent
    consultant: str | None = None
    started: datetime
    finished: datetime | None = None
    answers: dict[str, AnswerValue] = Field(default_factory=dict)
    notes: dict[str, str] = Field(default_factory=dict)
    # The analysis, recomputed from the answers by svcdiag.diagnosis.
    diagnosis: Diagnosis | None = None
    characteristics: list[CharacteristicScore] | None = None
    factors: list[FactorScore] | None = None
    gilbert: list[GilbertScore] | None = None
    recommendations: list[Recommendation] | None = None
    training_plan: list[TrainingStep] | None = None
    client_words: list[Quote] | None = None
    already_in_place: list[str] | None = Field(
        None, description="Interventions the answers show are already in place and working."
    )
    triage: Triage | None = None
    coverage: Coverage | None = None
    data_evidence: list[DataEvidence] | None = Field(
        None, description="Client data attached with --evidence; used by the diagnosis."
    )

    def answers_part(self) -> AnswersFile:
        """The part of the findings that is also an answers file."""
        return AnswersFile(
            organisation=self.organisation,
            respondent=self.respondent,
            consultant=self.consultant,
            answers=dict(self.answers),
            notes=dict(self.notes),
        )


def dump_for_yaml(model: BaseModel) -> dict[str, Any]:
    """Return ``model`` as plain data fit for YAML and JSON (enums as strings)."""
    return model.model_dump(mode="json", by_alias=True, exclude_none=True)

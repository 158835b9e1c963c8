"""The analysis part of a findings file: scores, diagnosis, recommendations.

These models are filled by :mod:`svcdiag.diagnosis` from the answers and the
questionnaire, saved in findings files and rendered by :mod:`svcdiag.render`.
Every field is recomputed from the answers; nothing here is typed by hand.
"""

from __future__ import annotations

from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from svcdiag.models.catalogue import Effort, FactorKind, GilbertCell, Level
from svcdiag.models.questionnaire import Route, Scope

#: One answer, as stored in answers and findings files (same as in findings.py).
AnswerValue = bool | int | float | str | list[str]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Status(str, Enum):
    """Whether a score rests on enough answers to be shown."""

    ok = "ok"
    insufficient = "insufficient"


class Verdict(str, Enum):
    """Where the causes of poor service mostly lie."""

    system = "system"
    mixed = "mixed"
    individual = "individual"
    healthy = "healthy"
    undetermined = "undetermined"


class ConfidenceLevel(str, Enum):
    """A word for the confidence number, for people."""

    low = "low"
    medium = "medium"
    high = "high"


class FactorScore(_Model):
    """How healthy one cause factor looks, from the answers behind it."""

    id: str
    title: str
    kind: FactorKind
    gilbert: GilbertCell
    score: float | None = Field(
        None, ge=0, le=100, description="0 (bad) to 100 (healthy); null when too few answers."
    )
    answered: int = Field(..., ge=0, description="Questions whose answers count toward it.")
    weight: float = Field(..., ge=0, description="Total evidence weight behind the score.")
    status: Status
    questions: list[str] = Field(default_factory=list, description="The questions counted.")


class CharacteristicScore(_Model):
    """How the organisation stands on one benchmark characteristic."""

    id: str
    number: int
    title: str
    score: float | None = Field(None, ge=0, le=100)
    answered: int = Field(..., ge=0)
    weight: float = Field(..., ge=0)
    status: Status
    questions: list[str] = Field(default_factory=list)


class GilbertScore(_Model):
    """One cell of Gilbert's Behavior Engineering Model, pooling its factors' evidence."""

    cell: GilbertCell
    side: Literal["environment", "individual"]
    score: float | None = Field(None, ge=0, le=100)
    answered: int = Field(..., ge=0)
    weight: float = Field(..., ge=0)
    status: Status
    factors: list[str] = Field(default_factory=list, description="Factors in this cell.")


class Diagnosis(_Model):
    """The overall verdict, how sure it is, and why."""

    verdict: Verdict
    confidence: float = Field(..., ge=0, le=1)
    confidence_level: ConfidenceLevel
    major_problem: bool = Field(
        ..., description="false when the answers show no significant service problem."
    )
    scope: Scope | None = Field(None, description="How far the problem reaches, as answered.")
    rule: str = Field(..., description="The diagnosis rule that decided the verdict.")
    individual_as_symptom: bool = Field(
        False,
        description="Individual-cell deficits were read as symptoms of the system.",
    )
    headline: str
    reasons: list[str] = Field(..., min_length=1)


class Trigger(_Model):
    """An answer that led to a recommendation."""

    question: str
    text: str
    answer: AnswerValue
    answer_text: str
    factor: str
    health: float = Field(..., ge=0, le=1)
    note: str | None = None


class PlanStep(str, Enum):
    """Where a recommendation sits in the plan."""

    first = "first"
    next = "next"


class Recommendation(_Model):
    """One intervention, ranked by the evidence."""

    rank: int = Field(..., ge=1)
    intervention: str
    title: str
    level: Level
    effort: Effort
    is_training: bool
    priority: float = Field(..., ge=0, description="The evidence-weighted need it meets.")
    factors: list[str] = Field(default_factory=list, description="Weak factors it addresses.")
    rationale: str
    triggers: list[Trigger] = Field(default_factory=list)
    step: PlanStep = Field(PlanStep.first, description="First steps, then next steps.")
    owner: Level | None = Field(None, description="Who carries it out.")
    chief_factors: list[str] = Field(
        default_factory=list, description="The weak causes it chiefly fixes."
    )


class TrainingLevel(str, Enum):
    """The levels of a service training plan, from the top (seed 000)."""

    board = "board"
    managers = "managers"
    all_staff = "all_staff"
    frontline = "frontline"
    continuous_review = "continuous_review"


class TrainingStep(_Model):
    """What one level of the organisation needs to learn, and why."""

    level: TrainingLevel
    title: str
    key_issue: str = Field(..., description="The one thing this level must take away.")
    needed: bool = Field(..., description="Whether the evidence calls for it.")
    interventions: list[str] = Field(default_factory=list)
    reasons: list[str] = Field(default_factory=list)


class Quote(_Model):
    """The client's own words: a free-text answer, or a note on an answer."""

    question: str
    text: str = Field(..., description="The question asked.")
    words: str = Field(..., description="What the respondent said or the consultant noted.")
    kind: Literal["answer", "note"] = "answer"
    answer_text: str | None = Field(
        None, description="For a note: the answer it annotates, as a person would say it."
    )


class RouteFinding(_Model):
    """One Mager & Pipe route that the triage answers point to."""

    route: Route
    title: str
    advice: str
    question: str
    answer_text: str


class Triage(_Model):
    """Where a triage questionnaire's answers lead."""

    route: Route | None
    title: str
    reasons: list[str] = Field(..., min_length=1)
    routes: list[RouteFinding] = Field(default_factory=list)


class SkippedQuestion(_Model):
    """A question with no usable answer."""

    question: str
    text: str
    reason: Literal["unknown", "skipped", "ignored"]
    detail: str | None = None


class Coverage(_Model):
    """How much of the questionnaire the analysis rests on."""

    questions: int = Field(..., ge=0, description="Questions that can carry evidence.")
    answered: int = Field(..., ge=0, description="Of those, with a real answer.")
    unknown: int = Field(..., ge=0)
    skipped: int = Field(..., ge=0)
    ignored: int = Field(0, ge=0, description="Answers that no longer fit the questionnaire.")
    not_asked: int = Field(0, ge=0, description="Questions whose condition did not hold.")
    missing: list[SkippedQuestion] = Field(default_factory=list)


class Analysis(_Model):
    """Everything computed from one set of answers."""

    diagnosis: Diagnosis | None = None
    characteristics: list[CharacteristicScore] = Field(default_factory=list)
    factors: list[FactorScore] = Field(default_factory=list)
    gilbert: list[GilbertScore] = Field(default_factory=list)
    recommendations: list[Recommendation] = Field(default_factory=list)
    training_plan: list[TrainingStep] = Field(default_factory=list)
    client_words: list[Quote] = Field(default_factory=list)
    already_in_place: list[str] = Field(default_factory=list)
    triage: Triage | None = None
    coverage: Coverage

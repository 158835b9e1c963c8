"""Catalogue models: cause factors, benchmark characteristics, interventions.

They live beside the questionnaires as ``factors.yaml``,
``characteristics.yaml`` and ``interventions.yaml`` and are validated and
linted like them.
"""

from __future__ import annotations

from enum import Enum
from typing import Literal

from pydantic import Field

from svcdiag.models.questionnaire import Condition, Identifier, Scope, Strict


class FactorKind(str, Enum):
    """System (organisation-wide) or individual cause."""

    system = "system"
    individual = "individual"


class GilbertCell(str, Enum):
    """The six cells of Gilbert's Behavior Engineering Model."""

    information = "information"
    instrumentation = "instrumentation"
    incentives = "incentives"
    knowledge = "knowledge"
    capacity = "capacity"
    motives = "motives"


#: Gilbert's environment cells, examined first (cheaper to fix).
ENVIRONMENT_CELLS = (GilbertCell.information, GilbertCell.instrumentation, GilbertCell.incentives)
#: Gilbert's individual cells.
INDIVIDUAL_CELLS = (GilbertCell.knowledge, GilbertCell.capacity, GilbertCell.motives)


class Factor(Strict):
    """A cause factor that answers move up or down."""

    id: Identifier
    title: str = Field(..., min_length=1)
    kind: FactorKind
    gilbert: GilbertCell
    description: str | None = None


class FactorCatalogue(Strict):
    """The contents of ``factors.yaml``."""

    schema_version: Literal[1]
    factors: list[Factor] = Field(..., min_length=1)


class Characteristic(Strict):
    """One of the ten benchmark characteristics of service-excellent organisations."""

    id: Identifier
    number: int = Field(..., ge=1, le=99)
    title: str = Field(..., min_length=1)
    description: str | None = None


class CharacteristicCatalogue(Strict):
    """The contents of ``characteristics.yaml``."""

    schema_version: Literal[1]
    characteristics: list[Characteristic] = Field(..., min_length=1)


class Level(str, Enum):
    """Who an intervention is for."""

    board = "board"
    managers = "managers"
    all_staff = "all_staff"
    frontline = "frontline"
    individual = "individual"


class Effort(str, Enum):
    """Rough cost of an intervention."""

    low = "low"
    medium = "medium"
    high = "high"


class Stage(str, Enum):
    """Mager & Pipe's order of remedies: the fast fixes first, skill last."""

    expectations = "expectations"
    resources = "resources"
    feedback = "feedback"
    consequences = "consequences"
    skill = "skill"
    fit = "fit"


#: The order of :class:`Stage` inside a plan.
STAGE_ORDER = {stage: index for index, stage in enumerate(Stage)}


class Intervention(Strict):
    """Something an organisation can do; training is one kind among many."""

    id: Identifier
    title: str = Field(..., min_length=1)
    factors: list[Identifier] = Field(
        ..., min_length=1, description="The causes it chiefly fixes; it is ranked by these."
    )
    helps: list[Identifier] = Field(
        default_factory=list,
        description="Causes it merely helps with: they only break ties between equal needs.",
    )
    stage: Stage = Field(
        ..., description="Where it sits in Mager & Pipe's order: expectations first, skill last."
    )
    suits: list[Scope] = Field(
        default_factory=list,
        description="Scopes it is aimed at (empty: any); it is only recommended for these.",
    )
    in_place_when: Condition | None = Field(
        None,
        description="Answers showing it is already in place and working; then it is not "
        "recommended. Question ids that a questionnaire lacks never match.",
    )
    characteristics: list[Identifier] = Field(
        default_factory=list, description="Benchmark characteristics it strengthens."
    )
    level: Level
    owner: Level | None = Field(
        None,
        description="Who carries it out, when not the people it is aimed at (level): managers "
        "run the coaching of individuals, for example.",
    )
    effort: Effort
    is_training: bool = False
    description: str = Field(..., min_length=1)


class InterventionCatalogue(Strict):
    """The contents of ``interventions.yaml``."""

    schema_version: Literal[1]
    interventions: list[Intervention] = Field(..., min_length=1)

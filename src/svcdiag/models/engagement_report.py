"""The combined result of an engagement, as rendered and exported (``engagement report``).

The JSON keys of :class:`EngagementReport` are fixed (more may be added)::

    {organisation, questionnaire, respondents, anonymity_floor,
     groups: [{group, n, suppressed, characteristics: {id: score}, factors: {id: score}}],
     gaps: [{kind, id, scale, leaders, frontline, difference, ci_low, ci_high}],
     gaps_suppressed: [{kind, id, title, scale, suppressed: [leaders | frontline]}],
     agreement: [{group, factor, rwg, band}],
     diagnosis: {...}, recommendations: [...]}

A suppressed group carries ``suppressed: true`` and its id, never a count or
a score (those keys are left out). The floor holds per question and per
score too: a score of a shown group that fewer than the floor answered is
null and listed in ``suppressed_scores``, and a gap with a side under the
floor is left out of ``gaps`` and listed in ``gaps_suppressed``. "No data"
is a group nobody is in: it is not listed at all. Scores are 0 (a likely
cause of poor service) to 100 (healthy); null when too few questions inform
them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from svcdiag.models.analysis import (
    CharacteristicScore,
    Coverage,
    Diagnosis,
    FactorScore,
    Quote,
    Recommendation,
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReportQuestionnaire(_Model):
    """The questionnaire every respondent answered."""

    id: str
    version: str
    title: str | None = None


class GroupResult(_Model):
    """Scores of one group (role x unit), or only the fact that it is suppressed."""

    group: str = Field(..., description="all, leaders, board, unit:ID, frontline@unit:ID, ...")
    label: str = Field(..., description="The group in words.")
    dimension: Literal["all", "role", "unit", "role_unit"]
    role: str | None = Field(None, description="A role node, or null for all roles.")
    unit: str | None = Field(None, description="A unit id, or null for the organisation.")
    suppressed: bool
    n: int | None = Field(None, description="Respondents; absent when suppressed.")
    merged_into: str | None = Field(
        None, description="A suppressed group's people count in this shown group."
    )
    characteristics: dict[str, float | None] | None = None
    factors: dict[str, float | None] | None = None
    suppressed_scores: dict[Literal["characteristics", "factors"], list[str]] | None = Field(
        None,
        description="Scores of a shown group that are suppressed (null in characteristics or "
        "factors): fewer people than the floor answered their questions, or they would "
        "follow by differencing.",
    )


class Gap(_Model):
    """Leaders (board and managers) against the workforce (frontline and staff) on one item."""

    kind: Literal["question", "characteristic", "factor"]
    id: str
    title: str
    scale: Literal["likert", "scale", "yes_share", "score"] = Field(
        ..., description="likert 1-5, scale 0-10, yes_share % yes, score 0-100."
    )
    leaders: float = Field(..., description="Mean of the leaders.")
    frontline: float = Field(..., description="Mean of frontline and staff.")
    n_leaders: int
    n_frontline: int
    difference: float = Field(..., description="leaders - frontline.")
    ci_low: float | None = Field(None, description="95 % Welch interval; null for one person.")
    ci_high: float | None = None
    df: float | None = None
    significant: bool
    sentence: str


Side = Literal["leaders", "frontline"]


class SuppressedGap(_Model):
    """An item not compared for one side or both.

    On that side fewer people than the floor answered it, or the side's
    figures on it, with others', would give away fewer than the floor.
    """

    kind: Literal["question", "characteristic", "factor"]
    id: str
    title: str
    scale: Literal["likert", "scale", "yes_share", "score"]
    suppressed: list[Side] = Field(
        ..., description="The sides withheld on this item: under the floor, or following."
    )


class AgreementResult(_Model):
    """Within-group agreement of one group on one factor (r_wg or r_wg(J))."""

    group: str
    factor: str
    items: int = Field(..., ge=1, description="J: the likert questions informing the factor.")
    n: int
    rwg: float = Field(..., ge=0, le=1)
    band: str
    shared: bool = Field(..., description="rwg >= 0.7: the group mean reads as a shared view.")


class Reliability(_Model):
    """Cronbach's alpha of the questions behind one characteristic (all respondents)."""

    characteristic: str
    title: str
    items: int
    n: int = Field(..., description="Respondents who answered every one of the items.")
    alpha: float | None


class EngagementReport(_Model):
    """Everything ``svcdiag engagement report`` shows."""

    format: Literal["svcdiag-engagement-report/1"] = "svcdiag-engagement-report/1"
    organisation: str
    questionnaire: ReportQuestionnaire
    respondents: int
    interviews: int
    survey_responses: int
    anonymity_floor: int
    comment_floor: int
    groups: list[GroupResult] = Field(default_factory=list)
    gaps: list[Gap] = Field(default_factory=list)
    gaps_suppressed: list[SuppressedGap] = Field(
        default_factory=list, description="Items not compared: a side under the floor on them."
    )
    agreement: list[AgreementResult] = Field(default_factory=list)
    reliability: list[Reliability] = Field(default_factory=list)
    diagnosis: Diagnosis | None = None
    recommendations: list[Recommendation] = Field(default_factory=list)
    characteristics: list[CharacteristicScore] = Field(default_factory=list)
    factors: list[FactorScore] = Field(default_factory=list)
    coverage: Coverage | None = None
    comments: list[Quote] = Field(
        default_factory=list, description="Interview notes, and survey text of groups >= floor."
    )
    data_evidence: list[str] = Field(default_factory=list, description="Client data cited.")
    warnings: list[str] = Field(default_factory=list)

"""Training by level, from the top (seed 000): who needs what, and why.

Laid out only when the plan contains training. Each level of the
organisation gets its key issue, whether the evidence calls for it, and the
plan items aimed at it:

* **board**: why visible commitment matters, the service vision and values,
  and how to cascade them; it matters when leadership commitment is weak;
* **managers**: putting the vision into practice in their own area and
  reviewing work systems against what staff and internal customers need;
  it matters when managers' development, their distance from customers, the
  cascade of the vision or the work systems are weak;
* **all staff**: service is everyone's issue, who their internal customers
  are, and a part in setting internal standards; it matters when cooperation
  between areas, standards or involvement are weak;
* **frontline**: responding to each customer's needs, working with internal
  providers, handling complaints, and the products and tools of the job;
  it matters when people genuinely cannot do the task, or were not equipped or
  inducted;
* **continuous review**: monitoring satisfaction, bringing persistent
  problems to light and carrying changes through; it matters when continuous
  review is weak.

A level is *needed* when the plan holds an item for it: training at that
level, the board's own session on vision and commitment, or the review cycle
for continuous review; the weak scores behind each level are listed either
way. When the board or managers need it, they come first: training the front
line while its managers stay away tells staff that service is only their
job.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from svcdiag.diagnosis.diagnose import HEALTHY_AT
from svcdiag.models.analysis import FactorScore, Recommendation, TrainingLevel, TrainingStep
from svcdiag.models.catalogue import Level


@dataclass(frozen=True)
class _LevelSpec:
    level: TrainingLevel
    title: str
    key_issue: str
    factors: tuple[str, ...]
    plan_levels: tuple[Level, ...]


_LEVELS = (
    _LevelSpec(
        TrainingLevel.board,
        "Board",
        "Why visible commitment to service matters, what the service vision and values "
        "are, and how the board cascades them.",
        ("leadership_commitment",),
        (Level.board,),
    ),
    _LevelSpec(
        TrainingLevel.managers,
        "Managers",
        "How to put the vision into practice in their own area, and how to review work "
        "systems against what staff and internal customers need.",
        ("manager_development", "management_proximity", "vision_cascade", "work_processes"),
        (Level.managers,),
    ),
    _LevelSpec(
        TrainingLevel.all_staff,
        "All staff",
        "Service is everyone's issue: who their internal customers are, and their part in "
        "setting internal service standards.",
        ("internal_cooperation", "service_standards", "staff_involvement"),
        (Level.all_staff,),
    ),
    _LevelSpec(
        TrainingLevel.frontline,
        "Frontline",
        "Responding to each customer's needs, working with internal providers, handling "
        "complaints, and using the products and tools of the job with confidence.",
        ("individual_skill", "equipping", "onboarding"),
        (Level.frontline, Level.individual),
    ),
    _LevelSpec(
        TrainingLevel.continuous_review,
        "Continuous review",
        "Monitoring customer satisfaction, bringing persistent problems to light, and "
        "carrying agreed changes through with a named owner.",
        ("continuous_review",),
        (),
    ),
)


def _weak(factors: dict[str, FactorScore], ids: Sequence[str]) -> list[FactorScore]:
    weak = []
    for factor_id in ids:
        found = factors.get(factor_id)
        if found is not None and found.score is not None and found.score < HEALTHY_AT:
            weak.append(found)
    return weak


def training_plan(
    plan: Sequence[Recommendation], factors: Sequence[FactorScore]
) -> list[TrainingStep]:
    """The training plan by level, or nothing when the plan holds no training."""
    if not any(item.is_training for item in plan):
        return []
    scores = {f.id: f for f in factors}
    steps = []
    for spec in _LEVELS:
        weak = _weak(scores, spec.factors)
        items = [r.intervention for r in plan if _serves(r, spec)]
        reasons = [f"{f.title} scores {f.score:.0f}/100." for f in weak if f.score is not None]
        steps.append(
            TrainingStep(
                level=spec.level,
                title=spec.title,
                key_issue=spec.key_issue,
                needed=bool(items),
                interventions=items,
                reasons=reasons,
            )
        )
    return steps


def _serves(item: Recommendation, spec: _LevelSpec) -> bool:
    """Whether a plan item is this level's learning: needed means the plan holds one."""
    if spec.level is TrainingLevel.continuous_review:
        return "continuous_review" in item.chief_factors
    if spec.level is TrainingLevel.board:
        return item.level in spec.plan_levels  # the board's session on vision and commitment
    return item.is_training and item.level in spec.plan_levels

"""What several respondents add to one diagnosis: confidence, and the perception-gap rule.

**Confidence.** The diagnosis rules give a confidence for the evidence as if
one person had given it. An engagement scales it by how many independent
respondents there are and how far they agree::

    support    = min(1, (n - 1) / (FULL_SUPPORT - 1))
    agreement  = mean of (the mean r_wg(J) of everyone over the factors,
                          the share of respondents who chose the engagement's scope)
    confidence = base * (0.7 + 0.3 * support * agreement)

so one respondent keeps 70 % of the base and is never ``high`` (capped at
:data:`ONE_RESPONDENT_CAP`), and only many respondents who agree reach the
full base.

**Perception gaps are evidence for system causes.** When leaders rate a
factor or characteristic at least :data:`GAP_POINTS` points (0-100) higher
than frontline and staff, with a Welch interval above 0, the leaders'
picture is not the workforce's: a sign of leaders who do not hear the front
line, communication that does not travel upward, and managers far from
customers. Then an ``individual`` verdict becomes ``mixed`` (the system
cannot be ruled out), a ``system`` verdict gains :data:`GAP_BOOST`
confidence, the reason is given, and the intervention
:data:`GAP_INTERVENTION` (managers spending time with customers and
frontline staff) is put first in the plan.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from svcdiag.diagnosis.diagnose import confidence_level
from svcdiag.models.analysis import Diagnosis, PlanStep, Recommendation, Verdict
from svcdiag.models.catalogue import Intervention
from svcdiag.models.engagement_report import Gap

#: Respondents at which their number stops raising the confidence.
FULL_SUPPORT = 8
#: One respondent's confidence is never high.
ONE_RESPONDENT_CAP = 0.74
#: A leaders-above-frontline gap this large (0-100 points) counts as evidence.
GAP_POINTS = 10.0
GAP_BOOST = 0.05
MAX_CONFIDENCE = 0.95
GAP_INTERVENTION = "managers_on_front_line"
MAX_RECOMMENDATIONS = 10


def engagement_confidence(base: float, respondents: int, agreement: float) -> float:
    """The confidence of a diagnosis resting on ``respondents`` who agree to ``agreement``."""
    support = min(1.0, max(0, respondents - 1) / (FULL_SUPPORT - 1))
    value = base * (0.7 + 0.3 * support * max(0.0, min(1.0, agreement)))
    if respondents <= 1:
        value = min(value, ONE_RESPONDENT_CAP)
    return round(value, 2)


def system_gaps(gaps: Sequence[Gap]) -> list[Gap]:
    """The gaps that count as evidence for system causes, largest first."""
    found = [
        g
        for g in gaps
        if g.kind in ("factor", "characteristic") and g.significant and g.difference >= GAP_POINTS
    ]
    return sorted(found, key=lambda g: -g.difference)


def _n(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def adjust_diagnosis(
    diagnosis: Diagnosis,
    *,
    respondents: int,
    agreement: float,
    gaps: Sequence[Gap],
    scope_reason: str | None,
) -> Diagnosis:
    """The diagnosis with the engagement's confidence, scope reason and gap rule."""
    reasons = list(diagnosis.reasons)
    if scope_reason is not None:
        if reasons and reasons[0].startswith("Asked "):
            reasons[0] = scope_reason
        else:
            reasons.insert(0, scope_reason)
    confidence = engagement_confidence(diagnosis.confidence, respondents, agreement)
    reasons.append(
        f"The evidence comes from {_n(respondents, 'independent respondent')}, who agree to "
        f"{agreement:.2f} (0 none, 1 complete); the confidence is scaled to match"
        + (" and one respondent's view is never rated high." if respondents <= 1 else ".")
    )
    verdict, rule = diagnosis.verdict, diagnosis.rule
    found = system_gaps(gaps)
    if found:
        listed = "; ".join(g.sentence for g in found[:3])
        reasons.append(
            f"Leaders see the organisation more favourably than frontline and staff on "
            f"{_n(len(found), 'measure')} ({listed}). A gap like this is itself evidence of "
            "system causes: leaders who do not hear the front line, communication that does "
            "not travel upward, managers far from customers."
        )
        if verdict is Verdict.individual:
            verdict, rule = Verdict.mixed, f"{rule}+perception_gap"
            reasons.append(
                "Because of that gap the verdict is mixed, not individual: the system cannot "
                "be ruled out while leaders and staff see it so differently."
            )
        elif verdict is Verdict.system and diagnosis.major_problem:
            confidence = min(MAX_CONFIDENCE, round(confidence + GAP_BOOST, 2))
            rule = f"{rule}+perception_gap"
        if respondents <= 1:
            confidence = min(confidence, ONE_RESPONDENT_CAP)
    return diagnosis.model_copy(
        update={
            "verdict": verdict,
            "rule": rule,
            "confidence": confidence,
            "confidence_level": confidence_level(confidence),
            "reasons": reasons,
        }
    )


def gap_plan(
    plan: Sequence[Recommendation],
    gaps: Sequence[Gap],
    interventions: Mapping[str, Intervention],
) -> list[Recommendation]:
    """The plan with the gap intervention first when a perception gap calls for it."""
    found = system_gaps(gaps)
    entry = interventions.get(GAP_INTERVENTION)
    if not found or entry is None:
        return list(plan)
    why = (
        f"Leaders and the front line see the service differently ({found[0].sentence}); "
        "time spent with customers and frontline staff closes that gap."
    )
    existing = next((r for r in plan if r.intervention == GAP_INTERVENTION), None)
    if existing is not None:
        first = existing.model_copy(
            update={"rationale": f"{why} {existing.rationale}", "step": PlanStep.first}
        )
    else:
        first = Recommendation(
            rank=1,
            intervention=entry.id,
            title=entry.title,
            level=entry.level,
            effort=entry.effort,
            is_training=entry.is_training,
            priority=round(max(g.difference for g in found) / 100, 3),
            factors=list(entry.factors),
            rationale=why,
            triggers=[],
            step=PlanStep.first,
            owner=entry.level,
            chief_factors=list(entry.factors),
        )
    rest = [r for r in plan if r.intervention != GAP_INTERVENTION]
    ordered = [first, *rest][:MAX_RECOMMENDATIONS]
    return [r.model_copy(update={"rank": i}) for i, r in enumerate(ordered, start=1)]

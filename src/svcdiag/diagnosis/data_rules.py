"""How client data attached with ``--evidence`` change the diagnosis and the plan.

Opinions say where people *think* the problem lies; a funnel analysis of the
client's own data (``svcdiag variation``) shows whether units really differ.
The rules, applied after the answers have been scored:

* **Common cause** (no unit beyond its 99.8 % limits): the spread between
  units is what one system produces.

  - A ``system`` verdict is strengthened: confidence + :data:`COMMON_CAUSE_BOOST`
    (at most :data:`MAX_CONFIDENCE`).
  - An ``individual`` verdict is not borne out: the data single out no one,
    so the verdict becomes ``mixed`` and its confidence is scaled by
    :data:`CONTRADICTED`.
  - A ``mixed`` verdict keeps its confidence and gains the reason.

* **Special cause** (units beyond their 99.8 % limits): those units differ
  beyond what the system explains. The verdict is not changed (a special
  cause is a question to ask, not a person to blame), but an individual-level
  intervention becomes relevant for those units: the catalogue's first
  non-training intervention at level ``individual`` is added to the plan, or
  its rationale extended, naming the units.

* **Trend** (``svcdiag trend``): over time, a stable process (no signal)
  varies by common cause; when it is also worse than its target in every
  period it is a system problem, weighed like a common-cause funnel: a
  ``system`` verdict is strengthened and an ``individual`` one becomes
  ``mixed``. A signal that starts right after a known change (``--change``)
  names that change as the first thing to look at. Other signals are cited.

* **NPS**: cited beside the opinions, with groups whose NPS and whole
  interval lie below the overall score; it does not move the verdict.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from svcdiag.diagnosis.diagnose import confidence_level
from svcdiag.models.analysis import Diagnosis, PlanStep, Recommendation, Verdict
from svcdiag.models.catalogue import Intervention, Level
from svcdiag.models.figures import signed
from svcdiag.models.findings import DataEvidence
from svcdiag.models.results import Flag, VariationResult
from svcdiag.models.results import Verdict as DataVerdict
from svcdiag.models.trend import TrendResult
from svcdiag.textsafe import some_names

COMMON_CAUSE_BOOST = 0.1
MAX_CONFIDENCE = 0.99
CONTRADICTED = 0.8


def _alarms(result: VariationResult) -> list[str]:
    return [u.unit for u in result.units if u.status.is_alarm]


def adjust_diagnosis(diagnosis: Diagnosis, data: Sequence[DataEvidence]) -> Diagnosis:
    """Return ``diagnosis`` with the data's reasons added and its verdict weighed against them."""
    verdict = diagnosis.verdict
    headline = diagnosis.headline
    confidence = diagnosis.confidence
    reasons = list(diagnosis.reasons)
    for item in data:
        if item.variation is not None:
            result = item.variation
            units = len(result.units)
            if result.verdict is DataVerdict.common_cause:
                reasons.append(
                    f"Data ({item.source}): across {units} units no one lies beyond its "
                    "99.8 % funnel limits; the spread is what one system produces."
                )
                if verdict is Verdict.system:
                    confidence = min(MAX_CONFIDENCE, confidence + COMMON_CAUSE_BOOST)
                elif verdict is Verdict.individual:
                    verdict = Verdict.mixed
                    confidence *= CONTRADICTED
                    headline = (
                        "The answers point to a few individuals, but the client's data show "
                        "no unit apart from the rest: look at the system and the people."
                    )
                    reasons.append(
                        "The answers point to a few individuals, but the data single out "
                        "no one: the verdict is mixed until the two agree."
                    )
            else:
                alarms = _alarms(result)
                verb = "differs" if len(alarms) == 1 else "differ"
                reasons.append(
                    f"Data ({item.source}): {some_names(alarms)} {verb} beyond what the system "
                    "explains (special cause). Ask first what is different there (customers, "
                    "tools, manager, workload) before treating it as a matter of skill or "
                    "attitude."
                )
        if item.trend is not None:
            reasons += trend_reasons(item.source, item.trend)
            if item.trend.series[0].poor_throughout or item.trend.series[0].stable:
                if verdict is Verdict.system:
                    confidence = min(MAX_CONFIDENCE, confidence + COMMON_CAUSE_BOOST)
                elif verdict is Verdict.individual and item.trend.series[0].poor_throughout:
                    verdict = Verdict.mixed
                    confidence *= CONTRADICTED
                    headline = (
                        "The answers point to a few individuals, but the client's data show a "
                        "stable process that is poor throughout: look at the system first."
                    )
        if item.nps is not None:
            nps = item.nps
            below = [g.group for g in nps.groups if g.flag is Flag.below]
            sentence = (
                f"Data ({item.source}): customers' NPS is {signed(nps.nps)} "
                f"({100 * nps.confidence:g} % interval {signed(nps.ci_low)} to "
                f"{signed(nps.ci_high)}, {nps.n:,} answers)."
            )
            if below:
                sentence += f" Below the overall score, interval and NPS: {some_names(below)}."
            reasons.append(sentence)
    confidence = round(confidence, 2)
    return diagnosis.model_copy(
        update={
            "verdict": verdict,
            "headline": headline,
            "confidence": confidence,
            "confidence_level": confidence_level(confidence),
            "reasons": reasons,
        }
    )


def trend_reasons(source: str, trend: TrendResult) -> list[str]:
    """Return the reasons a saved trend adds to the diagnosis."""
    overall = trend.series[0]
    first, last = overall.points[0].period, overall.points[-1].period
    if overall.stable:
        sentence = (
            f"Data ({source}): the {trend.measure} is stable from {first} to {last} "
            "(no point beyond the limits, no shift, no trend): its level is what the system "
            "produces"
        )
        if overall.missing:
            sentence += (
                f" (read over the periods with data: {overall.missing:,} {trend.period}(s) "
                "in between have none, and no run is counted across them)"
            )
        if overall.poor_throughout:
            sentence += (
                ", and it is worse than the target in every period, so the problem is the "
                "system's, not a few people's"
            )
        return [sentence + "."]
    reasons = [
        f"Data ({source}): {signal.text}. Look first at {signal.change!r}: a change "
        "to the system, not to the people, moved the result."
        for signal in overall.signals
        if signal.change is not None
    ]
    if not reasons:
        reasons.append(f"Data ({source}): {overall.summary}")
    return reasons


def _individual_intervention(interventions: Mapping[str, Intervention]) -> Intervention | None:
    for item in interventions.values():
        if item.level is Level.individual and not item.is_training:
            return item
    return None


def adjust_plan(
    plan: Sequence[Recommendation],
    data: Sequence[DataEvidence],
    interventions: Mapping[str, Intervention],
) -> list[Recommendation]:
    """Return ``plan`` with an individual-level intervention for special-cause units."""
    units = [
        (item.source, unit)
        for item in data
        if item.variation is not None and item.variation.verdict is DataVerdict.special_cause
        for unit in _alarms(item.variation)
    ]
    result = list(plan)
    chosen = _individual_intervention(interventions)
    if not units or chosen is None:
        return result
    sources = sorted({source for source, _ in units})
    sentence = (
        f"The data single out {some_names([u for _, u in units])} (beyond the 99.8 % funnel "
        f"limits in {', '.join(sources)}): review each with its manager before anything else."
    )
    for i, rec in enumerate(result):
        if rec.intervention == chosen.id:
            result[i] = rec.model_copy(update={"rationale": f"{rec.rationale} {sentence}"})
            return result
    result.append(
        Recommendation(
            rank=len(result) + 1,
            intervention=chosen.id,
            title=chosen.title,
            level=chosen.level,
            effort=chosen.effort,
            is_training=chosen.is_training,
            priority=0.0,
            factors=[],
            rationale=sentence,
            triggers=[],
            step=PlanStep.next,
            owner=chosen.owner or chosen.level,
        )
    )
    return result

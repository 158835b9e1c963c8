"""Run the whole analysis on one set of answers and attach it to the findings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from svcdiag.diagnosis.data_rules import adjust_diagnosis, adjust_plan
from svcdiag.diagnosis.diagnose import diagnose
from svcdiag.diagnosis.evidence import Applicable, Evidence, asked, collect_evidence
from svcdiag.diagnosis.recommend import already_in_place, recommend
from svcdiag.diagnosis.score import score_characteristics, score_factors, score_gilbert
from svcdiag.diagnosis.training_plan import training_plan
from svcdiag.diagnosis.triage import triage
from svcdiag.diagnosis.words import client_words
from svcdiag.models.analysis import Analysis, AnswerValue, Diagnosis
from svcdiag.models.catalogue import Characteristic, Factor, Intervention
from svcdiag.models.findings import DataEvidence, Findings
from svcdiag.models.questionnaire import Questionnaire, Scope


class CatalogueView(Protocol):
    """What the analysis needs from a catalogue: its entries by id."""

    @property
    def factors(self) -> Mapping[str, Factor]:
        """Cause factors by id."""

    @property
    def characteristics(self) -> Mapping[str, Characteristic]:
        """Benchmark characteristics by id."""

    @property
    def interventions(self) -> Mapping[str, Intervention]:
        """Interventions by id."""


def analyse(
    questionnaire: Questionnaire,
    catalogue: CatalogueView,
    answers: Mapping[str, AnswerValue],
    notes: Mapping[str, str] | None = None,
    *,
    applicable: Applicable = asked,
    data: Sequence[DataEvidence] = (),
) -> Analysis:
    """Score, diagnose and recommend from ``answers`` (a triage questionnaire: its route).

    ``data`` are saved ``svcdiag nps``/``variation`` results; see
    :mod:`svcdiag.diagnosis.data_rules` for how they weigh in.
    """
    evidence = collect_evidence(questionnaire, answers, applicable=applicable)
    if questionnaire.kind == "triage":
        return Analysis(triage=triage(questionnaire, answers), coverage=evidence.coverage)
    result = analyse_evidence(
        questionnaire, catalogue, evidence, notes or {}, data=data, answers=answers
    )
    return result.model_copy(update={"triage": triage(questionnaire, answers)})


def analyse_evidence(
    questionnaire: Questionnaire,
    catalogue: CatalogueView,
    evidence: Evidence,
    notes: Mapping[str, str],
    *,
    data: Sequence[DataEvidence] = (),
    respondents: int = 1,
    answers: Mapping[str, AnswerValue] | None = None,
) -> Analysis:
    """Score, diagnose and recommend from evidence already collected.

    This is the seam for several respondents: an engagement pools the
    evidence of every interview and survey response and calls this, so that
    one respondent and many go through the same rules. ``respondents`` is
    how many independent people the evidence comes from; ``answers``, when
    there is one set, lets the plan leave out what is already in place and
    lets the report quote the client's own words.
    """
    factors = score_factors(catalogue.factors, evidence.contributions)
    characteristics = score_characteristics(catalogue.characteristics, evidence.contributions)
    cells = score_gilbert(catalogue.factors, evidence.contributions)
    verdict = diagnose(
        evidence.scopes,
        cells,
        factors,
        evidence.coverage,
        respondents=respondents,
        with_data=bool(data),
    )
    if data:
        verdict = adjust_diagnosis(verdict, data)
    plan = recommend(
        catalogue.interventions,
        factors,
        cells,
        verdict,
        evidence.contributions,
        questionnaire,
        notes,
        answers=answers,
        also_individuals=also_individuals(evidence, verdict),
    )
    if data:
        plan = adjust_plan(plan, data, catalogue.interventions)
    return Analysis(
        diagnosis=verdict,
        characteristics=characteristics,
        factors=factors,
        gilbert=cells,
        recommendations=plan,
        training_plan=training_plan(plan, factors),
        client_words=client_words(questionnaire, answers or {}, notes),
        already_in_place=already_in_place(catalogue.interventions, answers) if answers else [],
        coverage=evidence.coverage,
    )


def also_individuals(evidence: Evidence, verdict: Diagnosis) -> bool:
    """Whether a few particular people are named besides a wider problem."""
    named = {s.scope for s in evidence.scopes}
    return Scope.few_individuals in named and verdict.scope is not Scope.few_individuals


def with_analysis(
    findings: Findings,
    questionnaire: Questionnaire,
    catalogue: CatalogueView,
    *,
    applicable: Applicable = asked,
) -> Findings:
    """Return a copy of ``findings`` whose analysis is recomputed from its answers."""
    result = analyse(
        questionnaire,
        catalogue,
        findings.answers,
        findings.notes,
        applicable=applicable,
        data=findings.data_evidence or (),
    )
    diagnostic = questionnaire.kind == "diagnostic"
    return findings.model_copy(
        update={
            "diagnosis": result.diagnosis,
            "characteristics": result.characteristics if diagnostic else None,
            "factors": result.factors if diagnostic else None,
            "gilbert": result.gilbert if diagnostic else None,
            "recommendations": result.recommendations if diagnostic else None,
            "training_plan": result.training_plan if diagnostic else None,
            "client_words": result.client_words if diagnostic else None,
            "already_in_place": result.already_in_place if diagnostic else None,
            "triage": result.triage,
            "coverage": result.coverage,
        }
    )

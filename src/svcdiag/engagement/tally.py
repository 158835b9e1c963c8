"""Sum every respondent's answers per cell (role x unit) in one pass.

Each respondent's answers are read as evidence by the same function as a
single findings file (:func:`svcdiag.diagnosis.evidence.collect_evidence`).
Per cell this keeps, addable so that any group is the sum of its cells:

* per question with a scale (likert, scale, yes/no), the :class:`Moments` of
  the raw answers (likert 1-5, scale 0-10, yes 100 / no 0): for gaps and r_wg;
* per factor and characteristic, the moments of each respondent's own score
  (the weighted mean health of their answers, times 100): for gaps;
* per factor and characteristic, the pooled weight, weighted health and the
  questions behind it: the group's score, by the same formula as
  :mod:`svcdiag.diagnosis.score`.

Across everyone it also keeps the pooled evidence for the one diagnosis
(:mod:`.pooling`) and, per characteristic, each respondent's answers to its
likert questions, for Cronbach's alpha.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from svcdiag.diagnosis.evidence import Contribution, collect_evidence
from svcdiag.engagement.gaps import Moments
from svcdiag.engagement.pooling import EvidencePool
from svcdiag.engagement.respondents import Person
from svcdiag.models.questionnaire import Question, Questionnaire, QuestionType

#: Question types whose answers are compared between groups, and how.
ITEM_SCALES = {
    QuestionType.likert: "likert",
    QuestionType.scale: "scale",
    QuestionType.yes_no: "yes_share",
}
#: A target of evidence: ("factor" | "characteristic", id).
Target = tuple[str, str]
Cell = tuple[str, "str | None"]


@dataclass
class TargetPool:
    """Pooled evidence toward one target within a cell."""

    weight: float = 0.0
    weighted_health: float = 0.0
    questions: set[str] = field(default_factory=set)

    def merge(self, other: TargetPool) -> None:
        """Add another pool into this one."""
        self.weight += other.weight
        self.weighted_health += other.weighted_health
        self.questions |= other.questions


@dataclass
class CellTally:
    """Everything summed over the respondents of one cell (or one group of cells)."""

    n: int = 0
    items: dict[str, Moments] = field(default_factory=dict)
    scores: dict[Target, Moments] = field(default_factory=dict)
    pools: dict[Target, TargetPool] = field(default_factory=dict)

    def merge(self, other: CellTally) -> None:
        """Add another cell's sums into this one."""
        self.n += other.n
        for key, moments in other.items.items():
            self.items.setdefault(key, Moments()).merge(moments)
        for target, moments in other.scores.items():
            self.scores.setdefault(target, Moments()).merge(moments)
        for target, pool in other.pools.items():
            self.pools.setdefault(target, TargetPool()).merge(pool)


@dataclass
class Tally:
    """The sums of an engagement: per cell, pooled, and rows for alpha."""

    cells: dict[Cell, CellTally] = field(default_factory=dict)
    pool: EvidencePool = field(default_factory=EvidencePool)
    alpha_rows: dict[str, list[list[float]]] = field(default_factory=dict)

    def group(self, cells: Iterable[Cell]) -> CellTally:
        """The sums of several cells together."""
        total = CellTally()
        for cell in cells:
            if cell in self.cells:
                total.merge(self.cells[cell])
        return total


def likert_items(questionnaire: Questionnaire, target: str) -> dict[str, list[str]]:
    """Likert questions with question-level evidence toward each factor or characteristic."""
    found: dict[str, list[str]] = {}
    for question in questionnaire.questions():
        if question.type is not QuestionType.likert:
            continue
        for item in question.evidence:
            target_id = item.factor if target == "factor" else item.characteristic
            if target_id is not None and question.id not in found.setdefault(target_id, []):
                found[target_id].append(question.id)
    return found


def _item_value(question: Question, value: object) -> float | None:
    if question.type is QuestionType.yes_no:
        return 100.0 if value is True else 0.0 if value is False else None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def tally(questionnaire: Questionnaire, people: Iterable[Person]) -> Tally:
    """Read every respondent's answers once and sum them (see the module docstring)."""
    result = Tally()
    by_id = {q.id: q for q in questionnaire.questions()}
    alpha_items = likert_items(questionnaire, "characteristic")
    for person in people:
        evidence = collect_evidence(questionnaire, person.answers)
        cell = result.cells.setdefault((person.role, person.unit), CellTally())
        cell.n += 1
        result.pool.add(person, evidence)
        healths: dict[tuple[str, str], float] = {}
        own: dict[Target, list[float]] = {}
        for item in evidence.contributions:
            _count(cell, item, own)
            if item.target == "characteristic":
                healths.setdefault((item.question, item.target_id), item.health)
        for question_id in {c.question for c in evidence.contributions}:
            question = by_id[question_id]
            if question.type in ITEM_SCALES:
                value = _item_value(question, person.answers.get(question_id))
                if value is not None:
                    cell.items.setdefault(question_id, Moments()).add(value)
        for target, (weight, weighted) in (
            (t, (sum(v[0::2]), sum(v[1::2]))) for t, v in own.items()
        ):
            if weight > 0:
                cell.scores.setdefault(target, Moments()).add(100.0 * weighted / weight)
        for characteristic, questions in alpha_items.items():
            keys = [(q, characteristic) for q in questions]
            if len(questions) >= 2 and all(k in healths for k in keys):
                row = [healths[k] for k in keys]
                result.alpha_rows.setdefault(characteristic, []).append(row)
    return result


def _count(cell: CellTally, item: Contribution, own: dict[Target, list[float]]) -> None:
    target: Target = (item.target, item.target_id)
    pool = cell.pools.setdefault(target, TargetPool())
    pool.weight += item.weight
    pool.weighted_health += item.weight * item.health
    pool.questions.add(item.question)
    own.setdefault(target, []).extend((item.weight, item.weight * item.health))

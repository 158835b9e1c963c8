"""Sum every respondent's answers per cell (role x unit) in one pass.

Each respondent's answers are read as evidence by the same function as a
single findings file (:func:`svcdiag.diagnosis.evidence.collect_evidence`).
Per cell this keeps, addable so that any group is the sum of its cells:

* per question carrying evidence, how many respondents' answers to it count,
  and how many of them by their own total weight toward each score the
  answer feeds (for the floor per question, :mod:`.item_floor`);
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

from svcdiag.diagnosis.evidence import collect_evidence
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


#: The scores a person's answer to a question feeds, each with the person's own total
#: weight toward it (which sets how much the answer counts in the person's own score).
Pattern = tuple[tuple[Target, float], ...]

#: Identical contributions: (question, target, target id, health, answer text).
Key = tuple[str, str, str, float, str]


@dataclass
class TargetPool:
    """Pooled evidence toward one target within a group."""

    weight: float = 0.0
    weighted_health: float = 0.0
    questions: set[str] = field(default_factory=set)


@dataclass
class CellTally:
    """Everything summed over the respondents of one cell (or one group of cells)."""

    n: int = 0
    answered: dict[str, int] = field(default_factory=dict)
    patterns: dict[str, dict[Pattern, int]] = field(default_factory=dict)
    items: dict[str, Moments] = field(default_factory=dict)
    scores: dict[Target, Moments] = field(default_factory=dict)
    weights: dict[Key, float] = field(default_factory=dict)

    def merge(self, other: CellTally) -> None:
        """Add another cell's sums into this one."""
        self.n += other.n
        for question, count in other.answered.items():
            self.answered[question] = self.answered.get(question, 0) + count
        for question, counts in other.patterns.items():
            mine = self.patterns.setdefault(question, {})
            for pattern, count in counts.items():
                mine[pattern] = mine.get(pattern, 0) + count
        for key, moments in other.items.items():
            self.items.setdefault(key, Moments()).merge(moments)
        for target, moments in other.scores.items():
            self.scores.setdefault(target, Moments()).merge(moments)
        weights = self.weights
        for same, weight in other.weights.items():
            weights[same] = weights.get(same, 0.0) + weight

    def pools(self) -> dict[Target, TargetPool]:
        """The pooled evidence toward each target (the same sums as the diagnosis's scores)."""
        found: dict[Target, TargetPool] = {}
        for (question, target, target_id, health, _), weight in self.weights.items():
            pool = found.setdefault((target, target_id), TargetPool())
            pool.weight += weight
            pool.weighted_health += weight * health
            pool.questions.add(question)
        return found


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
    scaled = {q.id: q for q in questionnaire.questions() if q.type in ITEM_SCALES}
    alpha_items = [
        (characteristic, [(q, characteristic) for q in questions])
        for characteristic, questions in likert_items(questionnaire, "characteristic").items()
        if len(questions) >= 2
    ]
    examples = result.pool.examples_of
    for person in people:
        evidence = collect_evidence(questionnaire, person.answers)
        cell = result.cells.setdefault((person.role, person.unit), CellTally())
        cell.n += 1
        result.pool.add(evidence)
        weights = cell.weights
        healths: dict[tuple[str, str], float] = {}
        own: dict[Target, list[float]] = {}
        questions: dict[str, set[Target]] = {}
        for item in evidence.contributions:
            key = (item.question, item.target, item.target_id, item.health, item.answer_text)
            weight = item.weight
            if key in weights:
                weights[key] += weight
            else:
                weights[key] = weight
                if key not in examples:
                    examples[key] = item
            aim: Target = (item.target, item.target_id)
            sums = own.get(aim)
            if sums is None:
                own[aim] = [weight, weight * item.health]
            else:
                sums[0] += weight
                sums[1] += weight * item.health
            if item.target == "characteristic":
                healths.setdefault((item.question, item.target_id), item.health)
            questions.setdefault(item.question, set()).add(aim)
        for question_id, fed in questions.items():
            cell.answered[question_id] = cell.answered.get(question_id, 0) + 1
            pattern = tuple(sorted((target, own[target][0]) for target in fed))
            counts = cell.patterns.setdefault(question_id, {})
            counts[pattern] = counts.get(pattern, 0) + 1
            question = scaled.get(question_id)
            if question is not None:
                value = _item_value(question, person.answers.get(question_id))
                if value is not None:
                    cell.items.setdefault(question_id, Moments()).add(value)
        for target, (weight, weighted) in own.items():
            if weight > 0:
                cell.scores.setdefault(target, Moments()).add(100.0 * weighted / weight)
        for characteristic, keys in alpha_items:
            if all(k in healths for k in keys):
                result.alpha_rows.setdefault(characteristic, []).append([healths[k] for k in keys])
    return result

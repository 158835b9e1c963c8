"""The questionnaire language: pydantic models that forbid unknown keys.

A questionnaire is a list of sections of questions. Each question has a type
(``likert``, ``scale``, ``yes_no``, ``choice``, ``multi_choice``, ``number``,
``text``), may be asked only ``when`` a condition on earlier answers holds,
and carries ``evidence``: how its answers move cause factors and benchmark
characteristics, in both directions.

Evidence has two forms:

* On a scaled question (likert, scale, yes_no, number with ``min`` and
  ``max``), :class:`ScaledEvidence` reads the answer as a position between
  worst and best: ``direction: higher_is_better`` (the default) or
  ``higher_is_worse``.
* On an option of a choice or multi_choice question, :class:`OptionEvidence`
  gives the health that option shows, from 0 (bad) to 1 (good).

Cross-references (ids that must exist, conditions on earlier questions) are
not checked here but by :mod:`svcdiag.lint`, which reports every problem at
once with its place in the file.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Identifier = Annotated[
    str,
    Field(
        pattern=r"^[a-z][a-z0-9_]*$",
        max_length=64,
        description="Lower-case letters, digits and underscores, starting with a letter.",
    ),
]

#: A value a condition compares with: an option id, a number or yes/no.
ConditionValue = str | int | float | bool


class Strict(BaseModel):
    """Base for every definition model: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, allow_inf_nan=False)


class QuestionType(str, Enum):
    """What kind of answer a question takes."""

    likert = "likert"
    scale = "scale"
    yes_no = "yes_no"
    choice = "choice"
    multi_choice = "multi_choice"
    number = "number"
    text = "text"


#: Types whose answers lie on a line from worst to best.
SCALED_TYPES = frozenset(
    {QuestionType.likert, QuestionType.scale, QuestionType.yes_no, QuestionType.number}
)
#: Types that need options.
OPTION_TYPES = frozenset({QuestionType.choice, QuestionType.multi_choice})

#: The five agreement points of a likert question, 1 to 5.
LIKERT_LABELS = (
    "Strongly disagree",
    "Disagree",
    "Neither agree nor disagree",
    "Agree",
    "Strongly agree",
)


class Scope(str, Enum):
    """How far a service problem reaches: the seeds' central question."""

    widespread = "widespread"
    some_teams = "some_teams"
    few_individuals = "few_individuals"
    none = "none"


class Route(str, Enum):
    """The outcomes of Mager & Pipe's performance-analysis flow."""

    not_worth_pursuing = "not_worth_pursuing"
    clarify_expectations = "clarify_expectations"
    give_feedback = "give_feedback"
    provide_resources = "provide_resources"
    fix_consequences = "fix_consequences"
    remove_obstacles = "remove_obstacles"
    arrange_practice = "arrange_practice"
    train = "train"
    redesign_job = "redesign_job"
    reconsider_selection = "reconsider_selection"


#: Most levels of ``all``/``any``/``not`` in one condition. Real ones use two or three;
#: the bound keeps validation and evaluation far from Python's recursion limit.
MAX_CONDITION_DEPTH = 32


def condition_depth(data: object) -> int:
    """How many levels of conditions ``data`` (a condition as read from YAML) nests."""
    deepest = 0
    pending: list[tuple[object, int]] = [(data, 1)]
    while pending:
        node, depth = pending.pop()
        if not isinstance(node, dict):
            continue
        deepest = max(deepest, depth)
        for key in ("all", "any"):
            items = node.get(key)
            if isinstance(items, list):
                pending.extend((item, depth + 1) for item in items)
        pending.append((node.get("not"), depth + 1))
    return deepest


class Condition(Strict):
    """A structured condition on earlier answers (never code, never a template).

    Exactly one form per condition:

    * a comparison on one question: ``question`` with one of ``equals``,
      ``one_of``, ``at_least``, ``at_most``, ``answered`` or ``unknown``;
    * a combination: ``all`` or ``any`` (a list of conditions) or ``not``.
    """

    question: Identifier | None = Field(None, description="The earlier question compared.")
    equals: ConditionValue | None = Field(None, description="The answer equals this value.")
    one_of: list[ConditionValue] | None = Field(
        None, min_length=1, description="The answer is one of these values."
    )
    at_least: float | None = Field(None, description="The answer is at least this number.")
    at_most: float | None = Field(None, description="The answer is at most this number.")
    answered: bool | None = Field(
        None, description="true: the question has a real answer; false: it has none."
    )
    unknown: bool | None = Field(
        None, description="true: the answer was 'don't know / not applicable'."
    )
    all: list[Condition] | None = Field(None, min_length=1, description="All of these hold.")
    any: list[Condition] | None = Field(
        None, min_length=1, description="At least one of these holds."
    )
    not_: Condition | None = Field(None, alias="not", description="This does not hold.")

    @model_validator(mode="before")
    @classmethod
    def _not_too_deep(cls, data: object) -> object:
        depth = condition_depth(data)
        if depth > MAX_CONDITION_DEPTH:
            raise ValueError(
                f"the condition nests too deep ({depth} levels of all/any/not; at most "
                f"{MAX_CONDITION_DEPTH}): write it more simply, e.g. two 'not's cancel out"
            )
        return data

    @model_validator(mode="after")
    def _one_form(self) -> Condition:
        tests = [
            name
            for name in ("equals", "one_of", "at_least", "at_most", "answered", "unknown")
            if getattr(self, name) is not None
        ]
        groups = [name for name in ("all", "any", "not_") if getattr(self, name) is not None]
        if self.question is not None:
            if groups:
                raise ValueError("a condition on 'question' cannot also hold all/any/not")
            if not tests:
                raise ValueError(
                    "a condition on 'question' needs one test: equals, one_of, at_least, "
                    "at_most, answered or unknown"
                )
            if len(tests) > 1 and set(tests) != {"at_least", "at_most"}:
                raise ValueError(
                    f"use one test per condition (found {', '.join(tests)}); "
                    "combine tests with 'all'"
                )
        else:
            if tests:
                raise ValueError(f"'{tests[0]}' needs a 'question' to compare")
            if len(groups) != 1:
                raise ValueError(
                    "a condition needs either 'question' with a test, or exactly one of "
                    "all, any, not"
                )
        return self


class ScaledEvidence(Strict):
    """Evidence from a scaled answer toward one factor or characteristic."""

    factor: Identifier | None = Field(None, description="A cause factor id (factors.yaml).")
    characteristic: Identifier | None = Field(
        None, description="A benchmark characteristic id (characteristics.yaml)."
    )
    weight: float = Field(1.0, gt=0, le=10, description="How strongly this answer counts.")
    direction: Literal["higher_is_better", "higher_is_worse"] = Field(
        "higher_is_better", description="Whether a higher answer shows a healthier organisation."
    )

    @model_validator(mode="after")
    def _one_target(self) -> ScaledEvidence:
        _check_one_target(self.factor, self.characteristic)
        return self


class OptionEvidence(Strict):
    """Evidence from choosing an option: the health it shows, 0 (bad) to 1 (good)."""

    factor: Identifier | None = Field(None, description="A cause factor id (factors.yaml).")
    characteristic: Identifier | None = Field(
        None, description="A benchmark characteristic id (characteristics.yaml)."
    )
    weight: float = Field(1.0, gt=0, le=10, description="How strongly this answer counts.")
    value: float = Field(..., ge=0, le=1, description="Health shown: 0 bad, 1 good.")

    @model_validator(mode="after")
    def _one_target(self) -> OptionEvidence:
        _check_one_target(self.factor, self.characteristic)
        return self


def _check_one_target(factor: str | None, characteristic: str | None) -> None:
    if (factor is None) == (characteristic is None):
        raise ValueError("evidence names exactly one of 'factor' or 'characteristic'")


class Option(Strict):
    """One option of a choice or multi_choice question."""

    id: Identifier
    label: str = Field(..., min_length=1)
    help: str | None = None
    evidence: list[OptionEvidence] = Field(default_factory=list)
    scope: Scope | None = Field(
        None, description="Choosing this option says how far the service problem reaches."
    )
    route: Route | None = Field(
        None, description="Choosing this option points to this Mager & Pipe route."
    )
    exclusive: bool = Field(
        False, description="multi_choice: this option cannot be chosen with others."
    )


class Question(Strict):
    """One question."""

    id: Identifier
    text: str = Field(..., min_length=1, description="The question, as asked aloud.")
    help: str | None = Field(None, description="Shown under the question: what it means.")
    type: QuestionType
    options: list[Option] | None = Field(None, description="choice and multi_choice only.")
    required: bool = True
    allow_unknown: bool = Field(
        False, description="Offer 'don't know / not applicable'; such answers are never scored."
    )
    default: str | int | float | bool | list[str] | None = Field(
        None, description="Used with --defaults and pre-selected at the prompt."
    )
    min: float | None = Field(None, description="number: smallest allowed answer.")
    max: float | None = Field(None, description="number: largest allowed answer.")
    unit: str | None = Field(None, description="number: unit shown after the prompt.")
    integer: bool = Field(
        False, description="number: only whole numbers are answers (a count: people, branches)."
    )
    when: Condition | None = Field(None, description="Ask only when this holds.")
    evidence: list[ScaledEvidence] = Field(
        default_factory=list, description="Evidence from the answer's position on its scale."
    )

    def option(self, option_id: str) -> Option | None:
        """Return the option with ``option_id``, if any."""
        for opt in self.options or ():
            if opt.id == option_id:
                return opt
        return None


class Section(Strict):
    """A titled group of questions."""

    id: Identifier
    title: str = Field(..., min_length=1)
    description: str | None = None
    questions: list[Question] = Field(default_factory=list)


class Questionnaire(Strict):
    """A whole questionnaire definition."""

    schema_version: Literal[1] = Field(..., description="Version of this format: 1.")
    id: Identifier
    version: str = Field(..., min_length=1, description="The questionnaire's own version.")
    title: str = Field(..., min_length=1)
    description: str | None = None
    kind: Literal["diagnostic", "triage"] = Field(
        "diagnostic",
        description="diagnostic: scores factors and characteristics; triage: walks "
        "Mager & Pipe's flow to one route.",
    )
    sections: list[Section] = Field(..., min_length=1)

    def questions(self) -> list[Question]:
        """All questions, in the order they are asked."""
        return [q for s in self.sections for q in s.questions]

    def question(self, question_id: str) -> Question | None:
        """Return the question with ``question_id``, if any."""
        for q in self.questions():
            if q.id == question_id:
                return q
        return None

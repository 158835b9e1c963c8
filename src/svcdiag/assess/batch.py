"""Collect answers without prompting: from an answers file, defaults and options.

:func:`collect` checks an answers file against the questionnaire with the same
rule set as the prompts (:func:`svcdiag.assess.answers.validate_answer`), drops
answers to questions whose ``when`` does not hold, fills defaults when asked,
and lists what is still missing. Whether missing answers are an error (no
terminal) or are asked (a terminal) is decided by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from svcdiag.assess.answers import answer_problems, problems_error, unknown_question
from svcdiag.assess.answers_file import AnswersInput, structure_error
from svcdiag.assess.flow import Flow
from svcdiag.errors import AnswerError
from svcdiag.models.findings import AnswerValue, Respondent, Role
from svcdiag.models.questionnaire import Question


@dataclass
class Collected:
    """Everything known before any prompt."""

    organisation: str | None = None
    respondent: Respondent | None = None
    consultant: str | None = None
    answers: dict[str, AnswerValue] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    dropped: dict[str, AnswerValue] = field(default_factory=dict)
    missing: list[Question] = field(default_factory=list)

    def missing_lines(self) -> list[str]:
        """One line per missing detail or required answer."""
        lines = []
        if not self.organisation:
            lines.append("organisation: the client organisation (or --organisation)")
        if self.respondent is None:
            roles = ", ".join(r.value for r in Role)
            lines.append(f"respondent: {{role: ...}}, one of {roles} (or --role)")
        lines.extend(f"{q.id} ({q.type.value}): {q.text}" for q in self.missing)
        return lines


def collect(
    flow: Flow,
    given: AnswersInput | None,
    *,
    defaults: bool,
    organisation: str | None = None,
    role: Role | None = None,
    consultant: str | None = None,
    unit: str | None = None,
) -> Collected:
    """Combine an answers file, defaults and command-line details.

    Options given on the command line win over the file.

    Raises:
        AnswerError: Invalid answers or notes for unknown questions, all listed.
        DefinitionError: A default of the questionnaire is invalid.
    """
    source = given or AnswersInput(path="answers")
    valid, problems = answer_problems(flow.questionnaire, source.answers, source.lines)
    for question_id in source.notes:
        if question_id not in flow.by_id:
            line = source.note_lines.get(question_id)
            where = f"line {line}: " if line else ""
            problems.append(f"{where}note on {unknown_question(flow.questionnaire, question_id)}")
    if source.problems:  # a bad role must not hide the answers' own problems
        raise structure_error(source.path, [*source.problems, *problems])
    if problems:
        raise problems_error(source.path, problems, "problem")
    pruned = flow.prune(valid)
    answers = flow.with_defaults(pruned.answers).answers if defaults else pruned.answers
    respondent = source.respondent
    if role is not None:
        respondent = Respondent(
            role=role,
            name=respondent.name if respondent else None,
            unit=respondent.unit if respondent else None,
        )
    if unit is not None and respondent is not None:
        respondent = respondent.model_copy(update={"unit": unit})
    return Collected(
        organisation=organisation or source.organisation,
        respondent=respondent,
        consultant=consultant or source.consultant,
        answers=answers,
        notes=flow.ordered(source.notes),
        dropped=pruned.dropped,
        missing=flow.missing_required(answers),
    )


def missing_error(
    source: str, collected: Collected, *, from_file: bool, defaults: bool
) -> AnswerError:
    """The one error listing everything a run without a terminal lacks.

    The hint suggests only what was not tried: an answers file (or adding to
    the one given), and ``--defaults`` when not given and a missing question
    has a default.
    """
    lines = collected.missing_lines()
    count = len(lines)
    ways = ["add them to the answers file" if from_file else "give them in a file with --answers"]
    if not defaults and any(q.default is not None for q in collected.missing):
        ways.append("pass --defaults to accept the questionnaire's defaults")
    ways.append("run in a terminal to be asked the rest")
    hint = ", ".join(ways[:-1]) + ", or " + ways[-1]
    return AnswerError(
        source,
        f"{count} required answer{'s are' if count > 1 else ' is'} missing; nothing was "
        "written:\n  " + "\n  ".join(lines),
        hint=hint,
    )

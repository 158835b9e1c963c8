"""Read an ``--answers`` file (or a findings file given as one) into checked parts.

The file has the shape of :class:`~svcdiag.models.findings.AnswersFile`. A
findings file is accepted as well: the keys only a findings file has
(``schema_version``, ``questionnaire``, times, analysis) are ignored, so a
finished assessment can be run again or continued from its findings.

Every problem of the file's structure is kept with its line and reported at
once with those of the answer values, which are checked against the
questionnaire by :func:`svcdiag.assess.answers.validate_answers`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from svcdiag.assess.answers import in_line_order
from svcdiag.errors import AnswerError
from svcdiag.models.findings import AnswersFile, Findings, Respondent, Role
from svcdiag.source.yamlsource import YamlDocument, load_file

_ANSWER_KEYS = tuple(AnswersFile.model_fields)
#: Keys a findings file has beyond an answers file; ignored when read as answers.
FINDINGS_ONLY_KEYS = frozenset(set(Findings.model_fields) - set(_ANSWER_KEYS))


@dataclass
class AnswersInput:
    """An answers file read and checked for shape; answer values still raw."""

    path: str
    organisation: str | None = None
    respondent: Respondent | None = None
    consultant: str | None = None
    answers: dict[str, Any] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    note_lines: dict[str, int] = field(default_factory=dict)
    questionnaire_id: str | None = None
    #: Problems of the file's structure (``line N: ...``), reported with the answers' own.
    problems: list[str] = field(default_factory=list)


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        text = str(value).strip()
        return text or None
    raise ValueError("expected text")


class _Problems:
    def __init__(self, doc: YamlDocument) -> None:
        self.doc = doc
        self.lines: list[str] = []

    def add(self, path: tuple[str | int, ...], message: str) -> None:
        self.lines.append(f"line {self.doc.locate(path).line}: {message}")


def read_answers_file(path: Path) -> AnswersInput:
    """Read ``path`` and check its structure.

    Problems of the structure (a bad role, an unknown key) do not stop the
    reading: they are kept in ``problems``, so that :func:`svcdiag.assess.batch.collect`
    reports them together with every problem of the answers themselves.

    Raises:
        InputFileError: The file cannot be read or is not YAML.
        AnswerError: The file is not a mapping at all.
    """
    doc = load_file(path)
    data = doc.data
    shown = str(path)
    if not isinstance(data, dict):
        raise AnswerError(
            shown,
            "an answers file is a mapping with organisation, respondent, answers and notes",
            line=1,
            hint="see the example in the README",
        )
    problems = _Problems(doc)
    for dup in doc.duplicates:
        where = ".".join(str(p) for p in (*dup.path, dup.key))
        problems.lines.append(
            f"line {dup.at.line}: {where} is given twice (first on line {dup.first.line})"
        )
    result = AnswersInput(path=shown)
    for key in data:
        if key not in _ANSWER_KEYS and key not in FINDINGS_ONLY_KEYS:
            problems.add(
                (key,),
                f"unknown key {key!r}; an answers file has {', '.join(_ANSWER_KEYS)}",
            )
    result.organisation = _text_field(data, "organisation", problems)
    result.consultant = _text_field(data, "consultant", problems)
    result.respondent = _respondent(data.get("respondent"), problems)
    questionnaire = data.get("questionnaire")
    if isinstance(questionnaire, dict) and isinstance(questionnaire.get("id"), str):
        result.questionnaire_id = questionnaire["id"]
    answers = data.get("answers")
    if isinstance(answers, dict):
        result.answers = {str(k): v for k, v in answers.items()}
        result.lines = {str(k): doc.locate(("answers", k)).line for k in answers}
    elif answers is not None:
        problems.add(("answers",), "answers must be a mapping of question id to answer")
    notes = data.get("notes")
    if isinstance(notes, dict):
        for key, value in notes.items():
            _read_note(result, problems, str(key), value)
    elif notes is not None:
        problems.add(("notes",), "notes must be a mapping of question id to text")
    result.problems = problems.lines
    return result


def structure_error(source: str, lines: list[str]) -> AnswerError:
    """One error listing every problem of an answers file (structure and answers), by line."""
    count = len(lines)
    return AnswerError(
        source,
        f"{count} problem{'s' if count > 1 else ''} in the answers file:\n  "
        + "\n  ".join(in_line_order(lines)),
        hint="see the answers file example in the README",
    )


def _text_field(data: dict[str, Any], key: str, problems: _Problems) -> str | None:
    try:
        return _text(data.get(key))
    except ValueError:
        problems.add((key,), f"{key} must be text")
        return None


def _read_note(result: AnswersInput, problems: _Problems, key: str, value: object) -> None:
    try:
        text = _text(value)
    except ValueError:
        problems.add(("notes", key), f"the note on {key} must be text")
        return
    if text is not None:
        result.notes[key] = text
        result.note_lines[key] = problems.doc.locate(("notes", key)).line


def _respondent(value: object, problems: _Problems) -> Respondent | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = {"role": value}
    if not isinstance(value, dict):
        problems.add(("respondent",), "respondent must be a mapping like {role: manager}")
        return None
    roles = ", ".join(r.value for r in Role)
    unknown = sorted(set(map(str, value)) - {"role", "name", "unit"})
    if unknown:
        problems.add(
            ("respondent", unknown[0]),
            f"unknown key {unknown[0]!r} in respondent; it has role, name and unit",
        )
        return None
    role = value.get("role")
    if role is None:
        problems.add(("respondent",), f"respondent needs a role: one of {roles}")
        return None
    if not isinstance(role, str) or role not in {r.value for r in Role}:
        problems.add(("respondent", "role"), f"role {role!r} is not one of {roles}")
        return None
    try:
        name = _text(value.get("name"))
    except ValueError:
        problems.add(("respondent", "name"), "the respondent's name must be text")
        return None
    try:
        unit = _text(value.get("unit"))
    except ValueError:
        problems.add(("respondent", "unit"), "the respondent's unit must be text (a unit id)")
        return None
    return Respondent(role=Role(role), name=name, unit=unit)

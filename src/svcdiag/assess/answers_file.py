"""Read an ``--answers`` file (or a findings file given as one) into checked parts.

The file has the shape of :class:`~svcdiag.models.findings.AnswersFile`. A
findings file is accepted as well: the keys only a findings file has
(``schema_version``, ``questionnaire``, times, analysis) are ignored, so a
finished assessment can be run again or continued from its findings.

Every problem of the file's structure, and every number in a notation the
YAML reader refuses (``0x0A``, ``010``, ``4:00``), is kept with its place and
reported at once with those of the answer values, which are checked against
the questionnaire by :func:`svcdiag.assess.answers.validate_answers`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from svcdiag.assess.answers import in_line_order
from svcdiag.errors import AnswerError
from svcdiag.models.findings import AnswersFile, Findings, Respondent, Role
from svcdiag.source.yamlsource import YamlDocument, YamlFileError, load_file, parse_text, read_bytes

_ANSWER_KEYS = tuple(AnswersFile.model_fields)
#: The reader's own composer (libyaml's when PyYAML has it): the same nodes, the same marks.
_COMPOSER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NUMBER_TAGS = frozenset({"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"})
#: Where a value stands in the document: its keys and list indexes from the top.
Where = tuple[str | int, ...]
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


@dataclass(frozen=True)
class _Refused:
    """A number the YAML reader refuses (``0x0A``, ``010``, ``4:00``), placed in the text."""

    where: Where
    start: int
    end: int
    value: str
    problem: str


class _Problems:
    def __init__(self, doc: YamlDocument, refused: list[_Refused]) -> None:
        self.doc = doc
        self.refused = {number.where for number in refused}
        self.lines: list[str] = [number.problem for number in refused]

    def covers(self, path: Where) -> bool:
        """Whether a refused number stands at ``path`` or within it (its problem is said)."""
        return any(where[: len(path)] == path for where in self.refused)

    def add(self, path: Where, message: str) -> None:
        if self.covers(path):  # said already: the number's notation is the problem
            return
        self.lines.append(f"line {self.doc.locate(path).line}: {message}")


def _load(path: Path) -> tuple[YamlDocument, list[_Refused]]:
    """Parse ``path``, with every number in a notation the reader refuses, not only the first.

    The reader stops at the first (``board_vision: 0x0A``). Then each such
    number is found, checked by the reader itself (:func:`parse_text` of its
    text alone), and quoted, so that the rest of the file is read and its
    other problems are listed with these. Quoting moves no line, and only
    lines are taken from the document read.

    Raises:
        YamlFileError: the file cannot be read as YAML for another reason.
    """
    try:
        return load_file(path), []
    except YamlFileError as err:
        if err.reason != "value":
            raise
        first = err
    text = read_bytes(path).decode("utf-8-sig")  # read and decoded once already
    try:
        refused = _refused_numbers(str(path), text)
    except RecursionError:
        raise first from None
    if not refused:
        raise first
    return parse_text(_quoted(text, refused), str(path)), refused


def _refused_numbers(shown: str, text: str) -> list[_Refused]:
    """The values of ``text`` that the reader refuses as numbers, in the order they stand."""
    refused: list[_Refused] = []
    top = yaml.compose(text, Loader=_COMPOSER)
    for where, node in _number_nodes(top, (), set()) if top is not None else ():
        start, end = node.start_mark.index, node.end_mark.index
        try:
            parse_text(text[start:end])
        except YamlFileError as err:
            if err.reason != "value":
                continue
            line, col = node.start_mark.line + 1, node.start_mark.column + 1
            said = f"{err.detail}; {err.hint}" if err.hint else err.detail
            refused.append(_Refused(where, start, end, node.value, f"{shown}:{line}:{col}: {said}"))
    return refused


def _number_nodes(node: yaml.Node, where: Where, seen: set[int]) -> Iterator[tuple[Where, Any]]:
    """Every value node of ``node`` that YAML reads as a number (each node once)."""
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        if node.tag in _NUMBER_TAGS:
            yield where, node
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _number_nodes(item, (*where, index), seen)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:  # a key is a name, kept as written by the reader
            yield from _number_nodes(value, (*where, str(key.value)), seen)


def _quoted(text: str, refused: list[_Refused]) -> str:
    """``text`` with each refused number quoted, read as the text it shows."""
    for number in sorted(refused, key=lambda n: n.start, reverse=True):
        quoted = "'" + number.value.replace("'", "''") + "'"
        text = text[: number.start] + quoted + text[number.end :]
    return text


def read_answers_file(path: Path) -> AnswersInput:
    """Read ``path`` and check its structure.

    Problems of the structure (a bad role, an unknown key) do not stop the
    reading: they are kept in ``problems``, so that :func:`svcdiag.assess.batch.collect`
    reports them together with every problem of the answers themselves.

    Raises:
        InputFileError: The file cannot be read or is not YAML.
        AnswerError: The file is not a mapping at all.
    """
    doc, refused = _load(path)
    data = doc.data
    shown = str(path)
    if not isinstance(data, dict):
        raise AnswerError(
            shown,
            "an answers file is a mapping with organisation, respondent, answers and notes",
            line=1,
            hint="see the example in the README",
        )
    problems = _Problems(doc, refused)
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
        kept = {str(k): v for k, v in answers.items() if not problems.covers(("answers", str(k)))}
        result.answers = kept
        result.lines = {k: doc.locate(("answers", k)).line for k in kept}
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

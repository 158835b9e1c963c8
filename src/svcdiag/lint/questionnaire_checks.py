"""Checks on a questionnaire beyond its schema: ids, conditions, evidence, coverage.

The schema (pydantic) errors of the whole document are reported first. Then
every question that is valid on its own is checked against the others, so
that one broken question does not hide the problems of the rest.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from svcdiag.lint.catalogue_checks import CatalogueIds
from svcdiag.lint.reporter import Reporter
from svcdiag.lint.schema_errors import report_validation_error
from svcdiag.models.questionnaire import (
    OPTION_TYPES,
    Condition,
    Question,
    Questionnaire,
    QuestionType,
)
from svcdiag.source.yamlsource import Path_

_SCALE_RANGE = {QuestionType.likert: (1.0, 5.0), QuestionType.scale: (0.0, 10.0)}


@dataclass
class _Entry:
    """A question as found in the file: where it is, its raw id, and its model if valid."""

    path: Path_
    order: int
    raw_id: str | None
    model: Question | None


def check_questionnaire(reporter: Reporter, catalogue: CatalogueIds | None) -> None:
    """Report every problem of the questionnaire document held by ``reporter``."""
    data = reporter.doc.data
    if not isinstance(data, dict):
        reporter.value((), "SD103", "a questionnaire must be a mapping at its top level")
        return
    try:
        Questionnaire.model_validate(data)
    except ValidationError as err:
        report_validation_error(err, data, reporter, Questionnaire)

    entries = list(_entries(reporter, data))
    by_id: dict[str, _Entry] = {}
    for entry in entries:
        if entry.raw_id is None:
            continue
        if entry.raw_id in by_id:
            first = reporter.doc.locate((*by_id[entry.raw_id].path, "id"))
            reporter.value(
                (*entry.path, "id"),
                "SD301",
                f"duplicate question id '{entry.raw_id}' (first used on line {first.line})",
                "give every question its own id",
            )
        else:
            by_id[entry.raw_id] = entry

    for entry in entries:
        if entry.model is not None:
            _check_question(reporter, entry, by_id, catalogue)

    questions = [e.model for e in entries if e.model is not None]
    _check_whole(reporter, data, questions, catalogue)


def _entries(reporter: Reporter, data: dict[str, Any]) -> Iterator[_Entry]:
    sections = data.get("sections")
    if not isinstance(sections, list):
        return
    section_ids: dict[str, int] = {}
    order = 0
    for si, section in enumerate(sections):
        if not isinstance(section, dict):
            continue
        sid = section.get("id")
        if isinstance(sid, str):
            if sid in section_ids:
                first = reporter.doc.locate(("sections", section_ids[sid], "id"))
                reporter.value(
                    ("sections", si, "id"),
                    "SD300",
                    f"duplicate section id '{sid}' (first used on line {first.line})",
                )
            else:
                section_ids[sid] = si
        questions = section.get("questions")
        if not questions:
            reporter.key(
                ("sections", si, "questions") if "questions" in section else ("sections", si),
                "SD304",
                f"section '{sid}' has no questions",
                "add questions or remove the section",
            )
            continue
        if not isinstance(questions, list):
            continue
        for qi, raw in enumerate(questions):
            path: Path_ = ("sections", si, "questions", qi)
            raw_id = raw.get("id") if isinstance(raw, dict) else None
            try:
                model: Question | None = Question.model_validate(raw)
            except ValidationError:
                model = None  # already reported by the whole-document validation
            yield _Entry(path, order, raw_id if isinstance(raw_id, str) else None, model)
            order += 1


def _check_question(
    reporter: Reporter, entry: _Entry, by_id: dict[str, _Entry], catalogue: CatalogueIds | None
) -> None:
    q = entry.model
    assert q is not None
    path = entry.path
    if q.type in OPTION_TYPES:
        if not q.options:
            reporter.key(
                (*path, "type"),
                "SD311",
                f"{q.type.value} question '{q.id}' has no options",
                "add 'options:' with an id and label for each",
            )
    elif q.options is not None:
        reporter.key(
            (*path, "options"),
            "SD310",
            f"{q.type.value} question '{q.id}' takes no options",
            "remove 'options', or make the question a choice or multi_choice",
        )
    seen_options: dict[str, int] = {}
    for oi, option in enumerate(q.options or ()):
        if option.id in seen_options:
            reporter.value(
                (*path, "options", oi, "id"),
                "SD302",
                f"duplicate option id '{option.id}' in question '{q.id}'",
            )
        seen_options.setdefault(option.id, oi)
        for ei, ev in enumerate(option.evidence):
            _check_target(
                reporter,
                (*path, "options", oi, "evidence", ei),
                ev.factor,
                ev.characteristic,
                catalogue,
            )
    if q.evidence:
        reason = None
        if q.type in OPTION_TYPES:
            reason = "put evidence on the options of a choice question"
        elif q.type is QuestionType.text:
            reason = "a text answer cannot be scored"
        elif q.type is QuestionType.number and (q.min is None or q.max is None):
            reason = "give the number question 'min' and 'max' so answers have a scale"
        if reason:
            reporter.key((*path, "evidence"), "SD312", f"question '{q.id}': {reason}")
    for ei, sev in enumerate(q.evidence):
        _check_target(reporter, (*path, "evidence", ei), sev.factor, sev.characteristic, catalogue)
    if q.min is not None and q.max is not None and q.min > q.max:
        reporter.key((*path, "min"), "SD314", f"question '{q.id}': min {q.min} exceeds max {q.max}")
    if q.default is not None:
        problem = _default_problem(q, q.default)
        if problem:
            reporter.value((*path, "default"), "SD313", f"question '{q.id}': {problem}")
    if q.when is not None:
        _check_condition(reporter, q.when, (*path, "when"), entry, by_id)


def _check_target(
    reporter: Reporter,
    path: Path_,
    factor: str | None,
    characteristic: str | None,
    catalogue: CatalogueIds | None,
) -> None:
    if catalogue is None:
        return
    if factor is not None and catalogue.factors is not None and factor not in catalogue.factors:
        reporter.value(
            (*path, "factor"),
            "SD330",
            f"unknown cause factor '{factor}'",
            _suggest(factor, catalogue.factors, "factors.yaml"),
        )
    if (
        characteristic is not None
        and catalogue.characteristics is not None
        and characteristic not in catalogue.characteristics
    ):
        reporter.value(
            (*path, "characteristic"),
            "SD331",
            f"unknown benchmark characteristic '{characteristic}'",
            _suggest(characteristic, catalogue.characteristics, "characteristics.yaml"),
        )


def _suggest(name: str, known: set[str], where: str) -> str:
    import difflib

    close = difflib.get_close_matches(name, sorted(known), n=1)
    return f"did you mean '{close[0]}'?" if close else f"use an id defined in {where}"


def _check_condition(
    reporter: Reporter, cond: Condition, path: Path_, entry: _Entry, by_id: dict[str, _Entry]
) -> None:
    for key, group in (("all", cond.all), ("any", cond.any)):
        for i, sub in enumerate(group or ()):
            _check_condition(reporter, sub, (*path, key, i), entry, by_id)
    if cond.not_ is not None:
        _check_condition(reporter, cond.not_, (*path, "not"), entry, by_id)
    if cond.question is None:
        return
    target = by_id.get(cond.question)
    if target is None:
        reporter.value(
            (*path, "question"),
            "SD320",
            f"'when' names unknown question '{cond.question}'",
            _suggest(cond.question, set(by_id), "this questionnaire"),
        )
        return
    if target.order >= entry.order:
        what = "itself" if target is entry else "a question asked later"
        reporter.value(
            (*path, "question"),
            "SD321",
            f"'when' of '{entry.raw_id}' depends on {what} ('{cond.question}')",
            "a condition may only look at questions asked before it",
        )
        return
    if target.model is not None:
        problem = _never_given(cond, target.model)
        if problem:
            test = next(
                k
                for k in ("equals", "one_of", "at_least", "at_most", "unknown")
                if getattr(cond, k) is not None
            )
            reporter.value((*path, test), "SD322", problem)


def _never_given(cond: Condition, q: Question) -> str | None:
    """Why ``cond`` can never hold for answers to ``q`` (None when it can)."""
    values = [cond.equals] if cond.equals is not None else list(cond.one_of or ())
    for value in values:
        problem = _value_problem(q, value)
        if problem:
            return f"'{q.id}' can never answer {value!r}: {problem}"
    low, high = _numeric_range(q)
    for key, bound in (("at_least", cond.at_least), ("at_most", cond.at_most)):
        if bound is None:
            continue
        if low is None or high is None:
            return f"'{key}' needs a numeric question, but '{q.id}' is {q.type.value}"
        if (key == "at_least" and bound > high) or (key == "at_most" and bound < low):
            return (
                f"'{q.id}' answers lie between {low:g} and {high:g}, so {key} {bound:g} never holds"
            )
    if cond.unknown and not q.allow_unknown:
        return f"'{q.id}' does not allow 'unknown' answers (set allow_unknown: true)"
    return None


def _numeric_range(q: Question) -> tuple[float | None, float | None]:
    if q.type in _SCALE_RANGE:
        return _SCALE_RANGE[q.type]
    if q.type is QuestionType.number:
        return (
            q.min if q.min is not None else float("-inf"),
            q.max if q.max is not None else float("inf"),
        )
    return (None, None)


def _value_problem(q: Question, value: object) -> str | None:
    """Why ``value`` is never one answer of ``q`` (None when it can be)."""
    if q.type in OPTION_TYPES:
        ids = list(dict.fromkeys(o.id for o in q.options or ()))
        if not isinstance(value, str) or value not in ids:
            return f"allowed options are {', '.join(ids) or '(none)'}"
        return None
    if q.type is QuestionType.yes_no:
        return None if isinstance(value, bool) else "use true or false"
    if q.type is QuestionType.text:
        return None if isinstance(value, str) else "a text answer is a string"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "expected a number"
    low, high = _numeric_range(q)
    assert low is not None and high is not None
    if (q.type in _SCALE_RANGE or q.integer) and value != int(value):
        return f"answers are whole numbers from {low:g} to {high:g}"
    if not low <= value <= high:
        return f"answers lie between {low:g} and {high:g}"
    return None


def _default_problem(q: Question, default: object) -> str | None:
    if q.type is QuestionType.multi_choice:
        if not isinstance(default, list):
            return "the default of a multi_choice question is a list of option ids"
        for item in default:
            problem = _value_problem(q, item)
            if problem:
                return f"default {item!r} is not an option: {problem}"
        return None
    problem = _value_problem(q, default)
    return f"default {default!r} is not a valid answer: {problem}" if problem else None


def _check_whole(
    reporter: Reporter,
    data: dict[str, Any],
    questions: list[Question],
    catalogue: CatalogueIds | None,
) -> None:
    kind = data.get("kind", "diagnostic")
    # A follow-up scope question (one with a condition, such as "a few people as
    # well?") adds a second place to a first answer; two unconditional ones compete.
    scope_questions = [
        q.id for q in questions if q.when is None and any(o.scope for o in q.options or ())
    ]
    if len(scope_questions) > 1:
        reporter.key(
            ("sections",),
            "SD343",
            f"several unconditional questions carry 'scope' options ({', '.join(scope_questions)})",
            "the diagnosis reads the widest scope given; keep one scope question, and make "
            "any other a follow-up with a 'when' condition",
        )
    if kind == "triage":
        if not any(o.route for q in questions for o in q.options or ()):
            reporter.key(("kind",), "SD342", "triage questionnaire gives no route on any option")
        return
    if catalogue is None or not isinstance(data.get("sections"), list):
        return
    covered_chars: set[str] = set()
    covered_factors: set[str] = set()
    for q in questions:
        targets = [(e.factor, e.characteristic) for e in q.evidence]
        targets += [(e.factor, e.characteristic) for o in q.options or () for e in o.evidence]
        covered_factors.update(f for f, _ in targets if f)
        covered_chars.update(c for _, c in targets if c)
    for cid in sorted((catalogue.characteristics or set()) - covered_chars):
        reporter.key(
            ("sections",),
            "SD340",
            f"benchmark characteristic '{cid}' is covered by no question",
            "add evidence toward it, or this questionnaire cannot score it",
        )
    uncovered = sorted((catalogue.factors or set()) - covered_factors)
    if uncovered:
        reporter.key(
            ("sections",),
            "SD341",
            f"{len(uncovered)} cause factor(s) covered by no question: {', '.join(uncovered)}",
            "fine for a focused questionnaire; the report marks them 'insufficient evidence'",
        )

"""Import a survey export into an engagement: check every row, keep out the bad ones.

:func:`import_responses` reads the export (:mod:`~svcdiag.survey.platforms`),
maps its columns (:mod:`~svcdiag.survey.mapping`) and checks every row with
the rules of an answers file (:func:`svcdiag.assess.answers.validate_answer`;
answers to questions whose ``when`` does not hold are dropped, as from an
answers file). Then:

* a row with any problem is kept out and written, with every problem (line,
  column, question, what is allowed), to a rejects file beside the export;
* a row already imported (same submission id, or for platforms without one
  the same sha256 of its cells) is counted as a duplicate and skipped, so
  importing an export twice adds nothing;
* the valid new rows are written to one new responses file, atomically, or
  nothing is written at all.

Columns that could identify a respondent are dropped unread: they go neither
into the responses, nor into the rejects file, nor into the row hash.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from svcdiag.assess.answers import validate_answer
from svcdiag.assess.flow import Flow
from svcdiag.definitions.loading import Loaded, load_questionnaire
from svcdiag.errors import AnswerError, DataError, InputFileError, UsageError
from svcdiag.models.engagement import ENGAGEMENT_FILE, RESPONSES_DIR, EngagementFile
from svcdiag.models.findings import UNKNOWN, AnswerValue, Role
from svcdiag.models.questionnaire import Question, QuestionType
from svcdiag.models.responses import ResponsesFile, ResponsesQuestionnaire, ResponsesSource
from svcdiag.slugs import slugify
from svcdiag.source.nofollow import inside, write_new
from svcdiag.survey.decoding import CellError, decode, decode_known
from svcdiag.survey.engagement_dir import LINK_HINT, load_engagement, questionnaire_ref
from svcdiag.survey.file_kinds import refuse_structured
from svcdiag.survey.formats import PLATFORM_NAMES, Platform
from svcdiag.survey.mapping import Column, ColumnPlan, Kind, Mapping, map_columns, read_mapping
from svcdiag.survey.platforms import LAYOUTS, Table, detect, open_export
from svcdiag.survey.rejects import REJECTS_COLUMNS, as_export, guard, is_rejects
from svcdiag.survey.store import existing_ids, responses_json
from svcdiag.survey.xlsform import ROLE_LABELS
from svcdiag.textsafe import CsvWriter, path_text

#: Problems shown in the summary; the rejects file has them all.
SHOWN_PROBLEMS = 10
_TRUE_CELLS = frozenset({"1", "true", "yes"})


@dataclass
class ImportResult:
    """What an import did."""

    engagement: Path
    export: Path
    platform: Platform
    detected: bool
    read: int = 0
    imported: int = 0
    rejected: int = 0
    duplicates: int = 0
    dropped_columns: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    responses_file: Path | None = None
    rejects_file: Path | None = None
    rejects_unchanged: bool = False
    #: The file imported was a rejects file of an earlier import (its own columns left out).
    from_rejects: bool = False
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Rejected:
    line: int
    problems: list[str]
    cells: list[str]


class _RowChecker:
    """Check one row at a time against the questionnaire and the engagement."""

    def __init__(
        self,
        loaded: Loaded,
        engagement: EngagementFile,
        plan: ColumnPlan,
        mapping: Mapping | None,
        role: Role | None,
    ) -> None:
        self.questions: dict[str, Question] = {q.id: q for q in loaded.questionnaire.questions()}
        self.flow = Flow(loaded.questionnaire)
        self.plan = plan
        self.answer_columns = [
            (column, self.questions[column.question])
            for column in plan.of(Kind.question)
            if column.question is not None
        ]
        self.column_of = {question.id: column for column, question in self.answer_columns}
        self.memo: dict[tuple[str, str], tuple[AnswerValue | None, str | None]] = {}
        self.companions = {
            column.question: column
            for column in plan.of(Kind.companion)
            if column.question is not None
        }
        self.options: dict[str, list[Column]] = {}
        for column in plan.of(Kind.option):
            assert column.question is not None
            self.options.setdefault(column.question, []).append(column)
        self.role_column = plan.first(Kind.role)
        self.unit_column = plan.first(Kind.unit)
        self.time_column = plan.first(Kind.time)
        self.role = role
        self.units = {unit.id: unit for unit in engagement.units}
        self.translations = {
            q: (mapping.values.get(q, {}) if mapping else {}) for q in self.questions
        }

    def _cell(self, question: Question, cell: str) -> tuple[AnswerValue | None, str | None]:
        """Read and check one cell: (stored answer, or None when empty; problem, or None).

        Reading and checking are pure, so the result for a (question, cell) pair
        is kept: a survey repeats the same few values in thousands of rows.
        """
        key = (question.id, cell)
        found = self.memo.get(key)
        if found is not None:
            return found
        try:
            value = decode(question, cell, self.translations[question.id])
            found = (None, None) if value is None else (validate_answer(question, value), None)
        except CellError as err:
            found = (None, str(err))
        except AnswerError as err:
            found = (None, err.detail)
        if question.type is not QuestionType.text:
            self.memo[key] = found
        return found

    def check(self, cells: list[str]) -> tuple[dict[str, Any] | None, list[str]]:
        """Return the response of ``cells`` and no problems, or None and every problem."""
        problems: list[str] = []
        answers: dict[str, AnswerValue] = {}
        for column, question in self.answer_columns:
            value, problem = self._cell(question, cells[column.index])
            if problem is not None:
                problems.append(f"{column.shown}: {question.id}: {problem}")
            elif value is not None:
                answers[question.id] = value
        for question_id, columns in self.options.items():
            chosen = [
                c.option
                for c in columns
                if c.option is not None and cells[c.index].strip().lower() in _TRUE_CELLS
            ]
            if chosen:
                self._check_raw(question_id, columns[0], chosen, answers, problems)
        for question_id, column in self.companions.items():
            try:
                known = decode_known(cells[column.index])
            except CellError as err:
                problems.append(f"{column.shown}: {question_id}: {err}; allowed: known, unknown")
                continue
            if known is False:
                own = self.column_of.get(question_id)
                if question_id in answers and own is not None:
                    problems.append(
                        f"{column.shown}: {question_id}: answered 'unknown' and also "
                        f"{cells[own.index].strip()!r}; give one of the two"
                    )
                self._check_raw(question_id, column, UNKNOWN, answers, problems)
        role = self._role(cells, problems)
        unit = self._unit(cells, problems)
        if not answers and not problems:
            problems.append("the row answers no question")
        if problems:
            return None, problems
        response: dict[str, Any] = {"id": "", "role": role, "unit": unit}
        response["submitted"] = self._time(cells)
        response["answers"] = self.flow.prune(answers).answers
        return response, []

    def _check_raw(
        self,
        question_id: str,
        column: Column,
        raw: object,
        answers: dict[str, AnswerValue],
        problems: list[str],
    ) -> None:
        try:
            answers[question_id] = validate_answer(self.questions[question_id], raw)
        except AnswerError as err:
            problems.append(f"{column.shown}: {question_id}: {err.detail}")

    def _role(self, cells: list[str], problems: list[str]) -> str | None:
        column = self.role_column
        text = cells[column.index].strip() if column is not None else ""
        if not text:
            if self.role is not None:
                return self.role.value
            where = f"{column.shown}: " if column is not None else ""
            problems.append(f"{where}no role given; allowed: {', '.join(r.value for r in Role)}")
            return None
        for role, label in ROLE_LABELS.items():
            if text == role.value or text.casefold() == label.casefold():
                return role.value
        assert column is not None
        problems.append(
            f"{column.shown}: {text!r} is not a role; allowed: {', '.join(r.value for r in Role)}"
        )
        return None

    def _unit(self, cells: list[str], problems: list[str]) -> str | None:
        column = self.unit_column
        if column is None:
            return None
        text = cells[column.index].strip()
        if not text:
            return None
        if text in self.units:
            return text
        named = [unit.id for unit in self.units.values() if unit.name.casefold() == text.casefold()]
        if len(named) == 1:
            return named[0]
        problems.append(
            f"{column.shown}: {text!r} is not a unit of the engagement; allowed: "
            + ", ".join(self.units)
        )
        return None

    def _time(self, cells: list[str]) -> str | None:
        if self.time_column is None:
            return None
        return parse_time(cells[self.time_column.index])


#: Time formats of the platforms' exports, tried in order after ISO 8601.
_TIME_FORMATS = (
    "%Y/%m/%d %I:%M:%S %p",
    "%Y/%m/%d %H:%M:%S",
    "%m/%d/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%b %d, %Y %I:%M:%S %p",
)


def parse_time(text: str) -> str | None:
    """The time in ``text`` as ISO 8601, or None when it is not a time we know."""
    value = text.strip()
    if not value:
        return None
    for suffix in (" GMT", " UTC"):
        value = value.removesuffix(suffix)
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat()
    except ValueError:
        pass
    for pattern in _TIME_FORMATS:
        found = _strptime(value, pattern)
        if found is not None:
            return found.isoformat()
    return None


def _strptime(value: str, pattern: str) -> datetime | None:
    try:
        return datetime.strptime(value, pattern)
    except ValueError:
        return None


def row_hash(plan: ColumnPlan, cells: list[str]) -> str:
    """sha256 of a row's cells with their headers, identifying columns left out."""
    kept = [[c.header, cells[c.index]] for c in plan.columns if c.kind is not Kind.drop]
    return hashlib.sha256(json.dumps(kept, ensure_ascii=False).encode("utf-8")).hexdigest()


def _submission_id(plan: ColumnPlan, cells: list[str]) -> str:
    column = plan.first(Kind.id)
    if column is not None and cells[column.index].strip():
        return cells[column.index].strip()
    return row_hash(plan, cells)


def _questionnaire_of(directory: Path, engagement: EngagementFile, warnings: list[str]) -> Loaded:
    loaded = load_questionnaire(questionnaire_ref(directory, engagement))
    if loaded.questionnaire.version != engagement.questionnaire.version:
        raise UsageError(
            f"{directory / ENGAGEMENT_FILE}: the engagement uses questionnaire "
            f"'{engagement.questionnaire.id}' version {engagement.questionnaire.version}, but "
            f"version {loaded.questionnaire.version} is the one available; responses checked "
            "against another version could not be combined with the engagement's interviews, "
            "so nothing was imported",
            hint=f"keep the version {engagement.questionnaire.version} definition in the "
            f"folder as {engagement.questionnaire.id}.yaml, or start a new engagement for "
            f"version {loaded.questionnaire.version}",
        )
    return loaded


def import_responses(
    engagement_dir: Path,
    export: Path,
    *,
    platform: Platform | None = None,
    mapping_file: Path | None = None,
    role: Role | None = None,
    delimiter: str | None = None,
    now: datetime | None = None,
) -> ImportResult:
    """Import the responses in ``export`` into the engagement at ``engagement_dir``.

    Args:
        engagement_dir: The engagement folder (holding ``engagement.yaml``).
        export: A CSV or XLSX export of the survey.
        platform: The platform's layout; detected from the header when None.
        mapping_file: A ``--mapping`` YAML file.
        role: The role of respondents whose row gives none.
        delimiter: The CSV delimiter; detected from the header when None.
        now: The time of the import (for the file name and the record).

    Raises:
        UsageError: The folder is not an engagement, a role or unit column is
            missing or not expected.
        InputFileError: The export or the mapping file cannot be read, or
            columns cannot be mapped (all listed).
        DataError: A CSV row is malformed (wrong number of fields).
    """
    moment = now or datetime.now(timezone.utc)
    engagement = load_engagement(engagement_dir)
    refuse_structured(export, engagement_dir)
    folder = engagement_dir / RESPONSES_DIR
    _check_folder(folder)
    warnings: list[str] = []
    loaded = _questionnaire_of(engagement_dir, engagement, warnings)
    mapping = read_mapping(mapping_file, loaded.questionnaire) if mapping_file else None
    try:
        with open_export(export, delimiter=delimiter) as opened:
            from_rejects = is_rejects(opened.header)
            table = as_export(opened) if from_rejects else opened
            chosen = platform or detect(table)
            plan = _plan(table, chosen, platform is not None, loaded, mapping)
            _check_plan(table, plan, engagement, role)
            result = ImportResult(
                engagement=engagement_dir,
                export=export,
                platform=chosen,
                detected=platform is None,
                dropped_columns=plan.headers(Kind.drop),
                ignored_columns=plan.headers(Kind.ignore),
                warnings=warnings,
                from_rejects=from_rejects,
            )
            known = existing_ids(folder)
            checker = _RowChecker(loaded, engagement, plan, mapping, role)
            responses, rejected = _read_rows(table, plan, checker, known, result)
    except DataError as err:  # a malformed file is bad input, not rows with problems
        raise InputFileError(
            err.path, f"{err.detail}; nothing was imported", line=err.line, hint=err.hint
        ) from None
    if responses:
        header = ResponsesFile(
            questionnaire=ResponsesQuestionnaire(
                id=loaded.questionnaire.id,
                version=loaded.questionnaire.version,
                sha256=loaded.sha256,
            ),
            source=ResponsesSource(
                platform=chosen.value,
                file=path_text(export.name),
                imported=moment,
                sha256=table.sha256,
                rows_read=result.read,
                rows_rejected=result.rejected,
                rows_duplicate=result.duplicates,
                dropped_columns=result.dropped_columns,
            ),
        )
        stem = f"{moment:%Y%m%d-%H%M%S}-{slugify(export.stem, fallback='export')}"
        target = _free_name(folder, stem, ".json")
        # through the folder's descriptor: a link swapped in for responses/ is refused
        target = inside(engagement_dir, RESPONSES_DIR, target.name, hint=LINK_HINT)
        write_new(target, responses_json(header, responses))
        result.responses_file = target
    if rejected:  # only once the responses are safely written: a failed import leaves nothing
        _write_rejects(export, table, plan, rejected, result)
    return result


def _check_folder(folder: Path) -> None:
    """Refuse an engagement whose ``responses`` is not a folder, before anything is read."""
    if os.path.lexists(folder) and not folder.is_dir():
        raise UsageError(
            f"{folder}: {RESPONSES_DIR} is not a folder; nothing was imported",
            hint=f"the imported responses are kept in the folder {folder}: move or rename "
            "the file that has its name, then import again",
        )


def _plan(
    table: Table, chosen: Platform, given: bool, loaded: Loaded, mapping: Mapping | None
) -> ColumnPlan:
    """Map the columns; when ``--from`` names a layout the header does not have, say so."""
    try:
        return map_columns(table, LAYOUTS[chosen], loaded.questionnaire, mapping)
    except InputFileError as err:
        looks = detect(table)
        if not given or looks in (chosen, Platform.csv):
            raise
        raise InputFileError(
            err.path,
            f"the header looks like a {PLATFORM_NAMES[looks]} export, not "
            f"{PLATFORM_NAMES[chosen]} (--from {chosen.value}); {err.detail}",
            line=err.line,
            hint=f"leave --from out to detect the layout, or give --from {looks.value}",
        ) from None


def _check_plan(
    table: Table, plan: ColumnPlan, engagement: EngagementFile, role: Role | None
) -> None:
    if plan.first(Kind.role) is None and role is None:
        raise UsageError(
            f"{table.path}: no column gives the respondent's role",
            hint="add a respondent_role column, map one in --mapping, or give every "
            "respondent's role with --role",
        )
    unit = plan.first(Kind.unit)
    if unit is not None and not engagement.units:
        raise UsageError(
            f"{table.path}: {unit.shown} gives units, but engagement.yaml lists none",
            hint="add the units to engagement.yaml, or map the column to 'ignore'",
        )
    if not plan.of(Kind.question) and not plan.of(Kind.option) and not plan.of(Kind.companion):
        raise UsageError(
            f"{table.path}: no column holds the answer to a question",
            hint="check that this is the export of the right survey, or map columns with --mapping",
        )


def _read_rows(
    table: Table,
    plan: ColumnPlan,
    checker: _RowChecker,
    known: set[str],
    result: ImportResult,
) -> tuple[list[dict[str, Any]], list[_Rejected]]:
    responses: list[dict[str, Any]] = []
    rejected: list[_Rejected] = []
    seen: set[str] = set()
    for line, cells in table.rows:
        result.read += 1
        submission = _submission_id(plan, cells)
        if submission in known or submission in seen:
            result.duplicates += 1
            continue
        response, problems = checker.check(cells)
        if response is None:
            result.rejected += 1
            rejected.append(_Rejected(line, problems, cells))
            if len(result.problems) < SHOWN_PROBLEMS:
                result.problems.extend(
                    f"{table.path}:{line}: {problem}"
                    for problem in problems[: SHOWN_PROBLEMS - len(result.problems)]
                )
            continue
        seen.add(submission)
        response["id"] = submission
        responses.append(response)
    result.imported = len(responses)
    return responses, rejected


def _free_name(folder: Path, stem: str, suffix: str) -> Path:
    candidate = folder / f"{stem}{suffix}"
    number = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{number}{suffix}"
        number += 1
    return candidate


def _write_rejects(
    export: Path,
    table: Table,
    plan: ColumnPlan,
    rejected: list[_Rejected],
    result: ImportResult,
) -> None:
    """Write the rejected rows beside the export, in a form import reads back (see rejects)."""
    kept = [c.index for c in plan.columns if c.kind is not Kind.drop]
    buffer = io.StringIO()
    writer = CsvWriter(buffer)
    writer.writerow([*REJECTS_COLUMNS, *(guard(table.header[i]) for i in kept)])
    import_ids = None  # Qualtrics' rows that map its columns, written as in its export
    if table.import_ids is not None:
        import_ids = [json.dumps({"ImportId": cell}) for cell in table.import_ids]
    for extra in (table.texts, import_ids):
        if extra is not None:
            writer.writerow(["", "", *(guard(extra[i]) if i < len(extra) else "" for i in kept)])
    for row in rejected:
        writer.writerow(
            [row.line, guard("; ".join(row.problems)), *(guard(row.cells[i]) for i in kept)]
        )
    text = buffer.getvalue()
    # a rejects file imported again keeps its name's one ".rejects"
    stem = export.stem if export.stem.endswith(".rejects") else f"{export.stem}.rejects"
    candidate = export.parent / f"{stem}.csv"
    number = 2
    while candidate.exists():
        try:
            if candidate.read_text(encoding="utf-8") == text:
                result.rejects_file = candidate
                result.rejects_unchanged = True
                return
        except (OSError, UnicodeDecodeError):
            pass
        candidate = export.parent / f"{stem}-{number}.csv"
        number += 1
    write_new(candidate, text)
    result.rejects_file = candidate

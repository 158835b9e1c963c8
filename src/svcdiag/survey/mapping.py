"""Map the columns of an export to question ids (and the respondent's role and unit).

A column is mapped, in this order, by:

1. the ``--mapping`` file (its header, or Qualtrics' ImportId or question text);
2. the platform's own columns: identifying ones (``Email Address``,
   ``_submitted_by``...) are dropped, bookkeeping ones ignored, the submission
   id and time kept;
3. its name: a question id, alone or at the end of a group path
   (``section/question``); KoboToolbox's ``section/question/option`` 0/1
   columns are read when the space-separated column is missing;
4. the exact text of a question (Google Forms, Qualtrics' second row).

Every column that none of these maps is listed in one error, and so is every
question that two columns claim.

A mapping file::

    columns:                      # header (or ImportId, or question text): target
      Q1: board_vision
      "How likely are you to recommend us?": nps_recommend
      Old question we removed: ignore
      Team: respondent_unit       # also respondent_role, response_id, submitted
    values:                       # per question: value in the export -> option id
      problem_scope:
        Everyone: widespread
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from svcdiag.errors import InputFileError
from svcdiag.models.questionnaire import Questionnaire, QuestionType
from svcdiag.source.yamlsource import load_file
from svcdiag.survey import fields
from svcdiag.survey.platforms import Layout, Table, is_identifying
from svcdiag.survey.template import ID_COLUMN
from svcdiag.survey.xlsform import ROLE_LABEL, UNIT_LABEL

IGNORE = "ignore"
TIME_TARGET = "submitted"


class Kind(str, Enum):
    """What a column holds."""

    question = "question"
    companion = "companion"
    option = "option"
    role = "role"
    unit = "unit"
    id = "id"
    time = "time"
    ignore = "ignore"
    drop = "drop"
    #: A 0/1 option column whose space-separated answer column is there too.
    spare = "spare"


@dataclass(frozen=True)
class Column:
    """One column of the export and what it maps to."""

    index: int
    header: str
    kind: Kind
    question: str | None = None
    option: str | None = None

    @property
    def shown(self) -> str:
        """The column as named in messages: ``column 4 'header'``."""
        return f"column {self.index + 1} {self.header!r}"


@dataclass
class Mapping:
    """A ``--mapping`` file: column targets and value translations."""

    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class ColumnPlan:
    """Every column of an export, mapped."""

    columns: list[Column]

    def of(self, kind: Kind) -> list[Column]:
        """The columns of ``kind``, in file order."""
        return [column for column in self.columns if column.kind is kind]

    def first(self, kind: Kind) -> Column | None:
        """The first column of ``kind``, if any."""
        found = self.of(kind)
        return found[0] if found else None

    def headers(self, kind: Kind) -> list[str]:
        """The headers of the columns of ``kind``."""
        return [column.header or f"column {column.index + 1}" for column in self.of(kind)]


_SPECIAL = {
    fields.ROLE_FIELD: Kind.role,
    fields.UNIT_FIELD: Kind.unit,
    ID_COLUMN: Kind.id,
    TIME_TARGET: Kind.time,
    IGNORE: Kind.ignore,
    fields.NOTE_FIELD: Kind.ignore,
}


def read_mapping(path: Path, questionnaire: Questionnaire) -> Mapping:
    """Read and check a ``--mapping`` file; every problem is listed with its line.

    Raises:
        InputFileError: The file is not YAML or does not have the shape above.
    """
    doc = load_file(path)
    doc.refuse_duplicates()
    data = doc.data
    problems: list[str] = []

    def add(where: tuple[str | int, ...], message: str) -> None:
        problems.append(f"line {doc.locate(where).line}: {message}")

    known = {q.id: q for q in questionnaire.questions()}
    targets = ", ".join(sorted(_SPECIAL))
    mapping = Mapping()
    if not isinstance(data, dict):
        raise InputFileError(
            path, "a mapping file is a mapping with 'columns' and 'values'", line=1
        )
    for key in data:
        if key not in ("columns", "values"):
            add((key,), f"unknown key {key!r}; a mapping file has columns and values")
    columns = data.get("columns", {})
    if not isinstance(columns, dict):
        add(("columns",), "columns must map a column header to a question id")
        columns = {}
    for header, target in columns.items():
        if not isinstance(target, str) or (target not in known and target not in _SPECIAL):
            close = difflib.get_close_matches(str(target), list(known), n=1)
            guess = f" (did you mean {close[0]}?)" if close else ""
            add(
                ("columns", header),
                f"{target!r} is neither a question id of {questionnaire.id} nor one of "
                f"{targets}{guess}",
            )
            continue
        mapping.columns[str(header)] = target
    values = data.get("values", {})
    if not isinstance(values, dict):
        add(("values",), "values must map a question id to {value in the export: option id}")
        values = {}
    for question_id, table in values.items():
        if str(question_id) not in known:
            add(("values", question_id), f"no question {question_id!r} in {questionnaire.id}")
            continue
        if not isinstance(table, dict):
            add(("values", question_id), "give {value in the export: answer} pairs")
            continue
        mapping.values[str(question_id)] = {str(k): str(v) for k, v in table.items()}
    if problems:
        count = len(problems)
        raise InputFileError(
            path,
            f"{count} problem{'s' if count > 1 else ''} in the mapping file:\n  "
            + "\n  ".join(problems),
            hint="see 'svcdiag survey import --help' for the format",
        )
    return mapping


def _normal(text: str) -> str:
    return " ".join(text.split())


class _Mapper:
    def __init__(self, questionnaire: Questionnaire, layout: Layout, mapping: Mapping) -> None:
        self.layout = layout
        self.mapping = mapping
        self.questions = {q.id: q for q in questionnaire.questions()}
        self.companions = {
            fields.companion_name(q): q.id
            for q in self.questions.values()
            if fields.has_companion(q)
        }
        texts: dict[str, list[str]] = defaultdict(list)
        for question in self.questions.values():
            texts[_normal(question.text)].append(question.id)
        self.by_text = {text: ids[0] for text, ids in texts.items() if len(ids) == 1}
        self.by_text.setdefault(_normal(ROLE_LABEL), fields.ROLE_FIELD)
        self.by_text.setdefault(_normal(UNIT_LABEL), fields.UNIT_FIELD)

    def target(self, name: str) -> tuple[Kind, str | None] | None:
        if name in _SPECIAL:
            return _SPECIAL[name], None
        if name in self.questions:
            return Kind.question, name
        if name in self.companions:
            return Kind.companion, self.companions[name]
        return None

    def column(
        self, index: int, header: str, text: str | None, import_id: str | None
    ) -> Column | None:
        for key in (header, import_id, text):
            if key is not None and key in self.mapping.columns:
                kind, question = self.target(self.mapping.columns[key]) or (Kind.ignore, None)
                return Column(index, header, kind, question)
        if not header.strip():
            return Column(index, header, Kind.ignore)
        if is_identifying(self.layout, header):
            found = self.by_name(index, header)
            if found is None or found.kind is not Kind.option:  # a 0/1 column of option 'email'
                return Column(index, header, Kind.drop)
            return found
        if header in self.layout.id_columns:
            return Column(index, header, Kind.id)
        if header in self.layout.time_columns:
            return Column(index, header, Kind.time)
        if header in self.layout.metadata:
            return Column(index, header, Kind.ignore)
        found = self.by_name(index, header)
        if found is not None:
            return found
        for candidate in (text, header):
            if candidate is not None and _normal(candidate) in self.by_text:
                name = self.by_text[_normal(candidate)]
                kind, question = self.target(name) or (Kind.ignore, None)
                return Column(index, header, kind, question)
        return None

    def by_name(self, index: int, header: str) -> Column | None:
        direct = self.target(header)
        if direct is not None:
            return Column(index, header, direct[0], direct[1])
        if not self.layout.path_separators:
            return None
        # Ids hold neither '/' nor '-', so a path may be split at both at once
        # (ODK Central writes 'group-question/option').
        parts = re.split("|".join(map(re.escape, self.layout.path_separators)), header)
        if len(parts) < 2:
            return None
        found = self.target(parts[-1])
        if found is not None:
            return Column(index, header, found[0], found[1])
        parent = self.questions.get(parts[-2])
        if parent is not None and parent.type is QuestionType.multi_choice:
            options = {choice.name for choice in fields.choices(parent)}
            if parts[-1] in options:
                return Column(index, header, Kind.option, parent.id, parts[-1])
        return None


def map_columns(
    table: Table, layout: Layout, questionnaire: Questionnaire, mapping: Mapping | None = None
) -> ColumnPlan:
    """Map every column of ``table``; report all that cannot be mapped at once.

    Raises:
        InputFileError: Columns that cannot be mapped, or several columns for one
            question, all listed, with a hint.
    """
    mapper = _Mapper(questionnaire, layout, mapping or Mapping())
    columns: list[Column] = []
    unmapped: list[str] = []
    for index, header in enumerate(table.header):
        text = table.texts[index] if table.texts and index < len(table.texts) else None
        import_id = (
            table.import_ids[index] if table.import_ids and index < len(table.import_ids) else None
        )
        column = mapper.column(index, header, text, import_id)
        if column is None:
            close = difflib.get_close_matches(header, list(mapper.questions), n=1)
            guess = f" (did you mean {close[0]}?)" if close else ""
            unmapped.append(f"column {index + 1} {header!r}{guess}")
            continue
        columns.append(column)
    problems = [
        f"{entry}: no question of {questionnaire.id} has this name or text" for entry in unmapped
    ]
    problems.extend(_claimed_twice(columns))
    if problems:
        raise InputFileError(
            table.path,
            f"{len(problems)} column{'s' if len(problems) > 1 else ''} cannot be mapped to "
            f"the questions of {questionnaire.id} {questionnaire.version}:\n  "
            + "\n  ".join(problems),
            line=1,
            hint="map them in a --mapping file (columns: {HEADER: question_id}); write "
            "'ignore' for a question that has been removed from the questionnaire",
        )
    return ColumnPlan(_keep_first(columns, layout))


def _claimed_twice(columns: list[Column]) -> list[str]:
    claims: dict[tuple[Kind, str | None, str | None], list[Column]] = defaultdict(list)
    for column in columns:
        if column.kind in (Kind.question, Kind.companion, Kind.option, Kind.role, Kind.unit):
            claims[(column.kind, column.question, column.option)].append(column)
    problems = []
    for (kind, question, _), claimants in claims.items():
        if len(claimants) > 1:
            what = question if kind in (Kind.question, Kind.option, Kind.companion) else kind.value
            shown = " and ".join(column.shown for column in claimants)
            problems.append(
                f"{shown} are both read as {what}; keep one, or map the other to 'ignore'"
            )
    return problems


def _keep_first(columns: list[Column], layout: Layout) -> list[Column]:
    """Keep one id and one time column, and option columns only where needed.

    The id and time columns kept are the platform's favourites; 0/1 option
    columns are read only where the answer column is missing.
    """
    best: dict[Kind, int] = {}
    for kind, preferred in ((Kind.id, layout.id_columns), (Kind.time, layout.time_columns)):
        candidates = [c for c in columns if c.kind is kind]
        if candidates:
            rank = {name: place for place, name in enumerate(preferred)}
            best[kind] = min(candidates, key=lambda c: rank.get(c.header, -1)).index
    answered = {column.question for column in columns if column.kind is Kind.question}
    kept: list[Column] = []
    for column in columns:
        if column.kind in best and column.index != best[column.kind]:
            column = Column(column.index, column.header, Kind.ignore)
        elif column.kind is Kind.option and column.question in answered:
            column = Column(column.index, column.header, Kind.spare)
        kept.append(column)
    return kept

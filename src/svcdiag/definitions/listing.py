"""Summaries of the questionnaires available: shipped ones and those in a folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from svcdiag.errors import InputFileError, UsageError
from svcdiag.models.questionnaire import Questionnaire
from svcdiag.source.resources import questionnaire_files, shipped_dir
from svcdiag.source.yamlsource import load_file


@dataclass(frozen=True)
class QuestionnaireSummary:
    """One line of ``svcdiag list``."""

    id: str
    title: str
    version: str
    questions: int
    source: str
    problem: str | None = None


#: Keys only a questionnaire has at its top level (answers and findings files have neither).
_QUESTIONNAIRE_KEYS = frozenset({"sections", "kind"})


def summarise(path: Path, source: str) -> QuestionnaireSummary | None:
    """Summarise one questionnaire file; an invalid one says so instead of failing.

    A YAML file that is plainly something else (an answers or findings file,
    a saved result: a mapping without ``sections``) gives ``None``: a folder
    of examples is not a folder of broken questionnaires.
    """
    try:
        data = load_file(path).data
    except InputFileError:
        data = None
    else:
        if not isinstance(data, dict) or not _QUESTIONNAIRE_KEYS & set(data):
            return None
    try:
        q = Questionnaire.model_validate(data)
    except ValidationError:
        return QuestionnaireSummary(
            path.stem,
            "",
            "",
            0,
            source,
            problem=f"not a valid questionnaire: run 'svcdiag lint {path}'",
        )
    return QuestionnaireSummary(q.id, q.title, q.version, len(q.questions()), source)


def list_questionnaires(directory: Path | None = None) -> list[QuestionnaireSummary]:
    """The shipped questionnaires, then those in ``directory`` if given.

    Files of ``directory`` that are the shipped files themselves (``--dir``
    naming the shipped folder, or a link to it) are listed once, as shipped.
    """
    shipped = questionnaire_files(shipped_dir())
    found = [s for s in (summarise(p, "shipped") for p in shipped) if s is not None]
    if directory is not None:
        if not directory.is_dir():
            raise UsageError(f"{directory}: not a folder", hint="give --dir an existing folder")
        seen = {p.resolve() for p in shipped}
        for path in questionnaire_files(directory):
            if path.resolve() in seen:
                continue
            summary = summarise(path, str(path))
            if summary is not None:
                found.append(summary)
    return found

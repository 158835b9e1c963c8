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


def summarise(path: Path, source: str) -> QuestionnaireSummary:
    """Summarise one questionnaire file; an invalid one says so instead of failing."""
    try:
        q = Questionnaire.model_validate(load_file(path).data)
    except (InputFileError, ValidationError):
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
    """The shipped questionnaires, then those in ``directory`` if given."""
    found = [summarise(p, "shipped") for p in questionnaire_files(shipped_dir())]
    if directory is not None:
        if not directory.is_dir():
            raise UsageError(f"{directory}: not a folder", hint="give --dir an existing folder")
        found.extend(summarise(p, str(p)) for p in questionnaire_files(directory))
    return found

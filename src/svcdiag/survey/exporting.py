"""``svcdiag survey export``: write a questionnaire as an XLSForm or a CSV template.

The questionnaire comes from a shipped id, a file, or an engagement folder
(whose questionnaire, anonymity floor and units the form then uses). Every
file is written atomically and never replaces an existing one unless forced;
the CSV template and its question list are both checked before either is
written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from svcdiag.atomicio import check_target, write_new
from svcdiag.definitions.loading import Loaded, load_questionnaire
from svcdiag.errors import UsageError
from svcdiag.models.engagement import EngagementFile
from svcdiag.survey.engagement_dir import load_engagement, questionnaire_ref
from svcdiag.survey.formats import ExportFormat
from svcdiag.survey.template import build_template, questions_csv, template_csv
from svcdiag.survey.xlsform import build_form, xlsx_bytes


@dataclass
class ExportResult:
    """What an export wrote."""

    questionnaire: str
    version: str
    questions: int
    files: list[Path] = field(default_factory=list)
    organisation: str | None = None
    units: int = 0
    anonymity_floor: int | None = None


def _source(ref: str) -> tuple[Loaded, EngagementFile | None]:
    path = Path(ref)
    if path.is_dir():
        engagement = load_engagement(path)  # names what is missing in a plain folder
        return load_questionnaire(questionnaire_ref(path, engagement)), engagement
    return load_questionnaire(ref), None


def questions_path(output: Path) -> Path:
    """The question list written beside a CSV template ``output``."""
    return output.with_name(f"{output.stem}.questions.csv")


#: The format each file ending names.
SUFFIX_FORMATS = {".xlsx": ExportFormat.xlsform, ".csv": ExportFormat.csv}


def export_format(chosen: ExportFormat | None, output: Path) -> ExportFormat:
    """The format to write, by :func:`svcdiag.source.output_names.format_for`'s rule.

    Raises:
        UsageError: ``chosen`` contradicts the ending (CSV text in an ``.xlsx``
            file, say), or nothing says which format to write.
    """
    from svcdiag.source.output_names import format_for

    return format_for(chosen, output, suffixes=SUFFIX_FORMATS, default=ExportFormat.xlsform)


def export_survey(
    ref: str, fmt: ExportFormat | None, output: Path, *, force: bool = False
) -> ExportResult:
    """Export the questionnaire ``ref`` (id, file or engagement folder) to ``output``.

    Args:
        ref: A shipped questionnaire id, a questionnaire file or an engagement folder.
        fmt: What to write; None: the format ``output``'s ending names.
        output: The file to write.
        force: Replace files that exist.

    Raises:
        UsageError: ``ref`` names nothing usable, or ``output`` has the wrong ending.
        OverwriteError: A file to write exists and ``force`` is false.
        DefinitionError: The questionnaire does not lint.
    """
    fmt = export_format(fmt, output)
    loaded, engagement = _source(ref)
    questionnaire = loaded.questionnaire
    result = ExportResult(
        questionnaire=questionnaire.id,
        version=questionnaire.version,
        questions=len(questionnaire.questions()),
        organisation=engagement.organisation if engagement else None,
        units=len(engagement.units) if engagement else 0,
        anonymity_floor=engagement.anonymity_floor if engagement else None,
    )
    if fmt is ExportFormat.xlsform:
        if output.suffix.lower() != ".xlsx":
            raise UsageError(
                f"an XLSForm is an .xlsx workbook; {output} does not end in .xlsx",
                hint=f"use -o {output.with_suffix('.xlsx')}, or --format csv for a CSV template",
            )
        data = xlsx_bytes(build_form(questionnaire, engagement))
        write_new(output, data, force=force)
        result.files.append(output)
        return result
    template = build_template(questionnaire, engagement)
    companion = questions_path(output)
    for path in (output, companion):  # both checked first: never one file of the two
        check_target(path, force=force)
    write_new(output, template_csv(template), force=force)
    write_new(companion, questions_csv(template), force=force)
    result.files.extend([output, companion])
    return result

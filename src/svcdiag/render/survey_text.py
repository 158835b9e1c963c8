"""Plain-text summaries of ``svcdiag survey export`` and ``svcdiag survey import``.

They are written to standard error (data never goes there), one fact a line.
Everything that came from a file the user gave (column names, paths,
problems) goes through :func:`svcdiag.textsafe.for_terminal`.
"""

from __future__ import annotations

from svcdiag.survey.exporting import ExportResult
from svcdiag.survey.importing import ImportResult
from svcdiag.textsafe import for_terminal


def export_summary(result: ExportResult) -> str:
    """What was exported, and where."""
    lines = [
        f"exported {result.questionnaire} {result.version}: {_count(result.questions, 'question')}"
        + (f" for {result.organisation}" if result.organisation else "")
    ]
    if result.units:
        lines.append(f"unit question: {_count(result.units, 'unit')}")
    if result.anonymity_floor is not None:
        lines.append(f"anonymity floor stated in the form: {result.anonymity_floor}")
    lines.extend(f"wrote {path}" for path in result.files)
    return for_terminal("\n".join(lines)) + "\n"


def _count(n: int, word: str) -> str:
    """``n`` and ``word``, in the plural unless ``n`` is 1."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def _names(columns: list[str]) -> str:
    return ", ".join(repr(name) for name in columns)


def import_summary(result: ImportResult) -> str:
    """The counts of an import, what was dropped, and the files written."""
    how = "detected" if result.detected else "given"
    what = "rejects file of an earlier import, " if result.from_rejects else ""
    lines = [
        f"{result.export}: {what}{result.platform.value} export ({how})",
        f"read {result.read}, imported {result.imported}, rejected {result.rejected}, "
        f"duplicates {result.duplicates}",
    ]
    if result.dropped_columns:
        lines.append(
            "dropped (could identify a respondent, never read): " + _names(result.dropped_columns)
        )
    if result.ignored_columns:
        lines.append("ignored (platform bookkeeping): " + _names(result.ignored_columns))
    lines.extend(f"warning: {warning}" for warning in result.warnings)
    if result.problems:
        lines.append("rejected rows:")
        lines.extend(f"  {problem}" for problem in result.problems)
        if result.rejected and len(result.problems) < result.rejected:
            lines.append("  ...")
    if result.rejects_file is not None:
        state = " (unchanged)" if result.rejects_unchanged else ""
        lines.append(f"rejects: {result.rejects_file}{state}")
    if result.responses_file is not None:
        lines.append(f"wrote {result.responses_file}")
    elif result.read:
        lines.append("nothing new to import; nothing was written")
    return for_terminal("\n".join(lines)) + "\n"

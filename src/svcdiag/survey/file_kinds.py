"""Say what a file given to ``survey import`` is when it is not a survey export.

An export is CSV or a workbook. A YAML or JSON file would otherwise be read
as CSV, its first line taken for a header of unmappable columns. A file
named ``.yaml``, ``.yml`` or ``.json``, or one that starts like YAML or JSON
and reads as such, is refused before that, saying which of svcdiag's own
files it is (findings, answers, a questionnaire, an engagement file, a
responses file, a saved result) and which command takes it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from svcdiag.errors import InputFileError
from svcdiag.source.files import open_regular
from svcdiag.textsafe import for_shell

#: Endings of files that are never survey exports.
STRUCTURED_SUFFIXES = (".yaml", ".yml", ".json")
#: How a YAML or JSON document may start (after blank space); no CSV header does this and
#: still reads as a YAML mapping or list.
_STRUCTURED_STARTS = ("#", "---", "{", "[")
#: Bytes looked at to decide, before the whole file is read.
_PEEK = 4096


def _looks_structured(path: Path) -> bool:
    if path.suffix.lower() in STRUCTURED_SUFFIXES:
        return True
    try:
        with open_regular(path) as handle:
            head = handle.read(_PEEK)
    except (OSError, InputFileError):
        return False  # the export reader says what is wrong with it
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    return text.startswith(_STRUCTURED_STARTS)


def _what(data: Any, path: Path, engagement_dir: Path) -> tuple[str, str]:
    """Name the kind of svcdiag file ``data`` is, and the command that takes it (paths quoted).

    The kind is told as everywhere else (:func:`svcdiag.engagement.kinds.kind_of`).
    """
    from svcdiag.engagement.kinds import kind_of
    from svcdiag.stats.evidence import evidence_kind

    folder, given, parent = (for_shell(str(p)) for p in (engagement_dir, path, path.parent))
    add = f"svcdiag engagement add {folder} {given}"
    named = {
        "engagement": (
            "an engagement's engagement.yaml",
            f"give the folder that holds it: svcdiag survey import {parent} EXPORT.csv",
        ),
        "report": (
            "an engagement report (svcdiag engagement report)",
            "a report is an output: give the survey export (CSV or XLSX) instead",
        ),
        "responses": (
            "a responses file (survey responses already imported)",
            f"add it to an engagement with: {add}",
        ),
        "interview": (
            "a findings file saved by 'svcdiag assess' (one respondent's interview)",
            f"add it to the engagement with: {add}",
        ),
        "questionnaire": (
            "a questionnaire definition",
            f"export it as a survey form with: svcdiag survey export {given} -o FORM.xlsx",
        ),
        "answers": (
            "an answers file",
            f"make findings from it with: svcdiag assess --answers {given}",
        ),
    }
    kind = kind_of(data)
    if kind == "evidence":
        return (
            f"a result saved by 'svcdiag {evidence_kind(data)}' (client data)",
            f"add it to the engagement as evidence with: {add}",
        )
    if kind is None:
        return "YAML or JSON", "a survey export is CSV or XLSX: export the responses again"
    return named[kind]


def refuse_structured(path: Path, engagement_dir: Path) -> None:
    """Raise when ``path`` is YAML or JSON rather than a survey export, saying what it is.

    Raises:
        InputFileError: ``path`` is a YAML or JSON document (one of svcdiag's
            own files, named, or any other).
    """
    if not path.is_file() or not _looks_structured(path):
        return  # a missing or special file: the export reader says what is wrong
    from svcdiag.source.yamlsource import YamlFileError, load_file

    try:
        data = load_file(path).data
    except YamlFileError:
        if path.suffix.lower() not in STRUCTURED_SUFFIXES:
            return  # it only started like YAML: read it as the export it may be
        data = None
    kind, hint = _what(data, path, engagement_dir)
    raise InputFileError(
        path,
        f"this is {kind}, not a survey export (CSV or XLSX)",
        line=1,
        hint=hint,
    )

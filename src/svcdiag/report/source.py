"""Read a saved findings file and recompute its analysis from the answers.

``svcdiag report`` never trusts the analysis stored in a findings file: it
loads the questionnaire the findings name, recomputes everything from the
answers, and warns when the definition has changed since (its sha256 differs).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from svcdiag.diagnosis import with_analysis
from svcdiag.errors import InputFileError
from svcdiag.loading import Loaded, load_questionnaire
from svcdiag.models.findings import Findings
from svcdiag.yamlsource import YamlDocument, load_file


@dataclass
class Recomputed:
    """Findings with a fresh analysis, and what the user should be told about them."""

    findings: Findings
    warnings: list[str] = field(default_factory=list)


def _validation_error(doc: YamlDocument, err: ValidationError, what: str) -> InputFileError:
    problems = err.errors()
    first = problems[0]
    pos = doc.locate(tuple(first["loc"]))
    listed = "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}" for e in problems[:5]
    )
    more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
    return InputFileError(
        doc.path, f"not a valid {what}: {listed}{more}", line=pos.line, col=pos.col
    )


def read_findings(path: Path) -> Findings:
    """Read and validate a findings file, with file:line errors."""
    doc = load_file(path)
    if doc.duplicates:
        dup = doc.duplicates[0]
        raise InputFileError(
            doc.path,
            f"key {dup.key!r} given twice (first at line {dup.first.line})",
            line=dup.at.line,
            col=dup.at.col,
        )
    if not isinstance(doc.data, dict):
        raise InputFileError(doc.path, "a findings file is a mapping of keys", line=1, col=1)
    try:
        return Findings.model_validate(doc.data)
    except ValidationError as err:
        raise _validation_error(doc, err, "findings file") from None


def definition_for(findings: Findings, questionnaire: str | None = None) -> Loaded:
    """Load the questionnaire ``findings`` were made with (or ``questionnaire`` if given)."""
    ref = questionnaire or findings.questionnaire.path or findings.questionnaire.id
    return load_questionnaire(ref)


def analysed(findings: Findings) -> Findings:
    """Return ``findings`` with their analysis, computed with the questionnaire they name.

    This is the hook ``svcdiag assess`` calls before writing the findings.
    """
    definition = definition_for(findings)
    return with_analysis(findings, definition.questionnaire, definition.catalogue)


def recompute(path: Path, questionnaire: str | None = None) -> Recomputed:
    """Read the findings at ``path`` and recompute their analysis from the answers.

    Args:
        path: the findings file.
        questionnaire: a shipped id or a path; by default the one the findings name.
    """
    findings = read_findings(path)
    definition = definition_for(findings, questionnaire)
    warnings = []
    if definition.questionnaire.id != findings.questionnaire.id:
        warnings.append(
            f"the findings were made with questionnaire {findings.questionnaire.id!r}, "
            f"not {definition.questionnaire.id!r}"
        )
    if definition.sha256 != findings.questionnaire.sha256:
        warnings.append(
            f"questionnaire {definition.questionnaire.id!r} has changed since these findings "
            f"were made (version {findings.questionnaire.version} then, "
            f"{definition.questionnaire.version} now); the analysis uses the current "
            "definition"
        )
    fresh = with_analysis(findings, definition.questionnaire, definition.catalogue)
    coverage = fresh.coverage
    if coverage is not None and coverage.ignored:
        ignored = [m.question for m in coverage.missing if m.reason == "ignored"]
        warnings.append(
            f"{coverage.ignored} answer(s) no longer fit the questionnaire and were left "
            f"out: {', '.join(ignored)}"
        )
    return Recomputed(findings=fresh, warnings=warnings)

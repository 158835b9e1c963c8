"""Read a saved findings file and recompute its analysis from the answers.

``svcdiag report`` never trusts the analysis stored in a findings file: it
loads the questionnaire the findings name, recomputes everything from the
answers, and warns when the definition has changed since (its sha256 differs).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from svcdiag.diagnosis import with_analysis
from svcdiag.errors import InputFileError
from svcdiag.loading import Loaded, load_questionnaire
from svcdiag.models.findings import DataEvidence, Findings
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
    doc.refuse_duplicates()
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


def read_data_evidence(paths: Sequence[Path]) -> list[DataEvidence]:
    """Read saved ``svcdiag nps``/``variation`` results, each checked, for ``--evidence``."""
    from svcdiag.stats.evidence import load_evidence, summary
    from svcdiag.stats.results import NpsResult

    found = []
    for path in paths:
        result = load_evidence(path)
        if isinstance(result, NpsResult):
            found.append(
                DataEvidence(source=str(path), kind="nps", summary=summary(result), nps=result)
            )
        else:
            found.append(
                DataEvidence(
                    source=str(path), kind="variation", summary=summary(result), variation=result
                )
            )
    return found


def attach(findings: Findings, data: Sequence[DataEvidence]) -> Findings:
    """Return ``findings`` with ``data`` attached; a result from the same file replaces the old."""
    if not data:
        return findings
    new = {item.source for item in data}
    kept = [item for item in findings.data_evidence or () if item.source not in new]
    return findings.model_copy(update={"data_evidence": [*kept, *data]})


def recompute(
    path: Path, questionnaire: str | None = None, data: Sequence[DataEvidence] = ()
) -> Recomputed:
    """Read the findings at ``path`` and recompute their analysis from the answers.

    Args:
        path: the findings file.
        questionnaire: a shipped id or a path; by default the one the findings name.
        data: client data to attach (from :func:`read_data_evidence`) before recomputing.
    """
    findings = attach(read_findings(path), data)
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

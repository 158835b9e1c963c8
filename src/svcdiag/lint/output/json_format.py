"""JSON: counts and a list of problems, each with path, line, col, code, severity, message."""

from __future__ import annotations

from svcdiag.lint.runner import LintReport
from svcdiag.serialise import to_json


def render(report: LintReport) -> str:
    """Render ``report`` as a JSON document."""
    return to_json(
        {
            "files_checked": len(report.files),
            "errors": report.errors,
            "warnings": report.warnings,
            "problems": [
                {
                    "path": p.path,
                    "line": p.line,
                    "col": p.col,
                    "code": p.code,
                    "severity": p.severity.value,
                    "message": p.message,
                    "hint": p.hint,
                }
                for p in report.problems
            ],
        }
    )

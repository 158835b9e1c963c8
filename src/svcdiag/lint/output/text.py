"""Plain text: ``path:line:col: CODE message``, one problem a line, hints indented.

Messages quote the file's own text (keys, ids), so control characters are
dropped (:func:`svcdiag.textsafe.for_terminal`): a file cannot drive the terminal.
"""

from __future__ import annotations

from svcdiag.lint.problems import Severity
from svcdiag.lint.runner import LintReport
from svcdiag.textsafe import for_terminal


def render(report: LintReport) -> str:
    """Render the problems of ``report``, one a line (empty when there are none)."""
    lines: list[str] = []
    for p in report.problems:
        label = "warning: " if p.severity is Severity.warning else ""
        lines.append(for_terminal(f"{p.path}:{p.line}:{p.col}: {p.code} {label}{p.message}"))
        if p.hint:
            lines.append(for_terminal(f"    hint: {p.hint}"))
    return "\n".join(lines) + ("\n" if lines else "")


def summary(report: LintReport) -> str:
    """One line counting errors, warnings and files, for stderr."""
    files = len(report.files)
    noun = "file" if files == 1 else "files"
    if not report.problems:
        return f"All clean: {files} {noun} checked."
    return (
        f"Found {report.errors} error{'s' * (report.errors != 1)} and "
        f"{report.warnings} warning{'s' * (report.warnings != 1)} in {files} {noun}."
    )

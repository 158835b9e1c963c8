"""Plain text: ``path:line:col: CODE message``, one problem a line, hints indented.

Paths and messages quote the file's own text (names, keys, ids), so every
control character and bidi override is shown as an escape
(:func:`svcdiag.textsafe.visible`), whether or not the output is a terminal: a
file cannot drive the terminal, and no line can start with text the file chose
(a CI log runs a line starting ``::`` as a workflow command).
"""

from __future__ import annotations

from svcdiag.lint.problems import Severity
from svcdiag.lint.runner import LintReport
from svcdiag.textsafe import visible


def render(report: LintReport) -> str:
    """Render the problems of ``report``, one a line (empty when there are none)."""
    lines: list[str] = []
    for p in report.problems:
        label = "warning: " if p.severity is Severity.warning else ""
        lines.append(visible(f"{p.path}:{p.line}:{p.col}: {p.code} {label}{p.message}"))
        if p.hint:
            lines.append("    hint: " + visible(p.hint))
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

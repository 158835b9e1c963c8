"""GitHub Actions workflow commands: ``::error file=F,line=L,col=C,title=CODE::message``."""

from __future__ import annotations

from svcdiag.lint.runner import LintReport
from svcdiag.textsafe import for_terminal


def _data(value: str) -> str:
    safe = for_terminal(value)  # the log is shown in a terminal-like viewer
    return safe.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(value: str) -> str:
    return _data(value).replace(":", "%3A").replace(",", "%2C")


def render(report: LintReport) -> str:
    """Render each problem as one workflow command line."""
    lines = []
    for p in report.problems:
        message = p.message + (f" (hint: {p.hint})" if p.hint else "")
        lines.append(
            f"::{p.severity.value} file={_prop(p.path)},line={p.line},col={p.col},"
            f"title={p.code}::{_data(message)}"
        )
    return "\n".join(lines) + ("\n" if lines else "")

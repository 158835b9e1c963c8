"""Lint output formats: one module per format, chosen by :class:`LintFormat`."""

from __future__ import annotations

from collections.abc import Callable

from svcdiag.lint.formats import LintFormat
from svcdiag.lint.output import github, json_format, text
from svcdiag.lint.runner import LintReport

#: The renderer of each format: report -> text for stdout.
RENDERERS: dict[LintFormat, Callable[[LintReport], str]] = {
    LintFormat.text: text.render,
    LintFormat.json: json_format.render,
    LintFormat.github: github.render,
}

"""Lint problems and the stable rule codes they carry.

Codes never change meaning once released: CI configurations and editors
match on them. Each code has one severity.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    """How serious a problem is: errors fail the lint, warnings only with --strict."""

    error = "error"
    warning = "warning"


@dataclass(frozen=True)
class Rule:
    """A lint rule: its stable code, severity and one-line summary."""

    code: str
    severity: Severity
    summary: str


_E = Severity.error
_W = Severity.warning

#: Every rule svcdiag lint applies, by code. Listed in the README.
RULES: dict[str, Rule] = {
    rule.code: rule
    for rule in (
        Rule("SD100", _E, "file is not UTF-8 text (binary or wrong encoding)"),
        Rule("SD101", _E, "YAML syntax error"),
        Rule("SD102", _E, "duplicate mapping key (YAML would silently keep only one)"),
        Rule("SD103", _E, "file is empty or its top level is not a mapping"),
        Rule("SD104", _E, "YAML feature not supported, or document too large"),
        Rule("SD200", _E, "unknown key"),
        Rule("SD201", _E, "missing required key"),
        Rule("SD202", _E, "wrong type or invalid value"),
        Rule("SD300", _E, "duplicate section id"),
        Rule("SD301", _E, "duplicate question id"),
        Rule("SD302", _E, "duplicate option id"),
        Rule("SD303", _E, "duplicate catalogue id (factor, characteristic or intervention)"),
        Rule("SD304", _E, "empty section"),
        Rule("SD310", _E, "options given for a question type that takes none"),
        Rule("SD311", _E, "choice or multi_choice question without options"),
        Rule("SD312", _E, "question-level evidence where the answer has no scale"),
        Rule("SD313", _E, "default is not a valid answer to its question"),
        Rule("SD314", _E, "number range is empty (min greater than max)"),
        Rule("SD320", _E, "'when' names an unknown question"),
        Rule("SD321", _E, "'when' names a question that is not asked earlier"),
        Rule("SD322", _E, "'when' compares with a value the question can never give"),
        Rule("SD330", _E, "evidence names an unknown cause factor"),
        Rule("SD331", _E, "evidence names an unknown benchmark characteristic"),
        Rule("SD332", _E, "intervention names an unknown factor or characteristic"),
        Rule("SD340", _W, "benchmark characteristic that no question covers"),
        Rule("SD341", _W, "cause factor that no question covers"),
        Rule("SD342", _W, "triage questionnaire with no option that gives a route"),
        Rule("SD343", _W, "more than one question says how far the problem reaches (scope)"),
    )
}


#: Most characters of a key or value a message quotes; a longer one is cut.
QUOTE_MOST = 40


def quoted(text: str, most: int = QUOTE_MOST) -> str:
    """Return ``text`` in single quotes, cut to ``most`` characters with an ellipsis.

    A message names the key it is about; a file that is not a questionnaire
    (a password list linked in by mistake) should not be echoed line by line,
    and the line and column already say where the whole key is.
    """
    if len(text) <= most:
        return f"'{text}'"
    return f"'{text[: most - 1]}…' ({len(text):,} characters)"


@dataclass(frozen=True)
class Problem:
    """One problem at one place in one file."""

    path: str
    line: int
    col: int
    code: str
    message: str
    hint: str | None = None

    @property
    def severity(self) -> Severity:
        """The severity of this problem's rule."""
        return RULES[self.code].severity

    def sort_key(self) -> tuple[str, int, int, str]:
        """Order problems by file, position and code."""
        return (self.path, self.line, self.col, self.code)

"""Collect problems for one file, placing each at its line and column."""

from __future__ import annotations

from svcdiag.lint.problems import Problem
from svcdiag.source.yamlsource import Path_, YamlDocument


class Reporter:
    """Turns (document path, code, message) into located :class:`Problem` objects."""

    def __init__(self, doc: YamlDocument) -> None:
        self.doc = doc
        self.problems: list[Problem] = []

    def key(self, path: Path_, code: str, message: str, hint: str | None = None) -> None:
        """Report a problem at the key of ``path`` (or its nearest ancestor)."""
        pos = self.doc.locate(path)
        self.problems.append(Problem(self.doc.path, pos.line, pos.col, code, message, hint))

    def value(self, path: Path_, code: str, message: str, hint: str | None = None) -> None:
        """Report a problem at the value of ``path`` (or its nearest ancestor)."""
        pos = self.doc.value_position(path)
        self.problems.append(Problem(self.doc.path, pos.line, pos.col, code, message, hint))

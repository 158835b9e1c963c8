"""The output formats of ``svcdiag lint`` (a light module: the CLI imports it at start-up)."""

from __future__ import annotations

from enum import Enum


class LintFormat(str, Enum):
    """How ``svcdiag lint`` prints its problems."""

    text = "text"
    json = "json"
    github = "github"

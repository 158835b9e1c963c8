"""The choices of ``svcdiag survey export --format`` (kept light: ``--help`` imports it)."""

from __future__ import annotations

from enum import Enum


class ExportFormat(str, Enum):
    """What ``svcdiag survey export`` writes."""

    xlsform = "xlsform"
    csv = "csv"

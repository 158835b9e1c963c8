"""The choices of ``svcdiag survey export --format`` and ``import --from``.

Kept light: the CLI imports this module at start-up, for ``--help``.
"""

from __future__ import annotations

from enum import Enum


class ExportFormat(str, Enum):
    """What ``svcdiag survey export`` writes."""

    xlsform = "xlsform"
    csv = "csv"


class Platform(str, Enum):
    """Where an export came from (``--from``)."""

    kobo = "kobo"
    odk = "odk"
    qualtrics = "qualtrics"
    google = "google"
    csv = "csv"


#: Each platform's name as its users know it, for messages.
PLATFORM_NAMES = {
    Platform.kobo: "KoboToolbox",
    Platform.odk: "ODK Central",
    Platform.qualtrics: "Qualtrics",
    Platform.google: "Google Forms",
    Platform.csv: "svcdiag CSV template",
}

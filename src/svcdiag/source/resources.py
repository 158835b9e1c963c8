"""Find the shipped questionnaires and catalogues.

In an installed wheel they live in the package as ``svcdiag/questionnaires``
and are found through :mod:`importlib.resources`. In a source checkout (an
editable install) the top-level ``questionnaires/`` directory is used.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

#: File names of the catalogues that sit beside questionnaires.
FACTORS_FILE = "factors.yaml"
CHARACTERISTICS_FILE = "characteristics.yaml"
INTERVENTIONS_FILE = "interventions.yaml"
CATALOGUE_FILES = (FACTORS_FILE, CHARACTERISTICS_FILE, INTERVENTIONS_FILE)

#: The questionnaire ``svcdiag assess`` runs when none is named.
DEFAULT_QUESTIONNAIRE = "diagnostic"


def shipped_dir() -> Path:
    """Return the directory of the shipped questionnaires."""
    packaged = Path(str(files("svcdiag"))) / "questionnaires"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "questionnaires"


def is_catalogue(path: Path) -> bool:
    """Whether ``path`` names a catalogue file rather than a questionnaire."""
    return path.name in CATALOGUE_FILES


def questionnaire_files(directory: Path) -> list[Path]:
    """The questionnaire files (not catalogues) in ``directory``, sorted."""
    found = [*directory.glob("*.yaml"), *directory.glob("*.yml")]
    return sorted(p for p in found if p.is_file() and not is_catalogue(p))


def shipped_questionnaire(questionnaire_id: str) -> Path | None:
    """Return the path of the shipped questionnaire named ``questionnaire_id``."""
    for suffix in (".yaml", ".yml"):
        candidate = shipped_dir() / f"{questionnaire_id}{suffix}"
        if candidate.is_file():
            return candidate
    return None

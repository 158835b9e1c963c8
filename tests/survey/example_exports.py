"""Write the example exports in ``examples/survey/`` (run after changing the diagnostic).

``python -m tests.survey.example_exports`` answers the shipped diagnostic for
generated respondents and writes them as KoboToolbox, Google Forms and
Qualtrics would export them.
"""

from __future__ import annotations

from pathlib import Path

from svcdiag.definitions.loading import load_questionnaire
from svcdiag.models.engagement import EngagementFile
from svcdiag.source.yamlsource import load_file
from svcdiag.survey.xlsform import build_form
from tests.survey import layouts

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "survey"
FILES = ("kobo-export.csv", "google-forms-export.csv", "qualtrics-export.csv")
TEXTS = [
    "Customers wait too long on the phone",
    "Refunds need three sign-offs, so people give up",
    "The booking system crashes at lunchtime;\nwe write orders on paper",
    'Managers say "service first" but measure call length',
    "Nobody tells us when prices change",
    "We are short-staffed on Saturdays",
]


def write_examples(folder: Path = EXAMPLES) -> None:
    """Write the three example exports into ``folder``."""
    layouts.TEXTS[:] = TEXTS
    questionnaire = load_questionnaire("diagnostic").questionnaire
    engagement = EngagementFile.model_validate(load_file(folder / "engagement.yaml").data)
    units = {unit.id: unit.name for unit in engagement.units}
    survey = build_form(questionnaire, engagement).survey
    kobo = layouts.respondents(questionnaire, 14, seed=101, units=list(units))
    for number, person in enumerate(kobo):
        person.id = f"5f0c2a1e-7d4b-4a8e-9c1f-{number:012d}"
    google = layouts.respondents(questionnaire, 12, seed=202, units=list(units))
    qualtrics = layouts.respondents(questionnaire, 10, seed=303, units=list(units))
    for number, person in enumerate(qualtrics):
        person.id = f"R_{number:02d}aBcDeFgHiJkLmN"
    texts = (
        layouts.kobo_export(survey, questionnaire, kobo),
        layouts.google_export(questionnaire, google, units),
        layouts.qualtrics_export(questionnaire, qualtrics, units),
    )
    for name, text in zip(FILES, texts, strict=True):
        (folder / name).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    write_examples()

"""Write the example staff survey (responses/staff-survey.yaml) of this engagement.

Each respondent starts from one of the example answer files and varies its
1-5 answers a little, the same way every time (a fixed random seed):

* managers answer like ``answers-few-individuals.yaml`` (a healthy
  organisation with a few weak people: they blame the frontline);
* frontline and staff answer like ``answers-widespread.yaml`` (broken
  processes and tools, across the organisation).

Run from the repository root: ``python examples/engagement/make_survey.py``.
The benchmark imports :func:`make_responses` to build large surveys.
"""

from __future__ import annotations

import hashlib
import random
import sys
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

import yaml

from svcdiag.atomicio import write_atomic
from svcdiag.definitions.loading import load_questionnaire
from svcdiag.models.questionnaire import QuestionType
from svcdiag.models.responses import Response, ResponsesFile, ResponsesQuestionnaire, ResponsesSource
from svcdiag.serialise import to_yaml

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parent
PROFILES = {
    "manager": "answers-few-individuals.yaml",
    "board": "answers-healthy.yaml",
    "frontline": "answers-widespread.yaml",
    "staff": "answers-widespread.yaml",
}
#: (role, unit, how many) of the example survey.
SURVEY = [
    ("manager", "north", 2),
    ("manager", "south", 2),
    ("manager", "support", 1),
    ("frontline", "north", 6),
    ("frontline", "south", 6),
    ("staff", "support", 6),
]
FIXED_TIME = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def profile_answers(role: str) -> dict[str, object]:
    """The answers of the example file a role's respondents start from."""
    data = yaml.safe_load((EXAMPLES / PROFILES[role]).read_text(encoding="utf-8"))
    return dict(data["answers"])


def make_responses(
    plan: Sequence[tuple[str, str | None, int]], *, seed: int = 1, questionnaire: str = "diagnostic"
) -> ResponsesFile:
    """A survey of ``plan`` (role, unit, count), each answer varied by at most one point."""
    loaded = load_questionnaire(questionnaire)
    likert = {q.id for q in loaded.questionnaire.questions() if q.type is QuestionType.likert}
    texts = {q.id for q in loaded.questionnaire.questions() if q.type is QuestionType.text}
    rng = random.Random(seed)
    bases = {role: profile_answers(role) for role in {r for r, _, _ in plan}}
    responses = []
    for role, unit, count in plan:
        for _ in range(count):
            answers = {}
            for key, value in bases[role].items():
                if key in texts:
                    continue
                if key in likert and isinstance(value, int):
                    value = min(5, max(1, value + rng.choice((-1, 0, 0, 1))))
                answers[key] = value
            ident = hashlib.sha256(f"{seed}-{len(responses)}".encode()).hexdigest()[:16]
            responses.append(Response(id=ident, role=role, unit=unit, answers=answers))
    return ResponsesFile(
        questionnaire=ResponsesQuestionnaire(
            id=loaded.questionnaire.id, version=loaded.questionnaire.version, sha256=loaded.sha256
        ),
        source=ResponsesSource(
            platform="csv",
            file="staff-survey.csv",
            imported=FIXED_TIME,
            sha256=hashlib.sha256(b"example staff survey").hexdigest(),
        ),
        responses=responses,
    )


def main(argv: Sequence[str]) -> None:
    """Write the example survey (or, with a path, write it there)."""
    target = Path(argv[0]) if argv else HERE / "responses" / "staff-survey.yaml"
    write_atomic(target, to_yaml(make_responses(SURVEY)))
    print(f"wrote {target}")


if __name__ == "__main__":
    main(sys.argv[1:])

"""Counts in the survey summaries and messages are said in the singular for one."""

from __future__ import annotations

from pathlib import Path

import pytest

from svcdiag.cli.survey import rejected_message
from svcdiag.render.survey_text import export_summary
from svcdiag.survey.exporting import ExportResult


@pytest.mark.parametrize(
    ("rejected", "imported", "said"),
    [
        (1, 0, "1 row was rejected; no new row was imported"),
        (2, 1, "2 rows were rejected; the other new row was imported"),
        (1, 3, "1 row was rejected; the other 3 new rows were imported"),
    ],
)
def test_the_rejected_message_counts_in_words(rejected: int, imported: int, said: str) -> None:
    assert rejected_message(rejected, imported) == said


def test_an_export_of_one_question_and_one_unit_says_so() -> None:
    summary = export_summary(
        ExportResult(questionnaire="q", version="1", questions=1, files=[Path("f")], units=1)
    )
    assert "q 1: 1 question\n" in summary
    assert "unit question: 1 unit\n" in summary
    two = export_summary(ExportResult(questionnaire="q", version="1", questions=2, units=2))
    assert "q 1: 2 questions" in two and "unit question: 2 units" in two

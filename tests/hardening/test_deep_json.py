"""JSON nested deeper than Python's parser goes: an error naming the file, not a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.hardening.conftest import EXAMPLES, run

DEEP = '{"responses": ' + "[" * 100_000 + "]" * 100_000 + "}"


@pytest.fixture
def engagement(tmp_path: Path) -> Path:
    """A copy of the example engagement, with a responses file nested too deep."""
    folder = tmp_path / "acme"
    shutil.copytree(EXAMPLES / "engagement", folder)
    (folder / "responses" / "deep.json").write_text(DEEP)
    return folder


def test_the_engagement_report_names_the_file_nested_too_deep(
    engagement: Path, tmp_path: Path
) -> None:
    out = tmp_path / "report.md"
    result = run("engagement", "report", engagement, "-o", out)
    assert result.exit_code == 2
    assert f"{engagement / 'responses' / 'deep.json'}:1:" in result.stderr
    assert "nesting depth" in result.stderr
    assert not out.exists()


def test_a_survey_import_names_the_responses_file_nested_too_deep(engagement: Path) -> None:
    before = sorted(p.name for p in (engagement / "responses").iterdir())
    survey = engagement / "survey.csv"
    shutil.copy(EXAMPLES / "survey" / "kobo-export.csv", survey)
    result = run("survey", "import", engagement, survey)
    assert result.exit_code == 2
    assert (
        f"{engagement / 'responses' / 'deep.json'}: invalid JSON: lists or mappings nested "
        "too deep to read"
    ) in result.stderr
    assert sorted(p.name for p in (engagement / "responses").iterdir()) == before

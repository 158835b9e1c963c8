"""``svcdiag list``: shipped questionnaires and those in a folder."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from svcdiag.cli import app
from svcdiag.definitions.listing import list_questionnaires
from svcdiag.models.questionnaire import Questionnaire
from svcdiag.source.resources import shipped_dir
from svcdiag.source.yamlsource import load_file

runner = CliRunner()


def _count(name: str) -> int:
    q = Questionnaire.model_validate(load_file(shipped_dir() / name).data)
    return sum(len(s.questions) for s in q.sections)


def test_shipped_questionnaires_are_listed_with_question_counts() -> None:
    rows = {r.id: r for r in list_questionnaires()}
    assert set(rows) == {"diagnostic", "triage"}
    assert rows["diagnostic"].questions == _count("diagnostic.yaml")
    assert rows["diagnostic"].version == "1.1"
    assert rows["triage"].questions == _count("triage.yaml")


def test_list_command_shows_a_table_with_extra_folder(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(
        "schema_version: 1\nid: mine\nversion: '2.1'\ntitle: My own\nsections:\n"
        "  - id: s\n    title: S\n    questions:\n      - {id: a, text: A, type: text}\n"
    )
    (tmp_path / "broken.yaml").write_text("id: [\n")
    (tmp_path / "factors.yaml").write_text("schema_version: 1\nfactors: []\n")
    result = runner.invoke(app, ["list", "--dir", str(tmp_path)])
    assert result.exit_code == 0
    out = result.stdout
    assert "diagnostic" in out and "triage" in out
    mine = next(line for line in out.splitlines() if "mine" in line)
    assert "My own" in mine and "2.1" in mine and " 1 " in mine
    assert "broken" not in out
    assert (
        f"{tmp_path / 'broken.yaml'}: left out, not a valid questionnaire: run 'svcdiag lint"
        in (" ".join(result.stderr.split()))
    )
    assert "factors" not in out  # catalogues are not questionnaires


def test_list_with_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["list", "--dir", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "not a folder" in result.stderr

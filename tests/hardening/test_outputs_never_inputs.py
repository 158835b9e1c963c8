"""``-o`` never replaces a file the command reads, and a refused write leaves nothing behind."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.hardening.conftest import EXAMPLES, run


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """Copies of an answers file, a findings file and a saved variation result."""
    copies = {}
    for key, name in (
        ("answers", "answers-healthy.yaml"),
        ("findings", "findings-few-individuals.yaml"),
    ):
        copies[key] = tmp_path / name
        shutil.copy(EXAMPLES / name, copies[key])
    copies["evidence"] = tmp_path / "complaints.yaml"
    saved = run(
        "variation", EXAMPLES / "complaints_by_agent.csv", "--unit", "agent",
        "--events", "complaints", "--cases", "contacts", "-o", copies["evidence"],
    )  # fmt: skip
    assert saved.exit_code == 0, saved.output
    return copies


def _refused(result_stderr: str, path: Path) -> None:
    assert f"the output {path} is the input file" in result_stderr
    assert "would replace the data it comes from" in result_stderr


def test_report_never_replaces_its_findings_file(files: dict[str, Path]) -> None:
    findings = files["findings"]
    before = findings.read_bytes()
    result = run("report", findings, "-o", findings, "--force")
    assert result.exit_code == 2
    _refused(result.stderr, findings)
    assert findings.read_bytes() == before  # its comments and all


def test_report_never_replaces_its_findings_by_another_name(
    files: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    findings = files["findings"]
    before = findings.read_bytes()
    monkeypatch.chdir(tmp_path)
    result = run("report", findings, "-o", Path(".") / findings.name, "-f", "yaml", "--force")
    assert result.exit_code == 2
    assert "is the input file" in result.stderr
    assert findings.read_bytes() == before


def test_report_never_replaces_its_evidence(files: dict[str, Path]) -> None:
    evidence = files["evidence"]
    before = evidence.read_bytes()
    result = run("report", files["findings"], "--evidence", evidence, "-o", evidence, "--force")
    assert result.exit_code == 2
    _refused(result.stderr, evidence)
    assert evidence.read_bytes() == before


def test_assess_never_replaces_its_answers_file(files: dict[str, Path]) -> None:
    answers = files["answers"]
    before = answers.read_bytes()
    result = run("assess", "--answers", answers, "-o", answers, "--force")
    assert result.exit_code == 2
    _refused(result.stderr, answers)
    assert answers.read_bytes() == before


def test_assess_never_replaces_its_evidence(files: dict[str, Path]) -> None:
    evidence = files["evidence"]
    before = evidence.read_bytes()
    result = run(
        "assess", "--answers", files["answers"], "--evidence", evidence, "-o", evidence, "--force"
    )
    assert result.exit_code == 2
    _refused(result.stderr, evidence)
    assert evidence.read_bytes() == before


def test_report_with_force_still_replaces_an_older_report(files: dict[str, Path]) -> None:
    older = files["findings"].with_name("report.md")
    older.write_text("an older report\n")
    result = run("report", files["findings"], "-o", older, "--force")
    assert result.exit_code == 0, result.stderr
    assert older.read_text().startswith("# ")


@pytest.mark.parametrize("force", [False, True])
def test_a_csv_template_whose_question_list_cannot_be_written_writes_neither(
    tmp_path: Path, force: bool
) -> None:
    template = tmp_path / "template.csv"
    (tmp_path / "template.questions.csv").mkdir()
    result = run("survey", "export", "diagnostic", "-o", template, *(["--force"] if force else []))
    assert result.exit_code == 2
    assert f"{tmp_path / 'template.questions.csv'} is a folder; nothing was written" in (
        result.stderr
    )
    assert not template.exists()


def test_a_csv_template_beside_an_existing_question_list_is_refused_whole(tmp_path: Path) -> None:
    template = tmp_path / "template.csv"
    questions = tmp_path / "template.questions.csv"
    questions.write_text("keep\n")
    result = run("survey", "export", "diagnostic", "-o", template)
    assert result.exit_code == 2
    assert f"{questions} already exists; nothing was written" in result.stderr
    assert not template.exists()
    assert questions.read_text() == "keep\n"


@pytest.fixture
def own_definitions(tmp_path: Path) -> tuple[Path, Path]:
    """An edited copy of the questionnaire and its catalogue, and findings made with it."""
    defs = tmp_path / "defs"
    defs.mkdir()
    for name in ("diagnostic.yaml", "factors.yaml", "characteristics.yaml", "interventions.yaml"):
        shutil.copy(EXAMPLES.parent / "questionnaires" / name, defs / name)
    findings = tmp_path / "findings.yaml"
    made = run(
        "assess", defs / "diagnostic.yaml", "--answers", EXAMPLES / "answers-healthy.yaml",
        "-o", findings, "-f", "json",
    )  # fmt: skip
    assert made.exit_code == 0, made.stderr
    return defs, findings


@pytest.mark.parametrize(
    ("command", "name"),
    [
        ("report", "diagnostic.yaml"),
        ("report", "factors.yaml"),
        ("assess", "diagnostic.yaml"),
        ("assess", "interventions.yaml"),
    ],
)
def test_neither_command_replaces_the_questionnaire_or_catalogue_it_read(
    own_definitions: tuple[Path, Path], command: str, name: str
) -> None:
    # report reads the edited questionnaire the findings name, and the catalogue beside it
    defs, findings = own_definitions
    target = defs / name
    before = target.read_bytes()
    reads = (
        [findings, "-f", "yaml"]
        if command == "report"
        else [defs / "diagnostic.yaml", "--answers", EXAMPLES / "answers-healthy.yaml"]
    )
    result = run(command, *reads, "-o", target, "--force")
    assert result.exit_code == 2
    _refused(result.stderr, target)
    assert target.read_bytes() == before

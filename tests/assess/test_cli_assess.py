"""svcdiag assess and svcdiag sessions without a terminal, through CliRunner."""

from __future__ import annotations

import stat
import textwrap
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner, Result

from svcdiag import __version__
from svcdiag.cli import app
from svcdiag.definitions.loading import Loaded

from .conftest import MINI

runner = CliRunner()


def _talk(result: Result) -> str:
    """Stderr without the note naming the test questionnaire file (checked once, below)."""
    note = f"Using questionnaire 'mini' version 1.0 from {MINI}.\n"
    return result.stderr.removeprefix(note)


def test_a_questionnaire_file_is_named_on_stderr(tmp_path: Path) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text(COMPLETE, encoding="utf-8")
    out = tmp_path / "x.yaml"
    result = runner.invoke(app, ["assess", str(MINI), "-a", str(answers), "-o", str(out)])
    assert result.stderr.startswith(f"Using questionnaire 'mini' version 1.0 from {MINI}.\n")


COMPLETE = """\
organisation: Acme Ltd
respondent: {role: manager}
consultant: Jo Bloggs
answers:
  problem_scope: widespread
  has_crm: yes
  crm_rating: 2
  crm_fix: Replace the search screen
  nps_recommend: 7
  channels: [phone, email]
  staff_count: 40
  trial_agreed: yes
  biggest_issue: "Callbacks never happen"
  board_vision: unknown
notes:
  board_vision: "CEO talks about it but never visits the floor"
"""


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def assess(*args: str):
    return runner.invoke(app, ["assess", str(MINI), *args])


def test_complete_answers_file_writes_findings(workdir: Path, mini_loaded: Loaded):
    answers = write(workdir / "a.yaml", COMPLETE)
    result = assess("--answers", str(answers))
    assert result.exit_code == 0, result.output
    (path,) = workdir.glob("*.findings.yaml")
    assert path.name.startswith("acme-ltd-") and path.name.endswith(".findings.yaml")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    data = yaml.safe_load(path.read_text())
    assert data["schema_version"] == 1 and data["svcdiag_version"] == __version__
    assert data["questionnaire"] == {
        "id": "mini",
        "version": "1.0",
        "sha256": mini_loaded.sha256,
        "title": "Mini assessment",
        "path": str(MINI.resolve()),
    }
    assert data["organisation"] == "Acme Ltd"
    assert data["respondent"] == {"role": "manager"}
    assert data["consultant"] == "Jo Bloggs"
    assert data["answers"] == {
        "problem_scope": "widespread",
        "has_crm": True,
        "crm_rating": 2,
        "crm_fix": "Replace the search screen",
        "nps_recommend": 7,
        "channels": ["phone", "email"],
        "staff_count": 40,
        "trial_agreed": "yes",
        "biggest_issue": "Callbacks never happen",
        "board_vision": "unknown",
    }
    assert data["notes"] == {"board_vision": "CEO talks about it but never visits the floor"}
    assert data["started"] and data["finished"]
    assert data["diagnosis"]["verdict"] == "system"
    assert len(data["characteristics"]) == 10
    # the run ends with the report, on stdout
    report = " ".join(result.stdout.split())
    assert report.startswith("╭─ Service diagnosis")
    assert "Organisation Acme Ltd" in report
    assert "SYSTEM: mostly organisation-wide causes" in report
    closing = _talk(result).splitlines()
    assert closing[0].startswith("Verdict: System. The causes lie mostly in the system")
    coverage = data["coverage"]
    counts = (
        f"{coverage['questions']} questions that carry evidence were asked "
        f"({coverage['not_asked']} more were not: their condition did not hold); "
        f"{coverage['answered']} answered, {coverage['unknown']} don't know, "
        f"{coverage['skipped']} skipped. 1 note."
    )
    assert closing[-3:] == [
        counts,
        f"wrote {path.name}",
        f"See the report with: svcdiag report {path.name}",
    ]


def test_findings_file_can_be_passed_back_as_answers(workdir: Path):
    answers = write(workdir / "a.yaml", COMPLETE)
    assert assess("--answers", str(answers), "-o", "one.yaml").exit_code == 0
    result = assess("--answers", "one.yaml", "-o", "two.yaml")
    assert result.exit_code == 0, result.output
    one, two = (yaml.safe_load((workdir / n).read_text()) for n in ("one.yaml", "two.yaml"))
    for key in ("organisation", "respondent", "consultant", "answers", "notes", "questionnaire"):
        assert one[key] == two[key]


def test_invalid_answers_are_all_listed_with_lines(workdir: Path):
    answers = write(
        workdir / "a.yaml",
        """\
        organisation: Acme
        respondent: {role: manager}
        answers:
          problem_scope: everywhere
          crm_rating: 7
          nps: 3
        notes:
          ghost: boo
        """,
    )
    result = assess("--answers", str(answers))
    assert result.exit_code == 2
    assert _talk(result) == (
        f"error: {answers}: 4 problems:\n"
        "  line 4: problem_scope: 'everywhere' is not an option; allowed: one of widespread, "
        "some_teams, few_individuals, none\n"
        "  line 5: crm_rating: 7 is outside 1 to 5; allowed: a whole number 1 to 5 (1 = "
        "strongly disagree, 5 = strongly agree)\n"
        "  line 6: nps: no such question in questionnaire mini\n"
        "  line 8: note on ghost: no such question in questionnaire mini\n"
        "hint: correct these answers in the file and run the command again\n"
    )
    assert list(workdir.glob("*.findings.yaml")) == []


def test_structure_problems_in_answers_file(workdir: Path):
    answers = write(
        workdir / "a.yaml",
        """\
        organisation: [Acme]
        respondent: {role: ceo}
        answer:
          x: 1
        """,
    )
    result = assess("--answers", str(answers))
    assert result.exit_code == 2
    assert _talk(result).startswith(
        f"error: {answers}: 3 problems in the answers file:\n"
        "  line 1: organisation must be text\n"
        "  line 2: role 'ceo' is not one of board, manager, staff, frontline, customer\n"
        "  line 3: unknown key 'answer'; an answers file has organisation, respondent, "
        "consultant, answers, notes\n"
    )


def test_incomplete_answers_without_terminal_list_everything_missing(workdir: Path):
    answers = write(
        workdir / "a.yaml",
        """\
        answers:
          problem_scope: none
          has_crm: true
        """,
    )
    result = assess("--answers", str(answers))
    assert result.exit_code == 2
    assert _talk(result) == (
        f"error: {answers}: 8 required answers are missing; nothing was written:\n"
        "  organisation: the client organisation (or --organisation)\n"
        "  respondent: {role: ...}, one of board, manager, staff, frontline, customer "
        "(or --role)\n"
        "  crm_rating (likert): The customer record system helps staff serve customers.\n"
        "  nps_recommend (scale): How likely are customers to recommend you?\n"
        "  channels (multi_choice): Which channels do customers use?\n"
        "  staff_count (number): How many front-line staff are there?\n"
        "  biggest_issue (text): In one sentence, the biggest service issue?\n"
        "  board_vision (likert): The board talks about service and acts on it.\n"
        "hint: add them to the answers file, pass --defaults to accept the questionnaire's "
        "defaults, or run in a terminal to be asked the rest\n"
    )
    assert list(workdir.iterdir()) == [answers]


def test_defaults_and_options_complete_a_partial_file(workdir: Path):
    answers = write(
        workdir / "a.yaml",
        """\
        answers:
          problem_scope: none
          has_crm: false
          crm_rating: 4
          nps_recommend: unknown
          biggest_issue: Queues
          board_vision: 3
        """,
    )
    result = assess(
        "--answers",
        str(answers),
        "--defaults",
        "--organisation",
        "Beta & Co",
        "--role",
        "Frontline",
        "-o",
        "out.yaml",
    )
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((workdir / "out.yaml").read_text())
    assert data["organisation"] == "Beta & Co" and data["respondent"] == {"role": "frontline"}
    assert data["answers"] == {
        "problem_scope": "none",
        "has_crm": False,
        "nps_recommend": "unknown",
        "channels": ["phone"],
        "staff_count": 10,
        "biggest_issue": "Queues",
        "board_vision": 3,
    }
    assert (
        "warning: answer to crm_rating ignored: the question does not apply to these "
        "answers" in _talk(result)
    )
    coverage = data["coverage"]
    assert (
        f"{coverage['answered']} answered, {coverage['unknown']} don't know, "
        f"{coverage['skipped']} skipped" in _talk(result)
    )


def test_no_terminal_and_no_answers_says_how_to_run(workdir: Path):
    result = assess()
    assert result.exit_code == 2
    assert _talk(result) == (
        "error: no terminal to ask the questions in\n"
        "hint: run svcdiag assess in a terminal, or answer from a file: svcdiag assess "
        "QUESTIONNAIRE --answers FILE [--defaults] (see the README for its shape)\n"
    )


def test_existing_findings_file_needs_force(workdir: Path):
    answers = write(workdir / "a.yaml", COMPLETE)
    (workdir / "out.yaml").write_text("precious\n")
    result = assess("--answers", str(answers), "-o", "out.yaml")
    assert result.exit_code == 2
    assert _talk(result) == (
        "error: out.yaml already exists; nothing was written\n"
        "hint: choose another name with --output, or pass --force to replace it\n"
    )
    assert (workdir / "out.yaml").read_text() == "precious\n"
    result = assess("--answers", str(answers), "-o", "out.yaml", "--force")
    assert result.exit_code == 0
    assert yaml.safe_load((workdir / "out.yaml").read_text())["organisation"] == "Acme Ltd"


def test_default_name_never_replaces_an_earlier_file(workdir: Path):
    answers = write(workdir / "a.yaml", COMPLETE)
    assert assess("--answers", str(answers)).exit_code == 0
    assert assess("--answers", str(answers)).exit_code == 0
    names = {p.name for p in workdir.glob("*.findings.yaml")}
    (first,) = [n for n in names if not n.endswith("-2.findings.yaml")]
    assert names == {first, first.replace(".findings.yaml", "-2.findings.yaml")}


def test_bad_role_option_and_missing_questionnaire(workdir: Path):
    result = assess("--role", "chief", "--defaults")
    assert result.exit_code == 2
    assert _talk(result).startswith("error: --role 'chief' is not one of board, manager")
    result = runner.invoke(app, ["assess", "nosuch", "--defaults"])
    assert result.exit_code == 2
    assert "no questionnaire 'nosuch'" in _talk(result)


def test_missing_answers_file(workdir: Path):
    result = assess("--answers", "absent.yaml")
    assert result.exit_code == 2
    assert _talk(result).startswith("error: absent.yaml: no such file")


def test_resume_without_sessions_or_terminal(workdir: Path):
    result = runner.invoke(app, ["assess", "--resume"])
    assert result.exit_code == 2
    assert _talk(result).startswith("error: there is no unfinished session to resume")
    result = runner.invoke(app, ["assess", "--resume", "--answers", "x.yaml"])
    assert result.exit_code == 2
    assert "cannot take --answers or --defaults" in _talk(result)


def test_help_lists_every_exit_status_assess_uses(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\n", encoding="utf-8")
    invalid = runner.invoke(app, ["assess", str(bad)])
    assert invalid.exit_code == 3
    result = runner.invoke(app, ["assess", "--help"])
    text = " ".join(result.stdout.split())
    assert (
        "Exit status: 0 done, 2 bad or incomplete answers (nothing written), 3 a questionnaire "
        "or catalogue definition is invalid (svcdiag lint shows where), 130 interrupted "
        "(answers saved)." in text
    )


def test_help_documents_resume_and_answers():
    result = runner.invoke(app, ["assess", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    for phrase in (
        "--resume",
        "--answers",
        "--defaults",
        "--output",
        "--force",
        "[QUESTIONNAIRE|SESSION]",
        "svcdiag assess --resume [SESSION]",
    ):
        assert phrase in text


def test_a_folder_is_named_as_a_folder(workdir: Path):
    (workdir / "defs").mkdir()
    result = runner.invoke(app, ["assess", "defs", "--defaults"])
    assert result.exit_code == 2
    assert _talk(result).splitlines()[0] == (
        "error: defs is a folder; a questionnaire is one YAML file"
    )
    assert (
        _talk(result)
        .splitlines()[1]
        .startswith("hint: give the path of a questionnaire file in it, or a shipped id: ")
    )


def test_problems_are_listed_in_line_order(workdir: Path):
    # notes before answers: the note's problem (line 2) comes first all the same
    answers = write(
        workdir / "a.yaml",
        """\
        notes:
          ghost: boo
        organisation: Acme
        respondent: {role: manager}
        answers:
          crm_rating: 7
        """,
    )
    result = assess("--answers", str(answers))
    assert result.exit_code == 2
    assert [line.split(":")[0] for line in _talk(result).splitlines()[1:3]] == [
        "  line 2",
        "  line 6",
    ]


def test_missing_answers_hint_suggests_only_what_was_not_done(workdir: Path):
    # --defaults given, no answers file: suggest a file, never --defaults again
    result = assess("--defaults", "--organisation", "X", "--role", "staff")
    assert result.exit_code == 2
    assert _talk(result).splitlines()[-1] == (
        "hint: give them in a file with --answers, or run in a terminal to be asked the rest"
    )
    # a file and --defaults, only the organisation missing
    complete = COMPLETE.replace("organisation: Acme Ltd\n", "")
    answers = write(workdir / "a.yaml", complete)
    result = assess("--answers", str(answers), "--defaults")
    assert result.exit_code == 2
    assert _talk(result).splitlines()[-1] == (
        "hint: add them to the answers file, or run in a terminal to be asked the rest"
    )
    # without --defaults, but no missing question has a default: --defaults would not help
    result = assess("--answers", str(answers))
    assert result.exit_code == 2
    assert "--defaults" not in _talk(result)


def test_closing_summary_repeats_the_verdict_first_steps_and_the_reports_counts(workdir: Path):
    # one definition of asked, answered, don't know and skipped: the closing lines
    # say exactly what the report's coverage section says
    example = Path(__file__).parents[2] / "examples" / "answers-widespread.yaml"
    result = runner.invoke(
        app, ["assess", "--answers", str(example), "-o", "x.yaml", "-f", "markdown"]
    )
    assert result.exit_code == 0, result.output
    closing = result.stderr.splitlines()
    assert closing[0].startswith("Verdict: System.")
    assert closing[1] == "First steps:"
    assert closing[2] == "  1. Clarify goals and settle conflicting priorities (owner: managers)"
    report = result.stdout
    coverage_line = next(line for line in closing if "questions that carry evidence" in line)
    assert coverage_line.endswith(" 2 notes.")
    assert coverage_line.removesuffix(" 2 notes.") in " ".join(report.split())

"""The command-line conventions users expect, checked on what the commands print."""

from __future__ import annotations

import os
import re
import shlex
import shutil
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from svcdiag import __version__
from svcdiag.assess.prompt_text import prompt_problem, ticked_text
from svcdiag.assess.sessions import Session, SessionQuestionnaire, SessionStore
from svcdiag.models.questionnaire import Question

from .conftest import EXAMPLES, run

ROOT = EXAMPLES.parent


@pytest.fixture
def in_tmp(tmp_path: Path) -> Iterator[Path]:
    old = Path.cwd()
    os.chdir(tmp_path)
    yield tmp_path
    os.chdir(old)


def test_dash_v_prints_the_version() -> None:
    assert run("-V").stdout == f"svcdiag {__version__}\n"


def test_svcdiag_alone_prints_help_and_succeeds() -> None:
    result = run()
    assert result.exit_code == 0
    assert "Commands:" in result.stdout
    assert "assess" in result.stdout


def test_shell_completion_is_offered() -> None:
    result = run("--help")
    assert "--install-completion" in result.stdout
    assert "--show-completion" in result.stdout


def test_command_summaries_in_help_are_never_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    commands = run("--help").stdout.split("Commands:", 1)[1]
    assert "..." not in commands and "…" not in commands
    assert re.search(r"write the\n +findings\.", commands)  # wrapped, not truncated


def test_an_unknown_schema_kind_is_a_plain_message() -> None:
    result = run("schema", "x")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: unknown kind 'x'; one of: questionnaire, findings,")


def test_list_dir_of_the_shipped_folder_lists_them_once_and_examples_quietly() -> None:
    shipped = run("list", "--dir", ROOT / "questionnaires")
    assert shipped.exit_code == 0
    assert sum(line.startswith("│ diagnostic") for line in shipped.stdout.splitlines()) == 1
    examples = run("list", "--dir", EXAMPLES)
    assert examples.exit_code == 0
    assert examples.stderr == ""  # answers and findings files are not broken questionnaires


def test_output_not_to_a_terminal_has_no_trailing_spaces() -> None:
    outputs = [
        run("list").stdout,
        run("report", EXAMPLES / "findings-widespread.yaml").stdout,
        run("nps", EXAMPLES / "nps_survey.csv", "--by", "branch").stdout,
        run(
            "variation",
            EXAMPLES / "complaints_by_agent.csv",
            "--unit",
            "agent",
            "--events",
            "complaints",
            "--cases",
            "contacts",
        ).stdout,
    ]
    for text in outputs:
        assert text.strip()
        assert [line for line in text.splitlines() if line != line.rstrip()] == []


def test_every_output_file_is_confirmed_the_same_way(tmp_path: Path) -> None:
    targets = {
        "report": ["report", EXAMPLES / "findings-healthy.yaml", "-o", tmp_path / "r.md"],
        "nps": ["nps", EXAMPLES / "nps_survey.csv", "-o", tmp_path / "n.yaml"],
        "assess": ["assess", "-a", EXAMPLES / "answers-healthy.yaml", "-o", tmp_path / "a.yaml"],
    }
    for name, argv in targets.items():
        result = run(*argv)
        assert result.exit_code == 0, (name, result.output)
        assert f"wrote {argv[-1]}\n" in result.stderr, name


def _session(store: SessionStore, organisation: str) -> None:
    t0 = datetime(2026, 11, 22, 14, 30, tzinfo=timezone.utc)
    store.save(
        Session(
            id=store.new_id(organisation, t0),
            questionnaire=SessionQuestionnaire(
                ref="diagnostic", id="diagnostic", version="1.0", sha256="0" * 64
            ),
            organisation=organisation,
            started=t0,
            updated=t0,
            total=55,
        )
    )


@pytest.mark.parametrize(
    "organisation", ["Acme Ltd", "The Very Long Organisation Name of Consolidated Widgets plc"]
)
def test_the_sessions_list_never_breaks_ids_or_headers_at_80_columns(
    monkeypatch: pytest.MonkeyPatch, organisation: str
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    store = SessionStore.default()
    _session(store, organisation)
    (session_id,) = store.ids()
    out = run("sessions").stdout
    assert all(len(line) <= 80 for line in out.splitlines())
    assert any(session_id in line for line in out.splitlines())
    header = out.splitlines()[1]
    if header.startswith("id "):  # the table
        assert header.split() == ["id", "organisation", "questionnaire", "answers", "changed"]
    else:  # one session to a pair of lines, the details indented
        assert header == session_id
        assert all(line.startswith("  ") for line in out.splitlines()[2:])


def test_resume_says_which_session_it_resumed() -> None:
    store = SessionStore.default()
    _session(store, "Acme Ltd")
    result = run("assess", "--resume")  # no terminal: it stops after saying which
    assert "Resuming session acme-ltd-20261122-143000 (Acme Ltd, 0 answers so far)." in (
        result.stderr
    )


CHANNELS = Question.model_validate(
    {
        "id": "channels",
        "text": "Which channels?",
        "type": "multi_choice",
        "options": [
            {"id": "phone", "label": "Telephone"},
            {"id": "none", "label": "No channel at all", "exclusive": True},
        ],
    }
)


def test_prompt_validation_speaks_in_labels_and_fits_the_width() -> None:
    problem = "none cannot be combined with other options; allowed: a list of option ids from …"
    assert prompt_problem(CHANNELS, problem, 80) == (
        "'No channel at all' cannot be combined with other options"
    )
    assert len(prompt_problem(CHANNELS, "x" * 300, 40)) == 38
    assert prompt_problem(CHANNELS, "x" * 300, 40).endswith("…")


def test_multi_choice_echo_names_what_was_ticked() -> None:
    assert ticked_text(CHANNELS, ["phone"]) == "ticked: Telephone"
    assert ticked_text(CHANNELS, []) == "ticked: none"


def _readme_examples() -> list[list[str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Examples", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    joined = section.replace("\\\n", " ")
    return [
        shlex.split(line)[1:] for line in joined.splitlines() if line.strip().startswith("svcdiag ")
    ]


def test_the_readme_examples_run_twice(in_tmp: Path) -> None:
    shutil.copytree(EXAMPLES, in_tmp / "examples")
    commands = _readme_examples()
    assert len(commands) == 8
    for attempt in (1, 2):
        for argv in commands:
            result = run(*argv)
            assert result.exit_code == 0, (attempt, argv, result.stderr)
    written = sorted(p.name for p in (in_tmp / "out").iterdir())
    assert written == sorted(
        f"{n}.yaml" for n in ("widespread", "few", "trained", "healthy", "triage", "complaints")
    )
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "out/" in ignored


def test_no_example_command_writes_outside_out(in_tmp: Path) -> None:
    for argv in _readme_examples():
        for flag in ("-o", "--output"):
            if flag in argv:
                assert re.match(r"out/", argv[argv.index(flag) + 1])

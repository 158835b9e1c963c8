"""``svcdiag engagement new/add/status/report`` and ``svcdiag assess --engagement``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from svcdiag.cli import app
from svcdiag.definitions.loading import load_questionnaire
from svcdiag.models.engagement import ENGAGEMENT_FILE
from svcdiag.models.responses import (
    Response,
    ResponsesFile,
    ResponsesQuestionnaire,
    ResponsesSource,
)
from svcdiag.serialise import to_yaml
from tests.engagement.conftest import EXAMPLES, SHIPPED_VERSION, make_people

runner = CliRunner()
EXAMPLE = EXAMPLES / "engagement"
FIXED_KEYS = {
    "organisation",
    "questionnaire",
    "respondents",
    "anonymity_floor",
    "groups",
    "gaps",
    "agreement",
    "diagnosis",
    "recommendations",
}


def _run(*args: str | Path):
    return runner.invoke(app, [str(a) for a in args])


def _new(folder: Path, *extra: str) -> Path:
    result = _run("engagement", "new", folder, "--organisation", "Acme Ltd", *extra)
    assert result.exit_code == 0, result.output
    return folder


def _with_units(folder: Path) -> None:
    path = folder / ENGAGEMENT_FILE
    data = yaml.safe_load(path.read_text())
    data["units"] = [{"id": "north", "name": "North"}, {"id": "south", "name": "South"}]
    path.write_text(yaml.safe_dump(data))


def client_answers(folder: Path, example: str) -> Path:
    """A copy of the example answers file ``example`` naming the client of ``folder``.

    The example files name organisations of their own, which ``assess
    --engagement`` refuses; the copy names the engagement's in lower case
    (spelt otherwise, the same client).
    """
    organisation = yaml.safe_load((folder / ENGAGEMENT_FILE).read_text())["organisation"]
    return _answers_at(folder.parent, organisation.lower(), example, f"{folder.name}-{example}")


def _answers_at(
    where: Path, organisation: str | None, example: str = "answers-widespread.yaml", name: str = ""
) -> Path:
    """A copy of an example answers file in ``where`` naming ``organisation`` (None: none)."""
    data = yaml.safe_load((EXAMPLES / example).read_text(encoding="utf-8"))
    data.pop("organisation")
    if organisation is not None:
        data["organisation"] = organisation
    path = where / (name or f"{organisation or 'nobody'}-{example}")
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _interview(folder: Path, answers: str, role: str, *extra: str) -> Path:
    before = set((folder / "interviews").iterdir())
    result = _run(
        "assess",
        "--engagement",
        folder,
        "-a",
        client_answers(folder, answers),
        "--role",
        role,
        "-f",
        "json",
        *extra,
    )
    assert result.exit_code == 0, result.output
    (new,) = set((folder / "interviews").iterdir()) - before
    return new


def _responses(people, ids=None) -> str:
    loaded = load_questionnaire("diagnostic")
    return to_yaml(
        ResponsesFile(
            questionnaire=ResponsesQuestionnaire(
                id="diagnostic", version=loaded.questionnaire.version, sha256=loaded.sha256
            ),
            source=ResponsesSource(
                platform="csv", file="survey.csv", imported="2026-03-01T10:00:00Z", sha256="0" * 64
            ),
            responses=[
                Response(
                    id=ids[i] if ids else f"r{i}",
                    role=p.role,
                    unit=p.unit,
                    answers=dict(p.answers),
                    notes=dict(p.notes),
                )
                for i, p in enumerate(people)
            ],
        )
    )


# --- new ---------------------------------------------------------------------------


def test_new_writes_the_folder(tmp_path: Path) -> None:
    folder = _new(tmp_path / "acme", "--anonymity-floor", "4")
    data = yaml.safe_load((folder / ENGAGEMENT_FILE).read_text())
    assert data["organisation"] == "Acme Ltd"
    assert data["questionnaire"] == {"id": "diagnostic", "version": SHIPPED_VERSION}
    assert data["anonymity_floor"] == 4
    assert all((folder / sub).is_dir() for sub in ("interviews", "responses", "evidence"))


def test_new_keeps_names_without_outer_spaces_as_assess_does(tmp_path: Path) -> None:
    folder = tmp_path / "acme"
    args = ["--organisation", "\t Acme Ltd ", "--consultant", " Sam Jones\t"]
    result = _run("engagement", "new", folder, *args)
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((folder / ENGAGEMENT_FILE).read_text())
    assert (data["organisation"], data["consultant"]) == ("Acme Ltd", "Sam Jones")
    blank = _run("engagement", "new", tmp_path / "b", "--organisation", "B", "--consultant", "  ")
    assert blank.exit_code == 0, blank.output
    assert "consultant" not in yaml.safe_load((tmp_path / "b" / ENGAGEMENT_FILE).read_text())


def test_new_refuses_an_existing_engagement_and_keeps_it(tmp_path: Path) -> None:
    folder = _new(tmp_path / "acme")
    before = (folder / ENGAGEMENT_FILE).read_text()
    result = _run("engagement", "new", folder, "--organisation", "Other")
    assert result.exit_code == 2
    assert "already exists" in result.stderr
    assert (folder / ENGAGEMENT_FILE).read_text() == before


def test_new_on_a_half_made_folder_keeps_its_files(tmp_path: Path) -> None:
    folder = tmp_path / "acme"
    (folder / "interviews").mkdir(parents=True)
    kept = folder / "interviews" / "earlier.findings.yaml"
    kept.write_text("whatever was there\n")
    _new(folder)
    assert kept.read_text() == "whatever was there\n"


@pytest.mark.parametrize("floor", ["2", "0"])
def test_new_refuses_a_floor_under_three(tmp_path: Path, floor: str) -> None:
    result = _run(
        "engagement", "new", tmp_path / "x", "--organisation", "A", "--anonymity-floor", floor
    )
    assert result.exit_code == 2
    assert "too low" in result.stderr
    assert not (tmp_path / "x" / ENGAGEMENT_FILE).exists()


# --- assess --engagement -------------------------------------------------------------


def test_assess_into_an_engagement_never_overwrites(tmp_path: Path) -> None:
    folder = _new(tmp_path / "acme")
    _with_units(folder)
    first = _interview(folder, "answers-widespread.yaml", "frontline", "--unit", "north")
    second = _interview(folder, "answers-widespread.yaml", "frontline", "--unit", "north")
    assert first != second
    for path in (first, second):
        data = yaml.safe_load(path.read_text())
        assert data["organisation"] == "Acme Ltd"  # the engagement's spelling, not the file's
        assert data["respondent"]["role"] == "frontline"
        assert data["respondent"]["unit"] == "north"


def _assess_into(folder: Path, answers: Path, *extra: str):
    return _run("assess", "--engagement", folder, "-a", answers, "--role", "staff", *extra)


def test_assess_refuses_answers_that_name_another_client(tmp_path: Path) -> None:
    folder = _new(tmp_path / "acme")
    answers = EXAMPLES / "answers-widespread.yaml"
    refused = _assess_into(folder, answers)
    assert refused.exit_code == 2
    assert " ".join(refused.stderr.split()) == (
        f"error: {answers} is an interview at 'Brackenfield Home & Garden Ltd', not "
        "'Acme Ltd'; nothing was written hint: file only this client's interviews; if these "
        "are this client's (a new name, another spelling), pass --force to file them all the "
        "same"
    )
    assert list((folder / "interviews").iterdir()) == []


def test_assess_files_answers_of_another_name_with_force(tmp_path: Path) -> None:
    folder = _new(tmp_path / "acme")
    forced = _assess_into(folder, EXAMPLES / "answers-widespread.yaml", "--force", "-f", "json")
    assert forced.exit_code == 0, forced.output
    assert "written all the same (--force)" in " ".join(forced.stderr.split())
    (made,) = (folder / "interviews").iterdir()
    assert yaml.safe_load(made.read_text())["organisation"] == "Acme Ltd"


@pytest.mark.parametrize("named", ["  acme   LTD ", None])
def test_assess_takes_answers_of_the_same_client_however_spelt(
    tmp_path: Path, named: str | None
) -> None:
    folder = _new(tmp_path / "acme")
    answers = _answers_at(tmp_path, named)
    result = _assess_into(folder, answers, "-f", "json")
    assert result.exit_code == 0, result.output
    assert "all the same" not in result.stderr
    (made,) = (folder / "interviews").iterdir()
    assert yaml.safe_load(made.read_text())["organisation"] == "Acme Ltd"


def test_assess_refuses_an_unknown_unit(tmp_path: Path) -> None:
    folder = _new(tmp_path / "acme")
    _with_units(folder)
    result = _run(
        "assess",
        "--engagement",
        folder,
        "-a",
        EXAMPLES / "answers-widespread.yaml",
        "--role",
        "staff",
        "--unit",
        "west",
    )
    assert result.exit_code == 2
    assert "'west' is not a unit" in result.stderr
    assert "north, south" in result.stderr
    assert list((folder / "interviews").iterdir()) == []


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["-o", "x.yaml"], "--output cannot be combined with --engagement"),
        (["--organisation", "Other Ltd"], "differs from the engagement's"),
    ],
)
def test_assess_refuses_options_that_contradict_the_engagement(
    tmp_path: Path, extra: list[str], message: str
) -> None:
    folder = _new(tmp_path / "acme")
    result = _run(
        "assess",
        "--engagement",
        folder,
        "-a",
        EXAMPLES / "answers-widespread.yaml",
        "--role",
        "staff",
        *extra,
    )
    assert result.exit_code == 2
    assert message in result.stderr


def test_a_findings_file_with_a_unit_is_an_answers_file_again(tmp_path: Path) -> None:
    folder = _new(tmp_path / "acme")
    _with_units(folder)
    made = _interview(folder, "answers-widespread.yaml", "frontline", "--unit", "south")
    again = _run("assess", "-a", made, "-o", tmp_path / "again.yaml", "-f", "json")
    assert again.exit_code == 0, again.output
    assert yaml.safe_load((tmp_path / "again.yaml").read_text())["respondent"]["unit"] == "south"


# --- add -------------------------------------------------------------------------------


def test_add_files_of_each_kind_and_skip_repeats(tmp_path: Path) -> None:
    folder = _new(tmp_path / "acme")
    findings = tmp_path / "manager.findings.yaml"
    assert (
        _run(
            "assess", "-a", EXAMPLES / "answers-few-individuals.yaml", "-o", findings, "-f", "json"
        ).exit_code
        == 0
    )
    variation = tmp_path / "variation.yaml"
    assert (
        _run(
            "variation",
            EXAMPLES / "complaints_by_agent.csv",
            "--unit",
            "agent",
            "--events",
            "complaints",
            "--cases",
            "contacts",
            "-o",
            variation,
        ).exit_code
        == 0
    )
    # the interview was made at Millbrook Building Society, not Acme Ltd: refused, nothing added
    refused = _run("engagement", "add", folder, findings, variation)
    assert refused.exit_code == 2
    assert "is an interview at 'Millbrook Building Society', not 'Acme Ltd'" in " ".join(
        refused.stderr.split()
    )
    assert "--force" in refused.stderr
    assert not list((folder / "interviews").iterdir()) and not list((folder / "evidence").iterdir())
    result = _run("engagement", "add", folder, findings, variation, "--force")
    assert result.exit_code == 0, result.output
    assert "added all the same (--force)" in " ".join(result.stderr.split())
    assert (folder / "interviews" / "manager.findings.yaml").read_text() == findings.read_text()
    assert (folder / "evidence" / "variation.yaml").read_text() == variation.read_text()
    again = _run("engagement", "add", folder, findings)
    assert again.exit_code == 0
    assert again.stderr == f"skipped {findings}: already in interviews/ (same content)\n"
    assert len(list((folder / "interviews").iterdir())) == 1


def test_add_refuses_findings_of_another_questionnaire_and_writes_nothing(tmp_path: Path) -> None:
    folder = _new(tmp_path / "acme")
    good = tmp_path / "good.findings.yaml"
    triage = tmp_path / "triage.findings.yaml"
    assert (
        _run(
            "assess", "-a", EXAMPLES / "answers-widespread.yaml", "-o", good, "-f", "json"
        ).exit_code
        == 0
    )
    assert (
        _run(
            "assess",
            "triage",
            "-a",
            EXAMPLES / "answers-triage-feedback.yaml",
            "-o",
            triage,
            "-f",
            "json",
        ).exit_code
        == 0
    )
    result = _run("engagement", "add", folder, good, triage)
    assert result.exit_code == 2
    assert str(triage) in result.stderr
    assert "questionnaire 'triage'" in result.stderr
    assert list((folder / "interviews").iterdir()) == []  # the good one is not written either


def test_add_refuses_another_version(tmp_path: Path) -> None:
    folder = _new(tmp_path / "acme")
    old = tmp_path / "old.findings.yaml"
    assert (
        _run(
            "assess", "-a", EXAMPLES / "answers-widespread.yaml", "-o", old, "-f", "json"
        ).exit_code
        == 0
    )
    old.write_text(old.read_text().replace(f"version: '{SHIPPED_VERSION}'", "version: '0.9'"))
    assert "version: '0.9'" in old.read_text()
    result = _run("engagement", "add", folder, old)
    assert result.exit_code == 2
    assert f"{old}:" in result.stderr
    assert "version 0.9 of questionnaire 'diagnostic'" in result.stderr


def test_add_refuses_an_answers_file_with_a_hint(tmp_path: Path) -> None:
    folder = _new(tmp_path / "acme")
    result = _run("engagement", "add", folder, EXAMPLES / "answers-healthy.yaml")
    assert result.exit_code == 2
    assert "answers file, not findings" in result.stderr


# --- report ------------------------------------------------------------------------------


def test_the_example_shows_the_gap_and_a_system_verdict() -> None:
    result = _run("engagement", "report", EXAMPLE, "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= FIXED_KEYS
    assert data["diagnosis"]["verdict"] == "system"
    assert "perception_gap" in data["diagnosis"]["rule"]
    assert data["respondents"] == 28
    top = data["gaps"][0]
    assert set(top) >= {"kind", "id", "leaders", "frontline", "difference", "ci_low", "ci_high"}
    factor_gaps = [g for g in data["gaps"] if g["kind"] == "factor" and g["significant"]]
    assert factor_gaps and all(g["leaders"] > g["frontline"] for g in factor_gaps[:5])
    groups = {g["group"]: g for g in data["groups"]}
    assert groups["board"] == {
        "group": "board",
        "label": "Board",
        "dimension": "role",
        "role": "board",
        "suppressed": True,
        "merged_into": "leaders",
    }
    assert groups["leaders"]["n"] == 8 and groups["workforce"]["n"] == 20
    assert data["recommendations"][0]["intervention"] == "managers_on_front_line"
    assert all(a["band"] for a in data["agreement"])


def test_the_example_report_in_markdown_and_rich() -> None:
    markdown = _run("engagement", "report", EXAMPLE, "-f", "markdown")
    assert markdown.exit_code == 0
    assert "SYSTEM" in markdown.stdout
    assert "Leaders rate" in markdown.stdout
    assert (
        "| Board | suppressed | suppressed: counted in Leaders (board and managers) |"
        in markdown.stdout
    )
    rich = _run("engagement", "report", EXAMPLE)
    assert rich.exit_code == 0
    assert "Perception gaps" in rich.stdout and "suppressed" in rich.stdout
    assert max(len(line) for line in rich.stdout.splitlines()) <= 100


def test_report_to_a_file_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    assert _run("engagement", "report", EXAMPLE, "-f", "markdown", "-o", target).exit_code == 0
    first = target.read_text()
    again = _run("engagement", "report", EXAMPLE, "-f", "markdown", "-o", target)
    assert again.exit_code == 2 and "already exists" in again.stderr
    assert target.read_text() == first
    assert (
        _run("engagement", "report", EXAMPLE, "-f", "markdown", "-o", target, "--force").exit_code
        == 0
    )


def test_survey_responses_are_pooled_like_interviews(tmp_path: Path) -> None:
    folder = _new(tmp_path / "acme")
    _with_units(folder)
    _interview(folder, "answers-widespread.yaml", "frontline", "--unit", "north")
    people = make_people([("frontline", "north", 6), ("manager", "south", 5)])
    (folder / "responses" / "survey.yaml").write_text(_responses(people))
    data = json.loads(_run("engagement", "report", folder, "-f", "json").stdout)
    assert (data["respondents"], data["interviews"], data["survey_responses"]) == (12, 1, 11)
    groups = {g["group"]: g for g in data["groups"]}
    assert groups["frontline@unit:north"]["n"] == 7
    # the same responses again, in another file: counted once
    shutil.copy(folder / "responses" / "survey.yaml", folder / "responses" / "again.yaml")
    result = _run("engagement", "report", folder, "-f", "json")
    assert json.loads(result.stdout)["respondents"] == 12
    said = " ".join(result.stderr.split())
    assert (
        f"{folder / 'responses' / 'survey.yaml'}: 11 responses already read from "
        f"{folder / 'responses' / 'again.yaml'} (same id, same answers); counted once" in said
    )


def test_the_same_interview_twice_counts_once(tmp_path: Path) -> None:
    folder = _new(tmp_path / "acme")
    made = _interview(folder, "answers-widespread.yaml", "frontline")
    shutil.copy(made, folder / "interviews" / "copy.findings.yaml")
    result = _run("engagement", "report", folder, "-f", "json")
    assert json.loads(result.stdout)["respondents"] == 1
    assert "is the same interview as" in result.stderr


def test_one_respondent_is_never_high(tmp_path: Path) -> None:
    folder = _new(tmp_path / "acme")
    _interview(folder, "answers-widespread.yaml", "frontline")
    single = _run(
        "assess",
        "-a",
        EXAMPLES / "answers-widespread.yaml",
        "-o",
        tmp_path / "s.yaml",
        "-f",
        "json",
    )
    alone = json.loads(single.stdout)["diagnosis"]
    # the same answers as a single findings file: one view, no data, so medium at most
    assert alone["confidence_level"] == "medium"
    data = json.loads(_run("engagement", "report", folder, "-f", "json").stdout)
    assert data["diagnosis"]["verdict"] == alone["verdict"]
    assert data["diagnosis"]["confidence_level"] != "high"
    # the scores come from the same code as the single findings file
    assert data["factors"] == json.loads(single.stdout)["factors"]


def test_a_damaged_folder_gets_a_clear_error_and_loses_nothing(tmp_path: Path) -> None:
    folder = _new(tmp_path / "acme")
    made = _interview(folder, "answers-widespread.yaml", "frontline")
    broken = folder / "interviews" / "broken.findings.yaml"
    broken.write_text("organisation: [unclosed\n")
    leftover = folder / "interviews" / ".x.findings.yaml.abc123.tmp"
    leftover.write_text("half written")
    shutil.rmtree(folder / "evidence")
    result = _run("engagement", "report", folder)
    assert result.exit_code == 2
    assert str(broken) in result.stderr
    assert "Traceback" not in result.output
    assert made.exists() and broken.exists() and leftover.exists()
    broken.unlink()
    assert _run("engagement", "report", folder, "-f", "json").exit_code == 0


def test_not_an_engagement_folder(tmp_path: Path) -> None:
    result = _run("engagement", "report", tmp_path)
    assert result.exit_code == 2
    assert "has no engagement.yaml" in result.stderr
    assert "svcdiag engagement new" in result.stderr


def test_status_counts_against_headcounts(tmp_path: Path) -> None:
    folder = _new(tmp_path / "acme")
    _with_units(folder)
    path = folder / ENGAGEMENT_FILE
    data = yaml.safe_load(path.read_text())
    data["headcounts"] = [{"role": "frontline", "unit": "north", "count": 4}]
    path.write_text(yaml.safe_dump(data))
    _interview(folder, "answers-widespread.yaml", "frontline", "--unit", "north")
    result = _run("engagement", "status", folder)
    assert result.exit_code == 0, result.output
    row = next(line for line in result.stdout.splitlines() if line.startswith("frontline"))
    assert "north" in row and "25%" in row and "under 60%" in row
    assert "0 leaders (board and managers) answered" in result.stdout
    assert "one respondent" in result.stdout


def test_the_example_survey_is_what_its_script_writes() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_survey", EXAMPLE / "make_survey.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = (EXAMPLE / "responses" / "staff-survey.yaml").read_text(encoding="utf-8")
    assert written == to_yaml(module.make_responses(module.SURVEY))


def test_the_unit_is_asked_until_it_is_one_of_the_engagement(monkeypatch, capsys) -> None:
    from svcdiag.cli import assessing

    replies = iter(["west", "north"])
    monkeypatch.setattr(assessing.typer, "prompt", lambda *a, **k: next(replies))
    assert assessing._ask_unit({"north": "North", "south": "South"}) == "north"
    err = capsys.readouterr().err
    assert "north: North" in err and "'west' is not one of: north, south, none" in err
    monkeypatch.setattr(assessing.typer, "prompt", lambda *a, **k: "none")
    assert assessing._ask_unit({"north": "North"}) is None


def test_an_invalid_engagement_file_names_its_line(tmp_path: Path) -> None:
    folder = _new(tmp_path / "acme")
    path = folder / ENGAGEMENT_FILE
    path.write_text(path.read_text().replace("anonymity_floor: 5", "anonymity_floor: 2"))
    result = _run("engagement", "report", folder)
    assert result.exit_code == 2
    line = next(i for i, t in enumerate(path.read_text().splitlines(), 1) if "anonymity" in t)
    assert f"{path}:{line}:" in result.stderr
    assert "anonymity_floor: the anonymity floor is 2; it must be at least 3" in result.stderr
    assert "the fewest responses a group needs to be shown" in result.stderr


def test_assess_takes_the_engagements_organisation_spelt_otherwise(tmp_path: Path) -> None:
    """``--organisation`` is matched as ``engagement add`` matches names: case and spacing aside."""
    folder = _new(tmp_path / "acme")
    answers = client_answers(folder, "answers-widespread.yaml")
    result = _run(
        "assess", "--engagement", folder, "-a", answers, "--role", "staff",
        "--organisation", "  acme   LTD ",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    (written,) = (folder / "interviews").iterdir()
    assert yaml.safe_load(written.read_text())["organisation"] == "Acme Ltd"

"""``svcdiag engagement`` against hostile folders and files: each finding, on what it prints."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from svcdiag.models.engagement import ENGAGEMENT_FILE, EngagementFile
from svcdiag.textsafe import for_markdown_cell, for_shell, for_terminal
from tests.engagement.conftest import EXAMPLES, SHIPPED_VERSION
from tests.hardening.conftest import run

EXAMPLE = EXAMPLES / "engagement"
ESC = "\x1b"


def _flat(text: str) -> str:
    return " ".join(text.split())


def _new(folder: Path, organisation: str = "Brackenfield Home & Garden Ltd") -> Path:
    result = run("engagement", "new", folder, "--organisation", organisation)
    assert result.exit_code == 0, result.output
    return folder


def _edit(folder: Path, text: str, organisation: str = "Acme Ltd") -> Path:
    """Write ``engagement.yaml`` of the shipped questionnaire with ``text`` appended."""
    path = folder / ENGAGEMENT_FILE
    path.write_text(
        f"organisation: {organisation}\n"
        f"questionnaire: {{id: diagnostic, version: '{SHIPPED_VERSION}'}}\n" + text,
        encoding="utf-8",
    )
    return path


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, t in enumerate(path.read_text().splitlines(), 1) if needle in t)


def _copy_example(tmp_path: Path) -> Path:
    folder = tmp_path / "e"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("*.py", "*.md"))
    return folder


def _an_interview() -> Path:
    return sorted((EXAMPLE / "interviews").iterdir())[0]


# --- 4: terminal escapes through file and folder names ------------------------------


def test_add_prints_no_escape_and_stores_no_control_character(tmp_path: Path) -> None:
    folder = _new(tmp_path / "e6")
    hostile = tmp_path / f"larkspur{ESC}[31m;rm -rf.findings.yaml"
    shutil.copy(_an_interview(), hostile)
    result = run("engagement", "add", folder, hostile)
    assert result.exit_code == 0, result.output
    assert ESC not in result.output
    (stored,) = (folder / "interviews").iterdir()
    assert stored.name == "larkspur_[31m;rm -rf.findings.yaml"
    assert stored.read_bytes() == hostile.read_bytes()
    assert _flat(result.stderr) == (
        f"added {tmp_path}/larkspur[31m;rm -rf.findings.yaml -> {stored} "
        "(interview; control characters in its name replaced by _)"
    )
    again = run("engagement", "add", folder, hostile)
    assert ESC not in again.output
    assert _flat(again.stderr) == (
        f"skipped {tmp_path}/larkspur[31m;rm -rf.findings.yaml: already in interviews/ "
        "(same content)"
    )


def test_new_cleans_its_lines_and_quotes_the_next_command(tmp_path: Path) -> None:
    folder = tmp_path / f"e7{ESC}[31m"
    result = run("engagement", "new", folder, "--organisation", f"x{ESC}]0;title{ESC}\\")
    assert result.exit_code == 0, result.output
    assert ESC not in result.output
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"Engagement for x]0;title\\ created in {tmp_path}/e7[31m (")
    assert lines[1] == f"Next: svcdiag assess --engagement $'{tmp_path}/e7\\x1b[31m'"


def test_the_suggested_command_names_the_folder_made(tmp_path: Path) -> None:
    """What ``new`` suggests, pasted into a shell, names the folder it created."""
    folder = tmp_path / f"my client{ESC}[31m's"
    result = run("engagement", "new", folder, "--organisation", "Acme")
    word = result.stderr.splitlines()[1].removeprefix("Next: svcdiag assess --engagement ")
    shown = subprocess.run(
        ["bash", "-c", f"printf %s {word}"], capture_output=True, text=True, check=True
    ).stdout
    assert shown == str(folder) and Path(shown, ENGAGEMENT_FILE).is_file()


@settings(max_examples=200)
@given(st.text())
def test_a_shell_word_is_safe_to_print(text: str) -> None:
    word = for_shell(text)
    assert for_terminal(word) == word
    assert "\n" not in word and "\t" not in word


@pytest.mark.parametrize(
    "text",
    [
        "plain",
        "two words",
        "it's",
        "a\x1bb",
        "tab\there",
        "bidi\u202eend",
        "back\\slash'",
        "c1\x85next",  # a C1 control: bash's \x85 would be a lone byte, not U+0085
        "soft\xadhyphen",
        "plane15\U000f0000b",  # beyond U+FFFF: bash's \u reads four digits only
        "tag\U000e0001",
    ],
)
def test_a_shell_word_reads_back_as_the_text(text: str) -> None:
    shown = subprocess.run(
        ["bash", "-c", f"printf %s {for_shell(text)}"], capture_output=True, text=True, check=True
    ).stdout
    assert shown == text


# --- 7: engagement report -o FILE writes the format its name says ---------------------


@pytest.mark.parametrize(
    ("name", "starts"),
    [
        ("r.json", "{"),
        ("r.md", "# Service diagnosis"),
        ("r.html", "<!DOCTYPE html>"),
        ("r.yaml", "format:"),
    ],
)
def test_report_output_takes_its_format_from_the_suffix(
    tmp_path: Path, name: str, starts: str
) -> None:
    target = tmp_path / name
    result = run("engagement", "report", EXAMPLE, "-o", target)
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").startswith(starts)
    if name.endswith(".json"):
        assert json.loads(target.read_text())["organisation"] == "Brackenfield Home & Garden Ltd"


def test_report_output_with_an_unknown_suffix_is_refused_with_a_hint(tmp_path: Path) -> None:
    result = run("engagement", "report", EXAMPLE, "-o", tmp_path / "r.docx")
    assert result.exit_code == 2
    assert f"cannot tell the format of {tmp_path}/r.docx from its name" in _flat(result.stderr)
    assert "or pass --format" in result.stderr
    assert not (tmp_path / "r.docx").exists()
    txt = run("engagement", "report", EXAMPLE, "-o", tmp_path / "r.txt")
    assert txt.exit_code == 0
    assert (
        "Verdict" in (tmp_path / "r.txt").read_text()
        or "verdict" in (tmp_path / "r.txt").read_text()
    )


def test_a_format_that_contradicts_the_suffix_is_refused(tmp_path: Path) -> None:
    result = run("engagement", "report", EXAMPLE, "-f", "markdown", "-o", tmp_path / "out.pdf")
    assert result.exit_code == 2
    assert _flat(result.stderr) == (
        f"error: --format markdown contradicts the name {tmp_path}/out.pdf, which ends in "
        f".pdf (pdf); nothing was written "
        f"hint: leave --format out to write pdf, or name the file {tmp_path}/out.md"
    )
    assert not (tmp_path / "out.pdf").exists()
    unnamed = run("engagement", "report", EXAMPLE, "-f", "json", "-o", tmp_path / "report")
    assert unnamed.exit_code == 0
    assert json.loads((tmp_path / "report").read_text())["respondents"] > 0


# --- 8 and 21: engagement.yaml problems at their own line -----------------------------


def test_a_unit_cycle_is_refused_at_its_line(tmp_path: Path) -> None:
    folder = _new(tmp_path / "e")
    path = _edit(
        folder,
        "units:\n"
        "- {id: a, name: A, parent: b}\n"
        "- {id: b, name: B, parent: a}\n"
        "- {id: c, name: C, parent: a}\n",
    )
    for command in ("status", "report"):
        result = run("engagement", command, folder)
        assert result.exit_code == 2
        assert f"{path}:{_line_of(path, 'id: a,')}:" in result.stderr
        assert "units form a cycle (a -> b -> a)" in _flat(result.stderr)


def test_a_repeated_unit_id_is_named_at_its_second_line(tmp_path: Path) -> None:
    folder = _new(tmp_path / "e")
    path = _edit(
        folder,
        "units:\n- id: north\n  name: North\n- id: south\n  name: S\n- id: north\n  name: N2\n",
    )
    result = run("engagement", "status", folder)
    assert result.exit_code == 2
    assert f"{path}:8:" in result.stderr
    assert "unit id 'north' is used twice (units 1 and 3)" in _flat(result.stderr)


def test_a_floor_under_three_says_what_the_floor_is_for(tmp_path: Path) -> None:
    folder = _new(tmp_path / "e")
    path = _edit(folder, "consultant: me\nanonymity_floor: 1\n")
    result = run("engagement", "status", folder)
    assert result.exit_code == 2
    text = _flat(result.stderr)
    assert f"{path}:4:" in text
    assert "the anonymity floor is 1; it must be at least 3" in text
    assert "the fewest responses a group needs to be shown" in text


def test_a_comment_floor_under_the_anonymity_floor_is_at_its_line(tmp_path: Path) -> None:
    folder = _new(tmp_path / "e")
    path = _edit(folder, "anonymity_floor: 6\ncomment_floor: 4\n")
    result = run("engagement", "status", folder)
    assert result.exit_code == 2
    assert f"{path}:4:" in result.stderr
    assert "comment_floor 4 is below anonymity_floor 6" in _flat(result.stderr)


def _acyclic(parents: dict[str, str | None]) -> bool:
    """Whether following parents from every unit ends at a root (an independent walk)."""
    for start in parents:
        seen = set()
        node: str | None = start
        while node is not None:
            if node in seen:
                return False
            seen.add(node)
            node = parents[node]
    return True


@settings(max_examples=200)
@given(st.lists(st.one_of(st.none(), st.integers(0, 5)), min_size=1, max_size=6))
def test_a_unit_tree_is_accepted_exactly_when_it_has_no_cycle(picks: list[int | None]) -> None:
    ids = [f"u{i}" for i in range(len(picks))]
    parents = {ids[i]: None if p is None else ids[p % len(ids)] for i, p in enumerate(picks)}
    data = {
        "organisation": "A",
        "questionnaire": {"id": "diagnostic", "version": "1"},
        "units": [{"id": u, "name": u, "parent": p} for u, p in parents.items()],
    }
    try:
        EngagementFile.model_validate(data)
    except ValidationError as err:
        assert not _acyclic(parents)
        assert "units form a cycle" in str(err)
    else:
        assert _acyclic(parents)


def test_a_long_chain_of_units_is_checked_in_one_walk() -> None:
    """A unit tree 20,000 deep (or a cycle through all of it) is checked, not hung on.

    Walking up from each unit in turn, with the chain so far in a list, takes
    the cube of the depth: hours at this size. The alarm is a watchdog far
    above the milliseconds the check takes, not a measurement.
    """
    import signal

    def stop(*_: object) -> None:
        raise TimeoutError("the unit check did not finish within 60 s")

    depth = 20_000
    units = [
        {"id": f"u{i}", "name": f"U{i}", "parent": None if i == 0 else f"u{i - 1}"}
        for i in range(depth)
    ]
    data = {"organisation": "A", "questionnaire": {"id": "diagnostic", "version": "1"}}
    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(60)
    try:
        assert len(EngagementFile.model_validate({**data, "units": units}).units) == depth
        units[0]["parent"] = f"u{depth - 1}"  # the root under the deepest unit: one cycle
        with pytest.raises(ValidationError) as caught:
            EngagementFile.model_validate({**data, "units": units})
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    said = str(caught.value)
    top = " -> ".join(f"u{depth - i}" for i in range(1, 6))
    assert f"units form a cycle (u0 -> {top} -> … -> u0; 20,000 units)" in said


# --- 13: the questionnaire id is never a path ----------------------------------------------


def test_a_questionnaire_id_that_is_a_path_is_refused_at_its_line(tmp_path: Path) -> None:
    folder = _new(tmp_path / "a" / "b" / "e")
    path = folder / ENGAGEMENT_FILE
    path.write_text(
        path.read_text().replace("id: diagnostic", "id: ../../lint/ld/mine"), encoding="utf-8"
    )
    (tmp_path / "a" / "lint" / "ld").mkdir(parents=True)
    shutil.copy(
        EXAMPLES.parent / "questionnaires" / "diagnostic.yaml",
        tmp_path / "a" / "lint" / "ld" / "mine.yaml",
    )
    line = _line_of(path, "lint/ld/mine")
    for argv in (
        ("engagement", "status", folder),
        ("engagement", "report", folder),
        ("survey", "export", folder, "-o", tmp_path / "q.xlsx", "--force"),
    ):
        result = run(*argv)
        assert result.exit_code == 2, argv
        assert f"{path}:{line}:" in result.stderr
        assert "'../../lint/ld/mine' is not a questionnaire id" in _flat(result.stderr)
        assert "never a path" in _flat(result.stderr)
    assert not (tmp_path / "q.xlsx").exists()


# --- 9: a report is never written among the inputs; a misplaced file is named ---------


@pytest.mark.parametrize("sub", ["interviews", "responses", "evidence"])
def test_a_report_is_not_written_into_a_sub_folder(tmp_path: Path, sub: str) -> None:
    folder = _copy_example(tmp_path)
    before = sorted(p.name for p in (folder / sub).iterdir())
    result = run("engagement", "report", folder, "-o", folder / sub / "report.json")
    assert result.exit_code == 2
    assert f"a report is not written into {sub}/" in _flat(result.stderr)
    assert f"-o {folder}/report.json" in result.stderr
    assert sorted(p.name for p in (folder / sub).iterdir()) == before
    over = run("engagement", "report", folder, "-o", folder / ENGAGEMENT_FILE, "--force")
    assert over.exit_code == 2
    assert "a report over it would lose the engagement" in _flat(over.stderr)
    assert (folder / ENGAGEMENT_FILE).read_bytes() == (EXAMPLE / ENGAGEMENT_FILE).read_bytes()


@pytest.mark.parametrize(
    ("source", "sub", "said"),
    [
        (
            "report",
            "responses",
            "this is an engagement report (svcdiag engagement report), not a survey responses file",
        ),
        (
            "report",
            "evidence",
            "this is an engagement report (svcdiag engagement report), "
            "not a saved nps, variation or trend result",
        ),
        ("survey", "interviews", "this is a survey responses file, not a findings file"),
        ("interview", "evidence", "this is a findings file (an interview), not a saved nps"),
    ],
)
def test_a_file_of_another_kind_in_a_sub_folder_is_named(
    tmp_path: Path, source: str, sub: str, said: str
) -> None:
    folder = _copy_example(tmp_path)
    if source == "report":
        assert run("engagement", "report", folder, "-o", tmp_path / "r.json").exit_code == 0
        stray = tmp_path / "r.json"
    elif source == "survey":
        stray = folder / "responses" / "staff-survey.yaml"
    else:
        stray = _an_interview()
    shutil.copy(stray, folder / sub / f"stray{stray.suffix}")
    for command in ("status", "report"):
        result = run("engagement", command, folder)
        assert result.exit_code == 2
        text = _flat(result.stderr)
        assert text.startswith(f"error: {folder}/{sub}/stray{stray.suffix}:1: {said}"), text
        assert "more" not in text and "Field required" not in text


def test_add_names_an_engagement_file_and_a_report(tmp_path: Path) -> None:
    folder = _copy_example(tmp_path)
    result = run("engagement", "add", folder, folder / ENGAGEMENT_FILE)
    assert result.exit_code == 2
    assert "this is an engagement's engagement.yaml; engagement add takes findings files" in (
        _flat(result.stderr)
    )
    assert "target" not in result.stderr
    assert run("engagement", "report", folder, "-o", tmp_path / "r.yaml").exit_code == 0
    report = run("engagement", "add", folder, tmp_path / "r.yaml")
    assert report.exit_code == 2
    assert "this is an engagement report (svcdiag engagement report)" in _flat(report.stderr)


# --- 12: another organisation's interview, and a file added twice ---------------------


def test_another_organisations_interview_is_refused_unless_forced(tmp_path: Path) -> None:
    folder = _new(tmp_path / "e", organisation="Acme Ltd")
    interview = _an_interview()
    refused = run("engagement", "add", folder, interview)
    assert refused.exit_code == 2
    assert _flat(refused.stderr) == (
        f"error: {interview} is an interview at 'Brackenfield Home & Garden Ltd', not "
        "'Acme Ltd'; nothing was added hint: add only this client's interviews; if these are "
        "this client's (a new name, another spelling), pass --force to add them all the same"
    )
    assert not list((folder / "interviews").iterdir())
    forced = run("engagement", "add", folder, interview, "--force")
    assert forced.exit_code == 0
    assert "added all the same (--force)" in _flat(forced.stderr)
    twice = run("engagement", "add", folder, interview)
    assert twice.exit_code == 0
    assert _flat(twice.stderr) == f"skipped {interview}: already in interviews/ (same content)"


# --- 14: symbolic links in the folder --------------------------------------------------


def test_a_linked_interviews_folder_is_refused_and_nothing_is_written_there(
    tmp_path: Path,
) -> None:
    other = _copy_example(tmp_path)
    folder = _new(tmp_path / "mine")
    (folder / "interviews").rmdir()
    (folder / "interviews").symlink_to(other / "interviews")
    before = sorted(p.name for p in (other / "interviews").iterdir())
    for argv in (
        ("engagement", "status", folder),
        ("engagement", "report", folder),
        (
            "engagement",
            "add",
            folder,
            EXAMPLES / "engagement" / "evidence" / "complaints-by-agent.yaml",
        ),
        (
            "assess",
            "--engagement",
            folder,
            "-a",
            EXAMPLES / "answers-widespread.yaml",
            "--role",
            "frontline",
            "-f",
            "json",
        ),
    ):
        result = run(*argv)
        assert result.exit_code == 2, argv
        assert (
            f"error: {folder}/interviews: is a symbolic link; interviews/ must be a real folder"
            in (_flat(result.stderr))
        ), argv
    assert sorted(p.name for p in (other / "interviews").iterdir()) == before


def test_a_linked_file_in_a_sub_folder_is_refused(tmp_path: Path) -> None:
    folder = _copy_example(tmp_path)
    outside = tmp_path / "outside.findings.yaml"
    shutil.copy(_an_interview(), outside)
    (folder / "interviews" / "linked.findings.yaml").symlink_to(outside)
    result = run("engagement", "status", folder)
    assert result.exit_code == 2
    assert (
        f"{folder}/interviews/linked.findings.yaml: is a symbolic link; each file in "
        "interviews/ must be a real file"
    ) in _flat(result.stderr)


def test_survey_import_refuses_a_linked_responses_folder(tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    folder = _new(tmp_path / "mine")
    (folder / "responses").rmdir()
    (folder / "responses").symlink_to(other)
    result = run(
        "survey", "import", folder, EXAMPLES / "engagement" / "responses" / "staff-survey.yaml"
    )
    assert result.exit_code == 2
    assert "responses: is a symbolic link" in result.stderr
    assert not os.listdir(other)


# --- 25: status against headcounts, honestly --------------------------------------------


def test_status_warns_when_answers_exceed_the_headcount(tmp_path: Path) -> None:
    folder = _new(tmp_path / "e")
    # the example's board member and its two managers (north, south: no units here)
    leaders = [
        p
        for p in sorted((EXAMPLE / "interviews").iterdir())
        if yaml.safe_load(p.read_text())["respondent"]["role"] in ("board", "manager")
    ]
    assert len(leaders) == 3
    assert run("engagement", "add", folder, *leaders).exit_code == 0
    _edit(
        folder,
        "headcounts:\n- {role: manager, count: 1}\n- {role: board, count: 0}\n",
        organisation="Brackenfield Home & Garden Ltd",
    )
    result = run("engagement", "status", folder)
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line for line in result.stdout.splitlines() if line[:1].isalpha()}
    # 2 managers against a headcount of 1: not "200%"
    assert "over 100%" in rows["manager"] and "200%" not in result.stdout
    assert "—" in rows["board"]
    assert result.stdout.count("more than the headcount") == 2
    warnings = [w.strip() for w in _flat(result.stdout).split("warning: ")[1:]]
    assert (
        "manager (whole organisation): 2 people answered, but the headcount in "
        "engagement.yaml is 1; correct the headcount, or look for someone counted twice"
    ) in warnings
    assert (
        "board (whole organisation): 1 person answered, but the headcount in "
        "engagement.yaml is 0; correct the headcount, or look for someone counted twice"
    ) in warnings


def test_status_counts_are_singular_when_one(tmp_path: Path) -> None:
    folder = _new(tmp_path / "e")
    assert run("engagement", "add", folder, _an_interview()).exit_code == 0
    shutil.copy(EXAMPLE / "evidence" / "complaints-by-agent.yaml", folder / "evidence")
    result = run("engagement", "status", folder)
    assert "; 1 interview, 0 survey responses, 1 data file." in _flat(result.stdout)


# --- 27: JSON titles without added quotes, Markdown numbers unescaped ----------------


def test_json_gap_titles_carry_no_quote_marks_and_sentences_quote_questions() -> None:
    data = json.loads(run("engagement", "report", EXAMPLE, "-f", "json").stdout)
    questions = [g for g in data["gaps"] if g["kind"] == "question"]
    assert questions
    for gap in questions:
        assert not gap["title"].startswith('"') and not gap["title"].endswith('"')
        assert f'"{gap["title"]}"' in gap["sentence"]


def test_markdown_table_numbers_are_not_escaped() -> None:
    text = run("engagement", "report", EXAMPLE, "-f", "markdown").stdout
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    assert rows
    assert not any("\\." in row or "\\+" in row or "\\-" in row for row in rows)
    assert any("| 100.00 | 0.00 | +100.00 |" in row for row in rows)


@settings(max_examples=300)
@given(st.text())
def test_a_markdown_cell_never_breaks_its_table(text: str) -> None:
    cell = for_markdown_cell(text)
    assert "\n" not in cell and for_terminal(cell) == cell
    # a pipe ends the cell unless escaped: an odd run of backslashes before it
    assert all(len(m.group(1)) % 2 == 1 for m in re.finditer(r"(\\*)\|", cell))


# --- 18: new on an existing engagement ---------------------------------------------------


def test_new_on_an_existing_engagement_hints_at_what_can_be_done(tmp_path: Path) -> None:
    folder = _new(tmp_path / "e1")
    before = (folder / ENGAGEMENT_FILE).read_bytes()
    result = run("engagement", "new", folder, "--organisation", "x")
    assert result.exit_code == 2
    assert "--output" not in result.stderr and "--force" not in result.stderr
    assert _flat(result.stderr) == (
        f"error: {folder}/engagement.yaml already exists: that folder is an engagement "
        "already; nothing was written hint: an engagement is never replaced: give another "
        f"folder for a new one, or edit {folder}/engagement.yaml by hand to change this one"
    )
    assert (folder / ENGAGEMENT_FILE).read_bytes() == before


def test_an_interview_in_a_hostile_folder_suggests_a_true_command(tmp_path: Path) -> None:
    folder = _new(tmp_path / f"e{ESC}[31m x")
    result = run(
        "assess", "--engagement", folder, "--role", "frontline",
        "-a", EXAMPLES / "answers-widespread.yaml", "-f", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert ESC not in result.stderr
    (made,) = (folder / "interviews").iterdir()
    suggested = result.stderr.splitlines()[-1]
    assert (
        suggested
        == f"See the report with: svcdiag report $'{str(made).replace(ESC, chr(92) + 'x1b')}'"
    )

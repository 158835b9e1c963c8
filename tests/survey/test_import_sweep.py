"""survey import after a sweep: its rejects file goes back in; errors leave nothing."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from svcdiag.cli import app
from svcdiag.definitions.loading import load_questionnaire
from svcdiag.models.engagement import RESPONSES_DIR
from svcdiag.survey.importing import import_responses
from svcdiag.survey.rejects import guard, is_rejects, unguard
from svcdiag.survey.store import read_responses, responses_files
from svcdiag.textsafe import for_csv
from tests.survey import layouts
from tests.survey.conftest import EVERYTHING, MakeEngagement

runner = CliRunner()
QUESTIONNAIRE = load_questionnaire(str(EVERYTHING)).questionnaire
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
HEADER = "response_id,respondent_role,scope,hours,comment\n"
#: Row b has a bad role; its comment is a formula, row d's a negative number, row e's quoted.
BAD = (
    HEADER
    + "a,staff,none,4,fine\n"
    + 'b,chief,none,5,"=HYPERLINK(""http://x"",""y"")"\n'
    + "d,boss,none,6,-3 stars\n"
    + "e,chef,none,7,'already quoted\n"
)


@pytest.fixture
def folder(make_engagement: MakeEngagement) -> Path:
    made = make_engagement("everything", version="2.1")
    shutil.copy(EVERYTHING, made / "everything.yaml")
    return made


def _comments(folder: Path) -> dict[str, object]:
    found: dict[str, object] = {}
    for path in responses_files(folder / RESPONSES_DIR):
        for response in read_responses(path).responses:
            found[response.id] = response.answers.get("comment")
    return found


def _invoke(*argv: str | Path) -> tuple[int, str]:
    result = runner.invoke(app, [str(a) for a in argv])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, " ".join(result.stderr.split())


def test_the_rejects_file_imports_once_corrected(folder: Path, tmp_path: Path) -> None:
    export = tmp_path / "badvals.csv"
    export.write_text(BAD, encoding="utf-8")
    code, said = _invoke("survey", "import", folder, export)
    assert code == 1
    rejects = tmp_path / "badvals.rejects.csv"
    assert (
        f"hint: correct the rows in {rejects} and import that file the same way "
        "(its line and problems columns are left out)"
    ) in said
    text = rejects.read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text and "'-3 stars" in text  # a spreadsheet never runs them
    fixed = text.replace(",chief,", ",staff,").replace(",boss,", ",manager,")
    rejects.write_text(fixed.replace(",chef,", ",frontline,"), encoding="utf-8")
    code, said = _invoke("survey", "import", folder, rejects)
    assert code == 0, said
    assert "rejects file of an earlier import" in said
    assert "read 3, imported 3, rejected 0, duplicates 0" in said
    assert _comments(folder) == {
        "a": "fine",
        "b": '=HYPERLINK("http://x","y")',
        "d": "-3 stars",
        "e": "'already quoted",
    }


def test_qualtrics_rejects_keep_the_rows_that_map_its_columns(folder: Path, tmp_path: Path) -> None:
    people = layouts.respondents(QUESTIONNAIRE, 3)
    lines = layouts.qualtrics_export(QUESTIONNAIRE, people).split("\r\n")
    names = lines[0].split(",")
    lines[0] = ",".join(names[:6] + [f"Q{n}" for n in range(1, len(names) - 5)])
    rows = list(csv.reader(io.StringIO("\r\n".join(lines))))
    role = rows[1].index("Which best describes your role?")  # column Q1, read by its text
    rows[3][role] = "Astronaut"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    export = tmp_path / "q.csv"
    export.write_text(buffer.getvalue(), encoding="utf-8")
    first = import_responses(folder, export)
    assert (first.imported, first.rejected) == (2, 1)
    assert first.rejects_file is not None
    rejects = first.rejects_file.read_text(encoding="utf-8")
    first.rejects_file.write_text(rejects.replace("Astronaut", people[0].role), encoding="utf-8")
    second = import_responses(folder, first.rejects_file)
    assert (second.from_rejects, second.imported, second.rejected) == (True, 1, 0)
    stored = {
        r.id: r.answers
        for path in responses_files(folder / RESPONSES_DIR)
        for r in read_responses(path).responses
    }
    assert [stored[p.id] for p in people] == [p.answers for p in people]


@given(st.text())
def test_guard_is_undone_exactly_and_never_leaves_a_formula(cell: str) -> None:
    guarded = guard(cell)
    assert unguard(guarded) == cell
    assert not guarded.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert guarded == cell or guarded == "'" + cell


def test_guard_agrees_with_the_formula_guard_of_other_csv_files() -> None:
    for cell in ("=1+1", "+1", "-1", "@SUM(A1)", "plain", ""):
        assert guard(cell) == for_csv(cell)
    assert guard("'=1") == "''=1"


def test_only_a_header_starting_line_problems_is_a_rejects_file() -> None:
    assert is_rejects(["line", "problems", "response_id"])
    assert not is_rejects(["response_id", "line", "problems"])
    assert not is_rejects(["line"])


def test_responses_that_is_a_file_is_named_and_nothing_is_written(
    folder: Path, tmp_path: Path
) -> None:
    (folder / RESPONSES_DIR).write_text("not a folder", encoding="utf-8")
    export = tmp_path / "badvals.csv"
    export.write_text(BAD, encoding="utf-8")
    code, said = _invoke("survey", "import", folder, export)
    assert code == 2
    assert f"error: {folder / RESPONSES_DIR}: responses is not a folder; nothing was imported" in (
        said
    )
    assert "cannot write" not in said
    assert not (tmp_path / "badvals.rejects.csv").exists()
    assert (folder / RESPONSES_DIR).read_text(encoding="utf-8") == "not a folder"


def test_a_failed_write_leaves_no_rejects_file(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from svcdiag.errors import InputFileError
    from svcdiag.survey import importing

    real_write = importing.write_new

    def full_disk(path: Path, text: str) -> None:
        if path.suffix == ".json":  # the responses file fails; a rejects file would be written
            raise InputFileError(path, "cannot write: No space left on device")
        real_write(path, text)

    monkeypatch.setattr(importing, "write_new", full_disk)
    export = tmp_path / "badvals.csv"
    export.write_text(BAD, encoding="utf-8")
    with pytest.raises(InputFileError, match="No space left"):
        import_responses(folder, export)
    assert list(tmp_path.glob("badvals.rejects*")) == []


def test_a_ragged_row_is_bad_input_exit_2(folder: Path, tmp_path: Path) -> None:
    export = tmp_path / "ragged.csv"
    export.write_text(HEADER + "a,staff,none,4,fine\nb,staff,none\n", encoding="utf-8")
    code, said = _invoke("survey", "import", folder, export)
    assert code == 2
    assert (
        f"error: {export}:3: the row has 3 field(s), but the header has 5; nothing was imported"
    ) in said
    assert responses_files(folder / RESPONSES_DIR) == []
    assert not (tmp_path / "ragged.rejects.csv").exists()


@pytest.mark.parametrize(
    ("source", "kind", "hint"),
    [
        (
            "findings-widespread.yaml",
            "a findings file saved by 'svcdiag assess' (one respondent's interview)",
            "add it to the engagement with: svcdiag engagement add {folder} {path}",
        ),
        (
            "answers-healthy.yaml",
            "an answers file",
            "make findings from it with: svcdiag assess --answers {path}",
        ),
        (
            "survey/engagement.yaml",
            "an engagement's engagement.yaml",
            "give the folder that holds it: svcdiag survey import {parent} EXPORT.csv",
        ),
    ],
)
def test_svcdiag_files_are_named_with_the_command_that_takes_them(
    folder: Path, tmp_path: Path, source: str, kind: str, hint: str
) -> None:
    path = tmp_path / "given.txt"  # the content decides, not the name
    shutil.copy(EXAMPLES / source, path)
    code, said = _invoke("survey", "import", folder, path)
    assert code == 2
    assert f"error: {path}:1: this is {kind}, not a survey export (CSV or XLSX)" in said
    assert "hint: " + hint.format(folder=folder, path=path, parent=tmp_path) in said
    assert "column 1" not in said


def test_a_questionnaire_and_any_json_are_named(folder: Path, tmp_path: Path) -> None:
    code, said = _invoke("survey", "import", folder, EVERYTHING)
    assert "this is a questionnaire definition, not a survey export" in said
    assert f"svcdiag survey export {EVERYTHING} -o FORM.xlsx" in said
    other = tmp_path / "data.json"
    other.write_text('{"rows": [1, 2]}', encoding="utf-8")
    code, said = _invoke("survey", "import", folder, other)
    assert code == 2
    assert f"{other}:1: this is YAML or JSON, not a survey export (CSV or XLSX)" in said


def test_a_header_of_another_platform_is_named(folder: Path, tmp_path: Path) -> None:
    from svcdiag.survey.xlsform import build_form

    people = layouts.respondents(QUESTIONNAIRE, 2)
    survey_rows = build_form(QUESTIONNAIRE).survey
    export = tmp_path / "kobo.csv"
    export.write_text(layouts.kobo_export(survey_rows, QUESTIONNAIRE, people), encoding="utf-8")
    code, said = _invoke("survey", "import", folder, export, "--from", "google")
    assert code == 2
    assert (
        f"error: {export}:1: the header looks like a KoboToolbox export, not Google Forms "
        "(--from google);"
    ) in said
    assert "hint: leave --from out to detect the layout, or give --from kobo" in said
    assert _invoke("survey", "import", folder, export)[0] == 0


@pytest.mark.parametrize("text", ["a\n", "abc\n", "yes\n", "a"])
def test_a_final_newline_is_never_lost_in_a_yaml_responses_file(text: str) -> None:
    import yaml

    from svcdiag.survey.store import quote

    assert yaml.safe_load(f"key: {quote(text)}\n") == {"key": text}


def test_the_command_in_the_hint_quotes_a_path_with_spaces(folder: Path, tmp_path: Path) -> None:
    path = tmp_path / "my findings.yaml"
    shutil.copy(EXAMPLES / "findings-healthy.yaml", path)
    code, said = _invoke("survey", "import", folder, path)
    assert code == 2
    assert f"svcdiag engagement add {folder} '{path}'" in said


def test_the_command_in_the_hint_names_a_path_with_control_characters(
    folder: Path, tmp_path: Path
) -> None:
    """The hint's command, pasted into bash, names the very file (its escape kept)."""
    import subprocess

    path = tmp_path / "e7\x1b[31m.yaml"
    shutil.copy(EXAMPLES / "findings-healthy.yaml", path)
    code, said = _invoke("survey", "import", folder, path)
    assert code == 2
    word = said.split(f"hint: add it to the engagement with: svcdiag engagement add {folder} ")[1]
    assert word == "$'" + str(tmp_path) + "/e7\\x1b[31m.yaml'"
    shown = subprocess.run(
        ["bash", "-c", f"printf %s {word}"], capture_output=True, text=True, check=True
    ).stdout
    assert shown == str(path)


def test_rows_still_wrong_in_a_rejects_file_go_beside_it_not_into_rejects_of_rejects(
    folder: Path, tmp_path: Path
) -> None:
    export = tmp_path / "badvals.csv"
    export.write_text(BAD, encoding="utf-8")
    _invoke("survey", "import", folder, export)
    rejects = tmp_path / "badvals.rejects.csv"
    before = rejects.read_text(encoding="utf-8")
    rejects.write_text(before.replace(",chief,", ",staff,"), encoding="utf-8")  # one row fixed
    code, said = _invoke("survey", "import", folder, rejects)
    assert code == 1, said
    assert (tmp_path / "badvals.rejects-2.csv").exists()
    assert not list(tmp_path.glob("*.rejects.rejects*"))
    assert rejects.read_text(encoding="utf-8") == before.replace(",chief,", ",staff,")

"""Importing exports: hostile files, rejects, duplicates, anonymity, nothing half-imported."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from svcdiag.cli import app
from svcdiag.definitions.loading import load_questionnaire
from svcdiag.errors import InputFileError, SvcdiagError, UsageError
from svcdiag.models.engagement import RESPONSES_DIR
from svcdiag.models.findings import Role
from svcdiag.survey.formats import Platform
from svcdiag.survey.importing import import_responses
from svcdiag.survey.store import read_responses, responses_files
from tests.survey import layouts
from tests.survey.conftest import EVERYTHING, FIXTURES, MakeEngagement

runner = CliRunner()
QUESTIONNAIRE = load_questionnaire(str(EVERYTHING)).questionnaire
UNITS = [("north", "North branch"), ("south", "South branch")]


@pytest.fixture
def folder(make_engagement: MakeEngagement) -> Path:
    made = make_engagement("everything", version="2.1", units=UNITS)
    shutil.copy(EVERYTHING, made / "everything.yaml")
    return made


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def _stored(folder: Path) -> list[dict[str, object]]:
    files = responses_files(folder / RESPONSES_DIR)
    return [r.model_dump(mode="json") for f in files for r in read_responses(f).responses]


MINIMAL = "response_id,respondent_role,scope,recommend_plain,hours\n"


def test_a_semicolon_file_is_read_and_a_forced_wrong_delimiter_is_named(
    folder: Path, tmp_path: Path
) -> None:
    people = layouts.respondents(QUESTIONNAIRE, 5)
    text = layouts.template_export(QUESTIONNAIRE, people, delimiter=";")
    export = _write(tmp_path, "semicolons.csv", text)
    with pytest.raises(InputFileError) as caught:
        import_responses(folder, export, delimiter=",")
    assert "looks separated by ';'" in caught.value.message
    assert "--delimiter ';'" in (caught.value.hint or "")
    result = import_responses(folder, export)
    assert (result.read, result.rejected) == (5, 0)


def test_a_byte_order_mark_is_not_part_of_the_first_column(folder: Path, tmp_path: Path) -> None:
    people = layouts.respondents(QUESTIONNAIRE, 4)
    export = _write(tmp_path, "g.csv", layouts.google_export(QUESTIONNAIRE, people), "utf-8-sig")
    assert export.read_bytes().startswith(b"\xef\xbb\xbf")
    result = import_responses(folder, export)
    assert result.platform is Platform.google
    assert result.imported == 4


def test_qualtrics_without_its_two_extra_header_rows(folder: Path, tmp_path: Path) -> None:
    people = layouts.respondents(QUESTIONNAIRE, 6)
    text = layouts.qualtrics_export(QUESTIONNAIRE, people, header_rows=False)
    result = import_responses(folder, _write(tmp_path, "q.csv", text))
    assert (result.platform, result.read, result.imported) == (Platform.qualtrics, 6, 6)
    assert [r["answers"] for r in _stored(folder)] == [p.answers for p in people]


def test_qualtrics_columns_named_q1_are_mapped_by_the_question_text_row(
    folder: Path, tmp_path: Path
) -> None:
    people = layouts.respondents(QUESTIONNAIRE, 3)
    lines = layouts.qualtrics_export(QUESTIONNAIRE, people).split("\r\n")
    names = lines[0].split(",")
    lines[0] = ",".join(names[:6] + [f"Q{n}" for n in range(1, len(names) - 5)])
    result = import_responses(folder, _write(tmp_path, "q.csv", "\r\n".join(lines)))
    assert result.imported == 3
    assert [r["answers"] for r in _stored(folder)] == [p.answers for p in people]


def test_two_columns_for_one_question_are_one_error(folder: Path, tmp_path: Path) -> None:
    export = _write(
        tmp_path, "dup.csv", MINIMAL.replace("hours", "hours,hours") + "a,staff,none,3,4,5\n"
    )
    with pytest.raises(InputFileError) as caught:
        import_responses(folder, export)
    assert caught.value.line == 1
    assert "column 5 'hours' and column 6 'hours' are both read as hours" in caught.value.message


def test_free_text_with_newlines_and_quotes_comes_back_whole(folder: Path, tmp_path: Path) -> None:
    text = (
        "response_id,respondent_role,recommend_plain,comment\n"
        'r1,staff,7,"First line\nsecond, with ""quotes"""\n'
        "r2,staff,11,plain\n"
    )
    export = _write(tmp_path, "nl.csv", text)
    result = import_responses(folder, export)
    assert (result.imported, result.rejected) == (1, 1)
    assert _stored(folder)[0]["answers"] == {
        "recommend_plain": 7,
        "comment": 'First line\nsecond, with "quotes"',
    }
    # the rejected row is named by its line (the record after a two-line one)
    assert result.problems == [
        f"{export}:4: column 3 'recommend_plain': recommend_plain: '11' is outside 0 to 10; "
        "allowed: a whole number 0 to 10"
    ]


def test_an_option_label_is_mapped_when_unique_and_refused_when_shared(
    make_engagement: MakeEngagement, tmp_path: Path
) -> None:
    folder = make_engagement("labels", version="1")
    shutil.copy(FIXTURES / "labels.yaml", folder / "labels.yaml")
    text = (
        "response_id,respondent_role,office\n"
        "r1,staff,Head office\n"      # a unique label: mapped to its id
        "r2,staff,branch_a\n"         # an id
        "r3,staff,Branch\n"           # a label two options share
        "r4,staff,Somewhere\n"        # neither
    )  # fmt: skip
    export = _write(tmp_path, "labels.csv", text)
    result = import_responses(folder, export)
    assert [r["answers"] for r in _stored(folder)] == [{"office": "head"}, {"office": "branch_a"}]
    assert result.problems == [
        f"{export}:4: column 3 'office': office: 'Branch' is the label of several options "
        "(branch_a, branch_b); give the option id",
        f"{export}:5: column 3 'office': office: 'Somewhere' is not an option; "
        "allowed: one of head, branch_a, branch_b",
    ]


def test_a_column_for_a_removed_question_is_listed_with_a_hint(
    folder: Path, tmp_path: Path
) -> None:
    export = _write(
        tmp_path,
        "old.csv",
        "response_id,respondent_role,recommend_plain,old_question,older\na,staff,3,x,y\n",
    )
    with pytest.raises(InputFileError) as caught:
        import_responses(folder, export)
    message = caught.value.message
    assert "2 columns cannot be mapped to the questions of everything 2.1" in message
    assert "column 4 'old_question'" in message and "column 5 'older'" in message
    assert "'ignore'" in (caught.value.hint or "")
    mapping = _write(tmp_path, "map.yaml", "columns:\n  old_question: ignore\n  older: ignore\n")
    result = import_responses(folder, export, mapping_file=mapping)
    assert result.imported == 1
    assert result.ignored_columns == ["old_question", "older"]


def test_identifying_columns_are_dropped_and_never_written(folder: Path, tmp_path: Path) -> None:
    people = layouts.respondents(QUESTIONNAIRE, 3)
    text = layouts.google_export(QUESTIONNAIRE, people)
    text += (
        "2026/11/30 10:00:00 am GMT,secret@example.org,Manager or team leader"
        + ",bad" * 19
        + "\r\n"
    )
    export = _write(tmp_path, "g.csv", text)
    result = runner.invoke(app, ["survey", "import", str(folder), str(export)])
    assert result.exit_code == 1
    assert "dropped (could identify a respondent, never read): 'Email Address'" in result.stderr
    assert "read 4, imported 3, rejected 1, duplicates 0" in result.stderr
    [written] = responses_files(folder / RESPONSES_DIR)
    rejects = tmp_path / "g.rejects.csv"
    for path in (written, rejects):
        assert "example.org" not in path.read_text(encoding="utf-8")
    assert read_responses(written).source.dropped_columns == ["Email Address"]
    assert "Email Address" not in rejects.read_text(encoding="utf-8").splitlines()[0]


def test_rejects_are_listed_with_every_reason_and_never_overwritten(
    folder: Path, tmp_path: Path
) -> None:
    export = _write(
        tmp_path,
        "bad.csv",
        MINIMAL + "a,staff,none,3,4\nb,chief,elsewhere,12,=1+1\nc,,none,,\n",
    )
    result = runner.invoke(app, ["survey", "import", str(folder), str(export)])
    assert result.exit_code == 1
    assert "read 3, imported 1, rejected 2, duplicates 0" in result.stderr
    assert "2 rows were rejected; the other new row was imported" in result.stderr
    rejects = tmp_path / "bad.rejects.csv"
    lines = rejects.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "line,problems,response_id,respondent_role,scope,recommend_plain,hours"
    assert lines[1].startswith("3,")
    for reason in (
        "scope: 'elsewhere' is not an option",
        "recommend_plain: '12' is outside 0 to 10",
        "hours: '=1+1' is not a number",
        "'chief' is not a role",
    ):
        assert reason in lines[1]
    assert lines[1].endswith(",'=1+1")  # a formula stays text in a spreadsheet
    assert lines[2].startswith("4,") and "no role given" in lines[2]

    rejects.write_text("edited by hand\n", encoding="utf-8")
    again = runner.invoke(app, ["survey", "import", str(folder), str(export)])
    assert "read 3, imported 0, rejected 2, duplicates 1" in again.stderr
    assert rejects.read_text(encoding="utf-8") == "edited by hand\n"
    second = tmp_path / "bad.rejects-2.csv"
    assert second.read_text(encoding="utf-8").splitlines() == lines
    third = runner.invoke(app, ["survey", "import", str(folder), str(export)])
    assert f"rejects: {second} (unchanged)" in third.stderr
    assert not (tmp_path / "bad.rejects-3.csv").exists()


def test_a_malformed_row_imports_nothing(folder: Path, tmp_path: Path) -> None:
    export = _write(tmp_path, "broken.csv", MINIMAL + "a,staff,none,3,4\nb,staff,none,3\n")
    with pytest.raises(InputFileError) as caught:
        import_responses(folder, export)
    assert caught.value.line == 3
    assert caught.value.exit_code == 2  # a malformed file is bad input, not rejected rows
    assert "the row has 4 field(s), but the header has 5; nothing was imported" in (
        caught.value.message
    )
    assert responses_files(folder / RESPONSES_DIR) == []


def test_the_same_submission_twice_in_one_export_is_imported_once(
    folder: Path, tmp_path: Path
) -> None:
    export = _write(tmp_path, "twice.csv", MINIMAL + "a,staff,none,3,4\na,staff,none,3,4\n")
    result = import_responses(folder, export)
    assert (result.read, result.imported, result.duplicates) == (2, 1, 1)


def test_rows_without_an_id_are_told_apart_by_their_cells(folder: Path, tmp_path: Path) -> None:
    text = "respondent_role,recommend_plain\nstaff,3\nstaff,4\nstaff,3\n"
    result = import_responses(folder, _write(tmp_path, "noid.csv", text))
    assert (result.imported, result.duplicates) == (2, 1)
    ids = [r["id"] for r in _stored(folder)]
    assert all(len(i) == 64 for i in ids) and len(set(ids)) == 2


def test_role_from_the_command_line_and_unit_by_name(folder: Path, tmp_path: Path) -> None:
    text = "recommend_plain,respondent_unit\n3,North branch\n4,south\n5,Nowhere\n"
    export = _write(tmp_path, "units.csv", text)
    with pytest.raises(UsageError, match="no column gives the respondent's role"):
        import_responses(folder, export)
    result = import_responses(folder, export, role=Role.frontline)
    assert [(r["role"], r["unit"]) for r in _stored(folder)] == [
        ("frontline", "north"),
        ("frontline", "south"),
    ]
    assert "'Nowhere' is not a unit of the engagement; allowed: north, south" in result.problems[0]


def test_number_and_text_with_dont_know_use_their_companion_field(
    folder: Path, tmp_path: Path
) -> None:
    text = (
        "respondent_role,second/headcount__known,second/headcount,comment__known,_uuid\n"
        "staff,unknown,,known,u1\n"
        "staff,known,12,,u2\n"
        "staff,unknown,12,,u3\n"
    )
    result = import_responses(folder, _write(tmp_path, "k.csv", text), platform=Platform.kobo)
    assert [r["answers"] for r in _stored(folder)] == [
        {"headcount": "unknown"},
        {"headcount": 12},
    ]
    assert "answered 'unknown' and also '12'" in result.problems[0]


def test_kobo_option_columns_stand_in_for_a_missing_answer_column(
    folder: Path, tmp_path: Path
) -> None:
    text = (
        "respondent_role,first/channels/phone,first/channels/email,first/channels/chat,_uuid\n"
        "staff,1,0,1,u1\n"
    )
    import_responses(folder, _write(tmp_path, "k.csv", text))
    assert _stored(folder)[0]["answers"] == {"channels": ["phone", "chat"]}


def test_an_xlsx_export_is_read_like_a_csv_one(folder: Path, tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "kobo.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Every type")
    rows = [
        ["respondent_role", "first/recommend_plain", "second/hours", "second/comment", "_uuid"],
        ["staff", 7, 12.5, "Line one\nline two", "u1"],
        ["manager", 10.0, 3, None, "u2"],
    ]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    book.close()
    result = import_responses(folder, path)
    assert (result.platform, result.imported) == (Platform.kobo, 2)
    assert [r["answers"] for r in _stored(folder)] == [
        {"recommend_plain": 7, "hours": 12.5, "comment": "Line one\nline two"},
        {"recommend_plain": 10, "hours": 3},
    ]


def test_a_row_answering_nothing_is_rejected(folder: Path, tmp_path: Path) -> None:
    result = import_responses(folder, _write(tmp_path, "e.csv", MINIMAL + "a,staff,,,\n"))
    assert result.problems == [f"{tmp_path / 'e.csv'}:2: the row answers no question"]


def test_not_an_engagement_folder(tmp_path: Path) -> None:
    export = _write(tmp_path, "x.csv", MINIMAL)
    result = runner.invoke(app, ["survey", "import", str(tmp_path), str(export)])
    assert result.exit_code == 2
    assert "is not an engagement folder (it has no engagement.yaml)" in result.stderr


def test_a_broken_engagement_file_is_named_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "engagement.yaml").write_text(
        "organisation: Acme\nquestionnaire: {id: diagnostic, version: '1'}\nanonymity_floor: 2\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        app, ["survey", "import", str(tmp_path), str(_write(tmp_path, "x.csv", MINIMAL))]
    )
    assert result.exit_code == 2
    assert (
        "engagement.yaml:3:1: anonymity_floor: the anonymity floor is 2; it must be at least 3"
        in result.stderr
    )


def test_mapping_file_problems_are_listed_with_lines(folder: Path, tmp_path: Path) -> None:
    mapping = _write(tmp_path, "m.yaml", "columns:\n  A: recomend_plain\nvalue: {}\n")
    export = _write(tmp_path, "x.csv", MINIMAL)
    with pytest.raises(InputFileError) as caught:
        import_responses(folder, export, mapping_file=mapping)
    assert "line 2: 'recomend_plain' is neither a question id" in caught.value.message
    assert "(did you mean recommend_plain?)" in caught.value.message
    assert "line 3: unknown key 'value'" in caught.value.message


def test_mapping_values_translate_before_the_checks(folder: Path, tmp_path: Path) -> None:
    mapping = _write(
        tmp_path,
        "m.yaml",
        "columns:\n  Where: scope\nvalues:\n  scope:\n    All over: widespread\n",
    )
    export = _write(tmp_path, "x.csv", "respondent_role,Where\nstaff,All over\n")
    import_responses(folder, export, mapping_file=mapping)
    assert _stored(folder)[0]["answers"] == {"scope": "widespread"}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.lists(st.text(max_size=12), min_size=5, max_size=5), min_size=1, max_size=4))
def test_any_cells_give_a_summary_or_a_clear_error(
    folder: Path, tmp_path_factory: pytest.TempPathFactory, rows: list[list[str]]
) -> None:
    where = tmp_path_factory.mktemp("fuzz")
    buffer = io.StringIO()
    csv.writer(buffer).writerows([MINIMAL.strip().split(","), *rows])
    export = _write(where, "fuzz.csv", buffer.getvalue())
    try:
        result = import_responses(folder, export)
    except SvcdiagError as err:
        assert err.message
        return
    assert result.read == result.imported + result.rejected + result.duplicates


def test_role_and_from_options_on_the_command_line(folder: Path, tmp_path: Path) -> None:
    export = _write(tmp_path, "r.csv", "recommend_plain,_uuid\n3,u1\n")
    bad = runner.invoke(app, ["survey", "import", str(folder), str(export), "--role", "boss"])
    assert bad.exit_code == 2
    assert "--role 'boss' is not one of board, manager, staff, frontline, customer" in bad.stderr
    ok = runner.invoke(
        app, ["survey", "import", str(folder), str(export), "--role", "Staff", "--from", "kobo"]
    )
    assert ok.exit_code == 0, ok.output
    assert "kobo export (given)" in ok.stderr
    assert _stored(folder) == [
        {"id": "u1", "role": "staff", "unit": None, "submitted": None,
         "answers": {"recommend_plain": 3}, "notes": {}}
    ]  # fmt: skip


def test_odk_split_option_columns_are_read(folder: Path, tmp_path: Path) -> None:
    text = (
        "SubmissionDate,respondent_role,first-channels/phone,first-channels/chat,meta-instanceID\n"
        "2026-11-30T09:00:00Z,staff,0,1,uuid:1\n"
    )
    result = import_responses(folder, _write(tmp_path, "odk.csv", text))
    assert result.platform is Platform.odk
    assert _stored(folder)[0]["answers"] == {"channels": ["chat"]}
    assert _stored(folder)[0]["submitted"] == "2026-11-30T09:00:00Z"


@pytest.mark.parametrize("name", ["missing.csv", "missing.xlsx"])
def test_a_missing_export_is_named(folder: Path, tmp_path: Path, name: str) -> None:
    result = runner.invoke(app, ["survey", "import", str(folder), str(tmp_path / name)])
    assert result.exit_code == 2
    assert f"{tmp_path / name}: no such file" in result.stderr


def test_a_broken_workbook_is_an_error_not_a_traceback(folder: Path, tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    result = runner.invoke(app, ["survey", "import", str(folder), str(path)])
    assert result.exit_code == 2
    assert "cannot read this workbook" in result.stderr


def test_a_cut_short_xls_is_an_error_not_a_panic(folder: Path, tmp_path: Path) -> None:
    # python-calamine panics (a BaseException, not an Exception) on this .xls
    # cut short inside its Workbook stream.
    whole = Path(__file__).parents[1] / "stats" / "fixtures" / "libreoffice-7.4-errors.xls"
    path = tmp_path / "cut.xls"
    path.write_bytes(whole.read_bytes()[:7500])
    result = runner.invoke(app, ["survey", "import", str(folder), str(path)])
    assert result.exit_code == 2, result.output
    assert f"{path}: cannot read this workbook: it is damaged or cut short" in result.stderr
    assert "Traceback" not in result.output


def test_an_engagement_of_another_questionnaire_version_imports_nothing(
    make_engagement: MakeEngagement, tmp_path: Path
) -> None:
    old = make_engagement("diagnostic", version="0.9", name="old")
    export = _write(tmp_path, "e.csv", "response_id,respondent_role,board_vision\nr1,staff,4\n")
    result = runner.invoke(app, ["survey", "import", str(old), str(export)])
    assert result.exit_code == 2
    message = " ".join(result.stderr.split())
    assert "the engagement uses questionnaire 'diagnostic' version 0.9" in message
    assert "nothing was imported" in message
    assert not list((old / RESPONSES_DIR).glob("*")) if (old / RESPONSES_DIR).exists() else True


@pytest.mark.parametrize("cell", ["\u00b2", "\u0663", "\uff14"])
def test_digits_that_are_not_ascii_are_refused_with_their_row(
    folder: Path, tmp_path: Path, cell: str
) -> None:
    export = _write(tmp_path, "e.csv", MINIMAL + f"r1,staff,widespread,{cell},3\n")
    result = runner.invoke(app, ["survey", "import", str(folder), str(export)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "rejected 1" in " ".join(result.stderr.split())


def test_an_imported_survey_feeds_the_engagement_report(tmp_path: Path) -> None:
    examples = Path(__file__).resolve().parents[2] / "examples" / "survey"
    folder = tmp_path / "acme"
    folder.mkdir()
    shutil.copy(examples / "engagement.yaml", folder / "engagement.yaml")
    imported = runner.invoke(
        app, ["survey", "import", str(folder), str(examples / "kobo-export.csv")]
    )
    assert imported.exit_code == 0, imported.output
    (written,) = (folder / RESPONSES_DIR).glob("*.json")
    count = len(read_responses(written).responses)
    report = runner.invoke(app, ["engagement", "report", str(folder), "-f", "json"])
    assert report.exit_code == 0, report.output
    assert json.loads(report.stdout)["respondents"] == count > 0

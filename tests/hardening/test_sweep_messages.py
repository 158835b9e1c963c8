"""Messages found wanting by a sweep of hostile and mistaken inputs: each one says what is wrong."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from svcdiag.cli.app import plain_option_error
from svcdiag.models.questionnaire import MAX_CONDITION_DEPTH, condition_depth
from tests.hardening.conftest import EXAMPLES, run

QUESTIONNAIRE = """\
schema_version: 1
id: deep
version: "1"
title: Deep
sections:
  - id: s
    title: S
    questions:
      - id: a
        text: A
        type: likert
        evidence: [{factor: goal_clarity}]
      - id: b
        text: B
        type: likert
        evidence: [{factor: goal_clarity}]
        when: WHEN
"""


def _nested(levels: int) -> str:
    when = "{question: a, at_least: 3}"
    for _ in range(levels):
        when = "{not: " + when + "}"
    return when


def test_utf16_yaml_is_named_by_lint_and_assess(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_bytes((EXAMPLES / "answers-healthy.yaml").read_text().encode("utf-16"))
    linted = run("lint", answers)
    assert f"{answers}:1:1: SD100 the file is UTF-16 text, not UTF-8" in linted.stdout
    assert "hint: save it as UTF-8, or convert it with iconv -f UTF-16 -t UTF-8" in linted.stdout
    assessed = run("assess", "--answers", answers, "-o", tmp_path / "out.yaml")
    assert assessed.exit_code == 2
    assert f"{answers}:1:1: the file is UTF-16 text, not UTF-8" in assessed.stderr
    assert "binary" not in assessed.stderr
    assert not (tmp_path / "out.yaml").exists()


def test_a_condition_nested_too_deep_names_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text(QUESTIONNAIRE.replace("WHEN", _nested(300)))
    result = run("lint", path)
    assert result.exit_code == 1
    assert (
        f"{path}:17:15: SD202 'when' in question 'b': the condition nests too deep "
        f"(301 levels of all/any/not; at most {MAX_CONDITION_DEPTH})"
    ) in result.stdout
    assert "Recursion" not in result.stdout


def test_a_condition_at_the_limit_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text(QUESTIONNAIRE.replace("WHEN", _nested(MAX_CONDITION_DEPTH - 1)))
    result = run("lint", path)
    assert "SD202" not in result.stdout, result.stdout
    path.write_text(QUESTIONNAIRE.replace("WHEN", _nested(MAX_CONDITION_DEPTH)))
    assert f"({MAX_CONDITION_DEPTH + 1} levels" in run("lint", path).stdout


_conditions = st.recursive(
    st.just({"question": "a", "answered": True}),
    lambda inner: st.one_of(
        st.builds(lambda c: {"not": c}, inner),
        st.builds(lambda cs: {"all": cs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda cs: {"any": cs}, st.lists(inner, min_size=1, max_size=3)),
    ),
    max_leaves=30,
)


def _depth(node: dict[str, object]) -> int:
    children: list[object] = [node["not"]] if "not" in node else []
    for key in ("all", "any"):
        value = node.get(key)
        if isinstance(value, list):
            children.extend(value)
    return 1 + max((_depth(c) for c in children if isinstance(c, dict)), default=0)


@given(_conditions)
def test_condition_depth_counts_the_deepest_branch(condition: dict[str, object]) -> None:
    assert condition_depth(condition) == _depth(condition)


def test_an_unknown_format_lists_the_formats_plainly() -> None:
    result = run("report", EXAMPLES / "findings-healthy.yaml", "-f", "xml")
    assert result.exit_code == 2
    assert (
        "Invalid value for '--format' / '-f': 'xml' is not one of: rich, markdown, yaml, "
        "json, html, pdf\n"
    ) in result.stderr
    assert "Value error" not in result.stderr
    linted = run("lint", "-f", "xml")
    assert "'xml' is not one of: text, json, github" in linted.stderr


def test_plain_option_error_keeps_other_messages() -> None:
    assert plain_option_error("Value error, 'a, b' is not one of 'x', 'y'.") == (
        "'a, b' is not one of: x, y"
    )
    assert plain_option_error("'5x' is not a valid integer.") == "'5x' is not a valid integer."


def test_report_warns_when_the_recorded_version_was_not_used(tmp_path: Path) -> None:
    text = (EXAMPLES / "findings-widespread.yaml").read_text()
    assert "\n  version: '1.1'\n" in text
    edited = tmp_path / "f-ver.yaml"
    edited.write_text(text.replace("\n  version: '1.1'\n", "\n  version: '9.9'\n"))
    result = run("report", edited, "-f", "markdown")
    assert result.exit_code == 0
    assert (
        "warning: these findings name version 9.9 of questionnaire 'diagnostic', but their "
        "sha256 is that of version 1.1, which the analysis uses and the report shows"
    ) in " ".join(result.stderr.split())
    assert "(diagnostic, version 1.1)" in result.stdout
    assert "9.9" not in result.stdout
    untouched = run("report", EXAMPLES / "findings-widespread.yaml", "-f", "markdown")
    assert "warning" not in untouched.stderr


def test_assess_hint_for_a_device_says_where_findings_go_by_default(tmp_path: Path) -> None:
    result = run("assess", "--answers", EXAMPLES / "answers-healthy.yaml", "-o", "/dev/null")
    assert result.exit_code == 2
    hint = " ".join(result.stderr.split("hint:")[1].split())
    assert hint == (
        "choose a file name with --output, or leave --output out to write the findings to "
        "ORGANISATION-DATE.findings.yaml in the current folder"
    )
    assert "stdout" not in result.stderr
    report = run("report", EXAMPLES / "findings-healthy.yaml", "-f", "markdown", "-o", "/dev/null")
    assert "leave --output out to use stdout" in report.stderr


def test_survey_export_follows_the_suffix_and_refuses_a_contradiction(
    tmp_path: Path,
) -> None:
    made = run("survey", "export", "diagnostic", "-o", tmp_path / "t3.csv")
    assert made.exit_code == 0, made.stderr
    header = (tmp_path / "t3.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("response_id,") and "respondent_role" in header
    assert (tmp_path / "t3.questions.csv").exists()
    refused = run("survey", "export", "diagnostic", "-o", tmp_path / "t4.xlsx", "--format", "csv")
    assert refused.exit_code == 2
    said = " ".join(refused.stderr.split())
    assert f"--format csv contradicts the name {tmp_path / 't4.xlsx'}, which ends in .xlsx" in said
    assert (
        f"hint: leave --format out to write xlsform, or name the file {tmp_path / 't4.csv'}" in said
    )
    assert not (tmp_path / "t4.xlsx").exists()
    workbook = run("survey", "export", "diagnostic", "-o", tmp_path / "t6.xlsx")
    assert workbook.exit_code == 0
    assert (tmp_path / "t6.xlsx").read_bytes().startswith(b"PK\x03\x04")


def test_report_refuses_a_format_that_contradicts_the_suffix(tmp_path: Path) -> None:
    findings = EXAMPLES / "findings-widespread.yaml"
    refused = run("report", findings, "-f", "markdown", "-o", tmp_path / "out.pdf")
    assert refused.exit_code == 2
    said = " ".join(refused.stderr.split())
    assert (
        f"--format markdown contradicts the name {tmp_path / 'out.pdf'}, which ends in .pdf (pdf)"
    ) in said
    assert not (tmp_path / "out.pdf").exists()
    by_suffix = run("report", findings, "-o", tmp_path / "out.md")
    assert (tmp_path / "out.md").read_text(encoding="utf-8").startswith("# Service diagnosis:")
    assert by_suffix.exit_code == 0
    agreeing = run("report", findings, "-f", "json", "-o", tmp_path / "out.json")
    assert agreeing.exit_code == 0
    assert (tmp_path / "out.json").read_text(encoding="utf-8").startswith("{")
    plain = run("report", findings, "-f", "markdown", "-o", tmp_path / "notes.txt")
    assert plain.exit_code == 0  # a name that says no format takes the one asked for

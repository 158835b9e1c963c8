"""Numbers no reader can trust are refused where the YAML is read (items 1, 7, lenient input)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from svcdiag.source.yamlsource import YamlFileError, parse_text

from .conftest import EXAMPLES, run

HUGE = "9" * 5000


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (f"a: {HUGE}", "number too large"),
        (f"a: -{HUGE}", "number too large"),
        ("a: 4:00", "base-60 number (it would read as 240)"),
        ("a: 0xF0", "hexadecimal, binary or octal"),
        ("a: 0b101", "hexadecimal, binary or octal"),
        ("a: 010", "hexadecimal, binary or octal"),
        ("a: .inf", "not a finite number"),
        ("a: -.inf", "not a finite number"),
        ("a: .nan", "not a finite number"),
        ("a: 1.0e+999", "not a finite number"),
        ("a: 2026-13-45", "not a valid value"),
    ],
)
def test_the_yaml_source_refuses_numbers_with_their_place(text: str, words: str) -> None:
    with pytest.raises(YamlFileError) as caught:
        parse_text(f"x: 1\n{text}\n", "f.yaml")
    assert caught.value.reason == "value"
    assert (caught.value.line, caught.value.col) == (2, 4)
    assert words in caught.value.message


def test_plain_numbers_and_number_like_keys_still_read() -> None:
    doc = parse_text("a: 0\nb: -12\nc: 1_000\nd: 2.5\n0x1F: k\n4:00: t\ne: '4:00'\n")
    assert doc.data == {
        "a": 0,
        "b": -12,
        "c": 1000,
        "d": 2.5,
        "0x1F": "k",
        "4:00": "t",
        "e": "4:00",
    }


def _answers(tmp_path: Path, value: str) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text(
        f"organisation: Acme\nrespondent: {{role: manager}}\nanswers:\n  staff_count: {value}\n",
        encoding="utf-8",
    )
    return path


def test_a_huge_integer_is_a_located_error_for_every_yaml_reader(tmp_path: Path) -> None:
    bad = _answers(tmp_path, HUGE)
    message = f"{bad}:4:16: number too large"
    for argv in (
        ["assess", "--answers", bad, "-o", tmp_path / "f.yaml"],
        ["report", bad],
        ["report", EXAMPLES / "findings-healthy.yaml", "--evidence", bad],
    ):
        result = run(*argv)
        assert result.exit_code == 2, argv
        assert message in result.stderr, (argv, result.stderr)
    linted = run("lint", bad)
    assert linted.exit_code == 1
    assert f"{bad}:4:16: SD202 number too large" in linted.stdout


def test_one_file_with_a_huge_integer_does_not_abort_list_dir(tmp_path: Path) -> None:
    shipped = EXAMPLES.parent / "questionnaires" / "triage.yaml"
    mine = shipped.read_text(encoding="utf-8").replace("id: triage", "id: mine", 1)
    (tmp_path / "mine.yaml").write_text(mine, encoding="utf-8")
    (tmp_path / "broken.yaml").write_text(f"sections: {HUGE}\n", encoding="utf-8")
    result = run("list", "--dir", tmp_path)
    assert result.exit_code == 0, result.output
    assert "mine" in result.stdout
    assert "broken.yaml: left out" in result.stderr


@pytest.mark.parametrize("value", ["4:00", "0xF0", ".nan", ".inf"])
def test_answers_files_refuse_yaml_1_1_numbers_and_non_finite_ones(
    tmp_path: Path, value: str
) -> None:
    result = run("assess", "--answers", _answers(tmp_path, value), "-o", tmp_path / "f.yaml")
    assert result.exit_code == 2
    assert ":4:16: " in result.stderr
    assert not (tmp_path / "f.yaml").exists()


def _findings_with(tmp_path: Path, question: str, value: str) -> Path:
    data = yaml.safe_load((EXAMPLES / "findings-healthy.yaml").read_text(encoding="utf-8"))
    data["answers"][question] = "PLACEHOLDER"
    text = yaml.safe_dump(data, sort_keys=False).replace("PLACEHOLDER", value)
    path = tmp_path / "edited.findings.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf"])
def test_report_json_never_holds_nan_or_infinity(tmp_path: Path, value: str) -> None:
    # Before the fix the answer was accepted and the JSON held NaN or Infinity.
    path = _findings_with(tmp_path, "staff_count", value)
    result = run("report", path, "-f", "json")
    assert result.exit_code == 2
    assert "not a finite number" in result.stderr
    assert result.stdout == ""


def test_evidence_with_an_infinite_phi_is_refused(tmp_path: Path) -> None:
    saved = tmp_path / "v.yaml"
    made = run(
        "variation",
        EXAMPLES / "complaints_by_agent.csv",
        "--unit",
        "agent",
        "--events",
        "complaints",
        "--cases",
        "contacts",
        "-o",
        saved,
    )
    assert made.exit_code == 0, made.output
    text = saved.read_text(encoding="utf-8")
    edited = tmp_path / "inf.yaml"
    edited.write_text(
        "\n".join("phi: .inf" if ln.startswith("phi:") else ln for ln in text.splitlines()),
        encoding="utf-8",
    )
    result = run("report", EXAMPLES / "findings-healthy.yaml", "--evidence", edited)
    assert result.exit_code == 2
    assert "'.inf' is not a finite number" in result.stderr


def _strict_json(text: str) -> object:
    def refuse(constant: str) -> object:
        raise AssertionError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


def test_every_json_written_parses_with_a_strict_parser(tmp_path: Path) -> None:
    outputs = [
        run("report", EXAMPLES / "findings-widespread.yaml", "-f", "json").stdout,
        run("nps", EXAMPLES / "nps_survey.csv", "--by", "branch", "-f", "json").stdout,
        run(
            "variation",
            EXAMPLES / "complaints_by_agent.csv",
            "--unit",
            "agent",
            "--events",
            "complaints",
            "--cases",
            "contacts",
            "-f",
            "json",
        ).stdout,
        run("schema", "findings").stdout,
    ]
    for text in outputs:
        assert isinstance(_strict_json(text), dict)

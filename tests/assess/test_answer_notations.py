"""Numbers in a YAML 1.1 notation are listed with every other problem of an answers file.

The loader refuses ``0x0A``, ``010`` and ``4:00`` (they read as 10, 8 and
240); an answers file with several of them, and other problems besides, has
every one listed in one run, each at its file, line and column.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from svcdiag.assess.answers_file import read_answers_file
from svcdiag.cli import app

runner = CliRunner()
MINI = Path(__file__).parent / "fixtures" / "mini.yaml"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "ans2.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _assess(path: Path, tmp_path: Path) -> tuple[int, list[str]]:
    result = runner.invoke(
        app, ["assess", str(MINI), "--answers", str(path), "-o", str(tmp_path / "f.yaml")]
    )
    assert not (tmp_path / "f.yaml").exists()
    said = [line for line in result.stderr.splitlines() if not line.startswith("Using ")]
    return result.exit_code, said


def test_every_number_in_a_yaml_1_1_notation_is_listed(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "organisation: Acme\nrespondent: {role: staff}\nanswers:\n"
        "  board_vision: 0x0A\n  problem_scope: 010\n  nps_recommend: 4:00\n",
    )
    code, lines = _assess(path, tmp_path)
    assert code == 2
    assert lines[0] == f"error: {path}: 3 problems in the answers file:"
    assert lines[1:4] == [
        f"  {path}:4:17: '0x0A' is a YAML 1.1 hexadecimal, binary or octal number; write the "
        "number in decimal without a leading zero, or quote it: '0x0A'",
        f"  {path}:5:18: '010' is a YAML 1.1 hexadecimal, binary or octal number; write the "
        "number in decimal without a leading zero, or quote it: '010'",
        f"  {path}:6:18: '4:00' is a YAML 1.1 base-60 number (it would read as 240); write the "
        "number itself, or quote it as text: '4:00'",
    ]


def test_notation_problems_come_with_the_other_problems_in_line_order(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "organisation: Acme\nrespondent: {role: boss}\nanswers:\n"
        "  board_vision: 0x0A\n  has_crm: maybe\n  staff_count: [1, 010]\n",
    )
    code, lines = _assess(path, tmp_path)
    assert code == 2
    assert lines[0] == f"error: {path}: 4 problems in the answers file:"
    assert lines[1].startswith("  line 2: role 'boss' is not one of")
    assert lines[2].startswith(f"  {path}:4:17: '0x0A' is a YAML 1.1 hexadecimal")
    assert lines[3].startswith("  line 5: has_crm:")
    assert lines[4].startswith(f"  {path}:6:20: '010' is a YAML 1.1 hexadecimal")


def test_a_refused_number_is_reported_once_not_again_as_a_bad_value(tmp_path: Path) -> None:
    path = _write(
        tmp_path, "organisation: Acme\nrespondent: {role: 010}\nanswers:\n  board_vision: 0b11\n"
    )
    given = read_answers_file(path)
    assert given.problems == [
        f"{path}:2:20: '010' is a YAML 1.1 hexadecimal, binary or octal number; write the "
        "number in decimal without a leading zero, or quote it: '010'",
        f"{path}:4:17: '0b11' is a YAML 1.1 hexadecimal, binary or octal number; write the "
        "number in decimal without a leading zero, or quote it: '0b11'",
    ]
    assert "board_vision" not in given.answers
    assert given.respondent is None


def test_a_file_without_refused_numbers_reads_as_before(tmp_path: Path) -> None:
    path = _write(tmp_path, "organisation: Acme\nanswers:\n  board_vision: 4\n  x: '010'\n")
    given = read_answers_file(path)
    assert given.problems == []
    assert given.answers == {"board_vision": 4, "x": "010"}

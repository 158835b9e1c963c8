"""What a client's file holds cannot drive the terminal, the Markdown or a spreadsheet.

Items 8, 9 and 10 of the sweep, tested on what the commands print, so that
they hold however the renderers are laid out.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
import yaml

from .conftest import EXAMPLES, run

OSC_TITLE = "\x1b]0;pwned\x07"
OSC_CLIPBOARD = "\x1b]52;c;ZXZpbA==\x07"
C1_CSI = "\x9b31m"
HOSTILE = f"Evil{OSC_TITLE} Corp{OSC_CLIPBOARD}{C1_CSI}\x08\x00"
#: Every C0 and C1 control except newline and tab (ESC and BEL among them).
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _findings(tmp_path: Path, **changes: object) -> Path:
    data = yaml.safe_load((EXAMPLES / "findings-few-individuals.yaml").read_text(encoding="utf-8"))
    data.update(changes)
    path = tmp_path / "hostile.findings.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _notes(tmp_path: Path, note: str) -> Path:
    data = yaml.safe_load((EXAMPLES / "findings-few-individuals.yaml").read_text(encoding="utf-8"))
    data["notes"] = dict.fromkeys(data["answers"], note)
    path = tmp_path / "noted.findings.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["rich", "markdown"])
def test_reports_never_print_control_characters_from_the_findings(tmp_path: Path, fmt: str) -> None:
    path = _findings(tmp_path, organisation=HOSTILE, consultant=HOSTILE)
    result = run("report", path, "-f", fmt)
    assert result.exit_code == 0, result.output
    assert "Evil" in result.stdout
    assert CONTROLS.search(result.stdout) is None
    assert CONTROLS.search(result.stderr) is None


def test_error_messages_drop_control_characters(tmp_path: Path) -> None:
    bad = tmp_path / "answers.yaml"
    bad.write_text(
        'organisation: x\nrespondent: {role: manager}\nanswers:\n  "\\e]0;pwned\\a": 3\n',
        encoding="utf-8",
    )
    result = run("assess", "--answers", bad, "-o", tmp_path / "f.yaml")
    assert result.exit_code == 2
    assert "no such question" in result.stderr
    assert CONTROLS.search(result.stderr) is None


def test_lint_messages_drop_control_characters(tmp_path: Path) -> None:
    shipped = (EXAMPLES.parent / "questionnaires" / "triage.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "q.yaml"
    yaml_escaped = '"x\\e]52;c;ZXZpbA==\\a"'  # YAML's own escapes for ESC and BEL
    bad.write_text(shipped.replace("sections:", f"{yaml_escaped}: 1\nsections:", 1))
    for fmt in ("text", "github"):
        result = run("lint", bad, "-f", fmt)
        assert result.exit_code == 1
        assert "SD200" in result.stdout
        assert CONTROLS.search(result.stdout) is None, fmt


def test_stats_views_drop_control_characters_in_unit_and_group_names(tmp_path: Path) -> None:
    # NUL in a name is refused as binary data (test_data_commands_safety); every
    # other control character is shown without effect.
    hostile = HOSTILE.replace("\x00", "")
    nps = tmp_path / "nps.csv"
    nps.write_text(f"score,branch\n9,{hostile}\n3,plain\n", encoding="utf-8")
    result = run("nps", nps, "--by", "branch")
    assert result.exit_code == 0, result.output
    assert "Evil" in result.stdout
    assert CONTROLS.search(result.stdout) is None
    units = tmp_path / "units.csv"
    units.write_text(
        f"agent,complaints,contacts\n{hostile},40,50\nann,1,50\nbob,2,50\n", encoding="utf-8"
    )
    result = run(
        "variation", units, "--unit", "agent", "--events", "complaints", "--cases", "contacts"
    )
    assert result.exit_code == 0, result.output
    assert CONTROLS.search(result.stdout) is None


def test_markdown_cannot_be_given_headings_html_or_links(tmp_path: Path) -> None:
    hostile = "Acme\n# Owned\n<img src=x onerror=alert(1)> [click](javascript:alert(1))"
    path = _findings(tmp_path, organisation=hostile, consultant=hostile)
    noted = _notes(tmp_path, hostile)
    for source in (path, noted):
        result = run("report", source, "-f", "markdown")
        assert result.exit_code == 0, result.output
        out = result.stdout
        assert not any(line.startswith("# Owned") for line in out.splitlines())
        assert re.search(r"(?<!\\)<img", out) is None  # raw HTML
        assert re.search(r"(?<!\\)\]\(javascript:", out) is None  # a link
        assert re.search(r"(?<!\\)\[click", out) is None
    assert "\\<img src=x onerror=alert(1)\\>" in run("report", path, "-f", "markdown").stdout


FORMULAS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)"]


def _units_csv(tmp_path: Path) -> Path:
    path = tmp_path / "units.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["agent", "complaints", "contacts"])
        for name in [*FORMULAS, "plain"]:
            writer.writerow([name, 3, 50])
    return path


def _first_cells(text: str) -> list[str]:
    return [row[0] for row in csv.reader(io.StringIO(text))][1:]


def test_csv_output_neutralises_formulas_on_stdout_and_in_files(tmp_path: Path) -> None:
    args = ("--unit", "agent", "--events", "complaints", "--cases", "contacts")
    shown = run("variation", _units_csv(tmp_path), *args, "-f", "csv")
    assert shown.exit_code == 0, shown.output
    saved = tmp_path / "out.csv"
    written = run("variation", _units_csv(tmp_path), *args, "-o", saved)
    assert written.exit_code == 0, written.output
    for text in (shown.stdout, saved.read_text(encoding="utf-8")):
        cells = _first_cells(text)
        assert sorted(cells) == sorted([f"'{f}" for f in FORMULAS] + ["plain"])


def test_csv_output_neutralises_formulas_in_nps_groups(tmp_path: Path) -> None:
    path = tmp_path / "nps.csv"
    path.write_text("score,branch\n9,=cmd|' /C calc'!A0\n3,plain\n", encoding="utf-8")
    result = run("nps", path, "--by", "branch", "-f", "csv")
    assert result.exit_code == 0, result.output
    groups = [row[1] for row in csv.reader(io.StringIO(result.stdout))][2:]
    assert groups == ["'=cmd|' /C calc'!A0", "plain"]


def test_rich_markup_in_a_findings_file_is_shown_not_interpreted(tmp_path: Path) -> None:
    data = yaml.safe_load((EXAMPLES / "findings-few-individuals.yaml").read_text(encoding="utf-8"))
    data["answers"]["[link=javascript:alert(1)]click[/link]"] = 3
    data["organisation"] = "[bold]Acme[/bold]"
    path = tmp_path / "markup.findings.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = run("report", path)
    assert result.exit_code == 0, result.output
    flat = "".join(result.stdout.split())
    assert "[link=javascript:alert(1)]click[/link]" in flat
    assert "[bold]Acme[/bold]" in flat


def test_json_output_is_strict_even_for_a_non_finite_value() -> None:
    from svcdiag.serialise import to_json

    assert _strict_json(to_json({"phi": float("inf"), "z": float("nan")})) == {
        "phi": None,
        "z": None,
    }


def _strict_json(text: str) -> object:
    def refuse(constant: str) -> object:
        raise AssertionError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)

"""One rule for every command writing a file: name and --format agree, or nothing is written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from svcdiag.cli import app
from svcdiag.errors import UsageError
from svcdiag.render.engagement_formats import EngagementFormat
from svcdiag.render.engagement_formats import format_for as engagement_format
from svcdiag.render.report_formats import ReportFormat
from svcdiag.render.report_formats import format_for as report_format
from svcdiag.render.stats_formats import OutputFormat, file_format

EXAMPLES = Path(__file__).parents[2] / "examples"
runner = CliRunner()


@pytest.mark.parametrize(
    ("chosen", "name", "expected"),
    [
        (None, None, ReportFormat.rich),
        (None, "r.pdf", ReportFormat.pdf),
        (None, "r.MD", ReportFormat.markdown),
        (None, "r.txt", ReportFormat.rich),
        (ReportFormat.markdown, "notes.txt", ReportFormat.markdown),
        (ReportFormat.json, None, ReportFormat.json),
    ],
)
def test_report_and_engagement_formats_follow_one_rule(
    chosen: ReportFormat | None, name: str | None, expected: ReportFormat
) -> None:
    output = Path(name) if name else None
    assert report_format(chosen, output) is expected
    as_engagement = EngagementFormat(chosen.value) if chosen else None
    assert engagement_format(as_engagement, output) is EngagementFormat(expected.value)


@pytest.mark.parametrize(
    ("chosen", "name", "said"),
    [
        (None, "r.csv", "cannot tell the format of r.csv from its name"),
        (ReportFormat.markdown, "r.pdf", "--format markdown contradicts the name r.pdf"),
        (ReportFormat.rich, "r.html", "--format rich contradicts the name r.html"),
    ],
)
def test_a_name_that_tells_no_format_or_another_is_refused(
    chosen: ReportFormat | None, name: str, said: str
) -> None:
    for check in (
        lambda: report_format(chosen, Path(name)),
        lambda: engagement_format(EngagementFormat(chosen.value) if chosen else None, Path(name)),
    ):
        with pytest.raises(UsageError, match=re.escape(said)):
            check()


def test_data_commands_take_the_name_or_refuse_a_contradiction() -> None:
    assert file_format(OutputFormat.rich, Path("x.csv")) is OutputFormat.csv
    assert file_format(OutputFormat.json, Path("x.json")) is OutputFormat.json
    assert file_format(OutputFormat.json, Path("x.out")) is OutputFormat.json
    with pytest.raises(UsageError, match=re.escape("--format json contradicts the name x.csv")):
        file_format(OutputFormat.json, Path("x.csv"))


def test_report_to_a_csv_name_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    result = runner.invoke(
        app, ["report", str(EXAMPLES / "findings-healthy.yaml"), "-o", str(target)]
    )
    assert result.exit_code == 2
    assert f"cannot tell the format of {target} from its name" in " ".join(result.stderr.split())
    assert not target.exists()


def test_nps_json_into_a_csv_name_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "x.csv"
    args = ["nps", str(EXAMPLES / "nps_survey.csv"), "-f", "json", "-o", str(target)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "--format json contradicts the name" in result.stderr
    assert not target.exists()

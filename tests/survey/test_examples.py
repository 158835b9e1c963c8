"""The example exports in examples/survey import cleanly, and a second time add nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from svcdiag.cli import app
from svcdiag.models.engagement import RESPONSES_DIR
from svcdiag.survey.store import read_responses, responses_files
from tests.survey.example_exports import EXAMPLES, FILES

runner = CliRunner()


def test_the_readme_commands_can_be_run_twice(tmp_path: Path) -> None:
    folder = tmp_path / "acme"
    folder.mkdir()
    shutil.copy(EXAMPLES / "engagement.yaml", folder)
    counts = {"kobo-export.csv": 14, "google-forms-export.csv": 12, "qualtrics-export.csv": 10}
    for name in FILES:
        result = runner.invoke(app, ["survey", "import", str(folder), str(EXAMPLES / name)])
        assert result.exit_code == 0, result.output
        assert f"read {counts[name]}, imported {counts[name]}, rejected 0" in result.stderr
    written = responses_files(folder / RESPONSES_DIR)
    assert sorted(read_responses(p).source.platform for p in written) == [
        "google",
        "kobo",
        "qualtrics",
    ]
    for name in FILES:
        again = runner.invoke(app, ["survey", "import", str(folder), str(EXAMPLES / name)])
        assert again.exit_code == 0, again.output
        assert f"imported 0, rejected 0, duplicates {counts[name]}" in again.stderr
    assert responses_files(folder / RESPONSES_DIR) == written
    assert not list(EXAMPLES.glob("*.rejects*.csv"))

"""Bytes that are not UTF-8 on the command line never reach a file svcdiag cannot read back.

Python keeps such a byte (``$'Bad\\xff'`` in a shell) as a lone surrogate,
which YAML writes as ``\\uDCFF`` and then refuses on reading.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

from tests.hardening.conftest import EXAMPLES, run

BAD = "Bad\udcff"  # what Python makes of the bytes b"Bad\xff" in argv


def test_an_organisation_not_in_utf8_is_refused_before_anything_is_written(
    tmp_path: Path,
) -> None:
    out = tmp_path / "acme.findings.yaml"
    answers = EXAMPLES / "answers-widespread.yaml"
    result = run("assess", "diagnostic", "-a", answers, "--organisation", BAD, "-o", out)
    assert result.exit_code == 2
    assert "the command line holds 'Bad\\xff', which is not UTF-8 text" in result.stderr
    assert not out.exists()


def test_an_engagement_is_not_created_with_a_name_it_cannot_read(tmp_path: Path) -> None:
    folder = tmp_path / "eng"
    result = run("engagement", "new", folder, "--organisation", BAD)
    assert result.exit_code == 2
    assert "is not UTF-8 text" in result.stderr
    assert not (folder / "engagement.yaml").exists()


def test_evidence_from_a_file_whose_name_is_not_utf8_is_saved_readably(tmp_path: Path) -> None:
    saved = tmp_path / "variation.yaml"
    counts = ("--unit", "agent", "--events", "complaints", "--cases", "contacts")
    data = EXAMPLES / "complaints_by_agent.csv"
    assert run("variation", data, *counts, "-o", saved).exit_code == 0
    evidence = tmp_path / f"{BAD}.yaml"
    shutil.copyfile(saved, evidence)
    out = tmp_path / "acme.findings.yaml"
    answers = EXAMPLES / "answers-widespread.yaml"
    result = run("assess", "diagnostic", "-a", answers, "--evidence", evidence, "-o", out)
    assert result.exit_code == 0, result.output
    source = yaml.safe_load(out.read_text(encoding="utf-8"))["data_evidence"][0]["source"]
    assert source == str(tmp_path / "Bad\ufffd.yaml")
    assert run("report", out, "-f", "json").exit_code == 0


def test_a_survey_export_whose_name_is_not_utf8_is_imported(tmp_path: Path) -> None:
    folder = tmp_path / "eng"
    folder.mkdir()
    shutil.copyfile(EXAMPLES / "survey" / "engagement.yaml", folder / "engagement.yaml")
    export = tmp_path / f"kobo-{BAD}.csv"
    shutil.copyfile(EXAMPLES / "survey" / "kobo-export.csv", export)
    result = run("survey", "import", folder, export)
    assert result.exit_code in (0, 1), result.output
    (written,) = (folder / "responses").glob("*.json")
    assert json.loads(written.read_text(encoding="utf-8"))["source"]["file"] == "kobo-Bad\ufffd.csv"

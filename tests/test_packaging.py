"""The wheel and sdist carry the shipped questionnaires, found at run time when installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def _build(repo_root: Path, target: str, out: Path) -> Path:
    src = out / "src"
    shutil.copytree(
        repo_root,
        src,
        ignore=shutil.ignore_patterns(".git", ".*venv*", "dist", "__pycache__", ".*cache*"),
    )
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", target, "-d", str(out)],
        cwd=src,
        check=True,
        capture_output=True,
    )
    (built,) = [p for p in out.iterdir() if p.is_file()]
    return built


def _shipped(repo_root: Path) -> set[str]:
    return {p.name for p in (repo_root / "questionnaires").glob("*.yaml")}


def test_sdist_contains_questionnaires_schema_and_tests(repo_root: Path, tmp_path: Path) -> None:
    sdist = _build(repo_root, "sdist", tmp_path)
    with tarfile.open(sdist) as tar:
        names = {Path(*Path(n).parts[1:]).as_posix() for n in tar.getnames()}
    for name in _shipped(repo_root):
        assert f"questionnaires/{name}" in names
    assert "schema/questionnaire.schema.json" in names
    assert "src/svcdiag/cli/app.py" in names


def test_installed_wheel_finds_its_questionnaires(repo_root: Path, tmp_path: Path) -> None:
    wheel = _build(repo_root, "wheel", tmp_path / "dist")
    with zipfile.ZipFile(wheel) as zf:
        inside = set(zf.namelist())
    for name in _shipped(repo_root):
        assert f"svcdiag/questionnaires/{name}" in inside

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    py = venv / "bin" / "python"
    site = subprocess.run(
        [py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    with zipfile.ZipFile(wheel) as zf:  # what an installer does with a pure wheel
        zf.extractall(site)
    # dependencies come from the test environment; svcdiag itself from the wheel
    env = {**os.environ, "PYTHONPATH": sysconfig.get_paths()["purelib"]}
    out = subprocess.run(
        [py, "-c", "import svcdiag.source.resources as r; print(r.shipped_dir())"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=tmp_path,
    ).stdout.strip()
    assert Path(out) == Path(site) / "svcdiag" / "questionnaires"
    lint = subprocess.run(
        [py, "-m", "svcdiag", "lint"], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr
    assert f"All clean: {len(_shipped(repo_root))} files checked." in lint.stderr

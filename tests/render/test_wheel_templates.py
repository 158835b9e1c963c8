"""The wheel carries the report templates, and an installed wheel renders from them."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from svcdiag.render import html_templates

from ..test_packaging import _build

pytestmark = pytest.mark.slow


def test_wheel_contains_every_template(repo_root: Path, tmp_path: Path) -> None:
    wheel = _build(repo_root, "wheel", tmp_path / "dist")
    with zipfile.ZipFile(wheel) as zf:
        inside = set(zf.namelist())
    templates = repo_root / "src" / "svcdiag" / "render" / "templates"
    shipped = {p.name for p in templates.iterdir() if p.is_file()}
    assert {"report.html.j2", "charts.html.j2", "report.css"} <= shipped
    for name in shipped:
        assert f"svcdiag/render/templates/{name}" in inside


def test_templates_load_through_the_package_loader() -> None:
    env = html_templates.environment()
    assert set(env.list_templates()) >= {"report.html.j2", "stats.html.j2", "charts.html.j2"}
    assert env.autoescape is True

"""A figure that rounds to zero is shown as +0.0, never as a fall of -0.0."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from svcdiag.cli import app
from svcdiag.models.figures import signed


@given(st.floats(min_value=-1e6, max_value=1e6), st.integers(0, 3))
def test_signed_is_the_usual_figure_except_for_a_negative_zero(value: float, digits: int) -> None:
    usual = f"{value:+.{digits}f}"
    shown = signed(value, digits)
    assert shown == (usual.replace("-", "+", 1) if float(usual) == 0 else usual)
    assert not shown.startswith("-0") or float(shown) != 0
    assert float(shown) == float(usual)


def test_a_hair_below_zero_reads_as_zero_in_every_view(tmp_path: Path) -> None:
    """1,249 promoters and 1,250 detractors of 2,500: an NPS of -0.04."""
    path = tmp_path / "nps.csv"
    scores = ["10"] * 1_249 + ["0"] * 1_250 + ["8"]
    path.write_text("score\n" + "\n".join(scores) + "\n", encoding="utf-8")
    runner = CliRunner()
    rich = runner.invoke(app, ["nps", str(path)])
    html = runner.invoke(app, ["nps", str(path), "-f", "html"])
    assert rich.exit_code == html.exit_code == 0, rich.output
    assert "NPS +0.0" in rich.stdout and "-0.0" not in rich.stdout
    assert "NPS +0.0" in html.stdout and "-0.0" not in html.stdout
    data = runner.invoke(app, ["nps", str(path), "-f", "json"])
    assert '"nps": -0.04' in data.stdout  # the figure itself is kept as it is

"""Every example page in a real headless Chromium, at 1280 and 390 (phone) pixels wide.

Checks what a reader would see: a page that is not blank, the verdict in the
first screen, every chart drawn at a real size, and nothing wider than the
window. Screenshots go to pytest's temporary folder, never into the source tree.
"""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from svcdiag.render import html_report

from .browser import Browser
from .conftest import MADE_ON, NAMES, engagement_report, example, need, with_evidence

try:
    from PIL import Image
except ImportError:  # pragma: no cover - pillow is in the test extra
    need("pillow, which reads the screenshots (pip install -e '.[test]')", None)

pytestmark = pytest.mark.slow

SCREEN_HEIGHT = 800
MEASURE = """JSON.stringify((() => {
  const first = document.querySelector('#verdict .sentence, #triage h2');
  const box = first && first.getBoundingClientRect();
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    innerHeight: window.innerHeight,
    text: document.body.innerText.length,
    charts: [...document.querySelectorAll('svg.chart')].map(s => {
      const r = s.getBoundingClientRect(); return [r.width, r.height];
    }),
    widest: Math.max(...[...document.querySelectorAll('body *')]
      .filter(e => !e.parentElement.closest('.table-wrap'))
      .map(e => e.getBoundingClientRect().right)),
    first: first && {top: box.top, bottom: box.bottom, height: box.height,
                     text: first.innerText},
  };
})())"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    program = shutil.which("chromium") or shutil.which("chromium-browser")
    need("chromium (Debian package chromium)", program)
    assert program is not None
    with Browser(program) as running:
        yield running


@pytest.fixture(scope="module")
def pages(
    example_pages: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pages")
    with pytest.MonkeyPatch.context() as patch:
        evidence = with_evidence(tmp_path_factory.mktemp("evidence"), patch)
    all_pages = dict(example_pages)
    all_pages["evidence"] = html_report.render_html(evidence, html_report.Options(MADE_ON))
    paths = {}
    for name, html in all_pages.items():
        paths[name] = folder / f"{name}.html"
        paths[name].write_text(html, encoding="utf-8")
    return paths


def _expected_first(name: str) -> str | None:
    if name in NAMES:
        findings = example(name)
        if findings.diagnosis is not None:
            return findings.diagnosis.headline
        assert findings.triage is not None
        return f"Triage: {findings.triage.title}"
    if name == "engagement-report":
        diagnosis = engagement_report().diagnosis
        assert diagnosis is not None
        return diagnosis.headline
    return None


def _not_blank(png: bytes) -> float:
    """The share of pixels that are not plain white."""
    image = Image.open(io.BytesIO(png)).convert("L")
    histogram = image.histogram()
    return 1 - histogram[255] / sum(histogram)


@pytest.mark.parametrize("width", [1280, 390])
def test_pages_in_a_real_browser(
    browser: Browser,
    pages: dict[str, Path],
    width: int,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    shots = tmp_path_factory.mktemp(f"screenshots-{width}")
    for name, path in pages.items():
        tab = browser.open(path, width, SCREEN_HEIGHT)
        try:
            found = json.loads(tab.evaluate(MEASURE))
            png = tab.screenshot()
        finally:
            tab.close()
        (shots / f"{name}.png").write_bytes(png)
        where = f"{name} at {width} px"
        assert found["innerWidth"] == width, where
        assert found["text"] > 500, where
        assert _not_blank(png) > 0.02, where
        # Nothing is wider than the window: no sideways scrolling. (A wide data
        # table scrolls inside its own box, which fits.)
        assert found["scrollWidth"] <= width, (where, found["scrollWidth"])
        assert found["widest"] <= width + 0.5, (where, found["widest"])
        # The verdict (or the triage route) is on the first screen.
        first = found["first"]
        assert first is not None, where
        assert first["top"] >= 0 and first["bottom"] <= found["innerHeight"], (where, first)
        expected = _expected_first(name)
        if expected is not None:
            assert " ".join(first["text"].split()) == " ".join(expected.split()), where
        else:
            assert len(first["text"]) > 10, where
        # Every chart is drawn at a real size, and fits the window.
        has_charts = name != "triage-feedback"
        assert bool(found["charts"]) is has_charts, where
        for chart_width, chart_height in found["charts"]:
            assert 0 < chart_width <= width and chart_height > 0, (where, chart_width)

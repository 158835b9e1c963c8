"""Committed outputs never carry a path of the machine that made them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: An absolute path into a home, temporary or work folder, or this checkout.
LOCAL = re.compile(r"(?<![\w.:/])/(?:home|root|tmp|work|Users|var/folders)/")
COMMITTED = sorted(
    p
    for folder in ("examples", "schema", "tests/diagnosis/golden", "tests/render/golden")
    for p in (ROOT / folder).rglob("*")
    if p.is_file() and p.suffix in {".yaml", ".yml", ".json", ".md", ".html", ".csv"}
)


def test_there_are_committed_outputs_to_check() -> None:
    assert len(COMMITTED) > 20


@pytest.mark.parametrize("path", COMMITTED, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_machine_path_in_a_committed_output(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    assert str(ROOT) not in text
    assert not LOCAL.search(text), LOCAL.search(text)

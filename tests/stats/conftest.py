"""Fixtures for the data-evidence tests: small CSV files written on the fly."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

MakeCsv = Callable[..., Path]


@pytest.fixture
def make_csv(tmp_path: Path) -> MakeCsv:
    """Write ``text`` (str or bytes) to a file in tmp_path and return its path."""

    def make(text: str | bytes, name: str = "data.csv") -> Path:
        path = tmp_path / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return make

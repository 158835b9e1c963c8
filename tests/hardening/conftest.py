"""Shared pieces of the hardening tests: the CLI runner and the example files."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner, Result

from svcdiag.cli import app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
#: The exit codes the README's table documents.
DOCUMENTED_EXIT_CODES = {0, 1, 2, 3, 130}

runner = CliRunner()


def run(*argv: str | Path) -> Result:
    """Run svcdiag with ``argv``; a traceback (an exception escaping) fails the test."""
    result = runner.invoke(app, [str(a) for a in argv])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"svcdiag {argv} raised {result.exception!r}") from result.exception
    assert result.exit_code in DOCUMENTED_EXIT_CODES, result.exit_code
    assert "Traceback" not in result.output
    return result

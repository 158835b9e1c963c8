"""The command line as a whole: version, help for every command, start-up imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from svcdiag import __version__
from svcdiag.cli import app

runner = CliRunner()


def _commands() -> list[str]:
    group = typer.main.get_command(app)
    return sorted(group.commands)  # type: ignore[attr-defined]


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"svcdiag {__version__}\n"


def test_python_dash_m_runs_the_cli() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "svcdiag", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == f"svcdiag {__version__}"


@pytest.mark.parametrize("command", _commands())
def test_every_command_has_help_and_is_in_the_readme(command: str, repo_root: Path) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    group = typer.main.get_command(app)
    assert group.commands[command].help, f"{command} has no help text"  # type: ignore[attr-defined]
    readme = (repo_root / "README.md").read_text()
    assert f"svcdiag {command}" in readme, f"README does not document 'svcdiag {command}'"


def _modules_after(argv: list[str]) -> set[str]:
    code = (
        "import sys\n"
        "from svcdiag.cli import app\n"
        f"try:\n    app({argv!r})\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split()[-1:] and out.stdout.splitlines()[-1].split())


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["lint"], ["list"], ["schema"], ["lint", "--format", "json"]],
    ids=lambda a: " ".join(a),
)
def test_non_prompting_commands_do_not_import_prompt_libraries(argv: list[str]) -> None:
    modules = _modules_after(argv)
    assert "svcdiag.cli" in modules
    assert "questionary" not in modules
    assert "prompt_toolkit" not in modules


def test_help_does_not_import_pydantic_or_yaml() -> None:
    modules = _modules_after(["--help"])
    assert not {"pydantic", "yaml", "rich.table"} & modules

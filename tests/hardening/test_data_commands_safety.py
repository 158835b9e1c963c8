"""Data commands: no escape sequence reaches a terminal, no input is lost, signals end cleanly."""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pexpect
import pytest

from svcdiag.console import TerminalText, data_stream
from svcdiag.stats import engine as engine_module
from svcdiag.textsafe import for_terminal

from .conftest import run

EVIL = "\x1b]0;pwned\x07Evil\u202e"


def evil_csv(folder: Path) -> Path:
    path = folder / "evil.csv"
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerows([["branch", "score"], [EVIL, "9"], ["B", "3"], [EVIL, "10"]])
    return path


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_data_for_a_terminal_loses_its_control_characters() -> None:
    screen = Terminal()
    out = data_stream(screen)
    assert isinstance(out, TerminalText)
    assert out.write(f"group,{EVIL}\n") == len(f"group,{EVIL}\n")
    assert screen.getvalue() == "group,]0;pwnedEvil\n"
    # A pipe or a file gets every character; a styled (rich) view is left alone.
    pipe = io.StringIO()
    assert data_stream(pipe) is pipe
    assert data_stream(screen, styled=True) is screen


def test_bidirectional_overrides_are_dropped_for_terminals() -> None:
    assert for_terminal("abc\u202edef\u2066x\u2069\u200fz") == "abcdefx\u200fz"


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        ["nps", "{file}", "--by", "branch", "-f", "csv"],
        ["nps", "{file}", "--by", "branch", "-f", "html"],
        ["variation", "{file}", "--unit", "branch", "--outcome", "score", "--sql"],
    ],
)
def test_no_escape_sequence_from_a_file_reaches_a_real_terminal(
    tmp_path: Path, args: list[str]
) -> None:
    path = evil_csv(tmp_path)
    argv = [a.format(file=path) for a in args]
    child = pexpect.spawn(
        sys.executable, ["-m", "svcdiag", *argv], env={**os.environ, "NO_COLOR": "1"},
        encoding="utf-8", timeout=60,
    )  # fmt: skip
    child.expect(pexpect.EOF)
    shown = child.before or ""
    assert "pwned" in shown or "--sql" in argv  # the name is shown, only its escapes are not
    assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown
    # Redirected, the same command writes the name as it is.
    piped = subprocess.run(
        [sys.executable, "-m", "svcdiag", *argv], capture_output=True, text=True, check=False
    )
    if "csv" in argv and "--sql" not in argv:
        assert EVIL in piped.stdout


def test_output_onto_the_input_is_refused_even_with_force(tmp_path: Path) -> None:
    data = tmp_path / "in.csv"
    text = "score\n9\n10\n3\n7\n"
    data.write_text(text)
    link = tmp_path / "link.csv"
    link.symlink_to(data)
    for target, named in [(data, ""), (link, f" {data}, by another name")]:
        for command in (["nps", data], ["trend", data, "--time", "score", "--value", "score"]):
            result = run(*command, "-f", "csv", "-o", target, "--force")
            assert result.exit_code == 2, result.output
            assert (
                f"the output {target} is the input file{named}: writing the result there "
                "would replace the data it comes from"
            ) in result.stderr
    assert data.read_text() == text and link.is_symlink()


def test_an_interrupted_query_leaves_no_folder_and_exits_130(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # DuckDB reports a query cut short by SIGTERM or SIGHUP as this RuntimeError.
    def interrupted(self: engine_module.Engine, query: str) -> list[tuple[object, ...]]:
        with engine_module.interruptions():
            raise RuntimeError("Query interrupted")

    spill = tmp_path / "tmp"
    spill.mkdir()
    monkeypatch.setenv("TMPDIR", str(spill))
    monkeypatch.setattr(engine_module.Engine, "rows", interrupted)
    data = tmp_path / "in.csv"
    data.write_text("score\n9\n")
    result = run("nps", data)
    assert result.exit_code == 130
    assert "error: interrupted" in result.stderr
    assert list(spill.iterdir()) == []
    with pytest.raises(RuntimeError, match="something else"), engine_module.interruptions():
        raise RuntimeError("something else")


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="needs SIGHUP")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_during_a_query_is_an_interruption(tmp_path: Path, signum: int) -> None:
    data = tmp_path / "units.csv"
    con = duckdb.connect()
    con.execute(
        "COPY (SELECT 'U' || i AS agent, i % 3 AS e, 3 + i % 50 AS n FROM range(1500000) t(i)) "
        f"TO '{data}' (HEADER)"
    )
    con.close()
    spill = tmp_path / "tmp"
    spill.mkdir()
    child = subprocess.Popen(
        [sys.executable, "-m", "svcdiag", "variation", str(data), "--unit", "agent",
         "--events", "e", "--cases", "n", "-f", "csv"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "TMPDIR": str(spill)},
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while not any(spill.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.005)  # the engine's folder: the command is past start-up
    time.sleep(0.05)
    child.send_signal(signum)
    _, error = child.communicate(timeout=60)
    assert child.returncode == 130, error
    assert "error: interrupted" in error and "Traceback" not in error
    assert list(spill.iterdir()) == []


def test_output_onto_a_folder_is_refused_before_the_file_is_read(tmp_path: Path) -> None:
    # The data file is missing: the folder is named first, so no analysis ran.
    for folder in (tmp_path, Path(".")):
        result = run("nps", tmp_path / "absent.csv", "-f", "json", "-o", folder)
        assert result.exit_code == 2
        assert f"{folder} is a folder; nothing was written" in result.stderr
        assert f"name a file to write instead, inside {folder.name or folder}/" in result.stderr
        assert "findings.yaml" not in result.stderr  # an nps result is no findings file


def test_an_unreadable_file_is_named_in_svcdiag_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "locked.csv"
    data.write_text("score\n9\n")
    real_open = Path.open

    def locked(self: Path, *args: object, **kwargs: object) -> object:
        if self.name == "locked.csv":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "access", lambda *args, **kwargs: False)
    monkeypatch.setattr(Path, "open", locked)
    result = run("nps", data)
    assert result.exit_code == 2
    assert f"error: {data}: permission denied" in result.stderr


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (["nps", "--by", "branch"], "branch,score\nA,9\nA,3\nB\x00x,3\n"),
        (["variation", "--unit", "branch", "--events", "e", "--cases", "n"],
         "branch,e,n\nA,1,9\nA,2,9\nB\x00x,3,9\n"),
        (["variation", "--unit", "branch", "--outcome", "o"], "branch,o\nA,1\nA,0\nB\x00x,0\n"),
        (["trend", "--time", "d", "--outcome", "o", "--by", "branch"],
         "branch,d,o\nA,2024-01-02,1\nA,2024-02-02,0\nB\x00x,2024-03-01,0\n"),
    ],
)  # fmt: skip
def test_a_name_holding_nul_is_refused_at_its_row(
    tmp_path: Path, args: list[str], text: str
) -> None:
    data = tmp_path / "nul.csv"
    data.write_text(text)
    result = run(args[0], data, *args[1:], "-f", "csv")
    assert result.exit_code == 1
    assert f"{data}:4: column 'branch' holds a NUL character" in result.stderr
    # The same file as Parquet names the row of data (the first is row 1).
    parquet = tmp_path / "nul.parquet"
    con = duckdb.connect()
    con.execute(f"COPY (SELECT * FROM read_csv('{data}', all_varchar = true)) TO '{parquet}'")
    con.close()
    result = run(args[0], parquet, *args[1:], "-f", "csv")
    assert result.exit_code == 1
    assert f"{parquet}: row 3: column 'branch' holds a NUL character" in result.stderr


def test_a_control_character_in_an_output_name_is_shown_as_an_escape(tmp_path: Path) -> None:
    data = tmp_path / "scores.csv"
    data.write_text("score\n9\n10\n3\n", encoding="utf-8")
    output = tmp_path / "nps\x1b[31m\tred.json"
    result = run("nps", data, "-o", output)
    assert result.exit_code == 0, result.output
    assert output.is_file()
    assert "wrote " in result.stderr
    assert "nps\\x1b[31m\\tred.json" in result.stderr  # the file's own name, escaped
    assert "\x1b" not in result.stderr


#: Runs svcdiag with a signal sent to itself in the middle of an import: as
#: module ``argv[2]`` is looked for while module ``argv[3]`` is being loaded.
_SIGNAL_IN_IMPORT = """
import importlib.abc, os, runpy, sys

SIGNAL, LOOKED_FOR, LOADING = int(sys.argv[1]), sys.argv[2], sys.argv[3]

class SignalInImport(importlib.abc.MetaPathFinder):
    sent = False

    def find_spec(self, name, path, target=None):
        if name == LOOKED_FOR and LOADING in sys.modules and not SignalInImport.sent:
            SignalInImport.sent = True
            os.kill(os.getpid(), SIGNAL)
        return None

sys.meta_path.insert(0, SignalInImport())
sys.argv = ["svcdiag", *sys.argv[4:]]
runpy.run_module("svcdiag", run_name="__main__")
"""


def _signalled_in_import(signum: int, looked_for: str, loading: str, *args: str) -> None:
    """Run svcdiag with ``signum`` sent inside an import; it must report an interruption."""
    done = subprocess.run(
        [sys.executable, "-c", _SIGNAL_IN_IMPORT, str(int(signum)), looked_for, loading, *args],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 130, done.stderr
    assert "error: interrupted" in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("command", ["variation", "trend"])
def test_a_signal_while_the_engine_loads_is_an_interruption(
    tmp_path: Path, signum: int, command: str
) -> None:
    """A signal landing inside DuckDB's import used to abort, or fail the import with a traceback.

    It is sent as DuckDB's native module, setting itself up, imports ``atexit``.
    """
    data = tmp_path / "in.csv"
    data.write_text("day,agent,complaint\n2024-01-01,A,1\n2024-02-01,B,0\n")
    options = {
        "variation": ["--unit", "agent", "--outcome", "complaint"],
        "trend": ["--time", "day", "--outcome", "complaint"],
    }[command]
    _signalled_in_import(signum, "atexit", "duckdb", command, str(data), *options)


@pytest.mark.parametrize("looked_for", ["typer", "svcdiag.cli.data"])
def test_ctrl_c_while_the_command_line_loads_is_an_interruption(
    tmp_path: Path, looked_for: str
) -> None:
    data = tmp_path / "in.csv"
    data.write_text("score\n9\n")
    _signalled_in_import(signal.SIGINT, looked_for, "svcdiag", "nps", str(data))

"""A reader that stops early (``| head``) ends the command quietly, with exit code 141."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from svcdiag.errors import EXIT_BROKEN_PIPE, EXIT_USAGE


def test_a_closed_pipe_ends_the_command_quietly_with_141(tmp_path: Path) -> None:
    data = tmp_path / "units.csv"
    rows = "".join(f"U{i},{i % 7},{20 + i % 50}\n" for i in range(60_000))
    data.write_text("agent,complaints,contacts\n" + rows, encoding="utf-8")
    command = [sys.executable, "-m", "svcdiag", "variation", str(data), "--unit", "agent",
               "--events", "complaints", "--cases", "contacts", "-f", "csv"]  # fmt: skip
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout is not None and child.stderr is not None
    first = child.stdout.readline()
    child.stdout.close()  # as head does, long before the 4 MB of units are written
    errors = child.stderr.read().decode()
    child.stderr.close()
    assert child.wait(timeout=120) == EXIT_BROKEN_PIPE == 141
    assert first.decode().startswith("unit,events,cases,rate")
    assert errors == ""  # no traceback, no "Exception ignored", no message


def test_output_read_to_the_end_still_succeeds(tmp_path: Path) -> None:
    data = tmp_path / "units.csv"
    data.write_text("agent,complaints,contacts\nA,1,20\nB,9,20\nC,2,20\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "svcdiag", "variation", str(data), "--unit", "agent",
         "--events", "complaints", "--cases", "contacts", "-f", "csv"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith("unit,events")
    assert len(done.stdout.splitlines()) == 4


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs Linux's /dev/full")
@pytest.mark.parametrize("fmt", ["json", "rich", "csv"])
def test_standard_output_on_a_full_disk_is_an_error_not_a_traceback(
    tmp_path: Path, fmt: str
) -> None:
    data = tmp_path / "units.csv"
    data.write_text("agent,complaints,contacts\nA,1,20\nB,9,20\nC,2,20\n", encoding="utf-8")
    with Path("/dev/full").open("w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "svcdiag", "variation", str(data), "--unit", "agent",
             "--events", "complaints", "--cases", "contacts", "-f", fmt],
            stdout=full, stderr=subprocess.PIPE, text=True, check=False,
        )  # fmt: skip
    assert done.returncode == EXIT_USAGE, done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    assert "error: cannot write the output: No space left on device" in " ".join(
        done.stderr.split()
    )

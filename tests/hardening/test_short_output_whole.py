"""An output short enough to be written whole leaves in one write: ``| head -1`` exits 0.

A reader that stops after its first line closes the pipe; a write after that
fails and the command exits 141. A short output written a row at a time
loses that race now and then; written whole, into a pipe that holds it, it
never does. A huge output still ends with 141 (see ``test_closed_pipe``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from svcdiag.errors import EXIT_BROKEN_PIPE

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
#: Runs of each command: a row-at-a-time writer lost the race about one run in three.
RUNS = 3

SHORT_COMMANDS = {
    "nps": (
        ["nps", str(EXAMPLES / "nps_survey.csv"), "--by", "branch", "-f", "csv"],
        "scope,group,n,promoters,passives,detractors,nps,ci_low,ci_high,confidence,flag",
    ),
    "trend": (
        ["trend", str(EXAMPLES / "complaints_by_month.csv"), "--time", "month",
         "--events", "complaints", "--cases", "contacts", "--by", "team", "-f", "csv"],
        "group,period,n,events,value,centre,lower,upper,ci_low,ci_high,signal",
    ),
    "variation": (
        ["variation", str(EXAMPLES / "complaints_by_agent.csv"), "--unit", "agent",
         "--events", "complaints", "--cases", "contacts", "-f", "csv"],
        "unit,events,cases,rate,z,lower95,upper95,lower998,upper998,status",
    ),
}  # fmt: skip


def _piped_into_head(argv: list[str], runs: int) -> subprocess.CompletedProcess[str]:
    """Run ``svcdiag ARGV | head -1`` ``runs`` times; stop at the first failing run.

    Python is run unbuffered, so that every ``write`` of the command is a
    write to the pipe, as a redirected standard output often is.
    """
    script = 'set -o pipefail; for _ in $(seq "$0"); do "$@" | head -1 || exit; done'
    command = [sys.executable, "-m", "svcdiag", *argv]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.run(
        ["bash", "-c", script, str(runs), *command],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip


@pytest.mark.parametrize("name", sorted(SHORT_COMMANDS))
def test_a_short_csv_piped_into_head_exits_0(name: str) -> None:
    argv, header = SHORT_COMMANDS[name]
    done = _piped_into_head(argv, RUNS)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [header] * RUNS
    assert done.stderr == ""


def test_a_huge_csv_piped_into_head_still_exits_141(tmp_path: Path) -> None:
    # 3,000 units: listed from Python (not the engine), some 250 KB of CSV.
    data = tmp_path / "units.csv"
    rows = "".join(f"U{i},{i % 7},{20 + i % 50}\n" for i in range(3_000))
    data.write_text("agent,complaints,contacts\n" + rows, encoding="utf-8")
    argv = ["variation", str(data), "--unit", "agent", "--events", "complaints",
            "--cases", "contacts", "-f", "csv"]  # fmt: skip
    done = _piped_into_head(argv, 1)
    assert done.returncode == EXIT_BROKEN_PIPE == 141
    assert done.stdout == "unit,events,cases,rate,z,lower95,upper95,lower998,upper998,status\n"
    assert done.stderr == ""

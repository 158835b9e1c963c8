"""Time ``svcdiag survey import`` on generated KoboToolbox exports, beside bare scripts.

For each size (10,000 and 50,000 respondents by default) the script answers the
shipped ``diagnostic`` questionnaire for generated respondents (every question
that applies, conditions respected) and writes them as a KoboToolbox CSV
export (group paths, ``;`` delimiter, one 0/1 column per option). It then
runs, each as a fresh process timed by the wall clock (best of --repeat):

* ``svcdiag survey import ENGAGEMENT FILE`` into an empty engagement: detect,
  map, check every cell, write the responses file and print the summary;
* the same again: every row is now a duplicate, so this is the cost of
  reading the ids of the responses already imported;
* reading the responses file back (:func:`svcdiag.survey.store.read_responses`,
  what the engagement report does), beside ``yaml.safe_load`` with libyaml's
  C loader on the same file (n/a above 10,000: it takes minutes and gigabytes);
* a bare ``csv`` script calling :func:`svcdiag.assess.answers.validate_answer`
  on every cell, one by one, and writing nothing (what one might write by hand
  with the library);
* a pandas script reading the file and checking each column's values against
  its allowed set, vectorised, writing nothing (n/a without pandas:
  ``pip install -e '.[bench]'``).

Every column includes interpreter start-up and imports.

Usage: python benchmarks/bench_survey.py [--sizes 10000 50000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BARE_CSV = """
import csv, sys
from svcdiag.assess.answers import validate_answer
from svcdiag.definitions.loading import load_questionnaire
from svcdiag.errors import AnswerError
questions = {q.id: q for q in load_questionnaire("diagnostic").questionnaire.questions()}
bad = rows = 0
with open(sys.argv[1], encoding="utf-8-sig", newline="") as handle:
    reader = csv.reader(handle, delimiter=";")
    header = [name.rsplit("/", 1)[-1] for name in next(reader)]
    wanted = [(i, questions[name]) for i, name in enumerate(header) if name in questions]
    for row in reader:
        rows += 1
        for i, question in wanted:
            cell = row[i].strip()
            if not cell:
                continue
            value = cell.split() if question.type.value == "multi_choice" else cell
            try:
                validate_answer(question, value)
            except AnswerError:
                bad += 1
print(rows, bad)
"""

READ_BACK = """
import sys
from pathlib import Path
from svcdiag.survey.store import read_responses
print(len(read_responses(Path(sys.argv[1])).responses))
"""

SAFE_LOAD = """
import sys, yaml
print(len(yaml.load(open(sys.argv[1], encoding="utf-8"), Loader=yaml.CSafeLoader)["responses"]))
"""

PANDAS = """
import sys
import pandas as pd
from svcdiag.definitions.loading import load_questionnaire
from svcdiag.survey import fields
questions = {q.id: q for q in load_questionnaire("diagnostic").questionnaire.questions()}
frame = pd.read_csv(sys.argv[1], sep=";", dtype=str, keep_default_na=False)
bad = 0
for column in frame.columns:
    question = questions.get(column.rsplit("/", 1)[-1])
    if question is None:
        continue
    values = frame[column].str.strip()
    given = values[values != ""]
    if fields.is_select(question) and question.type.value != "multi_choice":
        allowed = {choice.name for choice in fields.choices(question)}
        bad += int((~given.isin(allowed)).sum())
    elif question.type.value in ("number", "scale"):
        numbers = pd.to_numeric(given, errors="coerce")
        low = question.min if question.min is not None else -float("inf")
        high = question.max if question.max is not None else float("inf")
        bad += int((numbers.isna() | (numbers < low) | (numbers > high)).sum())
print(len(frame), bad)
"""


def _export(path: Path, size: int) -> None:
    sys.path.insert(0, str(ROOT))
    from tests.survey import layouts

    from svcdiag.definitions.loading import load_questionnaire
    from svcdiag.survey.xlsform import build_form

    questionnaire = load_questionnaire("diagnostic").questionnaire
    people = layouts.respondents(questionnaire, size, seed=size)
    path.write_text(
        layouts.kobo_export(build_form(questionnaire).survey, questionnaire, people),
        encoding="utf-8",
    )


def _best(argv: list[str], repeat: int, reset: Path | None = None) -> float:
    best = float("inf")
    for _ in range(repeat):
        if reset is not None:
            shutil.rmtree(reset, ignore_errors=True)
        start = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    has_pandas = importlib.util.find_spec("pandas") is not None
    svcdiag = [sys.executable, "-m", "svcdiag"]
    header = (
        f"{'respondents':>11}  {'file MB':>7}  {'survey import':>13}  {'again (dups)':>12}  "
        f"{'read back':>9}  {'safe_load':>9}  {'bare csv loop':>13}  {'pandas':>7}"
    )
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for size in args.sizes:
            export = work / f"kobo-{size}.csv"
            _export(export, size)
            folder = work / f"eng-{size}"
            folder.mkdir()
            (folder / "engagement.yaml").write_text(
                "organisation: Bench\nquestionnaire: {id: diagnostic, version: '1.0'}\n",
                encoding="utf-8",
            )
            command = [*svcdiag, "survey", "import", str(folder), str(export)]
            first = _best(command, args.repeat, reset=folder / "responses")
            subprocess.run(command, check=True, capture_output=True)
            again = _best(command, args.repeat)
            [written] = sorted((folder / "responses").glob("*.yaml"))
            back = _best([sys.executable, "-c", READ_BACK, str(written)], args.repeat)
            safe = (
                f"{_best([sys.executable, '-c', SAFE_LOAD, str(written)], 1):8.2f}s"
                if size <= 10_000
                else "      n/a"
            )
            bare = _best([sys.executable, "-c", BARE_CSV, str(export)], args.repeat)
            pandas = (
                f"{_best([sys.executable, '-c', PANDAS, str(export)], args.repeat):6.2f}s"
                if has_pandas
                else "    n/a"
            )
            megabytes = export.stat().st_size / 1e6
            print(
                f"{size:>11,}  {megabytes:>7.1f}  {first:>12.2f}s  {again:>11.2f}s  "
                f"{back:>8.2f}s  {safe:>9}  {bare:>12.2f}s  {pandas:>7}"
            )


if __name__ == "__main__":
    main()

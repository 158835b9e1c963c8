"""Per-group NPS: counts kept in saved results, old results still loading, bounded views."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner, Result

from svcdiag.cli import app
from svcdiag.errors import InputFileError
from svcdiag.models.results import Flag, NpsGroup, NpsResult
from svcdiag.render import csv_stats, html_stats, rich_stats
from svcdiag.render.html_evidence import CHART_GROUPS
from svcdiag.serialise import to_json, to_yaml
from svcdiag.stats.evidence import load_evidence
from svcdiag.stats.nps import NpsCounts, nps_result

from .test_cli_stats import GROUP_KEYS_ORDER

MakeCsv = Callable[..., Path]

#: A: 9, 10, 3 -> 2 promoters, 1 detractor. B: 7, 8 -> 2 passives. C: 0 -> 1 detractor.
FIVE_GROUPS = "branch,score\nA,9\nA,10\nA,3\nB,7\nB,8\nC,0\n"


def run(*args: object) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "80", "NO_COLOR": "1"})


def group_counts(groups: list[dict[str, object]]) -> list[tuple[object, ...]]:
    return [(g["group"], g["promoters"], g["passives"], g["detractors"]) for g in groups]


EXPECTED_COUNTS = [("A", 2, 0, 1), ("B", 0, 2, 0), ("C", 0, 0, 1)]


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_saved_groups_hold_their_counts(make_csv: MakeCsv, fmt: str) -> None:
    result = run("nps", make_csv(FIVE_GROUPS), "--by", "branch", "-f", fmt)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout) if fmt == "json" else yaml.safe_load(result.stdout)
    assert group_counts(data["groups"]) == EXPECTED_COUNTS
    # Written after n, in the order of the overall counts.
    assert list(data["groups"][0]) == list(GROUP_KEYS_ORDER)


@pytest.mark.parametrize("suffix", ["json", "yaml"])
def test_round_trip_through_evidence(make_csv: MakeCsv, tmp_path: Path, suffix: str) -> None:
    saved = tmp_path / f"nps.{suffix}"
    result = run("nps", make_csv(FIVE_GROUPS), "--by", "branch", "-o", saved)
    assert result.exit_code == 0, result.stderr
    loaded = load_evidence(saved)
    assert isinstance(loaded, NpsResult)
    assert [(g.group, g.promoters, g.passives, g.detractors) for g in loaded.groups] == (
        EXPECTED_COUNTS
    )
    # Read back and written again, the file is what the command wrote.
    dump = to_json if suffix == "json" else to_yaml
    assert dump(loaded) == saved.read_text(encoding="utf-8")
    # And the CSV of the loaded result has the counts in every group row.
    out = io.StringIO()
    csv_stats.write(loaded, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [(r["group"], r["promoters"], r["passives"], r["detractors"]) for r in rows[1:]] == [
        (name, str(p), str(q), str(d)) for name, p, q, d in EXPECTED_COUNTS
    ]


def _old_result_text() -> str:
    """A result as saved before groups kept their counts."""
    data = json.loads(
        to_json(
            nps_result(NpsCounts(2, 2, 2), [("A", NpsCounts(2, 0, 1)), ("B", NpsCounts(0, 2, 1))])
        )
    )
    for group in data["groups"]:
        for key in ("promoters", "passives", "detractors"):
            del group[key]
    return yaml.safe_dump(data, sort_keys=False)


def test_result_of_an_older_version_still_loads(make_csv: MakeCsv) -> None:
    path = make_csv(_old_result_text(), "old.yaml")
    loaded = load_evidence(path)
    assert isinstance(loaded, NpsResult)
    assert [(g.group, g.n, g.promoters) for g in loaded.groups] == [("A", 3, None), ("B", 3, None)]
    # Written again, it still has no counts (rather than made-up ones) ...
    assert "promoters" not in json.loads(to_json(loaded))["groups"][0]
    # ... and its CSV leaves them empty; the views show blanks, not zeros.
    out = io.StringIO()
    csv_stats.write(loaded, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [(r["promoters"], r["passives"], r["detractors"]) for r in rows[1:]] == [
        ("", "", "")
    ] * 2
    terminal = io.StringIO()
    rich_stats.write(loaded, terminal, width=80)
    line_a = next(line for line in terminal.getvalue().splitlines() if line.startswith("A "))
    # A: P = 2, D = 1, n = 3: n' = 6, p' = 2.75/6, d' = 1.75/6, centre 1/6,
    # var = (0.75 - 1/36) / 6 = 0.120370, half = 1.959964 * 0.346944 = 0.679998.
    assert line_a.split() == ["A", "3", "+33.3", "-51.3", "to", "+84.7", "within"]


def test_old_result_is_cited_by_a_report(make_csv: MakeCsv) -> None:
    path = make_csv(_old_result_text(), "old.yaml")
    findings = Path(__file__).resolve().parents[2] / "examples" / "findings-healthy.yaml"
    result = run("report", findings, "--evidence", path)
    assert result.exit_code == 0, result.stderr
    # Overall P = 2, D = 2 of 6: NPS 0.
    assert "old.yaml: NPS +0.0" in " ".join(result.stdout.split())


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "    promoters: 80\n",
            "    promoters: 81\n",
            "promoters + passives + detractors = 101, but n = 100",
        ),
        ("    passives: 15\n", "", "give all three of promoters, passives and detractors, or none"),
        (
            "    detractors: 5\n",
            "    detractors: -5\n",
            "Input should be greater than or equal to 0",
        ),
    ],
)
def test_bad_group_counts_are_located(make_csv: MakeCsv, old: str, new: str, message: str) -> None:
    original = nps_result(
        NpsCounts(120, 85, 95),
        [("North", NpsCounts(80, 15, 5)), ("South", NpsCounts(40, 70, 90))],
    )
    text = to_yaml(original)
    assert old in text
    path = make_csv(text.replace(old, new, 1), "nps.yaml")
    with pytest.raises(InputFileError) as caught:
        load_evidence(path)
    assert caught.value.message.startswith(f"{path}:")
    assert "not a valid NPS result: groups.0" in caught.value.message
    assert message in caught.value.message


def test_group_counts_must_give_its_nps() -> None:
    with pytest.raises(ValueError, match=re.escape("nps is 50.0, but the counts give 0.0000")):
        NpsGroup(
            group="A", n=2, promoters=1, passives=0, detractors=1,
            nps=50.0, ci_low=-70.0, ci_high=70.0, flag=Flag.within,
        )  # fmt: skip


# ------------------------------------------------------------------ bounded views


def many_groups(flagged_low: int = 3, low_size: int | None = None) -> str:
    """117 groups of 4 answers (NPS +25) and a few groups of detractors only (NPS -100).

    Each low group holds ``low_size`` answers, or 60 + its number (so the
    last is the largest); either way its whole interval lies below the
    overall NPS while the groups of 4 stay within chance.
    """
    lines = ["branch,score"]
    for i in range(117):
        lines += [f"g{i:03},9", f"g{i:03},10", f"g{i:03},7", f"g{i:03},3"]
    for i in range(flagged_low):
        size = 60 + i if low_size is None else low_size
        lines += [f"low{i}," + ("0" if k % 2 else "3") for k in range(size)]
    return "\n".join(lines) + "\n"


def test_rich_lists_a_bounded_number_of_groups(make_csv: MakeCsv) -> None:
    result = run("nps", make_csv(many_groups()), "--by", "branch")
    assert result.exit_code == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if re.match(r"(g\d{3}|low\d) ", line)]
    assert len(rows) == rich_stats.MAX_GROUP_ROWS
    # The flagged groups first, largest first; then the largest unflagged ones, in file order.
    assert [r.split()[0] for r in rows[:3]] == ["low2", "low1", "low0"]
    assert all(r.split()[-1] == "below" for r in rows[:3])
    assert [r.split()[0] for r in rows[3:6]] == ["g000", "g001", "g002"]
    text = " ".join(result.stdout.split())
    assert (
        "120 groups: the table lists 40, the flagged ones first, then those with the most "
        "answers; 80 more are not listed. --format csv or json lists every group."
    ) in text
    assert "beyond chance, with the whole 95 % interval and the group's own NPS on that " in text
    assert "low0 (below), low1 (below), low2 (below)." in text


def test_rich_says_how_many_flagged_groups_are_not_listed(make_csv: MakeCsv) -> None:
    # 45 groups of 6 detractors: interval -100 to -25.9 (n' = 9, centre -2/3, half
    # 1.959964 * sqrt((5/6 - 4/9) / 9) = 0.4074). Overall P = 234, D = 117 + 270 of 738:
    # NPS -20.7, so all 45 are below; the groups of 4 reach down to -44.4: within.
    result = run("nps", make_csv(many_groups(flagged_low=45, low_size=6)), "--by", "branch")
    assert result.exit_code == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert "NPS -20.7" in text
    rows = [line.split() for line in result.stdout.splitlines() if re.match(r"low\d+ +\d", line)]
    assert [r[0] for r in rows] == [f"low{i}" for i in range(40)]
    assert {r[-1] for r in rows} == {"below"}
    assert "162 groups: the table lists 40" in text
    assert "122 more (including 5 flagged) are not listed" in text
    # The verdict names ten and counts the rest.
    assert re.search(r"low\d+ \(below\) and 35 more\.", text)


def test_rich_with_few_groups_lists_them_all_in_file_order(make_csv: MakeCsv) -> None:
    result = run("nps", make_csv(FIVE_GROUPS), "--by", "branch")
    assert result.exit_code == 0, result.stderr
    names = [line.split()[0] for line in result.stdout.splitlines() if re.match(r"[ABC] ", line)]
    assert names == ["A", "B", "C"]
    assert "not listed" not in result.stdout


def test_rich_explains_a_group_not_flagged_against_its_own_score(make_csv: MakeCsv) -> None:
    text = "branch,score\n" + "B,10\n" * 199 + "B,8\nA,10\n"
    result = run("nps", make_csv(text), "--by", "branch")
    assert result.exit_code == 0, result.stderr
    line_a = next(line for line in result.stdout.splitlines() if line.startswith("A "))
    assert line_a.split()[-4:] == ["-48.5", "to", "+98.5", "within"]
    flat = " ".join(result.stdout.split())
    assert "No group lies beyond chance above or below the overall NPS (+99.5)" in flat
    assert "1 group(s) with few answers have an interval wholly on one side" in flat


def test_html_page_draws_a_bounded_number_of_groups(make_csv: MakeCsv) -> None:
    result = run("nps", make_csv(many_groups()), "--by", "branch", "-f", "html")
    assert result.exit_code == 0, result.stderr
    page = result.stdout
    table = page[page.index(">Compared with overall</th>") :]
    table = table[: table.index("</table>")]
    listed = re.findall(r'<th scope="row">(g\d{3}|low\d)</th>', table)
    assert len(listed) == CHART_GROUPS
    assert listed[:3] == ["low2", "low1", "low0"]
    assert (
        "120 groups (3 flagged): the chart and the table show 60, the flagged ones first, "
        "then those with the most answers."
    ) in page
    assert "and 60 of 120 groups, each with its interval" in page


def test_html_page_of_a_huge_result_stays_small() -> None:
    groups = [(f"g{i}", NpsCounts(1 + i % 3, 1, 1)) for i in range(5000)]
    overall = NpsCounts(sum(c.promoters for _, c in groups), 5000, 5000)
    page = html_stats.render_html(nps_result(overall, groups))
    assert page.count("<title>") <= CHART_GROUPS + 5
    assert len(page) < 200_000
    assert "5,000 groups" in page

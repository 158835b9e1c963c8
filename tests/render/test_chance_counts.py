"""How many groups or units the terminal view expects flagged by chance alone.

A group is flagged above or below the overall NPS (both sides), so under the
null ``1 - confidence`` of the groups are flagged, not half of that; a unit
is flagged beyond its 95 % limits on either side (METHODS.md, funnel plot).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import duckdb

from svcdiag.models.results import Flag, NpsResult
from svcdiag.render import rich_stats
from svcdiag.stats.analysis import nps_from_file, variation_from_file

from .conftest import EXAMPLES

_EXPECTED = re.compile(r"about ([\d,]+) would be flagged by chance alone")


def _view(result: object) -> str:
    out = io.StringIO()
    rich_stats.write(result, out, width=80)  # type: ignore[arg-type]
    return " ".join(out.getvalue().split())


def _expected_in(text: str) -> int:
    found = _EXPECTED.search(text)
    assert found is not None, text
    return int(found.group(1).replace(",", ""))


def _many_groups(count: int) -> NpsResult:
    result = nps_from_file(EXAMPLES / "nps_survey.csv", by="branch").result
    first = result.groups[0]
    groups = [first.model_copy(update={"group": f"G{i}"}) for i in range(count)]
    return result.model_copy(update={"groups": groups})


def test_the_groups_expected_flagged_count_both_sides_as_a_whole_number() -> None:
    # 25,000 groups at 95 %: 5 % of them, 2.5 % above and 2.5 % below, is 1,250.
    text = _view(_many_groups(25_000))
    assert "With 25,000 groups, about 1,250 would be flagged by chance alone" in text


def test_the_expected_count_follows_the_confidence() -> None:
    # 40 groups at 90 %: 10 % of them, 4.
    result = _many_groups(40).model_copy(update={"confidence": 0.9})
    assert _expected_in(_view(result)) == 4


def _noise(path: Path, rows: int, groups: int) -> None:
    """Write ``rows`` answers spread over ``groups`` branches, all from one distribution.

    40 % promoters, 30 % passives, 30 % detractors, drawn with a fixed seed.
    """
    con = duckdb.connect()
    con.execute("SET threads = 1")
    con.execute("SELECT setseed(0.25)")
    con.execute(
        f"""COPY (
            SELECT 'B' || (i % {groups}) AS branch,
                   CASE WHEN r < 0.40 THEN 9 + (r < 0.20)::INT
                        WHEN r < 0.70 THEN 7 + (r < 0.55)::INT
                        ELSE floor((r - 0.70) / 0.30 * 7)::INT END AS score
            FROM (SELECT i, random() AS r FROM range({rows}) t(i))
        ) TO '{path}' (HEADER)"""
    )
    con.close()


def test_on_pure_noise_about_the_expected_count_is_flagged(tmp_path: Path) -> None:
    # 1,000 branches of 300 answers each, all from one distribution: every flag
    # is chance. Expected 1,000 x 5 % = 50 (one side alone would say 25).
    path = tmp_path / "noise.csv"
    _noise(path, 300_000, 1_000)
    result = nps_from_file(path, by="branch").result
    flagged = sum(group.flag is not Flag.within for group in result.groups)
    expected = _expected_in(_view(result))
    assert expected == 50
    assert abs(flagged - expected) <= 3 * expected**0.5  # about 21
    assert flagged > 25 + 3 * 25**0.5  # and not the one-sided count


def test_units_between_the_limits_by_chance_are_counted_both_sides() -> None:
    # Between the 95 % and the 99.8 % limits, on either side: 5 % - 0.2 % = 4.8 %.
    result = variation_from_file(
        EXAMPLES / "complaints_by_agent.csv", unit="agent", events="complaints", cases="contacts"
    ).result
    alerts = [u for u in result.units if u.status.value.startswith("alert")]
    assert alerts, "the example has units between the limits"
    count = len(result.units)
    text = _view(result)
    assert f"about {round(count * 0.048):,} of {count:,} would be there by chance alone" in text

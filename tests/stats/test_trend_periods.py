"""Period labels read back from a saved trend number the periods as the analysis does."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from svcdiag.models.periods import PeriodKind, period_number
from svcdiag.stats import trend_gaps
from svcdiag.stats.trend_analysis import period_label

KINDS: tuple[PeriodKind, ...] = ("day", "week", "month", "quarter")


@given(st.dates(dt.date(1, 1, 8), dt.date(9999, 12, 24)), st.sampled_from(KINDS))
def test_a_label_the_analysis_writes_reads_back_as_its_number(
    day: dt.date, period: PeriodKind
) -> None:
    start = trend_gaps.truncate(day, period)
    label = period_label(start, period)
    assert period_number(label, period) == trend_gaps.period_number(start, period)


@pytest.mark.parametrize(
    ("label", "period", "words"),
    [
        ("2024-13", "month", "'2024-13' is not a month: a month is written YYYY-MM, 01 to 12"),
        ("0000-01", "month", "is not a month"),
        ("2024-3", "month", "is not a month"),
        ("2024-03-01", "month", "is not a month"),
        ("2024-Q0", "quarter", "'2024-Q0' is not a quarter: a quarter is written YYYY-Qn"),
        ("2024-03", "quarter", "is not a quarter"),
        ("2024-02-30", "day", "'2024-02-30' is no day of the calendar"),
        ("2024-03", "day", "'2024-03' is not a day: a day is written YYYY-MM-DD"),
        ("2024-03-05", "week", "'2024-03-05' is a Tuesday, but a week is named by its Monday"),
        ("２０２４-03", "month", "is not a month"),
    ],
)
def test_any_other_label_is_refused_in_words(label: str, period: PeriodKind, words: str) -> None:
    with pytest.raises(ValueError) as caught:
        period_number(label, period)
    assert words in str(caught.value)

"""English working days and case review clocks, checked against real bank holidays."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.dates.workdays import (
    NOTIFICATION_WORKING_DAYS,
    RAPID_REVIEW_WORKING_DAYS,
    add_working_days,
    case_review_deadlines,
    is_working_day,
    notification_due,
    rapid_review_due,
    working_days_between,
)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # Friday before Easter 2024: Good Friday 29/03 and Easter Monday 01/04 are skipped.
        (date(2024, 3, 22), 15, date(2024, 4, 16)),
        # From Good Friday itself.
        (date(2024, 3, 29), 15, date(2024, 4, 22)),
        # Christmas 2020: Boxing Day on a Saturday gives a substitute Monday 28/12; New Year's Day.
        (date(2020, 12, 23), 5, date(2021, 1, 4)),
        # May Day and the coronation bank holiday, 2023.
        (date(2023, 4, 28), 5, date(2023, 5, 9)),
        # State funeral of Queen Elizabeth II, Monday 19/09/2022.
        (date(2022, 9, 16), 1, date(2022, 9, 20)),
        # Counting from a Saturday starts on the next working day (Monday 06/05/2024 is May Day).
        (date(2024, 5, 4), 5, date(2024, 5, 13)),
        (date(2024, 5, 4), 0, date(2024, 5, 4)),
        (date(2024, 4, 2), -1, date(2024, 3, 28)),
    ],
)
def test_add_working_days(start: date, n: int, expected: date) -> None:
    assert add_working_days(start, n) == expected
    assert working_days_between(start, expected) == n


def test_england_not_scotland() -> None:
    assert is_working_day(date(2024, 1, 2))  # 2 January: Scotland only
    assert is_working_day(date(2024, 8, 5))  # first Monday of August: Scotland only
    assert not is_working_day(date(2024, 8, 26))  # late summer bank holiday, England
    assert not is_working_day(date(2024, 3, 30))  # Saturday


def test_working_days_between() -> None:
    assert working_days_between(date(2024, 3, 22), date(2024, 3, 22)) == 0
    assert working_days_between(date(2024, 4, 16), date(2024, 3, 22)) == -15
    # 2024: 261 weekdays after Monday 01/01, less 7 bank holidays on weekdays.
    assert working_days_between(date(2024, 1, 1), date(2024, 12, 31)) == 254
    # Backwards counts the working days from the earlier date up to, not including, the later one.
    assert working_days_between(date(2015, 1, 1), date(2014, 12, 31)) == -1


def test_milestones_use_statutory_day_counts() -> None:
    assert (NOTIFICATION_WORKING_DAYS, RAPID_REVIEW_WORKING_DAYS) == (5, 15)
    assert notification_due(date(2024, 3, 28)) == date(2024, 4, 8)
    assert rapid_review_due(date(2024, 3, 25)) == date(2024, 4, 17)


def test_case_review_deadlines_from_due_date_or_actual_notification() -> None:
    planned = case_review_deadlines(date(2024, 3, 22))
    assert planned.notification_due == date(2024, 4, 2)
    assert planned.notified is None
    assert planned.rapid_review_due == date(2024, 4, 23)
    actual = case_review_deadlines(date(2024, 3, 22), notified=date(2024, 3, 25))
    assert actual.notification_due == date(2024, 4, 2)
    assert actual.rapid_review_due == date(2024, 4, 17)


days = st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31))


@given(days, st.integers(min_value=-400, max_value=400))
def test_between_inverts_add(start: date, n: int) -> None:
    end = add_working_days(start, n)
    assert working_days_between(start, end) == n
    if n:
        assert is_working_day(end)


@given(days, days)
def test_between_matches_day_by_day_count(a: date, b: date) -> None:
    lo, hi = sorted((a, b))
    after_lo = sum(1 for i in range(1, (hi - lo).days + 1) if is_working_day(lo + timedelta(days=i)))
    before_hi = sum(1 for i in range(0, (hi - lo).days) if is_working_day(lo + timedelta(days=i)))
    assert working_days_between(lo, hi) == after_lo
    assert working_days_between(hi, lo) == -before_hi

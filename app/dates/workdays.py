"""English working days and the statutory clocks of case reviews.

Working Together counts case review deadlines in working days: Monday to
Friday, excluding bank holidays in England (the ``holidays`` package, country
GB, subdivision ENG, which includes substitute days and one-off holidays such
as the 2022 state funeral and the 2023 coronation).

Counting convention (the one used for every clock here): the day something
happens is day 0; "within N working days" means by the end of the N-th working
day after it. An event on a weekend or bank holiday therefore starts counting
from the next working day, as offices do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import holidays

__all__ = [
    "NOTIFICATION_WORKING_DAYS",
    "RAPID_REVIEW_WORKING_DAYS",
    "CaseReviewDeadlines",
    "add_working_days",
    "bank_holidays",
    "case_review_deadlines",
    "is_working_day",
    "notification_due",
    "rapid_review_due",
    "working_days_between",
]

NOTIFICATION_WORKING_DAYS = 5
"""Serious incident notification: within 5 working days of the incident becoming known."""

RAPID_REVIEW_WORKING_DAYS = 15
"""Rapid review: within 15 working days of the serious incident notification."""


@cache
def bank_holidays(year: int) -> frozenset[date]:
    """Bank holidays in England for one year (cached: the library builds them by rule)."""
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def add_working_days(start: date, n: int) -> date:
    """The date n working days after start (before it if n < 0); start itself is day 0."""
    step = timedelta(days=1 if n >= 0 else -1)
    remaining = abs(n)
    day = start
    while remaining:
        day += step
        if is_working_day(day):
            remaining -= 1
    return day


def _weekdays_through(ordinal: int) -> int:
    """Weekdays among ordinals 1..ordinal (ordinal 1, 01/01/0001, was a Monday)."""
    weeks, rest = divmod(ordinal, 7)
    return weeks * 5 + min(rest, 5)


def working_days_between(a: date, b: date) -> int:
    """Working days d with a < d <= b; when b is before a, minus those with b <= d < a.

    So it inverts ``add_working_days`` both ways:
    ``working_days_between(a, add_working_days(a, n)) == n``.
    """
    if b < a:
        one = timedelta(days=1)
        return -working_days_between(b - one, a - one)
    count = _weekdays_through(b.toordinal()) - _weekdays_through(a.toordinal())
    for year in range(a.year, b.year + 1):
        count -= sum(1 for h in bank_holidays(year) if a < h <= b and h.weekday() < 5)
    return count


def notification_due(incident_known: date) -> date:
    return add_working_days(incident_known, NOTIFICATION_WORKING_DAYS)


def rapid_review_due(notified: date) -> date:
    return add_working_days(notified, RAPID_REVIEW_WORKING_DAYS)


@dataclass(frozen=True, slots=True)
class CaseReviewDeadlines:
    """The statutory milestones of one serious incident."""

    incident_known: date
    notification_due: date
    notified: date | None
    rapid_review_due: date
    """From the actual notification when known, else from the date it is due."""


def case_review_deadlines(incident_known: date, notified: date | None = None) -> CaseReviewDeadlines:
    due = notification_due(incident_known)
    return CaseReviewDeadlines(
        incident_known=incident_known,
        notification_due=due,
        notified=notified,
        rapid_review_due=rapid_review_due(notified or due),
    )

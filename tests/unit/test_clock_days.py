"""Days typed on the command line and in return cells: an impossible day says what is wrong with it."""

from __future__ import annotations

from datetime import date

import pytest

from app.clock import impossible_day, parse_day
from app.errors import InvalidInput


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31/02/2024", "The due date '31/02/2024' is not a date: February 2024 has 29 days."),
        ("2023-02-29", "The due date '2023-02-29' is not a date: February 2023 has 28 days."),
        ("31/04/2026", "The due date '31/04/2026' is not a date: April 2026 has 30 days."),
        ("00/05/2026", "The due date '00/05/2026' is not a date: there is no day 0."),
        ("05/22/2026", "The due date '05/22/2026' is not a date: there is no month 22 (dates are read day first"),
        ("next week", "The due date 'next week' is not a date: write it as 2026-05-22 or 22/05/2026."),
    ],
)
def test_an_impossible_day_is_refused_saying_why(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_day(text, "due date")
    assert str(refused.value).startswith(message)


def test_a_real_day_reads_and_is_never_called_impossible() -> None:
    assert parse_day("29/02/2024") == parse_day("2024-02-29") == date(2024, 2, 29)
    for day in (date(2024, 2, 29), date(2026, 12, 31), date(2026, 1, 1)):
        assert impossible_day(f"{day:%d/%m/%Y}") is None and impossible_day(day.isoformat()) is None
    assert impossible_day("May 2016") is None  # not written as a day: the caller's own message

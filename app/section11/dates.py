"""Dates as Section 11 papers show and people type them (UK day first)."""
from __future__ import annotations

from datetime import date, datetime

from app.errors import InvalidInput

_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


def uk(day: date | None) -> str:
    """22/05/2026; empty for no date."""
    return day.strftime("%d/%m/%Y") if day else ""


def long_date(day: date) -> str:
    """2 December 2026, as a letter is dated."""
    return f"{day.day} {day:%B %Y}"


def parse_day(text: str, what: str = "date") -> date:
    value = text.strip()
    for form in _FORMATS:
        try:
            return datetime.strptime(value, form).date()
        except ValueError:
            continue
    raise InvalidInput(f"The {what} {text!r} is not a date: write it as 2026-05-22 or 22/05/2026.")

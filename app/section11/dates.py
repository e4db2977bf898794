"""Dates as a Section 11 letter is dated ("2 December 2026"); typed and table dates are app.clock's."""

from __future__ import annotations

from datetime import date


def long_date(day: date) -> str:
    """2 December 2026, as a letter is dated."""
    return f"{day.day} {day:%B %Y}"

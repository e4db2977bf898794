"""Dates as Section 11 papers show and people type them (UK day first)."""

from __future__ import annotations

from datetime import date

from app.clock import parse_day, uk

__all__ = ["long_date", "parse_day", "uk"]


def long_date(day: date) -> str:
    """2 December 2026, as a letter is dated."""
    return f"{day.day} {day:%B %Y}"

"""Due dates as people type them: ISO (2026-05-22) or UK day-first (22/05/2026)."""
from __future__ import annotations

from datetime import date, datetime

from app.errors import InvalidInput

_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


def parse_day(text: str, what: str = "date") -> date:
    value = text.strip()
    for form in _FORMATS:
        try:
            return datetime.strptime(value, form).date()
        except ValueError:
            continue
    raise InvalidInput(f"The {what} {text!r} is not a date: write it as 2026-05-22 or 22/05/2026.")


def uk(day: date | None) -> str:
    """22/05/2026, as the UI and exports show dates."""
    return day.strftime("%d/%m/%Y") if day else ""

"""The one place that says what time it is (UTC), so stamps, backups and records agree."""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)


def utc_timestamp(timespec: str = "seconds") -> str:
    """ISO 8601 text of now in UTC, e.g. 2026-12-01T11:27:15+00:00."""
    return utc_now().isoformat(timespec=timespec)


# -- days as people write them -------------------------------------------------------

_DAY_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_UK_DAY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def impossible_day(text: str) -> str | None:
    """Why text written as a day (2024-02-31, 31/02/2024) is no day, e.g. "February 2024 has 29 days";
    None if it is not written so, or is a day. A reader who typed 31/02 learns what is wrong, not the format."""
    value = text.strip()
    if found := _ISO_DAY.fullmatch(value):
        year, month, day = map(int, found.groups())
    elif found := _UK_DAY.fullmatch(value):
        day, month, year = map(int, found.groups())
    else:
        return None
    if not 1 <= month <= 12:
        return f"there is no month {month}" + (" (dates are read day first: dd/mm/yyyy)" if 1 <= day <= 12 else "")
    if year < 1:
        return None
    last = calendar.monthrange(year, month)[1]
    if 1 <= day <= last:
        return None
    return f"{calendar.month_name[month]} {year} has {last} days" if day else "there is no day 0"


def parse_day(text: str, what: str = "date") -> date:
    """ISO (2026-05-22) or UK day-first (22/05/2026); anything else is refused, naming `what`."""
    from app.errors import InvalidInput

    value = text.strip()
    for form in _DAY_FORMATS:
        try:
            return datetime.strptime(value, form).date()
        except ValueError:
            continue
    reason = impossible_day(value)
    if reason:
        raise InvalidInput(f"The {what} {value!r} is not a date: {reason}.")
    raise InvalidInput(f"The {what} {text!r} is not a date: write it as 2026-05-22 or 22/05/2026.")


def uk(day: date | None) -> str:
    """22/05/2026, as the UI and exports show dates; empty for no date."""
    return day.strftime("%d/%m/%Y") if day else ""

"""The one place that says what time it is (UTC), so stamps, backups and records agree."""

from __future__ import annotations

from datetime import UTC, date, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)


def utc_timestamp(timespec: str = "seconds") -> str:
    """ISO 8601 text of now in UTC, e.g. 2026-12-01T11:27:15+00:00."""
    return utc_now().isoformat(timespec=timespec)


# -- days as people write them -------------------------------------------------------

_DAY_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


def parse_day(text: str, what: str = "date") -> date:
    """ISO (2026-05-22) or UK day-first (22/05/2026); anything else is refused, naming `what`."""
    from app.errors import InvalidInput

    value = text.strip()
    for form in _DAY_FORMATS:
        try:
            return datetime.strptime(value, form).date()
        except ValueError:
            continue
    raise InvalidInput(f"The {what} {text!r} is not a date: write it as 2026-05-22 or 22/05/2026.")


def uk(day: date | None) -> str:
    """22/05/2026, as the UI and exports show dates; empty for no date."""
    return day.strftime("%d/%m/%Y") if day else ""

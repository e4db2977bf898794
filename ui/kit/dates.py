"""Days as UK users type and read them (22/05/2016)."""
from __future__ import annotations

from datetime import date

from app.chronology.dates import DateParseError, DatePrecision, parse_date
from app.errors import InvalidInput


def day_from_text(text: str, what: str) -> date | None:
    """A day typed day-first ("22/05/2016"); None for blank. A month or year alone is refused."""
    if not text.strip():
        return None
    try:
        value = parse_date(text)
    except DateParseError as exc:
        raise InvalidInput(f"The {what} {text!r} cannot be read: {exc.reason}.") from None
    if value.precision is not DatePrecision.DAY:
        raise InvalidInput(f"The {what} needs a day, e.g. 22/05/2016 (not {text!r}).")
    return value.earliest()


def uk(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""

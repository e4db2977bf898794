"""Quarters as the dataset counts them: "2026Q3" is July to September 2026 (calendar quarters).

Periods are written "YYYYQn"; people type "2026 Q3", "Q3 2026", "2026-q3" and
those are read too. A period's `index` (year * 4 + quarter - 1) makes
arithmetic plain integer arithmetic: the quarter after, the last twelve, gaps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import overload

from app.errors import InvalidInput

_FORMS = (
    re.compile(r"^(\d{4})\s*[-/ ]?\s*q([1-4])\Z", re.IGNORECASE),
    re.compile(r"^q([1-4])\s*[-/ ]?\s*(\d{4})\Z", re.IGNORECASE),
)
MIN_YEAR, MAX_YEAR = 1990, 2100


@dataclass(frozen=True, order=True)
class Period:
    """A calendar quarter; ordered in time."""

    index: int

    @classmethod
    def of(cls, year: int, quarter: int) -> Period:
        if not 1 <= quarter <= 4:
            raise ValueError(f"quarter {quarter} is not 1 to 4")
        return cls(year * 4 + quarter - 1)

    @classmethod
    def parse(cls, text: object) -> Period:
        """ "2026Q3" and its usual spellings; InvalidInput naming the text otherwise."""
        cleaned = str(text if text is not None else "").strip()
        for number, form in enumerate(_FORMS):
            match = form.match(cleaned)
            if match:
                year, quarter = (match.group(1), match.group(2)) if number == 0 else (match.group(2), match.group(1))
                if not MIN_YEAR <= int(year) <= MAX_YEAR:
                    break
                return cls.of(int(year), int(quarter))
        raise InvalidInput(f"{cleaned!r} is not a quarter; write it like 2026Q3 (July to September 2026).")

    @classmethod
    def containing(cls, day: date) -> Period:
        return cls.of(day.year, (day.month - 1) // 3 + 1)

    @property
    def year(self) -> int:
        return self.index // 4

    @property
    def quarter(self) -> int:
        return self.index % 4 + 1

    def __add__(self, quarters: int) -> Period:
        return Period(self.index + quarters)

    @overload
    def __sub__(self, other: Period) -> int: ...
    @overload
    def __sub__(self, other: int) -> Period: ...
    def __sub__(self, other: Period | int) -> Period | int:
        """Quarters between two periods; a period minus quarters is an earlier period."""
        if isinstance(other, Period):
            return self.index - other.index
        return Period(self.index - other)

    def __str__(self) -> str:
        return f"{self.year}Q{self.quarter}"

    @property
    def label(self) -> str:
        """For people: "Jul-Sep 2026"."""
        months = ("Jan-Mar", "Apr-Jun", "Jul-Sep", "Oct-Dec")[self.quarter - 1]
        return f"{months} {self.year}"

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * (self.quarter - 1) + 1, 1)

    @property
    def last_day(self) -> date:
        return (self + 1).first_day - timedelta(days=1)

    def returns_due(self, days: int) -> date:
        """The day the quarter's returns are due: `days` after it ends (2026Q4 and 30 days: 30 January 2027).
        A return is missing only after that day; until then an agency with no figures is not late."""
        return self.last_day + timedelta(days=days)


def require_started(period: Period, today: date | None = None) -> Period:
    """`period`, or InvalidInput if it has not started yet: no agency can have a figure for it, so
    every one of its returns would read as "missing" (imports refuse such a quarter too)."""
    current = Period.containing(today or date.today())
    if period > current:
        raise InvalidInput(
            f"{period} ({period.label}) has not started yet; the latest quarter is {current} ({current.label})."
        )
    return period


def template_quarter(text: object, today: date | None = None) -> Period:
    """The quarter of a return template, or InvalidInput: a quarter not yet started has no return to
    fill in, and its figures would be refused at import ("has not started yet")."""
    period = Period.parse(text)
    try:
        return require_started(period, today)
    except InvalidInput as exc:
        raise InvalidInput(f"{exc.message} No template was written: its figures could not be imported.") from None


def latest_template_quarter(latest: int | None, today: date | None = None) -> Period | None:
    """The quarter a template is first offered for: the one after the latest with figures, unless that
    has not started yet (the latest figures are the current quarter's)."""
    if latest is None:
        return None
    return min(Period(latest + 1), Period.containing(today or date.today()))


def period_range(first: Period, last: Period) -> list[Period]:
    """Every quarter from `first` to `last`, both included (empty if last is before first)."""
    return [Period(i) for i in range(first.index, last.index + 1)]


def parse_period(text: object) -> str:
    """The canonical text of a period ("2026Q3") from any accepted spelling."""
    return str(Period.parse(text))

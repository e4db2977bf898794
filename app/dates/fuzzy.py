"""Dates and times as agencies write them in chronology returns.

Rules, chosen so that a reviewer can predict what the app does:

* Numeric dates are always read DAY-FIRST (22/05/2016). A month-first date is
  never guessed: "05/22/2016" is an error ("month 22 does not exist"), and
  "05/06/2016" is 5 June, never 6 May.
* A year may be written with two digits. It is placed in the 100-year window
  that ends ``TWO_DIGIT_YEAR_FUTURE_WINDOW`` years after today, so "16" is 2016
  and "85" is 1985 (a parent's date of birth), while a year more than 10 years
  ahead is never produced from two digits.
* Uncertain dates keep their precision: "May 2016" is a month, "2016" a year.
  "c.", "circa", "approx", "about" before, or "?" / "(approx)" after, mark a
  date as approximate.
* Excel serial numbers use the 1900 date system including Excel's phantom
  29/02/1900 (serial 60), as ``openpyxl.utils.datetime.from_excel`` does.
  Only serials between 1910 and 2099 are accepted as dates: anything else in a
  date column is more likely a typing slip. Whole numbers 1900-2100 are years,
  not serials. In text (a CSV saved from Excel) a bare number of exactly five
  digits, optionally with a decimal fraction for the time ("42512",
  "42512.5"), is a serial; other bare numbers are refused, except four-digit
  years.
* Ordering (``FuzzyDate.sort_key``): a date sorts at the first day of its
  period; on that day exact dates come first, then month-only, then year-only
  dates, and exact before approximate. So "May 2016" sorts after 01/05/2016 and
  before 02/05/2016, and the order is consistent with ``earliest()``.
"""

from __future__ import annotations

import calendar
import enum
import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

__all__ = [
    "DateParseError",
    "DatePrecision",
    "FuzzyDate",
    "excel_serial_to_datetime",
    "parse_date",
    "parse_date_time",
    "parse_time",
    "expand_two_digit_year",
]

TWO_DIGIT_YEAR_FUTURE_WINDOW = 10
"""A two-digit year never lands more than this many years after today."""

MIN_YEAR, MAX_YEAR = 1900, 2100
"""Whole numbers in this range are years; dates outside it are refused."""

_EXCEL_EPOCH = datetime(1899, 12, 30)
_EXCEL_SERIAL_MIN = (date(1910, 1, 1) - _EXCEL_EPOCH.date()).days
_EXCEL_SERIAL_MAX = (date(2099, 12, 31) - _EXCEL_EPOCH.date()).days


class DateParseError(ValueError):
    """A value could not be read as a date or time; ``reason`` says why."""

    def __init__(self, value: object, reason: str) -> None:
        self.value = value
        self.reason = reason
        super().__init__(f"cannot read {value!r}: {reason}")


class DatePrecision(enum.Enum):
    """How much of a date is known. Values order precise before vague."""

    DAY = 0
    MONTH = 1
    YEAR = 2


_MONTH_NAMES = [calendar.month_name[m] for m in range(13)]


@dataclass(frozen=True, slots=True)
class FuzzyDate:
    """A possibly partial, possibly approximate calendar date."""

    year: int
    month: int | None = None
    day: int | None = None
    precision: DatePrecision = DatePrecision.DAY
    approximate: bool = False

    def __post_init__(self) -> None:
        expected = {
            DatePrecision.DAY: (True, True),
            DatePrecision.MONTH: (True, False),
            DatePrecision.YEAR: (False, False),
        }[self.precision]
        if (self.month is not None, self.day is not None) != expected:
            raise ValueError(f"{self.precision.name} precision does not match month={self.month} day={self.day}")
        # date() validates the parts (raises ValueError for 31/02 etc.).
        date(self.year, self.month or 1, self.day or 1)

    # -- constructors -----------------------------------------------------
    @classmethod
    def of_day(cls, d: date, approximate: bool = False) -> FuzzyDate:
        return cls(d.year, d.month, d.day, DatePrecision.DAY, approximate)

    @classmethod
    def of_month(cls, year: int, month: int, approximate: bool = False) -> FuzzyDate:
        return cls(year, month, None, DatePrecision.MONTH, approximate)

    @classmethod
    def of_year(cls, year: int, approximate: bool = False) -> FuzzyDate:
        return cls(year, None, None, DatePrecision.YEAR, approximate)

    # -- bounds and ordering ----------------------------------------------
    def earliest(self) -> date:
        """First day the date could be."""
        return date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> date:
        """Last day the date could be."""
        if self.precision is DatePrecision.DAY:
            return self.earliest()
        if self.precision is DatePrecision.MONTH:
            assert self.month is not None
            return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return date(self.year, 12, 31)

    def sort_key(self) -> tuple[int, int, int]:
        """Total order: first day of the period, then exact before vague, then exact before approximate."""
        return (self.earliest().toordinal(), self.precision.value, int(self.approximate))

    def as_date(self) -> date | None:
        """The date when it is known to the day, else None."""
        return self.earliest() if self.precision is DatePrecision.DAY else None

    # -- text forms ---------------------------------------------------------
    def display(self) -> str:
        """UK form: 22/05/2016, May 2016, 2016; approximate: 22/05/2016?, c. May 2016, c. 2016."""
        if self.precision is DatePrecision.DAY:
            text = f"{self.day:02d}/{self.month:02d}/{self.year:04d}"
            return text + "?" if self.approximate else text
        if self.precision is DatePrecision.MONTH:
            assert self.month is not None
            text = f"{_MONTH_NAMES[self.month]} {self.year:04d}"
        else:
            text = f"{self.year:04d}"
        return "c. " + text if self.approximate else text

    def to_storage(self) -> str:
        """ISO-like text that sorts and round-trips: 2016-05-22, 2016-05, 2016, plus '~' if approximate."""
        if self.precision is DatePrecision.DAY:
            text = f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        elif self.precision is DatePrecision.MONTH:
            text = f"{self.year:04d}-{self.month:02d}"
        else:
            text = f"{self.year:04d}"
        return text + "~" if self.approximate else text

    @classmethod
    def from_storage(cls, text: str) -> FuzzyDate:
        """Inverse of ``to_storage``; strict, because stored text is ours."""
        match = _STORAGE_RE.fullmatch(text)
        if not match:
            raise DateParseError(text, "not a stored date (expected YYYY, YYYY-MM or YYYY-MM-DD, optional '~')")
        year, month, day, approx = match.groups()
        try:
            if day is not None:
                return cls(int(year), int(month), int(day), DatePrecision.DAY, bool(approx))
            if month is not None:
                return cls(int(year), int(month), None, DatePrecision.MONTH, bool(approx))
            return cls(int(year), None, None, DatePrecision.YEAR, bool(approx))
        except ValueError as exc:
            raise DateParseError(text, str(exc)) from None

    def __str__(self) -> str:
        return self.display()


_STORAGE_RE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(~)?")


# -- two-digit years -------------------------------------------------------


def expand_two_digit_year(yy: int, today: date | None = None) -> int:
    """Place a two-digit year in the 100 years ending 10 years after today."""
    if not 0 <= yy <= 99:
        raise ValueError(f"not a two-digit year: {yy}")
    newest = (today or date.today()).year + TWO_DIGIT_YEAR_FUTURE_WINDOW
    year = newest - (newest - yy) % 100
    return year


# -- Excel serials -----------------------------------------------------------


def excel_serial_to_datetime(serial: float) -> datetime:
    """Excel 1900-system serial to datetime, honouring Excel's phantom 29/02/1900.

    Serial 1 is 01/01/1900 and serial 61 is 01/03/1900; serial 60 is the day
    Excel believes was 29/02/1900, which never existed, so it is refused.
    Fractions are times of day, rounded to the nearest second.
    """
    if isinstance(serial, bool) or not math.isfinite(serial):
        raise DateParseError(serial, "not a number")
    whole = math.floor(serial)
    if whole == 60:
        raise DateParseError(serial, "Excel serial 60 is 29/02/1900, a day that never existed")
    if whole < 1:
        raise DateParseError(serial, "Excel serials start at 1 (01/01/1900)")
    seconds = round(serial * 86400)
    if whole < 60:  # before Excel's phantom leap day: one day less offset
        seconds += 86400
    return _EXCEL_EPOCH + timedelta(seconds=seconds)


# -- text parsing ------------------------------------------------------------

_MONTHS: dict[str, int] = {}
for _m in range(1, 13):
    _MONTHS[calendar.month_name[_m].lower()] = _m
    _MONTHS[calendar.month_abbr[_m].lower()] = _m
_MONTHS["sept"] = 9
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))

_WEEKDAYS: dict[str, int] = {}
for _d in range(7):
    _WEEKDAYS[calendar.day_name[_d].lower()] = _d
    _WEEKDAYS[calendar.day_abbr[_d].lower()] = _d
for _name, _d in (("tues", 1), ("weds", 2), ("thur", 3), ("thurs", 3)):
    _WEEKDAYS[_name] = _d
_WEEKDAY_ALT = "|".join(sorted(_WEEKDAYS, key=len, reverse=True))

_PREFIX_RE = re.compile(r"^(?:(?:circa|approximately|approx|about|around|ca|c)\s+|(?:approx|ca|c)\.\s*|c(?=\d))", re.I)
_SUFFIX_RE = re.compile(r"\s*(?:\?+|\(\s*(?:approx\.?|approximately|circa|c\.)\s*\)|approx\.?)$", re.I)
_WEEKDAY_RE = re.compile(rf"^({_WEEKDAY_ALT})\.?,?\s+", re.I)
_TIME_TAIL_RE = re.compile(
    r"^(?P<date>.*?\d)(?:\s+|\s*[T@,]\s*|\s+at\s+)(?P<time>\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?"
    r"|\d{1,2}\s*[ap]\.?m\.?)$",
    re.I,
)
_SEP = r"[\s/.\-]"

_ISO_RE = re.compile(r"(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?")
_NUMERIC_RE = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})")
_NUMERIC_MONTH_RE = re.compile(r"(\d{1,2})[/.\-](\d{4})")
_DAY_NAME_RE = re.compile(
    rf"(\d{{1,2}})(?:st|nd|rd|th)?(?:{_SEP}*|\s+of\s+)({_MONTH_ALT})\.?(?:{_SEP}*,?\s*|,\s*)(\d{{2}}|\d{{4}})",
    re.I,
)
_NAME_DAY_RE = re.compile(
    rf"({_MONTH_ALT})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})",
    re.I,
)
_MONTH_YEAR_RE = re.compile(rf"({_MONTH_ALT})\.?(?:{_SEP}+|,\s*|\s*)(\d{{2}}|\d{{4}})", re.I)
_YEAR_RE = re.compile(r"\d{4}")
_SERIAL_TEXT_RE = re.compile(r"[0-9]{5}(?:\.[0-9]+)?")
"""An Excel serial typed as text: exactly five digits (10000 is 18/05/1927), a fraction for the time."""


def _year(text: str, today: date | None) -> int:
    return expand_two_digit_year(int(text), today) if len(text) == 2 else int(text)


def _build_day(raw: object, year: int, month: int, day: int, approx: bool) -> FuzzyDate:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DateParseError(raw, f"year {year} is outside {MIN_YEAR}-{MAX_YEAR}")
    if not 1 <= month <= 12:
        hint = " (dates are read day first: dd/mm/yyyy)" if 1 <= day <= 12 else ""
        raise DateParseError(raw, f"month {month} does not exist{hint}")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        if day == 0:
            raise DateParseError(raw, "day 0 does not exist")
        raise DateParseError(raw, f"{_MONTH_NAMES[month]} {year} has only {last} days, not {day}")
    return FuzzyDate(year, month, day, DatePrecision.DAY, approx)


def _build_month(raw: object, year: int, month: int, approx: bool) -> FuzzyDate:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DateParseError(raw, f"year {year} is outside {MIN_YEAR}-{MAX_YEAR}")
    if not 1 <= month <= 12:
        raise DateParseError(raw, f"month {month} does not exist")
    return FuzzyDate(year, month, None, DatePrecision.MONTH, approx)


def _parse_text(raw: str, text: str, approx: bool, today: date | None) -> FuzzyDate:
    weekday: int | None = None
    match = _WEEKDAY_RE.match(text)
    if match:
        weekday = _WEEKDAYS[match.group(1).lower()]
        text = text[match.end() :]
    result = _parse_plain(raw, text, approx, today)
    if weekday is not None:
        if result.precision is not DatePrecision.DAY:
            raise DateParseError(raw, "a day of the week needs a full date")
        actual = result.earliest().weekday()
        if actual != weekday:
            raise DateParseError(
                raw,
                f"{result.display().rstrip('?')} was a {calendar.day_name[actual]}, not a {calendar.day_name[weekday]}",
            )
    return result


def _parse_plain(raw: str, text: str, approx: bool, today: date | None) -> FuzzyDate:
    if m := _ISO_RE.fullmatch(text):
        year, month = int(m.group(1)), int(m.group(2))
        if m.group(3) is None:
            return _build_month(raw, year, month, approx)
        return _build_day(raw, year, month, int(m.group(3)), approx)
    if m := _NUMERIC_RE.fullmatch(text):
        return _build_day(raw, _year(m.group(3), today), int(m.group(2)), int(m.group(1)), approx)
    if m := _NUMERIC_MONTH_RE.fullmatch(text):
        return _build_month(raw, int(m.group(2)), int(m.group(1)), approx)
    if m := _DAY_NAME_RE.fullmatch(text):
        month = _MONTHS[m.group(2).lower()]
        return _build_day(raw, _year(m.group(3), today), month, int(m.group(1)), approx)
    if m := _NAME_DAY_RE.fullmatch(text):
        month = _MONTHS[m.group(1).lower()]
        return _build_day(raw, int(m.group(3)), month, int(m.group(2)), approx)
    if m := _MONTH_YEAR_RE.fullmatch(text):
        return _build_month(raw, _year(m.group(2), today), _MONTHS[m.group(1).lower()], approx)
    if _YEAR_RE.fullmatch(text):
        year = int(text)
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise DateParseError(raw, f"year {year} is outside {MIN_YEAR}-{MAX_YEAR}")
        return FuzzyDate(year, None, None, DatePrecision.YEAR, approx)
    if re.fullmatch(r"\d{1,2}[/.\-]\d{1,2}", text):
        raise DateParseError(raw, "no year given")
    if text.isdigit():
        raise DateParseError(raw, "a bare number is not a date (write it as dd/mm/yyyy)")
    raise DateParseError(raw, "not a recognised date form (use dd/mm/yyyy, 'May 2016' or '2016')")


def _strip_markers(text: str) -> tuple[str, bool]:
    approx = False
    while True:
        stripped = _PREFIX_RE.sub("", text, count=1)
        stripped = _SUFFIX_RE.sub("", stripped, count=1).strip()
        if stripped == text:
            return text, approx
        approx, text = True, stripped


def _from_number(raw: float, approximate: bool) -> tuple[FuzzyDate, time | None]:
    if float(raw).is_integer() and MIN_YEAR <= raw <= MAX_YEAR:
        return FuzzyDate(int(raw), None, None, DatePrecision.YEAR, approximate), None
    if not _EXCEL_SERIAL_MIN <= raw < _EXCEL_SERIAL_MAX + 1:
        raise DateParseError(raw, "number is neither a year nor an Excel date between 1910 and 2099")
    moment = excel_serial_to_datetime(raw)
    moment_time = moment.time()
    return FuzzyDate.of_day(moment.date(), approximate), (moment_time if moment_time != time(0) else None)


def parse_date_time(value: object, *, today: date | None = None) -> tuple[FuzzyDate, time | None]:
    """Read a date cell that may also carry a time ("22/05/2016 09:30", an Excel datetime).

    Raises DateParseError for blanks, garbage and impossible dates.
    """
    if isinstance(value, FuzzyDate):
        return value, None
    if isinstance(value, datetime):
        at = _to_second(value.time())
        return FuzzyDate.of_day(value.date()), (at if at != time(0) else None)
    if isinstance(value, date):
        return FuzzyDate.of_day(value), None
    if isinstance(value, bool):
        raise DateParseError(value, "a yes/no value is not a date")
    if isinstance(value, (int, float)):
        return _from_number(value, False)
    if value is None:
        raise DateParseError("", "no date given")
    if isinstance(value, time):
        # openpyxl gives a date cell of 0 (Excel's empty date, shown as 31/12/1899 or 00/01/1900) as 00:00.
        shown = _to_second(value).strftime("%H:%M:%S" if value.second else "%H:%M")
        hint = " (Excel shows an empty date as 31/12/1899 or 00/01/1900)" if _to_second(value) == time(0) else ""
        raise DateParseError(shown, f"the cell holds a time of day with no date{hint}; type the date")
    if isinstance(value, timedelta):
        raise DateParseError(str(value), "the cell holds a duration, not a date; type the date")
    if not isinstance(value, str):
        raise DateParseError(value, f"unexpected value of type {type(value).__name__}")
    text = " ".join(value.split())
    if not text:
        raise DateParseError(value, "no date given")
    if text.startswith("="):
        raise DateParseError(
            value,
            "a spreadsheet formula with no saved value, not a date (open the file in the "
            "spreadsheet, save it and import it again, or type the date)",
        )
    text, approx = _strip_markers(text)
    if not text:
        raise DateParseError(value, "only an uncertainty marker, no date")
    if _SERIAL_TEXT_RE.fullmatch(text):
        try:
            return _from_number(float(text), approx)
        except DateParseError as exc:
            raise DateParseError(value, exc.reason) from None
    moment_time: time | None = None
    if m := _TIME_TAIL_RE.fullmatch(text):
        moment_time = parse_time(m.group("time"))
        text = m.group("date")
    return _parse_text(value, text, approx, today), moment_time


def parse_date(value: object, *, today: date | None = None) -> FuzzyDate:
    """Read one date cell day-first; see the module docstring for the rules."""
    return parse_date_time(value, today=today)[0]


# -- times ---------------------------------------------------------------------

_TIME_RE = re.compile(
    r"(?P<h>\d{1,2})(?:[:.](?P<m>\d{2})(?:[:.](?P<s>\d{2}))?)?\s*(?:(?P<ampm>[ap])\.?\s*m\.?)?(?:\s*hrs?)?",
    re.I,
)
_COMPACT_TIME_RE = re.compile(r"(?P<h>\d{2})(?P<m>\d{2})\s*(?:hrs?|h)?", re.I)


def _to_second(moment: time) -> time:
    """Round away float noise from spreadsheet times (09:29:59.999 is 09:30)."""
    seconds = moment.hour * 3600 + moment.minute * 60 + moment.second + round(moment.microsecond / 1e6)
    seconds = min(seconds, 86399)
    return time(seconds // 3600, seconds // 60 % 60, seconds % 60)


def parse_time(value: object) -> time | None:
    """Read a time cell: 09:30, 9.30am, 14:05:00, 1405hrs, Excel fractions. Blank gives None.

    A bare hour ("9") needs am/pm: on its own it could be a sequence number.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return _to_second(value.time())
    if isinstance(value, time):
        return _to_second(value)
    if isinstance(value, timedelta):
        seconds = round(value.total_seconds())
        if not 0 <= seconds < 86400:
            raise DateParseError(str(value), "a duration of a day or more is not a time of day")
        return time(seconds // 3600, seconds // 60 % 60, seconds % 60)
    if isinstance(value, bool):
        raise DateParseError(value, "a yes/no value is not a time")
    if isinstance(value, (int, float)):
        if not math.isfinite(value) or value < 0:
            raise DateParseError(value, "not a time of day")
        seconds = round((value - math.floor(value)) * 86400) % 86400
        return time(seconds // 3600, seconds // 60 % 60, seconds % 60)
    if not isinstance(value, str):
        raise DateParseError(value, f"unexpected value of type {type(value).__name__}")
    text = value.strip().lower()
    if not text:
        return None
    if text in ("noon", "midday", "12 noon"):
        return time(12, 0)
    if text == "midnight":
        return time(0, 0)
    match = _TIME_RE.fullmatch(text) or _COMPACT_TIME_RE.fullmatch(text)
    if not match or (match.re is _TIME_RE and match.group("m") is None and not match.group("ampm")):
        raise DateParseError(value, "not a recognised time (use 09:30 or 9.30am)")
    hour, minute = int(match.group("h")), int(match.group("m") or 0)
    second = int(match.groupdict().get("s") or 0)
    ampm = (match.groupdict().get("ampm") or "").lower()
    if ampm:
        if not 1 <= hour <= 12:
            raise DateParseError(value, f"hour {hour} does not exist on a 12-hour clock")
        hour = hour % 12 + (12 if ampm == "p" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise DateParseError(value, "hours must be 0-23 and minutes 0-59")
    return time(hour, minute, second)

"""Excel serial numbers typed as text (a CSV saved from Excel): five digits are a serial, other bare numbers not."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.utils.datetime import from_excel

from app.dates.fuzzy import DateParseError, FuzzyDate, parse_date, parse_date_time

relaxed = settings(deadline=None, max_examples=300)

LAST_SERIAL = (date(2099, 12, 31) - date(1899, 12, 30)).days  # 73050: serials beyond are refused, as in XLSX cells


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10000", (FuzzyDate.of_day(date(1927, 5, 18)), None)),  # smallest five-digit number
        ("42512", (FuzzyDate.of_day(date(2016, 5, 22)), None)),
        ("42512.5", (FuzzyDate.of_day(date(2016, 5, 22)), time(12, 0))),
        ("42512.75", (FuzzyDate.of_day(date(2016, 5, 22)), time(18, 0))),
        ("42512.0", (FuzzyDate.of_day(date(2016, 5, 22)), None)),
        ("  42512 ", (FuzzyDate.of_day(date(2016, 5, 22)), None)),
        ("42512?", (FuzzyDate.of_day(date(2016, 5, 22), approximate=True), None)),
        (str(LAST_SERIAL), (FuzzyDate.of_day(date(2099, 12, 31)), None)),
        ("2016", (FuzzyDate.of_year(2016), None)),  # four digits stay a year
    ],
)
def test_five_digit_text_is_an_excel_serial(text: str, expected: tuple[FuzzyDate, time | None]) -> None:
    assert parse_date_time(text) == expected


@pytest.mark.parametrize("text", ["99999", str(LAST_SERIAL + 1)])
def test_five_digit_serial_after_2099_is_refused_like_an_xlsx_serial(text: str) -> None:
    with pytest.raises(DateParseError, match="neither a year nor an Excel date between 1910 and 2099"):
        parse_date(text)
    with pytest.raises(DateParseError, match="neither a year nor an Excel date between 1910 and 2099"):
        parse_date(int(text))  # the same number in an XLSX number cell


@pytest.mark.parametrize("text", ["0", "7", "42", "425", "100000", "425120", "4251200", "12345678", "٤٢٥١٢"])
def test_other_bare_numbers_are_refused(text: str) -> None:
    with pytest.raises(DateParseError, match="a bare number is not a date"):
        parse_date(text)


@pytest.mark.parametrize("text", ["42512.5.5", "425.5", "425120.5", "42512.", ".5", "42512,5"])
def test_other_numbers_with_a_point_are_refused(text: str) -> None:
    with pytest.raises(DateParseError):
        parse_date(text)


@relaxed
@given(st.integers(min_value=10000, max_value=99999), st.integers(min_value=0, max_value=86399))
def test_five_digit_serials_agree_with_openpyxl(whole: int, seconds: int) -> None:
    fraction = f"{seconds / 86400:.6f}"[1:] if seconds else ""  # ".500000"
    text = f"{whole}{fraction}"
    if whole > LAST_SERIAL:
        with pytest.raises(DateParseError, match="Excel date between 1910 and 2099"):
            parse_date_time(text)
        return
    parsed, parsed_time = parse_date_time(text)
    moment = time(seconds // 3600, seconds // 60 % 60, seconds % 60)
    assert parsed_time == (moment if seconds else None)
    # openpyxl reads the same serial in an XLSX cell as the same moment (to the second)
    expected: datetime = from_excel(float(text))
    expected = datetime.combine(expected.date(), time()) + timedelta(
        seconds=round((expected - datetime.combine(expected.date(), time())).total_seconds())
    )
    assert expected == datetime.combine(parsed.earliest(), moment)
    assert parse_date_time(float(text)) == (parsed, parsed_time)  # and so does a number cell

"""Dates as agencies write them: day-first, partial, uncertain, Excel serials."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from app.dates.fuzzy import (
    DateParseError,
    DatePrecision,
    FuzzyDate,
    excel_serial_to_datetime,
    expand_two_digit_year,
    parse_date,
    parse_date_time,
    parse_time,
)

TODAY = date(2025, 6, 1)
MAY_22 = FuzzyDate(2016, 5, 22, DatePrecision.DAY, False)


@pytest.mark.parametrize(
    "text",
    [
        "22/05/2016",
        "22/5/16",
        "22.05.16",
        "22-05-2016",
        "22-May-16",
        "22 May 2016",
        "22nd May 2016",
        "2016-05-22",
        "22 may 2016",
        "22 MAY 16",
        "22nd of May, 2016",
        "May 22, 2016",
        "Sunday 22 May 2016",
        "Sun 22/05/2016",
        "  22 / 05 / 2016 ".replace(" / ", "/"),
        "22May16",
        "2016/05/22",
    ],
)
def test_day_forms(text: str) -> None:
    assert parse_date(text, today=TODAY) == MAY_22


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("May 2016", FuzzyDate.of_month(2016, 5)),
        ("May-16", FuzzyDate.of_month(2016, 5)),
        ("Sept 2016", FuzzyDate.of_month(2016, 9)),
        ("05/2016", FuzzyDate.of_month(2016, 5)),
        ("2016-05", FuzzyDate.of_month(2016, 5)),
        ("2016", FuzzyDate.of_year(2016)),
    ],
)
def test_partial_forms(text: str, expected: FuzzyDate) -> None:
    assert parse_date(text, today=TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("22/05/2016?", FuzzyDate.of_day(date(2016, 5, 22), approximate=True)),
        ("c. 2016", FuzzyDate.of_year(2016, approximate=True)),
        ("c.2016", FuzzyDate.of_year(2016, approximate=True)),
        ("circa May 2016", FuzzyDate.of_month(2016, 5, approximate=True)),
        ("approx 22/05/2016", FuzzyDate.of_day(date(2016, 5, 22), approximate=True)),
        ("approx. June 2010", FuzzyDate.of_month(2010, 6, approximate=True)),
        ("about 2016", FuzzyDate.of_year(2016, approximate=True)),
        ("May 2016 (approx)", FuzzyDate.of_month(2016, 5, approximate=True)),
        ("2016 ?", FuzzyDate.of_year(2016, approximate=True)),
    ],
)
def test_uncertainty_markers(text: str, expected: FuzzyDate) -> None:
    assert parse_date(text, today=TODAY) == expected


def test_day_first_is_never_swapped() -> None:
    assert parse_date("05/06/2016") == FuzzyDate.of_day(date(2016, 6, 5))
    assert parse_date("1.2.03", today=TODAY) == FuzzyDate.of_day(date(2003, 2, 1))


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("31/02/2016", "February 2016 has only 29 days, not 31"),
        ("29/02/2015", "February 2015 has only 28 days, not 29"),
        ("13/13/2016", "month 13 does not exist"),
        ("00/01/2016", "day 0 does not exist"),
        ("05/22/2016", "month 22 does not exist (dates are read day first: dd/mm/yyyy)"),
        ("Monday 22 May 2016", "22/05/2016 was a Sunday, not a Monday"),
        ("22/05", "no year given"),
        ("Summer 2016", "not a recognised date form"),
        ("yesterday", "not a recognised date form"),
        ("", "no date given"),
        ("   ", "no date given"),
        ("?", "only an uncertainty marker"),
        ("22/05/1850", "year 1850 is outside 1900-2100"),
        ("12345678", "a bare number is not a date"),
    ],
)
def test_impossible_or_garbage_dates_raise_with_reason(text: str, reason: str) -> None:
    with pytest.raises(DateParseError) as caught:
        parse_date(text, today=TODAY)
    assert caught.value.value == text
    assert reason in caught.value.reason
    assert reason in str(caught.value)


def test_leap_day_accepted() -> None:
    assert parse_date("29/02/2016") == FuzzyDate.of_day(date(2016, 2, 29))


class TestTwoDigitYears:
    def test_window_ends_ten_years_after_today(self) -> None:
        assert expand_two_digit_year(35, TODAY) == 2035
        assert expand_two_digit_year(36, TODAY) == 1936
        assert expand_two_digit_year(85, TODAY) == 1985
        assert expand_two_digit_year(0, TODAY) == 2000

    def test_window_moves_with_today(self) -> None:
        assert expand_two_digit_year(36, date(2026, 1, 1)) == 2036

    def test_applied_in_parsing(self) -> None:
        assert parse_date("3/4/85", today=TODAY) == FuzzyDate.of_day(date(1985, 4, 3))
        assert parse_date("May-99", today=TODAY) == FuzzyDate.of_month(1999, 5)


class TestExcel:
    def test_serials_across_the_phantom_leap_day(self) -> None:
        assert excel_serial_to_datetime(1) == datetime(1900, 1, 1)
        assert excel_serial_to_datetime(59) == datetime(1900, 2, 28)
        assert excel_serial_to_datetime(61) == datetime(1900, 3, 1)
        assert excel_serial_to_datetime(42512) == datetime(2016, 5, 22)

    def test_phantom_29_february_1900_is_refused(self) -> None:
        with pytest.raises(DateParseError, match="never existed"):
            excel_serial_to_datetime(60)

    def test_serial_with_time(self) -> None:
        assert parse_date_time(42512.75) == (MAY_22, time(18, 0))
        assert parse_date_time(42512) == (MAY_22, None)

    def test_whole_numbers_in_year_range_are_years(self) -> None:
        assert parse_date(2016) == FuzzyDate.of_year(2016)
        assert parse_date(2016.0) == FuzzyDate.of_year(2016)

    @pytest.mark.parametrize("value", [60, 100, 3000, 80000, -5, float("nan"), float("inf")])
    def test_numbers_outside_sensible_range_are_refused(self, value: float) -> None:
        with pytest.raises(DateParseError, match="neither a year nor an Excel date"):
            parse_date(value)

    def test_booleans_are_not_dates(self) -> None:
        with pytest.raises(DateParseError):
            parse_date(True)

    def test_cell_objects(self) -> None:
        assert parse_date_time(datetime(2016, 5, 22, 9, 30)) == (MAY_22, time(9, 30))
        assert parse_date_time(datetime(2016, 5, 22)) == (MAY_22, None)
        assert parse_date(date(2016, 5, 22)) == MAY_22


def test_text_with_time() -> None:
    assert parse_date_time("22/05/2016 09:30") == (MAY_22, time(9, 30))
    assert parse_date_time("22 May 2016 at 2.15pm") == (MAY_22, time(14, 15))
    assert parse_date_time("2016-05-22T14:05:00") == (MAY_22, time(14, 5))


class TestDisplayAndStorage:
    @pytest.mark.parametrize(
        ("fuzzy", "shown", "stored"),
        [
            (MAY_22, "22/05/2016", "2016-05-22"),
            (FuzzyDate.of_day(date(2016, 5, 22), True), "22/05/2016?", "2016-05-22~"),
            (FuzzyDate.of_month(2016, 5), "May 2016", "2016-05"),
            (FuzzyDate.of_month(2016, 5, True), "c. May 2016", "2016-05~"),
            (FuzzyDate.of_year(2016), "2016", "2016"),
            (FuzzyDate.of_year(2016, True), "c. 2016", "2016~"),
        ],
    )
    def test_forms(self, fuzzy: FuzzyDate, shown: str, stored: str) -> None:
        assert fuzzy.display() == shown
        assert fuzzy.to_storage() == stored
        assert FuzzyDate.from_storage(stored) == fuzzy
        assert parse_date(shown) == fuzzy

    @pytest.mark.parametrize("text", ["2016-5-22", "22/05/2016", "2016-02-30", "2016-13", "", "2016~~"])
    def test_from_storage_is_strict(self, text: str) -> None:
        with pytest.raises(DateParseError):
            FuzzyDate.from_storage(text)

    def test_invalid_construction(self) -> None:
        with pytest.raises(ValueError):
            FuzzyDate(2016, 5, None, DatePrecision.DAY)
        with pytest.raises(ValueError):
            FuzzyDate(2016, 2, 30, DatePrecision.DAY)


class TestBoundsAndOrder:
    def test_bounds(self) -> None:
        assert FuzzyDate.of_month(2016, 2).latest() == date(2016, 2, 29)
        assert FuzzyDate.of_year(2016).earliest() == date(2016, 1, 1)
        assert FuzzyDate.of_year(2016).latest() == date(2016, 12, 31)
        assert MAY_22.earliest() == MAY_22.latest() == date(2016, 5, 22)

    def test_uncertain_dates_sort_at_start_of_period_after_exact_dates(self) -> None:
        entries = [
            FuzzyDate.of_day(date(2016, 5, 2)),
            FuzzyDate.of_month(2016, 5),
            FuzzyDate.of_year(2016),
            FuzzyDate.of_day(date(2016, 5, 1), approximate=True),
            FuzzyDate.of_day(date(2016, 5, 1)),
            FuzzyDate.of_day(date(2016, 1, 1)),
            FuzzyDate.of_day(date(2015, 12, 31)),
        ]
        ordered = [d.display() for d in sorted(entries, key=FuzzyDate.sort_key)]
        assert ordered == ["31/12/2015", "01/01/2016", "2016", "01/05/2016", "01/05/2016?", "May 2016", "02/05/2016"]


class TestTimes:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("09:30", time(9, 30)),
            ("9:30", time(9, 30)),
            ("9.30am", time(9, 30)),
            ("9.30 pm", time(21, 30)),
            ("9am", time(9, 0)),
            ("12am", time(0, 0)),
            ("12pm", time(12, 0)),
            ("14:05:00", time(14, 5)),
            ("1405hrs", time(14, 5)),
            ("1405", time(14, 5)),
            ("noon", time(12, 0)),
            ("9.30 a.m.", time(9, 30)),
            (0.5, time(12, 0)),
            (0.395833333333, time(9, 30)),
            (42512.75, time(18, 0)),
            (time(9, 29, 59, 999_999), time(9, 30)),
            (datetime(2016, 5, 22, 14, 5), time(14, 5)),
            (timedelta(hours=9, minutes=30), time(9, 30)),
            (None, None),
            ("", None),
            ("  ", None),
        ],
    )
    def test_forms(self, value: object, expected: time | None) -> None:
        assert parse_time(value) == expected

    @pytest.mark.parametrize("value", ["25:00", "9", "13pm", "9:75", "lunchtime", -0.5, timedelta(days=2)])
    def test_bad_times_raise(self, value: object) -> None:
        with pytest.raises(DateParseError):
            parse_time(value)

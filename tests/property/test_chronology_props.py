"""Properties of chronology dates, header mapping and cell neutralising, over generated input."""

from __future__ import annotations

from datetime import date, datetime, time

from hypothesis import given, settings
from hypothesis import strategies as st

from app.chronology.fields import _VARIANTS, auto_map
from app.dates.fuzzy import (
    DateParseError,
    DatePrecision,
    FuzzyDate,
    parse_date,
    parse_date_time,
    parse_time,
)
from app.office.safe_cells import FORMULA_PREFIXES, neutralise

relaxed = settings(deadline=None, max_examples=300)

days = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
serial_days = st.dates(min_value=date(1910, 1, 1), max_value=date(2099, 12, 31))


@st.composite
def fuzzy_dates(draw: st.DrawFn) -> FuzzyDate:
    day = draw(days)
    approximate = draw(st.booleans())
    precision = draw(st.sampled_from(DatePrecision))
    if precision is DatePrecision.DAY:
        return FuzzyDate.of_day(day, approximate)
    if precision is DatePrecision.MONTH:
        return FuzzyDate.of_month(day.year, day.month, approximate)
    return FuzzyDate.of_year(day.year, approximate)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


FORMATS = [
    lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}",
    lambda d: f"{d.day}/{d.month}/{d.year}",
    lambda d: f"{d.day}/{d.month}/{d.year % 100:02d}",
    lambda d: f"{d.day:02d}.{d.month:02d}.{d.year % 100:02d}",
    lambda d: f"{d.day:02d}-{d.month:02d}-{d.year}",
    lambda d: d.strftime("%d-%b-%y"),
    lambda d: d.strftime("%d %B %Y"),
    lambda d: f"{_ordinal(d.day)} {d.strftime('%B %Y')}",
    lambda d: d.strftime("%A %d %B %Y"),
    lambda d: d.isoformat(),
]


@relaxed
@given(days, st.sampled_from(range(len(FORMATS))))
def test_day_first_forms_round_trip(day: date, form: int) -> None:
    # Two-digit years are read relative to "today"; choose a today whose window holds the year.
    assert parse_date(FORMATS[form](day), today=day) == FuzzyDate.of_day(day)


@relaxed
@given(serial_days, st.integers(min_value=0, max_value=86399))
def test_excel_serials_and_cells_round_trip(day: date, seconds: int) -> None:
    moment = datetime.combine(day, time(seconds // 3600, seconds // 60 % 60, seconds % 60))
    serial = (moment - datetime(1899, 12, 30)).total_seconds() / 86400
    parsed, parsed_time = parse_date_time(serial)
    assert parsed == FuzzyDate.of_day(day)
    assert parsed_time == (moment.time() if seconds else None)
    assert parse_date_time(moment) == (FuzzyDate.of_day(day), moment.time() if seconds else None)


@relaxed
@given(fuzzy_dates())
def test_display_parses_back(fuzzy: FuzzyDate) -> None:
    assert parse_date(fuzzy.display()) == fuzzy


@relaxed
@given(fuzzy_dates())
def test_storage_round_trip(fuzzy: FuzzyDate) -> None:
    stored = fuzzy.to_storage()
    assert FuzzyDate.from_storage(stored) == fuzzy
    assert FuzzyDate.from_storage(stored).to_storage() == stored


@relaxed
@given(fuzzy_dates(), fuzzy_dates())
def test_sort_key_is_a_total_order_consistent_with_earliest(a: FuzzyDate, b: FuzzyDate) -> None:
    assert (a.sort_key() == b.sort_key()) == (a == b)
    if a.earliest() < b.earliest():
        assert a.sort_key() < b.sort_key()
    assert a.earliest() <= a.latest()


@relaxed
@given(fuzzy_dates(), fuzzy_dates(), fuzzy_dates())
def test_sort_key_is_transitive(a: FuzzyDate, b: FuzzyDate, c: FuzzyDate) -> None:
    x, y, z = sorted([a, b, c], key=FuzzyDate.sort_key)
    assert x.sort_key() <= y.sort_key() <= z.sort_key()
    assert x.earliest() <= y.earliest() <= z.earliest()


@relaxed
@given(days)
def test_partial_dates_bound_their_days(day: date) -> None:
    month = FuzzyDate.of_month(day.year, day.month)
    year = FuzzyDate.of_year(day.year)
    assert year.earliest() <= month.earliest() <= day <= month.latest() <= year.latest()


@relaxed
@given(
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=1900, max_value=2100),
    st.sampled_from("/.-"),
)
def test_day_first_is_never_swapped(d: int, m: int, year: int, sep: str) -> None:
    parsed = parse_date(f"{d}{sep}{m}{sep}{year}")
    assert (parsed.day, parsed.month, parsed.year) == (d, m, year)


@relaxed
@given(st.text(max_size=30))
def test_any_text_parses_or_raises_date_parse_error(text: str) -> None:
    try:
        result = parse_date(text)
    except DateParseError as exc:
        assert exc.reason
    else:
        assert isinstance(result, FuzzyDate)
    try:
        parse_time(text)
    except DateParseError as exc:
        assert exc.reason


@relaxed
@given(st.integers(min_value=0, max_value=23), st.integers(min_value=0, max_value=59))
def test_time_forms_round_trip(hour: int, minute: int) -> None:
    expected = time(hour, minute)
    assert parse_time(f"{hour:02d}:{minute:02d}") == expected
    assert parse_time(f"{hour}.{minute:02d}") == expected
    twelve = hour % 12 or 12
    assert parse_time(f"{twelve}:{minute:02d}{'pm' if hour >= 12 else 'am'}") == expected
    assert parse_time((hour * 60 + minute) / 1440) == expected


ALL_VARIANTS = [v for variants in _VARIANTS.values() for v in variants]


@relaxed
@given(st.lists(st.one_of(st.sampled_from(ALL_VARIANTS), st.text(max_size=20)), unique=True, max_size=25))
def test_auto_map_gives_each_field_to_one_header(headers: list[str]) -> None:
    mapping = auto_map(headers)
    assert list(mapping) == headers
    fields = [f for f in mapping.values() if f is not None]
    assert len(fields) == len(set(fields))


@relaxed
@given(st.text())
def test_neutralised_text_never_starts_a_formula(text: str) -> None:
    result = neutralise(text)
    assert isinstance(result, str)
    assert not result.startswith(FORMULA_PREFIXES)
    assert result in (text, "'" + text)

"""Properties of the performance parsers and arithmetic: quarters, number cells, XmR invariants."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import InvalidInput
from app.performance.figures import CellError, number_cell
from app.performance.periods import MAX_YEAR, MIN_YEAR, Period, period_range
from app.performance.spc import RUN_LENGTH, Rule, xmr

years = st.integers(MIN_YEAR, MAX_YEAR)
quarters = st.integers(1, 4)


@given(years, quarters, st.sampled_from(["{y}Q{q}", "{y} Q{q}", "Q{q} {y}", "{y}-q{q}", " {y}q{q} ", "q{q}/{y}"]))
def test_every_spelling_reads_back_to_the_same_quarter(year: int, quarter: int, form: str) -> None:
    period = Period.parse(form.format(y=year, q=quarter))
    assert (period.year, period.quarter) == (year, quarter)
    assert Period.parse(str(period)) == period


@given(years, quarters, st.integers(-400, 400))
def test_adding_quarters_is_integer_arithmetic(year: int, quarter: int, steps: int) -> None:
    start = Period.of(year, quarter)
    moved = start + steps
    assert moved - start == steps
    assert (moved.year * 4 + moved.quarter - 1) - (year * 4 + quarter - 1) == steps
    assert (moved > start) == (steps > 0)
    if steps >= 0:
        assert len(period_range(start, moved)) == steps + 1


@given(st.text(max_size=12))
def test_text_is_a_quarter_or_a_clear_refusal(text: str) -> None:
    try:
        period = Period.parse(text)
    except InvalidInput as exc:
        assert "2026Q3" in exc.message
    else:
        assert 1 <= period.quarter <= 4 and MIN_YEAR <= period.year <= MAX_YEAR


@given(
    st.one_of(
        st.none(),
        st.integers(-(10**9), 10**9),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=20),
        st.booleans(),
    )
)
def test_a_number_cell_is_a_finite_number_none_or_a_named_refusal(value: object) -> None:
    try:
        number = number_cell(value)
    except CellError as exc:
        assert str(exc)
    else:
        assert number is None or (isinstance(number, float) and math.isfinite(number))


@given(st.floats(-1e6, 1e6, allow_nan=False))
def test_numbers_written_as_text_read_as_numbers(value: float) -> None:
    assert number_cell(repr(value)) == pytest.approx(value)
    assert number_cell(f"{value:,.2f}") == pytest.approx(round(value, 2))


@pytest.mark.parametrize("decimal_comma", ["0,125", "-0,250", "0,5", "82,5"])
def test_a_decimal_comma_is_refused_not_read_as_thousands(decimal_comma: str) -> None:
    """ "0,125" was read as 125: a group of thousands never starts with 0."""
    with pytest.raises(CellError, match="write decimals with a point"):
        number_cell(decimal_comma)


def _written(units: int, places: int, decimal: str, group: str | None) -> str:
    """units / 10**places as a spreadsheet writes it with this decimal mark and (or no) thousands separator."""
    sign, units = ("-" if units < 0 else ""), abs(units)
    whole, fraction = divmod(units, 10**places)
    digits = str(whole)
    if group is not None:
        digits = f"{whole:,}".replace(",", group)
    return sign + digits + (decimal + str(fraction).zfill(places) if places else "")


#: (decimal mark, thousands separator) of the locales that write a CSV with each delimiter: Excel saves "CSV"
#: with semicolons where the decimal mark is a comma; a tab-separated text file comes from any locale
_LOCALES = {",": [(".", ",")], ";": [(",", ".")], "\t": [(".", ","), (",", ".")]}


@given(
    st.integers(-(10**9), 10**9),
    st.integers(0, 3),
    st.sampled_from(sorted(_LOCALES)),
    st.data(),
)
def test_a_number_in_a_csv_is_read_as_written_or_refused_never_misread(
    units: int, places: int, delimiter: str, data: st.DataObject
) -> None:
    """Whatever the locale that wrote the file, a number cell is the figure it wrote or a named refusal.
    In a file separated by semicolons "1,250" (a decimal comma: 1.25) was read as 1250, and "1.250"
    (a thousands point: 1250) as 1.25; in one separated by tabs either locale may have written either."""
    decimal, thousands = data.draw(st.sampled_from(_LOCALES[delimiter]))
    grouped = data.draw(st.booleans())
    text = _written(units, places, decimal, thousands if grouped else None)
    try:
        number = number_cell(text, delimiter)
    except CellError as exc:
        assert repr(text) in str(exc)
    else:
        assert number == pytest.approx(units / 10**places, abs=1e-9), (text, delimiter)


@pytest.mark.parametrize(
    ("text", "delimiter", "message"),
    [
        ("1,250", ";", "could be 1.25 or 1250; write 1.25 or 1250"),
        ("1.250", ";", "could be 1.25 or 1250"),
        ("1,250", "\t", "in a file separated by tabs it could be 1.25 or 1250"),
        ("1,250,000", ";", "write it with no thousands separator, e.g. 1250000"),
        ("82,5", ";", "write decimals with a point, e.g. 82.5"),
        ("1.234,5", ";", "write decimals with a point, e.g. 1234.5"),
        ("1,234.5", ";", "write decimals with a point"),
    ],
)
def test_a_number_a_file_leaves_in_doubt_is_refused_saying_how_to_write_it(
    text: str, delimiter: str, message: str
) -> None:
    with pytest.raises(CellError, match=re.escape(message)):
        number_cell(text, delimiter)


@pytest.mark.parametrize(
    ("text", "delimiter", "number"),
    [("1,250", ",", 1250), ("1,234.5", "\t", 1234.5), ("1.25", ";", 1.25), ("0.125", ";", 0.125), ("1250", ";", 1250)],
)
def test_a_number_read_one_way_only_is_read(text: str, delimiter: str, number: float) -> None:
    assert number_cell(text, delimiter) == number


@given(st.lists(st.floats(-1e4, 1e4, allow_nan=False), min_size=2, max_size=60))
def test_xmr_limits_and_flags_are_consistent(values: list[float]) -> None:
    chart = xmr(values)
    assert chart is not None
    assert chart.lower <= chart.mean + 1e-9 and chart.mean <= chart.upper + 1e-9
    for flag in chart.flags:
        assert 0 <= flag.index < len(values)
        if flag.rule is Rule.ASTRONOMICAL:
            assert values[flag.index] > chart.upper or values[flag.index] < chart.lower
    shifts = sorted(f.index for f in chart.flags if f.rule is Rule.SHIFT)
    assert not shifts or len(shifts) >= RUN_LENGTH


@given(
    st.lists(st.floats(-1e4, 1e4, allow_nan=False), min_size=2, max_size=40), st.floats(-1e3, 1e3), st.floats(0.5, 4)
)
def test_flags_do_not_depend_on_units(values: list[float], offset: float, scale: float) -> None:
    """Moving or stretching a series (a different unit) keeps its signals."""
    plain, moved = xmr(values), xmr([v * scale + offset for v in values])
    assert plain is not None and moved is not None
    robust = {(f.index, f.rule, f.side) for f in plain.flags}
    # ties on the mean or on a limit may round differently; compare away from them
    tolerance = 1e-6 * (1 + max(abs(v) for v in values))

    def clear(i: int) -> bool:
        v = values[i]
        return all(abs(v - line) > tolerance for line in (plain.mean, plain.upper, plain.lower))

    assert {x for x in robust if clear(x[0]) and x[1] is Rule.ASTRONOMICAL} == {
        (f.index, f.rule, f.side) for f in moved.flags if clear(f.index) and f.rule is Rule.ASTRONOMICAL
    }


@given(st.uuids(), st.uuids(), st.text(max_size=8))
def test_figure_identity_is_uuid5(indicator: object, agency: object, period: str) -> None:
    import uuid

    from app.performance.figures import _FIGURE_NAMESPACE, figure_uuid

    expected = uuid.uuid5(_FIGURE_NAMESPACE, f"{indicator}|{agency}|{period}")
    assert figure_uuid(str(indicator), str(agency), period) == str(expected)

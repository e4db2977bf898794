"""SPC rules (NHS England "Making Data Count") on hand-worked series, each at its boundary, and polarity.

Worked numbers: for [10]*n the mean is 10 and the moving range 0; a series of
alternating 9, 11 has mean 10 and mean moving range 2, so the limits are
10 +/- 5.32 = 4.68 and 15.32 and the outer-third lines 13.5467 and 6.4533.
"""

from __future__ import annotations

import pytest

from app.performance.spc import LIMIT_FACTOR, Rule, Signal, signal_for, xmr


def rules(values: list[float]) -> dict[Rule, list[int]]:
    chart = xmr(values)
    assert chart is not None
    out: dict[Rule, list[int]] = {}
    for flag in chart.flags:
        out.setdefault(flag.rule, []).append(flag.index)
    return out


def test_limits_from_the_mean_moving_range() -> None:
    chart = xmr([9, 11, 9, 11, 9, 11])
    assert chart is not None
    assert chart.mean == 10 and chart.mean_moving_range == 2
    assert chart.upper == pytest.approx(10 + LIMIT_FACTOR * 2) and chart.lower == pytest.approx(10 - 5.32)
    assert xmr([5]) is None


def test_a_point_beyond_a_limit_but_not_one_on_it() -> None:
    # 20 points alternating 9/11, then x: with many points the limits barely move; work it out exactly
    base = [9.0, 11.0] * 10
    chart = xmr(base + [10.0])
    assert chart is not None and not chart.flags
    beyond = rules(base + [30.0])
    assert beyond[Rule.ASTRONOMICAL] == [20]
    # a point exactly on the upper limit is not beyond it: solve x = mean + 2.66 * mR for this series
    n = 21
    # mean = (200 + x) / 21; moving ranges: 19 of 2 and |x - 11|; mR = (38 + x - 11) / 20
    x = (200 / n + LIMIT_FACTOR * 27 / 20) / (1 - 1 / n - LIMIT_FACTOR / 20)
    on_limit = xmr(base + [x])
    assert on_limit is not None and on_limit.upper == pytest.approx(x)
    just_inside, just_beyond = rules(base + [x - 1e-6]), rules(base + [x + 1e-6])
    assert 20 not in just_inside.get(Rule.ASTRONOMICAL, [])
    assert just_beyond[Rule.ASTRONOMICAL] == [20]


def test_a_run_of_seven_on_one_side_is_a_shift_six_is_not() -> None:
    six = [12, 8] * 3 + [11] * 6 + [9] * 6  # mean exactly 10: runs of six above, then six below
    assert xmr(six).mean == 10
    assert Rule.SHIFT not in rules(six)
    seven = [12, 8] * 3 + [11] * 7 + [9] * 7  # mean exactly 10: seven above, then seven below
    chart = xmr(seven)
    assert chart is not None and chart.mean == 10
    assert [f.index for f in chart.flags if f.rule is Rule.SHIFT and f.side == "high"] == list(range(6, 13))
    assert [f.index for f in chart.flags if f.rule is Rule.SHIFT and f.side == "low"] == list(range(13, 20))


def test_a_point_on_the_mean_breaks_a_run() -> None:
    # mean is 10: six above, one on the mean, six above, then points below keep the mean at 10
    values = [11, 11, 11, 11, 11, 11, 10, 11, 11, 11, 11, 11, 11] + [6] * 3
    chart = xmr(values)
    assert chart is not None and chart.mean == pytest.approx(10)
    assert Rule.SHIFT not in {f.rule for f in chart.flags if f.index < 13}


def test_seven_rising_is_a_trend_six_is_not() -> None:
    six_rising = [10, 9, 10, 11, 12, 13, 14, 12, 10, 11]  # 9..14: six points rising
    assert Rule.TREND not in rules(six_rising)
    seven_rising = [10, 9, 10, 11, 12, 13, 14, 15, 12, 10]  # 9..15: seven points
    assert rules(seven_rising)[Rule.TREND] == [1, 2, 3, 4, 5, 6, 7]
    falling = [20, 19, 18, 17, 16, 15, 14, 16, 18]
    chart = xmr(falling)
    assert chart is not None
    assert {f.side for f in chart.flags if f.rule is Rule.TREND} == {"low"}


def test_an_equal_neighbour_breaks_a_trend() -> None:
    values = [1, 2, 3, 4, 4, 5, 6, 7, 3, 2]
    assert Rule.TREND not in rules(values)


def test_two_of_three_beyond_two_thirds_on_the_same_side() -> None:
    base = [9.0, 11.0] * 10  # limits near 4.68 / 15.32 before the last points move them a little
    values = base + [14.5, 10.0, 14.5]
    chart = xmr(values)
    assert chart is not None
    high_line = chart.mean + (chart.upper - chart.mean) * 2 / 3
    assert 14.5 > high_line and 14.5 < chart.upper
    flagged = [f.index for f in chart.flags if f.rule is Rule.TWO_OF_THREE]
    assert flagged == [20, 22]
    # one high and one low in the window is not the rule
    mixed = xmr(base + [14.5, 10.0, 5.5])
    assert mixed is not None and not [f for f in mixed.flags if f.rule is Rule.TWO_OF_THREE]


@pytest.mark.parametrize(
    ("polarity", "side", "expected"),
    [
        ("higher", "high", Signal.IMPROVEMENT),
        ("higher", "low", Signal.CONCERN),
        ("lower", "high", Signal.CONCERN),
        ("lower", "low", Signal.IMPROVEMENT),
        ("neither", "high", Signal.NEUTRAL),
        ("neither", "low", Signal.NEUTRAL),
    ],
)
def test_polarity_turns_a_side_into_improvement_or_concern(polarity: str, side: str, expected: Signal) -> None:
    chart = xmr([9.0, 11.0] * 10 + ([30.0] if side == "high" else [-10.0]))
    assert chart is not None
    assert signal_for(chart.flags_at(20), polarity) is expected
    assert signal_for([], polarity) is Signal.COMMON

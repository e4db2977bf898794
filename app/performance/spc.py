"""Statistical process control: XmR charts and NHS England "Making Data Count" special-cause rules.

One place for the rules, pinned by worked examples in tests/unit/test_performance_spc.py:

- mean of the points, and the mean moving range (mean of |x[i] - x[i-1]|);
- natural process limits: mean +/- 2.66 x mean moving range;
- special cause (each flag names its rule):
  * ASTRONOMICAL: a point beyond (strictly outside) a process limit;
  * SHIFT: a run of RUN_LENGTH (7) or more consecutive points on one side of the mean
    (a point exactly on the mean breaks the run), every point of the run flagged;
  * TREND: RUN_LENGTH (7) or more consecutive points each higher (or each lower) than the
    one before (an equal neighbour breaks it), every point of the run flagged;
  * TWO_OF_THREE: two of three consecutive points beyond two thirds of the way from the
    mean to a limit (the "outer third"), on the same side; the two points flagged.

Polarity turns a high or low signal into improvement or concern: for "higher is
better" a high signal is improvement; "neither" gives a neutral signal. A chart
of a series with a definition break is computed per segment (each its own mean
and limits): the SPC never mixes two definitions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum

#: constant for individuals charts (3 / d2, d2 = 1.128 for n = 2)
LIMIT_FACTOR = 2.66
RUN_LENGTH = 7
MIN_POINTS = 2


class Rule(str, Enum):
    ASTRONOMICAL = "beyond a limit"
    SHIFT = "run of 7 on one side of the mean"
    TREND = "run of 7 rising or falling"
    TWO_OF_THREE = "2 of 3 near a limit"

    def __str__(self) -> str:
        return self.value


class Signal(str, Enum):
    """What a point's variation means for the indicator, in words (never colour alone)."""

    COMMON = "common cause"
    IMPROVEMENT = "special cause: improvement"
    CONCERN = "special cause: concern"
    NEUTRAL = "special cause: neither"

    @property
    def short(self) -> str:
        return {
            "common cause": "Common cause",
            "special cause: improvement": "Improvement",
            "special cause: concern": "Concern",
            "special cause: neither": "Special cause",
        }[self.value]


@dataclass(frozen=True)
class Flag:
    index: int
    rule: Rule
    #: "high" or "low"
    side: str

    @property
    def words(self) -> str:
        """The rule as it fired, for people: "run of 7 rising or falling (high)" left the panel to work out
        that the figures had risen."""
        high = self.side == "high"
        return {
            Rule.ASTRONOMICAL: f"{'above the upper' if high else 'below the lower'} limit",
            Rule.SHIFT: f"run of 7 {'above' if high else 'below'} the mean",
            Rule.TREND: f"run of 7 {'rising' if high else 'falling'}",
            Rule.TWO_OF_THREE: f"2 of 3 near the {'upper' if high else 'lower'} limit",
        }[self.rule]


@dataclass
class XmR:
    values: list[float]
    mean: float
    mean_moving_range: float
    flags: list[Flag] = field(default_factory=list)

    @property
    def upper(self) -> float:
        return self.mean + LIMIT_FACTOR * self.mean_moving_range

    @property
    def lower(self) -> float:
        return self.mean - LIMIT_FACTOR * self.mean_moving_range

    def flags_at(self, index: int) -> list[Flag]:
        return [f for f in self.flags if f.index == index]

    def signal_at(self, index: int, polarity: str) -> Signal:
        return signal_for(self.flags_at(index), polarity)


def signal_for(flags: Sequence[Flag], polarity: str) -> Signal:
    if not flags:
        return Signal.COMMON
    sides = {f.side for f in flags}
    if polarity == "neither" or len(sides) > 1:
        return Signal.NEUTRAL
    good = "high" if polarity == "higher" else "low"
    return Signal.IMPROVEMENT if sides == {good} else Signal.CONCERN


def xmr(values: Sequence[float]) -> XmR | None:
    """The XmR chart of a series (None with fewer than MIN_POINTS points)."""
    points = [float(v) for v in values]
    if len(points) < MIN_POINTS:
        return None
    mean = sum(points) / len(points)
    ranges = [abs(b - a) for a, b in zip(points, points[1:], strict=False)]
    chart = XmR(points, mean, sum(ranges) / len(ranges))
    chart.flags = _flags(chart)
    return chart


def _flags(chart: XmR) -> list[Flag]:
    points, mean, upper, lower = chart.values, chart.mean, chart.upper, chart.lower
    flags: list[Flag] = []
    for i, x in enumerate(points):
        if x > upper:
            flags.append(Flag(i, Rule.ASTRONOMICAL, "high"))
        elif x < lower:
            flags.append(Flag(i, Rule.ASTRONOMICAL, "low"))
    flags += _runs(points, lambda x: 1 if x > mean else (-1 if x < mean else 0), Rule.SHIFT)
    steps = [0] + [1 if b > a else (-1 if b < a else 0) for a, b in zip(points, points[1:], strict=False)]
    flags += _trend(points, steps)
    flags += _two_of_three(points, mean, upper, lower)
    return flags


def _runs(points: list[float], side_of: Callable[[float], int], rule: Rule) -> list[Flag]:
    flags: list[Flag] = []
    start = 0
    while start < len(points):
        side = side_of(points[start])
        end = start
        while end + 1 < len(points) and side != 0 and side_of(points[end + 1]) == side:
            end += 1
        if side != 0 and end - start + 1 >= RUN_LENGTH:
            flags += [Flag(i, rule, "high" if side > 0 else "low") for i in range(start, end + 1)]
        start = end + 1
    return flags


def _trend(points: list[float], steps: list[int]) -> list[Flag]:
    """A maximal run of steps k = a..b of one non-zero sign covers points a-1..b."""
    flags: list[Flag] = []
    k = 1
    while k < len(points):
        direction = steps[k]
        b = k
        while b + 1 < len(points) and steps[b + 1] == direction:
            b += 1
        if direction != 0 and b - k + 2 >= RUN_LENGTH:
            flags += [Flag(i, Rule.TREND, "high" if direction > 0 else "low") for i in range(k - 1, b + 1)]
        k = b + 1
    return flags


def _two_of_three(points: list[float], mean: float, upper: float, lower: float) -> list[Flag]:
    high_line = mean + (upper - mean) * 2 / 3
    low_line = mean - (mean - lower) * 2 / 3
    flagged: dict[int, Flag] = {}
    for start in range(max(0, len(points) - 2)):
        window = range(start, start + 3)
        for side, beyond in (("high", lambda x: x > high_line), ("low", lambda x: x < low_line)):
            hits = [i for i in window if beyond(points[i])]
            if len(hits) >= 2:
                for i in hits:
                    flagged.setdefault(i * 2 + (side == "low"), Flag(i, Rule.TWO_OF_THREE, side))
    return [flagged[k] for k in sorted(flagged)]

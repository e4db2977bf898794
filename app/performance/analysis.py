"""The dataset as series: each indicator for each agency over the quarters, split at definition breaks.

Everything the scorecard, the indicator page, the exception list and the
reports show is computed here from one load of the figures (a few plain
tuples per figure), so a 200-indicator, 40-quarter, 10-agency dataset is read
once per view, not once per cell.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import product

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.performance.annotations import AnnotationRow, annotations_by_indicator
from app.performance.catalogue import POLARITIES, UNITS, all_breaks
from app.performance.periods import Period
from app.performance.settings import DataSettings, load_settings
from app.performance.spc import Signal, XmR, signal_for, xmr
from app.performance.suppression import (
    NOT_COMPARED,
    Shown,
    format_number,
    gap_shown,
    same_for_every_small_count,
    shown,
    withheld_values,
)
from db.models.core import Agency
from db.models.performance import Comparator, FigureValue, Indicator

COMPARATOR_KINDS = {"neighbours": "Statistical neighbours", "england": "England"}


@dataclass(frozen=True)
class IndicatorInfo:
    uuid: str
    code: str
    name: str
    theme: str
    unit: str
    per: int
    polarity: str
    target: float | None
    owner_agency_uuid: str | None
    version: int
    definition: str

    @property
    def unit_label(self) -> str:
        if self.unit == "rate":  # the catalogue's "Rate per 10,000" holds for the usual per only
            return f"Rate per {self.per:,}"
        return UNITS.get(self.unit, (self.unit, 1))[0]

    @property
    def unit_after(self) -> str:
        """What a figure needs after it to say what it counts: "44.0" alone read as 44 children, not 44
        per 10,000 children. A percentage has its "%" already; a count needs nothing."""
        return {"rate": f" per {self.per:,}", "days": " days"}.get(self.unit, "")

    def with_unit(self, value: float, to: float | None = None) -> str:
        """A figure of this indicator (or a range, `to` its upper end) as printed in words: "91.0%", "12.0
        days", "32.3 to 67.2 per 10,000", "74.0% to 84.9%", "12". A trial's exception list read "against
        England 91" for a percentage and "Latest 12.0" for days."""
        upper = "" if to is None else f" to {format_number(to, self.unit)}"
        return format_number(value, self.unit) + upper + self.unit_after

    def figure_text(self, seen: Shown, value: float | None) -> str:
        """The figure as `shown` lets it out, with its unit where the number itself is printed ("fewer than
        5" and "no figure" need none)."""
        return seen.text if seen.hidden or value is None else self.with_unit(value)

    @property
    def polarity_label(self) -> str:
        return POLARITIES.get(self.polarity, self.polarity)


@dataclass(frozen=True)
class Point:
    period: int  # Period.index
    value: float | None
    numerator: float | None
    denominator: float | None


@dataclass
class Series:
    indicator: IndicatorInfo
    agency_uuid: str
    agency: str
    points: list[Point]
    #: Period indexes from which a new definition applies
    breaks: list[int] = field(default_factory=list)

    def segment_start(self, upto: int) -> int:
        """The first quarter of the definition in force at `upto`."""
        start = -(10**9)
        for b in self.breaks:
            if b <= upto:
                start = b
        return start

    def segment(self, upto: int) -> list[Point]:
        """Points with a value, counted the way they are at `upto`, up to and including `upto`."""
        start = self.segment_start(upto)
        return [p for p in self.points if start <= p.period <= upto and p.value is not None]

    def at(self, period: int) -> Point | None:
        for p in self.points:
            if p.period == period:
                return p
        return None

    def spc(self, upto: int) -> tuple[XmR | None, list[Point]]:
        points = self.segment(upto)
        return xmr([p.value for p in points if p.value is not None]), points


@dataclass
class Dataset:
    indicators: dict[str, IndicatorInfo]
    agencies: dict[str, str]
    series: dict[tuple[str, str], Series]
    #: indicator uuid -> kind -> period index -> value
    comparators: dict[str, dict[str, dict[int, float]]]
    settings: DataSettings
    #: indicator uuid -> its annotations, by quarter (app.performance.annotations)
    annotations: dict[str, list[AnnotationRow]] = field(default_factory=dict)

    def latest_period(self) -> int | None:
        latest = [s.points[-1].period for s in self.series.values() if s.points]
        return max(latest) if latest else None

    def periods(self) -> list[int]:
        return sorted({p.period for s in self.series.values() for p in s.points})


def load_dataset(session: Session) -> Dataset:
    indicators = {
        row.uuid: IndicatorInfo(
            row.uuid,
            row.code,
            row.name,
            row.theme,
            row.unit,
            row.per,
            row.polarity,
            row.target,
            row.owner_agency_uuid,
            row.version,
            row.definition,
        )
        for row in session.execute(
            select(
                Indicator.uuid,
                Indicator.code,
                Indicator.name,
                Indicator.theme,
                Indicator.unit,
                Indicator.per,
                Indicator.polarity,
                Indicator.target,
                Indicator.owner_agency_uuid,
                Indicator.version,
                Indicator.definition,
            ).where(Indicator.deleted_stamp.is_(None), Indicator.active.is_(True))
        )
    }
    agencies = {
        row[0]: row[1] or row[2]
        for row in session.execute(
            select(Agency.uuid, Agency.short_name, Agency.name).where(Agency.deleted_stamp.is_(None))
        )
    }
    breaks = {key: sorted(Period.parse(p).index for p in periods) for key, periods in all_breaks(session).items()}
    grouped: dict[tuple[str, str], list[Point]] = defaultdict(list)
    table = FigureValue.__table__
    for indicator, agency, period, value, numerator, denominator in session.execute(
        select(
            table.c.indicator_uuid,
            table.c.agency_uuid,
            table.c.period,
            table.c.value,
            table.c.numerator,
            table.c.denominator,
        ).where(table.c.deleted_stamp.is_(None))
    ):
        if indicator in indicators and agency in agencies:
            year, quarter = int(period[:4]), int(period[5])
            grouped[(indicator, agency)].append(Point(year * 4 + quarter - 1, value, numerator, denominator))
    series = {}
    for (indicator, agency), points in grouped.items():
        points.sort(key=lambda p: p.period)
        series[(indicator, agency)] = Series(
            indicators[indicator], agency, agencies[agency], points, breaks.get(indicator, [])
        )
    comparators: dict[str, dict[str, dict[int, float]]] = defaultdict(lambda: defaultdict(dict))
    for indicator, period, kind, value in session.execute(
        select(Comparator.indicator_uuid, Comparator.period, Comparator.kind, Comparator.value).where(
            Comparator.deleted_stamp.is_(None)
        )
    ):
        comparators[indicator][kind][Period.parse(period).index] = value
    return Dataset(indicators, agencies, series, comparators, load_settings(session), annotations_by_indicator(session))


# -- the scorecard ---------------------------------------------------------------


@dataclass(frozen=True)
class ScoreRow:
    indicator_uuid: str
    agency_uuid: str
    code: str
    name: str
    theme: str
    agency: str
    period: str
    latest: str
    small: bool
    direction: str
    comparator: str
    signal: str
    target: str
    #: the current definition's values for a small chart (None where a figure is missing)
    spark: tuple[float | None, ...]
    polarity: str


def direction_of_travel(previous: float | None, latest: float | None, polarity: str) -> str:
    """In words (an arrow alone is colour-free but still needs a word for screen readers)."""
    if previous is None or latest is None:
        return "no earlier figure"
    if abs(latest - previous) <= 1e-9 * max(1.0, abs(previous)):
        return "→ no change"
    up = latest > previous
    arrow = "↑" if up else "↓"
    if polarity == "neither":
        return f"{arrow} {'up' if up else 'down'}"
    better = up == (polarity == "higher")
    return f"{arrow} {'improving' if better else 'worsening'}"


def comparator_gap(value: float | None, comparator: float | None, unit: str) -> tuple[str, float | None]:
    """("+2.3 pts vs neighbours"-style text, relative gap) or ("", None)."""
    if value is None or comparator is None:
        return "", None
    difference = value - comparator
    relative = difference / comparator if comparator else None
    # rounded before the sign is written: -0.04 points is "+0.0 pts", not "-0.0 pts" (below by nothing)
    if unit == "percent":
        text = f"{round(difference, 1) + 0.0:+.1f} pts"
    elif relative is not None:
        text = f"{round(relative * 100) + 0:+d}%"
    else:
        text = f"{round(difference, 1) + 0.0:+.1f}"
    return text, relative


#: withheld counts in one segment beyond which every point's signal is left unshown (5 ** 4 series to try)
_MOST_COMBINATIONS = 625


def withheld_at(point: Point, info: IndicatorInfo, threshold: int) -> list[float] | None:
    """The values a withheld figure could be, for each count under the threshold; None if it is shown."""
    return withheld_values(point.value, point.numerator, point.denominator, info.unit, info.per, threshold)


def signals_told(
    values: list[float], withheld: Sequence[Sequence[float] | None], polarity: str, threshold: int
) -> list[bool]:
    """Which points' SPC signals may be drawn beside withheld counts: those that every count under the
    threshold in the withheld quarters would give alike. The signals come from the exact figures, so a
    marker that appears only for some withheld counts (an improvement at the first quarter only when the
    last is 0) would narrow "fewer than 5" down. Withheld points themselves carry no signal marker."""
    where = [i for i, w in enumerate(withheld) if w is not None]
    if not where:
        return [True] * len(values)
    if math.prod(len(withheld[i] or ()) for i in where) > _MOST_COMBINATIONS:
        return [False] * len(values)
    seen: list[set[Signal]] = [set() for _ in values]
    for counts in product(*(withheld[i] or () for i in where)):
        trial = list(values)
        for i, count in zip(where, counts, strict=True):
            trial[i] = float(count)
        chart = xmr(trial)
        for i in range(len(values)):
            seen[i].add(chart.signal_at(i, polarity) if chart else Signal.COMMON)
    return [len(signals) == 1 for signals in seen]


def signal_told(points: Sequence[Point], info: IndicatorInfo, threshold: int) -> bool:
    """May the SPC signal at the last of `values` be named? Only if every count under the threshold in each
    withheld quarter of the segment gives it alike: after 9, 8, 10, 9, 8, 9, 10 a 0, 1 or 2 is "beyond a
    limit" and a 3 or 4 is common cause, and an earlier withheld count moves the limits the last point is
    judged by, so a signal named beside "fewer than 5" would narrow it down."""
    valued = [p for p in points if p.value is not None]
    if not valued:
        return True
    values = [p.value for p in valued if p.value is not None]
    withheld = [withheld_at(p, info, threshold) for p in valued]
    return signals_told(values, withheld, info.polarity, threshold)[-1]


#: the direction of travel between two withheld counts
DIRECTION_WITHHELD = "not shown (small numbers)"
#: the SPC signal beside a withheld count whose signal depends on the exact count
SIGNAL_WITHHELD = "not named (small numbers)"


def direction_shown(before: Point | None, latest: Point, info: IndicatorInfo, threshold: int) -> str:
    """The direction of travel from `before` (None: no earlier figure in the definition) to `latest`, as
    exports show it. Between two figures shown it is the real one. Beside a withheld figure it is shown only
    where every count under the threshold would give it alike: "up" from a shown 20 to "fewer than 5" can
    never be, so "down" tells nothing, but "down" from 4.0% says a withheld 3.75% is not 5%; and which way
    two withheld counts went tells them apart."""
    if before is None:
        return direction_of_travel(None, latest.value, info.polarity)
    was, now = withheld_at(before, info, threshold), withheld_at(latest, info, threshold)
    if was is not None and now is not None:
        return DIRECTION_WITHHELD
    if now is not None and not same_for_every_small_count(
        partial(direction_of_travel, before.value, polarity=info.polarity), latest.value, threshold, now
    ):
        return DIRECTION_WITHHELD
    if was is not None and not same_for_every_small_count(
        lambda earlier: direction_of_travel(earlier, latest.value, info.polarity), before.value, threshold, was
    ):
        return DIRECTION_WITHHELD
    return direction_of_travel(before.value, latest.value, info.polarity)


def _target_of(value: float, *, target: float | None, polarity: str) -> str:
    return target_text(value, target, polarity)


def target_text(value: float | None, target: float | None, polarity: str) -> str:
    """RAG against a target, in words; shown beside the SPC signal, never instead of it."""
    if target is None or value is None or polarity == "neither":
        return ""
    meets = value >= target if polarity == "higher" else value <= target
    return "Meets target" if meets else "Misses target"


def scorecard(
    data: Dataset, *, period: int | None = None, agency: str | None = None, theme: str | None = None
) -> list[ScoreRow]:
    rows: list[ScoreRow] = []
    threshold = data.settings.small_number_threshold
    for (indicator_uuid, agency_uuid), series in data.series.items():
        info = series.indicator
        if agency and agency != agency_uuid or theme and theme != info.theme:
            continue
        candidates = [p for p in series.points if p.value is not None and (period is None or p.period <= period)]
        if not candidates:
            continue
        latest = candidates[-1]
        previous_point = series.at(latest.period - 1)
        same_definition = previous_point is not None and series.segment_start(latest.period) <= latest.period - 1
        chart, points = series.spc(latest.period)
        signal = signal_for(chart.flags_at(len(points) - 1), info.polarity).short if chart else "Too few points"
        figure = shown(latest.value, latest.numerator, info.unit, threshold)
        withheld = withheld_at(latest, info, threshold)
        direction = direction_shown(previous_point if same_definition else None, latest, info, threshold)
        if chart and not signal_told(points, info, threshold):
            signal = SIGNAL_WITHHELD
        neighbours = data.comparators.get(indicator_uuid, {}).get("neighbours", {}).get(latest.period)
        gap, relative = comparator_gap(latest.value, neighbours, info.unit)
        start = series.segment_start(latest.period)
        by_period = {p.period: p.value for p in series.points}
        first = max(start, latest.period - 11, series.points[0].period)
        spark = tuple(by_period.get(i) for i in range(first, latest.period + 1))
        if neighbours is not None:
            gap = gap_shown(gap, relative, figure, latest.value, neighbours, threshold, withheld)
        target = target_text(latest.value, info.target, info.polarity)
        if (
            target
            and figure.hidden
            and not same_for_every_small_count(
                partial(_target_of, target=info.target, polarity=info.polarity), latest.value, threshold, withheld
            )
        ):
            target = NOT_COMPARED  # "Meets target" against 0 beside "fewer than 5" would say 0
        rows.append(
            ScoreRow(
                indicator_uuid,
                agency_uuid,
                info.code,
                info.name,
                info.theme,
                series.agency,
                str(Period(latest.period)),
                info.figure_text(figure, latest.value),
                figure.small,
                direction,
                against_neighbours(gap),
                signal,
                target,
                spark,
                info.polarity,
            )
        )
    rows.sort(key=lambda r: (r.theme, r.code, r.agency))
    return rows


def against_neighbours(gap: str) -> str:
    """The scorecard's comparator cell: "+3% vs neighbours", "below neighbours" beside a withheld count, and
    "not compared (small numbers)" alone."""
    if not gap or gap == NOT_COMPARED:
        return gap
    if gap in ("below", "above"):
        return f"{gap} neighbours"
    return "level with neighbours" if gap == "level" else f"{gap} vs neighbours"


def filter_scorecard(
    rows: Sequence[ScoreRow], *, agency: str | None = None, theme: str | None = None
) -> list[ScoreRow]:
    """The rows `scorecard(data, agency=..., theme=...)` gives, picked from the unfiltered card.

    The scorecard runs SPC over every series (seconds at 2,000 series): a screen computes it
    once with its data, off the GUI thread, and a filter change only picks rows from it.
    """
    return [r for r in rows if (not agency or r.agency_uuid == agency) and (not theme or r.theme == theme)]


def value_text(value: float | None, unit: str) -> str:
    return "no figure" if value is None else format_number(value, unit)

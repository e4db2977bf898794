"""SPC charts of an indicator for an agency: matplotlib, saved as PNG or SVG, or placed as vectors in a PDF.

Each definition segment gets its own mean and process limits, and the line is
not joined across a definition break (a dotted vertical line marks it, with
its note). Special-cause points differ by marker shape and a legend word, not
by colour alone: concern is a filled triangle, improvement a filled square,
neither a filled diamond; common cause is a small dot. Comparators and the
target are drawn as labelled lines. Counts below the small-number threshold
are not plotted as values: a hollow marker sits at the threshold, labelled
"fewer than N".
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from app.office.chart_text import literal
from app.office.vector_charts import new_figure
from app.performance.analysis import COMPARATOR_KINDS, Dataset, Series, signals_told, withheld_at
from app.performance.periods import Period
from app.performance.spc import Signal, signal_for, xmr
from app.performance.suppression import limits_withheld
from app.text import count_of

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.ticker import Locator

MARKERS = {
    Signal.CONCERN: ("^", "#c55a11", "Special cause: concern"),
    Signal.IMPROVEMENT: ("s", "#1f5fa8", "Special cause: improvement"),
    Signal.NEUTRAL: ("D", "#6b3fa0", "Special cause: neither"),
}


UNTOLD_LABEL = "Signal not shown (small numbers)"
#: the longest legend entry on one line, in characters (the longest of the SPC signals')
LEGEND_LINE = len(MARKERS[Signal.IMPROVEMENT][2])
#: room between two quarter labels on the x axis, in the labels' font size
LABEL_GAP_EM = 0.8


@dataclass(frozen=True)
class ChartNote:
    period: int
    text: str


def chart_notes(data: Dataset, series: Series, points: list) -> list[ChartNote]:
    """Definition changes and the users' annotations that fall within the plotted quarters."""
    if not points:
        return []
    first, last = points[0].period, points[-1].period
    notes = [ChartNote(b, "New definition") for b in sorted(set(series.breaks)) if first < b <= last]
    for note in data.annotations.get(series.indicator.uuid, []):
        if first <= note.period_index <= last:
            notes.append(ChartNote(note.period_index, note.text))
    return notes


def spc_figure(
    data: Dataset,
    series: Series,
    *,
    upto: int | None = None,
    notes: list[ChartNote] | None = None,
    width_mm: float = 170,
    height_mm: float = 85,
    suppress_small: bool = True,
) -> Figure:
    from matplotlib.ticker import FuncFormatter

    info = series.indicator
    threshold = data.settings.small_number_threshold
    points = [p for p in series.points if upto is None or p.period <= upto]
    figure = new_figure(width_mm, height_mm)
    axes = figure.add_subplot(1, 1, 1)
    axes.set_title(literal(f"{info.code} {info.name}: {series.agency}"), loc="left")
    axes.set_ylabel(literal(info.unit_label))
    used_labels: set[str] = set()

    def label(text: str) -> str:
        if text in used_labels:
            return "_nolegend_"
        used_labels.add(text)
        return legend_lines(text)

    bounds = sorted({b for b in series.breaks})
    segments: list[list] = []
    for point in points:
        segment_index = sum(1 for b in bounds if b <= point.period)
        while len(segments) <= segment_index:
            segments.append([])
        segments[segment_index].append(point)
    small_label = f"{'Fewer' if info.unit == 'count' else 'Numerator fewer'} than {threshold} (not shown)"
    untold_limits = False
    for segment in segments:
        valued = [p for p in segment if p.value is not None]
        if not valued:
            continue
        chart = xmr([p.value for p in valued])
        xs = [p.period for p in valued]
        withheld = [withheld_at(p, info, threshold) if suppress_small else None for p in valued]
        hidden = [w is not None for w in withheld]
        # a withheld count is drawn at the threshold, a withheld rate at the highest it can be (the rate of
        # a numerator one under the threshold): a hollow marker, never where the figure is
        ys = [
            (threshold if info.unit == "count" else max(w)) if w is not None else p.value
            for p, w in zip(valued, withheld, strict=False)
        ]
        # one line per run of consecutive quarters: a missing quarter leaves a gap too
        run_x: list[int] = []
        run_y: list[float] = []
        for x, y in zip(xs, ys, strict=False):
            if run_x and x != run_x[-1] + 1:
                axes.plot(
                    run_x,
                    run_y,
                    color="#404040",
                    linewidth=1,
                    marker="o",
                    markersize=2.5,
                    label=label(literal(info.code)),
                )
                run_x, run_y = [], []
            run_x.append(x)
            run_y.append(y)
        if run_x:
            axes.plot(
                run_x, run_y, color="#404040", linewidth=1, marker="o", markersize=2.5, label=label(literal(info.code))
            )
        if chart is not None and any(hidden):  # the lines would give the withheld count back
            untold_limits = True
        elif chart is not None:
            left, right = xs[0] - 0.3, xs[-1] + 0.3
            axes.hlines(
                chart.mean, left, right, colors="#1f5fa8", linestyles="solid", linewidth=1.6, label=label("Mean")
            )
            axes.hlines(
                [chart.upper, chart.lower],
                left,
                right,
                colors="#7f7f7f",
                linestyles="dashed",
                linewidth=0.8,
                label=label("Process limits"),
            )
        told = signals_told([p.value for p in valued], withheld, info.polarity, threshold) if chart else None
        for i, (x, y, h) in enumerate(zip(xs, ys, hidden, strict=False)):
            if h:
                _hollow_point(axes, x, y, "o", 5, label(small_label))
                continue
            signal = signal_for(chart.flags_at(i), info.polarity) if chart else Signal.COMMON
            if told is not None and not told[i]:
                # another count under the threshold in the withheld quarters would change this point's signal
                _hollow_point(axes, x, y, "D", 4, label(UNTOLD_LABEL))
            elif signal is Signal.COMMON:
                axes.plot([x], [y], marker="o", color="#404040", markersize=2.5, linestyle="none")
            else:
                marker, colour, text = MARKERS[signal]
                axes.plot([x], [y], marker=marker, color=colour, markersize=6, linestyle="none", label=label(text))
    comparators = data.comparators.get(info.uuid, {})
    for kind, (style, colour) in {"neighbours": (":", "#2e7d32"), "england": ("-.", "#8e24aa")}.items():
        values = sorted(
            (p, v)
            for p, v in comparators.get(kind, {}).items()
            if (upto is None or p <= upto) and points and p >= points[0].period
        )
        # a comparator measures what the indicator counts: like the figures' line, its line is not joined
        # across a definition break (nor over a quarter it has no value for)
        runs: list[list[tuple[int, float]]] = []
        for p, v in values:
            if not runs or p != runs[-1][-1][0] + 1 or any(runs[-1][-1][0] < b <= p for b in bounds):
                runs.append([])
            runs[-1].append((p, v))
        for run in runs:
            axes.plot(
                [p for p, _ in run],
                [v for _, v in run],
                linestyle=style,
                color=colour,
                linewidth=1.2,
                marker="." if len(run) == 1 else None,  # a quarter alone between breaks still shows
                label=label(COMPARATOR_KINDS[kind]),
            )
    if info.target is not None:
        axes.axhline(info.target, color="#b71c1c", linestyle=(0, (6, 2, 1, 2)), linewidth=0.9, label=label("Target"))
    all_notes = list(notes or []) + chart_notes(data, series, points)
    middle = (points[0].period + points[-1].period) / 2 if points else 0
    for index, note in enumerate(sorted(all_notes, key=lambda n: n.period)):
        axes.axvline(note.period - 0.5, color="#000000", linestyle=":", linewidth=1)
        left = note.period > middle  # in the right half the words go left of the line, clear of the legend
        axes.annotate(
            literal(note.text),
            xy=(note.period - 0.5, 1),
            xycoords=("data", "axes fraction"),
            xytext=(-3 if left else 3, -10 - 9 * (index % 3)),  # notes close together step down
            textcoords="offset points",
            fontsize=7,
            va="top",
            ha="right" if left else "left",
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1, "alpha": 0.85},
        )
    if points:
        ticks = [p.period for p in points if Period(p.period).quarter == 1 or len(points) <= 8] or [points[0].period]
        axes.xaxis.set_major_locator(quarter_ticks(ticks))
        axes.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: str(Period(round(x)))))
        axes.set_xlim(points[0].period - 0.7, points[-1].period + 0.7)
    if untold_limits:
        # under the plot, not in the legend: a sentence there took most of the chart's width from the plot
        axes.set_xlabel(literal(limits_withheld(threshold).capitalize()), loc="left", fontsize=7, wrap=True)
    axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    axes.grid(axis="y", color="#e0e0e0", linewidth=0.5)
    return figure


def legend_lines(text: str) -> str:
    """A legend entry longer than "Special cause: improvement" on two lines, broken before its bracket: the
    legend's width is its longest line, and the plot gets what the legend leaves."""
    head, bracket, tail = text.rpartition(" (")
    return f"{head}\n({tail}" if len(text) > LEGEND_LINE and bracket and head else text


def quarter_ticks(quarters: list[int]) -> Locator:
    """Ticks at `quarters`, thinned to every second, third ... one where their labels ("2026Q1") would run
    together in the width the plot got. Asked at drawing time, after the layout has sized the plot, so a
    narrow chart (a panel in the window, a wide legend) thins its labels and a wide one keeps them all."""
    from matplotlib import rcParams
    from matplotlib.axis import Axis
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path
    from matplotlib.ticker import Locator

    class QuarterTicks(Locator):
        def __call__(self) -> list[int]:
            if len(quarters) < 2 or not isinstance(self.axis, Axis):
                return list(quarters)
            font = FontProperties(size=rcParams["xtick.labelsize"])
            label = max(
                text_to_path.get_text_width_height_descent(str(Period(q)), font, ismath=False)[0] for q in quarters
            )
            low, high = self.axis.get_view_interval()
            axes = self.axis.axes
            per_quarter = axes.bbox.width * 72 / axes.figure.dpi / max(high - low, 1e-9)  # points
            closest = min(b - a for a, b in pairwise(quarters))
            room = label + LABEL_GAP_EM * font.get_size_in_points()
            step = 1
            while step < len(quarters) and step * closest * per_quarter < room:
                step += 1
            return quarters[::step]

        def tick_values(self, vmin: float, vmax: float) -> list[int]:
            return list(quarters)

    return QuarterTicks()


def _hollow_point(axes: Axes, x: float, y: float, marker: str, size: float, label: str) -> None:
    """A white point with a grey edge: a figure, or a signal, the chart must not tell (small numbers)."""
    axes.plot(
        [x],
        [y],
        marker=marker,
        markerfacecolor="white",
        markeredgecolor="#404040",
        markersize=size,
        linestyle="none",
        label=label,
    )


def chart_description(data: Dataset, series: Series, upto: int | None = None) -> str:
    """The chart in words, for screen readers and for the page beside the picture."""
    info = series.indicator
    last = upto if upto is not None else (series.points[-1].period if series.points else None)
    if last is None:
        return f"{info.code}: no figures."
    chart, points = series.spc(last)
    parts = [
        f"{info.code} {info.name} for {series.agency}: {count_of(len(points), 'quarter')} in the current definition"
    ]
    if chart is not None:
        signal = signal_for(chart.flags_at(len(points) - 1), info.polarity)
        parts.append(
            f"mean {info.with_unit(chart.mean)}, process limits {info.with_unit(chart.lower, chart.upper)}; "
            f"latest quarter {Period(points[-1].period)}: {signal.value}"
        )
    if series.breaks:
        parts.append("definition changed from " + ", ".join(str(Period(b)) for b in series.breaks))
    noted = data.annotations.get(info.uuid, [])
    if noted:
        parts.append("annotated: " + ", ".join(f"{note.period} {note.text}" for note in noted))
    return "; ".join(parts) + "."

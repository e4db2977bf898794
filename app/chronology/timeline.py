"""The chronology as a picture: agencies in swim lanes over time.

Built on ``matplotlib.figure.Figure`` directly (never pyplot, which keeps
global state and may pick a GUI backend): the GUI embeds the same Figure in a
``FigureCanvasQTAgg``; exports save it as PNG or SVG bytes. Each agency has
its lane in its colour; entries are dots (hollow when the date is uncertain),
significant events are larger stars, key practice episodes are shaded bands
labelled "KPE n". Colour is never the only signal: lanes carry names, and
significant events differ in shape.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure

from app.chronology.rows import EntryRow
from app.office.chart_text import literal

EPISODE_SHADES = ("#9e9e9e", "#7b9acc", "#c39bd3", "#f0b27a", "#82c8a0")


@dataclass(frozen=True, slots=True)
class EpisodeBand:
    number: int
    title: str
    start: date
    end: date


def _when(row: EntryRow) -> float:
    return float(date2num(datetime.combine(row.date.earliest(), datetime.min.time())))


def _edge(colour: str) -> str:
    """A darker edge so pale agency colours stay visible on white."""
    value = colour.lstrip("#")
    r, g, b = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    return f"#{int(r * 0.55):02x}{int(g * 0.55):02x}{int(b * 0.55):02x}"


def build_figure(
    rows: Sequence[EntryRow],
    episodes: Sequence[EpisodeBand] = (),
    *,
    title: str = "",
    figure: Figure | None = None,
    width: float = 11.0,
) -> Figure:
    """Draw the timeline into ``figure`` (cleared) or a new Figure; returns it."""
    lanes: list[tuple[str, str]] = []
    for row in rows:
        if (row.agency, row.agency_colour) not in lanes and row.agency not in [name for name, _ in lanes]:
            lanes.append((row.agency, row.agency_colour))
    height = max(2.5, 0.55 * len(lanes) + 1.6)
    fig = figure if figure is not None else Figure(figsize=(width, height), layout="constrained")
    fig.clear()
    axes = fig.add_subplot()
    for index, (name, colour) in enumerate(lanes):
        axes.axhspan(index - 0.45, index + 0.45, color=colour, alpha=0.25, linewidth=0)
        lane_rows = [r for r in rows if r.agency == name]
        for uncertain in (False, True):
            for significant in (False, True):
                chosen = [r for r in lane_rows if r.uncertain == uncertain and r.significant == significant]
                if not chosen:
                    continue
                axes.scatter(
                    [_when(r) for r in chosen],
                    [index] * len(chosen),
                    marker="*" if significant else "o",
                    s=160 if significant else 28,
                    facecolors="none" if uncertain else (_edge(colour) if not significant else "#c0392b"),
                    edgecolors="#c0392b" if significant else _edge(colour),
                    linewidths=1.0,
                    zorder=3,
                    label=None,
                )
    for band in episodes:
        shade = EPISODE_SHADES[(band.number - 1) % len(EPISODE_SHADES)]
        start = date2num(datetime.combine(band.start, datetime.min.time()))
        end = date2num(datetime.combine(band.end, datetime.max.time()))
        axes.axvspan(start, end, color=shade, alpha=0.18, zorder=0)
        axes.text(start, len(lanes) - 0.4, f"KPE {band.number}", fontsize=8, va="bottom", ha="left", color="#333333")
    axes.set_yticks(range(len(lanes)), [literal(name) for name, _ in lanes])
    axes.set_ylim(-0.6, max(len(lanes) - 0.4, 0.4) + 0.5)
    axes.invert_yaxis()
    locator = AutoDateLocator()
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    if rows:
        axes.xaxis_date()
    else:
        axes.text(0.5, 0.5, "No entries to show", transform=axes.transAxes, ha="center", va="center")
    axes.grid(axis="x", linestyle=":", linewidth=0.5)
    if title:
        axes.set_title(literal(title), fontsize=10)
    axes.scatter([], [], marker="o", c="#555555", s=28, label="event")
    axes.scatter([], [], marker="o", facecolors="none", edgecolors="#555555", s=28, label="uncertain date")
    axes.scatter([], [], marker="*", c="#c0392b", s=120, label="significant")
    axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    return fig


def episode_bands(episodes: Sequence[Any]) -> list[EpisodeBand]:
    """Bands from KeyPracticeEpisode records that have both ends of their period."""
    bands = []
    for episode in episodes:
        start, end = episode.period_from, episode.period_to
        if start and end:
            bands.append(EpisodeBand(episode.number, episode.title, start, end))
    return bands


def render(figure: Figure, fmt: str = "png", dpi: int = 150) -> bytes:
    """The figure as PNG or SVG bytes (saved by the caller with ``write_user_file``)."""
    fmt = fmt.lower().lstrip(".")
    if fmt not in ("png", "svg"):
        raise ValueError(f"timeline images are PNG or SVG, not {fmt!r}")
    buffer = io.BytesIO()
    metadata = {"Software": None} if fmt == "png" else {"Creator": None, "Date": None}
    figure.savefig(buffer, format=fmt, dpi=dpi, metadata=metadata)
    return buffer.getvalue()

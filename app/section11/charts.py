"""Seeing the whole partnership: heat map, self versus moderated, year on year, sectors.

The data functions return plain dataclasses (the GUI can show them as tables);
the figure functions draw them with matplotlib on a plain Figure (no GUI backend),
to be saved as PNG or SVG or placed in a PDF as vectors (app.office.vector_charts).
Every coloured cell or mark also carries text or shape: colour is never the only signal.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from statistics import mean
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy.orm import Session

from app.office.chart_text import literal
from app.section11.cycles import (
    assessments_of,
    cycle_scale,
    get_cycle,
    participants,
    previous_participant,
)
from app.section11.frameworks import standards_of
from app.section11.scales import AMBER, GREEN, GREY, RAG_COLOURS, RAG_LABELS, RED
from app.text import count_of
from db.models.core import Agency
from db.models.section11 import S11Standard

if TYPE_CHECKING:
    from matplotlib.figure import Figure

BETTER, SAME, WORSE, NEW = "better", "same", "worse", "new"
#: a standard the panel has not moderated this cycle: the agency's own score is not the panel's view,
#: so it is listed and not compared
NOT_MODERATED = "not-moderated"
CHANGE_LABELS = {
    BETTER: "Better",
    SAME: "Same",
    WORSE: "Worse",
    NEW: "No moderated score last cycle",
    NOT_MODERATED: "Not compared (not moderated yet)",
}
#: what the year-on-year comparison is, said wherever it is shown
YEAR_ON_YEAR_BASIS = (
    "The panel's moderated scores against last cycle's moderated scores (standards matched by lineage); "
    "self-assessed scores are never compared."
)


@dataclass(frozen=True)
class HeatCell:
    score: int | None
    #: what the cell shows: "2", "Mostly" or "-" (not moderated)
    text: str
    rag: str
    self_score: int | None


@dataclass(frozen=True)
class HeatMap:
    cycle: str
    scale: str
    #: short names of agencies (rows) and "S1".. (columns), with full titles for keys
    agencies: list[str]
    agency_names: list[str]
    sectors: list[str]
    standards: list[str]
    standard_titles: list[str]
    cells: list[list[HeatCell]]


def heat_map_data(session: Session, cycle_uuid: str) -> HeatMap:
    """Moderated score of every agency on every standard in use (agencies by name)."""
    cycle = get_cycle(session, cycle_uuid)
    scale = cycle_scale(cycle)
    standards = standards_of(session, cycle.framework_uuid)
    rows = []
    for participant in participants(session, cycle.uuid):
        agency = session.get(Agency, participant.agency_uuid)
        mine = assessments_of(session, participant.uuid)
        cells = []
        for standard in standards:
            a = mine.get(standard.uuid)
            moderated = a.moderated_score if a else None
            cells.append(HeatCell(moderated, scale.short(moderated), scale.rag(moderated), a.self_score if a else None))
        name = agency.name if agency else "(agency removed)"
        short = agency.short_name if agency else "?"
        rows.append(((short or name).casefold(), short, name, participant.sector, cells))
    rows.sort()
    return HeatMap(
        cycle.name,
        scale.name,
        [r[1] for r in rows],
        [r[2] for r in rows],
        [r[3] for r in rows],
        [f"S{s.number}" for s in standards],
        [s.title for s in standards],
        [r[4] for r in rows],
    )


def heat_map_figure(heat: HeatMap, width_mm: float = 170) -> Figure:
    """Agencies by standards, each cell coloured by RAG and carrying its score as text.

    One mesh for all the colours and a fixed layout (no constrained-layout pass over
    hundreds of labels): 60 agencies draw in well under a second.
    """
    import matplotlib
    from matplotlib.figure import Figure

    from app.office.vector_charts import CHART_STYLE, MM_PER_INCH

    n_rows, n_cols = max(1, len(heat.agencies)), max(1, len(heat.standards))
    cell_h = 6.0 if n_rows <= 20 else max(3.2, 120 / n_rows)
    height_mm = min(260, 30 + cell_h * n_rows)
    with matplotlib.rc_context(cast(Any, CHART_STYLE)):  # the stubs want literal rcParams keys
        figure = Figure(figsize=(width_mm / MM_PER_INCH, height_mm / MM_PER_INCH))
        label_mm = 4 + 1.6 * max([len(a) for a in heat.agencies] or [4])
        figure.subplots_adjust(
            left=min(0.4, label_mm / width_mm), right=0.98, top=1 - 16 / height_mm, bottom=12 / height_mm
        )
        _draw_heat_map(figure, heat, n_rows, n_cols, min(0.4, label_mm / width_mm))
    return figure


def _draw_heat_map(figure: Figure, heat: HeatMap, n_rows: int, n_cols: int, left: float) -> None:
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    ax = figure.add_subplot()
    order = [RED, AMBER, GREEN, GREY]
    codes = [[order.index(cell.rag) for cell in row] for row in heat.cells] or [[3]]
    ax.pcolormesh(
        codes,
        cmap=ListedColormap([RAG_COLOURS[k] for k in order]),
        vmin=-0.5,
        vmax=3.5,
        edgecolors="white",
        linewidth=1,
    )
    font = 7 if n_rows <= 20 and n_cols <= 14 else 5
    for r, row in enumerate(heat.cells):
        for c, cell in enumerate(row):
            ax.text(
                c + 0.5,
                r + 0.5,
                literal(cell.text),
                ha="center",
                va="center",
                fontsize=font,
                fontweight="bold" if cell.rag == RED else "normal",
            )
    ax.set_xlim(0, n_cols)
    ax.set_ylim(n_rows, 0)
    ax.set_xticks([c + 0.5 for c in range(len(heat.standards))], heat.standards)
    ax.set_yticks(
        [r + 0.5 for r in range(len(heat.agencies))], [literal(a) for a in heat.agencies], fontsize=font + 0.5
    )
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    ax.set_title(literal(f"{heat.cycle}: moderated scores ({heat.scale})"), loc="left", pad=18, wrap=True)
    # the legend says which rating the colours and numbers are: the panel's, never the agency's own
    handles = [
        Patch(facecolor=RAG_COLOURS[k], label=f"{RAG_LABELS[k]} (moderated)" if k != GREY else "Not moderated (-)")
        for k in order
    ]
    figure.legend(handles=handles, loc="lower left", ncol=4, frameon=False, bbox_to_anchor=(left - 0.01, 0))


@dataclass(frozen=True)
class SelfModeratedRow:
    agency: str
    agency_name: str
    self_mean: float | None
    moderated_mean: float | None
    #: standards where the panel scored lower / higher than the agency
    over_rated: int
    under_rated: int
    moderated: int


def self_vs_moderated(session: Session, cycle_uuid: str) -> list[SelfModeratedRow]:
    """Who over-rates: per agency the mean self and moderated scores over the standards moderated (the self mean
    over every self score while none is), and how many standards differ."""
    cycle = get_cycle(session, cycle_uuid)
    live_standards = {s.uuid for s in standards_of(session, cycle.framework_uuid)}
    out = []
    for participant in participants(session, cycle.uuid):
        agency = session.get(Agency, participant.agency_uuid)
        pairs = [
            (a.self_score, a.moderated_score)
            for a in assessments_of(session, participant.uuid).values()
            if a.standard_uuid in live_standards
        ]
        both = [(s, m) for s, m in pairs if s is not None and m is not None]
        # like with like: while moderation is under way both means are over the standards the panel has scored
        # (a self mean over nine standards against a moderated mean over one read as over-rating)
        compared_selfs = [s for s, _ in both] if both else [s for s, _ in pairs if s is not None]
        mods = [m for _, m in pairs if m is not None]
        out.append(
            SelfModeratedRow(
                agency.short_name if agency else "?",
                agency.name if agency else "?",
                mean(compared_selfs) if compared_selfs else None,
                mean(m for _, m in both) if both else None,
                sum(1 for s, m in both if m < s),
                sum(1 for s, m in both if m > s),
                len(mods),
            )
        )
    return sorted(out, key=lambda r: (-(r.over_rated - r.under_rated), r.agency_name.casefold()))


def _rows_top_down(
    figure: Figure, ax: Any, labels: list[str], *, x_label: str, title: str, legend_columns: int
) -> Figure:
    """Finish a chart of one horizontal row per label, first label at the top, its legend below the plot."""
    ax.set_yticks(range(len(labels)), [literal(label) for label in labels])
    ax.set_ylim(len(labels) - 0.5, -0.5)
    ax.set_xlabel(x_label)
    ax.set_title(literal(title), loc="left", wrap=True)
    figure.legend(loc="outside lower left", ncol=legend_columns, frameon=False)
    return figure


def self_vs_moderated_figure(
    rows: list[SelfModeratedRow], cycle: str, highest: int = 3, width_mm: float = 170
) -> Figure:
    from app.office.vector_charts import new_figure

    shown = [r for r in rows if r.self_mean is not None]
    figure = new_figure(width_mm, max(50, 22 + 7 * len(shown)))
    ax = figure.add_subplot()
    for y, row in enumerate(shown):
        if row.moderated_mean is not None:
            ax.plot([row.moderated_mean, row.self_mean], [y, y], color="#888888", linewidth=1.2, zorder=1)  # type: ignore[arg-type]  # both means set in this branch
            ax.scatter(
                [row.moderated_mean],
                [y],
                marker="s",
                s=30,
                color="#1f5fa8",
                zorder=2,
                label="Moderated (square)" if y == 0 else None,
            )
            gap = row.self_mean - row.moderated_mean  # type: ignore[operator]  # both means set in this branch
            note = f"over-rated on {row.over_rated}" if row.over_rated else "as moderated"
            ax.text(highest + 0.12, y, f"{note} ({gap:+.1f})", va="center", fontsize=6.5)
        else:
            ax.text(highest + 0.12, y, "not moderated yet", va="center", fontsize=6.5, style="italic")
        ax.scatter(
            [row.self_mean],  # type: ignore[arg-type]  # shown rows have a self mean
            [y],
            marker="o",
            s=30,
            facecolor="white",
            edgecolor="#c0392b",
            linewidth=1.5,
            zorder=3,
            label="Self-assessed (circle)" if y == 0 else None,
        )
    ax.set_xlim(-0.1, highest + 1.4)
    ax.set_xticks(range(highest + 1))
    ax.grid(axis="x", color="#dddddd", linewidth=0.5)
    return _rows_top_down(
        figure,
        ax,
        [r.agency for r in shown],
        x_label="Mean score across the standards",
        title=f"{cycle}: self-assessed against moderated (who over-rates)",
        legend_columns=2,
    )


@dataclass(frozen=True)
class YearOnYearRow:
    agency: str
    agency_name: str
    standard: str
    standard_title: str
    last: int | None
    now: int | None
    #: better / same / worse / new
    change: str
    change_label: str


def _moderated(a: Any) -> int | None:
    return None if a is None else a.moderated_score


def year_on_year(session: Session, cycle_uuid: str) -> list[YearOnYearRow]:
    """Each agency and standard against the cycle before, by lineage: moderated scores only.

    A standard the panel has not moderated this cycle is a row "not compared (not moderated yet)"
    with no scores: the agency's own score is not the panel's view and is never shown as a change.
    """
    cycle = get_cycle(session, cycle_uuid)
    standards = standards_of(session, cycle.framework_uuid)
    out = []
    for participant in participants(session, cycle.uuid):
        agency = session.get(Agency, participant.agency_uuid)
        mine = assessments_of(session, participant.uuid)
        before = previous_participant(session, participant)
        last: dict[str, object] = {}
        if before is not None:
            for a in assessments_of(session, before.uuid).values():
                standard = session.get(S11Standard, a.standard_uuid)
                if standard is not None:
                    last[standard.lineage] = a
        for standard in standards:
            now = _moderated(mine.get(standard.uuid))
            was = None if now is None else _moderated(last.get(standard.lineage))
            if now is None:
                change = NOT_MODERATED
            else:
                change = NEW if was is None else BETTER if now > was else WORSE if now < was else SAME
            out.append(
                YearOnYearRow(
                    agency.short_name if agency else "?",
                    agency.name if agency else "?",
                    f"S{standard.number}",
                    standard.title,
                    was,
                    now,
                    change,
                    CHANGE_LABELS[change],
                )
            )
    return sorted(out, key=lambda r: (r.agency_name.casefold(), int(r.standard[1:])))


def not_compared(rows: list[YearOnYearRow]) -> list[str]:
    """Agencies (full names) with no standard compared: the panel has not moderated them yet."""
    compared = {r.agency_name for r in rows if r.change != NOT_MODERATED}
    return sorted({r.agency_name for r in rows} - compared, key=str.casefold)


def year_on_year_summary(rows: list[YearOnYearRow], by: str = "agency") -> dict[str, dict[str, int]]:
    """Counts of better / same / worse / new / not moderated per agency (by="agency") or per standard."""
    out: dict[str, dict[str, int]] = defaultdict(lambda: {BETTER: 0, SAME: 0, WORSE: 0, NEW: 0, NOT_MODERATED: 0})
    for row in rows:
        out[row.agency if by == "agency" else row.standard][row.change] += 1
    return dict(out)


def year_on_year_figure(rows: list[YearOnYearRow], cycle: str, by: str = "agency", width_mm: float = 170) -> Figure:
    from app.office.vector_charts import new_figure

    summary = year_on_year_summary(rows, by)
    keys = list(summary)
    figure = new_figure(width_mm, max(50, 24 + 6 * len(keys)))
    ax = figure.add_subplot()
    left = [0] * len(keys)
    # no hatching: PDF charts draw no pattern fills, so each segment says in words what it is
    styles = (
        (BETTER, "#b9e4c5", "better"),
        (SAME, "#eeeeee", "same"),
        (WORSE, "#f4b6b0", "worse"),
        (NEW, "#ffffff", "new"),
    )
    for change, colour, word in styles:
        values = [summary[k][change] for k in keys]
        bars = ax.barh(
            range(len(keys)),
            values,
            left=left,
            color=colour,
            edgecolor="#555555",
            linewidth=0.5,
            label=CHANGE_LABELS[change],
        )
        for bar, value in zip(bars, values, strict=False):
            if value:
                ax.text(
                    bar.get_x() + bar.get_width() / 2,
                    bar.get_y() + bar.get_height() / 2,
                    f"{value} {word}",
                    ha="center",
                    va="center",
                    fontsize=6.5,
                    fontweight="bold",
                    bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"},
                )
        left = [ln + v for ln, v in zip(left, values, strict=False)]
    # what the panel has not moderated is said in words beside the bar, never counted in it
    widest = max(left or [0])
    for y, key in enumerate(keys):
        waiting = summary[key][NOT_MODERATED]
        if not waiting:
            continue
        if not left[y]:
            note = "not compared (not moderated yet)"
        elif by == "agency":
            note = f"{count_of(waiting, 'standard')} not moderated yet, not compared"
        else:
            note = f"{count_of(waiting, 'agency', 'agencies')} not moderated yet, not compared"
        ax.text(left[y] + widest * 0.02, y, note, va="center", fontsize=6.5, style="italic")
    ax.set_xlim(0, max(1, widest) * 1.6)
    ax.set_xticks([t for t in ax.get_xticks() if 0 <= t <= max(1, widest)])  # the notes' room counts nothing
    return _rows_top_down(
        figure,
        ax,
        keys,
        x_label="Standards" if by == "agency" else "Agencies",  # what each bar counts
        title=f"{cycle}: year on year by {by}, moderated scores only (better, same, worse)",
        legend_columns=4,
    )


@dataclass(frozen=True)
class SectorRow:
    sector: str
    agencies: int
    moderated_mean: float | None
    red: int
    amber: int
    green: int
    not_moderated: int
    over_rated: int


def sector_summary(session: Session, cycle_uuid: str) -> list[SectorRow]:
    heat = heat_map_data(session, cycle_uuid)
    by_sector: dict[str, list[list[HeatCell]]] = defaultdict(list)
    for sector, cells in zip(heat.sectors, heat.cells, strict=False):
        by_sector[sector or "(no sector)"].append(cells)
    out = []
    for sector, rows in sorted(by_sector.items()):
        cells = [c for row in rows for c in row]
        scores = [c.score for c in cells if c.score is not None]
        out.append(
            SectorRow(
                sector,
                len(rows),
                mean(scores) if scores else None,
                sum(c.rag == RED for c in cells),
                sum(c.rag == AMBER for c in cells),
                sum(c.rag == GREEN for c in cells),
                sum(c.rag == GREY for c in cells),
                sum(1 for c in cells if c.score is not None and c.self_score is not None and c.score < c.self_score),
            )
        )
    return out

"""The action log as a meeting-pack paper (registered in `app.actions.contributions`).

Overdue actions first, then by due date; filters: `body` (a board or subgroup:
the actions raised at its meetings), `source` (a source kind, e.g. section11),
`agency` (short name, name or id), `source_label` (text in the source's name,
e.g. a meeting's reference), `open_only` ("yes": closed actions left out). A
vector bar chart shows each agency's actions by RAG. Actions carry no
case-level chronology data.

This area knows nothing of bodies: the meetings area, which builds the pack,
answers a `body` filter by giving the records actions raised at that body's
meetings come from (its agenda items, deleted ones too) as `body_sources`
(comma-separated ids) and the body's name as `body_name`. An action from any
other source (a review, an audit, Section 11) belongs to no body, so a
body-filtered log leaves it out; without those ids the log is empty rather
than unfiltered.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from app.actions.queries import ActionRow, list_actions
from app.contributions import ACTION_SOURCES, ReportRequest
from app.text import count_of

CLOSED = ("closed_impact_evidenced", "closed_not_achieved", "superseded")
RAG_ORDER = ("red", "amber", "green", "blue", "grey")
RAG_COLOURS = {"red": "#c00000", "amber": "#e69500", "green": "#2e7d32", "blue": "#1f5fbf", "grey": "#888888"}


def select_rows(session: Session, request: ReportRequest) -> list[ActionRow]:
    rows = list_actions(session, request.as_of)
    wanted = request.filters
    if wanted.get("body"):
        sources = {uuid for uuid in wanted.get("body_sources", "").split(",") if uuid}
        rows = [r for r in rows if r.source_uuid in sources]
    if wanted.get("source"):
        rows = [r for r in rows if r.source_kind == wanted["source"]]
    if wanted.get("agency"):
        agency = wanted["agency"].casefold()
        rows = [r for r in rows if agency in (r.agency.casefold(), r.agency_name.casefold(), r.agency_uuid)]
    if wanted.get("source_label"):
        text = wanted["source_label"].casefold()
        rows = [r for r in rows if text in r.source_label.casefold()]
    if wanted.get("open_only", "").casefold() in ("yes", "true", "1"):
        rows = [r for r in rows if r.status not in CLOSED]
    return sorted(rows, key=lambda r: (not r.overdue, r.due, r.reference))


def filter_summary(filters: Mapping[str, str], rows: list[ActionRow] | None = None) -> str:
    """The chosen filters in words, for the log's readers ("" when none); `rows` name the agency."""
    parts = []
    if filters.get("body"):
        parts.append(f"actions raised at {filters.get('body_name') or 'the chosen body'}'s meetings")
    if filters.get("source"):
        source = ACTION_SOURCES.get(filters["source"])
        parts.append(f"source {source.label if source else filters['source']}")
    if filters.get("agency"):
        parts.append(f"owner {rows[0].agency if rows else filters['agency']}")
    if filters.get("source_label"):
        parts.append(f"source naming {filters['source_label']!r}")
    if filters.get("open_only", "").casefold() in ("yes", "true", "1"):
        parts.append("open actions")
    return "; ".join(parts)


def build(session: Session, request: ReportRequest) -> list[Any]:
    from reportlab.lib.units import mm

    from app.office.pdf_styles import grid_table, para, styles

    look = styles()
    rows = select_rows(session, request)
    story: list[Any] = [
        para("Action log", look.title),
        para(
            f"As at {request.as_of.strftime('%d/%m/%Y')}: {count_of(len(rows), 'action')}, "
            f"{sum(r.overdue for r in rows)} overdue (listed first)."
        ),
    ]
    chosen = filter_summary(request.filters, rows)
    if chosen:
        story.append(para(f"Showing only: {chosen}.", look.small))
    if rows:
        story.append(_rag_chart(rows))
    table = [["Ref", "Action", "Owner", "Due", "RAG", "Status", "Source"]]
    colours = {}
    for index, row in enumerate(rows, start=1):
        table.append(
            [
                row.reference,
                row.title,
                row.agency,
                row.due.strftime("%d/%m/%Y"),
                row.rag_text + (" (overdue)" if row.overdue else ""),
                row.status_label,
                row.source_display,
            ]
        )
        colours[(4, index)] = {"red": "#f4c7c3", "amber": "#fce8b2", "green": "#d9ead3", "blue": "#cfe2f3"}.get(
            row.rag.value, "#eeeeee"
        )
    if len(table) == 1:
        table.append(["", "No actions match this log's filters.", "", "", "", "", ""])
    # at 8 pt a date needs 20 mm, an owner (Probation) 18 mm, a source (LCSPR-2024-01) 27 mm: no word breaks
    widths = [17 * mm, 47 * mm, 18 * mm, 20 * mm, 21 * mm, 24 * mm, 27 * mm]
    story.append(grid_table(table, widths, cell_colours=colours))
    return story


def _rag_chart(rows: list[ActionRow]) -> Any:
    from matplotlib.ticker import MaxNLocator
    from reportlab.lib.units import mm

    from app.office.vector_charts import figure_flowable, new_figure

    by_agency: dict[str, Counter[str]] = {}
    for row in rows:
        by_agency.setdefault(row.agency, Counter())[row.rag.value] += 1
    agencies = sorted(by_agency)
    figure = new_figure(170, 60)
    axes = figure.add_subplot()
    bottom = [0] * len(agencies)
    for rag in RAG_ORDER:
        values = [by_agency[a][rag] for a in agencies]
        if any(values):
            axes.bar(agencies, values, bottom=bottom, label=rag.capitalize(), color=RAG_COLOURS[rag])
            bottom = [b + v for b, v in zip(bottom, values, strict=False)]
    axes.set_ylabel("Actions")
    axes.set_title("Actions by owner and RAG")
    axes.set_ylim(0, max(bottom, default=0) * 1.3 + 1)  # headroom: the legend never covers the tallest bar
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts of actions: no 2.5
    axes.legend(ncols=5, loc="upper right", frameon=False)
    return figure_flowable(figure, 170 * mm)

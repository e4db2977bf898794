"""The reviews register with its statutory clocks as a meeting-pack paper (registered in
`app.reviews.contributions`).

One line per live review: reference, kind, subject pseudonym (never a name),
status and every clock with its due date and state; overdue reviews first.
Filter `kind` (e.g. rapid_review). No chronology entry appears, only counts.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.contributions import ReportRequest
from app.reviews.register import register
from app.text import count_of


def build(session: Session, request: ReportRequest) -> list[Any]:
    from reportlab.lib.units import mm

    from app.office.pdf_styles import grid_table, para, styles

    look = styles()
    rows = register(session, request.as_of)
    if request.filters.get("kind"):
        rows = [r for r in rows if r.kind == request.filters["kind"]]
    rows.sort(key=lambda r: (not r.overdue, not r.due_soon, r.reference))
    story: list[Any] = [
        para("Reviews register and statutory clocks", look.title),
        para(
            f"As at {request.as_of.strftime('%d/%m/%Y')}: {count_of(len(rows), 'review')}, "
            f"{sum(r.overdue for r in rows)} with an overdue clock (listed first). "
            "Working days exclude English bank holidays."
        ),
    ]
    table = [["Reference", "Kind", "Subject", "Status", "Clocks (due, state)"]]
    colours = {}
    for index, row in enumerate(rows, start=1):
        clocks = (
            "\n".join(
                f"{c.name}: {c.due.strftime('%d/%m/%Y')}, "
                + (f"done {c.done.strftime('%d/%m/%Y')}" if c.done else c.state.replace("-", " "))
                + (" (statutory)" if c.statutory else "")
                for c in row.clocks
            )
            or "none"
        )
        table.append([row.reference, row.kind_label, row.subject_pseudonym, row.status_label, clocks])
        if row.overdue:
            colours[(4, index)] = "#f4c7c3"
    if len(table) == 1:
        table.append(["", "No reviews.", "", "", ""])
    story.append(grid_table(table, [28 * mm, 34 * mm, 28 * mm, 26 * mm, 58 * mm], cell_colours=colours))
    return story

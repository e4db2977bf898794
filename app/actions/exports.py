"""Tracker exports: XLSX and PDF, grouped by source, RAG as colour AND words.

Every PDF page carries OFFICIAL-SENSITIVE in its header and footer and "Page x
of y". Spreadsheet text is neutralised so that nothing an agency typed runs as
a formula. Files are written atomically, only where the user asked.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date
from itertools import groupby
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from app.actions.queries import ActionRow
from app.clock import uk
from app.errors import InvalidInput
from app.office.pdf_pages import MARKING, SIDE_MARGIN, landscape_document, numbered_canvas
from app.office.xlsx_marking import mark_sheet
from app.office.xlsx_memory import workbook_bytes
from app.store.user_files import check_user_target, write_user_file
from app.text import count_of

FORMATS = ("xlsx", "pdf")

COLUMNS = (
    "Reference",
    "Action",
    "Owner agency",
    "Lead officer",
    "Due",
    "Status",
    "RAG",
    "Success measure",
    "Latest progress",
    "Evidence of impact",
    "Closure approved",
)


def group_by_source(rows: Iterable[ActionRow]) -> list[tuple[str, list[ActionRow]]]:
    """Groups titled "Kind: label", in a stable order (kind, label), actions by reference inside."""
    ordered = sorted(rows, key=lambda r: (r.source_group, r.reference))
    return [
        (members[0].source_group_title, members)
        for members in (list(g) for _key, g in groupby(ordered, key=lambda r: r.source_group))
    ]


def _cells(row: ActionRow) -> list[str]:
    progress = f"{uk(row.last_progress_on)} {row.last_progress}".strip() if row.last_progress else ""
    evidence = row.impact_evidence
    if row.evidence_files:
        evidence = f"{evidence} ({count_of(row.evidence_files, 'file')})".strip()
    approval = ""
    if row.approved_by:
        approval = f"{row.approved_by}, {row.approved_at_meeting}, {uk(row.approved_on)}"
    if row.closure_reason:
        approval = f"{approval} Reason: {row.closure_reason}".strip()
    return [
        row.reference,
        row.title,
        row.agency_name,
        row.lead_officer,
        uk(row.due),
        row.status_label,
        row.rag_text,
        row.success_measure,
        progress,
        evidence,
        approval,
    ]


# -- XLSX ------------------------------------------------------------------------


def xlsx_bytes(rows: Sequence[ActionRow], title: str, today: date) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = "Action tracker"
    mark_sheet(sheet)
    sheet.append([f"{title} - {count_of(len(rows), 'action')} - exported {uk(today)}"])
    sheet.append(list(COLUMNS))
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    rag_column = COLUMNS.index("RAG") + 1
    for group_title, members in group_by_source(rows):
        sheet.append([f"{group_title} ({len(members)})"])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True, size=12)
        for row in members:
            sheet.append(list(_cells(row)))
            rag_cell = sheet.cell(row=sheet.max_row, column=rag_column)
            rag_cell.fill = PatternFill("solid", fgColor=row.rag.colour.lstrip("#").upper())
            rag_cell.font = Font(bold=True)
            for cell in sheet[sheet.max_row]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEFGHIJK", (11, 50, 28, 20, 11, 24, 18, 36, 40, 40, 30), strict=False):
        sheet.column_dimensions[letter].width = width
    return workbook_bytes(book)  # no temporary file: openpyxl's own save writes one per sheet


# -- PDF -------------------------------------------------------------------------


def pdf_bytes(rows: Sequence[ActionRow], title: str, today: date) -> bytes:
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    from app.office.pdf_styles import heading_kept_with_table, markup

    styles = getSampleStyleSheet()
    widths = pdf_column_widths()
    story: list[Any] = [
        Paragraph(markup(title, styles["Title"]), styles["Title"]),
        Paragraph(
            escape(f"{count_of(len(rows), 'action')}, grouped by source. RAG is shown as a colour and a word."),
            styles["BodyText"],
        ),
        Spacer(1, 4 * mm),
    ]
    for group_title, members in group_by_source(rows):
        heading = Paragraph(markup(f"{group_title} ({len(members)})", styles["Heading3"]), styles["Heading3"])
        table: list[list[str]] = [list(PDF_COLUMNS)]
        for row in members:
            cells = _cells(row)
            table.append([*cells[:9], " ".join(part for part in (cells[9], cells[10]) if part)])
        # a group's heading never stands alone at the foot of a page: it goes over with the table's first rows
        colours = {(COLUMNS.index("RAG"), index): row.rag.colour for index, row in enumerate(members, start=1)}
        story += heading_kept_with_table([heading], table, widths, cell_colours=colours)
        story.append(Spacer(1, 4 * mm))
    if not rows:
        story.append(Paragraph("No actions match.", styles["BodyText"]))
    buffer = io.BytesIO()
    document = landscape_document(buffer, title, subject=MARKING)
    document.build(story, canvasmaker=numbered_canvas(bottom_left=f"Exported {uk(today)}"))
    return buffer.getvalue()


#: The PDF keeps the spreadsheet's columns but prints evidence of impact and closure approval as one.
PDF_COLUMNS = (*COLUMNS[:9], "Evidence of impact / closure")
PDF_MARGIN = SIDE_MARGIN
#: the font the shared grid table sets cells in (`app.office.pdf_styles.styles().cell`), for measuring them
PDF_CELL_FONT = ("Helvetica", 7.5)


def pdf_column_widths() -> list[float]:
    """Relative shares scaled to the landscape page's text width: the table can never run off the page."""
    from reportlab.lib.pagesizes import A4, landscape

    shares = [19, 46, 22, 22, 19, 22, 19, 32, 36, 36]
    text_width = landscape(A4)[0] - 2 * PDF_MARGIN
    return [share * text_width / sum(shares) for share in shares]


def export_tracker(
    rows: Sequence[ActionRow],
    fmt: str,
    out: Path,
    *,
    title: str = "Action tracker",
    today: date | None = None,
    overwrite: bool = False,
) -> Path:
    """Write the tracker to the file the user chose (`write_user_file`) as xlsx or pdf."""
    fmt = fmt.strip().casefold()
    if fmt not in FORMATS:
        raise InvalidInput(f"Unknown export format {fmt!r}. Use xlsx or pdf.")
    out = Path(out)
    check_user_target(out, overwrite=overwrite)
    today = today or date.today()
    data = xlsx_bytes(rows, title, today) if fmt == "xlsx" else pdf_bytes(rows, title, today)
    write_user_file(out, data, overwrite=overwrite)
    return out

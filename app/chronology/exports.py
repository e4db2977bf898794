"""Exports of a review's integrated chronology: XLSX, DOCX, PDF and CSV.

These explicit exports are the only way chronology content leaves the
encrypted workspace in plaintext, so each one:

* is written atomically, mode 0600, to the path the user chose, with no temporary
  copy elsewhere, through ``app.store.user_files.write_user_file`` (never inside a
  workspace folder, onto a device or over a file without ``overwrite``);
* is optionally anonymised: every text goes through the review's people register
  and glossary, and the export is refused (``InvalidInput``) while either scan
  has a finding the reviewer has neither resolved nor decided (decisions are
  stored with who and when: ``app.chronology.people``; nothing is accepted for
  one export only);
* neutralises text a spreadsheet would run as a formula (XLSX: a quote-prefixed text cell; CSV: an apostrophe);
* is marked OFFICIAL-SENSITIVE (DOCX and PDF on every page; the PDF also
  numbers pages "Page x of y" and names the review in the header).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from app.chronology.anonymise import Anonymiser
from app.chronology.people import require_anonymisable
from app.chronology.rows import DATE_MARKS_KEY, EntryRow, date_label, load_rows
from app.errors import InvalidInput
from app.office.pdf_pages import MARKING, SIDE_MARGIN, landscape_document, numbered_canvas
from app.office.safe_cells import neutralise
from app.office.xlsx_memory import workbook_bytes
from app.reviews.analysis import list_episodes
from app.reviews.register import get_review
from app.store.user_files import check_user_target, write_user_file

FORMATS = ("xlsx", "docx", "pdf", "csv")

#: (heading, function of the row) for every exported column, in order.
COLUMNS: tuple[str, ...] = (
    "Seq",
    "Date",
    "Time",
    "End",
    "Agency",
    "Source of information",
    "Event / contact",
    "Child seen",
    "Child's voice",
    "Action / outcome",
    "Agency analysis",
    "Reviewer comment",
    "Significant",
    "Age",
    "Episodes",
)
#: Columns the DOCX and PDF tables leave out: the full set is too wide for a page. The panel reads the
#: child's voice and the significant events, so those two are printed.
NOT_PRINTED: frozenset[str] = frozenset({"End", "Age", "Episodes"})
#: Columns the DOCX and PDF tables show, in export order.
PRINT_COLUMNS: tuple[str, ...] = tuple(heading for heading in COLUMNS if heading not in NOT_PRINTED)


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("Yes" if value else "No")


@dataclass(frozen=True)
class ExportData:
    """What every format renders: a title, the review reference and a grid of text."""

    reference: str
    title: str
    subject: str
    anonymised: bool
    header: tuple[str, ...]
    rows: list[list[str]]

    def columns(self, names: Sequence[str]) -> tuple[list[str], list[list[str]]]:
        index = [self.header.index(n) for n in names]
        return list(names), [[row[i] for i in index] for row in self.rows]


def _row_cells(row: EntryRow, episode_numbers: dict[str, int]) -> list[str]:
    voice = _yes_no(row.child_voice)
    if row.child_voice_note:
        voice = f"{voice}: {row.child_voice_note}" if voice else row.child_voice_note
    episodes = ", ".join(f"KPE {n}" for n in sorted(episode_numbers[e] for e in row.episodes if e in episode_numbers))
    return [
        str(row.sequence),
        date_label(row.date_text, row.date.precision),
        row.start_time or "",
        row.end_text,
        row.agency,
        row.source,
        row.event,
        _yes_no(row.child_seen),
        voice,
        row.action_outcome,
        row.agency_analysis,
        row.reviewer_comment,
        "Yes" if row.significant else "",
        row.age_text,
        episodes,
    ]


def collect(
    session: Session,
    review_uuid: str,
    *,
    anonymised: bool = False,
    agency_uuids: Iterable[str] = (),
) -> ExportData:
    """The export grid of a review; anonymised exports first pass the identifying-data scan."""
    review = get_review(session, review_uuid)
    anonymiser = None
    if anonymised:
        require_anonymisable(session, review.uuid)
        anonymiser = Anonymiser.for_review(session, review.uuid)
    rows = load_rows(session, review.uuid, anonymiser=anonymiser)
    wanted = set(agency_uuids)
    if wanted:
        rows = [r for r in rows if r.agency_uuid in wanted]
    numbers = {e.uuid: e.number for e in list_episodes(session, review.uuid)}
    clean = anonymiser.apply if anonymiser else (lambda t: t)
    return ExportData(
        review.reference,
        clean(review.title),
        clean(review.subject_pseudonym),
        anonymised,
        COLUMNS,
        [_row_cells(r, numbers) for r in rows],
    )


# -- renderers: ExportData -> bytes ------------------------------------------------------


def render_csv(data: ExportData) -> bytes:
    """UTF-8 with BOM (Excel reads accents), every cell neutralised against formula injection."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(data.header)
    for row in data.rows:
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def render_xlsx(data: ExportData) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Chronology"
    sheet.append([f"{data.reference}: {data.title} ({data.subject})" + (" - anonymised" if data.anonymised else "")])
    sheet.append([MARKING])
    sheet.append(list(data.header))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in data.rows:
        sheet.append(list(row))  # formula-like text: a quote-prefixed text cell (workbook_bytes)
    sheet.freeze_panes = "A4"
    widths = {
        "Event / contact": 60,
        "Action / outcome": 40,
        "Agency analysis": 40,
        "Reviewer comment": 40,
        "Source of information": 24,
        "Child's voice": 24,
    }
    for index, name in enumerate(data.header, start=1):
        letter = sheet.cell(row=3, column=index).column_letter
        sheet.column_dimensions[letter].width = widths.get(name, 12)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows(min_row=4):
        for cell in row:
            cell.alignment = wrap
    return workbook_bytes(book)  # no temporary file: openpyxl's own save writes one per sheet


#: The width of a printed table: landscape A4 between 12 mm side margins, points (PDF and DOCX alike).
PRINT_WIDTH = 297 * 72 / 25.4 - 2 * SIDE_MARGIN


def _printed(data: ExportData) -> tuple[list[str], list[list[str]], list[float]]:
    """The printed columns, their cells and their widths (points) across the page.

    Widths come from the panel PDF's rule (no column narrower than its heading's longest word or its
    longest date), not fixed weights, which set "Se q" and "Significa nt" once the columns grew; dates,
    times and numbers are kept on one line with their marks."""
    from app.chronology.panel_pdf import UNBROKEN_COLUMNS, chronology_widths, unbroken

    header, rows = data.columns(PRINT_COLUMNS)
    whole = [name in UNBROKEN_COLUMNS for name in header]
    rows = [[unbroken(text) if keep else text for text, keep in zip(row, whole, strict=True)] for row in rows]
    return header, rows, chronology_widths(header, rows, PRINT_WIDTH)


def _page_field(paragraph: Any, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in on each page; "1" shows until it does."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def element(tag: str, text: str | None = None, kind: str | None = None) -> Any:
        made = OxmlElement(tag)
        if kind is not None:
            made.set(qn("w:fldCharType"), kind)
        if text is not None:
            made.set(qn("xml:space"), "preserve")
            made.text = text
        return made

    for part in (
        element("w:fldChar", kind="begin"),
        element("w:instrText", f" {instruction} "),
        element("w:fldChar", kind="separate"),
        element("w:t", "1"),
        element("w:fldChar", kind="end"),
    ):
        paragraph.add_run()._r.append(part)


def render_docx(data: ExportData) -> bytes:
    """A landscape A4 Word table whose header row repeats on each page, for the report writer.

    Columns are as wide as in the PDF (Word's autofit would squeeze the headings); the footer numbers
    the pages "Page x of y" with Word's own fields, and a key under the title explains the date marks."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, Twips

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(12))
    section.header.paragraphs[0].text = f"{MARKING}    {data.reference}"
    footer = section.footer.paragraphs[0]
    footer.text = f"{MARKING}    Page "
    _page_field(footer, "PAGE")
    footer.add_run(" of ")
    _page_field(footer, "NUMPAGES")
    document.add_heading(f"{data.reference}: {data.title}", level=1)
    document.add_paragraph(
        f"Integrated multi-agency chronology, {data.subject}" + (" (anonymised)" if data.anonymised else "")
    )
    key = document.add_paragraph(DATE_MARKS_KEY)
    for run in key.runs:
        run.font.size = Pt(9)
    header, rows, widths = _printed(data)
    twips = [Twips(round(width * 20)) for width in widths]
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.autofit = False
    for column, width in zip(table.columns, twips, strict=True):
        column.width = width
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    for row in table.rows:  # Word lays a cell out by its own width, not the grid's
        for cell, width in zip(row.cells, twips, strict=True):
            cell.width = width
    for paragraph in (p for row in table.rows for c in row.cells for p in c.paragraphs):
        for run in paragraph.runs:  # the widths are measured in Helvetica 7.5 pt, whose metrics Arial has
            run.font.name, run.font.size = "Arial", Pt(7.5)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_pdf(data: ExportData) -> bytes:
    """Landscape A4; OFFICIAL-SENSITIVE at top and bottom of every page, reference in the header, page x of y."""
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import LongTable, Paragraph, Spacer, TableStyle

    from app.office.pdf_styles import markup, para, styles

    look = styles()
    header, rows, widths = _printed(data)
    grid = [[para(h, look.cell_bold) for h in header]]
    grid += [[para(text, look.cell) for text in row] for row in rows]
    table = LongTable(grid, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    buffer = io.BytesIO()
    document = landscape_document(buffer, f"{data.reference} chronology")
    title = Paragraph(markup(f"{data.reference}: {data.title}", look.heading), look.heading)
    subtitle = para(
        f"Integrated multi-agency chronology, {data.subject}" + (" (anonymised)" if data.anonymised else ""),
        look.body,
    )
    key = para(DATE_MARKS_KEY, look.small)
    document.build(
        [title, subtitle, key, Spacer(1, 3 * mm), table], canvasmaker=numbered_canvas(top_left=data.reference)
    )
    return buffer.getvalue()


RENDERERS = {"xlsx": render_xlsx, "docx": render_docx, "pdf": render_pdf, "csv": render_csv}


def export_chronology(
    session: Session,
    review_uuid: str,
    fmt: str,
    out: str | Path,
    *,
    anonymised: bool = False,
    agency_uuids: Iterable[str] = (),
    overwrite: bool = False,
) -> Path:
    """Render the review's chronology in ``fmt`` and write it to ``out`` (``write_user_file``). Returns the path."""
    fmt = fmt.lower().lstrip(".")
    if fmt not in RENDERERS:
        raise InvalidInput(f"Unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}.")
    check_user_target(Path(out), overwrite=overwrite)  # refused before the rendering, not after
    data = collect(session, review_uuid, anonymised=anonymised, agency_uuids=agency_uuids)
    return write_user_file(Path(out), RENDERERS[fmt](data), overwrite=overwrite)


def export_stamp(today: date | None = None) -> str:
    """A date for default export file names (no case data in names)."""
    return (today or date.today()).strftime("%Y%m%d")

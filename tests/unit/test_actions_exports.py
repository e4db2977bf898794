"""Tracker exports: grouped by source, RAG as colour and words, marking on every PDF page."""

from __future__ import annotations

import base64
import re
import zlib
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest

from app.actions.exports import (
    MARKING,
    PDF_CELL_FONT,
    PDF_COLUMNS,
    PDF_MARGIN,
    export_tracker,
    group_by_source,
    pdf_column_widths,
)
from app.actions.queries import list_actions
from app.actions.service import add_action
from app.actions.sources import AUDIT, INSPECTION, SourceRef
from app.agencies import add_agency
from app.errors import InvalidInput
from app.store.workspace import Workspace

TODAY = date.today()


def pdf_page_texts(data: bytes) -> tuple[int, list[str]]:
    """Page count and the decoded content stream of each page (reportlab: ASCII85 + Flate)."""
    pages = len(re.findall(rb"/Type /Page\b(?!s)", data))
    texts = []
    for raw in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S):
        raw = raw.strip()
        decoded = zlib.decompress(base64.a85decode(raw[:-2]) if raw.endswith(b"~>") else raw)
        text = decoded.decode("latin-1")
        if " Tj" in text or "TJ" in text:
            texts.append(text)
    return pages, texts


@pytest.fixture
def rows(workspace: Workspace) -> list:
    with workspace.unit_of_work() as uow:
        add_agency(uow, "Northbridge Children's Social Care", "CSC")
        for number in range(45):
            add_action(
                uow,
                title=f"Action number {number} with a fairly long description to wrap the cell",
                owner="CSC",
                due=TODAY + timedelta(days=number * 3 - 20),
                source=SourceRef(
                    INSPECTION if number % 2 else AUDIT, "Ofsted ILACS 2025" if number % 2 else "Neglect audit"
                ),
            )
        add_action(uow, title='=HYPERLINK("http://evil","click")', owner="CSC", due=TODAY)
    with workspace.reading() as session:
        return list_actions(session, TODAY)


def test_groups_by_source(rows: list) -> None:
    titles = [title for title, _ in group_by_source(rows)]
    assert titles == ["External inspection: Ofsted ILACS 2025", "Multi-agency audit: Neglect audit", "No source"]


def test_xlsx_rag_has_colour_and_text_and_formulas_are_neutralised(rows: list, tmp_path: Path) -> None:
    out = export_tracker(rows, "xlsx", tmp_path / "tracker.xlsx", today=TODAY)
    sheet = openpyxl.load_workbook(out).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == MARKING
    header = values[2]
    rag_col = header.index("RAG")
    data_rows = [
        (row, sheet.cell(row=i + 1, column=rag_col + 1))
        for i, row in enumerate(values)
        if row[0] and str(row[0]).startswith("ACT-")
    ]
    assert len(data_rows) == 46
    labels = {cell.value for _, cell in data_rows}
    assert {"Red", "Amber", "Green"} <= labels
    red = next(cell for _, cell in data_rows if cell.value == "Red")
    assert red.fill.fgColor.rgb.endswith("F4A6A6")
    evil_row = next(i for i, (row, _) in enumerate(data_rows) if "HYPERLINK" in str(row[1]))
    evil = sheet.cell(row=values.index(data_rows[evil_row][0]) + 1, column=2)
    # shown as typed (no apostrophe), stored as text with the quote prefix: never run as a formula
    assert evil.value.startswith("=HYPERLINK") and evil.data_type == "s" and evil.quotePrefix
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)
    assert not any(isinstance(v, str) and v.startswith("'") for row in values for v in row)
    assert (tmp_path / "tracker.xlsx").stat().st_mode & 0o077 == 0


def test_pdf_marks_every_page_and_numbers_them(rows: list, tmp_path: Path) -> None:
    out = export_tracker(rows, "pdf", tmp_path / "tracker.pdf", today=TODAY)
    pages, texts = pdf_page_texts(out.read_bytes())
    assert pages >= 2 and len(texts) == pages
    for number, text in enumerate(texts, start=1):
        assert text.count(f"({MARKING})") >= 2, f"page {number} lacks the marking in header and footer"
        assert f"(Page {number} of {pages})" in text
    body = "".join(texts)
    assert "(Red)" in body and "(Amber)" in body and "(Green)" in body


def test_unknown_format_and_missing_folder_write_nothing(rows: list, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(InvalidInput, match="Unknown export format 'docx'"):
        export_tracker(rows, "docx", out / "t.docx")
    with pytest.raises(InvalidInput, match="does not exist"):
        export_tracker(rows, "pdf", out / "nowhere" / "t.pdf")
    assert list(out.iterdir()) == []


def test_pdf_table_fits_the_page_and_never_splits_references_or_dates(rows: list, tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfbase.pdfmetrics import stringWidth

    widths = pdf_column_widths()
    assert sum(widths) <= landscape(A4)[0] - 2 * PDF_MARGIN + 0.01
    padding = 2 * 6  # reportlab's default cell padding, left and right
    column = dict(zip(PDF_COLUMNS, widths, strict=False))
    for name, widest in (
        ("Reference", max(rows, key=lambda r: len(r.reference)).reference),
        ("Due", "28/08/2028"),
        ("RAG", "(override)"),
    ):
        assert stringWidth(widest, *PDF_CELL_FONT) + padding <= column[name], name
    out = export_tracker(rows, "pdf", tmp_path / "tracker.pdf", today=TODAY)
    body = "".join(pdf_page_texts(out.read_bytes())[1])
    for row in rows:
        assert f"({row.reference})" in body and f"({row.due.strftime('%d/%m/%Y')})" in body

"""Save an openpyxl workbook to bytes without any temporary file.

openpyxl 3.1 writes each worksheet's XML to a named temporary file before
zipping it, even when saving to a buffer: the whole chronology would sit in
plaintext in the temp folder (and stay there after a crash). This writer keeps
each sheet in memory instead. Written by hand because openpyxl has no option
for it; the override is one method and checked by a test that fails if
openpyxl's temporary-file helper is ever called.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter

from app.clock import utc_now


class _InMemoryWorksheetWriter(WorksheetWriter):
    def __init__(self, ws: Any) -> None:
        super().__init__(ws, out=BytesIO())

    def cleanup(self) -> None:  # nothing on disk to remove
        pass


class _InMemoryExcelWriter(ExcelWriter):
    def write_worksheet(self, ws: Any) -> None:
        if self.workbook.write_only:
            raise ValueError("write-only workbooks keep temporary files; build a normal Workbook")
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        writer = _InMemoryWorksheetWriter(ws)
        writer.write()
        ws._rels = writer._rels
        self._archive.writestr(ws.path[1:], writer.out.getvalue())
        self.manifest.append(ws)


def workbook_bytes(book: Workbook) -> bytes:
    from app.office.safe_cells import protect_workbook

    protect_workbook(book)  # no text cell leaves as a formula (issue 13's "'+12.0 pts" cells)
    buffer = BytesIO()
    archive = ZipFile(buffer, "w", ZIP_DEFLATED, allowZip64=True)
    book.properties.modified = utc_now().replace(tzinfo=None)
    _InMemoryExcelWriter(book, archive).save()
    return buffer.getvalue()

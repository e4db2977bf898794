"""The protective marking every exported workbook sheet carries: in its printed header and footer,
and as its first row (bold, red), so neither a printout nor the open file can lose it."""

from __future__ import annotations

from typing import Any

from app.office.pdf_pages import MARKING


def mark_sheet(sheet: Any) -> None:
    """Mark an empty openpyxl worksheet; what the caller appends next starts on row 2."""
    from openpyxl.styles import Font

    sheet.oddHeader.center.text = MARKING
    sheet.oddFooter.center.text = f"{MARKING} - page &P of &N"
    sheet.append([MARKING])
    sheet["A1"].font = Font(bold=True, color="C00000")

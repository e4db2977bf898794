"""Page furniture shared by every PDF the workbench prints.

OFFICIAL-SENSITIVE at the top and bottom of every page and "Page x of y",
which needs the page count: reportlab's canvas keeps each page's state and
draws the furniture when the document is saved (the "NumberedCanvas" recipe).
reportlab is imported only when a PDF is made, to keep start-up quick.
"""

from __future__ import annotations

from typing import Any

MARKING = "OFFICIAL-SENSITIVE"
#: The side margins of a landscape table document: 12 mm, in points.
SIDE_MARGIN = 12 * 72 / 25.4


def landscape_document(buffer: Any, title: str, **metadata: str) -> Any:
    """A landscape A4 document for wide tables: 12 mm at the sides, room for the furniture above and
    below; `metadata` adds e.g. subject."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    return SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=SIDE_MARGIN,
        rightMargin=SIDE_MARGIN,
        topMargin=16 * mm,
        bottomMargin=14 * mm,
        title=title,
        author="Safeguarding Workbench",
        **metadata,
    )


def numbered_canvas(top_left: str = "", bottom_left: str = "", *, portrait: bool = False) -> Any:
    """A reportlab canvas class for A4 (landscape unless `portrait`); `top_left` and `bottom_left`
    are small notes (a review reference, an export date)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    from app.office.pdf_styles import font_for

    page_width, page_height = A4 if portrait else landscape(A4)

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._furniture(number, total)
                super().showPage()
            super().save()

        def _furniture(self, number: int, total: int) -> None:
            self.saveState()
            self.setFont("Helvetica-Bold", 10)
            self.setFillColor(colors.HexColor("#c00000"))
            self.drawCentredString(page_width / 2, page_height - 10 * mm, MARKING)
            self.drawCentredString(page_width / 2, 7 * mm, MARKING)
            self.setFillColor(colors.black)
            for text, y in ((top_left, page_height - 10 * mm), (bottom_left, 7 * mm)):
                if text:  # e.g. a review's title, which can hold letters Helvetica lacks
                    self.setFont(font_for(text, "Helvetica"), 8)
                    self.drawString(12 * mm, y, text)
            self.setFont("Helvetica", 8)
            self.drawRightString(page_width - 12 * mm, 7 * mm, f"Page {number} of {total}")
            self.restoreState()

    return NumberedCanvas

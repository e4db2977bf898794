"""Marks drawn over finished PDF pages: the pack's furniture and each recipient's watermark.

The furniture is a few text operators in the standard fonts; a recipient's watermark is drawn once by
reportlab (`draw_watermark`, in DejaVu Sans where a name needs it) and shown on every page as a shared
Form XObject (`Stamper.attach_form`, app/meetings/copies.py).

Why content streams and not re-rendering: a meeting pack is mostly other
people's PDFs. Appending a few text operators to each page (wrapped so the
paper's own graphics state cannot leak into ours) costs microseconds per page,
keeps the papers' own content byte for byte, and lets a recipient's copy be a
stamp of the built pack rather than a rebuild.

Rotated pages (/Rotate 90, 180, 270) get their marks through a matrix that
maps the page as seen (upright) onto the page's own coordinates, so the
marking always reads upright at the top and bottom of the page as printed.
The furniture's layout and wording follow `app.office.pdf_pages` (the same
OFFICIAL-SENSITIVE marking and "Page x of y" as every other workbench PDF).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from app.office.pdf_pages import MARKING

MM = 72 / 25.4
FONT = "/WbHelv"
BOLD = "/WbHelvB"


@lru_cache(maxsize=4096)
def _width(text: str, font: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(winansi(text), font, size)


#: letters WinAnsi lacks that do not decompose into a base letter and an accent
_NEAREST = str.maketrans({"Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Ħ": "H", "ħ": "h", "ı": "i", "Ŀ": "L", "ŀ": "l"})


def winansi(text: str) -> str:
    """`text` as the standard fonts can draw it: a letter WinAnsi lacks becomes its nearest plain letter
    (a body named "Łódź board" reads "Lodz board" in the footer note, not "?ód? board"; names in a member's
    watermark are drawn as written, by `draw_watermark`)."""
    import unicodedata

    out = []
    for char in text.translate(_NEAREST):
        try:
            char.encode("cp1252")
        except UnicodeEncodeError:
            base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
            char = base if base and all(c.encode("cp1252", "ignore") for c in base) else "?"
        out.append(char)
    return "".join(out)


def pdf_string(text: str) -> bytes:
    """A PDF literal string in WinAnsi (the standard fonts' encoding); characters it lacks become their
    nearest plain letter, or '?'."""
    raw = winansi(text).encode("cp1252", "replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


@dataclass(frozen=True)
class Furniture:
    """What the marks say on one page."""

    number: int
    total: int
    #: e.g. "Item 3" (top left)
    item: str = ""
    #: e.g. "QA subgroup 12/03/2026, version 2" (bottom left)
    note: str = ""


def _visual_box(page: Any) -> tuple[float, float, float, float, int]:
    box = [float(v) for v in page.cropbox]
    x0, y0, x1, y1 = min(box[0], box[2]), min(box[1], box[3]), max(box[0], box[2]), max(box[1], box[3])
    rotate = int(page.obj.get("/Rotate", 0)) % 360
    return x0, y0, x1 - x0, y1 - y0, rotate


def upright_matrix(x0: float, y0: float, width: float, height: float, rotate: int) -> tuple[float, ...]:
    """`cm` operands mapping upright (as-displayed) coordinates onto the page's own space."""
    if rotate == 90:
        return (0, 1, -1, 0, x0 + width, y0)
    if rotate == 180:
        return (-1, 0, 0, -1, x0 + width, y0 + height)
    if rotate == 270:
        return (0, -1, 1, 0, x0, y0 + height)
    return (1, 0, 0, 1, x0, y0)


def _number(value: float) -> bytes:
    return (f"{value:.2f}".rstrip("0").rstrip(".") or "0").encode()


def _text(font: str, size: float, x: float, y: float, text: str, *, align: str = "left") -> bytes:
    width = _width(text, "Helvetica-Bold" if font == BOLD else "Helvetica", size)
    if align == "centre":
        x -= width / 2
    elif align == "right":
        x -= width
    # a white band so the mark stays legible over a paper's own content
    band = b"1 g " + b" ".join(_number(v) for v in (x - 1.5, y - 2, width + 3, size + 2.5)) + b" re f "
    return band + (
        b"BT "
        + font.encode()
        + b" "
        + _number(size)
        + b" Tf "
        + _colour(font)
        + b" "
        + _number(x)
        + b" "
        + _number(y)
        + b" Td "
        + pdf_string(text)
        + b" Tj ET\n"
    )


def _colour(font: str) -> bytes:
    return b"0.753 0 0 rg" if font == BOLD else b"0 g"


NOTE_SIZES = (8.0, 7.0, 6.0)
#: the words at the end of a note kept whole when it must be shortened: the date and version
NOTE_TAIL_WORDS = 3


def fit_note(text: str, room: float) -> tuple[float, str]:
    """The size and text of a footer note fitting `room` points: smaller first, then its start shortened
    with an ellipsis (the body's name; the date and version at its end are kept)."""
    for size in NOTE_SIZES:
        if _width(text, "Helvetica", size) <= room:
            return size, text
    size = NOTE_SIZES[-1]
    words = text.split(" ")
    head, tail = " ".join(words[:-NOTE_TAIL_WORDS]), " " + " ".join(words[-NOTE_TAIL_WORDS:])
    while head and _width(head.rstrip() + "\u2026" + tail, "Helvetica", size) > room:
        head = head[:-1]
    return size, (head.rstrip() + "\u2026" + tail) if head else tail.strip()


def furniture_ops(width: float, height: float, marks: Furniture) -> bytes:
    """The marks for an upright page of this size, as content-stream operators."""
    top, bottom = height - 10 * MM, 7 * MM
    ops = _text(BOLD, 10, width / 2, top, MARKING, align="centre")
    ops += _text(BOLD, 10, width / 2, bottom, MARKING, align="centre")
    if marks.item:
        ops += _text(FONT, 8, 12 * MM, top, marks.item)
    if marks.note:
        # the note ends before the marking: a long body's note ran under it and its white band hid
        # the marking's start ("...version 1 FICIAL-SENSITIVE" on every page of the board's pack)
        room = width / 2 - _width(MARKING, "Helvetica-Bold", 10) / 2 - 6 - 12 * MM
        size, note = fit_note(marks.note, room)
        ops += _text(FONT, size, 12 * MM, bottom, note)
    ops += _text(FONT, 8, width - 12 * MM, bottom, f"Page {marks.number} of {marks.total}", align="right")
    return ops


WATERMARK_ALPHA = 0.18


def draw_watermark(canvas: Any, width: float, height: float, text: str) -> None:
    """A light diagonal "Copy for ..." across an upright page of this size, and the same line small above
    the bottom marking, drawn on a reportlab canvas in a font that has every letter of it (DejaVu Sans,
    embedded, where Helvetica lacks one: a member's name is printed as written, "Łukasz Dvořák")."""
    import math

    from reportlab.pdfbase.pdfmetrics import stringWidth

    from app.office.pdf_styles import font_for

    font = font_for(text, "Helvetica")
    size = max(10.0, min(28.0, (math.hypot(width, height) * 0.8) / max(1.0, stringWidth(text, font, 1))))
    canvas.saveState()
    canvas.setFillAlpha(WATERMARK_ALPHA)
    canvas.setFillGray(0.55)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(math.degrees(math.atan2(height, width)))
    canvas.setFont(font, size)
    canvas.drawCentredString(0, 0, text)
    canvas.restoreState()
    canvas.setFont(font, 7)
    canvas.setFillGray(0)
    canvas.drawCentredString(width / 2, 12 * MM, text)


class Stamper:
    """Adds marks to the pages of one pikepdf.Pdf, sharing its fonts (and a watermark's form) between pages."""

    def __init__(self, pdf: Any) -> None:
        import pikepdf

        self._pikepdf = pikepdf
        self.pdf = pdf
        self.fonts = pikepdf.Dictionary(
            {
                FONT: pdf.make_indirect(
                    pikepdf.Dictionary(
                        Type=pikepdf.Name.Font,
                        Subtype=pikepdf.Name.Type1,
                        BaseFont=pikepdf.Name.Helvetica,
                        Encoding=pikepdf.Name.WinAnsiEncoding,
                    )
                ),
                BOLD: pdf.make_indirect(
                    pikepdf.Dictionary(
                        Type=pikepdf.Name.Font,
                        Subtype=pikepdf.Name.Type1,
                        BaseFont=pikepdf.Name("/Helvetica-Bold"),
                        Encoding=pikepdf.Name.WinAnsiEncoding,
                    )
                ),
            }
        )
        self._opening = pdf.make_stream(b"q\n")

    def stamp(self, page: Any, upright_ops: bytes) -> None:
        """Draw `upright_ops` (in upright coordinates of the page's crop box) over the page."""
        x0, y0, width, height, rotate = _visual_box(page)
        matrix = upright_matrix(x0, y0, width, height, rotate)
        ops = b"Q q " + b" ".join(_number(v) for v in matrix) + b" cm\n" + upright_ops + b"Q\n"
        self.attach(page, self.pdf.make_stream(ops))

    def attach(self, page: Any, stream: Any) -> None:
        """Draw a content stream made for this page over it, with the stamper's fonts (a stream may be
        shared by every page of one shape)."""
        fonts = self._resources(page).get("/Font")
        if fonts is None:
            page.obj.Resources.Font = self._pikepdf.Dictionary(dict(self.fonts.items()))
        else:
            for key, value in self.fonts.items():
                fonts[key] = value
        self._draw(page, stream)

    def attach_form(self, page: Any, name: str, form: Any, stream: Any) -> None:
        """Draw `stream` (which paints the Form XObject `form` as `name`) over the page: the form, and the
        fonts in its own resources, are in the file once however many pages show it."""
        xobjects = self._resources(page).get("/XObject")
        if xobjects is None:
            page.obj.Resources.XObject = self._pikepdf.Dictionary({name: form})
        else:
            xobjects[name] = form
        self._draw(page, stream)

    def _resources(self, page: Any) -> Any:
        if page.obj.get("/Resources") is None:
            page.obj.Resources = self._pikepdf.Dictionary()
        return page.obj.Resources

    def _draw(self, page: Any, stream: Any) -> None:
        page.contents_add(self._opening, prepend=True)
        page.contents_add(stream)

    def upright_size(self, page: Any) -> tuple[float, float]:
        _x0, _y0, width, height, rotate = _visual_box(page)
        return (height, width) if rotate in (90, 270) else (width, height)

"""A recipient's copy of a built pack: a watermark stamped on the built pages, never a rebuild.

Every page gets the watermark ("Copy for NAME, DATE, pack ID" diagonally,
light, and once in small print) and the cover "Recipient: NAME" (the master
pack has no recipient line). The marks are drawn once by reportlab as one Form
XObject per page size, so the name is printed exactly as written (letters
Helvetica lacks in DejaVu Sans, embedded once for the whole file, not once per
page). Optional AES-256 encryption (PDF revision 6) with a passphrase; it is
weaker than a bundle sealed to the member's key (anyone told the passphrase can
open it, and nothing says who sent it).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.errors import InvalidInput
from app.meetings.pack import COVER_RECIPIENT_X, COVER_RECIPIENT_Y
from app.meetings.stamping import Stamper, _visual_box, draw_watermark, upright_matrix

PDF_ENCRYPTION_WARNING = (
    "PDF encryption protects the file with a passphrase only: it is weaker than a bundle "
    "sealed to the member's key. Tell the passphrase by another route."
)
MIN_PASSPHRASE = 12
#: where the name follows the cover's "Recipient:" label
RECIPIENT_NAME_X = COVER_RECIPIENT_X + 70


@dataclass(frozen=True)
class Recipient:
    name: str
    cleared_restricted: bool = False


def copy_line(name: str, day: date, pack_id: str) -> str:
    return f"Copy for {name}, {day.strftime('%d/%m/%Y')}, pack {pack_id}"


def _labelled(cover: Any) -> bool:
    """Whether the cover already has the "Recipient:" label (packs issued while the master drew it)."""
    import pikepdf

    contents = cover.obj.get("/Contents")
    streams = contents if isinstance(contents, pikepdf.Array) else [contents] if contents is not None else []
    return any(b"(Recipient:) Tj" in stream.read_bytes() for stream in streams)


def _marks(
    cover: tuple[float, float], shapes: list[tuple[float, float]], line: str, recipient: str, *, label: bool = True
) -> bytes:
    """The copy's marks as a small PDF laid out by reportlab: the cover's (watermark and "Recipient: NAME")
    on page 1, then the watermark of each other upright page size. Names are drawn as written: letters
    Helvetica lacks in DejaVu Sans, embedded once (only the glyphs used) for every page."""
    from reportlab.pdfgen.canvas import Canvas

    from app.office.pdf_styles import font_for

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=cover, invariant=1)
    for index, (width, height) in enumerate([cover, *shapes]):
        canvas.setPageSize((width, height))
        draw_watermark(canvas, width, height, line)
        if index == 0:
            if label:
                canvas.setFont("Helvetica-Bold", 12)
                canvas.drawString(COVER_RECIPIENT_X, COVER_RECIPIENT_Y, "Recipient:")
            canvas.setFont(font_for(recipient, "Helvetica"), 12)
            canvas.drawString(RECIPIENT_NAME_X, COVER_RECIPIENT_Y, recipient)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def stamp_copy(pack_pdf: bytes, recipient: str, day: date, pack_id: str, *, passphrase: str | None = None) -> bytes:
    """The pack with the recipient's watermark on every page (and encrypted if a passphrase is given)."""
    import pikepdf

    if passphrase is not None and len(passphrase) < MIN_PASSPHRASE:
        raise InvalidInput(f"The PDF passphrase must have at least {MIN_PASSPHRASE} characters.")
    pdf = pikepdf.open(io.BytesIO(pack_pdf))
    boxes = [_visual_box(page) for page in pdf.pages]
    upright = [(h, w) if rotate in (90, 270) else (w, h) for _x, _y, w, h, rotate in boxes]
    shapes = sorted(set(upright[1:]))
    line = copy_line(recipient, day, pack_id)
    marks_pdf = _marks(upright[0], shapes, line, recipient, label=not _labelled(pdf.pages[0]))
    with pikepdf.open(io.BytesIO(marks_pdf)) as marks:
        # one Form XObject per page size, copied once: the fonts they share come over once with them
        forms = [pdf.copy_foreign(page.as_form_xobject()) for page in marks.pages]
    stamper = Stamper(pdf)
    shared: dict[tuple[float, ...], Any] = {}
    for index, (page, box) in enumerate(zip(pdf.pages, boxes, strict=True)):
        form = 0 if index == 0 else 1 + shapes.index(upright[index])
        key = (form, *box)
        stream = shared.get(key)
        if stream is None:
            matrix = b" ".join(f"{v:.3f}".encode() for v in upright_matrix(*box))
            stream = shared[key] = pdf.make_stream(b"Q q " + matrix + f" cm /WbCopy{form} Do Q\n".encode())
        stamper.attach_form(page, f"/WbCopy{form}", forms[form], stream)
    buffer = io.BytesIO()
    if passphrase is not None:
        pdf.save(
            buffer,
            encryption=pikepdf.Encryption(owner=passphrase, user=passphrase, R=6, aes=True),
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
        )
    else:
        pdf.save(buffer, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buffer.getvalue()

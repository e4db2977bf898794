"""A recipient's copy of a built pack: a watermark stamped on the built pages, never a rebuild.

Every page gets one shared watermark stream per page shape ("Copy for NAME,
DATE, pack ID" diagonally, light, and once in small print), and the cover's
"Recipient:" line gets the name. Optional AES-256 encryption (PDF revision 6)
with a passphrase; it is weaker than a bundle sealed to the member's key
(anyone told the passphrase can open it, and nothing says who sent it).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.errors import InvalidInput
from app.meetings.pack import COVER_RECIPIENT_X, COVER_RECIPIENT_Y
from app.meetings.stamping import (
    FONT,
    Stamper,
    _text,
    _visual_box,
    upright_matrix,
    watermark_ops,
)

PDF_ENCRYPTION_WARNING = (
    "PDF encryption protects the file with a passphrase only: it is weaker than a bundle "
    "sealed to the member's key. Tell the passphrase by another route."
)
MIN_PASSPHRASE = 12


@dataclass(frozen=True)
class Recipient:
    name: str
    cleared_restricted: bool = False


def copy_line(name: str, day: date, pack_id: str) -> str:
    return f"Copy for {name}, {day.strftime('%d/%m/%Y')}, pack {pack_id}"


def stamp_copy(pack_pdf: bytes, recipient: str, day: date, pack_id: str, *, passphrase: str | None = None) -> bytes:
    """The pack with the recipient's watermark on every page (and encrypted if a passphrase is given)."""
    import pikepdf

    if passphrase is not None and len(passphrase) < MIN_PASSPHRASE:
        raise InvalidInput(f"The PDF passphrase must have at least {MIN_PASSPHRASE} characters.")
    line = copy_line(recipient, day, pack_id)
    pdf = pikepdf.open(io.BytesIO(pack_pdf))
    stamper = Stamper(pdf)
    shared: dict[tuple[float, ...], Any] = {}
    for index, page in enumerate(pdf.pages):
        x0, y0, width, height, rotate = _visual_box(page)
        upright = (height, width) if rotate in (90, 270) else (width, height)
        key = (x0, y0, width, height, rotate)
        ops = watermark_ops(*upright, line)
        if index == 0:  # the cover's "Recipient:" line
            ops += _text(FONT, 12, COVER_RECIPIENT_X + 70, COVER_RECIPIENT_Y, recipient, backdrop=False)
            stamper.stamp(page, ops)
            continue
        stream = shared.get(key)
        if stream is None:
            matrix = upright_matrix(x0, y0, width, height, rotate)
            body = b"Q q " + b" ".join(f"{v:.3f}".encode() for v in matrix) + b" cm\n" + ops + b"Q\n"
            stream = shared[key] = pdf.make_stream(body)
        stamper.attach(page, stream)
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

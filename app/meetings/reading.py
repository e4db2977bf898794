"""Reading an issued pack back: which pages belong to which item (from its own outline).

The preview's "go to item" and printing "this item only" use the PDF itself,
so they cannot disagree with the pages that are printed or sent.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

_ITEM = re.compile(r"Item (\d+):")


@dataclass(frozen=True)
class ItemPages:
    number: int
    title: str
    #: 1-based, inclusive; None when the item has no papers in this PDF
    first: int | None
    last: int | None


def item_pages(pdf_bytes: bytes, password: str = "") -> list[ItemPages]:
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf_bytes), password=password) as pdf:
        pages = {page.objgen: number for number, page in enumerate(pdf.pages, start=1)}
        total = len(pdf.pages)
        tops: list[tuple[str, int, bool]] = []
        with pdf.open_outline() as outline:
            for entry in outline.root:
                target = entry.destination[0] if entry.destination is not None else None  # type: ignore[index]  # an explicit destination array
                page = pages.get(target.objgen, 0) if target is not None else 0  # type: ignore[arg-type]  # keyed by (object, generation)
                tops.append((entry.title, page, bool(entry.children)))
    found = []
    for index, (title, page, has_papers) in enumerate(tops):
        match = _ITEM.match(title)
        if not match:
            continue
        if not has_papers:
            found.append(ItemPages(int(match.group(1)), title, None, None))
            continue
        following = [p for _t, p, children in tops[index + 1 :] if children]
        last = (following[0] - 1) if following else total
        found.append(ItemPages(int(match.group(1)), title, page, last))
    return found

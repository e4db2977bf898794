"""Reading built packs back for tests: the text of every page and the outline with its target pages."""

from __future__ import annotations

import io

import pikepdf


def page_texts(data: bytes, password: str = "") -> list[str]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data, password=password or None)
    try:
        texts = []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return texts
    finally:
        document.close()


def outline(data: bytes) -> list[tuple[int, str, int]]:
    """(depth, title, 1-based page) of every outline entry, in order."""
    pdf = pikepdf.open(io.BytesIO(data))
    pages = {page.objgen: number for number, page in enumerate(pdf.pages, start=1)}
    found: list[tuple[int, str, int]] = []

    def walk(items: list[pikepdf.OutlineItem], depth: int) -> None:
        for item in items:
            target = item.destination[0] if item.destination is not None else None
            found.append((depth, item.title, pages.get(target.objgen, 0) if target is not None else 0))
            walk(item.children, depth + 1)

    with pdf.open_outline() as tree:
        walk(tree.root, 0)
    return found


def text_boxes(data: bytes, page_number: int, text: str) -> list[tuple[float, float, float, float]]:
    """(left, bottom, right, top) of every occurrence of `text` on a page (1-based), in points."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        page = document[page_number - 1]
        textpage = page.get_textpage()
        search = textpage.search(text)
        found = []
        while (hit := search.get_next()) is not None:
            start, count = hit
            chars = [textpage.get_charbox(index) for index in range(start, start + count)]
            found.append(
                (min(c[0] for c in chars), min(c[1] for c in chars), max(c[2] for c in chars), max(c[3] for c in chars))
            )
        search.close()
        textpage.close()
        page.close()
        return found
    finally:
        document.close()

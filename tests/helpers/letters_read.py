"""Reading a feedback letter back for tests: the text of each PDF page, and the DOCX's text with its header
and footer (which must number its pages)."""

from __future__ import annotations

from io import BytesIO


def pdf_pages(data: bytes) -> list[str]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        return [" ".join(document[i].get_textpage().get_text_range().split()) for i in range(len(document))]
    finally:
        document.close()


def docx_text(data: bytes) -> str:
    from docx import Document

    document = Document(BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    section = document.sections[0]
    parts += [p.text for p in section.header.paragraphs] + [p.text for p in section.footer.paragraphs]
    footer_xml = section.footer._element.xml
    assert "NUMPAGES" in footer_xml and "PAGE" in footer_xml
    return "\n".join(parts)

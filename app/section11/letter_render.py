"""The feedback letter on paper: PDF (reportlab) and DOCX (python-docx), from one LetterContent.

Both carry OFFICIAL-SENSITIVE at the top and bottom of every page and "Page x of y";
RAG cells carry their word as well as their colour. Rendered in memory only.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from app.office.pdf_pages import MARKING
from app.section11.dates import long_date
from app.section11.letters import LetterContent
from app.section11.scales import RAG_COLOURS

SCORE_HEADINGS = ("Standard", "Agency's score", "Panel's score", "RAG", "Panel's rationale")
#: on every page of a draft whose return, moderation or interview is still to come
NOT_READY = "DRAFT - not final"


def _bullets(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def render_pdf(content: LetterContent) -> bytes:
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import KeepTogether, SimpleDocTemplate, Spacer

    from app.office.pdf_pages import numbered_canvas
    from app.office.pdf_styles import MARGINS, MM, grid_table, para, styles

    look = styles()
    right = look.body.clone("s11-right", alignment=TA_RIGHT, fontSize=9, leading=11.5)
    head = look.title.clone("s11-head", fontSize=14, leading=17, alignment=TA_RIGHT, spaceAfter=2)
    width = A4[0] - MARGINS["left"] - MARGINS["right"]
    story: list[Any] = [_not_ready_box(content, width), Spacer(1, 3 * MM)] if content.draft and content.missing else []
    story.append(para(content.settings.partnership_name, head))
    if content.settings.letterhead:
        story.append(para(content.settings.letterhead, right))
    story.append(Spacer(1, 6 * MM))
    for line in ([content.addressee] if content.addressee else []) + [content.agency]:
        story.append(para(line, look.body))
    story.append(para(long_date(content.dated), look.body))
    story.append(Spacer(1, 4 * MM))
    story.append(para(content.subject, look.subheading))
    s = content.sections
    story.append(para(s["salutation"]))
    story.append(para(s["opening"]))
    story.append(para("Scores: your self-assessment and the panel's moderation", look.subheading))
    rows = [list(SCORE_HEADINGS)]
    colours = {}
    for index, (standard, self_text, moderated, rag_text, rag, rationale) in enumerate(content.scores, start=1):
        rows.append(
            [standard, self_text, moderated, rag_text, rationale or ("" if moderated == "-" else "As assessed")]
        )
        colours[(3, index)] = RAG_COLOURS[rag]
    story.append(
        grid_table(rows, [width * 0.33, width * 0.11, width * 0.11, width * 0.16, width * 0.29], cell_colours=colours)
    )
    story.append(Spacer(1, 3 * MM))
    for key, title in (
        ("strengths", "Strengths"),
        ("challenges", "Areas for challenge"),
        ("evidence", "Evidence requested"),
        ("actions", "Agreed actions"),
    ):
        items = _bullets(s[key])
        story.append(para(title, look.subheading))
        for item in items:
            story.append(
                para(("\u2022 " + item.lstrip("-\u2022 ")) if len(items) > 1 or item.startswith("-") else item)
            )
    story.append(Spacer(1, 2 * MM))
    bold = look.body.clone("s11-bold", fontName="Helvetica-Bold")
    # the last paragraph goes with the sign-off: "Yours sincerely" and the Chair's name alone at the top of
    # a page, the letter ending overleaf, read as a page signed blank
    signature = [
        para(s["closing"]),
        para("Yours sincerely"),
        Spacer(1, 12 * MM),
        para(content.settings.signatory_name, bold),
        para(content.settings.signatory_role),
        para(content.settings.partnership_name),
    ]
    story.append(KeepTogether(signature))
    buffer = BytesIO()
    note = (
        f"DRAFT version {content.version} - not issued"
        if content.draft
        else f"Issued {content.dated:%d/%m/%Y}, version {content.version}"
    )
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGINS["left"],
        rightMargin=MARGINS["right"],
        topMargin=MARGINS["top"],
        bottomMargin=MARGINS["bottom"],
        title=content.subject,
        author=content.settings.partnership_name,
        subject=MARKING,
        creator="Safeguarding Workbench",
    )
    canvas = numbered_canvas(NOT_READY if content.draft and content.missing else "", _clip(note, 50), portrait=True)
    document.build(story, canvasmaker=canvas)
    return buffer.getvalue()


def not_ready_text(content: LetterContent) -> str:
    """The warning a draft carries while what it records has not all happened."""
    steps = "; ".join(content.missing)
    return (
        f"DRAFT - NOT FINAL. Still to come: {steps}. The letter records the panel's moderated scores and the "
        "interview; it is issued only after the interview is held."
    )


def _not_ready_box(content: LetterContent, width: float) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    from app.office.pdf_styles import para, styles

    look = styles()
    box = Table([[para(not_ready_text(content), look.body.clone("s11-warn", fontName="Helvetica-Bold"))]], [width])
    box.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1.2, colors.HexColor("#c00000")),
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#fff2f2")),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return box


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _field(run: Any, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) in a run: Word fills it in on every page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = code
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instruction, separate, shown, end):
        run._r.append(element)


def _shade(cell: Any, colour: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour.lstrip("#"))
    cell._tc.get_or_add_tcPr().append(shading)


def render_docx(content: LetterContent) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt, RGBColor

    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(20)
    style = document.styles["Normal"]
    style.font.name, style.font.size = "Arial", Pt(10.5)
    properties = document.core_properties
    properties.title, properties.subject, properties.author = (
        content.subject,
        MARKING,
        content.settings.partnership_name,
    )
    properties.comments = "" if not content.draft else f"DRAFT version {content.version} - not issued"

    def marking(paragraph: Any) -> None:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(MARKING)
        run.bold, run.font.color.rgb = True, RGBColor(0xC0, 0, 0)

    marking(section.header.paragraphs[0])
    footer = section.footer.paragraphs[0]
    marking(footer)
    pages = section.footer.add_paragraph()
    pages.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    pages.add_run("Page ")
    _field(pages.add_run(), "PAGE")
    pages.add_run(" of ")
    _field(pages.add_run(), "NUMPAGES")
    if content.draft:
        note = section.header.add_paragraph(
            f"DRAFT version {content.version} - not issued" + (f" ({NOT_READY.lower()})" if content.missing else "")
        )
        note.alignment = WD_ALIGN_PARAGRAPH.CENTER

    if content.draft and content.missing:
        warning = document.add_paragraph()
        warning.add_run(not_ready_text(content)).bold = True
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = heading.add_run(content.settings.partnership_name)
    run.bold, run.font.size = True, Pt(14)
    if content.settings.letterhead:
        for line in content.settings.letterhead.splitlines():
            document.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph()
    for line in ([content.addressee] if content.addressee else []) + [content.agency]:
        document.add_paragraph(line)
    document.add_paragraph(long_date(content.dated))
    subject = document.add_paragraph()
    subject.add_run(content.subject).bold = True
    s = content.sections
    document.add_paragraph(s["salutation"])
    document.add_paragraph(s["opening"])
    document.add_heading("Scores: your self-assessment and the panel's moderation", level=2)
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, SCORE_HEADINGS, strict=False):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for standard, self_text, moderated, rag_text, rag, rationale in content.scores:
        cells = table.add_row().cells
        for cell, text in zip(
            cells,
            (standard, self_text, moderated, rag_text, rationale or ("" if moderated == "-" else "As assessed")),
            strict=False,
        ):
            cell.text = text
        _shade(cells[3], RAG_COLOURS[rag])
    for key, title in (
        ("strengths", "Strengths"),
        ("challenges", "Areas for challenge"),
        ("evidence", "Evidence requested"),
        ("actions", "Agreed actions"),
    ):
        document.add_heading(title, level=2)
        items = _bullets(s[key])
        for item in items:
            if len(items) > 1 or item.startswith("-"):
                document.add_paragraph(item.lstrip("-\u2022 "), style="List Bullet")
            else:
                document.add_paragraph(item)
    closing = document.add_paragraph(s["closing"])
    closing.paragraph_format.keep_together = True
    signature = [closing, document.add_paragraph("Yours sincerely"), document.add_paragraph()]
    signed = document.add_paragraph()
    signed.add_run(content.settings.signatory_name).bold = True
    signature += [signed, document.add_paragraph(content.settings.signatory_role)]
    document.add_paragraph(content.settings.partnership_name)
    for paragraph in signature:  # as in the PDF: the last paragraph, sign-off and signatory on one page
        paragraph.paragraph_format.keep_with_next = True
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()

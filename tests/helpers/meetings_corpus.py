"""A realistic pack corpus shared by the meetings tests and the benchmark: papers as other agencies send them
(portrait and landscape, some pages rotated), and generated reports with vector charts."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from typing import Any

from app.meetings.pack import ItemSource, PackInput, PaperSource


def paper_pdf(
    title: str, pages: int, *, rotate_every: int = 0, landscape_pages: bool = False, marker: str = ""
) -> bytes:
    """An attached paper made by "another agency": body text on every page, some pages rotated."""
    import pikepdf
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    size = landscape(A4) if landscape_pages else A4
    canvas = Canvas(buffer, pagesize=size, invariant=1)
    for number in range(1, pages + 1):
        canvas.setFont("Times-Roman", 11)
        canvas.drawString(72, size[1] - 100, f"{title} - page {number} {marker}".strip())
        text = canvas.beginText(72, size[1] - 130)
        for line in range(30):
            text.textLine(f"Paragraph {line + 1}: partnership performance commentary for quarter {line % 4 + 1}.")
        canvas.drawText(text)
        canvas.showPage()
    canvas.save()
    if not rotate_every:
        return buffer.getvalue()
    pdf = pikepdf.open(io.BytesIO(buffer.getvalue()))
    for index, page in enumerate(pdf.pages):
        if (index + 1) % rotate_every == 0:
            page.obj.Rotate = (90, 180, 270)[index % 3]
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def chart_report(title: str, charts: int, seed: int, rows: int = 40) -> Callable[[], list[Any]]:
    """A generated paper: a heading, vector charts (matplotlib into reportlab Drawings), a table."""

    def build() -> list[Any]:
        from reportlab.lib.units import mm

        from app.office.pdf_styles import grid_table, para, styles
        from app.office.vector_charts import figure_flowable, new_figure

        look = styles()
        story: list[Any] = [para(title, look.title)]
        for chart in range(charts):
            figure = new_figure(170, 80)
            axes = figure.add_subplot()
            values = [(seed * 7 + chart * 3 + month * 5) % 23 + 10 for month in range(12)]
            axes.plot(range(1, 13), values, marker="o")
            axes.set_title(f"{title}: measure {chart + 1}")
            axes.set_xlabel("Month")
            story.append(figure_flowable(figure, 170 * mm))
        story.append(
            grid_table(
                [["Agency", "Measure", "Value"]]
                + [[f"Agency {n % 8}", f"Measure {n}", str((seed + n) % 97)] for n in range(rows)],
                [60 * mm, 80 * mm, 30 * mm],
            )
        )
        return story

    return build


def bench_pack(version: int = 1) -> PackInput:
    """About 200 pages: ten generated reports with twenty charts, 100 pages of attached papers."""
    items = []
    number = 1
    for index in range(10):
        items.append(
            ItemSource(
                number,
                f"Report {index + 1}",
                "Business coordinator",
                "information",
                10,
                papers=[
                    PaperSource(
                        f"Generated report {index + 1}",
                        "report",
                        flowables=chart_report(f"Report {index + 1}", 2, index, 430),
                    )
                ],
            )
        )
        number += 1
    for index in range(10):
        items.append(
            ItemSource(
                number,
                f"Agency paper {index + 1}",
                "Agency lead",
                "discussion",
                15,
                restricted=index == 9,
                papers=[
                    PaperSource(
                        f"Paper {index + 1}",
                        "file",
                        pdf=paper_pdf(f"Paper {index + 1}", 10, rotate_every=4, landscape_pages=index % 3 == 0),
                    )
                ],
            )
        )
        number += 1
    return PackInput(
        "Quality Assurance subgroup",
        "QA-2026-03-12",
        date(2026, 3, 12),
        "10:00",
        "Room 4, Civic Centre",
        "Dr Helen Marsh",
        version,
        f"QA-2026-03-12-v{version}",
        items,
    )

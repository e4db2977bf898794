"""Reports of a whole cycle: XLSX (register, scores, year on year, sectors) and PDF (with vector
charts), and the meeting-pack paper (heat map and status)."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

from sqlalchemy.orm import Session

from app.clock import uk
from app.contributions import ReportRequest
from app.errors import InvalidInput
from app.section11.charts import (
    BETTER,
    NEW,
    NOT_MODERATED,
    SAME,
    WORSE,
    YEAR_ON_YEAR_BASIS,
    HeatMap,
    heat_map_data,
    heat_map_figure,
    not_compared,
    sector_summary,
    self_vs_moderated,
    self_vs_moderated_figure,
    year_on_year,
    year_on_year_figure,
    year_on_year_summary,
)
from app.section11.cycles import (
    cycle_register,
    cycle_scale,
    cycle_view,
    find_cycle,
    get_cycle,
    list_cycles,
)
from app.section11.scales import RAG_COLOURS, RAG_LABELS

FORMATS = ("xlsx", "pdf")


def _mean(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def cycle_report_xlsx(session: Session, cycle_uuid: str, today: date | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    from app.office.xlsx_marking import mark_sheet
    from app.office.xlsx_memory import workbook_bytes

    cycle = cycle_view(session, cycle_uuid)
    scale = cycle_scale(get_cycle(session, cycle_uuid))
    book = Workbook()
    bold = Font(bold=True)

    def sheet(title: str, headings: list[str], rows: list[list[Any]], widths: list[int]) -> Any:
        ws = book.create_sheet(title)
        mark_sheet(ws)
        ws.append([f"{cycle.name}: {title}"])
        ws["A2"].font = Font(bold=True, size=12)
        ws.append(headings)
        for cell in ws[3]:
            cell.font = bold
            cell.fill = PatternFill("solid", fgColor="DDDDDD")
        for row in rows:
            ws.append(row)
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[ws.cell(3, index).column_letter].width = width
        ws.freeze_panes = "A4"
        return ws

    book.remove(book.active)
    register = cycle_register(session, cycle_uuid, today)
    sheet(
        "Register",
        ["Agency", "Sector", "Status", "Late", "Next step", "Returned", "Scored", "Moderated", "Standards"],
        [
            [
                r.agency,
                r.sector,
                r.status_label,
                r.late,
                r.next_step,
                uk(r.returned_on),
                r.scored,
                r.moderated,
                r.standards,
            ]
            for r in register
        ],
        [40, 16, 18, 30, 34, 12, 8, 10, 10],
    )
    heat = heat_map_data(session, cycle_uuid)
    ws = sheet(
        "Heat map",
        ["Agency", "Sector", *heat.standards],
        [
            [name, sector, *[c.text for c in cells]]
            for name, sector, cells in zip(heat.agency_names, heat.sectors, heat.cells, strict=False)
        ],
        [40, 16, *[8] * len(heat.standards)],
    )
    for r, cells in enumerate(heat.cells, start=4):
        for c, cell in enumerate(cells, start=3):
            target = ws.cell(r, c)
            target.fill = PatternFill("solid", fgColor=RAG_COLOURS[cell.rag].lstrip("#"))
            target.alignment = Alignment(horizontal="center")
            target.comment = None
    key = sheet(
        "Standards",
        ["Ref", "Standard"],
        [[ref, title] for ref, title in zip(heat.standards, heat.standard_titles, strict=False)],
        [8, 80],
    )
    key.append([])
    key.append(["Scale", scale.name])
    for level in scale.levels:
        key.append([level.short, level.label, RAG_LABELS[scale.rag(level.value)]])
    sheet(
        "Self v moderated",
        ["Agency", "Mean self", "Mean moderated", "Over-rated", "Under-rated", "Moderated"],
        [
            [r.agency_name, _mean(r.self_mean), _mean(r.moderated_mean), r.over_rated, r.under_rated, r.moderated]
            for r in self_vs_moderated(session, cycle_uuid)
        ],
        [40, 12, 14, 12, 12, 12],
    )
    years = sheet(
        "Year on year",
        ["Agency", "Ref", "Standard", "Last cycle (moderated)", "This cycle (moderated)", "Change"],
        [
            [
                r.agency_name,
                r.standard,
                r.standard_title,
                scale.short(r.last) if r.last is not None else "",
                scale.short(r.now) if r.now is not None else "",
                r.change_label,
            ]
            for r in year_on_year(session, cycle_uuid)
        ],
        [40, 6, 50, 22, 22, 30],
    )
    years.append([])
    years.append([YEAR_ON_YEAR_BASIS])
    sheet(
        "Sectors",
        ["Sector", "Agencies", "Mean moderated", "Red", "Amber", "Green", "Not moderated", "Over-rated"],
        [
            [r.sector, r.agencies, _mean(r.moderated_mean), r.red, r.amber, r.green, r.not_moderated, r.over_rated]
            for r in sector_summary(session, cycle_uuid)
        ],
        [20, 10, 14, 8, 8, 8, 14, 12],
    )
    return workbook_bytes(book)


def _register_table(session: Session, cycle_uuid: str, width: float, today: date | None) -> Any:
    from app.office.pdf_styles import grid_table

    rows = [["Agency", "Sector", "Status", "Late", "Next step"]]
    rows += [
        [r.agency, r.sector, r.status_label, r.late or "-", r.next_step]
        for r in cycle_register(session, cycle_uuid, today)
    ]
    return grid_table(rows, [width * 0.32, width * 0.12, width * 0.14, width * 0.18, width * 0.24])


def _heat_table(session: Session, cycle_uuid: str, width: float) -> Any:
    from app.office.pdf_styles import grid_table

    heat = heat_map_data(session, cycle_uuid)
    rows = [["Agency", *heat.standards]]
    colours = {}
    for r, (name, cells) in enumerate(zip(heat.agencies, heat.cells, strict=False), start=1):
        rows.append([name, *[c.text for c in cells]])
        for c, cell in enumerate(cells, start=1):
            colours[(c, r)] = RAG_COLOURS[cell.rag]
    first = width * 0.2
    return grid_table(
        rows, [first, *[(width - first) / max(1, len(heat.standards))] * len(heat.standards)], cell_colours=colours
    )


def cycle_report_pdf(session: Session, cycle_uuid: str, today: date | None = None) -> bytes:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import PageBreak, SimpleDocTemplate, Spacer

    from app.office.pdf_pages import numbered_canvas
    from app.office.pdf_styles import MARGINS, MM, grid_table, para, styles
    from app.office.vector_charts import figure_flowable

    look = styles()
    cycle = cycle_view(session, cycle_uuid)
    scale = cycle_scale(get_cycle(session, cycle_uuid))
    page_width = landscape(A4)[0] - MARGINS["left"] - MARGINS["right"]
    chart_width = min(page_width, 250 * MM)
    heat = heat_map_data(session, cycle_uuid)
    story: list[Any] = [
        para(f"{cycle.name}: Section 11 cycle report", look.title),
        para(
            f"Period {uk(cycle.period_start)} to {uk(cycle.period_end)}. Framework: {cycle.framework_name}. "
            f"Scale: {cycle.scale_name}. Returns due {uk(cycle.return_due) or '-'}; panel {uk(cycle.panel_date) or '-'}; "
            f"interviews {uk(cycle.interview_from) or '-'} to {uk(cycle.interview_to) or '-'}."
        ),
        para(
            "RAG rule: green for the top third of the scale, amber for the middle third, red for the bottom third; "
            "every cell shows its score as well as its colour.",
            look.small,
        ),
        para("Where every agency is", look.heading),
        _register_table(session, cycle_uuid, page_width, today),
        PageBreak(),
        para("Moderated scores by agency and standard", look.heading),
        figure_flowable(heat_map_figure(heat, width_mm=250), chart_width),
        Spacer(1, 3 * MM),
        grid_table(
            [["Ref", "Standard"]] + [[r, t] for r, t in zip(heat.standards, heat.standard_titles, strict=False)],
            [page_width * 0.08, page_width * 0.92],
        ),
        PageBreak(),
        para("Who over-rates: self-assessed against moderated", look.heading),
        figure_flowable(
            self_vs_moderated_figure(self_vs_moderated(session, cycle_uuid), cycle.name, scale.highest, width_mm=250),
            chart_width,
        ),
    ]
    yoy = year_on_year(session, cycle_uuid)
    if any(r.last is not None for r in yoy):
        waiting = not_compared(yoy)
        story += [
            PageBreak(),
            para("Year on year: moderated scores", look.heading),
            para(
                YEAR_ON_YEAR_BASIS + (f" Not compared (not moderated yet): {', '.join(waiting)}." if waiting else ""),
                look.small,
            ),
            figure_flowable(year_on_year_figure(yoy, cycle.name, "agency", width_mm=250), chart_width),
            Spacer(1, 3 * MM),
        ]
        summary = year_on_year_summary(yoy, "standard")
        story.append(
            grid_table(
                [["Standard", "Better", "Same", "Worse", "No moderated score last cycle", "Not moderated yet"]]
                + [
                    [k, *(str(v[change]) for change in (BETTER, SAME, WORSE, NEW, NOT_MODERATED))]
                    for k, v in summary.items()
                ],
                [page_width / 6] * 6,
            )
        )
    sectors = sector_summary(session, cycle_uuid)
    story += [
        para("By sector", look.heading),
        grid_table(
            [["Sector", "Agencies", "Mean moderated", "Red", "Amber", "Green", "Not moderated", "Over-rated"]]
            + [
                [
                    r.sector,
                    str(r.agencies),
                    _mean(r.moderated_mean) or "-",
                    str(r.red),
                    str(r.amber),
                    str(r.green),
                    str(r.not_moderated),
                    str(r.over_rated),
                ]
                for r in sectors
            ],
            [page_width / 8] * 8,
        ),
    ]
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=MARGINS["left"],
        rightMargin=MARGINS["right"],
        topMargin=MARGINS["top"],
        bottomMargin=MARGINS["bottom"],
        title=f"{cycle.name}: Section 11 cycle report",
        creator="Safeguarding Workbench",
    )
    document.build(story, canvasmaker=numbered_canvas(cycle.name[:60], f"Printed {uk(today or date.today())}"))
    return buffer.getvalue()


def report_bytes(session: Session, cycle_uuid: str, fmt: str, today: date | None = None) -> bytes:
    if fmt == "xlsx":
        return cycle_report_xlsx(session, cycle_uuid, today)
    if fmt == "pdf":
        return cycle_report_pdf(session, cycle_uuid, today)
    raise InvalidInput(f"Unknown report format {fmt!r}; use xlsx or pdf.")


def pack_flowables(session: Session, request: ReportRequest) -> list[Any]:
    """The meeting-pack paper (portrait A4 frame): heat map as vectors, then the cycle register.

    Filters: "cycle" (name or uuid; default the newest cycle); "agency" (uuid) limits the register.
    """
    from reportlab.lib.pagesizes import A4

    from app.office.pdf_styles import MARGINS, MM, para, styles
    from app.office.vector_charts import figure_flowable

    look = styles()
    wanted = request.filters.get("cycle")
    if wanted:
        cycle = find_cycle(session, wanted)
    else:
        cycles = list_cycles(session)
        if not cycles:
            return [para("Section 11", look.heading), para("No Section 11 cycle has been set up yet.")]
        cycle = get_cycle(session, cycles[0].uuid)
    width = A4[0] - MARGINS["left"] - MARGINS["right"]
    heat = heat_map_data(session, cycle.uuid)
    from app.office.pdf_styles import grid_table

    # "Section 11: Section 11 audit 2026" said it twice
    title = cycle.name if "section 11" in cycle.name.casefold() else f"Section 11: {cycle.name}"
    out: list[Any] = [
        para(title, look.heading),
        para(f"Position on {uk(request.as_of)}. Moderated scores; '-' is not moderated yet.", look.small),
        figure_flowable(heat_map_figure(heat, width_mm=width / MM), width),
        para("Key to the heat map", look.subheading),
        grid_table(_heat_map_key(heat), [width * 0.07, width * 0.5, width * 0.1, width * 0.33]),
        para("Where every agency is", look.subheading),
    ]

    agency = request.filters.get("agency")
    rows = [["Agency", "Status", "Late", "Next step"]]
    rows += [
        [r.agency, r.status_label, r.late or "-", r.next_step]
        for r in cycle_register(session, cycle.uuid, request.as_of)
        if not agency or r.agency_uuid == agency
    ]
    out.append(grid_table(rows, [width * 0.36, width * 0.16, width * 0.2, width * 0.28]))
    return out


def _heat_map_key(heat: HeatMap) -> list[list[str]]:
    """The standards' titles and the agencies' names beside the short labels the heat map uses: a board
    member reading the pack on paper has no tooltip to ask."""
    standards = list(zip(heat.standards, heat.standard_titles, strict=True))
    agencies = list(zip(heat.agencies, heat.agency_names, strict=True))
    rows = [["Ref", "Standard", "Row", "Agency"]]
    for index in range(max(len(standards), len(agencies))):
        ref, title = standards[index] if index < len(standards) else ("", "")
        code, name = agencies[index] if index < len(agencies) else ("", "")
        rows.append([ref, title, code, name])
    return rows

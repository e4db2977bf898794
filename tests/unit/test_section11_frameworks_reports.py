"""Frameworks as data (shipped, edited, copied forward, XLSX out and back), and what the partnership
sees: heat map, self v moderated, year on year, sectors, cycle reports, the meeting-pack paper."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.contributions import PACK_REPORTS, ReportRequest
from app.errors import InvalidInput
from app.section11 import charts, cycles, frameworks, reports
from app.section11.framework_files import framework_xlsx, import_framework
from app.section11.ids import framework_id
from app.store.workspace import Workspace


def test_shipped_frameworks_edit_copy_and_round_trip(workspace: Workspace) -> None:
    with workspace.unit_of_work() as uow:
        frameworks.ensure_shipped(uow)
        frameworks.ensure_shipped(uow)  # idempotent
    with workspace.reading() as session:
        shipped = {f.kind: f for f in frameworks.list_frameworks(session)}
    assert len(shipped["classic"].live_standards()) == 8 and len(shipped["schools"].live_standards()) == 9
    assert all(s.questions and s.evidence_prompts and s.good_practice for s in shipped["classic"].standards)
    classic = framework_id("classic")
    with workspace.unit_of_work() as uow:
        copy = frameworks.copy_framework(uow, classic, version_label="2027")
        copy_uuid = copy.uuid
        added = frameworks.add_standard(
            uow, copy_uuid, title="Whistleblowing is safe and used", questions=["How many concerns were raised?"]
        )
        standards = frameworks.standards_of(uow.session, copy_uuid)
        frameworks.retire_standard(uow, standards[3].uuid)
        frameworks.edit_standard(uow, standards[0].uuid, title="Leaders own safeguarding")
        with pytest.raises(InvalidInput, match="already has a standard 9"):
            frameworks.add_standard(uow, copy_uuid, title="Twin", number=added.number)
    with workspace.reading() as session:
        view = next(f for f in frameworks.list_frameworks(session) if f.uuid == copy_uuid)
        original = next(f for f in frameworks.list_frameworks(session) if f.uuid == classic)
        data = framework_xlsx(session, copy_uuid)
    assert [s.number for s in view.live_standards()] == [1, 2, 3, 5, 6, 7, 8, 9]
    assert (
        view.standards[0].title == "Leaders own safeguarding" and original.standards[0].title != view.standards[0].title
    )
    assert view.standards[0].lineage == original.standards[0].lineage  # carry-forward follows the lineage

    book = load_workbook(BytesIO(data))
    book["Framework"]["B2"] = "2028"
    buffer = BytesIO()
    book.save(buffer)
    with workspace.unit_of_work() as uow:
        result = import_framework(uow, buffer.getvalue(), "fw.xlsx")
        assert not result.report.has_errors, result.report.to_text()
        imported = frameworks.standards_of(uow.session, result.framework_uuid, include_retired=True)
        assert len(imported) == 9 and sum(s.retired for s in imported) == 1
        again = import_framework(uow, buffer.getvalue(), "fw.xlsx")
    assert "already a framework" in again.report.to_text()
    book["Standards"]["A3"] = "two"
    buffer = BytesIO()
    book["Framework"]["B2"] = "2029"
    book.save(buffer)
    with workspace.unit_of_work() as uow:
        bad = import_framework(uow, buffer.getvalue(), "fw.xlsx")
    assert "fw.xlsx, row 3, column 'Number': error: 'two' is not a whole number" in bad.report.to_text()


@pytest.fixture
def demo(demo_workspace: Workspace) -> Workspace:
    """A private copy of the session's demo workspace (tests/conftest.py)."""
    return demo_workspace


def test_heat_map_and_charts_say_in_text_what_colour_says(demo: Workspace, tmp_path: Path) -> None:
    from app.office.vector_charts import figure_flowable, figure_png, figure_svg

    with demo.reading() as session:
        cycle = cycles.list_cycles(session)[0]
        heat = charts.heat_map_data(session, cycle.uuid)
        over = charts.self_vs_moderated(session, cycle.uuid)
        yoy = charts.year_on_year(session, cycle.uuid)
        sectors = charts.sector_summary(session, cycle.uuid)
    police = heat.cells[heat.agencies.index("Police")]
    assert [c.text for c in police][:4] == ["2", "2", "1", "0"] and police[3].rag == "red"
    assert heat.cells[heat.agencies.index("School")][0].text == "-"
    svg = figure_svg(charts.heat_map_figure(heat)).decode()
    assert ">0<" in svg and ">S9<" in svg and "Not moderated" in svg  # the numbers are text in the SVG
    assert "Green (moderated)" in svg  # the legend says which rating the colours are
    assert figure_png(charts.heat_map_figure(heat)).startswith(b"\x89PNG")
    assert figure_flowable(charts.heat_map_figure(heat), 400).width == pytest.approx(400)
    assert over[0].agency == "Police" and over[0].over_rated == 8
    assert {r.change for r in yoy} >= {"better", "same", "worse", "new"}
    police_s4 = next(r for r in yoy if r.agency == "Police" and r.standard == "S4")
    assert (police_s4.last, police_s4.now, police_s4.change) == (1, 0, "worse")
    assert next(s for s in sectors if s.sector == "Health").agencies == 3
    for figure in (
        charts.self_vs_moderated_figure(over, cycle.name),
        charts.year_on_year_figure(yoy, cycle.name),
        charts.year_on_year_figure(yoy, cycle.name, by="standard"),
    ):
        assert b"<svg" in figure_svg(figure)


def test_cycle_reports_and_the_pack_paper(demo: Workspace) -> None:
    import pypdfium2 as pdfium

    with demo.reading() as session:
        cycle = cycles.list_cycles(session)[0]
        pdf = reports.cycle_report_pdf(session, cycle.uuid, today=date(2026, 12, 1))
        xlsx = reports.cycle_report_xlsx(session, cycle.uuid)
        paper = PACK_REPORTS.require("section11").build(
            session, ReportRequest(date(2026, 12, 1), {"cycle": cycle.name})
        )
    document = pdfium.PdfDocument(pdf)
    try:
        pages = len(document)
        text = " ".join(" ".join(document[i].get_textpage().get_text_range().split()) for i in range(pages))
    finally:
        document.close()
    assert "Where every agency is" in text and "days late" in text and f"Page 1 of {pages}" in text
    assert text.count("OFFICIAL-SENSITIVE") == 2 * pages
    book = load_workbook(BytesIO(xlsx))
    assert book.sheetnames == ["Register", "Heat map", "Standards", "Self v moderated", "Year on year", "Sectors"]
    heat = book["Heat map"]
    assert heat["A1"].value == "OFFICIAL-SENSITIVE" and heat.cell(3, 3).value == "S1"
    from reportlab.graphics.shapes import Drawing

    assert any(isinstance(f, Drawing) for f in paper)  # the heat map as vectors, not a picture

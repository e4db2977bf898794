"""The Section 11 paper of a meeting pack can be read on paper: its heat map's short labels have a key, and
its heading names the cycle once (real demo workspace)."""

from __future__ import annotations

from datetime import date

from reportlab.platypus import Paragraph, Table

from app.contributions import ReportRequest
from app.section11.charts import heat_map_data
from app.section11.cycles import list_cycles
from app.section11.reports import pack_flowables
from app.store.workspace import Workspace


def test_the_pack_paper_keys_its_heat_map_and_names_the_cycle_once(demo_workspace: Workspace) -> None:
    with demo_workspace.reading() as session:
        cycle = list_cycles(session)[0]
        heat = heat_map_data(session, cycle.uuid)
        flowables = pack_flowables(session, ReportRequest(as_of=date(2026, 12, 1)))
    heading = next(f for f in flowables if isinstance(f, Paragraph)).getPlainText()
    assert heading == cycle.name and heading.casefold().count("section 11") == 1
    cells = {
        value.getPlainText() if isinstance(value, Paragraph) else str(value)
        for table in flowables
        if isinstance(table, Table)
        for row in table._cellvalues
        for value in row
    }
    assert set(heat.standard_titles) <= cells and set(heat.agency_names) <= cells
    assert set(heat.standards) <= cells and set(heat.agencies) <= cells

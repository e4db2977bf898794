"""A live report's filters as its own area offers them (labels, choices), on the real demo workspace:
a Section 11 cycle chosen from the list is stored by id, resolves and prints."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from sqlalchemy.orm import Session

from app.agencies import list_agencies
from app.contributions import PACK_REPORTS, ReportRequest
from app.errors import InvalidInput
from app.meetings import service
from app.section11.cycles import list_cycles
from app.store.workspace import Workspace
from tests.helpers.meetings_pdf import page_texts


def _open_item(session: Session) -> str:
    """The first agenda item of a meeting whose minutes are not approved (papers may still be added)."""
    meeting = next(m for m in service.list_meetings(session) if m.status != service.MINUTES_APPROVED)
    return service.items(session, meeting.uuid)[0].uuid


def _fields(workspace: Workspace, report: str) -> dict[str, service.FilterField]:
    with workspace.reading() as session:
        return {f.name: f for f in service.report_filter_fields(session, report)}


def test_section11_offers_its_cycles_by_name_and_agencies_as_agency(demo_workspace: Workspace) -> None:
    fields = _fields(demo_workspace, "section11")
    with demo_workspace.reading() as session:
        cycles = [(c.name, c.uuid) for c in list_cycles(session)]
        agencies = [(a.name, a.uuid) for a in list_agencies(session)]
    assert [(f.name, f.label) for f in fields.values()] == [("cycle", "Section 11 cycle"), ("agency", "Agency")]
    assert len(cycles) == 2 and fields["cycle"].choices == cycles  # newest first
    assert fields["agency"].choices == agencies
    # left unset, the paper shows the newest cycle at build time, and the list says so rather than "Any"
    assert (fields["cycle"].unset, fields["agency"].unset) == ("Newest cycle when the pack is built", "Any")


def test_the_action_log_keeps_owner_agency_and_its_choices(demo_workspace: Workspace) -> None:
    fields = _fields(demo_workspace, "actions")
    assert [(f.name, f.label) for f in fields.values()] == [
        ("body", "Raised at meetings of"),
        ("source", "Source"),
        ("agency", "Owner agency"),
        ("source_label", "Source name contains"),
        ("open_only", "Open actions only"),
    ]
    assert ("Quality Assurance subgroup (QA)", "QA") in (fields["body"].choices or [])
    assert ("Section 11 challenge", "section11") in (fields["source"].choices or [])
    assert fields["open_only"].choices == [("Yes", "yes")] and fields["source_label"].choices is None
    assert _fields(demo_workspace, "performance")["agency"].label == "Agency"


def test_a_cycle_chosen_from_the_list_resolves_and_prints(demo_workspace: Workspace) -> None:
    from reportlab.platypus import SimpleDocTemplate

    older_name, older = _fields(demo_workspace, "section11")["cycle"].choices[1]  # type: ignore[index]
    with demo_workspace.unit_of_work() as uow:
        item = _open_item(uow.session)
        chosen = service.add_report_paper(uow, item, "section11", filters={"cycle": older})
        typed = service.add_report_paper(uow, item, "section11", filters={"cycle": older_name.upper()})
        stored = [dict(chosen.report_filters), dict(typed.report_filters)]
        titles = [chosen.title, typed.title]
    assert stored == [{"cycle": older}, {"cycle": older}]
    assert titles == [f"Section 11: heat map and cycle status ({older_name})"] * 2

    with demo_workspace.reading() as session:
        story = PACK_REPORTS.require("section11").build(session, ReportRequest(date.today(), stored[0]))
    buffer = BytesIO()
    SimpleDocTemplate(buffer).build(story)
    assert older_name in page_texts(buffer.getvalue())[0]


def test_a_cycle_nobody_has_is_refused_naming_the_known_ones_and_adds_nothing(demo_workspace: Workspace) -> None:
    with demo_workspace.reading() as session:
        item = _open_item(session)
        before = len(service.papers(session, item))
    with pytest.raises(InvalidInput, match=r"Section 11 cycle: there is no 'S11 1999'.*Known: 'Section 11 audit"):
        with demo_workspace.unit_of_work() as uow:
            service.add_report_paper(uow, item, "section11", filters={"cycle": "S11 1999"})
    with demo_workspace.reading() as session:
        assert len(service.papers(session, item)) == before

"""Attendance in the minutes, on real encrypted workspaces: a business coordinator's trial found members who
were only "Invited" listed nowhere in the minutes, and minutes approved with their attendance never recorded."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from docx import Document
from sqlalchemy import select

from app.errors import InvalidInput
from app.meetings import minutes, service
from app.store.workspace import Workspace
from db.models.core import AuditEntry
from tests.helpers.meetings_pdf import page_texts

NOT_RECORDED = "Attendance not yet recorded"


@pytest.fixture
def meeting(workspace: Workspace) -> str:
    """QA on 12/03/2026 with Jo present, Sam sending apologies and Pat and Lee only invited."""
    with workspace.unit_of_work() as uow:
        found = service.add_meeting(uow, body="QA", meets_on=date(2026, 3, 12), chair="Jo Chair")
        uow.session.flush()
        service.add_item(uow, found.uuid, "Action log")
        for name in ("Jo Chair", "Sam Apologies", "Pat Invited", "Lee Invited"):
            service.add_member(uow, found.uuid, name)
        uow.session.flush()
        people = {m.name: m.uuid for m in service.members(uow.session, found.uuid)}
        service.set_attendance(uow, people["Jo Chair"], "present")
        service.set_attendance(uow, people["Sam Apologies"], "apologies")
        service.add_meeting(uow, body="QA", meets_on=date(2026, 4, 9))  # the meeting approving the minutes
        return found.uuid


def _attendance(workspace: Workspace, meeting: str) -> dict[str, str]:
    with workspace.reading() as session:
        return {m.name: m.attendance for m in service.members(session, meeting)}


def _pdf_text(workspace: Workspace, meeting: str) -> str:
    with workspace.reading() as session:
        return "\n".join(page_texts(minutes.export_minutes(session, meeting, "pdf")))


def _docx_text(workspace: Workspace, meeting: str) -> str:
    with workspace.reading() as session:
        data = minutes.export_minutes(session, meeting, "docx")
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def test_marking_held_records_whoever_is_still_only_invited_as_absent_in_the_audit_trail(
    workspace: Workspace, meeting: str
) -> None:
    with workspace.reading() as session:
        before = {m.name: m.field_stamps.get("attendance") for m in service.members(session, meeting)}
    with workspace.unit_of_work() as uow:
        minutes.mark_held(uow, meeting)
    assert _attendance(workspace, meeting) == {
        "Jo Chair": "present",
        "Lee Invited": "absent",
        "Pat Invited": "absent",
        "Sam Apologies": "apologies",
    }
    with workspace.reading() as session:
        names = {m.uuid: m.name for m in service.members(session, meeting)}
        entries = [
            (e.record_id, e.summary, e.changes)
            for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))
            if e.table_name == "meeting_member" and e.action == "update"
        ]
        # stamped as any attendance change: the field's own stamp, as a merge compares them
        stamps = {m.name: m.field_stamps.get("attendance") for m in service.members(session, meeting)}
    recorded = {names[uuid]: (summary, json.loads(changes)) for uuid, summary, changes in entries[-2:]}
    assert recorded == {
        name: (
            f"{name}: absent (still only invited when QA-2026-03-12 was marked as held)",
            {"attendance": ["invited", "absent"]},
        )
        for name in ("Lee Invited", "Pat Invited")
    }
    assert [name for name in stamps if stamps[name] != before[name]] == ["Lee Invited", "Pat Invited"]
    record = _pdf_text(workspace, meeting)
    assert "Lee Invited; Pat Invited" in record and NOT_RECORDED not in record


def test_minutes_before_the_meeting_is_held_list_who_is_still_only_invited(workspace: Workspace, meeting: str) -> None:
    with workspace.reading() as session:
        record = minutes.minutes_of(session, meeting)
    assert record.not_recorded == ["Lee Invited", "Pat Invited"] and record.absent == []
    pdf = _pdf_text(workspace, meeting)
    assert f"{NOT_RECORDED}\nLee Invited; Pat Invited" in pdf.replace("\r\n", "\n")
    docx = _docx_text(workspace, meeting)
    assert f"{NOT_RECORDED}\nLee Invited; Pat Invited" in docx


def test_the_not_recorded_section_changes_no_approval_hash() -> None:
    """The hash approved minutes keep is of their text: minutes with nobody left only invited (as every approved
    one is) read as they did before the section existed, so minutes approved earlier still verify."""
    record = minutes.Minutes("QA-1", "QA", date(2026, 3, 12), "10:00", "Room 4", "Chair", ["A"], [], ["B"], [])
    assert NOT_RECORDED not in record.text() and "not_recorded" not in minutes.snapshot(record)
    with_invited = minutes.Minutes(
        "QA-1", "QA", date(2026, 3, 12), "10:00", "Room 4", "Chair", ["A"], [], ["B"], [], not_recorded=["C"]
    )
    assert f"{NOT_RECORDED}: C" in with_invited.text()


def test_approving_while_anyone_is_only_invited_is_refused_naming_them(workspace: Workspace, meeting: str) -> None:
    with workspace.unit_of_work() as uow:
        minutes.mark_held(uow, meeting)
    with workspace.unit_of_work() as uow:  # set back by hand after the meeting (or by a member's bundle)
        for member in service.members(uow.session, meeting):
            if member.name in ("Pat Invited", "Lee Invited"):
                service.set_attendance(uow, member.uuid, "invited")
    with pytest.raises(InvalidInput) as refused:
        with workspace.unit_of_work() as uow:
            minutes.approve_minutes(uow, meeting, at_meeting="QA-2026-04-09")
    assert refused.value.message == (
        "The minutes of QA-2026-03-12 cannot be approved while the attendance of Lee Invited and Pat Invited "
        "is not recorded (still only invited): record each as present, apologies or absent first."
    )
    with workspace.reading() as session:
        held = service.get_meeting(session, meeting)
        assert (held.status, held.minutes_hash) == (service.HELD, "")
    with workspace.unit_of_work() as uow:
        for member in service.members(uow.session, meeting):
            if member.attendance == "invited":
                service.set_attendance(uow, member.uuid, "absent")
    with workspace.unit_of_work() as uow:
        minutes.approve_minutes(uow, meeting, at_meeting="QA-2026-04-09")
    with workspace.reading() as session:
        assert service.get_meeting(session, meeting).status == service.MINUTES_APPROVED

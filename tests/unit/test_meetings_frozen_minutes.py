"""Approved minutes stay as approved (issue 12: "approved at the next meeting, after which they are
frozen, hash in the audit log"), on real encrypted workspaces: exports come from what was approved,
`workbench check` and the merge say when the meeting's record no longer matches it."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from app.actions import service as actions
from app.agencies import add_agency
from app.errors import InvalidInput
from app.exchange import service as exchange
from app.meetings import minutes, service
from app.store.workspace import Workspace
from tests.helpers.cli import run
from tests.helpers.meetings_pdf import page_texts
from tests.helpers.members import introduced, send


def _held_meeting(ws: Workspace, *, agency: bool = True) -> tuple[str, str, str]:
    """(meeting, its second item, the action raised there), the meeting held, minutes not yet approved."""
    with ws.unit_of_work() as uow:
        police = add_agency(uow, "Northbridge Police", "Police") if agency else None
        meeting = service.add_meeting(uow, body="QA", meets_on=date(2026, 3, 12), chair="Dr Helen Marsh")
        uow.session.flush()
        service.add_item(uow, meeting.uuid, "Minutes")
        item = service.add_item(uow, meeting.uuid, "Action log")
        named = service.add_item(uow, meeting.uuid, "Named cases CHILD-Q", restricted=True)
        uow.session.flush()
        minutes.record_item(uow, named.uuid, notes="CHILD-Q was seen twice.", decisions="CHILD-Q: strategy meeting.")
        member = service.add_member(uow, meeting.uuid, "Jo Chair")
        uow.session.flush()
        service.set_attendance(uow, member.uuid, "present")
        minutes.record_item(uow, item.uuid, notes="Three actions overdue.", decisions="Escalate to the board.")
        reference = ""
        if police is not None:
            reference = minutes.raise_action(
                uow, item.uuid, title="Report overdue actions", owner_agency_uuid=police.uuid, due=date(2026, 4, 30)
            )
        minutes.mark_held(uow, meeting.uuid)
        return meeting.uuid, item.uuid, reference


def _next_meeting(ws: Workspace) -> None:
    """QA on 09/04/2026: the meeting that approves the held meeting's minutes."""
    with ws.unit_of_work() as uow:
        service.add_meeting(uow, body="QA", meets_on=date(2026, 4, 9))


def test_approved_minutes_export_the_same_after_their_actions_move_on(workspace: Workspace) -> None:
    meeting, _item, reference = _held_meeting(workspace)
    _next_meeting(workspace)
    with workspace.unit_of_work() as uow:
        digest = minutes.approve_minutes(uow, meeting, at_meeting="QA-2026-04-09", on=date(2026, 4, 9))
    with workspace.reading() as session:
        pdf, docx = minutes.export_minutes(session, meeting, "pdf"), minutes.export_minutes(session, meeting, "docx")
        kept = service.get_meeting(session, meeting).approved_minutes
        assert minutes.from_snapshot(session, kept).digest() == digest
    assert "CHILD-Q" not in json.dumps(kept)  # the meeting travels to every member; restricted words do not
    with workspace.unit_of_work() as uow:
        action = actions.get_action(uow.session, reference)
        actions.bulk_change_due(uow, [action], date(2026, 9, 30), "Board asked for more time")
        actions.edit_action(uow, action, title="Report overdue actions monthly")
    with workspace.reading() as session:
        assert minutes.minutes_of(session, meeting).digest() != digest  # the live record moved on...
        assert minutes.export_minutes(session, meeting, "pdf") == pdf  # ...the approved minutes did not
        assert minutes.export_minutes(session, meeting, "docx") == docx
        assert minutes.frozen_minutes_problems(session) == []  # an action's progress is not a change of minutes
    text = "\n".join(page_texts(pdf))
    assert "Report overdue actions" in text and "30/04/2026" in text and "Approved on 09/04/2026" in text


def test_check_reports_approved_minutes_changed_behind_the_freeze(workspace: Workspace, workspace_path: Path) -> None:
    meeting, item, _reference = _held_meeting(workspace)
    with workspace.unit_of_work() as uow:
        minutes.approve_minutes(uow, meeting)
    with workspace.unit_of_work() as uow:  # as a merge writes it: below the services' freeze
        uow.update(service.get_item(uow.session, item), decisions="Do nothing.", summary="merged")
    with workspace.reading() as session:
        found = minutes.frozen_minutes_problems(session)
    assert [(f.reference, f.problem) for f in found] == [
        ("QA-2026-03-12", "changed after its minutes were approved: item 2's decisions")
    ]
    workspace.lock()
    checked = run("check", str(workspace_path))
    assert checked.returncode == 1
    assert "Approved minutes: 1 CHANGED since approval" in checked.stdout
    assert "  QA-2026-03-12: changed after its minutes were approved: item 2's decisions" in checked.stdout


def test_a_bundle_editing_approved_minutes_is_flagged_not_silently_applied(tmp_path: Path) -> None:
    """Bob edits the notes of a held meeting while Ann approves its minutes; his bundle reaches her."""
    with introduced(tmp_path, "Ann", "Bob") as (ann, bob):
        meeting, item, _reference = _held_meeting(ann, agency=False)
        exchange.import_bundle(bob, send(ann, [bob], tmp_path / "agenda.bundle"))
        with bob.unit_of_work() as uow:
            minutes.record_item(uow, item, notes="Bob's notes, typed after the meeting.")
        with ann.unit_of_work() as uow:
            minutes.approve_minutes(uow, meeting)
        with ann.reading() as session:
            approved_pdf = minutes.export_minutes(session, meeting, "pdf")
        exchange.import_bundle(ann, send(bob, [ann], tmp_path / "notes.bundle"))
        with ann.reading() as session:
            breaches = exchange.unsettled_rule_breaches(session, "meeting")
            titles = [c.record_title for c in exchange.list_conflicts(ann, session) if c.table == "meeting"]
            found = minutes.frozen_minutes_problems(session)
            assert minutes.export_minutes(session, meeting, "pdf") == approved_pdf  # the approved minutes stand
        assert breaches == {
            meeting: "minutes approved and frozen, yet changed after its minutes were approved: item 2's notes"
        }
        assert [f.problem for f in found] == ["changed after its minutes were approved: item 2's notes"]
        assert titles == ["Meeting QA-2026-03-12"]  # in the Conflicts view, by its reference
        text = "\n".join(page_texts(approved_pdf))
        assert "Three actions overdue." in text and "Bob's notes" not in text


def test_minutes_approved_before_they_were_kept_are_checked_by_hash(workspace: Workspace) -> None:
    meeting, item, _reference = _held_meeting(workspace, agency=False)
    with workspace.unit_of_work() as uow:
        minutes.approve_minutes(uow, meeting)
        uow.update(service.get_meeting(uow.session, meeting), approved_minutes={}, summary="as an older version")
    with workspace.reading() as session:
        assert minutes.frozen_minutes_problems(session) == []
    with workspace.unit_of_work() as uow:
        uow.update(service.get_item(uow.session, item), notes="edited", summary="merged")
    with workspace.reading() as session:
        assert [f.problem for f in minutes.frozen_minutes_problems(session)] == [
            "the minutes no longer match the hash they were approved with"
        ]


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_same_minutes_export_to_the_same_bytes(workspace: Workspace, fmt: str) -> None:
    import time

    meeting, _item, _reference = _held_meeting(workspace, agency=False)
    with workspace.reading() as session:
        first = minutes.export_minutes(session, meeting, fmt)
        time.sleep(2.1)  # zip entries carry 2-second times
        assert minutes.export_minutes(session, meeting, fmt) == first


def test_a_member_not_cleared_gets_approved_minutes_without_the_restricted_item(tmp_path: Path) -> None:
    with introduced(tmp_path, "Ann", "Bob") as (ann, bob):
        meeting, _item, _reference = _held_meeting(ann, agency=False)
        with ann.unit_of_work() as uow:
            minutes.approve_minutes(uow, meeting)
        exchange.import_bundle(bob, send(ann, [bob], tmp_path / "approved.bundle"))
        with bob.reading() as session:
            assert minutes.frozen_minutes_problems(session) == []
            pdf = minutes.export_minutes(session, meeting, "pdf")
            docx = minutes.export_minutes(session, meeting, "docx")
        with ann.reading() as session:
            own = "\n".join(page_texts(minutes.export_minutes(session, meeting, "pdf")))
        text = "\n".join(page_texts(pdf))
        assert "CHILD-Q" not in text and "Restricted item: minutes to members only." in text
        assert "Three actions overdue." in text
        words = "\n".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)
        assert "CHILD-Q" not in words and "Restricted item: minutes to members only." in words
        assert "CHILD-Q was seen twice." in own


def test_minutes_not_yet_approved_say_they_are_a_draft(workspace: Workspace) -> None:
    """An export before approval looked like the approved minutes bar one missing line: members given the PDF
    or DOCX after the meeting could not tell a draft from the minutes the next meeting approves."""
    meeting, _item, _reference = _held_meeting(workspace)
    with workspace.reading() as session:
        pdf, docx = minutes.export_minutes(session, meeting, "pdf"), minutes.export_minutes(session, meeting, "docx")
    assert "Draft: these minutes are not yet approved" in page_texts(pdf)[0]
    paragraphs = [p.text for p in Document(io.BytesIO(docx)).paragraphs]
    assert any(p.startswith("Draft: these minutes are not yet approved") for p in paragraphs)
    _next_meeting(workspace)
    with workspace.unit_of_work() as uow:
        minutes.approve_minutes(uow, meeting, at_meeting="QA-2026-04-09", on=date(2026, 4, 9))
    with workspace.reading() as session:
        approved = minutes.export_minutes(session, meeting, "pdf")
    assert "Draft" not in "".join(page_texts(approved)) and "Approved on 09/04/2026" in page_texts(approved)[0]


def test_the_meeting_approving_minutes_must_exist_and_meet_later(workspace: Workspace) -> None:
    """Whatever was typed in "approved at" was frozen with the minutes and printed on every export: a typo,
    a meeting nobody has, or the meeting itself."""
    meeting, _item, _reference = _held_meeting(workspace)
    _next_meeting(workspace)
    for typed, refused in (
        ("QA-2026-04-90", "There is no meeting 'QA-2026-04-90' to approve the minutes of QA-2026-03-12 at"),
        ("QA-2026-03-12", "QA-2026-03-12 does not meet after QA-2026-03-12"),
    ):
        with pytest.raises(InvalidInput, match=refused), workspace.unit_of_work() as uow:
            minutes.approve_minutes(uow, meeting, at_meeting=typed)
        with workspace.reading() as session:
            assert service.get_meeting(session, meeting).status == service.HELD
    with workspace.unit_of_work() as uow:
        minutes.approve_minutes(uow, meeting, at_meeting="qa-2026-04-09 ", on=date(2026, 4, 9))
    with workspace.reading() as session:
        assert service.get_meeting(session, meeting).minutes_approved_at == "QA-2026-04-09"


def _minutes_of(notes: str, decisions: str) -> bytes:
    from app.meetings.minutes import Minutes, MinutesItem, minutes_pdf

    item = MinutesItem(1, "Neglect audit", "decision", False, notes, decisions)
    return minutes_pdf(Minutes("QA-1", "QA", date(2026, 3, 12), "10:00", "Room 4", "Chair", ["A"], [], [], [item]))


def test_a_long_decision_starts_under_the_notes_and_no_heading_stands_alone_at_a_page_foot() -> None:
    """The Decisions heading was kept with its text by moving both to the next page whenever the text did not
    fit below the notes: a decision of half a page left most of page 1 blank under the notes."""
    from tests.helpers.meetings_pdf import page_texts, text_boxes

    decision = " ".join(["The board agreed the re-audit plan and its timetable."] * 100)
    data = _minutes_of("\n".join(["Members discussed the audit findings."] * 12), decision)
    [(_left, bottom, _right, _top)] = text_boxes(data, 1, "Decisions")
    assert bottom > 300  # under the notes on page 1, its text running on to page 2
    assert page_texts(data)[0].split("Decisions")[1].strip().startswith("The board agreed")
    for notes_lines in range(30, 64, 2):  # wherever the notes end, the heading has its text under it
        data = _minutes_of("\n".join(["Members discussed the audit findings."] * notes_lines), decision)
        for number, text in enumerate(page_texts(data), start=1):
            if "Decisions" in text:
                [(_left, bottom, _right, _top)] = text_boxes(data, number, "Decisions")
                assert text.split("Decisions")[1].strip().startswith("The board agreed"), notes_lines
                assert bottom > 16 * 72 / 25.4 + 3 * 12.5, notes_lines

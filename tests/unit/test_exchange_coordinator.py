"""What the business coordinator sees when exchanging bundles (a trial's findings): a restore that keeps
both values, resolved conflicts still listed until the next import, a history that says what it counts
and where each bundle came from, and an import summary that names the records in conflict."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.exchange import service
from app.meetings import issue
from app.meetings import service as meetings
from app.meetings.sealed import seal_copy
from app.store.workspace import Workspace
from db.models.actions import Action
from tests.helpers.members import (
    agency,
    edit,
    introduce,
    make_member,
    police_action,
    send,
    swap,
    trusting_pair_for_a_test,
)


@pytest.fixture
def pair(tmp_path: Path):
    yield from trusting_pair_for_a_test(tmp_path, ("Children's Social Care", "CSC"))


def _conflicts(ws: Workspace) -> list[service.ConflictView]:
    with ws.reading() as session:
        return service.list_conflicts(ws, session)


def _history(ws: Workspace) -> list[service.HistoryEntry]:
    with ws.reading() as session:
        return service.history(session)


def _resolve(ws: Workspace, conflict_id: int, *, restore: bool) -> None:
    with ws.unit_of_work() as uow:
        service.resolve_conflict(uow, conflict_id, restore=restore)


def test_restore_holds_the_replaced_value_and_keeps_the_one_it_replaces(pair) -> None:
    """Restoring writes the replaced value back; the value it displaces (here a later edit of the
    winner) stays in the log, so after Restore the record and the log between them hold both."""
    a, b, tmp = pair
    edit(a, "CSC", name="Ann's wording")
    edit(b, "CSC", name="Bob's wording")  # later: wins
    service.import_bundle(a, send(b, [a], tmp / "b.bundle"))
    edit(a, "CSC", name="Ann's second thoughts")  # after seeing Bob's: a plain edit, no new conflict
    (conflict,) = _conflicts(a)
    assert conflict.losing_value == "Ann's wording"
    _resolve(a, conflict.id, restore=True)
    assert agency(a, "CSC").name == "Ann's wording"
    with a.reading() as session:
        (resolved,) = service.list_conflicts(a, session)
    assert resolved.resolution == "restored"
    assert (resolved.current_value, resolved.winning_by) == ("Ann's wording", "Ann (you)")  # the restore's writer
    assert resolved.replaced_by_restore == "Ann's second thoughts"
    assert "Ann's second thoughts" in resolved.resolved_text and "Ann's wording" in resolved.resolved_text


def test_restoring_a_group_brings_back_its_whole_state_and_keeps_the_displaced_one(tmp_path: Path) -> None:
    ann, bob, cat = (make_member(tmp_path, name) for name in ("Ann", "Bob", "Cat"))
    try:
        introduce(ann, bob, cat)
        police_action(ann, status="in_progress")
        first = send(ann, [bob, cat], tmp_path / "first.bundle")
        service.import_bundle(bob, first)
        service.import_bundle(cat, first)
        for ws, changes in (
            (ann, {"status": "awaiting_evidence", "due_date": date(2027, 1, 1)}),
            (bob, {"impact_evidence": "Interim: two audits", "due_date": date(2028, 1, 1)}),
        ):
            with ws.unit_of_work() as uow:
                uow.update(uow.session.scalars(select(Action)).one(), **changes)
        service.import_bundle(cat, send(ann, [cat], tmp_path / "a.bundle"))
        service.import_bundle(cat, send(bob, [cat], tmp_path / "b.bundle"))
        conflicts = _conflicts(cat)
        assert {c.field for c in conflicts} == {"due_date", "group:status"}
        for conflict in conflicts:
            _resolve(cat, conflict.id, restore=True)
        with cat.reading() as session:
            action = session.scalars(select(Action)).one()
            assert (action.status, action.impact_evidence, action.due_date) == (
                "awaiting_evidence",
                "",
                date(2027, 1, 1),
            )
            resolved = {c.field: c for c in service.list_conflicts(cat, session)}
        assert resolved["due_date"].replaced_by_restore == "2028-01-01"
        assert resolved["group:status"].replaced_by_restore["impact_evidence"] == "Interim: two audits"
        # every member ends with the restored values
        for ws in (ann, bob):
            service.import_bundle(ws, send(cat, [ws], tmp_path / f"restore-{ws.member.display_name}.bundle"))
            with ws.reading() as session:
                action = session.scalars(select(Action)).one()
                assert (action.status, action.due_date) == ("awaiting_evidence", date(2027, 1, 1))
    finally:
        for ws in (ann, bob, cat):
            ws.lock()


def test_resolved_conflicts_stay_listed_until_the_next_import(pair) -> None:
    a, b, tmp = pair
    edit(a, "CSC", name="Ann's wording", sector="Ann's sector")
    edit(b, "CSC", name="Bob's wording", sector="Bob's sector")
    swap(a, b, tmp, "first", service.Scope())
    by_field = {c.field: c for c in _conflicts(a)}
    _resolve(a, by_field["name"].id, restore=False)
    _resolve(a, by_field["sector"].id, restore=True)
    shown = {c.field: c for c in _conflicts(a)}
    assert set(shown) == {"name", "sector"}
    assert shown["name"].resolved_text == "Resolved: kept Bob's wording"
    assert shown["sector"].resolved_text.startswith("Resolved: restored Ann's sector")
    assert not any(c.restorable for c in shown.values())
    with a.reading() as session:
        assert service.unresolved_conflict_count(session) == 0
    edit(b, "CSC", short_name="CSC2")
    service.import_bundle(a, send(b, [a], tmp / "next.bundle", service.Scope("since_last")))
    assert _conflicts(a) == []


def test_history_says_where_a_received_bundle_came_from_and_what_it_did_not_count(pair) -> None:
    a, b, tmp = pair
    with a.unit_of_work() as uow:
        from db.models.core import Agency

        uow.create(Agency, name="Police", short_name="Police")
    edit(a, "CSC", name="Children's services")
    service.import_bundle(b, send(a, [b], tmp / "everything.bundle"))  # CSC changed, Police new
    received = next(h for h in _history(b) if h.direction == "received")
    assert received.scope == "everything"
    assert received.total == 2 and received.unchanged == 0
    service.import_bundle(b, send(a, [b], tmp / "again.bundle"))  # the same records again: nothing new
    again = _history(b)[0]
    assert again.direction == "received" and again.total == 0 and again.unchanged == 2
    assert again.records_text == "0 records (2 unchanged not counted)"
    sent = next(h for h in _history(a) if h.direction == "sent")
    assert sent.records_text == "2 records" and sent.scope == "everything"


def test_a_sealed_copy_for_a_member_leaves_a_history_line(tmp_path: Path) -> None:
    ann, bob = make_member(tmp_path, "Ann"), make_member(tmp_path, "Bob")
    try:
        introduce(ann, bob)
        with ann.unit_of_work() as uow:
            meeting = meetings.add_meeting(uow, body="QA", meets_on=date(2026, 3, 12))
            uow.session.flush()
            meetings.add_item(uow, meeting.uuid, "Open item")
            meetings.add_member(uow, meeting.uuid, "Bob", contact_name="Bob")
            meeting_uuid = meeting.uuid
        with ann.unit_of_work() as uow:
            pack_uuid = issue.issue_pack(uow, meeting_uuid).pack_uuid
        bundle_id = seal_copy(ann, pack_uuid, "Bob", tmp_path / "bob.bundle")
        (line,) = _history(ann)
        assert (line.bundle_id, line.direction, line.peers) == (bundle_id, "sent", "Bob")
        assert "copy" in line.scope and line.total == 3
        service.import_bundle(bob, (tmp_path / "bob.bundle").read_bytes())
        received = _history(bob)[0]
        assert received.scope == line.scope
    finally:
        ann.lock()
        bob.lock()


def test_the_import_summary_names_each_record_and_field_in_conflict(pair) -> None:
    a, b, tmp = pair
    edit(b, "CSC", sector="Bob's sector")
    edit(a, "CSC", sector="Ann's sector")  # later: wins at Bob's
    data = send(a, [b], tmp / "a.bundle")
    preview = service.import_bundle(b, data, dry_run=True)
    report = service.import_bundle(b, data)
    for lines in (preview.lines(), report.lines()):
        text = "\n".join(lines)
        assert "1 conflict" in text or "conflicts 1" in text
        assert "Agency Children's Social Care" in text and "Sector" in text, text
    assert report.conflicts == ["Agency Children's Social Care: Sector"]

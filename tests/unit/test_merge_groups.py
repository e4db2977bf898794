"""Issue 10.4: grouped fields merge together; conflicts name records and fields as users know them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.actions.queries import list_actions
from app.actions.status import AWAITING_EVIDENCE, CLOSED_EVIDENCED, STATUS_LABELS
from app.exchange import service
from app.store.workspace import Workspace
from db.base import exchangeable_models
from db.models.actions import Action, EvidenceFile
from tests.helpers.members import introduce, make_member, police_action, send, swap


@pytest.fixture
def trio(tmp_path: Path):
    members = [make_member(tmp_path, name) for name in ("Ann", "Bob", "Cat")]
    introduce(*members)
    yield members
    for ws in members:
        ws.lock()


def action_of(ws: Workspace) -> tuple[str, str]:
    """(status, evidence of impact) of the one action."""
    with ws.reading() as session:
        action = session.scalars(select(Action)).one()
        return action.status, action.impact_evidence


def edit(ws: Workspace, **changes: object) -> None:
    with ws.unit_of_work() as uow:
        uow.update(uow.session.scalars(select(Action)).one(), **changes)


def shared_action(trio: list[Workspace], tmp_path: Path) -> None:
    ann, bob, cat = trio
    police_action(ann, status="in_progress")
    data = send(ann, [bob, cat], tmp_path / "first.bundle")
    service.import_bundle(bob, data)
    service.import_bundle(cat, data)


def test_every_declared_group_names_real_fields() -> None:
    for model in exchangeable_models():
        units = model.merge_units()
        flat = [name for unit in units for name in unit]
        assert sorted(flat) == sorted(model.content_fields()), model.__tablename__


def test_status_group_loses_whole_and_conflict_names_it(trio: list[Workspace], tmp_path: Path) -> None:
    ann, bob, cat = trio
    shared_action(trio, tmp_path)
    edit(ann, status=AWAITING_EVIDENCE)
    edit(bob, impact_evidence="Interim: two audits planned")  # later: Bob's group wins whole
    service.import_bundle(cat, send(ann, [cat], tmp_path / "a.bundle"))
    service.import_bundle(cat, send(bob, [cat], tmp_path / "b.bundle"))
    assert action_of(cat) == ("in_progress", "Interim: two audits planned")
    with cat.reading() as session:
        conflicts = service.list_conflicts(cat, session)
    assert len(conflicts) == 1
    conflict = conflicts[0]
    assert conflict.record_title == "Action ACT-0061"
    assert conflict.field_title == "Status, evidence of impact and closure approval"
    assert "Status: Completed, awaiting evidence" in conflict.losing_text and "Approved by" not in conflict.losing_text
    assert "Evidence of impact: Interim: two audits planned" in conflict.current_text
    assert "action" not in conflict.field_title and "impact_evidence" not in conflict.losing_text
    with cat.unit_of_work() as uow:  # restoring brings her state back whole
        service.resolve_conflict(uow, conflict.id, restore=True)
    assert action_of(cat) == (AWAITING_EVIDENCE, "")


def test_a_merge_breaking_a_domain_rule_is_a_conflict_to_settle(trio: list[Workspace], tmp_path: Path) -> None:
    """Ann closes on the strength of an evidence file while Bob deletes that file: the merged action
    would be "closed, impact evidenced" with no evidence. That is shown for a person to settle."""
    ann, bob, cat = trio
    shared_action(trio, tmp_path)
    with ann.unit_of_work() as uow:
        action = uow.session.scalars(select(Action)).one()
        uow.create(
            EvidenceFile,
            action_uuid=action.uuid,
            filename="audit.pdf",
            size=3,
            content=b"pdf",
            added_on=date(2027, 1, 10),
            added_by="Ann",
        )
    data = send(ann, [bob, cat], tmp_path / "file.bundle")
    service.import_bundle(bob, data)
    service.import_bundle(cat, data)
    edit(ann, status=CLOSED_EVIDENCED, approved_by="Chair", approved_at_meeting="QA subgroup 12/01/2027")
    with bob.unit_of_work() as uow:
        uow.delete(uow.session.scalars(select(EvidenceFile)).one())
    service.import_bundle(cat, send(ann, [cat], tmp_path / "a.bundle"))
    report = service.import_bundle(cat, send(bob, [cat], tmp_path / "b.bundle"))
    assert report.totals.get("conflicts") == 1
    with cat.reading() as session:
        rules = [c for c in service.list_conflicts(cat, session) if c.is_rule]
    assert len(rules) == 1 and rules[0].record_title == "Action ACT-0061"
    assert "without any evidence of impact" in rules[0].current_text and not rules[0].restorable
    # the tracker says so where the action is shown, until a person settles it
    with cat.reading() as session:
        (row,) = list_actions(session)
    assert "without any evidence of impact" in row.unsettled
    assert row.status_text == f"{STATUS_LABELS[CLOSED_EVIDENCED]} (merge conflict to settle)"
    with cat.unit_of_work() as uow:
        service.resolve_conflict(uow, rules[0].id, restore=False)
    with cat.reading() as session:
        (row,) = list_actions(session)
    assert row.unsettled == "" and row.status_text == row.status_label


def test_import_summary_shows_changes_first_and_hides_zero_counts(trio: list[Workspace], tmp_path: Path) -> None:
    ann, bob, _cat = trio
    shared_action(trio, tmp_path)
    edit(ann, title="Audit every strategy meeting")
    report = service.import_bundle(bob, send(ann, [bob], tmp_path / "a.bundle"))
    lines = report.lines()
    summary = next(i for i, line in enumerate(lines) if line.startswith("Imported"))
    detail = next(i for i, line in enumerate(lines) if "Actions" in line)
    assert summary < detail
    assert "changed 1" in lines[summary] and "new 0" not in lines[summary] and "conflicts 0" not in lines[summary]
    assert "unchanged" not in lines[detail] and "new 0" not in lines[detail]


def test_people_register_and_name_decisions_merge_whole_and_are_named_by_pseudonym(
    trio: list[Workspace], tmp_path: Path
) -> None:
    """Ann renames a person's pseudonym while Bob adds a name they go by: the register's check (the pseudonym
    is none of the person's names) spans both, so one member's whole state wins. Two reviewers deciding the
    same word keep one decision with its own decider. Conflicts say which person by pseudonym only."""
    from app.chronology import people
    from app.reviews.naming import SCAN_DECISIONS
    from tests.helpers.reviews import child_review

    ann, bob, _cat = trio
    with ann.unit_of_work() as uow:
        review = child_review(uow, [("Riverside GP", "GP")], reference="LCSPR-2026-09").uuid
        person = people.add_person(uow, review, "Sarah Turner", "Mother", role="mother").uuid
        people.decide(uow, review, "Kowalski", "not-identifying")
    service.import_bundle(bob, send(ann, [bob], tmp_path / "register.bundle"))
    with ann.unit_of_work() as uow:
        people.update_person(uow, person, pseudonym="Mum")
        people.decide(uow, review, "Kowalski", "added")
    with bob.unit_of_work() as uow:  # later: Bob's names win whole, his decision with him as its decider
        people.add_other_name(uow, person, "Shaz")
        people.decide(uow, review, "Kowalski", "not-identifying")
    swap(ann, bob, tmp_path, "register")
    for ws in (ann, bob):
        with ws.reading() as session:
            (record,) = people.list_people(session, review)
            (decision,) = people.list_decisions(session, review)
            assert (record.real_name, record.pseudonym, record.other_names) == ("Sarah Turner", "Mother", ["Shaz"])
            assert (decision.decision, decision.decided_by) == ("not-identifying", "Bob")
    with ann.reading() as session:
        named = {c.table: c for c in service.list_conflicts(ann, session)}
    assert named["review_person"].record_title == "Person in a review “Mother” of LCSPR-2026-09"
    assert named["review_person"].field_title == "Names and pseudonym"
    assert "Pseudonym: Mum" in named["review_person"].losing_text
    assert all("Sarah" not in c.record_title for c in named.values())
    assert named["scan_decision"].record_title == "Scan decision on “Kowalski” in LCSPR-2026-09"
    assert "Decision: Added to the register" in named["scan_decision"].losing_text
    assert SCAN_DECISIONS == people.DECISIONS  # the naming's copy of the labels

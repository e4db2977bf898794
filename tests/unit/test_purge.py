"""Retention rules and the audited purge: records past retention become content-less tombstones.

On real encrypted workspaces (docs/merge.md, "Tombstones and purge").
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from app.agencies import add_agency
from app.errors import InvalidInput
from app.exchange import service
from app.records.purge import RETENTION_RULES, purge, purge_candidates
from app.reviews.register import add_review
from app.store.workspace import Workspace
from db.models.people import ReviewPerson
from db.models.reviews import ChronologyEntry, Review
from db.models.section11 import S11Cycle, S11Framework, S11Participant
from tests.helpers.members import introduce, make_member, send, snapshot
from tests.helpers.records import SECRET, audit_entries, closed_long_ago, review_with_entry, row_of


def test_a_closed_review_is_purged_35_years_after_closure_with_what_belongs_to_it(workspace: Workspace) -> None:
    old_review, entry_uuid, person_uuid = review_with_entry(workspace)
    with workspace.unit_of_work() as uow:
        open_review = add_review(uow, kind="lcspr", title="Still open", subject_pseudonym="Child B").uuid
    closed_long_ago(workspace, old_review, date(1990, 3, 1))
    rule = next(r for r in RETENTION_RULES if r.key == "case-review")
    assert rule.years == 35
    with workspace.reading() as session:
        assert purge_candidates(session, date(2025, 2, 28)) == []  # one day early
        (candidate,) = purge_candidates(session, date(2025, 3, 1))
    assert candidate.uuid == old_review and candidate.rule is rule and candidate.closed_on == date(1990, 3, 1)
    assert candidate.counts() == {"review": 1, "chronology_entry": 1, "review_person": 1}
    audit_before = audit_entries(workspace)
    with workspace.unit_of_work() as uow, pytest.raises(InvalidInput, match="changed since"):
        purge(uow, date(2025, 3, 1), expected=[])
    assert audit_entries(workspace) == audit_before  # refused: nothing written
    with workspace.unit_of_work() as uow:
        result = purge(uow, date(2025, 3, 1), expected=[old_review])
        assert uow.changes.deleted["chronology_entry"] == {entry_uuid}
    assert result.counts == {"review": 1, "chronology_entry": 1, "review_person": 1}
    for model, uuid, field in (
        (Review, old_review, "title"),
        (ChronologyEntry, entry_uuid, "event"),
        (ReviewPerson, person_uuid, "real_name"),
    ):
        row = row_of(workspace, model, uuid)
        assert row["deleted_stamp"] is not None and row[field] == ""
    assert row_of(workspace, Review, open_review)["title"] == "Still open"
    (entry,) = audit_entries(workspace)[len(audit_before) :]
    assert entry.action == "purge" and "35 years" in entry.summary and "3 records" in entry.summary
    assert "Child A" not in entry.summary + entry.changes and "Turner" not in entry.changes
    assert json.loads(entry.changes)["rules"]["case-review"]["records"] == result.counts
    with workspace.reading() as session:
        assert purge_candidates(session, date(2025, 3, 1)) == []
    assert workspace.check().ok


def test_a_purge_reaches_other_members_as_tombstones(tmp_path: Path) -> None:
    ann, bob = make_member(tmp_path, "Ann"), make_member(tmp_path, "Bob")
    introduce(ann, bob)
    try:
        review_uuid, entry_uuid, _ = review_with_entry(ann)
        closed_long_ago(ann, review_uuid, date(1980, 1, 1))
        service.import_bundle(bob, send(ann, [bob], tmp_path / "1.bundle"))
        assert row_of(bob, ChronologyEntry, entry_uuid)["event"] == SECRET
        with ann.unit_of_work() as uow:
            purge(uow, date(2030, 1, 1))
        service.import_bundle(bob, send(ann, [bob], tmp_path / "2.bundle", service.Scope("since_last")))
        assert row_of(bob, ChronologyEntry, entry_uuid)["event"] == ""
        assert snapshot(bob) == snapshot(ann)
    finally:
        ann.lock()
        bob.lock()


def test_a_closed_section_11_cycle_goes_7_years_after_its_period_with_its_returns(workspace: Workspace) -> None:
    with workspace.unit_of_work() as uow:
        agency = add_agency(uow, "Riverside School", "RS")
        framework = uow.create(S11Framework, name="Classic eight")
        cycles = {
            closed: uow.create(
                S11Cycle,
                name=f"Cycle {closed}",
                period_start=date(2014, 4, 1),
                period_end=date(2015, 3, 31),
                framework_uuid=framework.uuid,
                scale_key="four-point",
                closed=closed,
            ).uuid
            for closed in (True, False)
        }
        participant = uow.create(S11Participant, cycle_uuid=cycles[True], agency_uuid=agency.uuid).uuid
    with workspace.reading() as session:
        assert purge_candidates(session, date(2022, 3, 30)) == []
        (candidate,) = purge_candidates(session, date(2022, 3, 31))
    assert candidate.rule.key == "section11-cycle" and candidate.uuid == cycles[True]
    assert candidate.records == {"s11_cycle": {cycles[True]}, "s11_participant": {participant}}
    with workspace.unit_of_work() as uow:
        result = purge(uow, date(2022, 3, 31))
    assert result.counts == {"s11_cycle": 1, "s11_participant": 1}
    assert row_of(workspace, S11Cycle, cycles[True])["name"] == ""
    assert row_of(workspace, S11Cycle, cycles[False])["name"] == "Cycle False"  # open: kept
    assert row_of(workspace, S11Framework, framework.uuid)["name"] == "Classic eight"  # above it: kept
    (entry,) = [e for e in audit_entries(workspace) if e.action == "purge"]
    assert "7 years from the last day of its period" in entry.summary and "2 records" in entry.summary

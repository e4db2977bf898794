"""Retention rules and the audited purge: records past retention become content-less tombstones.

On real encrypted workspaces (docs/merge.md, "Tombstones and purge").
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from app.actions.service import bulk_change_due
from app.actions.status import CLOSED_NOT_ACHIEVED
from app.agencies import add_agency
from app.chronology.service import update_entry
from app.errors import InvalidInput
from app.exchange import service
from app.records.purge import RETENTION_RULES, audit_entries_to_redact, purge, purge_candidates
from app.reviews.register import add_review, update_review
from app.store.workspace import Workspace
from db.models.actions import Action
from db.models.core import AuditEntry
from db.models.people import ReviewPerson
from db.models.reviews import ChronologyEntry, Review
from db.models.section11 import S11Cycle, S11Framework, S11Participant
from tests.helpers.members import introduced, send, snapshot, two_police_actions
from tests.helpers.records import (
    SECRET,
    audit_entries,
    closed_long_ago,
    review_with_entry,
    row_of,
    status_set_on,
    values_in_database,
)


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
    with introduced(tmp_path, "Ann", "Bob") as (ann, bob):
        review_uuid, entry_uuid, _ = review_with_entry(ann)
        closed_long_ago(ann, review_uuid, date(1980, 1, 1))
        service.import_bundle(bob, send(ann, [bob], tmp_path / "1.bundle"))
        assert row_of(bob, ChronologyEntry, entry_uuid)["event"] == SECRET
        with ann.unit_of_work() as uow:
            purge(uow, date(2030, 1, 1))
        service.import_bundle(bob, send(ann, [bob], tmp_path / "2.bundle", service.Scope("since_last")))
        assert row_of(bob, ChronologyEntry, entry_uuid)["event"] == ""
        assert snapshot(bob) == snapshot(ann)


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


CORRECTED = "Grandmother saw the belt marks at school"
DISTINCTIVE = (SECRET, CORRECTED, "Sarah Turner", "Review of Child A")


def _purged_review(workspace: Workspace) -> tuple[str, str, str, str]:
    """A review closed in 1990 whose entry was edited once, and an open review kept; purged on 1 March 2025."""
    old_review, entry_uuid, person_uuid = review_with_entry(workspace)
    with workspace.unit_of_work() as uow:
        update_entry(uow, entry_uuid, event=CORRECTED)
        open_review = add_review(uow, kind="lcspr", title="Still open", subject_pseudonym="Child B").uuid
    closed_long_ago(workspace, old_review, date(1990, 3, 1))
    return old_review, entry_uuid, person_uuid, open_review


def test_a_purge_empties_what_the_audit_log_held_about_the_purged_records(workspace: Workspace) -> None:
    old_review, entry_uuid, person_uuid, open_review = _purged_review(workspace)
    seen = [v for _t, _c, v in values_in_database(workspace)]
    assert all(any(d in v for v in seen) for d in DISTINCTIVE)  # the audit log and the records hold them
    about = {old_review, entry_uuid, person_uuid}
    before = [e for e in audit_entries(workspace) if e.record_id in about]
    with workspace.reading() as session:
        due = audit_entries_to_redact(session, purge_candidates(session, date(2025, 3, 1)))
    assert due == len(before) >= 5  # created three, edited the entry, closed the review

    with workspace.unit_of_work() as uow:
        result = purge(uow, date(2025, 3, 1))
    assert (result.redacted, result.kept) == (due, 0)

    leaks = [(t, c) for t, c, v in values_in_database(workspace) if any(d in v for d in DISTINCTIVE)]
    assert leaks == []
    entries = audit_entries(workspace)
    emptied = [e for e in entries if e.record_id in about]
    assert [(e.action, e.record_id) for e in emptied] == [(e.action, e.record_id) for e in before]  # who/what stays
    assert {e.summary for e in emptied} == {"Content purged under retention rule case-review on 01/03/2025"}
    assert {e.changes for e in emptied} == {"{}"}
    purge_entry = entries[-1]
    assert purge_entry.action == "purge" and f"the content of {due} audit entries about them was emptied" in (
        purge_entry.summary
    )
    assert json.loads(purge_entry.changes)["audit"]["redacted"] == due
    assert any(e.record_id == open_review and e.summary != "" and "Still open" in e.changes for e in entries)
    assert workspace.check().ok
    with workspace.unit_of_work() as uow:  # the log goes on from there
        update_review(uow, open_review, title="Still open, renamed")
    assert workspace.check().ok


REDACTED = "Content purged under retention rule case-review on 01/03/2025"
#: tampering -> what check must say; {e}: an emptied entry, {live}: an entry about the open review, {p}: the purge
TAMPERING = {
    "emptied entry's digest changed": (
        "UPDATE audit_log SET content_digest = '" + "f" * 64 + "' WHERE id = {e}",
        ["audit entry {e}: its content was changed after it was written"],
    ),
    "emptied entry's text changed": (
        "UPDATE audit_log SET summary = 'Mother said nothing' WHERE id = {e}",
        ["audit entry {e}: its content was changed after it was written"],
    ),
    "emptied entry unmarked": (
        "UPDATE audit_log SET redacted_by = NULL WHERE id = {e}",
        ["audit entry {e}: its content was changed after it was written", "audit entry {p}: the purge emptied"],
    ),
    "live record's entry marked emptied": (
        "UPDATE audit_log SET summary = '" + REDACTED + "', changes = '{{}}', redacted_by = {p} WHERE id = {live}",
        [
            "audit entry {p}: the purge emptied",
            "audit entry {live}: marked as emptied by a purge, but its record was not purged (it is live)",
        ],
    ),
    "entry marked emptied by something not a purge": (
        "UPDATE audit_log SET redacted_by = {live} + 1 WHERE id = {e}",
        [
            "audit entry {e}: marked as emptied by a purge, but no later purge entry accounts for it",
            "audit entry {p}: the purge emptied 5 audit entries, but 4 are marked as emptied by it",
        ],
    ),
}


@pytest.mark.parametrize("tampering", TAMPERING)
def test_tampering_with_emptied_entries_or_marking_live_ones_emptied_fails_check(
    workspace: Workspace, tampering: str
) -> None:
    """Someone with the passphrase edits the log behind the application's back: `check` says where."""
    _old, entry_uuid, _person, open_review = _purged_review(workspace)
    with workspace.unit_of_work() as uow:
        update_review(uow, open_review, title="Still open, renamed")
        purge(uow, date(2025, 3, 1))
    with workspace.reading() as session:
        ids = {
            "e": session.scalar(select(func.min(AuditEntry.id)).where(AuditEntry.record_id == entry_uuid)),
            "live": session.scalar(select(func.min(AuditEntry.id)).where(AuditEntry.record_id == open_review)),
            "p": session.scalar(select(AuditEntry.id).where(AuditEntry.action == "purge")),
        }
    assert workspace.check().ok
    statement, expected = TAMPERING[tampering]
    with workspace.unit_of_work() as uow:
        uow.session.execute(text(statement.format(**ids)))
    problems = workspace.check().audit.problems
    assert len(problems) == len(expected), problems
    for wanted in expected:
        assert any(problem.startswith(wanted.format(**ids)) for problem in problems), (wanted, problems)


def _moved_together_then_one_closed_long_ago(workspace: Workspace, *, old_form: bool = False) -> None:
    """ACT-0061 and ACT-0062 moved in one bulk due-date change (its reason names the family), then
    ACT-0061 closed in 2015; `old_form` leaves the bulk entry as logs before the digest kept it."""
    two_police_actions(workspace)
    with workspace.unit_of_work() as uow:
        both = list(uow.session.scalars(select(Action).order_by(Action.reference)))
        assert bulk_change_due(uow, both, date(2014, 6, 30), "Delayed while the Kowalczyk family moved") == 2
        if old_form:
            uow.session.flush()
            uow.session.execute(text("UPDATE audit_log SET content_digest = '' WHERE record_id LIKE '%,%'"))
    with workspace.unit_of_work() as uow:
        action = uow.session.scalars(select(Action).where(Action.reference == "ACT-0061")).one()
        uow.update(action, status=CLOSED_NOT_ACHIEVED)
        closed = action.uuid
    status_set_on(workspace, Action, closed, date(2015, 1, 5))


def test_an_entry_about_several_actions_is_emptied_when_one_of_them_is_purged(workspace: Workspace) -> None:
    """A bulk due-date move names its actions in one entry, and its reason may name the family:
    purging one of the actions empties it, and `check` accounts for it."""
    _moved_together_then_one_closed_long_ago(workspace)
    (bulk,) = [e for e in audit_entries(workspace) if "," in e.record_id]
    assert "Kowalczyk" in bulk.summary
    with workspace.reading() as session:
        due = audit_entries_to_redact(session, purge_candidates(session, date(2025, 3, 1)))
    with workspace.unit_of_work() as uow:
        result = purge(uow, date(2025, 3, 1))
    assert result.redacted == due and due >= 3  # created, closed, and the bulk move
    (bulk,) = [e for e in audit_entries(workspace) if "," in e.record_id]
    assert bulk.summary == "Content purged under retention rule action on 01/03/2025" and bulk.changes == "{}"
    assert not any("Kowalczyk" in v for _t, _c, v in values_in_database(workspace))
    assert workspace.check().ok


def test_an_old_form_entry_about_several_actions_is_counted_as_kept(workspace: Workspace) -> None:
    """An entry in the old form (hashed over its content) cannot be emptied: the purge says it kept it."""
    _moved_together_then_one_closed_long_ago(workspace, old_form=True)
    with workspace.unit_of_work() as uow:
        result = purge(uow, date(2025, 3, 1))
    assert result.kept == 1

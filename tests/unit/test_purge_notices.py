"""A purge reaches the other members' audit logs through the purge notices its bundle carries.

Real encrypted workspaces (docs/merge.md, "Tombstones and purge"): Ann purges a review past
retention; Bob, who edited its entry, imports her bundle and his own audit entries about the
purged records are emptied as hers were, accounted for by one entry that `check` verifies.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from app.actions.service import bulk_change_due
from app.actions.status import CLOSED_NOT_ACHIEVED
from app.chronology.service import update_entry
from app.exchange import contacts as contacts_service
from app.exchange import service
from app.exchange.bundle_format import open_bundle
from app.records.purge import purge
from app.reviews.register import add_review, update_review
from app.store.workspace import Workspace
from db.models.actions import Action
from db.models.core import AuditEntry, PurgeNotice
from db.models.exchange import ConflictEntry
from db.models.reviews import ChronologyEntry
from db.schema import SCHEMA_MAJOR
from tests.helpers.members import (
    introduce,
    make_member,
    raw_bundle,
    send,
    snapshot,
    state,
    two_police_actions,
)
from tests.helpers.records import (
    SECRET,
    audit_entries,
    closed_long_ago,
    review_with_entry,
    row_of,
    status_set_on,
    values_in_database,
)

BOB_WROTE = "Grandmother saw the belt marks at school"
DISTINCTIVE = (SECRET, BOB_WROTE, "Sarah Turner", "Review of Child A", "Child A")
EMPTIED = "Content purged under retention rule case-review on 01/01/2030"
PURGE_DAY = date(2030, 1, 1)


@pytest.fixture
def members(tmp_path: Path) -> Iterator[tuple[Workspace, Workspace, Workspace]]:
    ann, bob, cat = (make_member(tmp_path, name) for name in ("Ann", "Bob", "Cat"))
    introduce(ann, bob, cat)
    yield ann, bob, cat
    for ws in (ann, bob, cat):
        ws.lock()


def _shared_review(ann: Workspace, bob: Workspace, tmp: Path) -> tuple[str, str, str]:
    """Ann's review (closed in 1980) reaches Bob, who corrects its entry: his audit log now holds
    the entry's old and new text."""
    review, entry, person = review_with_entry(ann)
    service.import_bundle(bob, send(ann, [bob], tmp / "share.bundle"))
    with bob.unit_of_work() as uow:
        update_entry(uow, entry, event=BOB_WROTE)
        update_entry(uow, entry, source="School nurse")
    service.import_bundle(ann, send(bob, [ann], tmp / "back.bundle"))
    closed_long_ago(ann, review, date(1980, 1, 1))
    return review, entry, person


def _purge(ws: Workspace) -> None:
    with ws.unit_of_work() as uow:
        purge(uow, PURGE_DAY)


def _entries_about(ws: Workspace, uuids: set[str]) -> list[Any]:
    return [e for e in audit_entries(ws) if e.record_id in uuids]


def _leaks(ws: Workspace, table: str | None = None) -> list[tuple[str, str]]:
    return [
        (t, c)
        for t, c, v in values_in_database(ws)
        if (table is None or t == table) and any(d in v for d in DISTINCTIVE)
    ]


def test_a_purge_notice_empties_the_receiver_s_audit_entries_about_the_purged_records(
    members: tuple[Workspace, Workspace, Workspace], tmp_path: Path
) -> None:
    ann, bob, _cat = members
    review, entry, person = _shared_review(ann, bob, tmp_path)
    with bob.unit_of_work() as uow:  # a record of Bob's own, not purged: his entries about it stay
        kept = add_review(uow, kind="lcspr", title="Still open", subject_pseudonym="Child B").uuid
    about = {review, entry, person}
    before = _entries_about(bob, about)
    assert len(before) == 2 and any(BOB_WROTE in e.changes for e in before)
    _purge(ann)

    report = service.import_bundle(bob, send(ann, [bob], tmp_path / "purge.bundle", service.Scope("since_last")))

    assert row_of(bob, ChronologyEntry, entry)["event"] == ""
    emptied = _entries_about(bob, about)
    assert [(e.action, e.record_id) for e in emptied] == [(e.action, e.record_id) for e in before]  # who/what stays
    assert {e.summary for e in emptied} == {EMPTIED} and {e.changes for e in emptied} == {"{}"}
    (notice,) = [e for e in audit_entries(bob) if e.action == "purge_notice"]
    assert notice.summary.startswith("Purge notice in the bundle from Ann: Ann purged ")
    assert "under retention rule case-review on 01/01/2030" in notice.summary
    assert "Ann purged 1 review, 1 chronology entry, 1 person in a review under" in notice.summary
    assert "the content of 2 audit entries here about them was emptied" in notice.summary
    written = json.loads(notice.changes)
    assert written["from"] == {"member": ann.member.member_id, "name": "Ann"}
    assert written["purges"] == [
        {
            "member": ann.member.member_id,
            "rule": "case-review",
            "on": "2030-01-01",
            "records": {"review": 1, "chronology_entry": 1, "review_person": 1},
        }
    ]
    assert written["audit"]["redacted"] == len(before) == report.audit_emptied
    assert any("Emptied" in line and "audit entries" in line for line in report.lines())
    assert _leaks(bob, "audit_log") == [] and _leaks(bob) == []  # nothing of the record anywhere at Bob's
    assert any(e.record_id == kept and "Still open" in e.changes for e in audit_entries(bob))
    assert bob.check().ok
    notices = {k: v for k, v in snapshot(ann).items() if k.startswith("purge_notice/")}
    assert len(notices) == 3 and notices.items() <= snapshot(bob).items()  # they travelled as records

    entries = len(audit_entries(bob))  # the notices again (an "everything" bundle): nothing left to empty
    service.import_bundle(bob, send(ann, [bob], tmp_path / "again.bundle"))
    assert [e.action for e in audit_entries(bob)[entries:]] == ["import"]
    assert bob.check().ok


def test_the_purging_member_writes_notices_naming_the_records_by_kind(
    members: tuple[Workspace, Workspace, Workspace], tmp_path: Path
) -> None:
    ann, _bob, _cat = members
    review, entry, person = review_with_entry(ann)
    closed_long_ago(ann, review, date(1980, 1, 1))
    _purge(ann)
    with ann.reading() as session:
        notices = {(n.rule, n.purged_on, n.table_name, tuple(n.records)) for n in session.scalars(select(PurgeNotice))}
    assert notices == {
        ("case-review", PURGE_DAY, "review", (review,)),
        ("case-review", PURGE_DAY, "chronology_entry", (entry,)),
        ("case-review", PURGE_DAY, "review_person", (person,)),
    }
    assert [e.action for e in audit_entries(ann)].count("purge") == 1  # the purge entry accounts for them
    assert ann.check().ok


def test_an_edit_racing_the_purge_goes_with_it_and_its_audit_entry_is_emptied(
    members: tuple[Workspace, Workspace, Workspace], tmp_path: Path
) -> None:
    """Bob edits the entry after Ann purged it, before her bundle reaches him: deletion wins (docs/merge.md),
    so the entry is a tombstone at Bob's too and his entry about the racing edit is emptied with the others;
    the conflict log names the edited field, never its value."""
    ann, bob, _cat = members
    review, entry, person = _shared_review(ann, bob, tmp_path)
    _purge(ann)
    with bob.unit_of_work() as uow:
        update_entry(uow, entry, event="Bob's late correction: seen by the GP")
    service.import_bundle(bob, send(ann, [bob], tmp_path / "purge.bundle", service.Scope("since_last")))
    assert row_of(bob, ChronologyEntry, entry)["deleted_stamp"] is not None
    assert {e.summary for e in _entries_about(bob, {review, entry, person})} == {EMPTIED}
    assert not any("late correction" in v for _t, _c, v in values_in_database(bob))
    with bob.reading() as session:
        raced = [(c.field, c.losing_value) for c in session.scalars(select(ConflictEntry))]
    assert raced == [("__deleted__", ["event"])]
    assert bob.check().ok


def test_the_notice_reaches_a_third_member_through_a_coordinator(
    members: tuple[Workspace, Workspace, Workspace], tmp_path: Path
) -> None:
    """Ann sends only to Cat; Cat relays what she received to Bob. Bob's log is emptied too, and his
    entry names the bundle's sender (Cat) and the member who purged (Ann: by her member id, as Bob has
    never had a bundle from her to learn it belongs to his contact Ann)."""
    ann, bob, cat = members
    review, entry, person = review_with_entry(ann)
    service.import_bundle(cat, send(ann, [cat], tmp_path / "1.bundle"))
    service.import_bundle(bob, send(cat, [bob], tmp_path / "2.bundle"))
    with bob.unit_of_work() as uow:
        update_entry(uow, entry, event=BOB_WROTE)
    service.import_bundle(cat, send(bob, [cat], tmp_path / "3.bundle"))
    service.import_bundle(ann, send(cat, [ann], tmp_path / "4.bundle"))
    closed_long_ago(ann, review, date(1980, 1, 1))
    _purge(ann)
    service.import_bundle(cat, send(ann, [cat], tmp_path / "5.bundle", service.Scope("since_last")))
    service.import_bundle(bob, send(cat, [bob], tmp_path / "6.bundle", service.Scope("since_last")))
    assert {e.summary for e in _entries_about(bob, {review, entry, person})} == {EMPTIED}
    (notice,) = [e for e in audit_entries(bob) if e.action == "purge_notice"]
    ann_id = ann.member.member_id
    assert notice.summary.startswith(f"Purge notice in the bundle from Cat: member {ann_id[:8]} purged ")
    assert json.loads(notice.changes)["purges"][0]["member"] == ann_id
    assert _leaks(bob) == [] and _leaks(cat) == []
    assert bob.check().ok and cat.check().ok


def _payload(sender: Workspace, data: bytes) -> dict[str, Any]:
    """The change set of a bundle the sender made (a sender can reopen what they sent)."""
    with sender.reading() as session:
        opened = open_bundle(
            data,
            contacts_service.member_keys(sender.key_pairs),
            contacts_service.sender_lookup(session),
            current_schema_major=SCHEMA_MAJOR,
        )
    return json.loads(opened.change_set)


def _set(document: dict[str, Any], field: str, value: Callable[[Any], Any]) -> None:
    body = document["tables"]["purge_notice"]
    index = body["fields"].index(field)
    record = next(r for r in body["records"] if dict(zip(body["fields"], r[3], strict=True))["table_name"] == "review")
    record[3][index] = value(record[3][index])


def test_a_bundle_without_notices_still_imports_and_empties_nothing(
    members: tuple[Workspace, Workspace, Workspace], tmp_path: Path
) -> None:
    """A bundle from a member whose app predates purge notices: the tombstones are applied, and Bob's own
    entries stay as they were (there is nothing to say a purge made them)."""
    ann, bob, _cat = members
    review, entry, person = _shared_review(ann, bob, tmp_path)
    _purge(ann)
    document = _payload(ann, send(ann, [bob], tmp_path / "purge.bundle", service.Scope("since_last")))
    del document["tables"]["purge_notice"]
    before = _entries_about(bob, {review, entry, person})
    report = service.import_bundle(bob, raw_bundle(ann, bob, json.dumps(document).encode()))
    assert report.applied and report.audit_emptied == 0
    assert row_of(bob, ChronologyEntry, entry)["event"] == ""
    assert _entries_about(bob, {review, entry, person}) == before
    assert not any(e.action == "purge_notice" for e in audit_entries(bob))
    assert bob.check().ok


TAMPERED: dict[str, tuple[str, Callable[[Any], Any], str]] = {
    "a record id that is no UUID": ("records", lambda v: [*v[:-1], "not-a-uuid"], "a record id is not a UUID"),
    "a record listed twice": ("records", lambda v: [*v, v[0]], "a record id is listed twice"),
    "no records": ("records", lambda v: [], "expected a list of 1 to 5000 record ids"),
    "records not a list": ("records", lambda v: {"x": v}, "expected a list of 1 to 5000 record ids"),
    "a kind of record that does not exist": ("table_name", lambda v: "sqlite_master", "no kind of record"),
    "a notice naming notices": ("table_name", lambda v: "purge_notice", "no kind of record"),
    "a rule that is no key": ("rule", lambda v: "Case review; DROP", "not the key of a retention rule"),
    "the wrong kind for a record in the bundle": (
        "table_name",
        lambda v: "chronology_entry",
        "names a record of table 'review' as one of 'chronology_entry'",
    ),
}


@pytest.mark.parametrize("tampering", TAMPERED)
def test_a_malformed_notice_refuses_the_bundle_and_writes_nothing(
    members: tuple[Workspace, Workspace, Workspace], tmp_path: Path, tampering: str
) -> None:
    ann, bob, _cat = members
    _shared_review(ann, bob, tmp_path)
    _purge(ann)
    document = _payload(ann, send(ann, [bob], tmp_path / "purge.bundle", service.Scope("since_last")))
    field, change, message = TAMPERED[tampering]
    _set(document, field, change)
    before = state(bob)
    with pytest.raises(service.BundleRefused, match=message) as refused:
        service.import_bundle(bob, raw_bundle(ann, bob, json.dumps(document).encode()))
    assert str(refused.value).startswith("The bundle was refused: table 'purge_notice', record ")
    assert str(refused.value).endswith("Nothing was imported.")
    assert state(bob) == before
    with pytest.raises(service.BundleRefused, match=message):  # the check before importing says so too
        service.import_bundle(bob, raw_bundle(ann, bob, json.dumps(document).encode()), dry_run=True)


def test_a_notice_naming_a_record_live_here_leaves_it_alone(
    members: tuple[Workspace, Workspace, Workspace], tmp_path: Path
) -> None:
    """A notice is acted on only for records that are tombstones here: one naming Bob's live review
    (a notice whose tombstone never came, or a member's modified app) empties none of his entries."""
    ann, bob, _cat = members
    review, entry, person = _shared_review(ann, bob, tmp_path)
    _purge(ann)
    document = _payload(ann, send(ann, [bob], tmp_path / "purge.bundle", service.Scope("since_last")))
    with bob.unit_of_work() as uow:
        own = add_review(uow, kind="lcspr", title="Bob's open review", subject_pseudonym="Child C").uuid
        update_review(uow, own, title="Bob's open review, renamed")
    _set(document, "records", lambda v: [*v, own])
    own_before = _entries_about(bob, {own})
    service.import_bundle(bob, raw_bundle(ann, bob, json.dumps(document).encode()))
    assert _entries_about(bob, {own}) == own_before and "renamed" in own_before[-1].changes
    assert {e.summary for e in _entries_about(bob, {review, entry, person})} == {EMPTIED}
    assert bob.check().ok


def test_check_fails_when_an_entry_emptied_by_a_notice_is_unmarked(
    members: tuple[Workspace, Workspace, Workspace], tmp_path: Path
) -> None:
    ann, bob, _cat = members
    _review, entry, _person = _shared_review(ann, bob, tmp_path)
    _purge(ann)
    service.import_bundle(bob, send(ann, [bob], tmp_path / "purge.bundle", service.Scope("since_last")))
    with bob.reading() as session:
        emptied = session.scalar(select(AuditEntry.id).where(AuditEntry.record_id == entry))
        notice = session.scalar(select(AuditEntry.id).where(AuditEntry.action == "purge_notice"))
    with bob.unit_of_work() as uow:
        uow.session.execute(text(f"UPDATE audit_log SET summary = 'Mother said nothing' WHERE id = {emptied}"))
    problems = bob.check().audit.problems
    assert problems == [f"audit entry {emptied}: its content was changed after it was written"]
    with bob.unit_of_work() as uow:
        uow.session.execute(
            text(f"UPDATE audit_log SET summary = '{EMPTIED}', redacted_by = NULL WHERE id = {emptied}")
        )
    problems = bob.check().audit.problems
    assert any(p.startswith(f"audit entry {notice}: the purge emptied") for p in problems), problems


def test_an_entry_of_the_receiver_about_several_actions_is_emptied_when_one_was_purged(
    members: tuple[Workspace, Workspace, Workspace], tmp_path: Path
) -> None:
    """Bob moved two of Ann's actions in one bulk change whose reason names the family; Ann later purges
    one of them (closed 2015, kept 7 years): Bob's entry goes as the purge's own would."""
    ann, bob, _cat = members
    two_police_actions(ann)
    service.import_bundle(bob, send(ann, [bob], tmp_path / "1.bundle"))
    with bob.unit_of_work() as uow:
        both = list(uow.session.scalars(select(Action).order_by(Action.reference)))
        assert bulk_change_due(uow, both, date(2014, 6, 30), "Delayed while the Kowalczyk family moved") == 2
    service.import_bundle(ann, send(bob, [ann], tmp_path / "2.bundle"))
    with ann.unit_of_work() as uow:
        closing = uow.session.scalars(select(Action).where(Action.reference == "ACT-0061")).one()
        uow.update(closing, status=CLOSED_NOT_ACHIEVED)
        closed = closing.uuid
    status_set_on(ann, Action, closed, date(2015, 1, 5))
    _purge(ann)
    report = service.import_bundle(bob, send(ann, [bob], tmp_path / "3.bundle", service.Scope("since_last")))
    (bulk,) = [e for e in audit_entries(bob) if "," in e.record_id]
    assert bulk.summary == "Content purged under retention rule action on 01/01/2030" and bulk.changes == "{}"
    assert report.audit_emptied == 1  # the only entry of Bob's about ACT-0061
    assert not any("Kowalczyk" in v for _t, _c, v in values_in_database(bob))
    assert bob.check().ok

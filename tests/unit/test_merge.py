"""Merge rules between real encrypted workspaces: per-field stamps, conflicts, deletions, drift."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.errors import InvalidInput
from app.exchange import service
from app.exchange.merge import DELETED_FIELD
from app.records.hlc import MAX_DRIFT_MS, HybridLogicalClock, Stamp, now_ms
from app.store.workspace import Workspace
from db.models.core import Agency
from db.models.exchange import ConflictEntry
from tests.helpers.members import (
    agency,
    delete,
    edit,
    introduce,
    introduced,
    make_member,
    send,
    snapshot,
    swap,
    trusting_pair_for_a_test,
)
from tests.helpers.reviews import bare_entry, two_bare_reviews


@pytest.fixture
def pair(tmp_path: Path):
    yield from trusting_pair_for_a_test(tmp_path, ("Children's Social Care", "CSC"), ("Police", "Police"))


def test_first_bundle_copies_records_with_their_stamps(pair) -> None:
    a, b, _ = pair
    assert snapshot(a) == snapshot(b)
    assert len(snapshot(b)) == 2


def test_later_edit_wins_without_conflict(pair) -> None:
    a, b, tmp = pair
    edit(a, "CSC", sector="Local authority")
    service.import_bundle(b, send(a, [b], tmp / "1.bundle", service.Scope("since_last")))
    assert agency(b, "CSC").sector == "Local authority"
    with b.reading() as session:
        assert service.unresolved_conflict_count(session) == 0


def test_concurrent_edits_keep_the_loser_in_the_conflict_log_and_converge(pair) -> None:
    a, b, tmp = pair
    edit(a, "CSC", name="Ann's wording")
    edit(b, "CSC", name="Bob's wording")
    swap(a, b, tmp, "concurrent", service.Scope())
    assert snapshot(a) == snapshot(b)
    winner = agency(a, "CSC").name
    loser = ({"Ann's wording", "Bob's wording"} - {winner}).pop()
    for ws in (a, b):
        with ws.reading() as session:
            conflicts = service.list_conflicts(ws, session)
        assert [(c.field, c.losing_value, c.current_value) for c in conflicts] == [("name", loser, winner)]


def test_restoring_a_losing_value_is_a_new_edit_that_wins_everywhere(pair) -> None:
    a, b, tmp = pair
    edit(a, "CSC", name="Ann's wording")
    edit(b, "CSC", name="Bob's wording")
    service.import_bundle(a, send(b, [a], tmp / "b.bundle"))
    service.import_bundle(b, send(a, [b], tmp / "a.bundle"))
    with a.reading() as session:
        conflict = service.list_conflicts(a, session)[0]
    assert conflict.restorable
    with a.unit_of_work() as uow:
        service.resolve_conflict(uow, conflict.id, restore=True)
    assert agency(a, "CSC").name == conflict.losing_value
    with a.reading() as session:
        assert service.unresolved_conflict_count(session) == 0
    service.import_bundle(b, send(a, [b], tmp / "restore.bundle", service.Scope("since_last")))
    assert agency(b, "CSC").name == conflict.losing_value
    with a.unit_of_work() as uow, pytest.raises(InvalidInput, match="already resolved"):
        service.resolve_conflict(uow, conflict.id, restore=True)


def _tombstone(ws: Workspace, uuid: str) -> dict[str, Any]:
    with ws.reading() as session:
        row = session.execute(select(Agency.__table__).where(Agency.uuid == uuid)).one()
        return dict(row._mapping)


def _police_uuid(ws: Workspace) -> str:
    with ws.reading() as session:
        return session.scalars(select(Agency.uuid).where(Agency.short_name == "Police")).one()


def test_delete_racing_an_edit_deletes_and_discards_the_edit_naming_only_its_field(pair) -> None:
    a, b, tmp = pair
    uuid = _police_uuid(a)
    delete(a, "Police")
    edit(b, "Police", sector="Racing sector text")  # later stamp than the deletion
    swap(a, b, tmp, "concurrent", service.Scope())
    assert snapshot(a) == snapshot(b)
    for ws in (a, b):
        row = _tombstone(ws, uuid)
        assert row["deleted_stamp"] is not None and row["field_stamps"] == {}
        assert row["name"] == row["short_name"] == row["sector"] == row["colour"] == ""
        with ws.reading() as session:
            logged = [(c.field, c.losing_value, c.winning_value) for c in session.scalars(select(ConflictEntry))]
        assert logged == [(DELETED_FIELD, ["sector"], None)]
        with ws.reading() as session:
            text = " ".join(c.losing_text + c.current_text for c in service.list_conflicts(ws, session))
        assert "Racing sector text" not in text and "Sector" in text


def test_a_racing_edit_arriving_after_the_delete_leaves_no_content(pair) -> None:
    """The deleter imports the edit later, alone and again through a relay: nothing of it is stored."""
    a, b, tmp = pair
    uuid = _police_uuid(a)
    delete(a, "Police")
    edit(b, "Police", name="Edited while Ann deleted")  # Bob has not seen the deletion: a later stamp
    from_b = send(b, [a], tmp / "b.bundle")
    service.import_bundle(a, from_b)
    row = _tombstone(a, uuid)
    assert row["deleted_stamp"] is not None and row["name"] == "" and row["field_stamps"] == {}
    with a.reading() as session:
        logged = [(c.field, c.losing_value) for c in session.scalars(select(ConflictEntry))]
    assert logged == [(DELETED_FIELD, ["name"])]
    before = snapshot(a)  # the same edit relayed in another bundle changes nothing
    service.import_bundle(a, send(b, [a], tmp / "b2.bundle"))
    assert snapshot(a) == before and _tombstone(a, uuid)["name"] == ""
    # Bob's copy, once he has the deletion, is the same content-less tombstone
    service.import_bundle(b, send(a, [b], tmp / "a.bundle"))
    assert _tombstone(b, uuid) == row
    with b.reading() as session:
        assert all(c.losing_value in (None, ["name"]) for c in session.scalars(select(ConflictEntry)))


def test_a_tombstone_reaches_a_member_who_never_had_the_record_without_content(tmp_path: Path) -> None:
    with introduced(tmp_path, "Ann", "Cat") as (a, c):
        with a.unit_of_work() as uow:
            uuid = uow.create(Agency, name="Secret Team", short_name="ST", sector="Health").uuid
        with a.unit_of_work() as uow:
            uow.delete(uow.session.get(Agency, uuid))
        service.import_bundle(c, send(a, [c], tmp_path / "a.bundle"))
        row = _tombstone(c, uuid)
        assert row["deleted_stamp"] is not None and row["field_stamps"] == {}
        assert (row["name"], row["short_name"], row["sector"]) == ("", "", "")
        assert snapshot(a) == snapshot(c)


def test_reimport_is_a_noop_with_a_message(pair) -> None:
    a, b, tmp = pair
    edit(a, "CSC", sector="LA")
    data = send(a, [b], tmp / "1.bundle")
    first = service.import_bundle(b, data)
    before = snapshot(b)
    again = service.import_bundle(b, data)
    assert first.applied and not again.applied and again.already_applied
    assert "already imported" in "\n".join(again.lines())
    assert snapshot(b) == before


def test_same_changes_in_another_bundle_change_nothing(pair) -> None:
    a, b, tmp = pair
    edit(a, "CSC", sector="LA")
    service.import_bundle(b, send(a, [b], tmp / "1.bundle"))
    before = snapshot(b)
    report = service.import_bundle(b, send(a, [b], tmp / "2.bundle"))
    assert report.totals["new"] == report.totals["changed"] == report.totals["conflicts"] == 0
    assert snapshot(b) == before


def test_dry_run_previews_and_writes_nothing(pair) -> None:
    a, b, tmp = pair
    edit(a, "CSC", sector="LA")
    delete(a, "Police")
    data = send(a, [b], tmp / "1.bundle")
    before = snapshot(b)
    report = service.import_bundle(b, data, dry_run=True)
    assert report.counts["agency"]["changed"] == 1 and report.counts["agency"]["deleted"] == 1
    assert snapshot(b) == before
    assert service.import_bundle(b, data).applied


def test_since_last_carries_relayed_changes_with_older_stamps(tmp_path: Path) -> None:
    """The coordinator forwards what others sent, even if stamped before its last bundle."""
    a, b, c = (make_member(tmp_path, n) for n in ("Ann", "Bob", "Cat"))
    try:
        introduce(a, b, c)
        with c.unit_of_work() as uow:
            uow.create(Agency, name="Health visiting", short_name="HV")  # stamped early
        from_c = send(c, [a], tmp_path / "c.bundle")
        send(a, [b], tmp_path / "a1.bundle", service.Scope("since_last"))  # a's clock moves on
        service.import_bundle(a, from_c)
        service.import_bundle(b, send(a, [b], tmp_path / "a2.bundle", service.Scope("since_last")))
        assert agency(b, "HV").name == "Health visiting"
    finally:
        for ws in (a, b, c):
            ws.lock()


def test_stamps_too_far_ahead_refuse_the_bundle(pair) -> None:
    a, b, tmp = pair
    ahead = now_ms() + 3 * 60 * 60 * 1000 + 30_000
    with a.unit_of_work() as uow:
        uow.clock = HybridLogicalClock(a.member.member_id, uow.clock.last, wall=lambda: ahead)
        record = uow.session.scalars(select(Agency).where(Agency.short_name == "CSC")).one()
        uow.update(record, name="From the future")
    before = snapshot(b)
    with pytest.raises(service.BundleRefused, match=r"Ann are stamped 3 h 0 min ahead"):
        service.import_bundle(b, send(a, [b], tmp / "future.bundle"))
    assert snapshot(b) == before


def test_stamps_within_the_drift_bound_are_accepted_and_move_the_clock(pair) -> None:
    a, b, tmp = pair
    ahead = now_ms() + MAX_DRIFT_MS // 2
    with a.unit_of_work() as uow:
        uow.clock = HybridLogicalClock(a.member.member_id, uow.clock.last, wall=lambda: ahead)
        record = uow.session.scalars(select(Agency).where(Agency.short_name == "CSC")).one()
        uow.update(record, name="Slightly ahead")
    service.import_bundle(b, send(a, [b], tmp / "1.bundle"))
    edit(b, "CSC", name="Bob later")  # b's clock observed the stamp, so b's edit wins
    assert Stamp.parse(agency(b, "CSC").field_stamps["name"]).wall_ms >= ahead
    assert agency(b, "CSC").name == "Bob later"


def test_one_review_scope_sends_the_review_its_linked_records_and_their_parents(pair) -> None:
    from db.models.reviews import ChronologyEntry, Review

    a, b, tmp = pair
    with a.unit_of_work() as uow:
        hv = uow.create(Agency, name="Health visiting", short_name="HV")
        unused = uow.create(Agency, name="Housing", short_name="Housing")
        first, other = two_bare_reviews(uow)
        wanted = {bare_entry(uow, first.uuid, hv.uuid, f"Visit {i}") for i in range(2)}
        bare_entry(uow, other.uuid, unused.uuid, "Other review", start_date="2016-05-23", date_key=2)
        ids = (first.uuid, other.uuid, hv.uuid, unused.uuid)
    preview = service.preview_export(a, ["Bob"], service.Scope(service.SCOPE_REVIEW, "lcspr-2026-01"))
    assert preview.counts == {"agency": 1, "review": 1, "chronology_entry": 2}
    service.import_bundle(b, send(a, [b], tmp / "review.bundle", service.Scope(service.SCOPE_REVIEW, "LCSPR-2026-01")))
    with b.reading() as session:
        assert {e.uuid for e in session.scalars(select(ChronologyEntry))} == wanted
        assert session.get(Review, ids[0]) is not None and session.get(Review, ids[1]) is None
        assert session.get(Agency, ids[2]) is not None and session.get(Agency, ids[3]) is None
    with pytest.raises(InvalidInput, match="No review"):
        service.preview_export(a, ["Bob"], service.Scope(service.SCOPE_REVIEW, "NOPE"))


def conflicts_at(ws: Workspace) -> list[tuple[str, Any, Any]]:
    with ws.reading() as session:
        return [(c.field, c.losing_value, c.current_value) for c in service.list_conflicts(ws, session)]


def test_a_concurrent_edit_is_logged_even_when_a_member_s_changes_arrive_out_of_order(tmp_path: Path) -> None:
    """The case per-member frontiers got wrong: Bob receives Ann's later change first.

    Ann edits Police (bundle 1 to Bob and Cat), then CSC (bundle 2, "since the
    last bundle": CSC only). Bob imports bundle 2 first, so he has a stamp of
    Ann's later than her Police edit without having seen it, and edits Police
    himself. His value wins on stamps; Ann's must still be logged everywhere
    it loses, because Bob never saw it.
    """
    a, b, c = (make_member(tmp_path, n) for n in ("Ann", "Bob", "Cat"))
    introduce(a, b, c)
    with a.unit_of_work() as uow:
        uow.create(Agency, name="Children's Social Care", short_name="CSC")
        uow.create(Agency, name="Police", short_name="Police")
    start = send(a, [b, c], tmp_path / "0.bundle")
    for ws in (b, c):
        service.import_bundle(ws, start)
    edit(a, "Police", name="Ann's police wording")
    first = send(a, [b, c], tmp_path / "1.bundle", service.Scope("since_last"))
    edit(a, "CSC", name="Ann's CSC wording")
    second = send(a, [b, c], tmp_path / "2.bundle", service.Scope("since_last"))
    assert service.import_bundle(b, second).totals["changed"] == 1  # CSC only: Police is not in it
    edit(b, "Police", name="Bob's police wording")  # Bob never saw Ann's Police edit
    service.import_bundle(c, first)  # Cat holds Ann's Police wording
    from_bob = send(b, [a, c], tmp_path / "3.bundle")
    service.import_bundle(c, from_bob)
    assert agency(c, "Police").name == "Bob's police wording"
    assert conflicts_at(c) == [("name", "Ann's police wording", "Bob's police wording")]
    service.import_bundle(a, from_bob)
    assert conflicts_at(a) == [("name", "Ann's police wording", "Bob's police wording")]
    service.import_bundle(b, first)  # late arrival at Bob: loses, and Bob is told
    assert conflicts_at(b) == [("name", "Ann's police wording", "Bob's police wording")]
    assert snapshot(a) == snapshot(b) == snapshot(c)
    for ws in (a, b, c):
        ws.lock()


def test_an_edit_made_after_seeing_the_value_is_not_a_conflict_even_via_a_relay(tmp_path: Path) -> None:
    """Sequential edits passed on by a relay: Bob saw Ann's value, so nothing is logged anywhere."""
    a, b, c = (make_member(tmp_path, n) for n in ("Ann", "Bob", "Cat"))
    introduce(a, b, c)
    with a.unit_of_work() as uow:
        uow.create(Agency, name="Police", short_name="Police")
    start = send(a, [b, c], tmp_path / "0.bundle")
    for ws in (b, c):
        service.import_bundle(ws, start)
    edit(a, "Police", name="Ann's wording")
    from_ann = send(a, [b, c], tmp_path / "1.bundle")
    service.import_bundle(b, from_ann)
    edit(b, "Police", name="Bob's wording, after reading Ann's")
    edit(b, "Police", sector="Police")
    service.import_bundle(c, from_ann)
    relayed = send(b, [a, c], tmp_path / "2.bundle")
    for ws in (a, c):
        service.import_bundle(ws, relayed)
        assert agency(ws, "Police").name == "Bob's wording, after reading Ann's"
        assert conflicts_at(ws) == []
    # Cat relays Bob's value on to Ann again: the knowledge travels with it
    assert service.import_bundle(a, send(c, [a], tmp_path / "3.bundle")).totals["conflicts"] == 0
    for ws in (a, b, c):
        ws.lock()

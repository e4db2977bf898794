"""Units of work stamp fields, keep tombstones and chain the audit log."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select, update

from app.records.audit import HEAD_KEY, _entry_hash, _hashed_fields, content_digest, verify_chain
from app.records.hlc import Stamp
from app.store.workspace import Workspace
from db.base import live
from db.models.core import Agency, AuditEntry, WorkspaceMeta
from tests.helpers.workspaces import PASSPHRASE


def test_create_update_delete_stamps(workspace: Workspace) -> None:
    with workspace.unit_of_work() as uow:
        agency = uow.create(Agency, name="Police", short_name="POL", sector="", colour="#aabbcc")
    created = dict(agency.field_stamps)
    assert set(created) == set(Agency.content_fields())
    assert agency.origin_member == workspace.member.member_id
    with workspace.unit_of_work() as uow:
        record = uow.session.get(Agency, agency.uuid)
        assert uow.update(record, name="Police PPU", colour="#aabbcc") is True
        assert uow.update(record, name="Police PPU") is False
        stamps = dict(record.field_stamps)
        assert uow.changes.updated == {"agency": {agency.uuid}}
    assert Stamp.parse(stamps["name"]) > Stamp.parse(created["name"])
    assert stamps["colour"] == created["colour"]  # unchanged value keeps its stamp
    with workspace.unit_of_work() as uow:
        uow.delete(uow.session.get(Agency, agency.uuid))
    with workspace.reading() as session:
        tomb = session.get(Agency, agency.uuid)
        assert tomb.deleted_stamp is not None and tomb.updated_stamp == tomb.deleted_stamp
        # a tombstone holds no content: every field emptied, no field stamps left
        assert (tomb.name, tomb.short_name, tomb.sector, tomb.colour, tomb.field_stamps) == ("", "", "", "", {})
        assert session.scalars(live(Agency)).all() == []


def test_failed_unit_of_work_writes_nothing(workspace: Workspace) -> None:
    with pytest.raises(RuntimeError):
        with workspace.unit_of_work() as uow:
            uow.create(Agency, name="Police", short_name="POL", sector="", colour="#aabbcc")
            raise RuntimeError("boom")
    with workspace.reading() as session:
        assert session.scalars(select(Agency)).all() == []
        assert [e.action for e in session.scalars(select(AuditEntry))] == ["create"]  # only the workspace


def test_unknown_field_refused(workspace: Workspace) -> None:
    with pytest.raises(TypeError, match="no field"):
        with workspace.unit_of_work() as uow:
            uow.create(Agency, name="X", short_name="X", nonsense=1)


def test_audit_chain_detects_edit_and_removal(workspace: Workspace) -> None:
    with workspace.unit_of_work() as uow:
        for name in ("Police", "Health", "School"):
            uow.create(Agency, name=name, short_name=name, sector="", colour="#aabbcc")
    with workspace.reading() as session:
        assert verify_chain(session).ok
    with workspace.unit_of_work() as uow:
        uow.session.execute(update(AuditEntry).where(AuditEntry.id == 2).values(summary="nothing happened"))
    with workspace.reading() as session:
        report = verify_chain(session)
    assert not report.ok and "entry 2" in report.problems[0]
    assert not workspace.check().ok


def test_audit_chain_detects_deleted_entry(workspace: Workspace) -> None:
    with workspace.unit_of_work() as uow:
        for name in ("Police", "Health"):
            uow.create(Agency, name=name, short_name=name, sector="", colour="#aabbcc")
    with workspace.unit_of_work() as uow:
        uow.session.execute(AuditEntry.__table__.delete().where(AuditEntry.id == 2))
    with workspace.reading() as session:
        report = verify_chain(session)
    assert not report.ok and "entry 3" in report.problems[0]


def _three_agencies(workspace: Workspace) -> None:
    with workspace.unit_of_work() as uow:
        for name in ("Police", "Health", "School"):
            uow.create(Agency, name=name, short_name=name, sector="", colour="#aabbcc")


def test_audit_chain_detects_the_newest_entries_cut_off(workspace: Workspace) -> None:
    _three_agencies(workspace)
    with workspace.unit_of_work() as uow:
        newest = uow.session.scalar(select(func.max(AuditEntry.id)))
        uow.session.execute(AuditEntry.__table__.delete().where(AuditEntry.id == newest))
    with workspace.reading() as session:
        report = verify_chain(session)
    assert not report.ok and "newest entries were removed" in report.problems[0]
    assert not workspace.check().ok


def test_audit_chain_detects_the_newest_entry_replaced_or_the_head_removed(workspace: Workspace) -> None:
    _three_agencies(workspace)
    with workspace.unit_of_work() as uow:  # a forged newest entry that chains correctly
        newest = uow.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).one()
        newest.summary = "nothing happened"
        newest.content_digest = content_digest(newest.summary, newest.changes)
        newest.entry_hash = _entry_hash(newest.prev_hash, _hashed_fields(newest))
    with workspace.reading() as session:
        assert "was replaced" in verify_chain(session).problems[0]
    with workspace.unit_of_work() as uow:
        uow.session.execute(delete(WorkspaceMeta).where(WorkspaceMeta.key == HEAD_KEY))
    with workspace.reading() as session:
        assert "recorded head is missing" in verify_chain(session).problems[0]


def test_failed_unit_of_work_leaves_the_recorded_head_in_step(workspace: Workspace) -> None:
    with pytest.raises(RuntimeError):
        with workspace.unit_of_work() as uow:
            uow.create(Agency, name="Police", short_name="POL", sector="", colour="#aabbcc")
            raise RuntimeError("boom")
    _three_agencies(workspace)
    with workspace.reading() as session:
        report = verify_chain(session)
    assert report.ok and report.entries == 4


def test_migration_records_the_head_of_an_older_workspace(workspace_path, workspace: Workspace) -> None:
    _three_agencies(workspace)
    import importlib.util

    from alembic.operations import Operations
    from alembic.runtime.migration import MigrationContext

    from db.schema import MIGRATIONS_DIR

    spec = importlib.util.spec_from_file_location("audit_head", MIGRATIONS_DIR / "versions" / "0005_audit_head.py")
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    with workspace.unit_of_work() as uow:  # as a workspace written before the head was recorded...
        uow.session.execute(delete(WorkspaceMeta).where(WorkspaceMeta.key == HEAD_KEY))
        # ...then its migration (run directly: later revisions may build on it, so it cannot be re-run by alembic)
        with Operations.context(MigrationContext.configure(uow.session.connection())):
            migration.upgrade()
    workspace.lock()
    reopened = Workspace.open(workspace_path, PASSPHRASE)
    try:
        report = reopened.check()
        assert report.ok, report
        with reopened.reading() as session:
            assert session.get(WorkspaceMeta, HEAD_KEY).value.startswith("4:")
    finally:
        reopened.lock()


def test_clock_persists_across_units(workspace: Workspace) -> None:
    with workspace.unit_of_work() as uow:
        first = uow.clock.tick()
    with workspace.unit_of_work() as uow:
        assert uow.clock.tick() > first


def test_other_thread_cannot_break_a_unit_of_work(workspace: Workspace) -> None:
    """A read on another thread waits for the unit of work instead of ending its transaction."""
    import threading
    import time

    started = threading.Event()
    seen: list[int] = []

    def reader() -> None:
        started.wait(10)
        with workspace.reading() as session:
            seen.append(len(session.scalars(live(Agency)).all()))

    thread = threading.Thread(target=reader)
    thread.start()
    with pytest.raises(RuntimeError):
        with workspace.unit_of_work() as uow:
            uow.create(Agency, name="A1", short_name="A1", sector="", colour="#aabbcc")
            uow.session.flush()
            started.set()
            time.sleep(0.3)  # the reader tries now
            uow.create(Agency, name="A2", short_name="A2", sector="", colour="#aabbcc")
            raise RuntimeError("the unit fails")
    thread.join(10)
    assert seen == [0]
    with workspace.reading() as session:
        assert session.scalars(select(Agency)).all() == []
    assert workspace.check().ok


def test_agencies_added_by_name_merge_between_members(workspace: Workspace, tmp_path) -> None:
    """Two members who each add 'Police' get the same record identity."""
    from app.agencies import add_agency, find_agency
    from tests.helpers.workspaces import FAST_KDF, PASSPHRASE

    other = Workspace.create(
        tmp_path / "other", PASSPHRASE, display_name="B", role="Chair", agency="X", kdf_params=FAST_KDF
    )
    try:
        with workspace.unit_of_work() as uow:
            mine = add_agency(uow, "Northbridge Police", "Police").uuid
        with other.unit_of_work() as uow:
            theirs = add_agency(uow, "northbridge police ", "POL").uuid
            assert find_agency(uow.session, "pol").uuid == theirs
    finally:
        other.lock()
    assert mine == theirs


def test_agency_lookup_is_unicode_aware(workspace: Workspace) -> None:
    from app.agencies import add_agency, find_agency

    with workspace.unit_of_work() as uow:
        add_agency(uow, "Ärztekammer Süd", "ÄKS")
        assert find_agency(uow.session, "äks").name == "Ärztekammer Süd"

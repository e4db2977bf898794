"""Content-less tombstones, their travel in bundles, the migration that clears old ones, and the purge.

All on real encrypted workspaces (docs/merge.md, "Tombstones and purge").
"""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import pyrage
from sqlalchemy import select, update

from app.chronology import service as chronology
from app.exchange import contacts as contacts_service
from app.exchange import service
from app.exchange.bundle_format import decode_frame
from app.store.workspace import Workspace
from db import schema
from db.base import exchangeable_models
from db.models.core import Agency
from db.models.exchange import ConflictEntry
from db.models.people import ReviewPerson
from db.models.reviews import ChronologyEntry, Review
from tests.helpers.audit import to_old_form, without_purge_notices
from tests.helpers.members import introduce, introduced, make_member, raw_bundle, send, snapshot
from tests.helpers.records import SECRET, audit_entries, review_with_entry, row_of
from tests.helpers.workspaces import PASSPHRASE, behind_the_app


def test_every_kind_of_record_has_an_empty_content_its_columns_accept() -> None:
    for model in exchangeable_models():
        empty = model.empty_content()
        assert set(empty) | set(model.tombstone_fields()) == set(model.content_fields()), model
        for name, value in empty.items():
            column = model.__table__.columns[name]
            assert value is not None or column.nullable, (model, name)
            assert not column.foreign_keys, (model, name)


def test_deleting_an_entry_empties_it_and_its_audit_entry_quotes_nothing(workspace: Workspace) -> None:
    review_uuid, entry_uuid, _ = review_with_entry(workspace)
    with workspace.unit_of_work() as uow:
        chronology.delete_entry(uow, entry_uuid)
    row = row_of(workspace, ChronologyEntry, entry_uuid)
    assert row["deleted_stamp"] is not None and row["updated_stamp"] == row["deleted_stamp"]
    assert row["event"] == row["source"] == row["start_date"] == "" and row["date_key"] == 0
    assert row["review_uuid"] == review_uuid and row["agency_uuid"]  # links stay: integrity and purge need them
    assert set(row["field_stamps"]) == {"review_uuid", "agency_uuid"}
    (deletion,) = [e for e in audit_entries(workspace) if e.action == "delete"]
    assert deletion.record_id == entry_uuid and "belt" not in deletion.summary + deletion.changes


def test_deleting_drops_the_conflict_values_logged_for_the_record(workspace: Workspace) -> None:
    _, _, person_uuid = review_with_entry(workspace)
    with workspace.unit_of_work() as uow:
        uow.session.add(
            ConflictEntry(
                table_name="review_person",
                record_uuid=person_uuid,
                field="real_name",
                losing_value="Sarah Jones",
                losing_stamp="x",
                winning_stamp="y",
                winning_value="Sarah Turner",
                bundle_id="b",
                recorded_at="now",
            )
        )
    with workspace.unit_of_work() as uow:
        uow.delete(uow.session.get(ReviewPerson, person_uuid), summary="Removed a person from the people register")
    with workspace.reading() as session:
        logged = [(e.losing_value, e.winning_value) for e in session.scalars(select(ConflictEntry))]
    assert logged == [(None, None)]
    assert row_of(workspace, ReviewPerson, person_uuid)["real_name"] == ""


def test_a_tombstone_travels_as_identity_deletion_and_links_only(tmp_path: Path) -> None:
    ann, bob, cat = (make_member(tmp_path, n) for n in ("Ann", "Bob", "Cat"))
    introduce(ann, bob, cat)
    try:
        review_uuid, entry_uuid, _ = review_with_entry(ann)
        service.import_bundle(bob, send(ann, [bob], tmp_path / "1.bundle"))
        with ann.unit_of_work() as uow:
            chronology.delete_entry(uow, entry_uuid)
        data = send(ann, [bob, cat], tmp_path / "2.bundle")
        frame = decode_frame(pyrage.decrypt(data, [contacts_service.member_keys(cat.key_pairs).age_identity()]))
        payload = zlib.decompress(frame.payload)
        assert b"belt" not in payload and b"PNC" not in payload
        body = json.loads(payload)["tables"]["chronology_entry"]
        (record,) = [r for r in body["records"] if r[0] == entry_uuid]
        values = dict(zip(body["fields"], record[3], strict=True))
        stamps = dict(zip(body["fields"], record[4], strict=True))
        assert record[2] is not None  # the deletion stamp
        links = {"review_uuid", "agency_uuid"}
        assert all(values[n] for n in links)  # the links, and every other field empty
        assert {n: v for n, v in values.items() if n not in links} == ChronologyEntry.empty_content()
        assert {n for n, s in stamps.items() if s is not None} == {"review_uuid", "agency_uuid"}
        service.import_bundle(bob, data)  # had the entry: it empties
        service.import_bundle(cat, data)  # never had it: a content-less tombstone
        for ws in (bob, cat):
            row = row_of(ws, ChronologyEntry, entry_uuid)
            assert row["deleted_stamp"] is not None and row["event"] == "" and row["review_uuid"] == review_uuid
            assert row == row_of(ann, ChronologyEntry, entry_uuid)
        assert snapshot(bob) == snapshot(ann)
    finally:
        for ws in (ann, bob, cat):
            ws.lock()


def test_migration_0011_clears_tombstones_kept_with_content(workspace: Workspace, workspace_path: Path) -> None:
    review_uuid, entry_uuid, _ = review_with_entry(workspace)
    with workspace.unit_of_work() as uow:
        chronology.delete_entry(uow, entry_uuid)
    with workspace.unit_of_work() as uow:  # as an older version left it: content and stamps kept
        stamps = {name: "001700000000000.000000." + "a" * 32 for name in ChronologyEntry.content_fields()}
        uow.session.execute(
            update(ChronologyEntry)
            .where(ChronologyEntry.uuid == entry_uuid)
            .values(event=SECRET, source="PNC", start_date="2016-05-22", date_key=7, field_stamps=stamps)
        )
        for field, value in (("event", SECRET), ("__deleted__", {"event": SECRET, "source": "PNC"})):
            uow.session.add(
                ConflictEntry(
                    table_name="chronology_entry",
                    record_uuid=entry_uuid,
                    field=field,
                    losing_value=value,
                    losing_stamp=field,
                    winning_stamp="y",
                    winning_value=SECRET,
                    bundle_id="b",
                    recorded_at="now",
                )
            )
    with behind_the_app(workspace) as connection:
        to_old_form(connection.execute)  # back to the foundation branch's head before this revision (and 0012, 0013)
        without_purge_notices(connection.execute)
        connection.execute(
            "UPDATE alembic_version SET version_num = '0005_audit_head' WHERE version_num = '0012_audit_content_digest'"
        )
        connection.commit()
    reopened = Workspace.open(workspace_path, PASSPHRASE, backup_on_unlock=False)
    try:
        assert set(reopened.info()["schema_revisions"]) == schema.head_revisions()
        row = row_of(reopened, ChronologyEntry, entry_uuid)
        assert (row["event"], row["source"], row["start_date"], row["date_key"]) == ("", "", "", 0)
        assert row["review_uuid"] == review_uuid and set(row["field_stamps"]) == {"review_uuid", "agency_uuid"}
        with reopened.reading() as session:
            logged = {e.field: (e.losing_value, e.winning_value) for e in session.scalars(select(ConflictEntry))}
        assert logged == {"event": (None, None), "__deleted__": (["event", "source"], None)}
        assert row_of(reopened, Review, review_uuid)["title"] == "Review of Child A"  # live records untouched
        assert reopened.check().ok
    finally:
        reopened.lock()


def test_a_tombstone_from_an_older_sender_with_content_is_stored_empty(tmp_path: Path) -> None:
    """Before this version a tombstone carried its content (and knowledge of it): none of it is taken in."""
    with introduced(tmp_path, "Ann", "Bob") as (ann, bob):
        stamp = "000001700000000.000000." + "a" * 32
        uuid = "0b0e7d2e-5a8c-4a5e-9d3c-1f2e3d4c5b6a"
        record = [uuid, "a" * 32, stamp, ["Secret Unit", "SU", "Covert", "#112233"], stamp, {"name": [stamp]}]
        document = {
            "kind": "safeguarding-workbench/change-set",
            "version": 1,
            "tables": {"agency": {"fields": ["name", "short_name", "sector", "colour"], "records": [record]}},
        }
        report = service.import_bundle(bob, raw_bundle(ann, bob, json.dumps(document).encode()))
        assert report.applied
        row = row_of(bob, Agency, uuid)
        assert row["deleted_stamp"] == stamp and row["field_stamps"] == {}
        assert (row["name"], row["short_name"], row["sector"], row["colour"]) == ("", "", "", "")

"""Migration 0011 rewrites stamps stored in the plain form as packed ones, and back (issue 15).

The workspace is built at head, its rows are put back in the plain ``{field: stamp}`` form an
older build wrote, and the migration's own upgrade runs on them in a unit of work: every
record keeps its values, links and exactly the same stamps; only the stored text changes.
"""

from __future__ import annotations

import importlib
import json
from datetime import date

from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import select

import app.chronology.service as svc
from app.agencies import add_agency
from app.reviews.analysis import add_episode
from app.reviews.register import add_review
from db.base import exchangeable_models, pack_stamps
from db.models.reviews import ChronologyEntry, EntryEpisodeLink

migration = importlib.import_module("db.migrations.versions.0011_packed_stamps")


def _records(workspace) -> dict[tuple[str, str], tuple[dict, dict]]:
    out = {}
    with workspace.reading() as session:
        for model in exchangeable_models():
            for record in session.scalars(select(model)):
                out[(model.__tablename__, record.uuid)] = (record.content(), dict(record.field_stamps))
    return out


def _stored(workspace, table: str) -> dict[str, str]:
    with workspace.reading() as session:
        return dict(session.connection().exec_driver_sql(f"SELECT uuid, field_stamps FROM {table}").fetchall())


def _run(workspace, step) -> None:
    with workspace.unit_of_work() as uow:
        with Operations.context(MigrationContext.configure(uow.session.connection())):
            step()


def test_plain_stamps_are_packed_and_unpacked_without_changing_a_record(workspace) -> None:
    with workspace.unit_of_work() as uow:
        add_agency(uow, "Police", "POL")
        review = add_review(uow, kind="lcspr", title="R", subject_pseudonym="Child A", subject_dob=date(2014, 6, 1))
        episode = add_episode(uow, review.uuid, "Hospital admission")
        entries = [
            svc.add_entry(uow, review.uuid, start_date=f"0{n}/05/2016", agency="POL", source="PPU", event=f"Visit {n}")
            for n in range(1, 6)
        ]
        svc.set_entry_episodes(uow, entries[1].uuid, [episode.uuid])
    with workspace.unit_of_work() as uow:  # one field edited later: a second stamp on the record
        svc.update_entry(uow, entries[2].uuid, event="Visit 3, corrected")
    before = _records(workspace)
    assert len({s for s in before[("chronology_entry", entries[2].uuid)][1].values()}) == 2
    tables = sorted({table for table, _ in before})
    with workspace.unit_of_work() as uow:  # as an older build stored them
        connection = uow.session.connection()
        for (table, uuid), (_content, stamps) in before.items():
            connection.exec_driver_sql(
                f"UPDATE {table} SET field_stamps = ? WHERE uuid = ?", (json.dumps(stamps), uuid)
            )
    assert all(text.startswith("{") for table in tables for text in _stored(workspace, table).values())

    _run(workspace, migration.upgrade)

    assert _records(workspace) == before
    for table in tables:
        for uuid, text in _stored(workspace, table).items():  # each distinct stamp once
            assert json.loads(text) == pack_stamps(before[(table, uuid)][1]), (table, uuid)
    assert len(json.loads(_stored(workspace, "chronology_entry")[entries[2].uuid])) == 4
    with workspace.reading() as session:
        link = session.scalars(select(EntryEpisodeLink)).one()
        assert session.get(ChronologyEntry, link.entry_uuid) is not None
        assert session.connection().exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []

    _run(workspace, migration.downgrade)

    assert _records(workspace) == before
    assert all(text.startswith("{") for table in tables for text in _stored(workspace, table).values())

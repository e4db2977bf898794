"""tombstones: clear the content that deleted records used to keep

Revision ID: 0011_contentless_tombstones
Revises: 0005_audit_head (the foundation branch, where Exchangeable lives)

A deleted record used to keep its content (and to carry it in bundles). From
this revision a tombstone holds its identity, deletion stamp and links to other
records only (docs/merge.md, "Tombstones and purge"). This clears what existing
tombstones still hold, and the conflict-log values of deleted records: an entry
for edits that raced a deletion keeps the names of the fields, not their values.

Self-contained on purpose: the tables are read from the database, not from
today's models, so the step means the same thing whenever it runs. It depends on
no area's branch: whichever of their tables exist are cleared, and an area's
tables created after it (a new workspace, an area added later) start empty, so
there is nothing in them to clear. Kept are the
exchange bookkeeping columns and every column with a foreign key; each other
column becomes NULL where it may, else its type's empty value (as
db.base.empty_value does): "" for text, 0, false, 0001-01-01 for a date, an
empty list or object for JSON (the one the column's records already use), empty
bytes. Not undone by a downgrade: the content is gone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any

import sqlalchemy as sa
from alembic import op

from db.base import pack_stamps, unpack_stamps

revision: str = "0011_contentless_tombstones"
down_revision: str | Sequence[str] | None = "0005_audit_head"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

META = {"uuid", "origin_member", "field_stamps", "deleted_stamp", "updated_stamp"}
DELETED_FIELD = "__deleted__"


def _empty(column: sa.Column[Any], json_kind: type) -> Any:
    if column.nullable:
        return None
    kind = column.type
    if isinstance(kind, sa.JSON):
        return json_kind()
    if isinstance(kind, sa.Boolean):
        return False
    if isinstance(kind, sa.Integer):
        return 0
    if isinstance(kind, (sa.Float, sa.Numeric)):
        return 0.0
    if isinstance(kind, sa.DateTime):
        return datetime.min
    if isinstance(kind, sa.Date):
        return date.min
    if isinstance(kind, sa.Time):
        return time.min
    if isinstance(kind, sa.LargeBinary):
        return b""
    return ""


def _json_kind(connection: sa.Connection, table: sa.Table, column: sa.Column[Any]) -> type:
    """list or dict: what the column's stored values are (JSON reflects without its default)."""
    sample = connection.execute(
        sa.select(table.c[column.name]).where(table.c[column.name].is_not(None)).limit(1)
    ).scalar()
    return list if isinstance(sample, list) else dict


def upgrade() -> None:
    connection = op.get_bind()
    metadata = sa.MetaData()
    metadata.reflect(connection)
    deleted_by_table: dict[str, list[str]] = {}
    for table in metadata.sorted_tables:
        if not META <= set(table.c.keys()):
            continue
        cleared = [c for c in table.c if c.name not in META and not c.foreign_keys]
        rows = connection.execute(
            sa.select(table.c.uuid, table.c.field_stamps).where(table.c.deleted_stamp.is_not(None))
        ).all()
        deleted_by_table[table.name] = [row.uuid for row in rows]
        if not rows or not cleared:
            continue
        empty = {
            c.name: _empty(c, _json_kind(connection, table, c) if isinstance(c.type, sa.JSON) else dict)
            for c in cleared
        }
        statement = (
            table.update()
            .where(table.c.uuid == sa.bindparam("_uuid"))
            .values({**{n: sa.bindparam(f"_v_{n}") for n in empty}, "field_stamps": sa.bindparam("_stamps")})
        )
        params = [
            {
                "_uuid": row.uuid,
                # stamps may already be packed (0011_packed_stamps, on another branch, can run first)
                "_stamps": pack_stamps(
                    {n: s for n, s in unpack_stamps(row.field_stamps or {}).items() if n not in empty}
                ),
                **{f"_v_{n}": v for n, v in empty.items()},
            }
            for row in rows
        ]
        for start in range(0, len(params), 5000):
            connection.execute(statement, params[start : start + 5000])
    if "conflict_log" not in metadata.tables:
        return
    log = metadata.tables["conflict_log"]
    for table_name, uuids in deleted_by_table.items():
        for start in range(0, len(uuids), 900):
            chunk = uuids[start : start + 900]
            where = sa.and_(log.c.table_name == table_name, log.c.record_uuid.in_(chunk))
            connection.execute(
                log.update().where(where, log.c.field != DELETED_FIELD).values(losing_value=None, winning_value=None)
            )
            for entry in connection.execute(
                sa.select(log.c.id, log.c.losing_value).where(where, log.c.field == DELETED_FIELD)
            ):
                value = entry.losing_value
                fields = sorted(value) if isinstance(value, (dict, list)) else []
                connection.execute(
                    log.update().where(log.c.id == entry.id).values(losing_value=fields, winning_value=None)
                )


def downgrade() -> None:
    """Nothing to restore: cleared content is gone by design."""

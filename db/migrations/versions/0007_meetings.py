"""meetings: bodies, meetings, members, agenda items, papers, issued packs

Revision ID: 0007_meetings
Revises: 0001_foundation
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_meetings"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = ("meetings",)
depends_on: str | Sequence[str] | None = None


def _exchange_columns() -> list[sa.Column]:
    return [
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("origin_member", sa.String(length=32), nullable=False),
        sa.Column("field_stamps", sa.JSON(), nullable=False),
        sa.Column("deleted_stamp", sa.String(length=60), nullable=True),
        sa.Column("updated_stamp", sa.String(length=60), nullable=False),
    ]


def _table(name: str, *columns: sa.Column, parent: tuple[str, str] | None = None) -> None:
    constraints: list = []
    if parent:
        column, target = parent
        constraints.append(
            sa.ForeignKeyConstraint([column], [f"{target}.uuid"], name=op.f(f"fk_{name}_{column}_{target}"))
        )
    op.create_table(
        name, *columns, *_exchange_columns(), *constraints, sa.PrimaryKeyConstraint("uuid", name=op.f(f"pk_{name}"))
    )
    with op.batch_alter_table(name, schema=None) as batch_op:
        if parent:
            batch_op.create_index(batch_op.f(f"ix_{name}_{parent[0]}"), [parent[0]], unique=False)
        batch_op.create_index(batch_op.f(f"ix_{name}_updated_stamp"), ["updated_stamp"], unique=False)


def upgrade() -> None:
    _table(
        "meeting_body",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
    )
    _table(
        "meeting",
        sa.Column("body_uuid", sa.String(length=36), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("meets_on", sa.Date(), nullable=False),
        sa.Column("start_time", sa.String(length=5), nullable=False),
        sa.Column("venue", sa.String(length=300), nullable=False),
        sa.Column("chair", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("minutes_hash", sa.String(length=64), nullable=False),
        sa.Column("minutes_approved_on", sa.Date(), nullable=True),
        sa.Column("minutes_approved_at", sa.String(length=40), nullable=False),
        parent=("body_uuid", "meeting_body"),
    )
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_reference"), ["reference"], unique=False)
    _table(
        "meeting_member",
        sa.Column("meeting_uuid", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=False),
        sa.Column("attendance", sa.String(length=12), nullable=False),
        sa.Column("cleared_restricted", sa.Boolean(), nullable=False),
        sa.Column("contact_name", sa.String(length=200), nullable=False),
        parent=("meeting_uuid", "meeting"),
    )
    _table(
        "agenda_item",
        sa.Column("meeting_uuid", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("presenter", sa.String(length=200), nullable=False),
        sa.Column("purpose", sa.String(length=12), nullable=False),
        sa.Column("minutes_allowed", sa.Integer(), nullable=False),
        sa.Column("restricted", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("decisions", sa.Text(), nullable=False),
        parent=("meeting_uuid", "meeting"),
    )
    _table(
        "meeting_paper",
        sa.Column("item_uuid", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("page_count", sa.Integer(), nullable=False),
        sa.Column("report_key", sa.String(length=40), nullable=False),
        sa.Column("report_filters", sa.JSON(), nullable=False),
        sa.Column("added_on", sa.Date(), nullable=False),
        parent=("item_uuid", "agenda_item"),
    )
    _table(
        "meeting_pack",
        sa.Column("meeting_uuid", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("pack_id", sa.String(length=60), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("manifest", sa.JSON(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("page_count", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("open_content", sa.LargeBinary(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        parent=("meeting_uuid", "meeting"),
    )


def downgrade() -> None:
    for name in ("meeting_pack", "meeting_paper", "agenda_item", "meeting_member", "meeting", "meeting_body"):
        op.drop_table(name)

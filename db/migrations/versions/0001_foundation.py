"""foundation: workspace meta, member identity, audit log, agencies

Revision ID: 0001_foundation
Revises:
Create Date: 2026-11-25 19:07:17.742731
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001_foundation"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("foundation",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "agency",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("short_name", sa.String(length=40), nullable=False),
        sa.Column("sector", sa.String(length=80), nullable=False),
        sa.Column("colour", sa.String(length=7), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("origin_member", sa.String(length=32), nullable=False),
        sa.Column("field_stamps", sa.JSON(), nullable=False),
        sa.Column("deleted_stamp", sa.String(length=60), nullable=True),
        sa.Column("updated_stamp", sa.String(length=60), nullable=False),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_agency")),
    )
    with op.batch_alter_table("agency", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agency_updated_stamp"), ["updated_stamp"], unique=False)

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.Column("member_id", sa.String(length=32), nullable=False),
        sa.Column("member_name", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("record_id", sa.String(length=64), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
        sa.UniqueConstraint("entry_hash", name=op.f("uq_audit_log_entry_hash")),
    )
    op.create_table(
        "member_identity",
        sa.Column("member_id", sa.String(length=32), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=False),
        sa.Column("agency", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.Column("x25519_public", sa.LargeBinary(length=32), nullable=False),
        sa.Column("ed25519_public", sa.LargeBinary(length=32), nullable=False),
        sa.Column("x25519_private_wrapped", sa.LargeBinary(), nullable=False),
        sa.Column("ed25519_private_wrapped", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("member_id", name=op.f("pk_member_identity")),
    )
    op.create_table(
        "workspace_meta",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_workspace_meta")),
    )


def downgrade() -> None:
    op.drop_table("workspace_meta")
    op.drop_table("member_identity")
    op.drop_table("audit_log")
    with op.batch_alter_table("agency", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agency_updated_stamp"))

    op.drop_table("agency")

"""foundation: purge notices, so a purge reaches the other members' audit logs

Revision ID: 0013_purge_notice
Revises: 0012_audit_content_digest (the foundation branch, where the purge and the audit log live)

A purge now records which records it made tombstones, under which rule and on which day,
as exchangeable `purge_notice` records; a member importing them empties its own audit
entries about those records (docs/merge.md, "Tombstones and purge"). Earlier purges left
no notice: their tombstones still travel, and the other members' logs keep what they hold.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_purge_notice"
down_revision: str | Sequence[str] | None = "0012_audit_content_digest"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "purge_notice",
        sa.Column("rule", sa.String(length=40), nullable=False),
        sa.Column("purged_on", sa.Date(), nullable=False),
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("records", sa.JSON(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("origin_member", sa.String(length=32), nullable=False),
        sa.Column("field_stamps", sa.JSON(), nullable=False),
        sa.Column("deleted_stamp", sa.String(length=60), nullable=True),
        sa.Column("updated_stamp", sa.String(length=60), nullable=False),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_purge_notice")),
    )
    with op.batch_alter_table("purge_notice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_purge_notice_updated_stamp"), ["updated_stamp"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("purge_notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_purge_notice_updated_stamp"))
    op.drop_table("purge_notice")

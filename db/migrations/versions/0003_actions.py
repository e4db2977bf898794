"""actions: action tracker (actions, progress updates, evidence files)

Revision ID: 0003_actions
Revises: 0001_foundation
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_actions"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = ("actions",)
depends_on: str | Sequence[str] | None = None


def _exchange_columns() -> list[sa.Column]:
    return [
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("origin_member", sa.String(length=32), nullable=False),
        sa.Column("field_stamps", sa.JSON(), nullable=False),
        sa.Column("deleted_stamp", sa.String(length=60), nullable=True),
        sa.Column("updated_stamp", sa.String(length=60), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "action",
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("source_kind", sa.String(length=30), nullable=False),
        sa.Column("source_uuid", sa.String(length=36), nullable=True),
        sa.Column("source_label", sa.String(length=300), nullable=False),
        sa.Column("review_uuid", sa.String(length=36), nullable=True),
        sa.Column("owner_agency_uuid", sa.String(length=36), nullable=False),
        sa.Column("lead_officer", sa.String(length=200), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("success_measure", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("track", sa.String(length=20), nullable=False),
        sa.Column("rag_override", sa.String(length=10), nullable=True),
        sa.Column("rag_override_reason", sa.Text(), nullable=False),
        sa.Column("impact_evidence", sa.Text(), nullable=False),
        sa.Column("closure_reason", sa.Text(), nullable=False),
        sa.Column("approved_by", sa.String(length=200), nullable=False),
        sa.Column("approved_at_meeting", sa.String(length=300), nullable=False),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("created_on", sa.Date(), nullable=False),
        *_exchange_columns(),
        sa.ForeignKeyConstraint(
            ["owner_agency_uuid"], ["agency.uuid"], name=op.f("fk_action_owner_agency_uuid_agency")
        ),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_action")),
    )
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_action_reference"), ["reference"], unique=False)
        batch_op.create_index(batch_op.f("ix_action_source_uuid"), ["source_uuid"], unique=False)
        batch_op.create_index(batch_op.f("ix_action_review_uuid"), ["review_uuid"], unique=False)
        batch_op.create_index(batch_op.f("ix_action_owner_agency_uuid"), ["owner_agency_uuid"], unique=False)
        batch_op.create_index(batch_op.f("ix_action_updated_stamp"), ["updated_stamp"], unique=False)

    op.create_table(
        "progress_update",
        sa.Column("action_uuid", sa.String(length=36), nullable=False),
        sa.Column("written_on", sa.Date(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        *_exchange_columns(),
        sa.ForeignKeyConstraint(["action_uuid"], ["action.uuid"], name=op.f("fk_progress_update_action_uuid_action")),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_progress_update")),
    )
    with op.batch_alter_table("progress_update", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_progress_update_action_uuid"), ["action_uuid"], unique=False)
        batch_op.create_index(batch_op.f("ix_progress_update_updated_stamp"), ["updated_stamp"], unique=False)

    op.create_table(
        "action_evidence_file",
        sa.Column("action_uuid", sa.String(length=36), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("added_on", sa.Date(), nullable=False),
        sa.Column("added_by", sa.String(length=200), nullable=False),
        *_exchange_columns(),
        sa.ForeignKeyConstraint(
            ["action_uuid"], ["action.uuid"], name=op.f("fk_action_evidence_file_action_uuid_action")
        ),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_action_evidence_file")),
    )
    with op.batch_alter_table("action_evidence_file", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_action_evidence_file_action_uuid"), ["action_uuid"], unique=False)
        batch_op.create_index(batch_op.f("ix_action_evidence_file_updated_stamp"), ["updated_stamp"], unique=False)


def downgrade() -> None:
    op.drop_table("action_evidence_file")
    op.drop_table("progress_update")
    op.drop_table("action")

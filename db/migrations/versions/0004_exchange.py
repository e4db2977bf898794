"""exchange: contacts, conflict log, bundle log, frontiers

Revision ID: 0004_exchange
Revises: 0001_foundation
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_exchange"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = ("exchange",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "contact",
        sa.Column("key_id", sa.String(length=32), nullable=False),
        sa.Column("member_id", sa.String(length=32), nullable=True),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("agency", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=False),
        sa.Column("x25519_public", sa.LargeBinary(length=32), nullable=False),
        sa.Column("ed25519_public", sa.LargeBinary(length=32), nullable=False),
        sa.Column("added_at", sa.String(length=40), nullable=False),
        sa.Column("trusted_at", sa.String(length=40), nullable=True),
        sa.Column("revoked_at", sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint("key_id", name=op.f("pk_contact")),
    )
    op.create_index(op.f("ix_contact_member_id"), "contact", ["member_id"], unique=False)
    op.create_table(
        "conflict_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("record_uuid", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("losing_value", sa.JSON(), nullable=True),
        sa.Column("losing_stamp", sa.String(length=60), nullable=False),
        sa.Column("winning_stamp", sa.String(length=60), nullable=False),
        sa.Column("winning_value", sa.JSON(), nullable=True),
        sa.Column("bundle_id", sa.String(length=36), nullable=False),
        sa.Column("recorded_at", sa.String(length=40), nullable=False),
        sa.Column("resolved_at", sa.String(length=40), nullable=True),
        sa.Column("resolution", sa.String(length=20), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conflict_log")),
        sa.UniqueConstraint("table_name", "record_uuid", "field", "losing_stamp", name="uq_conflict_log_losing_value"),
    )
    op.create_index(op.f("ix_conflict_log_record_uuid"), "conflict_log", ["record_uuid"], unique=False)
    op.create_index(op.f("ix_conflict_log_resolved_at"), "conflict_log", ["resolved_at"], unique=False)
    op.create_table(
        "bundle_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("bundle_id", sa.String(length=36), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("peer_names", sa.Text(), nullable=False),
        sa.Column("created", sa.String(length=40), nullable=False),
        sa.Column("applied_at", sa.String(length=40), nullable=False),
        sa.Column("scope", sa.String(length=200), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("frontier", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bundle_log")),
        sa.UniqueConstraint("bundle_id", name=op.f("uq_bundle_log_bundle_id")),
    )
    op.create_table(
        "sent_frontier",
        sa.Column("recipients", sa.String(length=4000), nullable=False),
        sa.Column("clock_stamp", sa.String(length=60), nullable=False),
        sa.Column("bundle_id", sa.String(length=36), nullable=False),
        sa.Column("sent_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("recipients", name=op.f("pk_sent_frontier")),
    )
    op.create_table(
        "received_change",
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("import_stamp", sa.String(length=60), nullable=False),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_received_change")),
    )
    op.create_index(op.f("ix_received_change_import_stamp"), "received_change", ["import_stamp"], unique=False)
    op.create_table(
        "seen_frontier",
        sa.Column("member_id", sa.String(length=32), nullable=False),
        sa.Column("stamp", sa.String(length=60), nullable=False),
        sa.PrimaryKeyConstraint("member_id", name=op.f("pk_seen_frontier")),
    )


def downgrade() -> None:
    op.drop_table("seen_frontier")
    op.drop_index(op.f("ix_received_change_import_stamp"), table_name="received_change")
    op.drop_table("received_change")
    op.drop_table("sent_frontier")
    op.drop_table("bundle_log")
    op.drop_index(op.f("ix_conflict_log_resolved_at"), table_name="conflict_log")
    op.drop_index(op.f("ix_conflict_log_record_uuid"), table_name="conflict_log")
    op.drop_table("conflict_log")
    op.drop_index(op.f("ix_contact_member_id"), table_name="contact")
    op.drop_table("contact")

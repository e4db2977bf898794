"""people: a review's people register (names, aliases, pseudonyms) and scan decisions

Revision ID: 0009_people
Revises: 0002_reviews
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_people"
down_revision: str | Sequence[str] | None = "0002_reviews"
branch_labels: str | Sequence[str] | None = None
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
        "review_person",
        sa.Column("review_uuid", sa.String(length=36), nullable=False),
        sa.Column("real_name", sa.String(length=300), nullable=False),
        sa.Column("pseudonym", sa.String(length=120), nullable=False),
        sa.Column("role", sa.String(length=120), nullable=False),
        sa.Column("other_names", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        *_exchange_columns(),
        sa.ForeignKeyConstraint(["review_uuid"], ["review.uuid"], name=op.f("fk_review_person_review_uuid_review")),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_review_person")),
    )
    with op.batch_alter_table("review_person", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_person_review_uuid"), ["review_uuid"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_person_updated_stamp"), ["updated_stamp"], unique=False)
    op.create_table(
        "scan_decision",
        sa.Column("review_uuid", sa.String(length=36), nullable=False),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=False),
        sa.Column("decided_at", sa.String(length=40), nullable=False),
        *_exchange_columns(),
        sa.ForeignKeyConstraint(["review_uuid"], ["review.uuid"], name=op.f("fk_scan_decision_review_uuid_review")),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_scan_decision")),
    )
    with op.batch_alter_table("scan_decision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scan_decision_review_uuid"), ["review_uuid"], unique=False)
        batch_op.create_index(batch_op.f("ix_scan_decision_updated_stamp"), ["updated_stamp"], unique=False)


def downgrade() -> None:
    for table in ("scan_decision", "review_person"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_updated_stamp"))
            batch_op.drop_index(batch_op.f(f"ix_{table}_review_uuid"))
        op.drop_table(table)

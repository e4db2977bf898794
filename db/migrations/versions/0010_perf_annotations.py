"""performance: annotations on an indicator's charts

Revision ID: 0010_perf_annotations
Revises: 0008_performance
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_perf_annotations"
down_revision: str | Sequence[str] | None = "0008_performance"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "perf_annotation",
        sa.Column("indicator_uuid", sa.String(length=36), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("text", sa.String(length=120), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("origin_member", sa.String(length=32), nullable=False),
        sa.Column("field_stamps", sa.JSON(), nullable=False),
        sa.Column("deleted_stamp", sa.String(length=60), nullable=True),
        sa.Column("updated_stamp", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_uuid"], ["perf_indicator.uuid"], name=op.f("fk_perf_annotation_indicator_uuid_perf_indicator")
        ),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_perf_annotation")),
    )
    with op.batch_alter_table("perf_annotation", schema=None) as batch_op:
        for column in ("indicator_uuid", "period", "updated_stamp"):
            batch_op.create_index(batch_op.f(f"ix_perf_annotation_{column}"), [column], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("perf_annotation", schema=None) as batch_op:
        for column in ("indicator_uuid", "period", "updated_stamp"):
            batch_op.drop_index(batch_op.f(f"ix_perf_annotation_{column}"))
    op.drop_table("perf_annotation")

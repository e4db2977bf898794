"""performance: indicator catalogue, definition breaks, figures, comparators, exception notes, settings

Revision ID: 0008_performance
Revises: 0001_foundation
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_performance"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = ("performance",)
depends_on: str | Sequence[str] | None = None


def _exchange_columns() -> list[sa.Column]:
    return [
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("origin_member", sa.String(length=32), nullable=False),
        sa.Column("field_stamps", sa.JSON(), nullable=False),
        sa.Column("deleted_stamp", sa.String(length=60), nullable=True),
        sa.Column("updated_stamp", sa.String(length=60), nullable=False),
    ]


def _indexes(table: str, columns: list[str]) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns + ["updated_stamp"]:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def upgrade() -> None:
    op.create_table(
        "perf_indicator",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("numerator", sa.Text(), nullable=False),
        sa.Column("denominator", sa.Text(), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("per", sa.Integer(), nullable=False),
        sa.Column("polarity", sa.String(length=10), nullable=False),
        sa.Column("frequency", sa.String(length=20), nullable=False),
        sa.Column("owner_agency_uuid", sa.String(length=36), nullable=True),
        sa.Column("source_system", sa.String(length=200), nullable=False),
        sa.Column("theme", sa.String(length=100), nullable=False),
        sa.Column("target", sa.Float(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_exchange_columns(),
        sa.ForeignKeyConstraint(
            ["owner_agency_uuid"], ["agency.uuid"], name=op.f("fk_perf_indicator_owner_agency_uuid_agency")
        ),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_perf_indicator")),
    )
    _indexes("perf_indicator", ["code", "owner_agency_uuid"])

    op.create_table(
        "perf_definition_break",
        sa.Column("indicator_uuid", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("from_period", sa.String(length=7), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("previous_definition", sa.Text(), nullable=False),
        *_exchange_columns(),
        sa.ForeignKeyConstraint(
            ["indicator_uuid"],
            ["perf_indicator.uuid"],
            name=op.f("fk_perf_definition_break_indicator_uuid_perf_indicator"),
        ),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_perf_definition_break")),
    )
    _indexes("perf_definition_break", ["indicator_uuid"])

    op.create_table(
        "perf_value",
        sa.Column("indicator_uuid", sa.String(length=36), nullable=False),
        sa.Column("agency_uuid", sa.String(length=36), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("numerator", sa.Float(), nullable=True),
        sa.Column("denominator", sa.Float(), nullable=True),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=True),
        *_exchange_columns(),
        sa.ForeignKeyConstraint(
            ["indicator_uuid"], ["perf_indicator.uuid"], name=op.f("fk_perf_value_indicator_uuid_perf_indicator")
        ),
        sa.ForeignKeyConstraint(["agency_uuid"], ["agency.uuid"], name=op.f("fk_perf_value_agency_uuid_agency")),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_perf_value")),
    )
    _indexes("perf_value", ["indicator_uuid", "agency_uuid", "period"])

    op.create_table(
        "perf_comparator",
        sa.Column("indicator_uuid", sa.String(length=36), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("source_date", sa.Date(), nullable=True),
        *_exchange_columns(),
        sa.ForeignKeyConstraint(
            ["indicator_uuid"], ["perf_indicator.uuid"], name=op.f("fk_perf_comparator_indicator_uuid_perf_indicator")
        ),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_perf_comparator")),
    )
    _indexes("perf_comparator", ["indicator_uuid", "period"])

    op.create_table(
        "perf_exception",
        sa.Column("indicator_uuid", sa.String(length=36), nullable=True),
        sa.Column("agency_uuid", sa.String(length=36), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("agency_commentary", sa.Text(), nullable=False),
        sa.Column("panel_view", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        *_exchange_columns(),
        sa.ForeignKeyConstraint(
            ["indicator_uuid"], ["perf_indicator.uuid"], name=op.f("fk_perf_exception_indicator_uuid_perf_indicator")
        ),
        sa.ForeignKeyConstraint(["agency_uuid"], ["agency.uuid"], name=op.f("fk_perf_exception_agency_uuid_agency")),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_perf_exception")),
    )
    _indexes("perf_exception", ["indicator_uuid", "agency_uuid", "period"])

    op.create_table(
        "perf_setting",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        *_exchange_columns(),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_perf_setting")),
    )
    _indexes("perf_setting", ["key"])


def downgrade() -> None:
    for table in (
        "perf_setting",
        "perf_exception",
        "perf_comparator",
        "perf_value",
        "perf_definition_break",
        "perf_indicator",
    ):
        op.drop_table(table)

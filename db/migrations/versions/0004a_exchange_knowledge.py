"""exchange: per-field knowledge, for exact conflict detection

Revision ID: 0004a_exchange_knowledge
Revises: 0004_exchange
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004a_exchange_knowledge"
down_revision: str | Sequence[str] | None = "0004_exchange"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "field_knowledge",
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("stamp", sa.String(length=60), nullable=False),
        sa.Column("seen", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("uuid", "field", name=op.f("pk_field_knowledge")),
    )


def downgrade() -> None:
    op.drop_table("field_knowledge")

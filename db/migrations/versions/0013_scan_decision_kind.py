"""people: a scan decision names the kind of finding it is about (names, identifiers, sources)

Revision ID: 0013_scan_decision_kind
Revises: 0011_packed_stamps

Until now only name-like words were decided and kept; accepted phone numbers, postcodes,
addresses and dates of birth lived in memory for one session. Decisions now carry their
finding's kind, so "01632 960000" accepted as a phone number says nothing about the same
text found as something else. Every decision already stored was about a name-like word.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_scan_decision_kind"
down_revision: str | Sequence[str] | None = "0011_packed_stamps"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("scan_decision", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=40), nullable=False, server_default="possible-name"))


def downgrade() -> None:
    with op.batch_alter_table("scan_decision", schema=None) as batch_op:
        batch_op.drop_column("kind")

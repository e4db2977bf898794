"""meetings: the minutes as approved are kept on the meeting

Revision ID: 0013_meeting_approved_minutes
Revises: 0007_meetings

Exported approved minutes were rebuilt from live data, so an action raised in the
meeting that later changed its due date changed the "frozen" minutes. The meeting now
keeps what was approved; meetings approved before this have {} and are exported and
checked as before (from live data, against their hash).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_meeting_approved_minutes"
down_revision: str | Sequence[str] | None = "0007_meetings"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("approved_minutes", sa.JSON(), nullable=False, server_default="{}"))


def downgrade() -> None:
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_column("approved_minutes")

"""foundation: record the audit chain's head, so removing the newest entries is detected

Revision ID: 0005_audit_head
Revises: 0001_foundation
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_audit_head"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENESIS_HASH = "0" * 64  # as app.records.audit; migrations do not import the application


def upgrade() -> None:
    connection = op.get_bind()
    count = connection.execute(sa.text("SELECT count(*) FROM audit_log")).scalar_one()
    newest = connection.execute(sa.text("SELECT entry_hash FROM audit_log ORDER BY id DESC LIMIT 1")).scalar()
    connection.execute(
        sa.text("INSERT OR REPLACE INTO workspace_meta (key, value) VALUES ('audit_head', :value)"),
        {"value": f"{count}:{newest or GENESIS_HASH}"},
    )


def downgrade() -> None:
    op.execute("DELETE FROM workspace_meta WHERE key = 'audit_head'")

"""Alembic environment: always run in-process on the already-keyed connection.

There is no URL in alembic.ini on purpose: a migration can only run on a
workspace that the app has unlocked, with the key already sent.
"""

from __future__ import annotations

from alembic import context

import db.models  # noqa: F401  # registers every table
from db.base import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("migrations run only through db.schema on an unlocked workspace")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things in place
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()

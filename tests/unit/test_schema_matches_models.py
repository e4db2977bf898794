"""The schema the migrations build is the schema the models declare.

Workspaces are created and upgraded by the alembic migrations, while the code
reads and writes through the models; a column added to one and not the other
would only show on a member's laptop. alembic's own comparison (the one behind
``--autogenerate``) finds every difference in tables, columns, types,
nullability, indexes and constraints.
"""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import db.models  # noqa: F401  (registers every table on Base.metadata)
from app.store.workspace import Workspace
from db.base import Base


def test_migrated_workspace_has_exactly_the_modelled_schema(workspace: Workspace) -> None:
    with workspace.reading() as session:
        context = MigrationContext.configure(session.connection(), opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_the_comparison_sees_a_missing_column(workspace: Workspace) -> None:
    """The check above can fail: drop a column and it is reported."""
    with workspace.unit_of_work() as uow:
        uow.session.connection().exec_driver_sql("ALTER TABLE action DROP COLUMN title")
    with workspace.reading() as session:
        context = MigrationContext.configure(session.connection(), opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert any(d[0] == "add_column" and d[3].name == "title" for d in differences)

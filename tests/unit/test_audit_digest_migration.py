"""Migration 0012 moves the audit chain to content digests, and launders nothing (issue 16).

Each test builds a real encrypted workspace at head, puts its audit log back in the form an
older build wrote (no digest or redaction columns, each hash over the content itself, by the
old formula written out here), optionally damages it, then runs the migration's own upgrade
in a unit of work, as alembic would on unlock.
"""

from __future__ import annotations

import importlib
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations

from app.agencies import add_agency
from app.records.audit import HEAD_KEY, LEGACY_GENESIS_HASH
from app.records.purge import purge
from app.store.workspace import UPGRADE_BACKUP_STEP, UPGRADE_STEP, Workspace
from tests.helpers.audit import to_old_form, without_purge_notices
from tests.helpers.records import SECRET, closed_long_ago, review_with_entry, values_in_database
from tests.helpers.workspaces import PASSPHRASE

migration = importlib.import_module("db.migrations.versions.0012_audit_content_digest")


def _meta(workspace: Workspace) -> dict[str, str]:
    with workspace.reading() as session:
        return dict(session.connection().exec_driver_sql("SELECT key, value FROM workspace_meta").all())


def _migrate(workspace: Workspace, *damage: str, genesis: str | None = None) -> dict[str, Any]:
    """Old form, the given damage, then the migration: returns what it recorded in workspace_meta."""
    with workspace.unit_of_work() as uow:
        connection = uow.session.connection()
        to_old_form(connection.exec_driver_sql, genesis)
        for statement in damage:
            connection.exec_driver_sql(statement)
    old_head = _meta(workspace)[HEAD_KEY]
    _run(workspace, migration.upgrade)
    recorded = json.loads(_meta(workspace)["audit_upgrade"])
    assert recorded["old_head"] == old_head
    return recorded


def _digests(workspace: Workspace) -> list[str]:
    with workspace.reading() as session:
        return [r[0] for r in session.connection().exec_driver_sql("SELECT content_digest FROM audit_log ORDER BY id")]


def _purgeable(workspace: Workspace) -> None:
    review, _entry, _person = review_with_entry(workspace)
    closed_long_ago(workspace, review, date(1990, 3, 1))


def test_an_old_log_that_verifies_is_rechained_and_then_purges_cleanly(workspace: Workspace) -> None:
    _purgeable(workspace)
    head_before = _meta(workspace)[HEAD_KEY]
    recorded = _migrate(workspace)
    assert recorded["upgraded"] is True and recorded["entries"] == int(head_before.split(":")[0])
    assert _meta(workspace)[HEAD_KEY] != recorded["old_head"]  # re-chained: a new head, the old one on record
    assert all(_digests(workspace))
    assert workspace.check().ok
    with workspace.unit_of_work() as uow:
        result = purge(uow, date(2025, 3, 1))
    assert result.redacted >= 4 and result.kept == 0
    assert not [v for _t, _c, v in values_in_database(workspace) if SECRET in v]
    assert workspace.check().ok


def test_an_old_log_from_the_legacy_genesis_is_rechained_from_it(workspace: Workspace) -> None:
    with workspace.unit_of_work() as uow:
        add_agency(uow, "Northbridge Police", "Police")
    assert _migrate(workspace, genesis=LEGACY_GENESIS_HASH)["upgraded"] is True
    with workspace.reading() as session:
        first = session.connection().exec_driver_sql("SELECT prev_hash FROM audit_log ORDER BY id LIMIT 1").scalar()
    assert first == LEGACY_GENESIS_HASH
    assert workspace.check().ok


def test_a_broken_old_log_is_left_as_it_was_and_stays_reported(workspace: Workspace) -> None:
    """Re-chaining a damaged log would make the damage verify: it is kept, old form and all."""
    _purgeable(workspace)
    recorded = _migrate(workspace, "UPDATE audit_log SET summary = 'Nothing happened' WHERE id = 3")
    assert recorded["upgraded"] is False and "entry 3 was changed" in recorded["reason"]
    assert not any(_digests(workspace))
    broken = ["audit entry 3: its content was changed after it was written"]
    assert workspace.check().audit.problems == broken
    with workspace.unit_of_work() as uow:  # new entries are written in the digest form after it
        add_agency(uow, "Riverside School", "RS")
        result = purge(uow, date(2025, 3, 1))
    assert result.redacted == 0 and result.kept >= 4  # old entries cannot be emptied without breaking the chain
    assert _digests(workspace)[-1] and not _digests(workspace)[0]
    assert workspace.check().audit.problems == broken  # the same damage, no more, no less


def test_an_old_log_cut_short_stays_reported(workspace: Workspace) -> None:
    with workspace.unit_of_work() as uow:
        add_agency(uow, "Northbridge Police", "Police")
        add_agency(uow, "Riverside School", "RS")
    recorded = _migrate(workspace, "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)")
    assert recorded["upgraded"] is False and "recorded head" in recorded["reason"]
    problems = workspace.check().audit.problems
    assert problems == [
        "the audit log holds 2 entries but 3 were recorded "
        "(the newest entries were removed or added outside the application)"
    ]


def test_a_digest_entry_put_back_in_the_old_form_fails_check(workspace: Workspace) -> None:
    """The old form is only accepted before the first digest entry: blanking a digest does not skip it."""
    with workspace.unit_of_work() as uow:
        add_agency(uow, "Northbridge Police", "Police")
        add_agency(uow, "Riverside School", "RS")
    with workspace.unit_of_work() as uow:
        uow.session.connection().exec_driver_sql("UPDATE audit_log SET content_digest = '' WHERE id = 2")
    assert workspace.check().audit.problems == ["audit entry 2: its content was changed after it was written"]


def test_unlocking_an_older_workspace_upgrades_its_log(workspace: Workspace, workspace_path: Path) -> None:
    """The real path: alembic runs 0012 on unlock, in the unlock's transaction."""
    _purgeable(workspace)
    with workspace.unit_of_work() as uow:
        connection = uow.session.connection()
        to_old_form(connection.exec_driver_sql)
        without_purge_notices(connection.exec_driver_sql)
        connection.exec_driver_sql(
            "UPDATE alembic_version SET version_num = '0011_contentless_tombstones' "
            "WHERE version_num = '0012_audit_content_digest'"
        )
    old_head = _meta(workspace)[HEAD_KEY]
    workspace.lock()
    heard: list[str] = []
    reopened = Workspace.open(workspace_path, PASSPHRASE, backup_on_unlock=False, on_step=heard.append)
    try:
        assert json.loads(_meta(reopened)["audit_upgrade"])["old_head"] == old_head
        assert all(_digests(reopened)) and reopened.check().ok
    finally:
        reopened.lock()
    assert heard == [UPGRADE_BACKUP_STEP, UPGRADE_STEP]  # the unlock dialog says so: a large upgrade takes minutes
    heard.clear()
    Workspace.open(workspace_path, PASSPHRASE, backup_on_unlock=False, on_step=heard.append).lock()
    assert heard == []  # nothing to upgrade, nothing said


def _run(workspace: Workspace, step: Any) -> None:
    with workspace.unit_of_work() as uow:
        with Operations.context(MigrationContext.configure(uow.session.connection())):
            step()


def test_the_downgrade_goes_back_to_the_old_formula_only_while_nothing_was_emptied(workspace: Workspace) -> None:
    _purgeable(workspace)
    _run(workspace, migration.downgrade)
    with workspace.reading() as session:
        assert migration.old_chain_fault(session.connection()) is None  # the old formula verifies it again
    _run(workspace, migration.upgrade)
    assert json.loads(_meta(workspace)["audit_upgrade"])["upgraded"] is True and workspace.check().ok
    with workspace.unit_of_work() as uow:
        purge(uow, date(2025, 3, 1))
    with pytest.raises(RuntimeError, match="emptied by a purge"):
        _run(workspace, migration.downgrade)
    assert workspace.check().ok  # refused: nothing changed

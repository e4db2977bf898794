"""`workbench purge` end to end: it lists, asks (or needs --yes), purges, and says so; never shows content."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from app.store.workspace import Workspace
from db.models.reviews import ChronologyEntry, Review
from tests.helpers.cli import run as workbench  # no terminal: confirmation needs --yes
from tests.helpers.records import SECRET, audit_entries, closed_long_ago, review_with_entry, row_of, values_in_database
from tests.helpers.workspaces import PASSPHRASE


def test_purge_lists_asks_then_purges(workspace: Workspace, workspace_path: Path) -> None:
    review_uuid, entry_uuid, _ = review_with_entry(workspace)
    closed_long_ago(workspace, review_uuid, date(1980, 6, 1))
    with workspace.reading() as session:
        reference = session.get(Review, review_uuid).reference
    workspace.lock()
    path = str(workspace_path)

    listed = workbench("purge", path, "--dry-run")
    assert listed.returncode == 0, listed.stderr
    assert reference in listed.stdout and "01/06/1980" in listed.stdout and "35 years" in listed.stdout
    assert "1 review, 1 chronology entry" in listed.stdout and "Dry run: nothing was purged." in listed.stdout
    assert "belt" not in listed.stdout + listed.stderr and "Turner" not in listed.stdout
    emptied = re.search(r"The content of (\d+) audit entries about them would be emptied", listed.stdout)
    assert emptied and int(emptied[1]) >= 4, listed.stdout  # the review, its entry, its person, its closure

    unconfirmed = workbench("purge", path)
    assert unconfirmed.returncode == 1 and "add --yes" in unconfirmed.stderr
    assert "Nothing was purged." in unconfirmed.stderr

    done = workbench("purge", path, "--yes")
    assert done.returncode == 0, done.stderr
    assert "Purged 3 records" in done.stdout and "send a bundle" in done.stdout
    assert "made before the purge still hold" in done.stdout and "--replace-restore-points" in done.stdout
    assert f"the content of {emptied[1]} audit entries about them was emptied" in done.stdout

    again = workbench("purge", path, "--dry-run")
    assert again.returncode == 0 and "No records are past their retention" in again.stdout

    reopened = Workspace.open(workspace_path, PASSPHRASE, backup_on_unlock=False)
    try:
        entry = row_of(reopened, ChronologyEntry, entry_uuid)
        assert entry["deleted_stamp"] is not None and entry["event"] == ""
        purges = [e for e in audit_entries(reopened) if e.action == "purge"]
        assert len(purges) == 1 and SECRET not in purges[0].summary + purges[0].changes
        assert not [v for _t, _c, v in values_in_database(reopened) if SECRET in v]
        assert reopened.check().ok
    finally:
        reopened.lock()


def test_only_a_purge_that_writes_backs_up_on_unlock(workspace: Workspace, workspace_path: Path) -> None:
    """The dry run writes nothing and makes no restore point; the purge itself unlocks with one first."""
    from app.store.backups import list_backups

    review_uuid, _entry, _ = review_with_entry(workspace)
    closed_long_ago(workspace, review_uuid, date(1980, 6, 1))
    workspace.lock()
    before = {b.path for b in list_backups(workspace_path)}

    assert workbench("purge", str(workspace_path), "--dry-run").returncode == 0
    assert {b.path for b in list_backups(workspace_path)} == before

    done = workbench("purge", str(workspace_path), "--yes")
    assert done.returncode == 0, done.stderr
    assert [b.note for b in list_backups(workspace_path) if b.path not in before] == ["on unlock"]


def test_purge_can_replace_the_restore_points_that_still_hold_the_content(
    workspace: Workspace, workspace_path: Path
) -> None:
    """Restore points are whole encrypted copies a purge cannot reach into: the user may replace them."""
    from app.store.backups import list_backups

    review_uuid, _entry, _ = review_with_entry(workspace)
    closed_long_ago(workspace, review_uuid, date(1980, 6, 1))
    workspace.backup(name="before the spring audit")  # a named point would otherwise stay for ever
    workspace.lock()
    older = list_backups(workspace_path)
    assert older

    replaced = workbench("purge", str(workspace_path), "--yes", "--replace-restore-points")
    assert replaced.returncode == 0, replaced.stderr
    assert "Made a new restore point and removed the" in replaced.stdout
    (only,) = list_backups(workspace_path)
    assert only.note == "after a purge" and all(b.path != only.path for b in older)
    reopened = Workspace.open(workspace_path, PASSPHRASE, backup_on_unlock=False)
    try:
        from sqlalchemy import func, select

        from db.models.core import AuditEntry

        with reopened.reading() as session:
            newest = session.scalar(select(func.max(AuditEntry.id)))
            action = session.scalar(select(AuditEntry.action).where(AuditEntry.id == newest))
        assert action == "purge" and only.audit_position == newest  # made after the purge
    finally:
        reopened.lock()

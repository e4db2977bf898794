"""`workbench purge` end to end: it lists, asks (or needs --yes), purges, and says so; never shows content."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from app.store.workspace import Workspace
from db.models.reviews import ChronologyEntry, Review
from tests.conftest import PASSPHRASE
from tests.helpers.cli import run as workbench  # no terminal: confirmation needs --yes
from tests.helpers.records import SECRET, audit_entries, closed_long_ago, review_with_entry, row_of, values_in_database


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

"""The audit chain cannot be emptied, restarted or swapped quietly (issue 16.5).

Each test tampers with a real encrypted workspace through a raw SQLCipher
connection, as someone with the file and the passphrase but without the
application would, then asserts that `check` fails and says why.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from app.records.audit import HEAD_KEY, LEGACY_GENESIS_HASH, genesis_hash
from app.store.workspace import Workspace
from db.models.core import Agency
from tests.helpers.audit import rechain
from tests.helpers.workspaces import FAST_KDF, PASSPHRASE, behind_the_app

HASHED = ("at", "member_id", "member_name", "action", "table_name", "record_id", "content_digest")
#: what `check` says of a chain that does not start at this workspace's creation
NOT_FROM_CREATION = (
    "the audit log does not start at this workspace's creation "
    "(its first entries were removed, or it was taken from another workspace)"
)


def _add_agencies(workspace: Workspace, count: int) -> None:
    with workspace.unit_of_work() as uow:
        for i in range(count):
            uow.create(Agency, name=f"Agency {i}", short_name=f"A{i}", sector="", colour="#aabbcc")


def _tamper(workspace: Workspace, *statements: str) -> None:
    """Lock the workspace, then change its database behind the application's back."""
    with behind_the_app(workspace) as connection:
        for statement in statements:
            connection.execute(statement)


def _rechain(connection: sqlite3.Connection, genesis: str) -> None:
    """Recompute every entry's hash from `genesis` and record the matching head: a consistent forgery."""
    rechain(connection.execute, HASHED, genesis)


def _check(workspace_path: Path) -> list[str]:
    reopened = Workspace.open(workspace_path, PASSPHRASE, backup_on_unlock=False)
    try:
        report = reopened.check()
    finally:
        reopened.lock()
    assert report.ok == (not report.audit.problems)
    return report.audit.problems


def test_a_new_chain_starts_from_the_workspace_s_own_genesis(workspace: Workspace, workspace_path: Path) -> None:
    with behind_the_app(workspace) as connection:
        meta = dict(connection.execute("SELECT key, value FROM workspace_meta").fetchall())
        first = connection.execute("SELECT prev_hash, action, table_name FROM audit_log ORDER BY id LIMIT 1").fetchone()
    assert first == (genesis_hash(meta["workspace_id"], meta["created"]), "create", "workspace")
    assert first[0] != LEGACY_GENESIS_HASH
    assert _check(workspace_path) == []


def test_emptying_the_log_and_its_head_fails_check(workspace: Workspace, workspace_path: Path) -> None:
    """The reported attack: every entry and the recorded head deleted in a workspace of 40 records."""
    _add_agencies(workspace, 40)
    _tamper(workspace, "DELETE FROM audit_log", f"DELETE FROM workspace_meta WHERE key = '{HEAD_KEY}'")
    problems = _check(workspace_path)
    assert any("the audit log is empty" in p for p in problems), problems
    assert any("recorded head is missing" in p for p in problems), problems
    assert any("holds 40 records with change stamps but its audit log records no change" in p for p in problems)


def test_emptying_the_log_of_a_workspace_without_records_fails_too(workspace: Workspace, workspace_path: Path) -> None:
    _tamper(workspace, "DELETE FROM audit_log", f"DELETE FROM workspace_meta WHERE key = '{HEAD_KEY}'")
    problems = _check(workspace_path)
    assert problems[0].startswith("the audit log is empty: even the entry recording the workspace's creation")


def test_a_log_rebuilt_with_only_its_first_entry_fails_on_the_records(
    workspace: Workspace, workspace_path: Path
) -> None:
    """Keep the creation entry, delete the rest and record a matching head: the chain is whole, the records say not."""
    _add_agencies(workspace, 5)
    with behind_the_app(workspace) as connection:
        connection.execute("DELETE FROM audit_log WHERE id > 1")
        _rechain(connection, connection.execute("SELECT prev_hash FROM audit_log WHERE id = 1").fetchone()[0])
    assert _check(workspace_path) == [
        "the workspace holds 5 records with change stamps but its audit log records no change "
        "to any record (the entries about them were removed)"
    ]


def test_a_log_whose_first_entries_were_cut_off_fails_check(workspace: Workspace, workspace_path: Path) -> None:
    """Cutting the oldest entries and rebuilding the head leaves a chain that starts mid-air."""
    _add_agencies(workspace, 3)
    with behind_the_app(workspace) as connection:
        connection.execute("DELETE FROM audit_log WHERE id <= 2")
        newest = connection.execute("SELECT count(*), max(id) FROM audit_log").fetchone()
        entry_hash = connection.execute("SELECT entry_hash FROM audit_log WHERE id = ?", (newest[1],)).fetchone()[0]
        connection.execute("UPDATE workspace_meta SET value = ? WHERE key = ?", (f"{newest[0]}:{entry_hash}", HEAD_KEY))
    assert _check(workspace_path) == [f"audit entry 3: {NOT_FROM_CREATION}"]


def test_a_log_taken_from_another_workspace_fails_check(
    workspace: Workspace, workspace_path: Path, tmp_path: Path
) -> None:
    """Another workspace's whole, valid log (with its head) does not pass for this one's."""
    other = Workspace.create(
        tmp_path / "other", PASSPHRASE, display_name="B", role="Chair", agency="X", kdf_params=FAST_KDF
    )
    _add_agencies(other, 2)
    _add_agencies(workspace, 2)
    with behind_the_app(other) as source:
        columns = ["id", "prev_hash", "entry_hash", *HASHED, "summary", "changes"]
        rows = source.execute(f"SELECT {', '.join(columns)} FROM audit_log ORDER BY id").fetchall()
        head = source.execute("SELECT value FROM workspace_meta WHERE key = ?", (HEAD_KEY,)).fetchone()[0]
    with behind_the_app(workspace) as connection:
        connection.execute("DELETE FROM audit_log")
        marks = ", ".join("?" for _ in columns)
        connection.executemany(f"INSERT INTO audit_log ({', '.join(columns)}) VALUES ({marks})", rows)
        connection.execute("UPDATE workspace_meta SET value = ? WHERE key = ?", (head, HEAD_KEY))
    assert _check(workspace_path) == [f"audit entry 1: {NOT_FROM_CREATION}"]


def test_a_chain_from_the_legacy_genesis_still_passes(workspace: Workspace, workspace_path: Path) -> None:
    """Workspaces made before the genesis was bound chain from zeros; they keep passing."""
    _add_agencies(workspace, 3)
    with behind_the_app(workspace) as connection:
        _rechain(connection, LEGACY_GENESIS_HASH)
    assert _check(workspace_path) == []
    reopened = Workspace.open(workspace_path, PASSPHRASE, backup_on_unlock=False)
    try:  # and it keeps growing from where it is
        _add_agencies(reopened, 1)
        assert reopened.check().ok
    finally:
        reopened.lock()

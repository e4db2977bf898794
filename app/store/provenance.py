"""Whose workspace a backup holds: before a restore replaces anything, say when it is not simply
an earlier state of this one (another member's workspace, or a copy from before a passphrase change).

Both databases are opened read-only with their own keys, so asking writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlcipher3

from app.errors import InvalidInput
from db.engine import KeyRejected, read_only_connection, verify_key

__all__ = ["BackupOfAnother", "Owner", "owner_of", "why_not_ours"]


class BackupOfAnother(InvalidInput):
    """The backup is not an earlier state of this workspace: the user must say to restore it all the same."""


@dataclass(frozen=True)
class Owner:
    workspace_id: str
    member: str
    agency: str


def owner_of(database: Path, key_literal: str) -> Owner:
    """The workspace id and member recorded inside an encrypted database; KeyRejected if the key is wrong."""
    verify_key(database, key_literal, immutable=True)
    connection = read_only_connection(database, key_literal)
    try:
        found = connection.execute("SELECT value FROM workspace_meta WHERE key = 'workspace_id'").fetchone()
        member = connection.execute("SELECT display_name, agency FROM member_identity").fetchone()
    finally:
        connection.close()
    return Owner(str(found[0]) if found else "", *(member or ("(unknown)", "")))


def why_not_ours(
    current: Path, current_key: str, backup: Path, backup_key: str, *, ids: tuple[str, str] = ("", "")
) -> str:
    """Empty when the backup is an earlier state of the current workspace; otherwise why it is not.

    `current_key` is the restoring passphrase under the current workspace's KDF: if it does not open
    the current database, the backup's passphrase is not this workspace's passphrase any more. `ids`
    are the workspace ids the two sidecars name (empty in files made before they did): with both
    known, another workspace is told from a passphrase change without the current passphrase.
    """
    ours_id, theirs_id = ids
    theirs = owner_of(backup, backup_key)
    another = bool(ours_id and theirs_id and ours_id != theirs_id)
    try:
        ours = owner_of(current, current_key)
    except KeyRejected:
        if another:
            return _another_workspace(backup, theirs, "")
        return _passphrase_changed(backup, certain=bool(ours_id and ours_id == theirs_id))
    except sqlcipher3.DatabaseError:  # the current database cannot be read (damaged): restoring is how to recover
        return _another_workspace(backup, theirs, "") if another else ""
    if another or (theirs.workspace_id and ours.workspace_id and theirs.workspace_id != ours.workspace_id):
        return _another_workspace(backup, theirs, ours.member)
    return ""


def _another_workspace(backup: Path, theirs: Owner, our_member: str) -> str:
    ours = f" of {our_member}" if our_member else ""
    return (
        f"The backup {backup.name} is of another workspace: {theirs.member} ({theirs.agency}), not this one{ours}. "
        "Restoring it replaces this workspace's records and member identity with theirs."
    )


def _passphrase_changed(backup: Path, *, certain: bool) -> str:
    return (
        f"The backup {backup.name} was made under a passphrase that no longer opens this workspace: it is from "
        + ("before a passphrase change" if certain else "before a passphrase change (or of another workspace)")
        + ". After restoring it, the workspace opens with that old passphrase again."
    )

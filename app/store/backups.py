"""Rotating encrypted backups and restore.

Each backup is a full encrypted copy with its own sidecar, checked to open and
to be encrypted before it counts. Restoring keeps the state it replaces as a
"pre-restore" backup, so a restore can itself be undone.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.clock import utc_now, utc_timestamp
from app.errors import InvalidInput, WrongPassphrase
from app.security.kdf import derive_keys
from app.store.atomic import make_private_dir
from app.store.storage import (
    BACKUP_DIR,
    SIDECAR_NAME,
    Sidecar,
    export_encrypted_copy,
    new_database_name,
    remove_database,
    sqlite_companions,
    verify_encrypted_copy,
)
from db.engine import KeyRejected

DEFAULT_KEEP = 10
ROTATED_PREFIX = "backup-"
PRE_RESTORE_PREFIX = "pre-restore-"
PRE_RESTORE_KEEP = 3


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: str
    note: str

    @property
    def label(self) -> str:
        return f"{self.created} {self.note}".strip()


def _timestamp() -> str:
    return utc_now().strftime("%Y%m%dT%H%M%S%fZ")


def backup_dir(workspace: Path) -> Path:
    return workspace / BACKUP_DIR


def make_backup(workspace: Path, sidecar: Sidecar, key_literal: str, *, note: str,
                keep: int = DEFAULT_KEEP) -> Path:
    """Write, verify and rotate one backup of the current database."""
    folder = backup_dir(workspace)
    make_private_dir(folder)
    target = folder / f"{ROTATED_PREFIX}{_timestamp()}.db"
    export_encrypted_copy(workspace / sidecar.database, key_literal, target, key_literal)
    try:
        verify_encrypted_copy(target, key_literal)
    except Exception:
        remove_database(target)
        raise
    created = utc_timestamp()
    Sidecar(target.name, sidecar.kdf, created, note).write(target.with_suffix(".json"))
    _rotate(folder, keep)
    return target


def _rotate(folder: Path, keep: int, prefix: str = ROTATED_PREFIX) -> None:
    rotated = sorted(folder.glob(f"{prefix}*.db"))
    for old in rotated[:-keep] if keep > 0 else rotated:
        remove_database(old)
        old.with_suffix(".json").unlink(missing_ok=True)


def list_backups(workspace: Path) -> list[BackupInfo]:
    """Newest first."""
    found = []
    for db_file in backup_dir(workspace).glob("*.db"):
        try:
            sidecar = Sidecar.read(db_file.with_suffix(".json"))
        except Exception:
            continue  # a backup without its sidecar cannot be opened; not offered
        found.append(BackupInfo(db_file, sidecar.created, sidecar.note))
    return sorted(found, key=lambda b: b.path.name.split("-", 1)[-1], reverse=True)


def restore_backup(workspace: Path, backup: Path, passphrase: str) -> None:
    """Replace the workspace's database by a backup. The caller holds the process lock.

    The backup is verified with the passphrase it was made under before anything
    changes; the switch is the atomic replacement of the sidecar.
    """
    backup = backup.resolve()
    if not backup.is_file():
        raise InvalidInput(f"There is no backup file at {backup}.")
    backup_sidecar = Sidecar.read(backup.with_suffix(".json"))
    keys = derive_keys(passphrase, backup_sidecar.kdf)
    literal = keys.sqlcipher_key_literal()
    try:
        verify_encrypted_copy(backup, literal)
    except KeyRejected:
        raise WrongPassphrase(f"The passphrase does not open the backup {backup.name}.") from None

    current = Sidecar.read(workspace / SIDECAR_NAME)
    restored_name = new_database_name()
    export_encrypted_copy(backup, literal, workspace / restored_name, literal)
    try:
        verify_encrypted_copy(workspace / restored_name, literal)
    except Exception:
        remove_database(workspace / restored_name)
        raise

    # Keep what we replace: its sidecar first, then (after the switch) its files.
    folder = backup_dir(workspace)
    make_private_dir(folder)
    kept = folder / f"{PRE_RESTORE_PREFIX}{_timestamp()}.db"
    Sidecar(kept.name, current.kdf, utc_timestamp(),
            f"state before restoring {backup.name}").write(kept.with_suffix(".json"))
    Sidecar(restored_name, backup_sidecar.kdf, backup_sidecar.created,
            f"restored from {backup.name}").write(workspace / SIDECAR_NAME)
    old_db = workspace / current.database
    for source, target in zip([old_db, *sqlite_companions(old_db)], [kept, *sqlite_companions(kept)]):
        if source.exists():
            source.rename(target)
    # a few undo points, not every replaced state forever: records deleted for retention must age out too
    _rotate(folder, PRE_RESTORE_KEEP, prefix=PRE_RESTORE_PREFIX)

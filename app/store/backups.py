"""Encrypted restore points (backups), kept by age, and restore.

Each backup is a full encrypted copy with its own sidecar, checked to open and
to be encrypted before it counts. The sidecar records the point's kind
(automatic, named, pre-restore) and the audit log position it holds, so an
unlock that changed nothing makes no new point and a listing can say how much
changed since. Which points stay is decided by `app.store.retention`. Restoring
keeps the state it replaces as a "pre-restore" point, so a restore can itself
be undone.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from app.clock import utc_now, utc_timestamp
from app.errors import InvalidInput, WrongPassphrase
from app.security.kdf import derive_keys
from app.store.atomic import make_private_dir
from app.store.names import SIDECAR_NAME
from app.store.provenance import BackupOfAnother, why_not_ours
from app.store.retention import (
    AUTOMATIC,
    DEFAULT_POLICY,
    NAMED,
    PRE_RESTORE,
    PointAge,
    RetentionPolicy,
    points_to_keep,
)
from app.store.storage import (
    BACKUP_DIR,
    Sidecar,
    database_files,
    database_size,
    export_encrypted_copy,
    new_database_name,
    remove_database,
    verify_encrypted_copy,
)
from db.engine import KeyRejected

DEFAULT_KEEP = DEFAULT_POLICY.recent
ROTATED_PREFIX = "backup-"
NAMED_PREFIX = "named-"
PRE_RESTORE_PREFIX = "pre-restore-"
PRE_RESTORE_KEEP = DEFAULT_POLICY.pre_restore_newest
KIND_LABELS = {AUTOMATIC: "automatic", NAMED: "named", PRE_RESTORE: "before a restore"}


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: str
    note: str
    kind: str = AUTOMATIC
    state: str = ""
    size_bytes: int = 0
    workspace: str = ""  # the id of the workspace it is a copy of ("" in sidecars from before ids)

    @property
    def label(self) -> str:
        return f"{self.created} {self.note}".strip()

    @property
    def created_at(self) -> datetime:
        return parse_created(self.created)

    @property
    def audit_position(self) -> int | None:
        """The id of the last audit entry the copy holds (None if not recorded)."""
        head = self.state.split(":", 1)[0]
        return int(head) if head.isdigit() else None


def parse_created(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return datetime.fromtimestamp(0, UTC)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def audit_state(connection: sqlite3.Connection) -> str:
    """The position of the audit log: every recorded change moves it ("<id>:<hash prefix>")."""
    row = connection.execute("SELECT id, entry_hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    return f"{row[0]}:{row[1][:16]}" if row else "0:"


def _timestamp() -> str:
    return utc_now().strftime("%Y%m%dT%H%M%S%fZ")


def backup_dir(workspace: Path) -> Path:
    return workspace / BACKUP_DIR


def make_backup(
    workspace: Path,
    sidecar: Sidecar,
    key_literal: str,
    *,
    note: str,
    keep: int = DEFAULT_KEEP,
    kind: str = AUTOMATIC,
    state: str = "",
    policy: RetentionPolicy | None = None,
) -> Path:
    """Write and verify one restore point, then apply the retention policy."""
    if kind == NAMED and not note.strip():
        raise InvalidInput("A named restore point needs a name.")
    folder = backup_dir(workspace)
    make_private_dir(folder)
    prefix = NAMED_PREFIX if kind == NAMED else ROTATED_PREFIX
    target = folder / f"{prefix}{_timestamp()}.db"
    _write_verified_copy(workspace / sidecar.database, target, key_literal)
    created = utc_timestamp()
    Sidecar(target.name, sidecar.kdf, created, note.strip(), kind, state, workspace=sidecar.workspace).write(
        target.with_suffix(".json")
    )
    apply_retention(workspace, policy or RetentionPolicy(recent=keep))
    return target


def _write_verified_copy(source: Path, target: Path, key: str) -> None:
    """An encrypted copy of `source` at `target` under the same key that counts (verify_encrypted_copy), or
    none: a copy that fails its checks is removed again before the error goes on."""
    export_encrypted_copy(source, key, target, key)
    try:
        verify_encrypted_copy(target, key)
    except Exception:
        remove_database(target)
        raise


def apply_retention(
    workspace: Path, policy: RetentionPolicy = DEFAULT_POLICY, now: datetime | None = None
) -> list[Path]:
    """Remove the restore points the policy does not keep; return what went."""
    found = list_backups(workspace)
    keep = points_to_keep((PointAge(b.path.name, b.created_at, b.kind) for b in found), now or utc_now(), policy)
    removed = []
    for backup in found:
        if backup.path.name not in keep:
            remove_database(backup.path)
            backup.path.with_suffix(".json").unlink(missing_ok=True)
            removed.append(backup.path)
    return removed


def remove_all_but(workspace: Path, kept: Path) -> int:
    """Remove every restore point but `kept`, named ones too; how many went.

    After a purge the older points are the last copies of what it removed (until they age out)."""
    removed = 0
    for backup in list_backups(workspace):
        if backup.path.name != kept.name:
            remove_database(backup.path)
            backup.path.with_suffix(".json").unlink(missing_ok=True)
            removed += 1
    return removed


def _kind_of(db_file: Path, sidecar: Sidecar) -> str:
    if sidecar.kind in KIND_LABELS:
        return sidecar.kind
    return PRE_RESTORE if db_file.name.startswith(PRE_RESTORE_PREFIX) else AUTOMATIC  # made before kinds


def list_backups(workspace: Path) -> list[BackupInfo]:
    """Newest first."""
    found = []
    folder = backup_dir(workspace)
    if not folder.is_dir():
        return []
    for db_file in folder.glob("*.db"):
        try:
            sidecar = Sidecar.read(db_file.with_suffix(".json"))
        except Exception:
            continue  # a backup without its sidecar cannot be opened; not offered
        size = database_size(db_file)
        found.append(
            BackupInfo(
                db_file,
                sidecar.created,
                sidecar.note,
                _kind_of(db_file, sidecar),
                sidecar.state,
                size,
                sidecar.workspace,
            )
        )
    return sorted(found, key=lambda b: (b.created_at, b.path.name.split("-", 1)[-1]), reverse=True)


def disk_usage(workspace: Path) -> int:
    """Bytes taken by every file in the backups folder (sidecars included)."""
    folder = backup_dir(workspace)
    return sum(p.stat().st_size for p in folder.iterdir() if p.is_file()) if folder.is_dir() else 0


def find_backup(workspace: Path, name: str) -> Path:
    """A backup named by its file name (as `backups list` shows it) or given as a path."""
    candidate = Path(name)
    if candidate.is_file():
        return candidate
    for backup in list_backups(workspace):
        if name in (backup.path.name, backup.path.stem):
            return backup.path
    raise InvalidInput(
        f"There is no restore point called {name} in {backup_dir(workspace)} (see `workbench backups list`)."
    )


def restore_backup(workspace: Path, backup: Path, passphrase: str, *, even_if_not_ours: bool = False) -> None:
    """Replace the workspace's database by a backup. The caller holds the process lock.

    The backup is verified with the passphrase it was made under before anything
    changes; the switch is the atomic replacement of the sidecar. A backup of
    another workspace, or from before a passphrase change, raises BackupOfAnother
    (saying which) unless `even_if_not_ours`: the user has to say so.
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
    if not even_if_not_ours:
        same_kdf = current.kdf == backup_sidecar.kdf
        current_key = literal if same_kdf else derive_keys(passphrase, current.kdf).sqlcipher_key_literal()
        reason = why_not_ours(
            workspace / current.database,
            current_key,
            backup,
            literal,
            ids=(current.workspace, backup_sidecar.workspace),
        )
        if reason:
            raise BackupOfAnother(reason)
    restored_name = new_database_name()
    _write_verified_copy(backup, workspace / restored_name, literal)

    # Keep what we replace: its sidecar first, then (after the switch) its files.
    folder = backup_dir(workspace)
    make_private_dir(folder)
    kept = folder / f"{PRE_RESTORE_PREFIX}{_timestamp()}.db"
    Sidecar(
        kept.name,
        current.kdf,
        utc_timestamp(),
        f"state before restoring {backup.name}",
        PRE_RESTORE,
        replaces=current.database,
        workspace=current.workspace,
    ).write(kept.with_suffix(".json"))
    Sidecar(
        restored_name,
        backup_sidecar.kdf,
        backup_sidecar.created,
        f"restored from {backup.name}",
        workspace=backup_sidecar.workspace,  # the database is the backup's, and so is the id
    ).write(workspace / SIDECAR_NAME)  # no kind: it is the workspace
    old_db = workspace / current.database
    for source, target in zip(database_files(old_db), database_files(kept), strict=False):
        if source.exists():
            source.rename(target)
    # undo points age out like the rest: records deleted for retention must not live for ever
    apply_retention(workspace)


@dataclass(frozen=True)
class RestorePointView:
    """A restore point with what has changed in the workspace since it was made."""

    point: BackupInfo
    changes_since: int | None  # None: the point predates recording its audit position
    tables: dict[str, int]
    of_another_workspace: bool = False  # copied in from another workspace: "changes since" means nothing


def has_point_at(workspace: Path, state: str) -> bool:
    """Whether the newest restore point already holds the state `state` (nothing changed since)."""
    found = [b for b in list_backups(workspace) if b.kind != PRE_RESTORE]
    return bool(found) and bool(state) and found[0].state == state


def size_text(size: int) -> str:
    if size < 1024:
        return f"{size:,} bytes"
    amount = size / 1024
    for unit in ("KB", "MB"):
        if amount < 1024:
            return f"{amount:,.1f} {unit}"
        amount /= 1024
    return f"{amount:,.1f} GB"

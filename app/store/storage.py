"""Files of a workspace folder and the encrypted copies made from them.

A workspace is a folder (mode 0700):

    workspace.json      non-secret sidecar: format, the current database file, KDF salt and costs
    data-<token>.db     the SQLCipher database (+ -wal and -shm while open)
    backups/            encrypted copies, each with its own sidecar (a backup made
                        before a passphrase change still opens with the old passphrase)
    .lock               held by the process that has the workspace unlocked
    recovered/          restore points put aside at unlock because their sidecar was damaged
                        (app/store/leftovers.py clears what interrupted operations left)

Changing the passphrase or restoring a backup writes a new database file, checks
it, and then switches to it by atomically replacing the sidecar: a crash at any
point leaves the previous state intact.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.errors import IntegrityFailure, InvalidInput, WorkspaceNotFound
from app.security.kdf import KdfParams
from app.store.atomic import create_private_file, write_atomic
from db.engine import integrity_problems, raw_connection, verify_key

BACKUP_DIR = "backups"
FORMAT_NAME = "safeguarding-workbench-workspace"
FORMAT_VERSION = 1
SQLITE_PLAINTEXT_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class Sidecar:
    database: str
    kdf: KdfParams
    created: str
    note: str = ""
    #: restore points only: "automatic", "named" or "pre-restore" (see app/store/retention.py)
    kind: str = ""
    #: restore points only: the audit log position ("<last id>:<hash prefix>") the copy holds
    state: str = ""
    #: pre-restore points only: the workspace database file the copy is moved from; the sidecar is
    #: written before the move, so after a crash the leftover file can be matched to it (app/store/leftovers.py)
    replaces: str = ""
    #: the workspace's id (as in its database): a restore tells a backup of another workspace from one
    #: made before a passphrase change without needing the other workspace's passphrase
    workspace: str = ""

    def to_bytes(self) -> bytes:
        data: dict[str, Any] = {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "database": self.database,
            "kdf": self.kdf.to_json(),
            "created": self.created,
        }
        if self.note:
            data["note"] = self.note
        if self.kind:
            data["kind"] = self.kind
        if self.state:
            data["state"] = self.state
        if self.replaces:
            data["replaces"] = self.replaces
        if self.workspace:
            data["workspace"] = self.workspace
        return json.dumps(data, indent=2).encode("utf-8") + b"\n"

    @classmethod
    def read(cls, path: Path) -> Sidecar:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT_NAME:
                raise ValueError("not a Safeguarding Workbench sidecar")
            if int(data.get("version", 0)) > FORMAT_VERSION:
                raise ValueError("written by a newer version of the application")
            database = str(data["database"])
            replaces = str(data.get("replaces", ""))
            workspace = str(data.get("workspace", ""))
            if len(workspace) > 64:
                raise ValueError("bad workspace id")
            for name in filter(None, (database, replaces)):
                if "/" in name or "\\" in name or not name.endswith(".db"):
                    raise ValueError("bad database file name")
            return cls(
                database,
                KdfParams.from_json(data["kdf"]),
                str(data.get("created", "")),
                str(data.get("note", "")),
                str(data.get("kind", "")),
                str(data.get("state", "")),
                replaces,
                workspace,
            )
        except FileNotFoundError:
            raise WorkspaceNotFound(
                f"{path.parent} is not a Safeguarding Workbench workspace ({path.name} is missing)."
            ) from None
        except NotADirectoryError:
            raise WorkspaceNotFound(
                f"{path.parent} is a file, not a Safeguarding Workbench workspace folder."
            ) from None
        except (ValueError, KeyError, TypeError) as exc:
            raise InvalidInput(f"{path} is damaged or not a workspace file: {exc}.") from None

    def write(self, path: Path) -> None:
        write_atomic(path, self.to_bytes())


def new_database_name(prefix: str = "data") -> str:
    return f"{prefix}-{secrets.token_hex(4)}.db"


def sqlite_companions(db_file: Path) -> list[Path]:
    return [db_file.with_name(db_file.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def database_files(db_file: Path) -> list[Path]:
    """The database file and its companions: what is sized, moved or removed as one database."""
    return [db_file, *sqlite_companions(db_file)]


def database_size(db_file: Path) -> int:
    """Bytes on disk of the database file and whichever of its companions exist."""
    return sum(path.stat().st_size for path in database_files(db_file) if path.exists())


def remove_database(db_file: Path) -> None:
    for path in database_files(db_file):
        path.unlink(missing_ok=True)


def export_encrypted_copy(source: Path, source_key: str, target: Path, target_key: str) -> None:
    """Copy a database into a new encrypted file with `sqlcipher_export`.

    Not `VACUUM INTO`, which has been reported to write partly plaintext copies.
    """
    create_private_file(target)
    connection = raw_connection(source, source_key)
    try:
        user_version = connection.execute("PRAGMA user_version").fetchone()[0]
        connection.execute("ATTACH DATABASE ? AS target KEY ?", (str(target), target_key))
        connection.execute("SELECT sqlcipher_export('target')")
        connection.execute(f"PRAGMA target.user_version = {int(user_version)}")
        connection.execute("DETACH DATABASE target")
    except Exception:
        connection.close()
        remove_database(target)
        raise
    connection.close()


def verify_encrypted_copy(path: Path, key: str) -> None:
    """A copy counts only if it opens with its key, passes both checks and is not plaintext."""
    with path.open("rb") as handle:
        if handle.read(16) == SQLITE_PLAINTEXT_HEADER:
            raise IntegrityFailure(f"{path.name} was written unencrypted; it has been discarded.")
    verify_key(path, key)
    connection = raw_connection(path, key)
    try:
        problems = integrity_problems(connection)
    finally:
        connection.close()
    if problems:
        raise IntegrityFailure(f"The copy {path.name} failed its integrity check: {problems[0]}")

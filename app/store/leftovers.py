"""What an interrupted passphrase change, restore or backup leaves behind, found and cleared.

Changing the passphrase and restoring write a whole new encrypted database next
to the live one and switch by replacing the sidecar; a backup writes its copy
before its sidecar. A crash (SIGKILL, power loss) at any point leaves the
workspace intact but may leave behind a full copy of the database, its
-journal/-wal/-shm, a half-written restore point, a restore point's sidecar
without its copy, or an atomic write's temporary file. Nothing else ever
removes them, and each interruption adds another.

`clear_leftovers` runs at unlock (after the passphrase proved right, so a wrong
passphrase still changes no byte) and in `check`, while the caller holds the
workspace's process lock, so no other writer can be mid-way. It only touches
files named as this application names them, and only those that provably are not
the live database (which the sidecar, `workspace.json`, names):

* `data-<hex>.db` (and companions) in the workspace folder other than the live
  one: removed, except the state an interrupted restore was about to keep as its
  "before a restore" point (its sidecar names the file in `replaces`), which is
  moved into place so the restore can still be undone;
* in `backups/`: a copy without its sidecar (its writing was interrupted) and a
  sidecar without its copy are removed; a copy whose sidecar is damaged is moved,
  with the sidecar, to `recovered/` (not provably worthless, so not deleted);
* `.<name>.<pid>.tmp` files of interrupted atomic writes.

Each action is reported, so the unlock can show one line and `check` list them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from app.errors import WorkbenchError
from app.store.atomic import make_private_dir
from app.store.backups import size_text
from app.store.retention import PRE_RESTORE
from app.store.storage import BACKUP_DIR, FORMAT_NAME, FORMAT_VERSION, Sidecar, database_files

RECOVERY_DIR = "recovered"
_DATABASE = re.compile(r"^data-[0-9a-f]+\.db$")
_COMPANION = re.compile(r"^(?P<db>.+\.db)-(?:wal|shm|journal)$")
_ATOMIC_TMP = re.compile(r"^\..+\.\d+\.tmp$")


@dataclass(frozen=True)
class Leftover:
    """One file dealt with: where it was (relative to the workspace), its size, what was done and why."""

    name: str
    size: int
    action: str

    def line(self) -> str:
        return f"{self.name} ({size_text(self.size)}): {self.action}"


@dataclass(frozen=True)
class CleanupReport:
    items: tuple[Leftover, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.items)

    def lines(self) -> list[str]:
        return [item.line() for item in self.items]

    def summary(self) -> str:
        """One line for the unlock (status bar, stderr); empty when nothing was found."""
        if not self.items:
            return ""
        count = len(self.items)
        total = sum(item.size for item in self.items)
        noun = "leftover" if count == 1 else "leftovers"
        return (
            f"Cleared {count} {noun} of an interrupted passphrase change, restore or backup "
            f"({size_text(total)}): {', '.join(item.name for item in self.items)}"
        )

    def __add__(self, other: CleanupReport) -> CleanupReport:
        return CleanupReport(self.items + other.items)


def clear_leftovers(workspace: Path, live: Sidecar) -> CleanupReport:
    """Remove or put away what interrupted operations left. The caller holds the process lock."""
    done: list[Leftover] = []
    live_files = {p.name for p in database_files(workspace / live.database)}
    folder = workspace / BACKUP_DIR
    orphans = _orphan_sidecars(folder)
    # A restore interrupted after its switch: the replaced state goes where its sidecar says.
    for sidecar in orphans.values():
        if sidecar.kind == PRE_RESTORE and sidecar.replaces and sidecar.replaces not in live_files:
            source = workspace / sidecar.replaces
            if source.is_file():
                done.extend(_move_database(workspace, source, folder / sidecar.database, "kept as the restore point"))
    for path in sorted(workspace.iterdir()):
        if path.name in live_files or not path.is_file():
            continue
        if _ATOMIC_TMP.match(path.name):
            done.append(_remove(workspace, path, "removed, an unfinished write of the workspace's sidecar"))
        elif _DATABASE.match(path.name):
            done.extend(
                _remove_database(workspace, path, "removed, a copy left by an interrupted passphrase change or restore")
            )
        elif (match := _COMPANION.match(path.name)) and _DATABASE.match(match["db"]) and match["db"] not in live_files:
            kept = _kept_for(orphans, folder, match["db"])
            if kept is not None and kept.is_file():
                target = kept.with_name(kept.name + path.name[len(match["db"]) :])
                done.append(_move(workspace, path, target, "moved to the restore point it belongs to"))
            else:
                done.append(_remove(workspace, path, "removed, left by a database copy that is gone"))
    if folder.is_dir():
        done.extend(_clear_backups(workspace, folder))
    return CleanupReport(tuple(done))


def _clear_backups(workspace: Path, folder: Path) -> list[Leftover]:
    done: list[Leftover] = []
    for path in sorted(folder.iterdir()):
        if not path.is_file() or not path.exists():  # moved with its database earlier in this loop
            continue
        name = path.name
        if _ATOMIC_TMP.match(name):
            done.append(_remove(workspace, path, "removed, an unfinished write of a restore point's sidecar"))
        elif name.endswith(".db"):
            state = _sidecar_state(path.with_suffix(".json"))
            if state == "missing":
                done.extend(_remove_database(workspace, path, "removed, a restore point whose writing was interrupted"))
            elif state == "damaged":
                recovery = workspace / RECOVERY_DIR
                make_private_dir(recovery)
                done.extend(
                    _move_database(workspace, path, recovery / name, "moved to recovered/, its sidecar is damaged")
                )
                sidecar = path.with_suffix(".json")
                done.append(_move(workspace, sidecar, recovery / sidecar.name, "moved to recovered/ with its copy"))
        elif (match := _COMPANION.match(name)) and not (folder / match["db"]).exists():
            done.append(_remove(workspace, path, "removed, left by a restore point copy that is gone"))
        elif name.endswith(".json") and not path.with_suffix(".db").exists():
            done.append(_remove(workspace, path, "removed, a restore point's sidecar without its copy"))
    return done


def _orphan_sidecars(folder: Path) -> dict[Path, Sidecar]:
    """Readable restore point sidecars whose copy is missing."""
    found: dict[Path, Sidecar] = {}
    if not folder.is_dir():
        return found
    for path in folder.glob("*.json"):
        if path.with_suffix(".db").exists():
            continue
        try:
            found[path] = Sidecar.read(path)
        except (WorkbenchError, OSError):  # an unreadable orphan goes with the other orphans
            continue
    return found


def _kept_for(orphans: dict[Path, Sidecar], folder: Path, database: str) -> Path | None:
    """The pre-restore copy that replaced `database` (its sidecar names it), if any."""
    for path in folder.glob("*.json"):
        try:
            sidecar = orphans.get(path) or Sidecar.read(path)
        except (WorkbenchError, OSError):  # not a sidecar we can read: not the one we look for
            continue
        if sidecar.kind == PRE_RESTORE and sidecar.replaces == database:
            return folder / sidecar.database
    return None


def _sidecar_state(path: Path) -> str:
    """ "ok", "missing", "damaged", or "newer" (written by a newer version: left alone)."""
    if not path.exists():
        return "missing"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if (
            isinstance(data, dict)
            and data.get("format") == FORMAT_NAME
            and int(data.get("version", 0)) > FORMAT_VERSION
        ):
            return "newer"
        Sidecar.read(path)
    except (WorkbenchError, OSError, ValueError, TypeError):  # any failure to read it is the damage
        return "damaged"
    return "ok"


def _remove(workspace: Path, path: Path, action: str) -> Leftover:
    size = _file_size(path)
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:  # reported, never in the way of an unlock
        action = f"could not be removed ({exc.strerror})"
    return Leftover(_relative(workspace, path), size, action)


def _remove_database(workspace: Path, db_file: Path, action: str) -> list[Leftover]:
    """The copy and whichever of its companions exist, as one reported item."""
    size = sum(_file_size(p) for p in database_files(db_file))
    try:
        for path in database_files(db_file):
            path.unlink(missing_ok=True)
    except OSError as exc:
        action = f"could not be removed ({exc.strerror})"
    return [Leftover(_relative(workspace, db_file), size, action)]


def _move_database(workspace: Path, db_file: Path, target: Path, action: str) -> list[Leftover]:
    """The copy first, then its companions: a companion left behind is found again next time."""
    size = sum(_file_size(p) for p in database_files(db_file))
    where = _relative(workspace, target)
    try:
        for source, dest in zip(database_files(db_file), database_files(target), strict=True):
            if source.exists():
                source.rename(dest)
    except OSError as exc:
        return [Leftover(_relative(workspace, db_file), size, f"could not be moved to {where} ({exc.strerror})")]
    return [Leftover(_relative(workspace, db_file), size, f"{action} ({where})")]


def _move(workspace: Path, path: Path, target: Path, action: str) -> Leftover:
    size = _file_size(path)
    try:
        path.rename(target)
    except OSError as exc:
        action = f"could not be moved to {_relative(workspace, target)} ({exc.strerror})"
    return Leftover(_relative(workspace, path), size, action)


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _relative(workspace: Path, path: Path) -> str:
    try:
        return path.relative_to(workspace).as_posix()
    except ValueError:
        return str(path)

"""Leftovers of interrupted passphrase changes, restores and backups are cleared (issue 16.4).

The crash tests run the real operation in a subprocess (tests/helpers/crash_midway.py)
and SIGKILL it at a chosen point; the workspace must then open, clear what was
left, say so, and pass `check`.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.errors import WrongPassphrase
from app.store import backups
from app.store.leftovers import RECOVERY_DIR
from app.store.names import SIDECAR_NAME
from app.store.storage import Sidecar, sqlite_companions
from app.store.workspace import Workspace
from db.engine import raw_connection
from db.models.core import Agency
from tests.helpers.cli import REPO
from tests.helpers.cli import run as workbench
from tests.helpers.workspaces import PASSPHRASE

NEW_PASSPHRASE = "a quite different passphrase for later"


def _add_agencies(workspace: Workspace, count: int, prefix: str = "Agency") -> None:
    with workspace.unit_of_work() as uow:
        for i in range(count):
            uow.create(Agency, name=f"{prefix} {i}", short_name=f"{prefix[:2]}{i}", sector="", colour="#aabbcc")


def _agencies(workspace: Workspace) -> int:
    with workspace.reading() as session:
        return session.scalar(select(func.count()).select_from(Agency)) or 0


def _crash(operation: str, path: Path, point: str, *extra: str) -> None:
    env = dict(os.environ, CRASH_PASSPHRASE=PASSPHRASE, CRASH_NEW_PASSPHRASE=NEW_PASSPHRASE)
    result = subprocess.run(
        [sys.executable, "-m", "tests.helpers.crash_midway", operation, str(path), point, *extra],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == -signal.SIGKILL, result.stderr


def _live(path: Path) -> str:
    return Sidecar.read(path / SIDECAR_NAME).database


def _stray_databases(path: Path) -> list[str]:
    """Database files and companions in the workspace folder other than the live database's."""
    live = path / _live(path)
    keep = {live.name, *(p.name for p in sqlite_companions(live))}
    return sorted(p.name for p in path.glob("data-*") if p.name not in keep)


def _open_and_check(path: Path, passphrase: str) -> tuple[Workspace, list[str]]:
    """Unlock, return the line it had to say, and assert `check` passes with nothing more to clear."""
    workspace = Workspace.open(path, passphrase, backup_on_unlock=False)
    said = workspace.leftovers.lines()
    report = workspace.check()
    assert report.ok, report
    assert not report.leftovers
    return workspace, said


@pytest.mark.parametrize(
    ("point", "live_passphrase"),
    [("export", PASSPHRASE), ("copied", PASSPHRASE), ("switched", NEW_PASSPHRASE)],
)
def test_a_passphrase_change_killed_midway_leaves_nothing_behind(
    workspace: Workspace, workspace_path: Path, point: str, live_passphrase: str
) -> None:
    _add_agencies(workspace, 200)
    workspace.lock()
    _crash("passwd", workspace_path, point)
    strays = _stray_databases(workspace_path)
    assert strays and strays[0].endswith(".db")  # the copy the issue found (maybe with its journal)

    reopened, said = _open_and_check(workspace_path, live_passphrase)
    try:
        assert _agencies(reopened) == 200
        assert [line.split(" ", 1)[0] for line in said] == [strays[0]]
        assert "removed, a copy left by an interrupted passphrase change or restore" in said[0]
        assert strays[0] in reopened.leftovers.summary()
    finally:
        reopened.lock()
    assert _stray_databases(workspace_path) == []


@pytest.mark.parametrize("point", ["export", "copied", "kept"])
def test_a_restore_killed_before_its_switch_leaves_nothing_behind(
    workspace: Workspace, workspace_path: Path, point: str
) -> None:
    _add_agencies(workspace, 150)
    point_file = workspace.backup()
    _add_agencies(workspace, 1, "Later")
    workspace.lock()
    _crash("restore", workspace_path, point, str(point_file))
    assert _stray_databases(workspace_path) or point == "kept"

    reopened, said = _open_and_check(workspace_path, PASSPHRASE)
    try:
        assert _agencies(reopened) == 151  # the restore never happened
        if point == "kept":  # the sidecar of the point that was to keep the replaced state, without its copy
            assert any("a restore point's sidecar without its copy" in line for line in said), said
        else:
            assert any("interrupted passphrase change or restore" in line for line in said), said
    finally:
        reopened.lock()
    assert _stray_databases(workspace_path) == []
    assert all(b.path.exists() for b in backups.list_backups(workspace_path))
    assert {p.suffix for p in backups.backup_dir(workspace_path).iterdir()} <= {".db", ".json"}


def test_a_restore_killed_after_its_switch_still_keeps_the_replaced_state(
    workspace: Workspace, workspace_path: Path
) -> None:
    """The replaced database is not junk: it becomes the "before a restore" point its sidecar promised."""
    _add_agencies(workspace, 2)
    point_file = workspace.backup()
    _add_agencies(workspace, 3, "Later")
    replaced = workspace.database_file.name
    workspace.lock()
    _crash("restore", workspace_path, "switched", str(point_file))
    assert (workspace_path / replaced).exists() and _live(workspace_path) != replaced

    reopened, said = _open_and_check(workspace_path, PASSPHRASE)
    try:
        assert _agencies(reopened) == 2  # the restore took effect
        assert said == [line for line in said if replaced in line] and len(said) == 1
        assert "kept as the restore point (backups/pre-restore-" in said[0]
        literal = reopened._keys.sqlcipher_key_literal()
    finally:
        reopened.lock()
    kept = [b for b in backups.list_backups(workspace_path) if b.kind == backups.PRE_RESTORE]
    assert len(kept) == 1 and kept[0].path.exists()
    connection = raw_connection(kept[0].path, literal)
    try:  # the state before the restore, whole
        assert connection.execute("SELECT count(*) FROM agency").fetchone()[0] == 5
    finally:
        connection.close()
    assert _stray_databases(workspace_path) == []


def test_partial_backups_and_unfinished_writes_are_cleared(workspace: Workspace, workspace_path: Path) -> None:
    _add_agencies(workspace, 3)
    good = workspace.backup()
    folder = backups.backup_dir(workspace_path)
    shutil.copyfile(good, folder / "backup-20260101T000000000000Z.db")  # copied, sidecar never written
    (folder / "backup-20260101T000000000000Z.db-journal").write_bytes(b"\0" * 512)
    (folder / "backup-20250101T000000000000Z.json").write_bytes(good.with_suffix(".json").read_bytes())  # no copy
    (folder / ".backup-20260102T000000000000Z.json.4242.tmp").write_text("{")
    (workspace_path / f".{SIDECAR_NAME}.4242.tmp").write_text("{")
    damaged = folder / "named-20260103T000000000000Z.db"
    shutil.copyfile(good, damaged)
    damaged.with_suffix(".json").write_text('{"format": "safeguarding-workbench-workspace", "datab')
    (workspace_path / "notes.txt").write_text("not ours: left alone")
    workspace.lock()

    reopened, said = _open_and_check(workspace_path, PASSPHRASE)
    reopened.lock()
    assert sorted(line.split(" ", 1)[0] for line in said) == sorted(
        [
            f".{SIDECAR_NAME}.4242.tmp",
            "backups/.backup-20260102T000000000000Z.json.4242.tmp",
            "backups/backup-20250101T000000000000Z.json",
            "backups/backup-20260101T000000000000Z.db",
            "backups/named-20260103T000000000000Z.db",
            "backups/named-20260103T000000000000Z.json",
        ]
    )
    assert sorted(p.name for p in folder.iterdir()) == sorted([good.name, good.with_suffix(".json").name])
    recovered = workspace_path / RECOVERY_DIR
    assert sorted(p.name for p in recovered.iterdir()) == [damaged.name, damaged.with_suffix(".json").name]
    assert (workspace_path / "notes.txt").exists()


def test_a_wrong_passphrase_clears_nothing(workspace: Workspace, workspace_path: Path) -> None:
    """Leftovers are cleared only after the passphrase proved right: a wrong one still changes no byte."""
    stray = workspace_path / "data-0badc0de.db"
    shutil.copyfile(workspace.database_file, stray)
    workspace.lock()
    with pytest.raises(WrongPassphrase):
        Workspace.open(workspace_path, "not the passphrase at all, sorry", backup_on_unlock=False)
    assert stray.exists()


def test_check_lists_what_it_cleared_and_other_commands_say_it_on_stderr(
    workspace: Workspace, workspace_path: Path
) -> None:
    shutil.copyfile(workspace.database_file, workspace_path / "data-0badc0de.db")
    workspace.lock()
    checked = workbench("check", str(workspace_path))
    assert checked.returncode == 0, checked.stderr
    assert "Leftovers of interrupted operations: 1" in checked.stdout
    assert "  data-0badc0de.db (" in checked.stdout
    shutil.copyfile(workspace_path / _live(workspace_path), workspace_path / "data-0badc0df.db")
    info = workbench("info", str(workspace_path))
    assert info.returncode == 0, info.stderr
    assert info.stderr.startswith("Cleared 1 leftover of an interrupted passphrase change, restore or backup")
    assert "data-0badc0df.db" in info.stderr
    again = workbench("check", str(workspace_path))
    assert "Leftovers of interrupted operations: none" in again.stdout
    assert _stray_databases(workspace_path) == []

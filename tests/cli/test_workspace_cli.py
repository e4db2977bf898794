"""The workspace commands end to end, in real subprocesses."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.cli import REPO as ROOT
from tests.helpers.cli import run as workbench
from tests.helpers.processes import clean_env
from tests.helpers.workspaces import PASSPHRASE

pytestmark = pytest.mark.cli


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    path = tmp_path / "ws"
    result = workbench(
        "init", str(path), "--name", "Jo Coordinator", "--agency", "Northbridge SCP", "--role", "Business coordinator"
    )
    assert result.returncode == 0, result.stderr
    assert "Fingerprint:" in result.stdout
    return path


def test_init_info_check(ws: Path) -> None:
    info = workbench("info", str(ws))
    assert info.returncode == 0, info.stderr
    assert "Jo Coordinator" in info.stdout and "Schema:" in info.stdout
    check = workbench("check", str(ws))
    assert check.returncode == 0 and "Audit chain: 1 entries, ok" in check.stdout


def test_wrong_passphrase_exit_3_one_line_and_no_change(ws: Path) -> None:
    before = digest(ws)
    result = workbench("info", str(ws), passphrase="this is not the passphrase")
    assert result.returncode == 3
    assert result.stderr.strip().count("\n") == 0
    assert "does not open" in result.stderr and "Traceback" not in result.stderr
    assert digest(ws) == before


def test_usage_error_exit_2() -> None:
    assert workbench("info").returncode == 2
    assert workbench("no-such-command").returncode == 2


def test_short_passphrase_refused_exit_1(tmp_path: Path) -> None:
    result = workbench("init", str(tmp_path / "w"), "--name", "A", "--agency", "B", "--role", "C", passphrase="short")
    assert result.returncode == 1 and "too short" in result.stderr
    assert not (tmp_path / "w").exists()


def test_not_a_workspace_exit_1(tmp_path: Path) -> None:
    result = workbench("info", str(tmp_path))
    assert result.returncode == 1 and "not a Safeguarding Workbench workspace" in result.stderr


def test_second_process_refused_exit_3(ws: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from app.store.workspace import Workspace; "
            f"w = Workspace.open(Path({str(ws)!r}), {PASSPHRASE!r}, backup_on_unlock=False); "
            "print('open', flush=True); sys.stdin.readline(); w.lock()",
        ],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "WORKBENCH_KDF_ITERATIONS": "1"},
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        result = workbench("info", str(ws))
        assert result.returncode == 3
        assert "already open" in result.stderr and str(holder.pid) in result.stderr
    finally:
        holder.communicate("\n", timeout=30)
    assert workbench("info", str(ws)).returncode == 0


def test_passwd_backup_restore(ws: Path) -> None:
    backup = workbench("backup", str(ws))
    assert backup.returncode == 0 and "verified" in backup.stdout
    backup_file = backup.stdout.strip().split(": ", 1)[1]
    changed = workbench("passwd", str(ws), WORKBENCH_NEW_PASSPHRASE="the brand new passphrase")
    assert changed.returncode == 0, changed.stderr
    assert workbench("info", str(ws)).returncode == 3
    assert workbench("info", str(ws), passphrase="the brand new passphrase").returncode == 0
    listing = workbench("backups", "list", str(ws), passphrase=None)
    assert backup_file in listing.stdout
    wrong = workbench("restore", str(ws), backup_file, passphrase="the brand new passphrase")
    assert wrong.returncode == 3
    before = digest(ws)
    asked = workbench("restore", str(ws), backup_file)  # a backup from before the change: said, not done
    assert asked.returncode == 1 and len(asked.stderr.strip().splitlines()) == 1
    assert "before a passphrase change" in asked.stderr and "--anyway" in asked.stderr
    assert digest(ws) == before
    restored = workbench("restore", str(ws), backup_file, "--anyway")
    assert restored.returncode == 0, restored.stderr
    assert workbench("info", str(ws)).returncode == 0  # the backup's (old) passphrase again


def test_restoring_another_members_backup_is_said_and_needs_anyway(ws: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    made = workbench("init", str(other), "--name", "Bo Reviewer", "--agency", "Police", "--role", "Lead reviewer")
    assert made.returncode == 0, made.stderr
    backup = workbench("backup", str(other))
    assert backup.returncode == 0, backup.stderr
    theirs = Path(backup.stdout.strip().split(": ", 1)[1])
    if not theirs.is_absolute():
        theirs = other / "backups" / theirs.name
    before = digest(ws)
    asked = workbench("restore", str(ws), str(theirs))
    assert asked.returncode == 1 and len(asked.stderr.strip().splitlines()) == 1, asked.stderr
    assert "of another workspace: Bo Reviewer (Police)" in asked.stderr and "Jo Coordinator" in asked.stderr
    assert digest(ws) == before  # nothing written, not even a pre-restore point
    done = workbench("restore", str(ws), str(theirs), "--anyway")
    assert done.returncode == 0, done.stderr
    assert "Bo Reviewer" in workbench("info", str(ws)).stdout


def test_no_passphrase_without_terminal_is_clear(ws: Path) -> None:
    result = workbench("info", str(ws), passphrase=None)
    assert result.returncode == 1 and "WORKBENCH_PASSPHRASE" in result.stderr


def test_debug_shows_traceback(tmp_path: Path) -> None:
    result = workbench("--debug", "info", str(tmp_path))
    assert result.returncode == 1 and "Traceback" in result.stderr


def test_demo_prints_passphrase_and_opens(tmp_path: Path) -> None:
    result = workbench("demo", str(tmp_path / "demo"), passphrase=None, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "Passphrase: demo-workbench-2026" in result.stdout
    info = workbench("info", str(tmp_path / "demo"), "--json", passphrase="demo-workbench-2026")
    assert info.returncode == 0 and '"agency": 8' in info.stdout


def test_agencies_from_the_command_line(ws: Path) -> None:
    assert (
        workbench("actions", "add", str(ws), "--title", "T", "--owner", "Police", "--due", "2030-01-01").returncode == 1
    )
    added = workbench("agency", "add", str(ws), "--name", "Northbridge Police", "--short", "Police")
    assert added.returncode == 0, added.stderr
    duplicate = workbench("agency", "add", str(ws), "--name", "NORTHBRIDGE POLICE", "--short", "Pol")
    assert duplicate.returncode == 1 and "already an agency" in duplicate.stderr
    bad = workbench("agency", "add", str(ws), "--name", "Health", "--short", "H", "--colour", "red")
    assert bad.returncode == 1 and "#rrggbb" in bad.stderr
    assert (
        workbench("actions", "add", str(ws), "--title", "T", "--owner", "police", "--due", "2030-01-01").returncode == 0
    )
    listing = workbench("agency", "list", str(ws))
    assert listing.stdout.startswith("Police\tNorthbridge Police")


def test_files_the_user_names_give_one_plain_line(ws: Path, tmp_path: Path) -> None:
    """A file where a folder belongs, or an unwritable output, is named in plain words: no exception names."""
    plain = tmp_path / "notes.txt"
    plain.write_text("not a workspace")
    result = workbench("info", str(plain))
    assert result.returncode == 1
    assert result.stderr.strip() == f"workbench: {plain} is a file, not a Safeguarding Workbench workspace folder."
    result = workbench("contact", "export", str(ws), "--out", "/proc/card.card")
    assert result.returncode == 1 and "Error" not in result.stderr and ".tmp" not in result.stderr
    assert result.stderr.startswith("workbench: cannot use /proc/card.card: ")
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_reader_that_stops_early_gets_no_error(ws: Path) -> None:
    """`workbench ... | head`: the closed pipe ends the command quietly."""
    reader = subprocess.Popen(
        [sys.executable, "main.py", "info", str(ws)],
        cwd=ROOT,
        env=clean_env(PASSPHRASE),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )
    assert reader.stdout is not None
    reader.stdout.close()  # as `head` does once it has read enough
    _, errors = reader.communicate(timeout=120)
    assert errors == b""
    assert reader.returncode in (0, 1)


def test_backups_list_create_restore(ws: Path) -> None:
    """Issue 10.3: restore points by name, with kind, size and what changed since; cost in info."""
    named = workbench("backups", "create", str(ws), "--name", "Before panel merge")
    assert named.returncode == 0, named.stderr
    assert "kept until deleted" in named.stdout
    name = Path(named.stdout.strip().rsplit(": ", 1)[1]).name
    assert workbench("agency", "add", str(ws), "--name", "Northbridge Police", "--short", "Pol").returncode == 0
    listing = workbench("backups", "list", str(ws), "--changes")
    assert listing.returncode == 0, listing.stderr
    line = next(row for row in listing.stdout.splitlines() if name in row)
    assert "named" in line and "Before panel merge" in line and "changes since: 1 (1 agency)" in line
    info = workbench("info", str(ws))
    assert "restore points" in info.stdout and "on disk" in info.stdout
    restored = workbench("backups", "restore", str(ws), name)
    assert restored.returncode == 0, restored.stderr
    missing = workbench("backups", "restore", str(ws), "no-such-point.db")
    assert missing.returncode == 1 and "no restore point called" in missing.stderr


def test_another_members_backup_under_their_own_passphrase_is_named_as_theirs(ws: Path, tmp_path: Path) -> None:
    """Different passphrases: the sidecars' workspace ids tell 'another workspace' from 'passphrase change'."""
    other = tmp_path / "other"
    made = workbench(
        "init",
        str(other),
        "--name",
        "Bo Reviewer",
        "--agency",
        "Police",
        "--role",
        "Lead reviewer",
        passphrase="bo's own passphrase 2026",
    )
    assert made.returncode == 0, made.stderr
    backup = workbench("backup", str(other), passphrase="bo's own passphrase 2026")
    theirs = other / "backups" / Path(backup.stdout.strip().split(": ", 1)[1]).name
    before = digest(ws)
    asked = workbench("restore", str(ws), str(theirs), passphrase="bo's own passphrase 2026")
    assert asked.returncode == 1, asked.stderr
    assert "of another workspace: Bo Reviewer (Police)" in asked.stderr
    assert "passphrase change" not in asked.stderr
    assert digest(ws) == before

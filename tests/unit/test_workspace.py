"""The encrypted workspace: create, unlock, lock, re-key, backups, refusals."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest

from app.errors import (
    IntegrityFailure,
    NewerSchema,
    WeakPassphrase,
    WorkspaceInUse,
    WorkspaceLocked,
    WrongPassphrase,
)
from app.security.kdf import MIN_MEMORY_KIB, calibrate
from app.store import backups
from app.store.names import SIDECAR_NAME
from app.store.storage import SQLITE_PLAINTEXT_HEADER, Sidecar
from app.store.workspace import Workspace, restore
from db import schema
from db.models.core import Agency
from tests.helpers.workspaces import FAST_KDF, PASSPHRASE, behind_the_app


def folder_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def add_agency(ws: Workspace, name: str = "Police") -> str:
    with ws.unit_of_work() as uow:
        return uow.create(Agency, name=name, short_name=name[:6], sector="", colour="#aabbcc").uuid


def test_create_records_member_and_is_encrypted(workspace: Workspace) -> None:
    assert workspace.member.display_name == "Alex Reviewer"
    assert len(workspace.member.fingerprint.split()) == 8
    header = workspace.database_file.read_bytes()[:16]
    assert header != SQLITE_PLAINTEXT_HEADER
    info = workspace.info()
    assert info["schema_version"] == 1
    assert set(info["schema_revisions"]) == schema.head_revisions()


def test_info_counts_every_kind_of_record_without_deleted_ones(workspace: Workspace) -> None:
    from db.base import exchangeable_models

    kept, gone = add_agency(workspace, "Police"), add_agency(workspace, "Housing")
    with workspace.unit_of_work() as uow:
        uow.delete(uow.session.get(Agency, gone))
    counts = workspace.info()["records"]
    assert isinstance(counts, dict) and kept
    assert set(counts) == {model.__tablename__ for model in exchangeable_models()}
    assert counts["agency"] == 1 and counts["review"] == 0


def test_unlock_after_lock_sees_data(workspace: Workspace, workspace_path: Path) -> None:
    uuid = add_agency(workspace)
    workspace.lock()
    reopened = Workspace.open(workspace_path, PASSPHRASE)
    try:
        with reopened.reading() as session:
            assert session.get(Agency, uuid).name == "Police"
        assert reopened.member.member_id == workspace.member.member_id
        assert reopened.key_pairs.x25519_public == workspace.member.x25519_public
    finally:
        reopened.lock()


def test_wrong_passphrase_changes_no_byte_and_leaves_no_journal(workspace: Workspace, workspace_path: Path) -> None:
    add_agency(workspace)
    workspace.lock()
    before = folder_digest(workspace_path)
    with pytest.raises(WrongPassphrase, match="does not open"):
        Workspace.open(workspace_path, "not the right passphrase")
    after = folder_digest(workspace_path)
    assert after == before
    assert not [p for p in workspace_path.iterdir() if p.name.endswith(("-wal", "-journal", "-shm"))]


def test_lock_disposes_engine_and_drops_keys(workspace: Workspace) -> None:
    workspace.lock()
    assert workspace.is_locked
    assert workspace._keys is None and workspace._key_pairs is None
    with pytest.raises(WorkspaceLocked):
        with workspace.reading():
            pass
    with pytest.raises(WorkspaceLocked):
        _ = workspace.key_pairs


def test_nothing_left_over_from_an_unlock_can_reopen_the_database(workspace: Workspace) -> None:
    """Sessions, engines or objects kept by a caller hold no usable key once the workspace is locked."""
    from sqlalchemy import text as sql
    from sqlalchemy.orm import Session

    from db.engine import KeyForgotten

    engine = workspace._engine
    old_sessions = workspace._sessions
    workspace.lock()
    with pytest.raises(KeyForgotten):
        with Session(engine) as session:
            session.execute(sql("SELECT count(*) FROM audit_log"))
    with pytest.raises(KeyForgotten):
        with old_sessions() as session:
            session.execute(sql("SELECT count(*) FROM audit_log"))
    with pytest.raises(WorkspaceLocked):
        with workspace.unit_of_work():
            pass


def test_second_opener_is_refused_without_damage(workspace: Workspace, workspace_path: Path) -> None:
    with pytest.raises(WorkspaceInUse, match="already open"):
        Workspace.open(workspace_path, PASSPHRASE)
    assert not workspace.is_locked
    add_agency(workspace)  # the first holder still works


def test_short_passphrase_refused(tmp_path: Path) -> None:
    with pytest.raises(WeakPassphrase):
        Workspace.create(tmp_path / "w", "short", display_name="A", role="B", agency="C", kdf_params=FAST_KDF)
    assert not (tmp_path / "w").exists()


def test_files_are_private(workspace: Workspace, workspace_path: Path) -> None:
    add_agency(workspace)
    workspace.backup()
    assert stat.S_IMODE(workspace_path.stat().st_mode) == 0o700
    for path in workspace_path.rglob("*"):
        expected = 0o700 if path.is_dir() else 0o600
        assert stat.S_IMODE(path.stat().st_mode) == expected, path


def test_change_passphrase(workspace: Workspace, workspace_path: Path) -> None:
    uuid = add_agency(workspace)
    old_file = workspace.database_file
    workspace.change_passphrase(PASSPHRASE, "a completely new passphrase", kdf_params=FAST_KDF)
    assert not old_file.exists()
    assert workspace.check().ok
    workspace.lock()
    with pytest.raises(WrongPassphrase):
        Workspace.open(workspace_path, PASSPHRASE)
    reopened = Workspace.open(workspace_path, "a completely new passphrase")
    try:
        with reopened.reading() as session:
            assert session.get(Agency, uuid) is not None
        assert reopened.key_pairs.ed25519_public == workspace.member.ed25519_public
    finally:
        reopened.lock()


def test_change_passphrase_failure_keeps_previous_state(
    workspace: Workspace, workspace_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_agency(workspace)
    sidecar_before = (workspace_path / SIDECAR_NAME).read_bytes()
    files_before = sorted(p.name for p in workspace_path.glob("*.db"))

    def broken(*_args: object) -> None:
        raise IntegrityFailure("simulated failure while verifying the new copy")

    monkeypatch.setattr("app.store.workspace.verify_encrypted_copy", broken)
    with pytest.raises(IntegrityFailure):
        workspace.change_passphrase(PASSPHRASE, "a completely new passphrase", kdf_params=FAST_KDF)
    assert (workspace_path / SIDECAR_NAME).read_bytes() == sidecar_before
    assert sorted(p.name for p in workspace_path.glob("*.db")) == files_before
    with pytest.raises(WrongPassphrase):
        workspace.change_passphrase("wrong current passphrase", "another new passphrase", kdf_params=FAST_KDF)
    workspace.lock()
    Workspace.open(workspace_path, PASSPHRASE).lock()


def test_change_passphrase_refuses_wrong_current(workspace: Workspace) -> None:
    with pytest.raises(WrongPassphrase):
        workspace.change_passphrase("this is not it at all", "another new passphrase", kdf_params=FAST_KDF)


def test_backup_rotation_and_encryption(workspace: Workspace, workspace_path: Path) -> None:
    for _ in range(4):
        workspace.backup(keep=3)
    found = backups.list_backups(workspace_path)
    assert len(found) == 3
    for item in found:
        assert item.path.read_bytes()[:16] != SQLITE_PLAINTEXT_HEADER
        assert Sidecar.read(item.path.with_suffix(".json")).kdf == workspace.kdf_params


def test_unlock_makes_a_backup(workspace: Workspace, workspace_path: Path) -> None:
    workspace.lock()
    reopened = Workspace.open(workspace_path, PASSPHRASE)
    reopened.lock()
    assert reopened.last_backup is not None and reopened.last_backup.exists()


def test_restore_brings_back_old_state_and_keeps_replaced_one(workspace: Workspace, workspace_path: Path) -> None:
    first = add_agency(workspace, "Health")
    backup = workspace.backup()
    second = add_agency(workspace, "Police")
    workspace.lock()
    with pytest.raises(WrongPassphrase):
        restore(workspace_path, backup, "not the passphrase of it")
    restore(workspace_path, backup, PASSPHRASE)
    reopened = Workspace.open(workspace_path, PASSPHRASE, backup_on_unlock=False)
    try:
        with reopened.reading() as session:
            assert session.get(Agency, first) is not None
            assert session.get(Agency, second) is None
    finally:
        reopened.lock()
    kept = [b for b in backups.list_backups(workspace_path) if b.path.name.startswith("pre-restore-")]
    assert len(kept) == 1
    restore(workspace_path, kept[0].path, PASSPHRASE)  # the restore can be undone
    again = Workspace.open(workspace_path, PASSPHRASE, backup_on_unlock=False)
    try:
        with again.reading() as session:
            assert session.get(Agency, second) is not None
    finally:
        again.lock()


def test_recent_pre_restore_copies_are_all_kept(workspace: Workspace, workspace_path: Path) -> None:
    """Undo points of restores made today stay (they age out after the weekly horizon: see
    tests/unit/test_restore_points.py)."""
    backup = workspace.backup()
    workspace.lock()
    for _ in range(backups.PRE_RESTORE_KEEP + 2):
        restore(workspace_path, backup, PASSPHRASE)
    kept = sorted(p.name for p in backups.backup_dir(workspace_path).glob(f"{backups.PRE_RESTORE_PREFIX}*"))
    assert len([name for name in kept if name.endswith(".db")]) == backups.PRE_RESTORE_KEEP + 2
    assert len([name for name in kept if name.endswith(".json")]) == backups.PRE_RESTORE_KEEP + 2


def test_restore_refused_while_open(workspace: Workspace, workspace_path: Path) -> None:
    backup = workspace.backup()
    with pytest.raises(WorkspaceInUse):
        restore(workspace_path, backup, PASSPHRASE)


def _set_pragma(workspace: Workspace, statement: str) -> None:
    with behind_the_app(workspace) as connection:
        connection.execute(statement)


def test_newer_schema_major_refused(workspace: Workspace, workspace_path: Path) -> None:
    _set_pragma(workspace, "PRAGMA user_version = 2")
    before = folder_digest(workspace_path)
    with pytest.raises(NewerSchema, match="newer"):
        Workspace.open(workspace_path, PASSPHRASE)
    assert not list((workspace_path / "backups").glob("*")) if (workspace_path / "backups").exists() else True
    assert {k: v for k, v in folder_digest(workspace_path).items() if not k.endswith(("-wal", "-shm"))} == {
        k: v for k, v in before.items() if not k.endswith(("-wal", "-shm"))
    }


def test_unknown_revision_refused(workspace: Workspace, workspace_path: Path) -> None:
    _set_pragma(workspace, "INSERT INTO alembic_version VALUES ('9999_from_the_future')")
    with pytest.raises(NewerSchema, match="9999_from_the_future"):
        Workspace.open(workspace_path, PASSPHRASE)


def test_corrupted_page_fails_integrity_check(workspace: Workspace, workspace_path: Path) -> None:
    for i in range(50):
        add_agency(workspace, f"Agency number {i} with a long name to fill pages " * 3)
    workspace.backup()  # checkpoints the WAL into the main file
    db_file = workspace.database_file
    workspace.lock()
    data = bytearray(db_file.read_bytes())
    assert len(data) > 3 * 4096
    data[2 * 4096 + 100] ^= 0xFF  # a byte inside page 3
    db_file.write_bytes(bytes(data))
    with pytest.raises(IntegrityFailure, match="integrity"):
        Workspace.open(workspace_path, PASSPHRASE)


def test_calibration_keeps_memory_cost(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WORKBENCH_KDF_ITERATIONS")
    params = calibrate(target_seconds=0.05)
    assert params.memory_kib >= MIN_MEMORY_KIB == 64 * 1024
    assert params.iterations >= 3
    assert len(params.salt) == 16


def test_sidecar_holds_no_secret(workspace: Workspace, workspace_path: Path) -> None:
    text = (workspace_path / SIDECAR_NAME).read_text()
    assert workspace._keys.database.hex() not in text
    assert "Alex Reviewer" not in text
    assert os.path.basename(workspace.database_file) in text


def test_pending_migration_runs_after_a_backup(workspace: Workspace, workspace_path: Path) -> None:
    """A workspace missing an area's tables is backed up, then upgraded on unlock."""
    branch_tables = [t.name for t in schema_tables("db.models.exchange")]
    assert "contact" in branch_tables
    with behind_the_app(workspace) as connection:
        connection.execute("DELETE FROM alembic_version WHERE version_num LIKE '0004%'")  # the exchange branch
        for table in branch_tables:
            connection.execute(f'DROP TABLE "{table}"')
    reopened = Workspace.open(workspace_path, PASSPHRASE, backup_on_unlock=False)
    try:
        assert set(reopened.info()["schema_revisions"]) == schema.head_revisions()
        assert reopened.check().ok
    finally:
        reopened.lock()
    notes = [b.note for b in backups.list_backups(workspace_path)]
    assert notes == ["before upgrading the schema"]


def schema_tables(module: str) -> list:
    import importlib

    from db.base import Base

    mod = importlib.import_module(module)
    return [
        t for t in Base.metadata.sorted_tables if any(getattr(c, "__table__", None) is t for c in vars(mod).values())
    ]

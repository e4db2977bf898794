"""The one gate for files written at a user's choice, and the atomic write beneath it (issue 16, point 1)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.errors import InvalidInput
from app.store.atomic import write_atomic
from app.store.user_files import check_user_target, write_user_file
from app.store.workspace import Workspace


def test_atomic_write_refuses_a_fifo_and_leaves_it_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(InvalidInput, match="not a regular file"):
        write_atomic(fifo, b"plaintext")
    assert fifo.is_fifo()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]  # no temporary file left behind


def test_atomic_write_refuses_a_symlink_and_leaves_its_target_alone(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_bytes(b"kept")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    with pytest.raises(InvalidInput, match="symbolic link"):
        write_atomic(link, b"plaintext")
    assert link.is_symlink() and real.read_bytes() == b"kept"
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nowhere")
    with pytest.raises(InvalidInput, match="symbolic link"):
        write_atomic(dangling, b"plaintext")
    assert dangling.is_symlink() and not (tmp_path / "nowhere").exists()


def test_atomic_write_refuses_a_folder_and_a_device(tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    with pytest.raises(InvalidInput, match="is a folder"):
        write_atomic(folder, b"plaintext")
    assert folder.is_dir() and not any(folder.iterdir())
    with pytest.raises(InvalidInput, match="not a regular file"):
        write_atomic(Path(os.devnull), b"plaintext")
    assert Path(os.devnull).is_char_device()


def test_atomic_write_replaces_a_regular_file_privately(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o600


def test_user_target_inside_a_workspace_is_refused_with_its_folder_named(
    workspace: Workspace, workspace_path: Path, tmp_path: Path
) -> None:
    sidecar = workspace_path / "workspace.json"
    before = sidecar.read_bytes()
    with pytest.raises(InvalidInput, match="inside the workspace folder"):
        write_user_file(sidecar, b"plaintext", overwrite=True)
    assert sidecar.read_bytes() == before
    with pytest.raises(InvalidInput, match="inside the workspace folder"):
        check_user_target(workspace_path / "new-export.csv")
    nested = workspace_path / "sub"
    nested.mkdir()
    with pytest.raises(InvalidInput, match="inside the workspace folder"):
        check_user_target(nested / "x.csv")
    alias = tmp_path / "alias"
    alias.symlink_to(workspace_path, target_is_directory=True)
    with pytest.raises(InvalidInput, match="inside the workspace folder"):
        check_user_target(alias / "x.csv")


def test_existing_file_needs_overwrite_and_a_missing_folder_is_named(tmp_path: Path) -> None:
    existing = tmp_path / "report.pdf"
    existing.write_bytes(b"mine")
    with pytest.raises(InvalidInput, match="already exists"):
        write_user_file(existing, b"new")
    assert existing.read_bytes() == b"mine"
    assert write_user_file(existing, b"new", overwrite=True) == existing
    assert existing.read_bytes() == b"new"
    with pytest.raises(InvalidInput, match="does not exist"):
        write_user_file(tmp_path / "nowhere" / "x.csv", b"new")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(InvalidInput, match="not a regular file"):
        write_user_file(fifo, b"new", overwrite=True)

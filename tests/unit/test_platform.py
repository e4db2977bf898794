"""Platform differences (issue 14): the one-process lock on POSIX for real, on Windows with a stand-in msvcrt."""

from __future__ import annotations

import os
import types
from pathlib import Path

import pytest

from app.errors import WorkspaceInUse
from app.platform.locking import WINDOWS_LOCK_OFFSET, PosixLocker, WindowsLocker, file_locker
from app.store.process_lock import ProcessLock


def fake_msvcrt() -> types.ModuleType:
    """msvcrt.locking's contract: lock/unlock `n` bytes at the file position, OSError when taken."""
    held: dict[tuple[int, int], int] = {}  # (inode, offset) -> fd holding it
    module = types.ModuleType("msvcrt")
    module.LK_NBLCK, module.LK_UNLCK = 2, 0

    def locking(fd: int, mode: int, nbytes: int) -> None:
        assert nbytes == 1
        key = (os.fstat(fd).st_ino, os.lseek(fd, 0, os.SEEK_CUR))
        if mode == module.LK_UNLCK:
            if held.get(key) != fd:
                raise OSError(13, "Permission denied")
            del held[key]
        elif key in held:
            raise OSError(36, "Resource deadlock avoided")
        else:
            held[key] = fd

    module.locking = locking
    module.held = held
    return module


@pytest.mark.parametrize(
    "make_locker", [lambda: file_locker("posix"), lambda: WindowsLocker(fake_msvcrt())], ids=["posix", "windows"]
)
def test_a_second_open_is_refused_with_the_holders_pid_until_released(tmp_path: Path, make_locker) -> None:
    locker = make_locker()
    first = ProcessLock.acquire(tmp_path, locker)
    with pytest.raises(WorkspaceInUse, match=f"process {os.getpid()}"):
        ProcessLock.acquire(tmp_path, locker)
    first.release()
    again = ProcessLock.acquire(tmp_path, locker)
    assert again.held
    again.release()
    assert oct((tmp_path / ".lock").stat().st_mode & 0o777) == "0o600"


def test_windows_locks_one_byte_past_the_pid_so_the_pid_stays_readable(tmp_path: Path) -> None:
    msvcrt = fake_msvcrt()
    lock = ProcessLock.acquire(tmp_path, WindowsLocker(msvcrt))
    assert [offset for _inode, offset in msvcrt.held] == [WINDOWS_LOCK_OFFSET]
    assert (tmp_path / ".lock").read_text() == str(os.getpid())
    lock.release()
    assert msvcrt.held == {}


def test_the_locker_follows_the_operating_system() -> None:
    assert isinstance(file_locker("posix"), PosixLocker)
    with pytest.raises(ImportError):  # msvcrt exists only on Windows: chosen there, not here
        file_locker("nt")

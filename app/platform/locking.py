"""An exclusive, non-blocking lock on an open file: flock on POSIX, msvcrt.locking on Windows.

Both are dropped by the OS when the process dies. Windows locks a byte range
and refuses other processes reads of it, so the lock sits on one byte far past
the holder's process id, which stays readable for the refusal message.
"""

from __future__ import annotations

import os
from types import ModuleType
from typing import Protocol

#: the byte Windows locks; the pid text written at offset 0 never reaches it
WINDOWS_LOCK_OFFSET = 1 << 20


class FileLocker(Protocol):
    def try_lock(self, fd: int) -> bool:
        """Take the lock, or return False at once if another process (or open) holds it."""

    def unlock(self, fd: int) -> None:
        """Give it back (closing the file does too)."""


class PosixLocker:
    def __init__(self, fcntl: ModuleType) -> None:
        self._fcntl = fcntl

    def try_lock(self, fd: int) -> bool:
        try:
            self._fcntl.flock(fd, self._fcntl.LOCK_EX | self._fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def unlock(self, fd: int) -> None:
        self._fcntl.flock(fd, self._fcntl.LOCK_UN)


class WindowsLocker:
    def __init__(self, msvcrt: ModuleType) -> None:
        self._msvcrt = msvcrt

    def try_lock(self, fd: int) -> bool:
        os.lseek(fd, WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            self._msvcrt.locking(fd, self._msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def unlock(self, fd: int) -> None:
        os.lseek(fd, WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        self._msvcrt.locking(fd, self._msvcrt.LK_UNLCK, 1)


def file_locker(os_name: str = os.name) -> FileLocker:
    """The locker for this operating system."""
    if os_name == "nt":
        import msvcrt

        return WindowsLocker(msvcrt)
    import fcntl

    return PosixLocker(fcntl)


def read_text_at_start(fd: int, size: int = 32) -> str:
    os.lseek(fd, 0, os.SEEK_SET)
    return os.read(fd, size).decode("ascii", "replace").strip()


def write_text_at_start(fd: int, text: str) -> None:
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, text.encode("ascii"))

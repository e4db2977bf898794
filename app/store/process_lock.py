"""One process at a time per workspace.

An advisory lock on a file in the workspace folder, held while the workspace is
unlocked. A second process (or a second window) gets a clear refusal instead of
two writers racing on one SQLCipher file. The OS drops the lock if we crash.
POSIX and Windows differ only in app/platform/locking.py.
"""

from __future__ import annotations

import os
from pathlib import Path

from app.errors import WorkspaceInUse
from app.platform.locking import FileLocker, file_locker, read_text_at_start, write_text_at_start

LOCK_NAME = ".lock"


class ProcessLock:
    def __init__(self, fd: int, path: Path, locker: FileLocker) -> None:
        self._fd: int | None = fd
        self.path = path
        self._locker = locker

    @classmethod
    def acquire(cls, workspace: Path, locker: FileLocker | None = None) -> ProcessLock:
        locker = locker or file_locker()
        path = workspace / LOCK_NAME
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600)
        if not locker.try_lock(fd):
            holder = read_text_at_start(fd)
            os.close(fd)
            who = f" (process {holder})" if holder.isdigit() else ""
            raise WorkspaceInUse(
                f"The workspace {workspace} is already open in another Safeguarding Workbench "
                f"window or command{who}. Close it there first."
            )
        write_text_at_start(fd, str(os.getpid()))
        return cls(fd, path, locker)

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            os.ftruncate(self._fd, 0)
            self._locker.unlock(self._fd)
        finally:
            os.close(self._fd)  # closing drops the lock too
            self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None

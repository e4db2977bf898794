"""One process at a time per workspace.

An advisory lock on a file in the workspace folder, held while the workspace is
unlocked. A second process (or a second window) gets a clear refusal instead of
two writers racing on one SQLCipher file. The OS drops the lock if we crash.
"""
from __future__ import annotations

import os
from pathlib import Path

from app.errors import WorkspaceInUse

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = ".lock"


class ProcessLock:
    def __init__(self, fd: int, path: Path) -> None:
        self._fd: int | None = fd
        self.path = path

    @classmethod
    def acquire(cls, workspace: Path) -> "ProcessLock":
        path = workspace / LOCK_NAME
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            os.close(fd)
            who = f" (process {holder})" if holder.isdigit() else ""
            raise WorkspaceInUse(
                f"The workspace {workspace} is already open in another Safeguarding Workbench "
                f"window or command{who}. Close it there first.") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
        return cls(fd, path)

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            os.ftruncate(self._fd, 0)
        finally:
            os.close(self._fd)  # closing drops the flock
            self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None

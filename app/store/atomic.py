"""Atomic, private file writes (KeePassXC-style: write a temp file, then rename).

A crash leaves either the old file or the new one, never half of each.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from app.errors import InvalidInput

PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700


def fsync_dir(directory: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def create_private_file(path: Path) -> None:
    """Create an empty file that only the owner can read, failing if it exists."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE_MODE)
    os.close(fd)


def make_private_dir(path: Path) -> None:
    path.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    if os.name == "posix":
        os.chmod(path, PRIVATE_DIR_MODE)


def refuse_special_target(path: Path) -> None:
    """Raise InvalidInput if `path` exists and is not a regular file.

    The rename would replace a device node, a FIFO or a symlink with a regular file
    holding the data (as root, `--out /dev/full` once did), and a folder is never a file.
    """
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot be written ({exc.strerror or exc}).") from None
    if stat.S_ISDIR(mode):
        raise InvalidInput(f"{path} is a folder; give a file name inside it.")
    if stat.S_ISLNK(mode):
        raise InvalidInput(f"{path} is a symbolic link; give the real file name.")
    if not stat.S_ISREG(mode):
        raise InvalidInput(f"{path} is not a regular file (a device or pipe); choose a file.")


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file and a rename; never over anything but a regular file."""
    refuse_special_target(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, PRIVATE_FILE_MODE)
    except OSError as exc:  # name the file the user asked for, not our temporary one
        raise type(exc)(exc.errno, exc.strerror, str(path)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        refuse_special_target(path)  # again just before the rename: it may have appeared meanwhile
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.filename is None:  # a full disk says which file did not fit
            raise type(exc)(exc.errno, exc.strerror, str(path)) from None
        raise
    fsync_dir(path.parent)

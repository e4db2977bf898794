"""Errors a user can meet, each carrying one clear message.

The CLI maps them to exit codes and the GUI to dialogs; neither needs to show a
traceback, because the message already names what is wrong and where.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


class WorkbenchError(Exception):
    """Base of every error the user is meant to read. Exit code 1 by default."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.message


class InvalidInput(WorkbenchError):
    """The user gave something we cannot accept (bad date, unknown agency...)."""


class UsageError(WorkbenchError):
    """A command given options that cannot go together, or none that say what to do (exit 2)."""

    exit_code = 2


class WrongPassphrase(WorkbenchError):
    exit_code = 3


class WorkspaceInUse(WorkbenchError):
    """Another process of the app has this workspace open."""

    exit_code = 3


class WorkspaceLocked(WorkbenchError):
    """An operation needs the workspace unlocked."""

    exit_code = 3


class WorkspaceNotFound(WorkbenchError):
    pass


class IntegrityFailure(WorkbenchError):
    """An integrity check (cipher, SQLite or audit chain) failed."""


class NewerSchema(WorkbenchError):
    """The workspace was written by a newer version of the app."""


class WeakPassphrase(InvalidInput):
    pass


def only_match(found: Sequence[T], *, none: str, many: str) -> T:
    """The one thing a user's reference names: InvalidInput(`none`) when it names nothing, and when it
    names several, InvalidInput of their count and `many` ("3 " + "meetings match 'QA'; give its id instead.")."""
    if not found:
        raise InvalidInput(none)
    if len(found) > 1:
        raise InvalidInput(f"{len(found)} {many}")
    return found[0]


class StorageFailure(WorkbenchError):
    """The disk refused a write, or even a read (full, read-only, failing); the transaction was rolled back."""


#: SQLite's words for a failing disk, and what the user is told instead
_STORAGE_REASONS = (
    ("database or disk is full", "the disk is full"),
    ("disk i/o error", "the disk reported an input/output error"),
    ("readonly database", "the workspace folder or its disk is read-only"),
    ("read-only", "the workspace folder or its disk is read-only"),
    ("unable to open database file", "the workspace's database file cannot be opened"),
)


def storage_failure(error: BaseException, doing: str = "write to") -> StorageFailure | None:
    """The user's message for a database error caused by the disk, or None for any other error.

    `doing` says what was refused ("write to", "read"): SQLite takes write access to the disk even
    to begin a reading transaction, so a read-only disk refuses both."""
    text = str(getattr(error, "orig", None) or error).lower()
    for words, reason in _STORAGE_REASONS:
        if words in text:
            return StorageFailure(
                f"Could not {doing} the workspace: {reason}. Nothing was written; "
                "your last saved work is intact. Free space or check the disk, then try again."
            )
    return None

"""Errors a user can meet, each carrying one clear message.

The CLI maps them to exit codes and the GUI to dialogs; neither needs to show a
traceback, because the message already names what is wrong and where.
"""
from __future__ import annotations


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

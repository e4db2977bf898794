"""Typed, non-secret settings (Picard-style registry over QSettings).

Only window geometry, recent workspace paths and preferences live here: never
case data, member details or anything derived from a passphrase. Tests assert
this by scanning the settings file for a canary string.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

T = TypeVar("T")

ORGANISATION = "SafeguardingWorkbench"
APPLICATION = "Safeguarding Workbench"


def _int(value: object, default: int) -> int:
    try:
        return int(value) if isinstance(value, (int, float, str)) else default
    except ValueError:
        return default


def _strings(value: object, default: list[str]) -> list[str]:
    if value is None:
        return list(default)
    return [str(v) for v in (value if isinstance(value, list) else [value])]


def _bytes(value: object, default: QByteArray | None) -> QByteArray | None:
    return value if isinstance(value, QByteArray) else default


@dataclass(frozen=True)
class Setting(Generic[T]):
    key: str
    default: T
    #: the stored value (the default when there is none) as a T, or the default when it cannot be read
    read: Callable[[object, T], T]

    def get(self) -> T:
        return self.read(_store().value(self.key, self.default), self.default)

    def set(self, value: T) -> None:
        _store().setValue(self.key, value)

    def clear(self) -> None:
        """Back to the default, as on a first start."""
        _store().remove(self.key)


def _store() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION)


def settings_file() -> str:
    return _store().fileName()


IDLE_LOCK_MINUTES: Setting[int] = Setting("security/idle_lock_minutes", 10, _int)
RECENT_WORKSPACES: Setting[list[str]] = Setting("workspaces/recent", [], _strings)
WINDOW_GEOMETRY: Setting[QByteArray | None] = Setting("window/geometry", None, _bytes)
WINDOW_STATE: Setting[QByteArray | None] = Setting("window/state", None, _bytes)
BACKUPS_TO_KEEP: Setting[int] = Setting("security/backups_to_keep", 10, _int)

MAX_RECENT = 8


def remember_workspace(path: str) -> None:
    recent = [p for p in RECENT_WORKSPACES.get() if p != path]
    RECENT_WORKSPACES.set([path, *recent][:MAX_RECENT])

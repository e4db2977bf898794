"""Typed, non-secret settings (Picard-style registry over QSettings).

Only window geometry, recent workspace paths and preferences live here: never
case data, member details or anything derived from a passphrase. Tests assert
this by scanning the settings file for a canary string.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

T = TypeVar("T")

ORGANISATION = "SafeguardingWorkbench"
APPLICATION = "Safeguarding Workbench"


@dataclass(frozen=True)
class Setting(Generic[T]):
    key: str
    default: T

    def get(self) -> T:
        value = _store().value(self.key, self.default)
        if isinstance(self.default, bool):
            return (value in (True, "true", "1", 1)) if value is not None else self.default  # type: ignore[return-value]
        if isinstance(self.default, int):
            try:
                return int(value)  # type: ignore[return-value, arg-type]
            except (TypeError, ValueError):
                return self.default
        if isinstance(self.default, list):
            if value is None:
                return list(self.default)  # type: ignore[return-value]
            return [str(v) for v in (value if isinstance(value, list) else [value])]  # type: ignore[return-value]
        return value  # type: ignore[return-value]

    def set(self, value: T) -> None:
        _store().setValue(self.key, value)

    def clear(self) -> None:
        """Back to the default, as on a first start."""
        _store().remove(self.key)


def _store() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION)


def settings_file() -> str:
    return _store().fileName()


IDLE_LOCK_MINUTES: Setting[int] = Setting("security/idle_lock_minutes", 10)
RECENT_WORKSPACES: Setting[list[str]] = Setting("workspaces/recent", [])
WINDOW_GEOMETRY: Setting[QByteArray | None] = Setting("window/geometry", None)
WINDOW_STATE: Setting[QByteArray | None] = Setting("window/state", None)
BACKUPS_TO_KEEP: Setting[int] = Setting("security/backups_to_keep", 10)

MAX_RECENT = 8


def remember_workspace(path: str) -> None:
    recent = [p for p in RECENT_WORKSPACES.get() if p != path]
    RECENT_WORKSPACES.set([path, *recent][:MAX_RECENT])

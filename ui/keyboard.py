"""Keyboard behaviour every widget of the main window gets, wherever it is created.

Qt's defaults suit dialogs: outside a QDialog, Enter does nothing on a focused
push button, and Tab moves from cell to cell inside a table forever. One
application-wide event filter fixes both for widgets made at any time (pages
built on unlock, a review opened later), instead of every constructor
remembering to.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QAbstractItemView, QApplication, QDialog, QPushButton


class KeyboardDefaults(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Polish:
            if isinstance(watched, QPushButton) and not isinstance(watched.window(), QDialog):
                watched.setAutoDefault(True)  # Enter presses the focused button, as Space does
            elif isinstance(watched, QAbstractItemView):
                watched.setTabKeyNavigation(False)  # Tab leaves the table; arrow keys move within it
        return False


def install(app: QApplication) -> None:
    """Once per application."""
    if getattr(app, "_keyboard_defaults", None) is None:
        app._keyboard_defaults = KeyboardDefaults(app)  # type: ignore[attr-defined]
        app.installEventFilter(app._keyboard_defaults)  # type: ignore[attr-defined]

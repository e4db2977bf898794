"""Keyboard behaviour every widget of the main window gets, wherever it is created (and, from
`ui.kit.mnemonics`, one Alt letter per control in every window).

Qt's defaults suit dialogs: outside a QDialog, Enter does nothing on a focused
push button, and Tab moves from cell to cell inside a table forever. One
application-wide event filter fixes both for widgets made at any time (pages
built on unlock, a review opened later), instead of every constructor
remembering to. The window is judged when the key is pressed, because a page
may be polished before it is placed in the main window.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QMainWindow,
    QPushButton,
    QWidget,
)

from ui.kit.mnemonics import MnemonicKeeper

_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class KeyboardDefaults(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Polish and isinstance(watched, QAbstractItemView):
            watched.setTabKeyNavigation(False)  # Tab leaves the table; arrow keys move within it
        elif (
            kind == QEvent.Type.KeyPress
            and isinstance(watched, QPushButton)
            and isinstance(event, QKeyEvent)
            and event.key() in _ENTER_KEYS
            and event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
            and isinstance(watched.window(), QMainWindow)
            and watched.isEnabled()
        ):
            watched.click()  # Enter presses the focused button, as Space does (dialogs do this themselves)
            return True
        elif (
            kind == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in _ENTER_KEYS
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
            and isinstance(watched, QWidget)
            and isinstance(watched.window(), QDialog)
        ):
            accept = accept_button(watched.window())
            if accept is not None:
                accept.click()  # Ctrl+Enter is OK from anywhere in a dialog: in a table or text box Enter is theirs
                return True
        return False


def accept_button(dialog: QWidget) -> QAbstractButton | None:
    """The dialog's enabled OK (its button box's accept button), if it has exactly one button box."""
    boxes = dialog.findChildren(QDialogButtonBox)
    if len(boxes) != 1:
        return None
    for candidate in boxes[0].buttons():
        if boxes[0].buttonRole(candidate) == QDialogButtonBox.ButtonRole.AcceptRole and candidate.isEnabled():
            return candidate
    return None


def install(app: QCoreApplication) -> None:
    """Once per application; the filters are the application's children, so they live as long as it does."""
    for kind in (KeyboardDefaults, MnemonicKeeper):
        if app.findChild(kind) is None:
            app.installEventFilter(kind(app))

"""Which keys do what in the view on screen: Alt+letter mnemonics and Ctrl shortcuts (issue 10.6).

Used by tests to check that no key does two things within any view of the main window or any dialog:
where two visible controls share an Alt letter, Qt only moves the focus between them, so "&Save" no
longer saves when "&Source:" labels a field of the same dialog. `ClashWatch` checks every dialog a GUI
test shows (tests/ui/conftest.py).
"""

from __future__ import annotations

import re
from collections import defaultdict

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QGroupBox,
    QLabel,
    QMainWindow,
    QTabBar,
    QTabWidget,
    QToolButton,
    QWidget,
)
from pytestqt.qtbot import QtBot
from shiboken6 import isValid

from ui.kit.mnemonics import ASSIGNED, ORIGINAL

CTRL, SHIFT, ALT = (
    Qt.KeyboardModifier.ControlModifier,
    Qt.KeyboardModifier.ShiftModifier,
    Qt.KeyboardModifier.AltModifier,
)
"""The modifiers the tests press keys with: `qtbot.keyClick(widget, Qt.Key.Key_S, CTRL | SHIFT)`."""

_MNEMONIC = re.compile(r"(?<!&)&([^&\s])")


def mnemonic(text: str) -> str | None:
    found = _MNEMONIC.search(text or "")
    return found.group(1).upper() if found else None


def _shown(widget: QWidget, window: QWidget) -> bool:
    return widget.window() is window and widget.isVisibleTo(window) and widget.isEnabled()


def _menus(window: QWidget) -> list[QAction]:
    """The menu bar's menus: a main window's, none for a dialog."""
    return window.menuBar().actions() if isinstance(window, QMainWindow) else []


def mnemonics(window: QWidget) -> dict[str, list[str]]:
    """Alt+letter -> what it reaches, among what is on screen now."""
    keys: dict[str, list[str]] = defaultdict(list)
    for menu in _menus(window):
        letter = mnemonic(menu.text())
        if letter and menu.isVisible():
            keys[letter].append(f"menu {menu.text()}")
    for widget in window.findChildren(QWidget):
        if not _shown(widget, window):
            continue
        text = None
        if isinstance(widget, QAbstractButton) and not isinstance(widget, QToolButton):
            text = widget.text()
        elif isinstance(widget, QLabel) and widget.buddy() is not None:
            text = widget.text()
        elif isinstance(widget, QGroupBox):
            text = widget.title()
        if text:
            letter = mnemonic(text)
            if letter:
                keys[letter].append(f"{type(widget).__name__} {text}")
        if isinstance(widget, QTabBar):
            for index in range(widget.count()):
                letter = mnemonic(widget.tabText(index))
                if letter and widget.isTabEnabled(index) and widget.isTabVisible(index):
                    keys[letter].append(f"tab {widget.tabText(index)}")
    return {k: v for k, v in keys.items()}


def _key_texts(sequences: list[QKeySequence]) -> list[str]:
    return [s.toString(QKeySequence.SequenceFormat.PortableText) for s in sequences if not s.isEmpty()]


def shortcuts(window: QWidget) -> dict[str, list[str]]:
    """Key sequence -> the enabled actions it can trigger in the view on screen."""
    keys: dict[str, set[str]] = defaultdict(set)
    actions: set[QAction] = set(window.actions())
    for menu_action in _menus(window):
        menu = menu_action.menu()
        if menu is not None:
            stack = [menu]
            while stack:
                current = stack.pop()
                for act in current.actions():
                    if act.menu() is not None:
                        stack.append(act.menu())
                    else:
                        actions.add(act)
    for widget in window.findChildren(QWidget):
        if _shown(widget, window):
            actions.update(widget.actions())
    for act in actions:
        if act.isEnabled():
            for key in _key_texts(act.shortcuts()):
                keys[key].add(act.text().replace("&", ""))
    for shortcut in window.findChildren(QShortcut):
        parent = shortcut.parent()
        if shortcut.isEnabled() and isinstance(parent, QWidget) and _shown(parent, window):
            for key in _key_texts([shortcut.key()]):
                keys[key].add(f"shortcut {shortcut.objectName() or key}")
    return {k: sorted(v) for k, v in keys.items()}


def clashes(window: QWidget) -> list[str]:
    found = [f"Alt+{k}: {', '.join(v)}" for k, v in mnemonics(window).items() if len(v) > 1]
    found += [f"{k}: {', '.join(v)}" for k, v in shortcuts(window).items() if len(v) > 1]
    return found


def moved_letters(window: QWidget) -> list[str]:
    """Controls whose written Alt letter the application's MnemonicKeeper had to move to a free one, because
    another control of the window claims it: the source then promises a key ("&Repeat") the user does not get."""
    moved = []
    for widget in window.findChildren(QWidget):
        for name in widget.dynamicPropertyNames():
            key = bytes(name.data()).decode()
            if not key.startswith(ORIGINAL):
                continue
            written = widget.property(key)
            given = widget.property(ASSIGNED + key[len(ORIGINAL) :])
            if _shown(widget, window) and mnemonic(written) != mnemonic(given):
                moved.append(f"{written!r} got Alt+{mnemonic(given)}")
    return moved


class ClashWatch(QObject):
    """Checks each dialog just after it is shown (once the application's MnemonicKeeper has given its
    controls their letters); `found` names each clash as 'Dialog 'title': Alt+S: ...'."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.moved: list[str] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QDialog) and watched.isWindow():
            QTimer.singleShot(0, self, lambda dialog=watched: self._check(dialog))
        return False

    def _check(self, dialog: QDialog) -> None:
        if isValid(dialog) and dialog.isVisible():
            named = f"{type(dialog).__name__} {dialog.windowTitle()!r}"
            self.found += [f"{named}: {clash}" for clash in clashes(dialog)]
            self.moved += [f"{named}: {move}" for move in moved_letters(dialog)]


def press_alt(qtbot: QtBot, dialog: QWidget, key: Qt.Key) -> None:
    """Alt+`key` as the user presses it: in the active dialog, where its focus is."""
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog.focusWidget() or dialog, key, ALT)


def tab_widgets(root: QWidget) -> list[QTabWidget]:
    return [t for t in root.findChildren(QTabWidget)]


def ampersands_shown(root: QWidget) -> list[str]:
    """Labels that print their '&' instead of underlining a key: a mnemonic with no buddy to go to."""
    return [
        label.text()
        for label in root.findChildren(QLabel)
        if label.buddy() is None and label.textFormat() != Qt.TextFormat.RichText and mnemonic(label.text())
    ]

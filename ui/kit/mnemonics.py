"""One Alt+letter per thing on screen: a window's mnemonics kept unique as views change.

Pages are built by different hands; each chose its Alt letters alone, and a first
user found Alt+S, Alt+T and Alt+F doing two things (a label and a button, a tab
and the File menu). Like KDE's KAcceleratorManager, `MnemonicKeeper` looks at what
the window shows whenever that changes, keeps the menu bar's letters, keeps each
item's own letter where it is free and otherwise gives it the first free letter
of its words (then of its text). Items are taken in a fixed order (tabs, buttons,
group boxes, labels with a buddy), so a view always gets the same letters.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTabBar,
    QToolButton,
    QWidget,
)
from shiboken6 import isValid

_MARK = re.compile(r"&(.)")
ORIGINAL = "mnemonic_original"
ASSIGNED = "mnemonic_assigned"


def letter_of(text: str) -> str | None:
    """The Alt letter a text claims ("Sa&ve" -> "V"), ignoring "&&" (a literal ampersand)."""
    for match in _MARK.finditer(text or ""):
        if match.group(1) != "&":
            return match.group(1).upper() if match.group(1).isalnum() else None
    return None


def plain(text: str) -> str:
    """The text as shown: marks removed, "&&" as "&"."""
    return _MARK.sub(lambda m: m.group(1), text or "")


def with_mark(shown: str, position: int | None) -> str:
    """`shown` with its ampersands escaped and a mark before `position` (none if None)."""
    if position is None:
        return shown.replace("&", "&&")
    return shown[:position].replace("&", "&&") + "&" + shown[position:].replace("&", "&&")


def choose(text: str, taken: set[str]) -> str:
    """`text` with a free letter marked: its own if free, else a word's first letter, else any letter."""
    shown = plain(text)
    own = letter_of(text)
    if own is not None and own not in taken:
        taken.add(own)
        return text
    starts = [m.start() for m in re.finditer(r"\b\w", shown)]
    for position in [*starts, *range(len(shown))]:
        char = shown[position]
        if char.isalnum() and char.isascii() and char.upper() not in taken:
            taken.add(char.upper())
            return with_mark(shown, position)
    return with_mark(shown, None)


#: Qt's own texts for these standard buttons come without an Alt letter on some platforms ("Save",
#: "Discard", "Close", "OK" here, where only Enter saved): ours have one, the same in every dialog and
#: question. A field label claiming one of these letters in the same dialog is given another in its source
#: (the keeper would otherwise move it to whatever letter is free). Cancel keeps none: Esc cancels
STANDARD_TEXTS = {"Save": "&Save", "Discard": "&Discard", "Close": "&Close", "Ok": "&OK"}


def letter_standard_buttons(box: QDialogButtonBox | QMessageBox, **texts: str) -> None:
    """Give `box`'s standard Save, Discard, Close and OK buttons their Alt letters (`STANDARD_TEXTS`);
    `texts` (by the standard button's name, e.g. ``Cancel="&Keep editing"``) adds or replaces texts."""
    wanted = {**STANDARD_TEXTS, **texts}
    for push in box.buttons():
        text = wanted.get(box.standardButton(push).name or "")
        if text is not None:
            push.setText(text)


class MnemonicKeeper(QObject):
    """Keeps each window's visible mnemonics unique, the main window's and every dialog's; installed once
    on the application (`ui.keyboard.install`), so a dialog built anywhere gets it.

    A dialog gets its letters as it is shown (its controls are visible by then), so it never appears
    with a clash; later shows and hides, in it or in the main window, re-run it coalesced."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending: list[QWidget] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Show, QEvent.Type.Hide) and isinstance(watched, QWidget):
            window = watched.window()
            if watched is window and isinstance(window, QDialog) and event.type() == QEvent.Type.Show:
                self.refresh(window)
            elif isinstance(window, (QMainWindow, QDialog)) and window not in self._pending:
                if not self._pending:
                    QTimer.singleShot(0, self._refresh_pending)
                self._pending.append(window)
        return False

    def _refresh_pending(self) -> None:
        pending, self._pending = self._pending, []
        for window in pending:
            if isValid(window):  # a dialog closed and deleted meanwhile has nothing to keep
                self.refresh(window)

    def refresh(self, window: QWidget) -> None:
        menus = window.menuBar().actions() if isinstance(window, QMainWindow) else []
        taken = {letter for a in menus if (letter := letter_of(a.text()))}
        shown = [w for w in window.findChildren(QWidget) if w.window() is window and w.isVisibleTo(window)]
        for bar in (w for w in shown if isinstance(w, QTabBar)):
            for index in range(bar.count()):
                if bar.isTabVisible(index):
                    self._keep(
                        bar,
                        f"tab{index}",
                        partial(bar.tabText, index),
                        partial(bar.setTabText, index),
                        taken,
                    )
        for widget in shown:
            if isinstance(widget, QAbstractButton) and not isinstance(widget, QToolButton):
                self._keep(widget, "", widget.text, widget.setText, taken)
        for widget in shown:
            if isinstance(widget, QGroupBox):
                self._keep(widget, "", widget.title, widget.setTitle, taken)
        for widget in shown:
            if isinstance(widget, QLabel) and widget.buddy() is not None:
                self._keep(widget, "", widget.text, widget.setText, taken)

    @staticmethod
    def _keep(owner: QObject, slot: str, get: Callable[[], str], put: Callable[[str], None], taken: set[str]) -> None:
        current = get()
        if "&" not in current:
            return
        original = owner.property(ORIGINAL + slot)
        if original is None or current != owner.property(ASSIGNED + slot):
            original = current  # new text from the page: it is the original now
        wanted = choose(original, taken)
        owner.setProperty(ORIGINAL + slot, original)
        owner.setProperty(ASSIGNED + slot, wanted)
        if wanted != current:
            put(wanted)

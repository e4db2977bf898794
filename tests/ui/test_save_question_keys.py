"""The Save / Discard / Cancel question answers from the keyboard: each answer has its Alt key."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from ui.kit import edit_guard
from ui.kit.edit_guard import Answer

pytestmark = pytest.mark.gui


@pytest.mark.parametrize(
    ("key", "answer"), [(Qt.Key.Key_S, Answer.Save), (Qt.Key.Key_D, Answer.Discard), (Qt.Key.Key_C, Answer.Cancel)]
)
def test_each_answer_has_its_alt_key(qtbot: QtBot, key: Qt.Key, answer: QMessageBox.StandardButton) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    owner.show()
    pressed: list[str] = []

    def press() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, press)  # not open yet
            return
        pressed.append(box.button(answer).text())
        box.activateWindow()  # a mnemonic works in the active window, as the box is for the user
        qtbot.waitUntil(lambda: QApplication.activeWindow() is box, timeout=5000)
        qtbot.keyClick(box.focusWidget() or box, key, Qt.KeyboardModifier.AltModifier)

    QTimer.singleShot(0, press)
    assert edit_guard.ask_save_changes(owner, "Chronology entry", "Save changes to entry 2?") == answer
    assert pressed and pressed[0].startswith("&")

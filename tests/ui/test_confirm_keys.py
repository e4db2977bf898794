"""A confirmation's answer has an Alt key: 'Issue the letter' could only be reached by Tab."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from ui import messages

pytestmark = pytest.mark.gui


@pytest.mark.parametrize(
    ("action", "expected"),
    [("Issue", "&Issue"), ("Purge", "&Purge"), ("Close anyway", "C&lose anyway"), ("&Replace", "&Replace")],
)
def test_the_answer_gets_a_letter_cancel_does_not_use(action: str, expected: str) -> None:
    assert messages.with_mnemonic(action) == expected


def test_the_answer_button_carries_the_alt_key(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    keys: list[str] = []

    def shown_and_answered(box: QMessageBox) -> int:
        """Instead of the blocking exec(): read the buttons' keys, then press the answer."""
        answer = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole)
        keys.append(answer.shortcut().toString())
        answer.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", shown_and_answered)
    assert messages.confirm(parent, "Issue the letter", "Issue version 1?", "Issue")
    assert keys == ["Alt+I"]

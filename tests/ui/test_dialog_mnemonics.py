"""In a dialog, as in the main window, one Alt letter reaches one control: the application's
MnemonicKeeper (installed by ui.keyboard) re-letters a label that would share its letter with a
button, so the button's Alt letter presses it instead of only moving the focus."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFormLayout, QLineEdit
from pytestqt.qtbot import QtBot

from tests.helpers.shortcut_audit import clashes, mnemonic
from ui.kit.controls import button

pytestmark = [pytest.mark.gui, pytest.mark.letters_may_move]


def test_a_dialogs_button_keeps_its_alt_letter_and_the_label_sharing_it_gets_another(qtbot: QtBot) -> None:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    pressed: list[str] = []
    form = QFormLayout(dialog)
    source, search = QLineEdit(), QLineEdit()
    form.addRow("&Source:", source)
    form.addRow("&Search in:", search)
    save = button("&Save", "Save", lambda: pressed.append("save"))
    form.addRow(save)
    dialog.show()
    qtbot.waitExposed(dialog)

    assert clashes(dialog) == []
    labels = [form.labelForField(field).text() for field in (source, search)]
    assert save.text() == "&Save" and [t.replace("&", "") for t in labels] == ["Source:", "Search in:"]
    assert "S" not in [mnemonic(t) for t in labels] and len({mnemonic(t) for t in labels}) == 2

    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(source, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: pressed == ["save"])  # a mnemonic animates the click: it lands a moment later

"""The kit's `button_for`: a button offering what an action does, named for screen readers without the
mnemonic's "&" or the dialog's "…", and its shortcut as the tooltip."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from ui.kit.controls import action, button_for


def test_button_for_takes_the_actions_words_name_and_shortcut(qtbot: QtBot) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    pressed: list[str] = []
    attach = action(owner, "&Attach evidence file…", "Ctrl+Shift+A", lambda: pressed.append("attach"))
    export = action(owner, "Export tracker as &XLSX…", "", lambda: pressed.append("export"))

    button = button_for(attach)
    assert (button.text(), button.accessibleName(), button.toolTip()) == (
        "&Attach evidence file…",
        "Attach evidence file",
        attach.shortcut().toString(attach.shortcut().SequenceFormat.NativeText),
    )
    bare = button_for(export, ellipsis=False)  # in a row of buttons beside the menu: no "…"
    assert (bare.text(), bare.accessibleName(), bare.toolTip()) == (
        "Export tracker as &XLSX",
        "Export tracker as XLSX",
        "Export tracker as XLSX…",  # no shortcut: the tooltip says what it does
    )
    button.click()
    bare.click()
    assert pressed == ["attach", "export"]

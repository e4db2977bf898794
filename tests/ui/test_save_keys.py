"""Alt+S saves in every form, as it does in the Save / Discard / Cancel question: Qt's own "Save"
(and "Discard", "Close") carry no Alt letter on this platform, so the kit gives them one
(`ui.kit.mnemonics.letter_standard_buttons`), and a field label that claimed S takes another letter."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from app.actions.queries import list_actions
from app.agencies import list_agencies
from app.store.workspace import Workspace
from tests.helpers.shortcut_audit import mnemonic, press_alt
from ui.actions.form import ActionFormDialog
from ui.areas.actions import ActionsPage
from ui.areas.overview import OverviewPage
from ui.kit.mnemonics import letter_standard_buttons
from ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def test_alt_s_saves_a_new_action_and_alt_u_goes_to_its_source(
    page: ActionsPage, qtbot: QtBot, demo_workspace: Workspace
) -> None:
    page.new_action_dialog()
    form = page.dialog
    assert isinstance(form, ActionFormDialog)
    qtbot.waitExposed(form)
    qtbot.keyClicks(form.title, "Audit the core group minutes")
    press_alt(qtbot, form, Qt.Key.Key_K)  # Source &kind
    qtbot.keyClicks(form.source_kind, "Multi")  # keyboard search picks "Multi-agency audit"
    press_alt(qtbot, form, Qt.Key.Key_U)  # So&urce: S is Save's
    assert form.focusWidget() is form.source_label
    qtbot.keyClicks(form.source_label, "Neglect audit 2026")
    assert mnemonic(form.save_button.text()) == "S"

    press_alt(qtbot, form, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: not form.isVisible())  # a mnemonic animates the click: it lands a moment later
    with demo_workspace.reading() as session:
        saved = [a for a in list_actions(session) if a.title == "Audit the core group minutes"]
    assert [(a.source_label, a.source_kind_label) for a in saved] == [("Neglect audit 2026", "Multi-agency audit")]


def test_alt_s_saves_a_new_agency(qtbot: QtBot, window: MainWindow, workspace: Workspace) -> None:
    window._on_unlocked(workspace)
    page = window.pages["overview"]
    assert isinstance(page, OverviewPage)
    page.add_agency()
    dialog = page.dialog
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.name, "Northbridge Police")
    press_alt(qtbot, dialog, Qt.Key.Key_O)  # Sh&ort name: S is Save's
    assert dialog.focusWidget() is dialog.short_name
    qtbot.keyClicks(dialog.short_name, "Police")

    press_alt(qtbot, dialog, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    with workspace.reading() as session:
        assert [(a.name, a.short_name) for a in list_agencies(session)] == [("Northbridge Police", "Police")]


def test_standard_save_discard_and_close_get_their_letters_in_boxes_and_questions(qtbot: QtBot) -> None:
    Button = QDialogButtonBox.StandardButton
    box = QDialogButtonBox(Button.Save | Button.Discard | Button.Close | Button.Cancel | Button.Ok)
    qtbot.addWidget(box)
    letter_standard_buttons(box)
    texts = {name: box.button(getattr(Button, name)).text() for name in ("Save", "Discard", "Close")}
    assert texts == {"Save": "&Save", "Discard": "&Discard", "Close": "&Close"}
    assert mnemonic(box.button(Button.Cancel).text()) is None  # Esc cancels; its letter is left to the fields

    Answer = QMessageBox.StandardButton
    question = QMessageBox(QMessageBox.Icon.Question, "Title", "Text", Answer.Save | Answer.Cancel)
    qtbot.addWidget(question)
    letter_standard_buttons(question, Cancel="&Keep editing")
    assert [question.button(a).text() for a in (Answer.Save, Answer.Cancel)] == ["&Save", "&Keep editing"]

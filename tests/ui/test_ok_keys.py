"""Alt+O presses OK in every OK / Cancel dialog, as Alt+S presses Save: Qt's own "OK" carries no Alt letter
on this platform, so the kit gives it one (`ui.kit.mnemonics.letter_standard_buttons`); Enter and Esc
worked already, and Cancel keeps no letter (Esc cancels). Each test types into the dialog as a user does,
presses Alt+O and finds what was typed applied."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QLabel,
    QMessageBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.actions.service import get_action
from app.meetings.service import report_filter_fields
from app.section11.cycles import get_participant
from app.store.workspace import Workspace
from tests.helpers.areas import area_page
from tests.helpers.drafts import section11_with
from tests.helpers.shortcut_audit import clashes, mnemonic, moved_letters, press_alt
from ui import settings
from ui.actions.quick_dialogs import BulkDueDialog
from ui.areas.actions import ActionsPage
from ui.areas.exchange import ExchangePage
from ui.dialogs.preferences import PreferencesDialog
from ui.kit.mnemonics import letter_standard_buttons
from ui.main_window import MainWindow
from ui.meetings.report_filters import ReportFiltersDialog
from ui.messages import show_info
from ui.section11.dialogs import ParticipantDialog

pytestmark = pytest.mark.gui


def _alt_o(qtbot: QtBot, dialog: QWidget) -> None:
    press_alt(qtbot, dialog, Qt.Key.Key_O)


def _retype(qtbot: QtBot, field: QWidget, text: str) -> None:
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, text)


def _ok_of(dialog: QDialog) -> str:
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    return box.button(QDialogButtonBox.StandardButton.Ok).text()


def test_alt_o_applies_the_preferences(qtbot: QtBot, window: MainWindow) -> None:
    window.preferences_action.trigger()
    dialog = window._dialog
    assert isinstance(dialog, PreferencesDialog)
    qtbot.waitExposed(dialog)
    _retype(qtbot, dialog.idle, "25")
    _retype(qtbot, dialog.keep, "7")
    assert mnemonic(_ok_of(dialog)) == "O"

    _alt_o(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())  # a mnemonic animates the click: it lands a moment later
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert (settings.IDLE_LOCK_MINUTES.get(), settings.BACKUPS_TO_KEEP.get()) == (25, 7)
    assert window.idle.timeout_ms == 25 * 60_000


def test_alt_o_moves_the_due_dates(page: ActionsPage, qtbot: QtBot, demo_workspace: Workspace) -> None:
    page.select_view_row(0)
    [uuid] = [row.uuid for row in page.selected_rows()]
    page.change_due_dates()
    dialog = page.dialog
    assert isinstance(dialog, BulkDueDialog)
    qtbot.waitExposed(dialog)
    _retype(qtbot, dialog.due, "30/06/2027")
    _retype(qtbot, dialog.reason, "Panel moved to July")

    _alt_o(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert dialog.result() == QDialog.DialogCode.Accepted
    with demo_workspace.reading() as session:
        assert get_action(session, uuid).due_date == date(2027, 6, 30)


def test_alt_o_corrects_a_section11_agencys_sector(qtbot: QtBot, window: MainWindow, demo_workspace: Workspace) -> None:
    page = section11_with(window, demo_workspace, "Police")
    participant = page.participant_uuid()
    page.edit_participant()
    dialog = page.dialog
    assert isinstance(dialog, ParticipantDialog)
    qtbot.waitExposed(dialog)
    _retype(qtbot, dialog.sector, "Police and custody")

    _alt_o(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert dialog.result() == QDialog.DialogCode.Accepted
    with window.workspace.reading() as session:
        assert get_participant(session, participant).sector == "Police and custody"


def test_alt_o_answers_a_message(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    box = show_info(parent, "Bundle saved", "Saved to the folder chosen.")
    qtbot.waitExposed(box)
    assert mnemonic(box.button(QMessageBox.StandardButton.Ok).text()) == "O"
    _alt_o(qtbot, box)
    qtbot.waitUntil(lambda: not box.isVisible())


def test_alt_o_closes_the_about_box(qtbot: QtBot, window: MainWindow) -> None:
    """The About box was Qt's own, whose OK had no Alt letter."""
    window.about_action.trigger()
    box = window.findChild(QMessageBox, "aboutBox")
    assert box is not None
    qtbot.waitExposed(box)
    assert "Safeguarding Workbench" in box.text()
    assert mnemonic(box.button(QMessageBox.StandardButton.Ok).text()) == "O"
    _alt_o(qtbot, box)
    qtbot.waitUntil(lambda: not box.isVisible())


def test_alt_o_gives_a_bundles_passphrase(qtbot: QtBot, workspace: Workspace, tmp_path: Path) -> None:
    page, _statuses = area_page(qtbot, workspace, ExchangePage)
    answered: list[str] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog):
            QTimer.singleShot(20, answer)
            return
        qtbot.keyClicks(dialog.focusWidget(), "a long enough passphrase")
        answered.append(_ok_of(dialog))
        _alt_o(qtbot, dialog)

    QTimer.singleShot(0, answer)
    assert page.ask_bundle_passphrase(tmp_path / "from-police.bundle") == "a long enough passphrase"
    assert [mnemonic(text) for text in answered] == ["O"]
    page.shutdown()


def test_the_action_logs_filters_keep_their_written_letters_and_alt_a_adds_the_paper(
    qtbot: QtBot, workspace: Workspace
) -> None:
    """The OK of the report filters is "Add paper" (Alt+A); "Source" and "Source name contains", "Owner
    agency" and "Open actions only" each claimed one letter, so the keeper moved one of each pair."""
    with workspace.reading() as session:
        fields = report_filter_fields(session, "actions")
    dialog = ReportFiltersDialog("Action log", fields)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    assert clashes(dialog) == [] and moved_letters(dialog) == []
    letters = {
        label.buddy().accessibleName(): mnemonic(label.text()) for label in dialog.findChildren(QLabel) if label.buddy()
    }
    assert "A" not in letters.values() and len(set(letters.values())) == len(fields)

    open_only = dialog.controls["open_only"]
    assert isinstance(open_only, QCheckBox)
    press_alt(qtbot, dialog, Qt.Key(ord(letters["Open actions only"])))  # a label's letter clicks its box
    qtbot.waitUntil(open_only.isChecked)
    press_alt(qtbot, dialog, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.chosen() == {"open_only": "yes"}


def test_the_standard_ok_gets_its_letter_and_cancel_none(qtbot: QtBot) -> None:
    Button = QDialogButtonBox.StandardButton
    box = QDialogButtonBox(Button.Ok | Button.Cancel)
    qtbot.addWidget(box)
    letter_standard_buttons(box)
    assert box.button(Button.Ok).text() == "&OK"
    assert mnemonic(box.button(Button.Cancel).text()) is None

"""A Chair's review of the Section 11 area, each test a defect met driving it by keyboard: typing on opening a
dialog that went to OK, Alt+Left dead after a dialog, a letter preview taller than the screen with no Print,
letter boxes without Alt keys, a "saved" that saved nothing, an error left after it was put right."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.store.workspace import Workspace
from tests.helpers.areas import area_page
from tests.helpers.section11 import chair_workspace, police_cycle
from ui.areas.section11 import Section11Page
from ui.section11.dialogs import (
    AddAgenciesDialog,
    AgreeActionDialog,
    BookInterviewDialog,
    LetterheadDialog,
    LineDialog,
    NewCycleDialog,
    ParticipantDialog,
)

pytestmark = pytest.mark.gui
CTRL, SHIFT, ALT = (
    Qt.KeyboardModifier.ControlModifier,
    Qt.KeyboardModifier.ShiftModifier,
    Qt.KeyboardModifier.AltModifier,
)


@pytest.fixture
def police_workspace(tmp_path: Path) -> Iterator[Workspace]:
    """The Chair's workspace with "S11 2026", the Police alone taking part and no interview booked."""
    workspace = chair_workspace(tmp_path / "s11", "Chair", [("Northbridge Police", "Police", "Police")])
    with workspace.unit_of_work() as uow:
        police_cycle(uow)
    yield workspace
    if not workspace.is_locked:
        workspace.lock()


def _police_page(qtbot: QtBot, workspace: Workspace) -> Section11Page:
    page = area_page(qtbot, workspace, Section11Page, size=(1200, 760), active=True)[0]
    page.cycles.selectRow(0)
    page.agencies.setFocus()
    page.agencies.selectRow(0)
    return page


def _typed(qtbot: QtBot, *keys: str | Qt.Key) -> None:
    """Type into whatever has the focus, as a user types without looking where the cursor is."""
    for key in keys:
        target = QApplication.focusWidget()
        assert target is not None
        if isinstance(key, str):
            qtbot.keyClicks(target, key)
        else:
            qtbot.keyClick(target, key)


def test_typing_on_opening_the_booking_dialog_lands_in_date_then_time(
    qtbot: QtBot, police_workspace: Workspace
) -> None:
    """Ctrl+Shift+B, then "10/12/2026", Tab, "10:00" at once: the focus was on OK, the date and time were lost
    and every later field landed one box off."""
    page = _police_page(qtbot, police_workspace)
    qtbot.keyClick(page.agencies, Qt.Key.Key_B, CTRL | SHIFT)
    dialog = page.dialog
    assert isinstance(dialog, BookInterviewDialog)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    _typed(qtbot, "10/12/2026", Qt.Key.Key_Tab, "10:00", Qt.Key.Key_Tab, "HQ")
    assert (dialog.on.text(), dialog.start_time.text(), dialog.place.text()) == ("10/12/2026", "10:00", "HQ")
    dialog.reject()


def _editable(widget: QWidget | None) -> bool:
    """A control that takes typing or a choice: not a button, not read-only."""
    if widget is None or isinstance(widget, QAbstractButton):
        return False
    if isinstance(widget, (QLineEdit, QPlainTextEdit, QTextEdit)):
        return not widget.isReadOnly()
    return isinstance(widget, (QComboBox, QAbstractSpinBox, QAbstractItemView))


def _section11_dialogs() -> dict[str, Callable[[Any], QDialog]]:
    from app.section11.letters import DEFAULT_SETTINGS
    from ui.section11.frameworks import CopyDialog

    return {
        "new cycle": lambda _ws: NewCycleDialog(None, [("Classic", "classic")], [("0-3", "s")], [("Police", "p")]),
        "book interview": lambda _ws: BookInterviewDialog(None, "Police"),
        "line of enquiry": lambda _ws: LineDialog(None, [("1 Leadership", "x")]),
        "agree action": lambda _ws: AgreeActionDialog(None, "Police", "Line 1: supervision"),
        "participant": lambda _ws: ParticipantDialog(None, "Police", [("Sent", "sent")], "sent", "Police"),
        "add agencies": lambda _ws: AddAgenciesDialog(None, [("Police", "p")]),
        "letterhead": lambda _ws: LetterheadDialog(None, DEFAULT_SETTINGS),
        "copy framework": lambda _ws: CopyDialog(None, "Classic"),
    }


def _other_dialogs() -> dict[str, Callable[[Any], QDialog]]:
    from app.meetings.service import FilterField
    from ui.actions.form import ActionFormDialog
    from ui.actions.quick_dialogs import ProgressEntryDialog
    from ui.dialogs.agency import AgencyDialog
    from ui.dialogs.change_passphrase import ChangePassphraseDialog
    from ui.dialogs.create_workspace import CreateWorkspaceDialog
    from ui.dialogs.preferences import PreferencesDialog
    from ui.dialogs.unlock import UnlockDialog
    from ui.meetings.report_filters import ReportFiltersDialog
    from ui.reviews.register import NewReviewDialog

    return {
        "action form": lambda ws: ActionFormDialog(None, ws),
        "progress entry": lambda _ws: ProgressEntryDialog(None, "ACT-1", "An action"),
        "agency": lambda _ws: AgencyDialog(lambda *_a: False),
        "change passphrase": lambda ws: ChangePassphraseDialog(ws),
        "create workspace": lambda _ws: CreateWorkspaceDialog(),
        "preferences": lambda _ws: PreferencesDialog(),
        "unlock": lambda ws: UnlockDialog(ws.path),
        "report filters": lambda _ws: ReportFiltersDialog("Section 11", [FilterField("cycle", "Cycle", None)]),
        "new review": lambda ws: NewReviewDialog(None, ws),
    }


def _opens_in_a_field(qtbot: QtBot, dialog: QDialog) -> QWidget | None:
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog.focusWidget()


@pytest.mark.parametrize("name", list(_section11_dialogs()))
def test_every_section11_form_dialog_opens_in_its_first_field(
    qtbot: QtBot, police_workspace: Workspace, name: str
) -> None:
    """Each form of the area opens with the cursor in its first field, not on OK (where typing was lost)."""
    dialog = _section11_dialogs()[name](police_workspace)
    focus = _opens_in_a_field(qtbot, dialog)
    assert _editable(focus), (
        f"{name} opens with the focus on {type(focus).__name__} {focus and focus.accessibleName()!r}"
    )
    assert focus is dialog.first_field()  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", list(_other_dialogs()))
def test_other_form_dialogs_open_in_an_editable_field(qtbot: QtBot, police_workspace: Workspace, name: str) -> None:
    dialog = _other_dialogs()[name](police_workspace)
    focus = _opens_in_a_field(qtbot, dialog)
    assert _editable(focus), (
        f"{name} opens with the focus on {type(focus).__name__} {focus and focus.accessibleName()!r}"
    )


def test_the_line_of_enquiry_refusal_goes_once_the_question_is_typed(qtbot: QtBot) -> None:
    """OK on an empty question says "Write the question to ask."; it stayed in red after the question was typed.
    Alt+Q takes the cursor to the Question box from the standard's list."""
    dialog = LineDialog(None, [("1 Leadership", "x")])
    _opens_in_a_field(qtbot, dialog)
    qtbot.keyClick(dialog.standard, Qt.Key.Key_Return)  # OK, the question still empty
    assert dialog.isVisible() and dialog.error.text() == "Write the question to ask."
    dialog.standard.setFocus()
    qtbot.keyClick(dialog.standard, Qt.Key.Key_Q, ALT)
    assert dialog.focusWidget() is dialog.prompt
    qtbot.keyClicks(dialog.prompt, "How do you know supervision changes practice?")
    assert dialog.error.text() == ""
    dialog.prompt.clear()  # emptied again: nothing says so until OK is pressed again
    qtbot.keyClick(dialog.standard, Qt.Key.Key_Return)
    assert dialog.error.text() == "Write the question to ask."

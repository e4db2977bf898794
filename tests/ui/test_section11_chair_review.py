"""A Chair's review of the Section 11 area, each test a defect met driving it by keyboard: typing on opening a
dialog that went to OK, Alt+Left dead after a dialog, a letter preview taller than the screen with no Print,
letter boxes without Alt keys, a "saved" that saved nothing, an error left after it was put right."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect, Qt
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
from tests.helpers.shell import unlocked_on
from tests.helpers.shortcut_audit import ALT, CTRL, SHIFT
from ui.areas.section11 import Section11Page
from ui.main_window import MainWindow
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
    return _police_page_saying(qtbot, workspace)[0]


def _police_page_saying(qtbot: QtBot, workspace: Workspace) -> tuple[Section11Page, list[str]]:
    """The page on the register, the Police selected; and what its status bar says from now on."""
    page, statuses = area_page(qtbot, workspace, Section11Page, size=(1200, 760), active=True)
    page.cycles.selectRow(0)
    page.agencies.setFocus()
    page.agencies.selectRow(0)
    return page, statuses


def _typed(qtbot: QtBot, *keys: str | Qt.Key | tuple[Qt.Key, Qt.KeyboardModifier]) -> None:
    """Type into whatever has the focus, as a user types without looking where the cursor is."""
    for key in keys:
        target = QApplication.focusWidget()
        assert target is not None
        if isinstance(key, str):
            qtbot.keyClicks(target, key)
        elif isinstance(key, tuple):
            qtbot.keyClick(target, *key)
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


def _agency_view(qtbot: QtBot, page: Section11Page) -> Any:
    qtbot.keyClick(page.agencies, Qt.Key.Key_Return)
    view = page.agency_view
    assert view is not None and view.isVisible()
    return view


def test_alt_left_goes_back_to_the_register_after_the_booking_dialog_is_closed(
    qtbot: QtBot, window: MainWindow, police_workspace: Workspace
) -> None:
    """Enter on "Interview mode (F5)" with no interview booked asks to book first and opens the booking dialog;
    after Escape, Alt+Left no longer went back to the register: the focus was left outside the page."""
    page = unlocked_on(window, police_workspace, "section11")
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    page.cycles.selectRow(0)
    page.agencies.setFocus()
    page.agencies.selectRow(0)
    view = _agency_view(qtbot, page)
    interview = next(b for b in view.findChildren(QAbstractButton) if b.text() == "Interview mode (F5)")
    interview.setFocus()
    qtbot.keyClick(interview, Qt.Key.Key_Return)
    dialog = page.dialog
    assert isinstance(dialog, BookInterviewDialog)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    _typed(qtbot, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    window.activateWindow()  # what the window manager does when the dialog goes (offscreen has none)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    focus = QApplication.focusWidget()
    assert focus is not None and page.isAncestorOf(focus), f"focus left on {focus!r}"
    _typed(qtbot, (Qt.Key.Key_Left, ALT))
    assert page.agency_view is None or not page.agency_view.isVisible()


def test_ctrl_s_with_no_score_chosen_does_not_say_saved(qtbot: QtBot, police_workspace: Workspace) -> None:
    """Ctrl+S in moderation with the score left at "Not moderated" said "Moderation saved": nothing was."""
    page, statuses = _police_page_saying(qtbot, police_workspace)
    moderation = _agency_view(qtbot, page).moderation
    assert moderation.moderated.currentData() is None
    moderation.table.setFocus()
    qtbot.keyClick(moderation.table, Qt.Key.Key_S, CTRL)
    assert statuses[-1:] == ["Nothing to save: no score chosen"]
    assert "Moderation saved" not in statuses


def _demo_letter(qtbot: QtBot, workspace: Workspace) -> tuple[Section11Page, Any]:
    """Children's Social Care's agency view (opened by Enter) on its letter tab: the demo's draft."""
    page = area_page(qtbot, workspace, Section11Page, size=(1200, 760), active=True)[0]
    page.cycles.selectRow(0)
    row = next(n for n, r in enumerate(page.register_model.rows) if "Children's Social Care" in r.agency)
    page.agencies.setFocus()
    page.agencies.selectRow(row)
    view = _agency_view(qtbot, page)
    view.tabs.setCurrentWidget(view.letter)
    if view.letter.letter is None:
        view.letter.draft_button.click()
    assert view.letter.letter is not None and view.letter.letter.editable
    return page, view.letter


def test_the_letter_preview_fits_the_screen_and_prints(
    qtbot: QtBot, demo_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl+P on the letter: the preview was 760 px tall (a 768 px screen lost its buttons) and had no Print."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    from ui.section11 import letter as letter_ui

    _page, letter = _demo_letter(qtbot, demo_workspace)
    letter.boxes["closing"].setFocus()
    qtbot.keyClick(letter.boxes["closing"], Qt.Key.Key_P, CTRL)
    preview = letter.dialog
    assert isinstance(preview, letter_ui.PreviewDialog)
    qtbot.waitExposed(preview)
    screen: QRect = preview.screen().availableGeometry()
    assert preview.frameGeometry().height() <= screen.height() and preview.width() <= screen.width()

    out = tmp_path / "printed.pdf"

    def to_a_file(dialog: QPrintDialog) -> bool:  # the user picks "Print to file" and presses Print
        dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        dialog.printer().setOutputFileName(str(out))
        return True

    monkeypatch.setattr(letter_ui, "choose_printer", to_a_file)
    preview.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is preview)
    _typed(qtbot, (Qt.Key.Key_P, ALT))  # &Print…
    qtbot.waitUntil(lambda: "to the printer" in preview.status.text())
    assert out.read_bytes()[:5] == b"%PDF-" and "Sent " in preview.status.text()
    preview.close()


def test_the_letter_boxes_have_alt_keys_and_come_first_in_the_tab_order(
    qtbot: QtBot, demo_workspace: Workspace
) -> None:
    """The letter's text boxes had no Alt keys and sat about 8 Tabs after the button row."""
    _page, letter = _demo_letter(qtbot, demo_workspace)
    for key, box in (
        (Qt.Key.Key_S, "salutation"),
        (Qt.Key.Key_P, "opening"),
        (Qt.Key.Key_T, "strengths"),
        (Qt.Key.Key_C, "challenges"),
        (Qt.Key.Key_Q, "evidence"),
        (Qt.Key.Key_I, "actions"),
    ):
        _typed(qtbot, (key, ALT))
        assert QApplication.focusWidget() is letter.boxes[box], box
    letter.boxes["salutation"].setFocus()
    order = [QApplication.focusWidget()]
    for _ in range(7):
        _typed(qtbot, Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert order[:7] == list(letter.boxes.values())
    after = order[7]  # then the letter's buttons, the first one enabled
    assert isinstance(after, QAbstractButton) and letter.isAncestorOf(after), after and after.accessibleName()
    assert after.accessibleName() == "Save the letter's text"

"""The Section 11 area driven like the Chair and the QA panel drive it: by keyboard, on real encrypted workspaces.

A cycle is made, a standard moderated (the rationale rule refuses first), the
interview run in interview mode with every keystroke autosaved, the laptop
"dies" (the workspace is dropped without any save or close) and the typing is
there after reopening; the action agreed in the room is in the tracker.
"""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.actions.queries import list_actions
from app.agencies import add_agency
from app.section11.cycles import list_cycles
from app.section11.frameworks import standards_of
from app.section11.interview import interview_record
from app.section11.moderation import assessment_rows, record_self_assessment
from app.store.workspace import Workspace
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.ui.reviews_helpers import immediate_context
from ui.areas.section11 import Section11Page
from ui.section11.dialogs import AgreeActionDialog, BookInterviewDialog, NewCycleDialog
from ui.section11.interview import InterviewWindow

pytestmark = pytest.mark.gui
CTRL, SHIFT, ALT = (Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier,
                    Qt.KeyboardModifier.AltModifier)


@pytest.fixture
def s11_workspace(tmp_path: Path) -> Iterator[Workspace]:
    """An encrypted workspace with two agencies and nothing of Section 11 yet."""
    workspace = Workspace.create(tmp_path / "s11", PASSPHRASE, display_name="Dr Helen Marsh", role="Chair",
                                 agency="Independent", kdf_params=FAST_KDF)
    with workspace.unit_of_work() as uow:
        add_agency(uow, "Northbridge Police", "Police", "Police")
        add_agency(uow, "Northbridge Housing", "Housing", "Housing")
    yield workspace
    if not workspace.is_locked:
        workspace.lock()


def _page(qtbot: QtBot, workspace: Workspace) -> Section11Page:
    pages: list[Any] = []
    window = QWidget()
    qtbot.addWidget(window)
    context, _statuses = immediate_context(workspace, window, pages)
    page = Section11Page(context)
    pages.append(page)
    qtbot.addWidget(page)
    page.resize(1200, 760)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page)
    return page


def _focused(widget: QWidget) -> QWidget:
    focus = widget.focusWidget()
    assert focus is not None
    return focus


def _make_cycle(page: Section11Page, qtbot: QtBot) -> None:
    page.agencies.setFocus()
    qtbot.keyClick(page.agencies, Qt.Key.Key_N, CTRL | SHIFT)
    dialog = page.dialog
    assert isinstance(dialog, NewCycleDialog) and dialog.isVisible()
    dialog.name.selectAll()
    qtbot.keyClicks(dialog.name, "Section 11 audit 2026")
    dialog.period_start.selectAll()
    qtbot.keyClicks(dialog.period_start, "01/04/2026")
    dialog.period_end.selectAll()
    qtbot.keyClicks(dialog.period_end, "31/03/2027")
    dialog.return_due.selectAll()
    qtbot.keyClicks(dialog.return_due, "not a date")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert dialog.isVisible() and "return due date" in dialog.error.text()  # named, not lost
    dialog.return_due.selectAll()
    qtbot.keyClicks(dialog.return_due, "30/06/2026")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert not dialog.isVisible(), dialog.error.text()


def _returns_in(workspace: Workspace) -> None:
    """The agencies' self-assessments (as the return import would record them): Police rate themselves 3."""
    with workspace.unit_of_work() as uow:
        [cycle] = list_cycles(uow.session)
        from app.section11.cycles import participants
        for participant in participants(uow.session, cycle.uuid):
            for standard in standards_of(uow.session, cycle.framework_uuid):
                record_self_assessment(uow, participant.uuid, standard.uuid, score=3,
                                       evidence=f"Evidence for standard {standard.number}")


def test_cycle_moderation_interview_autosave_crash_and_action(qtbot: QtBot, s11_workspace: Workspace) -> None:
    page = _page(qtbot, s11_workspace)
    _make_cycle(page, qtbot)
    assert [c.name for c in page.cycle_model.rows] == ["Section 11 audit 2026"]
    assert [r.status_label for r in page.register_model.rows] == ["Not sent", "Not sent"]
    # the status is in words in the cell, and Ctrl+Shift+S moves the selected agency on
    page.agencies.setFocus()
    page.agencies.selectRow(1)  # Police, by name
    police = page.register_model.row_at(1)
    assert police.agency == "Northbridge Police"
    qtbot.keyClick(page.agencies, Qt.Key.Key_S, CTRL | SHIFT)
    assert page.register_model.row_at(1).status_label == "Sent"
    assert page.register_model.data(page.register_model.index(1, page.register_model.STATUS)) == "Sent"
    _returns_in(s11_workspace)
    page.reload()

    # -- moderation: a lower score needs the panel's rationale ---------------------------------
    page.agencies.selectRow(1)
    qtbot.keyClick(page.agencies, Qt.Key.Key_Return)
    view = page.agency_view
    assert view is not None and view.participant_uuid == police.participant_uuid
    moderation = view.moderation
    moderation.table.setFocus()
    qtbot.keyClick(moderation.table, Qt.Key.Key_Down)  # standard 2
    assert moderation.heading.text().startswith("Standard 2")
    moderation.moderated.setFocus()
    qtbot.keyClicks(moderation.moderated, "1")  # keyboard search picks "1 - ..."
    assert moderation.moderated.currentData() == 1
    assert moderation.error.text().startswith("Rationale required")
    qtbot.keyClick(moderation.moderated, Qt.Key.Key_S, CTRL)
    with s11_workspace.reading() as session:
        assert assessment_rows(session, police.participant_uuid)[1].moderated_score is None  # refused: nothing saved
    moderation.rationale.setFocus()
    qtbot.keyClicks(moderation.rationale, "No supervision audit was offered")
    assert moderation.error.text() == ""
    qtbot.keyClick(moderation.rationale, Qt.Key.Key_S, CTRL)
    with s11_workspace.reading() as session:
        row = assessment_rows(session, police.participant_uuid)[1]
    assert (row.self_score, row.moderated_score, row.rationale) == (3, 1, "No supervision audit was offered")
    assert moderation.model.row_at(1).moderated_text.startswith("1")  # both stay visible in the table
    assert moderation.model.row_at(1).self_text.startswith("3")

    # -- lines of enquiry: suggested, added, reordered by keyboard -------------------------------
    view.tabs.setCurrentWidget(view.lines)
    lines = view.lines
    lines.list.setFocus()
    qtbot.keyClick(lines.list, Qt.Key.Key_G, CTRL | SHIFT)
    assert len(lines.lines) == 1 and lines.lines[0].reason == "over_rated"
    qtbot.keyClick(lines.list, Qt.Key.Key_Insert)
    line_dialog = lines.dialog
    qtbot.keyClicks(line_dialog.prompt, "Who chairs the safeguarding board and how often does it meet?")
    line_dialog.buttons.accepted.emit()
    assert [l.reason for l in lines.lines] == ["over_rated", "chair"]
    assert lines.list.currentRow() == 1
    qtbot.keyClick(lines.list, Qt.Key.Key_Up, ALT)
    assert [l.reason for l in lines.lines] == ["chair", "over_rated"]
    qtbot.keyClick(lines.list, Qt.Key.Key_Down, CTRL)
    assert [l.reason for l in lines.lines] == ["over_rated", "chair"]

    # -- booking, then interview mode --------------------------------------------------------
    qtbot.keyClick(lines.list, Qt.Key.Key_B, CTRL | SHIFT)
    booking = page.dialog
    assert isinstance(booking, BookInterviewDialog)
    qtbot.keyClicks(booking.on, (date.today() + timedelta(days=1)).strftime("%d/%m/%Y"))
    qtbot.keyClicks(booking.start_time, "10:00")
    qtbot.keyClicks(booking.attendees, "Dr Helen Marsh, Independent Chair, chair")
    qtbot.keyClick(booking.attendees, Qt.Key.Key_Return)  # a new line in the attendees box
    qtbot.keyClicks(booking.attendees, "Chief Superintendent, Board lead")
    qtbot.keyClick(booking.on, Qt.Key.Key_Return)
    assert not booking.isVisible(), booking.error.text()
    qtbot.keyClick(lines.list, Qt.Key.Key_F5)
    window = page.interview
    assert isinstance(window, InterviewWindow) and window.isVisible()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    assert window.position == 0 and window.line_heading.text().startswith("Standard 2")
    assert "Self: 3" in window.self_chip.text() and "Moderated: 1" in window.moderated_chip.text()
    assert "Housing" not in " ".join(label.text() for label in window.findChildren(type(window.title)))
    assert window.question.hasFocus()
    qtbot.keyClicks(window.question, "Show us the supervision audit")
    qtbot.waitUntil(lambda: not window.pending, timeout=3000)  # kept half a second after the typing pauses
    qtbot.keyClick(window.question, Qt.Key.Key_PageDown)  # PageDown works inside a text field
    assert window.position == 1 and window.line_heading.text() == "General line of enquiry"
    qtbot.keyClick(window.question, Qt.Key.Key_PageUp)
    assert window.position == 0 and window.question.toPlainText() == "Show us the supervision audit"
    window.nav.setFocus()
    qtbot.keyClick(window.nav, Qt.Key.Key_Right, CTRL)
    assert window.position == 1
    qtbot.keyClick(window.nav, Qt.Key.Key_Left, CTRL)
    assert window.position == 0

    # an action agreed in the room goes into the tracker, linked to this line
    window.answer.setFocus()
    qtbot.keyClick(window.answer, Qt.Key.Key_A, CTRL | SHIFT)
    agree = window.dialog
    assert isinstance(agree, AgreeActionDialog) and "Standard 2" in agree.about.text()
    qtbot.keyClicks(agree.title_edit, "Audit supervision records for cases with children")
    qtbot.keyClick(agree.title_edit, Qt.Key.Key_Return)
    assert not agree.isVisible(), agree.error.text()
    with s11_workspace.reading() as session:
        tracked = [a for a in list_actions(session) if a.title.startswith("Audit supervision")]
    assert len(tracked) == 1 and tracked[0].source_uuid == window.record.lines[0].uuid
    assert tracked[0].agency == "Police"  # the tracker shows the short name
    assert "Audit supervision records" in window.line_actions.text()
    assert [a.title for a in window.actions_model.rows] == ["Audit supervision records for cases with children"]

    # -- the laptop dies mid-sentence: nothing closes, nothing is committed --------------------
    window.answer.setFocus()
    qtbot.keyClicks(window.answer, "We audit twelve files a quarter")
    qtbot.waitUntil(lambda: not window.pending, timeout=3000)
    line_uuid = window.record.lines[0].uuid
    s11_workspace.lock()  # no flush, no commit, no close: as if the power went
    window._closing = True  # noqa: SLF001 - the dead laptop will not run its close handler either
    reopened = Workspace.open(s11_workspace.path, PASSPHRASE)
    try:
        with reopened.reading() as session:
            record = interview_record(session, police.participant_uuid)
        assert record is not None
        shown = next(l for l in record.lines if l.uuid == line_uuid)
        assert shown.answer == "We audit twelve files a quarter"
        assert shown.question_asked == "Show us the supervision audit"
        assert {a.name for a in record.attendees} == {"Dr Helen Marsh", "Chief Superintendent"}
    finally:
        reopened.lock()

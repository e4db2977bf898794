"""Who attends a Section 11 interview, edited as a small table by keyboard: in the booking dialog and in
interview mode, on real encrypted workspaces.

The Chair adds a row (Insert), types a name, Tabs to the role, chooses a kind from its readable labels,
removes a row (Delete), moves one (Ctrl+Up / Ctrl+Down) and books: the stored interview has exactly
those attendees. A row without a name, or a name over its field limit, is named by row and field, marked
on its cell (a sign, not only a colour) and nothing is written. In interview mode every edit is kept: what
the record can take is saved as typed, what it cannot yet (a row with no name) survives Ctrl+L as a draft
and is offered back after unlocking.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from app.section11.cycles import get_participant
from app.section11.interview import interview_record
from app.store.workspace import Workspace
from tests.helpers.areas import area_page
from tests.helpers.drafts import section11_with, unlock_back_to
from tests.helpers.section11 import chair_workspace, police_cycle
from tests.helpers.shortcut_audit import CTRL
from ui.areas.section11 import Section11Page
from ui.kit.row_editor import PROBLEM_SIGN
from ui.main_window import MainWindow
from ui.section11.attendees import AttendeesEditor
from ui.section11.dialogs import BookInterviewDialog
from ui.section11.interview import InterviewWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def police(tmp_path: Path) -> Iterator[tuple[Workspace, str]]:
    """A workspace of the Chair's with the Police in a cycle; the Police named their senior lead."""
    workspace = chair_workspace(tmp_path / "s11", "Independent Chair", [("Northbridge Police", "Police", "Police")])
    with workspace.unit_of_work() as uow:
        _cycle, participant = police_cycle(uow)
        uow.update(get_participant(uow.session, participant), contact_name="Supt Ray Cole")
    yield workspace, participant
    if not workspace.is_locked:
        workspace.lock()


def _focused() -> QWidget:
    focus = QApplication.focusWidget()
    assert focus is not None
    return focus


def _booking(qtbot: QtBot, workspace: Workspace) -> tuple[Section11Page, BookInterviewDialog]:
    page = area_page(qtbot, workspace, Section11Page, size=(1280, 800), active=True)[0]
    page.cycles.selectRow(0)
    page.agencies.setFocus()
    page.agencies.selectRow(0)
    qtbot.keyClick(page.agencies, Qt.Key.Key_B, CTRL | Qt.KeyboardModifier.ShiftModifier)
    dialog = page.dialog
    assert isinstance(dialog, BookInterviewDialog) and dialog.isVisible()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.keyClicks(dialog.on, "14/05/2026")
    return page, dialog


def _enter(qtbot: QtBot) -> None:
    """Enter in a cell being edited: kept, and the cell closes (the delegate closes it a moment later)."""
    editing = _focused()
    qtbot.keyClick(editing, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not editing)


def _add(qtbot: QtBot, editor: AttendeesEditor, name: str, role: str, kind_steps: int = 0) -> None:
    """Insert, type the name, Tab, type the role, Tab to the kind and step down its list, Enter."""
    editor.table.setFocus()
    qtbot.keyClick(editor.table, Qt.Key.Key_Insert)
    assert isinstance(_focused(), QLineEdit) and _focused().accessibleName().startswith("Name, row")
    qtbot.keyClicks(_focused(), name)
    qtbot.keyClick(_focused(), Qt.Key.Key_Tab)
    assert _focused().accessibleName().startswith("Role, row")
    qtbot.keyClicks(_focused(), role)
    qtbot.keyClick(_focused(), Qt.Key.Key_Tab)
    kind = _focused()
    assert isinstance(kind, QComboBox) and kind.accessibleName().startswith("Kind, row")
    assert kind.currentText() == "Agency representative"  # the labels a Chair reads, not the stored keys
    for _ in range(kind_steps):
        qtbot.keyClick(kind, Qt.Key.Key_Down)
    _enter(qtbot)
    assert _focused() is editor.table


def _stored(workspace: Workspace, participant: str) -> list[tuple[str, str, str]]:
    with workspace.reading() as session:
        record = interview_record(session, participant)
    return [] if record is None else [(a.name, a.role, a.kind) for a in record.attendees]


Booking = tuple[Workspace, str, BookInterviewDialog, AttendeesEditor]


@pytest.fixture
def booking(qtbot: QtBot, police: tuple[Workspace, str]) -> Booking:
    """The Police's booking dialog open (by Ctrl+Shift+B), active, its date typed; and its attendees."""
    workspace, participant = police
    _page, dialog = _booking(qtbot, workspace)
    return workspace, participant, dialog, dialog.attendees


def test_tab_from_place_and_alt_a_reach_the_attendees_never_ok(qtbot: QtBot, booking: Booking) -> None:
    """In the real window Tab from Place went to OK (the editor was made before the fields), and the next
    word typed pressed it with its space: the interview was booked half filled in."""
    _workspace, _participant, dialog, editor = booking
    dialog.place.setFocus()
    qtbot.keyClick(dialog.place, Qt.Key.Key_Tab)
    assert _focused() is editor.table
    dialog.on.setFocus()
    qtbot.keyClick(dialog.on, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    assert _focused() is editor.table
    assert dialog.isVisible()
    qtbot.keyClick(editor.table, Qt.Key.Key_Return, CTRL)  # Enter edits a cell there; Ctrl+Enter is OK
    assert not dialog.isVisible() and dialog.values["on"].isoformat() == "2026-05-14"


def test_attendees_added_chosen_removed_and_moved_by_keyboard_are_booked(qtbot: QtBot, booking: Booking) -> None:
    workspace, participant, dialog, editor = booking
    # proposed: the Chair (the member booking says so in their role) and the lead the agency named
    assert editor.rows() == [
        {"name": "Dr Helen Marsh", "role": "Independent Chair", "kind": "chair"},
        {"name": "Supt Ray Cole", "role": "Senior lead", "kind": "agency"},
    ]
    assert editor.model.data(editor.model.index(0, 2)) == "Chair"
    editor.table.setFocus()
    qtbot.keyClick(editor.table, Qt.Key.Key_Down)  # to the agency's lead: new rows go below it
    _add(qtbot, editor, "Priya Nair", "QA panel member", kind_steps=2)  # agency, chair, panel
    _add(qtbot, editor, "Press officer", "Comms", kind_steps=3)
    assert [r["name"] for r in editor.rows()] == ["Dr Helen Marsh", "Supt Ray Cole", "Priya Nair", "Press officer"]
    assert editor.rows()[2]["kind"] == "panel" and editor.rows()[3]["kind"] == "other"
    # the press officer is not coming after all: Delete on the row
    assert editor.table.currentIndex().row() == 3
    qtbot.keyClick(editor.table, Qt.Key.Key_Delete)
    assert [r["name"] for r in editor.rows()] == ["Dr Helen Marsh", "Supt Ray Cole", "Priya Nair"]
    # the panel member sits with the Chair: Ctrl+Up moves her row, and she stays the current row
    assert editor.table.currentIndex().row() == 2
    qtbot.keyClick(editor.table, Qt.Key.Key_Up, CTRL)
    assert editor.table.currentIndex().row() == 1
    assert [r["name"] for r in editor.rows()] == ["Dr Helen Marsh", "Priya Nair", "Supt Ray Cole"]
    qtbot.keyClick(editor.table, Qt.Key.Key_Down, CTRL)
    qtbot.keyClick(editor.table, Qt.Key.Key_Up, CTRL)
    # F2 edits a cell in place; Enter keeps it (and does not book)
    qtbot.keyClick(editor.table, Qt.Key.Key_Home)  # the row's first cell, then its role
    qtbot.keyClick(editor.table, Qt.Key.Key_Right)
    qtbot.keyClick(editor.table, Qt.Key.Key_F2)
    qtbot.keyClick(_focused(), Qt.Key.Key_End)  # F2 selects the text: keep it, add to it
    qtbot.keyClicks(_focused(), " (Health)")
    _enter(qtbot)
    assert dialog.isVisible() and editor.rows()[1]["role"] == "QA panel member (Health)"
    assert _stored(workspace, participant) == []
    qtbot.keyClick(dialog.on, Qt.Key.Key_Return)  # book
    assert not dialog.isVisible(), dialog.error.text()
    assert _stored(workspace, participant) == [
        ("Dr Helen Marsh", "Independent Chair", "chair"),
        ("Priya Nair", "QA panel member (Health)", "panel"),
        ("Supt Ray Cole", "Senior lead", "agency"),
    ]


def test_a_row_without_a_name_is_named_marked_and_nothing_is_booked(qtbot: QtBot, booking: Booking) -> None:
    workspace, participant, dialog, editor = booking
    editor.table.setFocus()
    qtbot.keyClick(editor.table, Qt.Key.Key_End, CTRL)  # the last row: new rows go below it
    qtbot.keyClick(editor.table, Qt.Key.Key_Insert)
    qtbot.keyClick(_focused(), Qt.Key.Key_Tab)  # no name: straight to the role
    qtbot.keyClicks(_focused(), "Designated nurse")
    _enter(qtbot)
    qtbot.keyClick(dialog.on, Qt.Key.Key_Return)
    message = "Attendees, row 3: the name is empty; type who attends or remove the row."
    assert dialog.isVisible() and dialog.error.text() == message
    assert editor.error.isHidden()  # said once, by the dialog
    # the row says so in words and a sign, not only in colour; the focus is on the empty name
    assert editor.model.headerData(2, Qt.Orientation.Vertical) == f"3 {PROBLEM_SIGN}"
    assert editor.model.data(editor.model.index(2, 0)) == PROBLEM_SIGN + " "
    assert editor.model.data(editor.model.index(2, 0), Qt.ItemDataRole.ToolTipRole) == message
    assert editor.table.hasFocus() and (editor.table.currentIndex().row(), editor.table.currentIndex().column()) == (
        2,
        0,
    )
    assert _stored(workspace, participant) == []  # nothing booked
    qtbot.keyClicks(editor.table, "D")  # typing on the cell starts editing it, with that letter
    qtbot.keyClicks(_focused(), "r Amy Shah")
    _enter(qtbot)
    assert editor.model.headerData(2, Qt.Orientation.Vertical) == "3"  # the mark goes with the edit
    # a name over the field limit (app/records/limits.py) is refused the same way
    qtbot.keyClick(editor.table, Qt.Key.Key_Home, CTRL)
    qtbot.keyClick(editor.table, Qt.Key.Key_F2)
    qtbot.keyClicks(_focused(), "x" * 201)  # over the name's 200 characters
    _enter(qtbot)
    qtbot.keyClick(dialog.on, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.error.text() == "Attendees, row 1: the name is 201 characters long; at most 200 are allowed."
    assert _stored(workspace, participant) == []
    qtbot.keyClick(editor.table, Qt.Key.Key_Delete)  # the Chair will be there anyway: the row goes
    qtbot.keyClick(dialog.on, Qt.Key.Key_Return)
    assert not dialog.isVisible(), dialog.error.text()
    assert _stored(workspace, participant) == [
        ("Supt Ray Cole", "Senior lead", "agency"),
        ("Dr Amy Shah", "Designated nurse", "agency"),
    ]


def test_every_control_of_the_editor_has_a_name_and_tab_leaves_it(
    qtbot: QtBot, qtmodeltester: Any, booking: Booking
) -> None:
    _workspace, _participant, _dialog, editor = booking
    qtmodeltester.check(editor.model, force_py=True)
    for widget in [editor, editor.table, *editor.findChildren(QWidget)]:
        if widget.isVisible() and widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
            assert widget.accessibleName(), widget
    assert "Insert adds" in editor.table.accessibleDescription()
    # Tab along a row's cells and, after its last, out of the table: no keyboard trap
    editor.table.setFocus()
    qtbot.keyClick(editor.table, Qt.Key.Key_F2)
    qtbot.keyClick(_focused(), Qt.Key.Key_Tab)
    qtbot.keyClick(_focused(), Qt.Key.Key_Tab)
    assert isinstance(_focused(), QComboBox)
    qtbot.keyClick(_focused(), Qt.Key.Key_Tab)
    assert _focused() is editor.add_button


def test_an_attendee_being_booked_comes_back_after_the_lock(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace
) -> None:
    page = section11_with(window, demo_workspace, "Police")
    participant = page.participant_uuid() or ""
    page.book_selected()
    dialog = page.dialog
    assert isinstance(dialog, BookInterviewDialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    # the demo's Chair is the letters' signatory (the member booking is the coordinator)
    assert dialog.attendees.rows()[0] == {
        "name": "Dr Helen Marsh",
        "role": "Independent Chair and Scrutineer",
        "kind": "chair",
    }
    editor = dialog.attendees
    editor.table.setFocus()
    qtbot.keyClick(editor.table, Qt.Key.Key_End, CTRL)  # the last row: new rows go below it
    qtbot.keyClick(editor.table, Qt.Key.Key_Insert)
    qtbot.keyClicks(_focused(), "Chief Inspector Dee")  # still being typed in the cell at the lock
    qtbot.keyClick(_focused(), Qt.Key.Key_L, CTRL)
    assert window.workspace is None
    assert "Unsaved edits in 1 form were kept" in window.lock_screen.detail.text()

    page = unlock_back_to(qtbot, window, "section11")
    dialog = page.dialog
    assert isinstance(dialog, BookInterviewDialog) and dialog.isVisible()
    assert dialog.attendees.rows()[-1] == {"name": "Chief Inspector Dee", "role": "", "kind": "agency"}
    assert dialog.focusWidget() is dialog.attendees.table  # back where the typing was
    assert _stored(window.workspace, participant) == []
    dialog.reject()


def _summary(
    qtbot: QtBot, window: MainWindow, workspace: Workspace, agency: str = "Children's Social Care"
) -> tuple[Any, InterviewWindow, str]:
    """Interview mode for the agency, on its last page (attendees, notes and actions), active."""
    page = section11_with(window, workspace, agency)
    participant = page.participant_uuid() or ""
    interview = page.open_interview(participant)
    assert interview is not None
    interview.go(interview.line_count)  # the last page: attendees, notes and actions
    interview.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is interview)
    return page, interview, participant


def test_attendees_edited_in_interview_mode_are_kept_and_survive_the_lock(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace
) -> None:
    _page, interview, participant = _summary(qtbot, window, demo_workspace)
    editor = interview.attendees
    before = _stored(demo_workspace, participant)
    assert [r["name"] for r in editor.rows()] == [name for name, _role, _kind in before]
    # a new attendee typed in the room is kept as it is typed (half a second after the typing pauses)
    editor.table.setFocus()
    qtbot.keyClick(editor.table, Qt.Key.Key_End, CTRL)
    qtbot.keyClick(editor.table, Qt.Key.Key_Insert)
    qtbot.keyClicks(_focused(), "Sgt Lee Moss")
    qtbot.waitUntil(lambda: interview.pending_attendees is None, timeout=3000)
    assert _stored(demo_workspace, participant)[-1] == ("Sgt Lee Moss", "", "agency")
    _enter(qtbot)
    # moved up a row by keyboard: kept too
    qtbot.keyClick(editor.table, Qt.Key.Key_Up, CTRL)
    qtbot.waitUntil(lambda: interview.pending_attendees is None, timeout=3000)
    assert _stored(demo_workspace, participant)[-2] == ("Sgt Lee Moss", "", "agency")
    # a row the record cannot take yet (no name): said, not saved, and kept across Ctrl+L
    qtbot.keyClick(editor.table, Qt.Key.Key_End, CTRL)
    qtbot.keyClick(editor.table, Qt.Key.Key_Insert)
    qtbot.keyClick(_focused(), Qt.Key.Key_Tab)
    qtbot.keyClicks(_focused(), "Observer")
    qtbot.waitUntil(lambda: editor.error.text() != "", timeout=3000)
    row = len(before) + 2
    assert (
        editor.error.text()
        == f"Not saved yet: Attendees, row {row}: the name is empty; type who attends or remove the row."
    )
    assert interview.pending_attendees is not None
    kept = _stored(demo_workspace, participant)
    assert len(kept) == len(before) + 1 and "Observer" not in {role for _n, role, _k in kept}
    qtbot.keyClick(_focused(), Qt.Key.Key_L, CTRL)
    assert window.workspace is None

    interview = unlock_back_to(qtbot, window, "section11").interview
    assert isinstance(interview, InterviewWindow) and interview.participant_uuid == participant
    assert interview.position == interview.line_count  # back on the attendees page
    editor = interview.attendees
    assert editor.rows()[-1] == {"name": "", "role": "Observer", "kind": "agency"}
    assert editor.rows()[-3]["name"] == "Sgt Lee Moss"
    assert editor.error.text().startswith(f"Not saved yet: Attendees, row {row}: the name is empty")
    assert editor.model.headerData(row - 1, Qt.Orientation.Vertical) == f"{row} {PROBLEM_SIGN}"
    assert interview.focusWidget() is editor.table
    # naming the observer saves the row
    editor.table.setCurrentIndex(editor.model.index(row - 1, 0))
    qtbot.keyClicks(editor.table, "J")
    qtbot.keyClicks(_focused(), "o Park")
    qtbot.waitUntil(lambda: interview.pending_attendees is None, timeout=3000)
    assert _stored(window.workspace, participant)[-1] == ("Jo Park", "Observer", "agency")
    assert editor.error.text() == ""
    # PageUp works in a cell being edited too, as everywhere in interview mode
    qtbot.keyClick(editor.table, Qt.Key.Key_F2)
    qtbot.keyClick(_focused(), Qt.Key.Key_PageUp)
    assert interview.position == interview.line_count - 1
    interview.close()


def test_the_letter_greets_the_agency_lead_the_chair_put_first(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace
) -> None:
    """With no contact named, the letter greets the first agency representative: the order in the table."""
    from app.section11 import letters

    _page, interview, participant = _summary(qtbot, window, demo_workspace, "Health Visiting")
    with demo_workspace.reading() as session:
        assert letters.generated_sections(session, participant)["salutation"] == "Dear Mrs Pryce,"
    editor = interview.attendees
    _add(qtbot, editor, "Mr Tom Baker", "Head of Health Visiting")  # below the first row: the Chair
    assert [r["name"] for r in editor.rows()][:3] == ["Dr Helen Marsh", "Mr Tom Baker", "Mrs Joanne Pryce"]
    qtbot.waitUntil(lambda: interview.pending_attendees is None, timeout=3000)
    with demo_workspace.reading() as session:
        assert letters.generated_sections(session, participant)["salutation"] == "Dear Mr Baker,"
    qtbot.keyClick(editor.table, Qt.Key.Key_Down, CTRL)  # Mrs Pryce leads after all
    qtbot.waitUntil(lambda: interview.pending_attendees is None, timeout=3000)
    with demo_workspace.reading() as session:
        assert letters.generated_sections(session, participant)["salutation"] == "Dear Mrs Pryce,"
    interview.close()


def _cut_roles(editor: AttendeesEditor) -> list[str]:
    """The attendees' roles (and names) a cell shows cut short: wider than their column, margins included."""
    table, model = editor.table, editor.model
    metrics = table.fontMetrics()
    cut = []
    for row in range(model.rowCount()):
        for column in (0, 1):
            text = str(model.data(model.index(row, column)) or "")
            if metrics.horizontalAdvance(text) + 8 > table.columnWidth(column):
                cut.append(f"{text!r} in {table.columnWidth(column)} px")
    return cut


def test_every_role_and_name_is_shown_whole_in_interview_mode_at_1280_pixels(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace
) -> None:
    """At 1280 x 800 the Role column showed "Head of Quality Assurance (Section ..." beside a Name column three
    times wider than its names: the columns split the room equally, whatever they held."""
    _page, interview, _participant = _summary(qtbot, window, demo_workspace)
    interview.showNormal()
    interview.resize(1280, 800)
    qtbot.waitUntil(lambda: interview.width() == 1280)
    editor = interview.attendees
    qtbot.waitUntil(lambda: editor.table.viewport().width() > 0)
    roles = [r["role"] for r in editor.rows()]
    assert any(len(role) > 40 for role in roles), roles  # the demo's long role is there
    assert _cut_roles(editor) == []
    # typed in the room: a longer role takes the room the names leave
    editor.model.setData(editor.model.index(1, 1), "Named Nurse for Safeguarding Children (Health)")
    assert _cut_roles(editor) == []
    interview.close()

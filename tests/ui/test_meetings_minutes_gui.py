"""Minutes as PDF… on a meeting with restricted items asks which minutes, by keyboard: every item (marked
restricted, for cleared members) or without the restricted items (the default), as the pack withholds."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from app.meetings import minutes, service
from app.meetings.demo import COMING_IN_DAYS
from app.store.workspace import Workspace
from tests.helpers.areas import area_page
from tests.helpers.meetings_pdf import page_texts
from ui.areas.meetings import MeetingsPage
from ui.kit import files

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot: QtBot, demo_workspace: Workspace) -> Iterator[MeetingsPage]:
    shown = area_page(qtbot, demo_workspace, MeetingsPage, size=(1280, 760))[0]
    yield shown
    shown.shutdown()


def _answer(qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier, asked: list[str]) -> None:
    """Presses `key` in the (blocking) question once it is shown, and keeps its text."""

    def press() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, press)
            return
        asked.append(box.text())
        if modifier == Qt.KeyboardModifier.AltModifier:  # the button that Alt+letter presses (offscreen, the
            # box is not the active window that Qt's shortcut map sends Alt keys to)
            wanted = f"Alt+{chr(key)}"
            [button] = [b for b in box.buttons() if b.shortcut().toString() == wanted]
            button.click()
        else:
            qtbot.keyClick(box, key, modifier)

    QTimer.singleShot(0, press)


def test_minutes_with_restricted_items_ask_which_and_enter_writes_them_without(
    qtbot: QtBot, page: MeetingsPage, demo_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with demo_workspace.reading() as session:
        uuid = service.find_meeting(session, f"QA-{date.today() + timedelta(days=COMING_IN_DAYS):%Y-%m-%d}").uuid
        [title] = [i.title for i in service.items(session, uuid) if i.restricted]
        assert minutes.restricted_item_numbers(session, uuid) == [6]
    page.meeting_list.setFocus()
    page.meeting_list.selectRow([row.uuid for row in page.meetings.rows].index(uuid))
    assert page.meeting_uuid == uuid
    targets = iter([tmp_path / "open.pdf", tmp_path / "all.pdf"])
    monkeypatch.setattr(files, "choose_save_file", lambda *_a: (str(next(targets)), ""))
    asked: list[str] = []

    _answer(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, asked)  # the default: without them
    page.export_minutes("pdf")
    opened = "\n".join(page_texts((tmp_path / "open.pdf").read_bytes()))
    assert "6. Restricted item: minutes to members only." in opened and title not in opened

    _answer(qtbot, Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier, asked)  # Every item
    page.export_minutes("pdf")
    every = "\n".join(page_texts((tmp_path / "all.pdf").read_bytes()))
    assert f"6. {title} (Restricted)" in every and "RESTRICTED: these minutes contain" in every

    _answer(qtbot, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier, asked)  # neither: nothing asked or written
    page.export_minutes("pdf")
    assert len(asked) == 3 and all("Item 6 of these minutes is restricted" in text for text in asked)
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".pdf") == ["all.pdf", "open.pdf"]


def _held_meeting(workspace: Workspace) -> str:
    """QA on 08/01/2026, its pack issued, with Jo present and Pat only invited; QA on 12/03/2026 to approve it."""
    with workspace.unit_of_work() as uow:
        held = service.add_meeting(uow, body="QA", meets_on=date(2026, 1, 8))
        uow.session.flush()
        service.add_item(uow, held.uuid, "Action log")
        for name in ("Jo Present", "Pat Invited"):
            service.add_member(uow, held.uuid, name)
        uow.session.flush()
        service.set_attendance(uow, service.find_member(uow.session, held.uuid, "Jo Present").uuid, "present")
        service.add_meeting(uow, body="QA", meets_on=date(2026, 3, 12))
        return held.uuid


def _attendance(workspace: Workspace, meeting: str) -> dict[str, str]:
    with workspace.reading() as session:
        return {m.name: m.attendance for m in service.members(session, meeting)}


@pytest.fixture
def held_page(qtbot: QtBot, workspace: Workspace) -> Iterator[tuple[MeetingsPage, str, list[str]]]:
    """The page on the held meeting's In the meeting tab, and its status-bar texts."""
    uuid = _held_meeting(workspace)
    shown, statuses = area_page(qtbot, workspace, MeetingsPage, size=(1280, 760), active=True)
    qtbot.waitExposed(shown)
    shown.meeting_list.setFocus()
    shown.meeting_list.selectRow([row.uuid for row in shown.meetings.rows].index(uuid))
    assert shown.meeting_uuid == uuid
    shown.show_tab(3)
    yield shown, uuid, statuses
    shown.shutdown()


def _alt(qtbot: QtBot, page: MeetingsPage, letter: str) -> None:
    """Alt+`letter` on the page; a button's Alt letter clicks it after its press is shown (animateClick)."""
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    qtbot.keyClick(QApplication.focusWidget() or page, Qt.Key(ord(letter)), Qt.KeyboardModifier.AltModifier)
    qtbot.wait(250)


def test_approving_asks_first_refuses_attendance_not_recorded_and_leaves_the_page_read_only(
    qtbot: QtBot,
    held_page: tuple[MeetingsPage, str, list[str]],
    workspace: Workspace,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The coordinator's trial: members only invited were in no list of the minutes, approval went through at
    one press with their attendance unknown, and approved minutes still offered every control (each refused)."""
    from ui.areas import meetings as area

    page, uuid, statuses = held_page
    told: list[str] = []
    monkeypatch.setattr(area, "show_info", lambda _parent, _title, text: told.append(text))
    _alt(qtbot, page, "K")  # Mark as held: Pat, still only invited, did not come
    qtbot.waitUntil(lambda: page.meeting_status == service.HELD)
    assert statuses[-1] == "QA-2026-01-08 marked as held; recorded absent (still only invited): Pat Invited."
    assert _attendance(workspace, uuid) == {"Jo Present": "present", "Pat Invited": "absent"}
    assert [(r.name, r.attendance) for r in page.members_model.rows] == [
        ("Jo Present", "present"),
        ("Pat Invited", "absent"),
    ]
    assert page.attendance_list.item(1).text() == "Pat Invited (absent)"
    with workspace.unit_of_work() as uow:  # set back to invited by hand (or by a member's bundle)
        service.set_attendance(uow, service.find_member(uow.session, uuid, "Pat Invited").uuid, "invited")
    page.reload()

    asked: list[str] = []
    _alt(qtbot, page, "V")
    assert QApplication.focusWidget() is page.approve_at
    qtbot.keyClicks(page.approve_at, "QA-2026-03-12")
    _alt(qtbot, page, "R")  # refused before any question, naming who
    assert told == [
        "The minutes of QA-2026-01-08 cannot be approved while the attendance of Pat Invited is not recorded "
        "(still only invited): record each as present, apologies or absent first."
    ]
    assert asked == []

    # unticked once held, a member is absent (no longer "invited", whom the minutes listed nowhere)
    page.attendance_list.setFocus()
    page.attendance_list.setCurrentRow(1)
    qtbot.keyClick(page.attendance_list, Qt.Key.Key_Space)
    qtbot.keyClick(page.attendance_list, Qt.Key.Key_Space)
    assert _attendance(workspace, uuid)["Pat Invited"] == "absent"

    _answer(qtbot, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier, asked)  # Cancel: nothing approved
    _alt(qtbot, page, "R")
    assert len(asked) == 1 and "Approve the minutes of QA-2026-01-08 at QA-2026-03-12?" in asked[0]
    assert "final" in asked[0]
    with workspace.reading() as session:
        assert service.get_meeting(session, uuid).status == service.HELD
    assert not page.frozen_label.isVisible()

    _answer(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier, asked)  # Approve
    _alt(qtbot, page, "R")
    with workspace.reading() as session:
        assert service.get_meeting(session, uuid).status == service.MINUTES_APPROVED
    assert len(asked) == 2 and told[1:] == []
    assert page.frozen_label.isVisible() and "Minutes approved" in page.frozen_label.text()
    assert "at QA-2026-03-12" in page.frozen_label.text() and "final" in page.frozen_label.text()
    off = [page.attendance_list, page.mark_held_button, page.approve_at, page.approve_button, page.save_notes_button]
    off += [page.action_title, page.action_owner, page.action_due]
    assert [w.accessibleName() for w in off if w.isEnabled()] == []
    assert page.notes_edit.isReadOnly() and page.decisions_edit.isReadOnly() and page.notes_edit.isEnabled()
    exports = [b for b in page.findChildren(QPushButton) if b.accessibleName().startswith("Export the minutes")]
    assert len(exports) == 2 and all(b.isEnabled() for b in exports)
    page.show_tab(0)
    QApplication.processEvents()
    assert page.members_frozen_label.isVisible() and page.members_frozen_label.text() == page.frozen_label.text()
    assert [w.accessibleName() for w in page._member_controls if w.isEnabled()] == []
    # the meeting's own record is frozen too: its form was left open, and Save meeting refused what was typed
    assert page.members_frozen_label.y() < page.save_meeting_button.y()  # said above the form's Save, not below
    assert not page.body_box.isEnabled() and not page.save_meeting_button.isEnabled()
    for edit in (page.date_edit, page.time_edit, page.venue_edit, page.chair_edit):
        assert edit.isReadOnly() and edit.isEnabled(), edit.accessibleName()  # kept readable, not greyed out
    # and the agenda: its items, their order and their papers
    page.show_tab(1)
    QApplication.processEvents()
    assert page.agenda_frozen_label.isVisible() and page.agenda_frozen_label.text() == page.frozen_label.text()
    editing = {
        "Move the chosen item up",
        "Move the chosen item down",
        "New agenda item",
        "Delete the chosen agenda item",
        "Save agenda item",
        "Purpose",
        "Restricted item",
        "Attach a PDF paper",
        "Report to generate",
        "Add the chosen live report as a paper",
        "Remove the chosen paper",
    }
    agenda = page.tabs.widget(1)
    controls = {w.accessibleName(): w for w in agenda.findChildren(QWidget) if w.accessibleName() in editing}
    assert sorted(controls) == sorted(editing)
    assert [name for name, w in controls.items() if w.isEnabled()] == []
    assert page.item_title.isReadOnly() and page.item_presenter.isReadOnly() and page.item_minutes.isReadOnly()
    assert not page.items_view.dragEnabled() and page.item_title.text() == "Action log"
    page.items_view.setFocus()
    qtbot.keyClick(page.items_view, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)  # New item: nothing
    assert page.item_guard.saving_over() is not None and not page.item_guard.asked_new
    # "Minutes approved", the list's widest status, put its Items column behind a sideways scroll bar
    page.resize(1110, 690)
    QApplication.processEvents()
    assert page.meeting_list.horizontalScrollBar().maximum() == 0
    # issuing a pack and Ctrl+S met only the service's refusal: they are off too
    assert not page.issue_button.isEnabled()
    keys = {a.shortcut().toString(): a.isEnabled() for a in page.area_actions() if hasattr(a, "shortcut")}
    assert keys["Ctrl+Shift+B"] is False and keys["Ctrl+S"] is False and keys["Ctrl+P"] is True

    # another meeting, not approved: everything back on
    page.meeting_list.selectRow([row.uuid for row in page.meetings.rows].index(page.meetings.rows[0].uuid))
    assert page.meeting_uuid != uuid and not page.frozen
    assert page.attendance_list.isEnabled() and page.approve_button.isEnabled() and not page.notes_edit.isReadOnly()
    assert not page.members_frozen_label.isVisible() and not page.agenda_frozen_label.isVisible()
    assert page.save_meeting_button.isEnabled() and not page.date_edit.isReadOnly()
    assert all(w.isEnabled() for name, w in controls.items() if name != "Remove the chosen paper")
    assert not page.item_title.isReadOnly() and page.items_view.dragEnabled()


def test_the_meeting_pages_buttons_have_alt_letters_of_their_own(qtbot: QtBot, page: MeetingsPage) -> None:
    """Mark as held, the minutes' exports and Approve had no Alt letter written (the keeper gave them whatever was
    free, different as the tab changed); none is shared on any tab, none moved by the keeper."""
    from tests.helpers.shortcut_audit import clashes, mnemonic, moved_letters

    written = {b.accessibleName(): mnemonic(b.text()) for b in page.findChildren(QPushButton)}
    assert {
        name: written[name]
        for name in (
            "Mark the meeting as held",
            "Export the minutes as DOCX",
            "Export the minutes as PDF",
            "Approve and freeze the minutes",
            "Issue the pack from live data",
        )
    } == {
        "Mark the meeting as held": "K",
        "Export the minutes as DOCX": "X",
        "Export the minutes as PDF": "D",
        "Approve and freeze the minutes": "R",
        "Issue the pack from live data": "U",
    }
    for tab in range(page.tabs.count()):
        page.show_tab(tab)
        QApplication.processEvents()
        QApplication.processEvents()
        assert clashes(page) == [], page.tabs.tabText(tab)
        assert moved_letters(page) == [], page.tabs.tabText(tab)

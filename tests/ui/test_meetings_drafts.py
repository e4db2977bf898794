"""Nothing typed in the meetings forms is lost by locking, or by a change made elsewhere (issue 10, 2).

Each test types into a form of the real main window, presses Ctrl+L in that field, unlocks with the
passphrase, and expects the Meetings page back on the same meeting, tab, record and field with the
same text, still unsaved.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app.demo import DEMO_PASSPHRASE
from app.meetings import service
from app.records import ChangeSet
from app.store.workspace import Workspace
from tests.helpers.drafts import lock_in, unlock_back_to
from tests.helpers.shell import unlock_with
from ui.areas.meetings import MeetingsPage
from ui.main_window import MainWindow
from ui.operations import wait_for_idle

pytestmark = pytest.mark.gui


def _meetings(qtbot: QtBot, window: MainWindow, workspace: Workspace) -> MeetingsPage:
    """The Meetings page on its second meeting (the list's first is chosen on opening: this proves the way back)."""
    window._on_unlocked(workspace)
    window.show_area("meetings")
    page = window.pages["meetings"]
    wait_for_idle()
    assert isinstance(page, MeetingsPage) and len(page.meetings.rows) >= 2
    page.meeting_list.selectRow(1)
    qtbot.waitUntil(lambda: page.meeting_uuid == page.meetings.rows[1].uuid)
    return page


def _type(qtbot: QtBot, field: Any, text: str) -> None:
    field.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field)
    qtbot.keyClicks(field, text)


def test_a_meeting_being_edited_comes_back(qtbot: QtBot, window: MainWindow, demo_workspace: Workspace) -> None:
    page = _meetings(qtbot, window, demo_workspace)
    meeting = page.meeting_uuid
    page.tabs.setCurrentIndex(0)
    page.venue_edit.clear()
    _type(qtbot, page.venue_edit, "Room 4, Civic Centre")
    lock_in(qtbot, window, page.venue_edit)

    page = unlock_back_to(qtbot, window, "meetings")
    assert page.meeting_uuid == meeting and page.tabs.currentIndex() == 0
    assert page.venue_edit.text() == "Room 4, Civic Centre" and page.focusWidget() is page.venue_edit
    assert page.meeting_guard.dirty()
    with window.workspace.reading() as session:
        assert service.get_meeting(session, meeting).venue != "Room 4, Civic Centre"


def test_a_new_agenda_item_comes_back(qtbot: QtBot, window: MainWindow, demo_workspace: Workspace) -> None:
    page = _meetings(qtbot, window, demo_workspace)
    meeting = page.meeting_uuid
    page.new_item()
    _type(qtbot, page.item_title, "Neglect strategy refresh")
    page.item_minutes.setValue(25)
    _type(qtbot, page.item_presenter, "Dr Ama Mensah")
    lock_in(qtbot, window, page.item_presenter)

    page = unlock_back_to(qtbot, window, "meetings")
    assert page.meeting_uuid == meeting and page.tabs.currentIndex() == 1
    assert page.item_guard.saving_over() is None  # still a new item, not written
    assert page.item_title.text() == "Neglect strategy refresh" and page.item_presenter.text() == "Dr Ama Mensah"
    assert page.item_minutes.value() == 25 and page.focusWidget() is page.item_presenter
    with window.workspace.reading() as session:
        assert "Neglect strategy refresh" not in [i.title for i in service.items(session, meeting)]


def _typing_on_the_second_item(qtbot: QtBot, window: MainWindow, workspace: Workspace, text: str) -> tuple[Any, str]:
    """The agenda tab with `text` typed after the presenter of the second item (not the one the page opens
    on); the page and the item's uuid."""
    page = _meetings(qtbot, window, workspace)
    page.tabs.setCurrentIndex(1)
    page.items_view.selectRow(1)
    item = page.item_guard.saving_over()
    assert item is not None and item == page.items_model.rows[1].uuid
    _type(qtbot, page.item_presenter, text)
    return page, item


def test_an_agenda_item_being_edited_comes_back_on_its_row(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace
) -> None:
    page, item = _typing_on_the_second_item(qtbot, window, demo_workspace, " and deputy")
    typed = page.item_presenter.text()
    lock_in(qtbot, window, page.item_presenter)

    page = unlock_back_to(qtbot, window, "meetings")
    assert page.tabs.currentIndex() == 1 and page.item_guard.saving_over() == item and page.item_guard.dirty()
    assert [i.row() for i in page.items_view.selectionModel().selectedRows()] == [1]  # the row is the form's
    assert page.item_presenter.text() == typed and page.focusWidget() is page.item_presenter
    with window.workspace.reading() as session:
        assert not next(i for i in service.items(session, page.meeting_uuid) if i.uuid == item).presenter.endswith(
            " and deputy"
        )


def test_an_agenda_item_draft_kept_by_the_earlier_version_comes_back(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace
) -> None:
    """Before the agenda was a table beside a guarded form its drafts were a list in the form's order
    (title, presenter, purpose, minutes, restricted); such a draft, kept at a lock before an upgrade, still
    brings its typing back."""
    page, item = _typing_on_the_second_item(qtbot, window, demo_workspace, " and deputy")
    typed = page.item_presenter.text()
    page.item_guard._snapshot = lambda: [  # what the earlier version's form gave
        page.item_title.text(),
        page.item_presenter.text(),
        page.item_purpose.currentData(),
        page.item_minutes.value(),
        page.item_restricted.isChecked(),
    ]
    lock_in(qtbot, window, page.item_presenter)

    page = unlock_back_to(qtbot, window, "meetings")
    assert page.item_guard.saving_over() == item and page.item_guard.dirty()
    assert page.item_presenter.text() == typed


def test_typing_whose_item_went_while_locked_is_shown_to_copy_not_dropped(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace
) -> None:
    """Another copy of the program (or a restore) can change the workspace while this one is locked."""
    page, item = _typing_on_the_second_item(qtbot, window, demo_workspace, " and the designated nurse")
    lock_in(qtbot, window, page.item_presenter)
    elsewhere = Workspace.open(demo_workspace.path, DEMO_PASSPHRASE, backup_on_unlock=False)
    with elsewhere.unit_of_work() as uow:
        service.delete_item(uow, item)
    elsewhere.lock()

    window.unlock()
    unlock_with(qtbot, window, DEMO_PASSPHRASE)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=20000)
    wait_for_idle()
    box = _not_put_back(window)
    assert "1 form" in box.text()
    assert "and the designated nurse" in box.detailedText()

    window.lock("Locked after a period of inactivity.")  # before the box was read: found by review
    assert not box.isVisible()  # no case text over the lock screen
    assert "Unsaved edits in 1 form were kept" in window.lock_screen.detail.text()
    window.unlock()
    unlock_with(qtbot, window, DEMO_PASSPHRASE)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=20000)
    wait_for_idle()
    box = _not_put_back(window)  # offered again
    assert "and the designated nurse" in box.detailedText()
    box.accept()  # read: the next lock keeps nothing more
    window.lock()
    assert "kept" not in window.lock_screen.detail.text()


def _not_put_back(window: MainWindow) -> QMessageBox:
    shown = [b for b in window.findChildren(QMessageBox, "infoMessage") if b.isVisible()]
    assert len(shown) == 1 and shown[0].windowTitle() == "Edits not put back"
    return shown[0]


def test_notes_typed_in_the_meeting_come_back_on_the_same_item(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace
) -> None:
    page = _meetings(qtbot, window, demo_workspace)
    page.tabs.setCurrentIndex(3)
    page.mode_items.setCurrentRow(1)
    item = page.notes_guard.editing
    assert item is not None
    _type(qtbot, page.decisions_edit, " Agreed: re-audit in March.")
    typed = page.decisions_edit.toPlainText()
    lock_in(qtbot, window, page.decisions_edit)

    page = unlock_back_to(qtbot, window, "meetings")
    assert page.tabs.currentIndex() == 3 and page.notes_guard.editing == item
    assert page.decisions_edit.toPlainText() == typed and page.focusWidget() is page.decisions_edit


def test_a_body_being_renamed_comes_back(qtbot: QtBot, window: MainWindow, demo_workspace: Workspace) -> None:
    page = _meetings(qtbot, window, demo_workspace)
    page.body_list.setCurrentRow(1)  # nothing typed yet: chosen without a question
    code = page.body_code.text()
    page.body_name.clear()
    _type(qtbot, page.body_name, "Quality and Audit subgroup")
    lock_in(qtbot, window, page.body_name)

    page = unlock_back_to(qtbot, window, "meetings")
    assert page.body_list.currentItem().data(Qt.ItemDataRole.UserRole) == code
    assert (page.body_name.text(), page.body_code.text()) == ("Quality and Audit subgroup", code)
    assert page.body_guard.dirty() and page.focusWidget() is page.body_name
    with window.workspace.reading() as session:
        assert dict(service.body_names(session))[code] != "Quality and Audit subgroup"


def test_a_meeting_being_typed_survives_a_change_made_elsewhere(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace
) -> None:
    page = _meetings(qtbot, window, demo_workspace)
    page.tabs.setCurrentIndex(0)
    page.chair_edit.clear()
    _type(qtbot, page.chair_edit, "Deputy chair")
    elsewhere = ChangeSet()
    elsewhere.updated["agency"].add("an agency renamed on the Workspace page")
    page.deliver(elsewhere, None)  # the page reloads the meeting under the form
    assert page.chair_edit.text() == "Deputy chair" and page.meeting_guard.dirty()


def test_a_body_draft_whose_body_is_not_listed_is_not_put_on_another(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace
) -> None:
    """A restore from an older backup can lack the body renamed: its typing went over the body listed first,
    where Save would have added the typed code again as a new body."""
    from ui.areas.meetings import BODY_DRAFT
    from ui.kit.edit_guard import Draft

    page = _meetings(qtbot, window, demo_workspace)
    shown = (page.body_name.text(), page.body_code.text())
    draft = Draft(BODY_DRAFT, "meetings", "CDOP", {"name": "Child Death Overview Panel (renamed)", "code": "CDOP"})
    assert page.restore_draft(draft) is False  # so the window shows it to copy
    assert (page.body_name.text(), page.body_code.text()) == shown and not page.body_guard.dirty()

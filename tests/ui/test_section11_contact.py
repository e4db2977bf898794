"""The Chair records an agency's senior contact from the register, by keyboard; the interview
proposes them as attendee and the letter greets them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.section11.interview import proposed_attendees
from app.store.workspace import Workspace
from tests.helpers.drafts import section11_with
from ui.main_window import MainWindow
from ui.section11.dialogs import ParticipantDialog


def test_the_senior_contact_is_set_from_the_register(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace
) -> None:
    page = section11_with(window, demo_workspace, "Police")
    participant = page.participant_uuid()
    assert page.selected_row().contact_name == ""
    qtbot.keyClick(page.agencies, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = page.dialog
    assert isinstance(dialog, ParticipantDialog) and dialog.contact.accessibleName() == "Senior contact"
    dialog.contact.setFocus()
    qtbot.keyClicks(dialog.contact, "  Det Supt   Ruth Bell ")
    qtbot.keyClick(dialog.contact, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: page.selected_row() is not None and page.selected_row().contact_name == "Det Supt Ruth Bell"
    )
    assert page.participant_uuid() == participant
    with demo_workspace.reading() as session:
        proposed = proposed_attendees(session, participant)
    assert [a.name for a in proposed if a.kind == "agency"] == ["Det Supt Ruth Bell"]

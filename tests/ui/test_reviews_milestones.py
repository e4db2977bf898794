"""The review's Milestones… dialog, driven by keyboard: add, mark done, the header follows."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLineEdit,
    QTableWidget,
)
from pytestqt.qtbot import QtBot

from app.reviews.register import add_review, get_review
from app.store.workspace import Workspace
from tests.helpers.areas import area_page
from ui.areas.reviews import ReviewsPage
from ui.kit.dates import uk
from ui.reviews import milestones

pytestmark = pytest.mark.gui


def test_add_and_complete_a_milestone_by_keyboard(
    qtbot: QtBot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    with workspace.unit_of_work() as uow:
        uuid = add_review(
            uow, kind="management", title="Management review", subject_pseudonym="Child B", reference="MR-T1"
        ).uuid
    page, statuses = area_page(qtbot, workspace, ReviewsPage)
    qtbot.waitExposed(page)
    try:
        page.open_review(uuid)
        view = page.review
        assert view is not None and "No clocks" in view.clocks.text()
        page.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is page)
        view.chronology.table.setFocus()
        qtbot.keyClick(
            view.chronology.table, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        )
        dialog = view.milestones_dialog
        assert dialog is not None and dialog.isVisible()
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
        assert dialog.table.rowCount() == 0

        due = date.today() + timedelta(days=90)
        dialog.name.setFocus()
        qtbot.keyClicks(dialog.name, "Panel meeting")
        qtbot.keyClick(dialog.name, Qt.Key.Key_Tab)
        assert dialog.due.hasFocus()
        qtbot.keyClicks(dialog.due, uk(due))
        qtbot.keyClick(dialog.due, Qt.Key.Key_Return)  # nothing selected: adds
        assert dialog.problem.text() == ""
        assert [dialog.table.item(0, c).text() for c in range(4)] == ["Panel meeting", uk(due), "", "On time"]
        assert f"On time&nbsp;</span> Panel meeting: due {uk(due)}" in view.clocks.text()
        assert "Panel meeting" in page.model.row_at(0).next_clock.name  # the register refreshed too
        assert statuses[-1] == "Added milestone Panel meeting of MR-T1"

        # a bad date is refused in words and writes nothing
        dialog.table.setFocus()
        qtbot.keyClick(dialog.table, Qt.Key.Key_Home)
        assert dialog.done_button.isEnabled()
        dialog.done_on.setFocus()
        qtbot.keyClicks(dialog.done_on, "31/02/2026")
        qtbot.keyClick(dialog.done_on, Qt.Key.Key_Return)
        assert "February 2026 has only 28 days" in dialog.problem.text()
        dialog.done_on.clear()
        qtbot.keyClick(dialog.done_on, Qt.Key.Key_Return)  # marks done, blank: today
        assert [dialog.table.item(0, c).text() for c in range(4)] == [
            "Panel meeting",
            uk(due),
            uk(date.today()),
            "Done",
        ]
        assert "Done&nbsp;</span> Panel meeting" in view.clocks.text()
        assert page.model.row_at(0).next_clock is None
        with workspace.reading() as session:
            assert get_review(session, uuid).milestones == [
                {"name": "Panel meeting", "due": due.isoformat(), "done": date.today().isoformat()}
            ]

        # removing asks first (the module-level confirmation), then goes
        answers = iter([False, True])
        monkeypatch.setattr(milestones, "ask_confirmation", lambda *_a: next(answers))
        dialog.remove_button.setFocus()
        qtbot.keyClick(dialog.remove_button, Qt.Key.Key_Space)
        assert dialog.table.rowCount() == 1
        qtbot.keyClick(dialog.remove_button, Qt.Key.Key_Space)
        assert dialog.table.rowCount() == 0 and "No clocks" in view.clocks.text()

        unnamed = [
            type(w).__name__
            for cls in (QLineEdit, QTableWidget, QAbstractButton)
            for w in dialog.findChildren(cls)
            if not w.accessibleName()
            and not isinstance(w.parent(), QTableWidget)
            and type(w).__name__ != "QTableCornerButton"
        ]
        assert unnamed == [] and dialog.accessibleName() == "Milestones of MR-T1"
        qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)
        assert not dialog.isVisible()
    finally:
        page.shutdown()

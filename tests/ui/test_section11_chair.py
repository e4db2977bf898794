"""The Chair's first use of Section 11, on the demo workspace: what was typed stays, what is exported is what is shown.

Each test is a defect a Chair met: typing that vanished (a due date not yet a date, a standard's edits on
Retire), a letter exported without the edits on screen, a line removed with the answers recorded on it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.store.workspace import Workspace
from tests.helpers.areas import area_page
from tests.helpers.shell import unlocked_on
from ui.areas.section11 import Section11Page
from ui.main_window import MainWindow
from ui.section11.interview import InterviewWindow

pytestmark = pytest.mark.gui
CTRL = Qt.KeyboardModifier.ControlModifier


def _select_agency(page: Section11Page, text: str) -> None:
    page.cycles.selectRow(0)  # this year's cycle: newest first
    row = next(n for n, r in enumerate(page.register_model.rows) if text in r.agency)
    page.agencies.setFocus()
    page.agencies.selectRow(row)


def _interview(qtbot: QtBot, page: Section11Page, agency: str) -> InterviewWindow:
    _select_agency(page, agency)
    page.interview_selected()
    interview = page.interview
    assert isinstance(interview, InterviewWindow)
    qtbot.waitExposed(interview)
    interview.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is interview)
    return interview


def test_a_due_date_not_yet_a_date_stays_on_its_line_across_a_move_and_a_lock(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace
) -> None:
    """The Chair typed "31/02/2027" (or was half way through a date) and moved on, or pressed Ctrl+L: the text
    vanished, the line showed an empty due date and no problem."""
    from app.demo import DEMO_PASSPHRASE

    page = unlocked_on(window, demo_workspace, "section11")
    interview = _interview(qtbot, page, "Children's Social Care")
    assert interview.line_count >= 2
    interview.due.setFocus()
    interview.due.selectAll()
    qtbot.keyClicks(interview.due, "31/02/2027")
    assert interview.due_error.text().startswith("Not saved yet")
    qtbot.keyClick(interview.due, Qt.Key.Key_PageDown)  # the next line, and back
    assert interview.position == 1
    qtbot.keyClick(interview.question, Qt.Key.Key_PageUp)
    assert interview.position == 0
    assert interview.due.text() == "31/02/2027" and interview.due_error.text().startswith("Not saved yet")

    interview.due.setFocus()
    qtbot.keyClick(interview.due, Qt.Key.Key_L, CTRL)  # the lock, with the date still wrong
    assert window.workspace is None and page.interview is None
    window._on_unlocked(Workspace.open(demo_workspace.path, DEMO_PASSPHRASE))
    back = window.pages["section11"].interview
    assert isinstance(back, InterviewWindow) and back.position == 0
    assert back.due.text() == "31/02/2027" and back.due_error.text().startswith("Not saved yet")
    assert back.focusWidget() is back.due

    back.due.selectAll()  # corrected: saved, and the line no longer keeps the typing aside
    qtbot.keyClicks(back.due, "28/02/2027")
    assert back.due_error.text() == "" and back.flush()
    back.go(1)
    back.go(0)
    assert back.due.text() == "28/02/2027" and back.unparsed_due == {}
    back.close()

"""Issue 16 (7): errors and results written into a label or the status bar are also announced to
screen readers (a message box is read when it opens; a label changing its text is not)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QLabel, QMainWindow
from pytestqt.qtbot import QtBot

from app.actions.sources import AUDIT, SourceRef
from app.records import ChangeSet
from app.store.workspace import Workspace
from tests.helpers.areas import figure_returns_chosen, performance_page
from ui.actions.form import ActionFormDialog, open_new_action_dialog
from ui.areas.performance import PerformancePage
from ui.dialogs.create_workspace import CreateWorkspaceDialog
from ui.kit.announce import announce

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]
Heard = list[tuple[str, bool]]


def test_announce_writes_the_text_and_raises_the_accessibility_event(qtbot: QtBot, announcements: Heard) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    label = QLabel()
    window.setCentralWidget(label)
    window.show()
    QAccessible.setActive(True)  # as when a screen reader is running: the event goes to the platform
    try:
        announce(label, "The due date '31/02/2027' cannot be read.", urgent=True)
        announce(window.statusBar(), "Imported good.csv: 1 new")
    finally:
        QAccessible.setActive(False)
    assert label.text() == "The due date '31/02/2027' cannot be read."
    assert window.statusBar().currentMessage() == "Imported good.csv: 1 new"
    announce(label, "")  # clearing an error says nothing
    announce(label, "", if_changed=True)
    assert label.text() == ""
    assert announcements == [
        ("The due date '31/02/2027' cannot be read.", True),
        ("Imported good.csv: 1 new", False),
    ]


def test_an_invalid_date_in_the_action_dialog_is_announced(
    qtbot: QtBot, demo_workspace: Workspace, announcements: Heard
) -> None:
    published: list[ChangeSet] = []
    dialog = open_new_action_dialog(None, demo_workspace, SourceRef(AUDIT, "Neglect audit 2026"), published.append)
    qtbot.addWidget(dialog)
    assert isinstance(dialog, ActionFormDialog)
    qtbot.keyClicks(dialog.title, "Re-audit neglect cases in six months")
    dialog.due.setFocus()
    dialog.due.selectAll()
    qtbot.keyClicks(dialog.due, "31/02/2027")
    dialog.due.editingFinished.emit()  # what leaving the box does (focus is unreliable offscreen under load)
    assert announcements == [(dialog.due.toolTip(), True)] and "31/02/2027" in dialog.due.toolTip()
    announcements.clear()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and not published
    assert "31/02/2027" in dialog.error.text()
    assert announcements == [(dialog.error.text(), True)]
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # pressing Save again says it again
    assert announcements == [(dialog.error.text(), True)] * 2


def test_a_passphrase_mismatch_is_said_once_while_typing(qtbot: QtBot, announcements: Heard) -> None:
    dialog = CreateWorkspaceDialog()
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.passphrase, "correct horse battery")
    qtbot.keyClicks(dialog.repeat, "correct")
    assert announcements == [("The two passphrases differ.", False)]


@pytest.fixture
def performance(qtbot: QtBot, demo_workspace: Workspace) -> Iterator[PerformancePage]:
    """The performance page with a context that runs work at once and a status bar of its own."""
    window = QMainWindow()
    qtbot.addWidget(window)
    page = performance_page(demo_workspace, window, window.statusBar().showMessage)
    window.setCentralWidget(page)
    window.show()
    qtbot.waitExposed(window)
    yield page
    page.shutdown()


def test_checking_and_importing_figures_are_announced(
    performance: PerformancePage,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    announcements: Heard,
) -> None:
    chosen, good = figure_returns_chosen(tmp_path, monkeypatch)
    importer = performance.importer
    performance.show_tab(performance.tabs.indexOf(importer))
    importer.choose.setFocus()
    qtbot.keyClick(importer.choose, Qt.Key.Key_Space)
    assert announcements == [("Checked bad.csv: errors found; nothing can be imported until they are fixed.", True)]
    chosen[0] = str(good)
    importer.choose.setFocus()
    qtbot.keyClick(importer.choose, Qt.Key.Key_Space)
    importer.commit.setFocus()
    qtbot.keyClick(importer.commit, Qt.Key.Key_Space)
    window = performance.window()
    assert isinstance(window, QMainWindow)
    finished = window.statusBar().currentMessage()
    assert finished.startswith("Imported good.csv: 1 new")
    assert announcements[1:] == [
        ("Checked good.csv: 1 new and 0 changed figures to import.", False),
        (finished, False),
    ]


# -- every label that reports an error or a result goes through the announcer ------------------------

#: labels whose name says status but show a record's field, not a message (kept up to date with the data)
NOT_MESSAGES = {
    ("ui/main_window.py", "area_status_label"),  # counts per area, rewritten at every change
    ("ui/areas/meetings.py", "status_label"),  # the meeting's status (Planned, Held...)
}
#: status-bar writers that do not announce: the kit itself, and the window's writer behind
#: AreaContext.show_status (which announces the text itself)
QUIET_STATUS_WRITERS = {"ui/kit/announce.py": 1, "ui/main_window.py": 1}
MESSAGE_LABEL = re.compile(r"\b(\w*(?:error|problem|status|mismatch)\w*)\.setText\((.)")


def test_no_error_or_status_label_is_written_without_the_announcer() -> None:
    offenders = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        where = str(path.relative_to(ROOT))
        text = path.read_text(encoding="utf-8")
        for match in MESSAGE_LABEL.finditer(text):
            name, first = match.group(1), match.group(2)
            clearing = text.startswith('"")', match.end() - 1)
            if clearing or (where, name) in NOT_MESSAGES:
                continue
            line = text.count("\n", 0, match.start()) + 1
            offenders.append(f"{where}:{line}: {name}.setText({first}...")
        writes = len(re.findall(r"\.showMessage\(", text))
        if writes > QUIET_STATUS_WRITERS.get(where, 0):
            offenders.append(f"{where}: {writes} statusBar().showMessage (use announce)")
    assert offenders == []

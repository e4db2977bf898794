"""A disk that refuses a write reaches the user as a dialog in words, not "Unexpected error", and
nothing is published; a background fault of ours keeps its traceback in the log (issue 9 §1)."""

from __future__ import annotations

import logging
import sys
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from app.errors import InvalidInput, StorageFailure
from app.records import ChangeSet
from app.store.workspace import Workspace
from tests.helpers.areas import area_page
from tests.helpers.shell import refused_error, visible_error
from tests.helpers.workspaces import refuse_writes
from ui.areas.performance import PerformancePage
from ui.main_window import MainWindow
from ui.operations import Operation, run_quietly

pytestmark = pytest.mark.gui

REFUSED = "Could not write to the workspace: the workspace folder or its disk is read-only. Nothing was written"


def test_a_write_the_disk_refuses_is_shown_in_words_and_publishes_nothing(qtbot: QtBot, workspace: Workspace) -> None:
    published: list[ChangeSet] = []
    page, statuses = area_page(qtbot, workspace, PerformancePage, published=published)
    catalogue = page.catalogue
    assert catalogue.model.rowCount() == 0
    # Alt+B: one write through the page's context.write
    title, text = refused_error(workspace, page.context.window, catalogue.add_starter)
    assert title == "Add the starter indicators"
    assert text.startswith(REFUSED) and "Unexpected" not in text and "sqlite" not in text.lower()
    assert published == [] and statuses == []
    assert catalogue.model.rowCount() == 0

    catalogue.add_starter()  # writable again: the same keystroke adds them
    assert visible_error(page.context.window) is None
    assert catalogue.model.rowCount() == 21 and published and published[-1]


def _fault_of_ours(_progress: Any) -> None:
    raise KeyError("a fault of ours")


def _refused(_progress: Any) -> None:
    raise StorageFailure("Could not write to the workspace: the disk is full. Nothing was written.")


@pytest.fixture(params=[False, True], ids=["operation", "quiet job"])
def quietly(request: pytest.FixtureRequest) -> bool:
    """Each way the window runs background work: as an operation, and quietly (as the backup on unlock)."""
    return bool(request.param)


def _failed_in_background(qtbot: QtBot, work: Any, quietly: bool) -> BaseException:
    """Run `work` as the window runs background work (or quietly, as the backup on unlock); its error."""
    parent = QWidget()
    qtbot.addWidget(parent)
    errors: list[BaseException] = []
    if quietly:
        run_quietly(parent, work, lambda _result: None, errors.append)
    else:
        operation = Operation(parent, "Working", work, None, errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    if not quietly:
        assert not operation.running
    return errors[0]


def test_a_background_fault_of_ours_logs_the_workers_traceback(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture, quietly: bool
) -> None:
    with caplog.at_level(logging.ERROR, logger="workbench.operations"):
        error = _failed_in_background(qtbot, _fault_of_ours, quietly)
    assert isinstance(error, KeyError)  # still handed on, for the window's dialog
    [record] = [r for r in caplog.records if r.name == "workbench.operations"]
    assert record.levelno == logging.ERROR
    logged = record.getMessage()
    # the worker thread's own traceback: where it failed, not where the GUI thread heard of it
    assert "Traceback (most recent call last)" in logged and "in _fault_of_ours" in logged
    assert "KeyError: 'a fault of ours'" in logged


def test_a_refusal_the_user_is_told_of_is_not_logged_as_a_fault(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture, quietly: bool
) -> None:
    with caplog.at_level(logging.DEBUG, logger="workbench.operations"):
        error = _failed_in_background(qtbot, _refused, quietly)
    assert isinstance(error, StorageFailure)
    assert [r for r in caplog.records if r.name == "workbench.operations"] == []


def test_a_page_whose_reading_the_disk_refuses_shows_the_words_not_unexpected_error(
    qtbot: QtBot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui import application

    monkeypatch.setattr("sys.excepthook", sys.excepthook)  # the hook installed below is undone after the test
    application._install_excepthook()
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    refuse_writes(workspace)
    try:
        with pytest.raises(StorageFailure) as refused:
            with workspace.reading() as session:
                session.execute(text("SELECT count(*) FROM agency"))
        sys.excepthook(StorageFailure, refused.value, None)  # as when it escapes a slot that reloads a page
    finally:
        refuse_writes(workspace, False)
    boxes = [w for w in QApplication.topLevelWidgets() + window.findChildren(QMessageBox) if isinstance(w, QMessageBox)]
    shown = [box for box in boxes if box.isVisible() and box.objectName() == "errorMessage"]
    assert len(shown) == 1, "no error dialog"
    box = shown[0]
    title, said = box.windowTitle(), box.text()
    box.accept()
    assert title == "Not done"
    assert said.startswith("Could not read the workspace: the workspace folder or its disk is read-only.")
    assert "Unexpected" not in said and "StorageFailure" not in said


def test_a_background_write_refused_is_shown_under_its_own_title(
    qtbot: QtBot, window: MainWindow, workspace: Workspace
) -> None:
    """The window's worker runs it; the refusal is titled as the write was, other background work's as "Not done"."""
    window._on_unlocked(workspace)
    context = window.pages["overview"].context
    done: list[object] = []

    def refuse(_uow: Any) -> None:
        raise InvalidInput("Nothing to move: no action is selected.")

    assert context.write("Move the due dates", refuse, on_done=done.append, background=True)
    qtbot.waitUntil(lambda: visible_error(window) is not None, timeout=5000)
    box = visible_error(window)
    assert box is not None
    title, said = box.windowTitle(), box.text()
    box.accept()
    assert (title, said) == ("Move the due dates", "Nothing to move: no action is selected.")
    assert done == []

    context.run("Checking", _refused)  # not a write: no title of its own
    qtbot.waitUntil(lambda: visible_error(window) is not None, timeout=5000)
    box = visible_error(window)
    assert box is not None
    title = box.windowTitle()
    box.accept()
    assert title == "Not done"

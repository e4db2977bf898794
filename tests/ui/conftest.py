"""GUI tests get the application-wide keyboard defaults the main window installs (ui/keyboard.py),
also when a test builds a page or dialog on its own; no dialog a test shows may give one key two jobs
(tests/helpers/shortcut_audit.py); a test that leaves a modal dialog unanswered fails within seconds
instead of holding the run (tests/helpers/modal_guard.py)."""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QTableView, QWidget
from pytestqt.qtbot import QtBot

from app.store.workspace import Workspace
from tests.helpers.areas import answer_save_question, area_page, open_largest_review
from tests.helpers.modal_guard import ModalGuard
from tests.helpers.reviews import child_review
from tests.helpers.shell import shown_main_window
from tests.helpers.shortcut_audit import ClashWatch
from ui import keyboard
from ui.areas.actions import ActionsPage
from ui.areas.reviews import ReviewsPage
from ui.kit import edit_guard, files
from ui.kit.announce import announcer
from ui.main_window import MainWindow
from ui.reviews.review_view import ReviewView


@pytest.fixture(autouse=True)
def _keyboard_defaults(qapp: QApplication) -> None:
    keyboard.install(qapp)


_unanswered = pytest.StashKey[list[str]]()


def _unanswered_failure(unanswered: list[str]) -> str:
    return "test left a modal dialog unanswered (closed by the guard): " + "; ".join(unanswered)


@pytest.fixture(autouse=True)
def _no_unanswered_modal(qapp: QApplication, request: pytest.FixtureRequest) -> Iterator[None]:
    """Closes a modal dialog the test left waiting and fails the test (pytest-timeout cannot stop a modal loop)."""
    guard = ModalGuard()
    request.node.stash[_unanswered] = guard.unanswered
    yield
    guard.stop()
    if guard.unanswered:
        pytest.fail(_unanswered_failure(guard.unanswered), pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    """The test itself fails with the guard's message, before anything the closed dialog led to."""
    try:
        return (yield)
    finally:
        unanswered = item.stash.get(_unanswered, [])
        if unanswered:
            message = _unanswered_failure(unanswered)
            unanswered.clear()  # told once: the fixture's teardown checks only what came later
            pytest.fail(message, pytrace=False)


@pytest.fixture(autouse=True)
def _no_dialog_gives_one_key_two_jobs(qapp: QApplication, request: pytest.FixtureRequest) -> Iterator[None]:
    """Every dialog a test shows is checked for an Alt letter or Ctrl key that two of its controls answer,
    and for a written Alt letter ("&Role:") the keeper had to move because another control claims it."""
    watch = ClashWatch()
    qapp.installEventFilter(watch)
    yield
    qapp.processEvents()  # a check queued by the last dialog shown
    qapp.removeEventFilter(watch)
    assert watch.found == [], "\n".join(dict.fromkeys(watch.found))
    if request.node.get_closest_marker("letters_may_move") is None:
        assert watch.moved == [], "\n".join(dict.fromkeys(watch.moved))


@pytest.fixture(autouse=True)
def _no_key_held_from_an_earlier_test(qapp: QApplication) -> None:
    """A test's Ctrl+key click leaves Qt believing Ctrl is still held (nothing releases Ctrl itself),
    so the next test's selectRow() would toggle a row instead of selecting it: release it first."""
    if QApplication.keyboardModifiers() != Qt.KeyboardModifier.NoModifier:
        QTest.keyRelease(QWidget(), Qt.Key.Key_Control)
    assert QApplication.keyboardModifiers() == Qt.KeyboardModifier.NoModifier


@pytest.fixture(autouse=True)
def _no_widget_left_from_an_earlier_test(qapp: QApplication) -> None:
    """pytest-qt closes a test's widgets with deleteLater, which waits for an event loop that a test may never
    run: a page an earlier test left with typing in it (its Cancel answered) counted as a form with unsaved
    edits at this test's lock. Delete them first."""
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture(autouse=True)
def _no_folder_from_an_earlier_test(monkeypatch: pytest.MonkeyPatch) -> None:
    """File dialogs open where the last one chose, for the session: each test starts afresh."""
    monkeypatch.setattr(files, "_last_folder", None)


@pytest.fixture
def announcements(qapp: QApplication) -> Iterator[list[tuple[str, bool]]]:
    """What a screen reader would be told during the test: (text, urgent), in order."""
    heard: list[tuple[str, bool]] = []

    def hear(_source: object, text: str, urgent: bool) -> None:
        heard.append((text, urgent))

    announcer().announced.connect(hear)
    yield heard
    announcer().announced.disconnect(hear)


@pytest.fixture
def type_then_go_down(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> Callable[[QTableView, QWidget, str], list[str]]:
    """`go(table, field, answer)`: "Typed here" over what `field` holds, then Down in `table` with the
    Save / Discard / Cancel question answered `answer` (a name of `edit_guard.Answer`); the questions asked."""

    def go(table: QTableView, field: QWidget, answer: str) -> list[str]:
        field.setFocus()
        field.selectAll()  # type: ignore[attr-defined]  # a line or a text box
        qtbot.keyClicks(field, "Typed here")
        asked = answer_save_question(monkeypatch, getattr(edit_guard.Answer, answer))
        table.setFocus()
        qtbot.keyClick(table, Qt.Key.Key_Down)
        return asked

    return go


@pytest.fixture
def page(qtbot: QtBot, demo_workspace: Workspace) -> Iterator[ActionsPage]:
    """The actions page with a context that runs work at once (the window's runner is tested with the shell)."""
    actions_page, _statuses = area_page(qtbot, demo_workspace, ActionsPage)
    yield actions_page
    actions_page.shutdown()


@pytest.fixture
def view(qtbot: QtBot, demo_workspace: Workspace) -> Iterator[ReviewView]:
    """The demo's largest review open in a reviews page (a module may define its own `view`)."""
    page, _statuses = area_page(qtbot, demo_workspace, ReviewsPage)
    yield open_largest_review(page, demo_workspace)
    page.shutdown()


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[MainWindow]:
    """The main window, shown and active, locked again at the end."""
    yield from shown_main_window(qtbot)


@pytest.fixture
def review_page(qtbot: QtBot, workspace: Workspace) -> Iterator[tuple[ReviewsPage, str]]:
    """A new review (Child B) with two agencies, open in the reviews page."""
    with workspace.unit_of_work() as uow:
        agencies = [("Health Visiting", "HV", "", "#7fb3d5"), ("Police", "Police", "", "#1f3a93")]
        uuid = child_review(uow, agencies, title="Review of Child B", subject="Child B", scoped=True).uuid
    page, _statuses = area_page(qtbot, workspace, ReviewsPage)
    page.open_review(uuid)
    yield page, uuid
    page.shutdown()

"""The overview built ahead of unlock (`MainWindow.build_pages_ahead`, after the warm-up): its widgets hold
nothing of any workspace until an unlock fills them; a lock destroys the filled page and builds an empty one,
and the next unlock shows the counts as they are then, not as they were."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QFormLayout, QLabel, QWidget
from pytestqt.qtbot import QtBot
from shiboken6 import isValid

from app.agencies import add_agency
from app.store.workspace import Workspace
from tests.helpers.shell import shown_main_window, unlocked_on
from tests.helpers.workspaces import PASSPHRASE
from ui.areas.overview import OverviewPage
from ui.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[MainWindow]:
    yield from shown_main_window(qtbot)


def _counts(page: OverviewPage) -> dict[str, str]:
    """The "Stored records" rows: kind -> the number shown."""
    rows = {}
    for row in range(page.records_form.rowCount()):
        number, words = (
            page.records_form.itemAt(row, role).widget()
            for role in (QFormLayout.ItemRole.LabelRole, QFormLayout.ItemRole.FieldRole)
        )
        rows[words.text()] = number.text()
    return rows


def _assert_empty(page: QWidget, workspace: Workspace) -> None:
    assert isinstance(page, OverviewPage) and not page.isVisible()
    assert page.context is None
    member = workspace.member
    shown = " ".join(label.text() for label in page.findChildren(QLabel))
    for value in (member.display_name, member.role, member.agency, member.fingerprint.split()[0]):
        assert value not in shown
    assert page.fingerprint.text() == page.start_here.text() == page.backup_label.text() == ""
    assert page.records_form.rowCount() == 0
    assert page.agency_list.count() == 0
    assert page.audit_model.rowCount() == 0


def test_built_ahead_empty_then_filled_at_unlock_and_fresh_after_a_lock(
    qtbot: QtBot, window: MainWindow, workspace: Workspace
) -> None:
    window.build_pages_ahead()
    ahead = window._pages_ahead["overview"]
    _assert_empty(ahead, workspace)

    page = unlocked_on(window, workspace, "overview")
    assert page is ahead and page.isVisible() and not window._pages_ahead
    assert page.member_name.text() == "Alex Reviewer"
    assert page.fingerprint.text().split() == workspace.member.fingerprint.split()
    agencies = next(kind for kind in _counts(page) if "agenc" in kind.lower())
    assert _counts(page)[agencies] == "0"

    with workspace.unit_of_work() as uow:  # published to no page: the page still shows what it read
        add_agency(uow, "Northbridge Police", "Police")
    window.lock()
    qtbot.waitUntil(lambda: "overview" in window._pages_ahead)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not isValid(page)  # the filled page (name, fingerprint, agencies) is gone, as every page
    again = window._pages_ahead["overview"]
    assert again is not page
    _assert_empty(again, workspace)

    reopened = Workspace.open(workspace.path, PASSPHRASE, backup_on_unlock=False)
    shown = unlocked_on(window, reopened, "overview")
    assert shown is again
    assert _counts(shown)[agencies] == "1"
    assert [shown.agency_list.item(i).text() for i in range(shown.agency_list.count())] == [
        "Police — Northbridge Police"
    ]


def test_warm_up_done_while_unlocked_builds_ahead_after_the_lock(
    qtbot: QtBot, window: MainWindow, workspace: Workspace
) -> None:
    page = unlocked_on(window, workspace, "overview")
    window.build_pages_ahead()
    assert not window._pages_ahead
    window.lock()
    qtbot.waitUntil(lambda: "overview" in window._pages_ahead)
    assert window._pages_ahead["overview"] is not page
    _assert_empty(window._pages_ahead["overview"], workspace)


def test_a_page_built_ahead_that_fails_to_fill_goes_with_what_it_filled(
    qtbot: QtBot, window: MainWindow, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fault (not a WorkbenchError) while filling left the page parented to the window, holding the member's
    name, and no lock took it away: a failed page must go at once, as a lock takes a filled one."""
    window.build_pages_ahead()
    ahead = window._pages_ahead["overview"]

    def fills_then_fails(_context: object) -> None:
        ahead.member_name.setText(workspace.member.display_name)
        raise RuntimeError("a fault while filling")

    monkeypatch.setattr(ahead, "open_on", fills_then_fails)
    with qtbot.capture_exceptions() as faults:  # raised in a Qt slot: the application's fault handler reports it
        window._on_unlocked(workspace)
        window.show_area("overview")
    assert [str(fault[1]) for fault in faults] == ["a fault while filling"]
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not isValid(ahead)

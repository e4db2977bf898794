"""Purging records past retention from the Workspace page: it lists them, asks, and purges only on 'Purge'."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.store.workspace import Workspace
from db.models.reviews import ChronologyEntry
from tests.helpers.records import SECRET, closed_long_ago, review_with_entry, row_of
from ui import messages
from ui.areas.overview import OverviewPage
from ui.main_window import MainWindow
from ui.operations import wait_for_idle

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot: QtBot, workspace: Workspace) -> OverviewPage:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window._on_unlocked(workspace)
    yield window.pages["overview"]
    window.lock()
    wait_for_idle()


def test_nothing_past_retention_says_so(qtbot: QtBot, page: OverviewPage, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    monkeypatch.setattr(messages, "confirm", lambda _p, _t, text, _a: asked.append(text) or True)
    qtbot.mouseClick(page.purge_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "No records are past their retention" in page.window().statusBar().currentMessage())
    assert asked == []


def test_purge_lists_asks_and_purges_only_when_confirmed(
    qtbot: QtBot, page: OverviewPage, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    review_uuid, entry_uuid, _ = review_with_entry(workspace)
    closed_long_ago(workspace, review_uuid, date(1980, 6, 1))
    asked: list[str] = []
    answer = [False]
    monkeypatch.setattr(messages, "confirm", lambda _p, _t, text, _a: asked.append(text) or answer[0])

    qtbot.mouseClick(page.purge_button, Qt.MouseButton.LeftButton)  # Cancel
    qtbot.waitUntil(lambda: len(asked) == 1)  # the records past retention are looked up in the background
    assert "01/06/1980" in asked[0] and "35 years" in asked[0] and "3 records" in asked[0]
    assert SECRET not in asked[0] and "Turner" not in asked[0]
    assert "the content of its 4 entries about them is emptied too" in asked[0]  # the audit log's
    assert row_of(workspace, ChronologyEntry, entry_uuid)["event"] == SECRET

    answer[0] = True
    qtbot.mouseClick(page.purge_button, Qt.MouseButton.LeftButton)  # Purge
    qtbot.waitUntil(lambda: len(asked) == 2)
    wait_for_idle()
    entry = row_of(workspace, ChronologyEntry, entry_uuid)
    assert entry["deleted_stamp"] is not None and entry["event"] == ""
    qtbot.waitUntil(lambda: "Purged 3 records" in page.window().statusBar().currentMessage(), timeout=5000)
    assert "4 audit entries emptied" in page.window().statusBar().currentMessage()


def test_after_a_purge_the_older_restore_points_can_be_replaced(
    qtbot: QtBot, page: OverviewPage, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The restore points made before a purge still hold what it removed: offered, not done silently."""
    from app.store.backups import list_backups

    review_uuid, _entry, _ = review_with_entry(workspace)
    closed_long_ago(workspace, review_uuid, date(1980, 6, 1))
    workspace.backup(name="before the spring audit")
    older = list_backups(workspace.path)
    asked: list[str] = []
    monkeypatch.setattr(messages, "confirm", lambda _p, title, _text, _a: asked.append(title) or True)
    qtbot.mouseClick(page.purge_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Made a new restore point" in page.window().statusBar().currentMessage(), timeout=20_000)
    assert asked == ["Purge records past retention", "Restore points made before the purge"]
    (only,) = list_backups(workspace.path)
    assert only.note == "after a purge" and all(b.path != only.path for b in older)

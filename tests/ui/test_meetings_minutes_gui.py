"""Minutes as PDF… on a meeting with restricted items asks which minutes, by keyboard: every item (marked
restricted, for cleared members) or without the restricted items (the default), as the pack withholds."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app.meetings import minutes, service
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
        uuid = service.list_meetings(session)[0].uuid  # the coming meeting (its date follows the demo's day)
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

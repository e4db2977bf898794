"""The area-page fixture delivers change sets the way the main window does (AreaPage.deliver): a page
handles its own write knowing it made it, and a hidden page keeps what it missed until it is shown."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from app.agencies import add_agency
from app.records import ChangeSet
from app.store.workspace import Workspace
from tests.helpers.areas import area_page
from ui.areas.base import AreaContext, AreaPage

pytestmark = pytest.mark.gui


class _Watching(AreaPage):
    """Records each change set it handles and whether the context said it made it."""

    def __init__(self, context: AreaContext) -> None:
        super().__init__(context)
        self.handled: list[tuple[ChangeSet, bool]] = []

    def on_changes(self, changes: ChangeSet) -> None:
        self.handled.append((changes, self.context.made_by(self)))


def test_a_page_knows_its_own_write_and_a_hidden_page_catches_up_when_shown(qtbot: QtBot, workspace: Workspace) -> None:
    page, _statuses = area_page(qtbot, workspace, _Watching)
    assert page.context.write("Add agency", lambda uow: add_agency(uow, "Northbridge Police", "Police"), initiator=page)
    assert [(changes.touches("agency"), mine) for changes, mine in page.handled] == [(True, True)]
    assert page.context.initiator is None  # only while the page handles it

    page.hide()  # another area is shown
    for name in ("Housing", "Health Visiting"):
        assert page.context.write("Add agency", lambda uow, name=name: add_agency(uow, name, name), initiator=page)
    assert len(page.handled) == 1  # a hidden page does not reload on every change
    page.show()
    assert len(page.handled) == 2  # both missed change sets, handled together once shown
    caught_up, mine = page.handled[-1]
    assert caught_up.touches("agency") and not mine  # merged: no single initiator


def test_an_empty_change_set_reaches_no_page(qtbot: QtBot, workspace: Workspace) -> None:
    page, _statuses = area_page(qtbot, workspace, _Watching)
    assert page.context.write("Nothing", lambda _uow: None, initiator=page)
    assert page.handled == []

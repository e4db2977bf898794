"""The Exchange area: models pass Qt's model tester, import previews, conflicts resolve, status text."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget
from sqlalchemy import select

from app.exchange import service
from app.records import ChangeSet
from db.models.core import Agency
from tests.unit.test_merge import edit, introduce, make_member, send
from ui.areas.base import AreaContext
from ui.areas.exchange import AREA, ExchangePage, conflict_status


class _Progress:
    def report(self, done: int, total: int, text: str = "") -> None:
        self.last = (done, total, text)


@pytest.fixture
def members(tmp_path: Path):
    a, b = make_member(tmp_path, "Ann"), make_member(tmp_path, "Bob")
    introduce(a, b)
    with a.unit_of_work() as uow:
        uow.create(Agency, name="Police", short_name="Police")
    service.import_bundle(b, send(a, [b], tmp_path / "0.bundle"))
    yield a, b, tmp_path
    a.lock()
    b.lock()


def page_for(qtbot: Any, workspace: Any, published: list[ChangeSet], statuses: list[str]) -> ExchangePage:
    window = QWidget()
    qtbot.addWidget(window)

    def runner(label: str, work: Any, on_done: Any, cancellable: bool) -> None:
        result = work(_Progress())
        if on_done is not None:
            on_done(result)

    context = AreaContext(workspace, window, runner, published.append, statuses.append, lambda key: None)
    page = AREA.factory(context)
    qtbot.addWidget(page)
    return page


@pytest.mark.gui
def test_models_pass_the_model_tester_and_show_contacts_and_history(qtbot: Any, qtmodeltester: Any, members) -> None:
    a, b, _ = members
    page = page_for(qtbot, b, [], [])
    assert page.contacts_model.rowCount() == 1
    assert page.contacts_model.data(page.contacts_model.index(0, 0)) == "Ann"
    assert page.contacts_model.data(page.contacts_model.index(0, 3)) == "trusted"
    assert page.history_model.data(page.history_model.index(0, 1)) == "received"
    for model in (page.contacts_model, page.history_model, page.conflicts_model):
        qtmodeltester.check(model)
    for widget in page.findChildren(QWidget):
        if widget.metaObject().className() in ("QPushButton", "QTableView", "QTabWidget"):
            assert widget.accessibleName(), widget


@pytest.mark.gui
def test_import_preview_apply_and_conflict_restore(qtbot: Any, members, monkeypatch: pytest.MonkeyPatch) -> None:
    a, b, tmp = members
    edit(b, "Police", name="Bob's name")
    edit(a, "Police", name="Ann's name")  # later: wins, Bob's value goes to the conflict log
    bundle = tmp / "a.bundle"
    send(a, [b], bundle)
    published: list[ChangeSet] = []
    page = page_for(qtbot, b, published, [])
    previews: list[service.ImportReport] = []
    monkeypatch.setattr(page, "confirm_import", lambda report: previews.append(report) or True)
    monkeypatch.setattr("ui.areas.exchange.show_info", lambda *args: None)
    page.import_file(bundle)
    assert previews and previews[0].dry_run and previews[0].totals["conflicts"] == 1
    assert published and published[-1].touches("agency")
    assert page.conflicts_model.rowCount() == 1
    assert "1 unresolved" in page.tabs.tabText(page.conflicts_index)
    assert conflict_status(b) == "1 unresolved conflict"
    page.conflicts_view.setCurrentIndex(page.conflicts_model.index(0, 0))
    assert "Kept (lost) value" in page.comparison.text()
    kept = page.conflicts_model.row(0).losing_value
    assert kept == "Bob's name"
    page.restore_selected()
    with b.reading() as session:
        assert session.scalars(select(Agency.name)).one() == kept
    assert page.conflicts_model.rowCount() == 0 and conflict_status(b) == ""

"""The scorecard page on the demo workspace says what the printed report says: each figure's direction of
travel, rises too, and a rate's unit (real, encrypted workspace)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.store.workspace import Workspace
from tests.helpers.areas import performance_page
from ui.areas.performance import PerformancePage

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot: QtBot, demo_workspace: Workspace) -> Iterator[PerformancePage]:
    window = QWidget()
    qtbot.addWidget(window)
    performance = performance_page(demo_workspace, window, lambda _t: None)
    qtbot.addWidget(performance)
    performance.resize(1280, 760)
    performance.show()
    qtbot.waitExposed(performance)
    yield performance
    performance.shutdown()


def _cells(page: PerformancePage, code: str, agency: str) -> dict[str, str]:
    """The scorecard row of `code` for `agency` as the table shows it, by column heading."""
    model = page.scores
    headings = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    row = next(r for r in range(model.rowCount()) if (model.rows[r].code, model.rows[r].agency) == (code, agency))
    return {h: model.index(row, c).data() for c, h in enumerate(headings)}


def test_the_scorecard_shows_rises_and_says_per_how_many_a_rate_is(page: PerformancePage) -> None:
    """Every figure that went up read "not shown (small numbers)" (MISS-EPIS 248 after 122 among them), so the
    page showed falls only; and CPP-RATE read "44.0" with no "per 10,000"."""
    missing = _cells(page, "MISS-EPIS", "Police")
    assert missing["Direction of travel"] == "↑ up", missing
    rate = _cells(page, "CPP-RATE", "CSC")
    assert rate["Latest"].endswith(" per 10,000"), rate
    rising = [r for r in page.scores.rows if r.direction.startswith("↑")]
    assert len(rising) > 5, [(r.code, r.agency, r.direction) for r in page.scores.rows]
    if os.environ.get("WB_GRAB"):  # a look at the table as members see it
        page.score_table.grab().save(os.environ["WB_GRAB"])

"""Issue 10.6: the smaller things a first real use met, each pinned as a user meets it (keyboard)."""
from __future__ import annotations

from datetime import date
from typing import Any, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.actions.queries import list_actions
from app.agencies import list_agencies
from app.chronology.service import list_entries
from app.reviews.register import list_reviews
from app.store.workspace import Workspace
from tests.ui.reviews_helpers import immediate_context
from ui.actions.form import ActionFormDialog
from ui.areas.reviews import ReviewsPage
from ui.reviews.review_view import ReviewView

pytestmark = pytest.mark.gui


@pytest.fixture
def reviews(qtbot: QtBot, demo_workspace: Workspace) -> Iterator[tuple[ReviewsPage, list[str]]]:
    window = QWidget()
    qtbot.addWidget(window)
    pages: list[Any] = []
    context, statuses = immediate_context(demo_workspace, window, pages)
    page = ReviewsPage(context)
    pages.append(page)
    qtbot.addWidget(page)
    page.show()
    yield page, statuses
    page.shutdown()


@pytest.fixture
def view(reviews: tuple[ReviewsPage, list[str]], demo_workspace: Workspace) -> ReviewView:
    page, _statuses = reviews
    with demo_workspace.reading() as session:
        uuid = max(list_reviews(session), key=lambda r: len(list_entries(session, r.uuid))).uuid
    page.open_review(uuid)
    assert page.review is not None
    return page.review


def test_create_action_from_a_recommendation(qtbot: QtBot, view: ReviewView, reviews: tuple[ReviewsPage, list[str]],
                                             demo_workspace: Workspace) -> None:
    """Copies the text and the agency it names, proposes a due date, reads 31/03/2027 whole, Tab leaves the
    date box, and the new reference is confirmed."""
    _page, statuses = reviews
    with demo_workspace.reading() as session:
        police_name, police_short = next((a.name, a.short_name) for a in list_agencies(session)
                                         if "police" in a.name.casefold())
    findings = view.findings
    findings.new_recommendation()
    wording = f"{police_name} should audit how strategy discussions record the child's voice."
    findings.recommendation_text.setPlainText(wording)
    findings.save_recommendation()
    row = next(r for r in range(findings.recommendations.count())
               if "strategy discussions" in findings.recommendations.item(r).text())
    findings.recommendations.setCurrentRow(row)
    findings.create_action()
    dialog = findings.dialog
    assert isinstance(dialog, ActionFormDialog)
    assert dialog.title.toPlainText() == wording
    assert dialog.owner.currentData() == police_short
    proposed = dialog.due.value()
    assert proposed is not None and proposed > date.today()
    dialog.due.setFocus()
    dialog.due.selectAll()
    qtbot.keyClicks(dialog.due, "31/03/2027")
    qtbot.keyClick(dialog.due, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not dialog.due and not dialog.due.isAncestorOf(QApplication.focusWidget())
    assert dialog.due.value() == date(2027, 3, 31)
    dialog.save()
    with demo_workspace.reading() as session:
        made = next(a for a in list_actions(session) if a.title == wording)
    assert made.due == date(2027, 3, 31)
    assert any(made.reference in status and "created" in status for status in statuses)

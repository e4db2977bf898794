"""Deleting a glossary term asks first: anonymised exports stop replacing that name."""
from __future__ import annotations

from typing import Any, Iterator

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.chronology.service import list_entries
from app.reviews.register import list_reviews
from app.workspace import Workspace
from tests.ui.reviews_helpers import immediate_context
from ui import messages
from ui.areas.reviews import ReviewsPage
from ui.reviews.review_view import ReviewView

pytestmark = pytest.mark.gui


@pytest.fixture
def view(qtbot: QtBot, demo_workspace: Workspace) -> Iterator[ReviewView]:
    window = QWidget()
    qtbot.addWidget(window)
    pages: list[Any] = []
    context, _statuses = immediate_context(demo_workspace, window, pages)
    page = ReviewsPage(context)
    pages.append(page)
    qtbot.addWidget(page)
    with demo_workspace.reading() as session:
        uuid = max(list_reviews(session), key=lambda r: len(list_entries(session, r.uuid))).uuid
    page.open_review(uuid)
    assert page.review is not None
    yield page.review


def test_deleting_a_term_asks_and_declining_keeps_it(view: ReviewView, monkeypatch: pytest.MonkeyPatch) -> None:
    glossary = view.glossary
    count = glossary.terms.rowCount()
    glossary.terms.setCurrentCell(0, 0)
    term = glossary.terms.item(0, 0).text()
    asked: list[str] = []
    monkeypatch.setattr(messages, "confirm", lambda _p, _t, text, _a: asked.append(text) or False)
    glossary.delete()
    assert asked and term in asked[0] and glossary.terms.rowCount() == count
    monkeypatch.setattr(messages, "confirm", lambda *_a: True)
    glossary.delete()
    assert glossary.terms.rowCount() == count - 1
    assert term not in {glossary.terms.item(r, 0).text() for r in range(glossary.terms.rowCount())}

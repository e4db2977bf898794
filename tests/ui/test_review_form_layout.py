"""The new review form (Ctrl+Shift+N) fits a 1280 x 800 laptop, and an 800 px wide screen at its narrowest:
the agencies are listed whole, with room for a partnership's eight, and nothing but the window's margin is
under the buttons."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QListWidget, QWidget
from pytestqt.qtbot import QtBot

from app.store.workspace import Workspace
from tests.helpers.areas import area_page
from tests.helpers.shortcut_audit import mnemonic
from ui.areas.reviews import ReviewsPage
from ui.reviews.register import COMFORTABLE_WIDTH, NewReviewDialog

pytestmark = pytest.mark.gui

#: each field's Alt letter, by its accessible name, as the form has always given them
LETTERS = {
    "Kind of review": "K",
    "Review title": "T",
    "Subject's pseudonym": "U",
    "Subject's date of birth": "B",
    "Scope from": "F",
    "Scope to": "O",
    "Incident known on": "I",
    "Notified on": "N",
    "Method": "M",
    "Status": "A",
    "Lead reviewers": "L",
    "Participating agencies": "G",
}


@pytest.fixture
def form(qtbot: QtBot, demo_workspace: Workspace) -> Iterator[NewReviewDialog]:
    page, _statuses = area_page(qtbot, demo_workspace, ReviewsPage)
    page.window().resize(1280, 800)
    page.new_review_action.trigger()
    dialog = page.dialog
    assert isinstance(dialog, NewReviewDialog)
    qtbot.waitExposed(dialog)
    yield dialog
    dialog.reject()
    page.shutdown()


def _listed_whole_with_room_for_eight(agencies: QListWidget) -> None:
    assert agencies.count() == 8  # the demo's
    assert agencies.horizontalScrollBar().maximum() == 0, "an agency's name runs under the list's edge"
    assert not agencies.horizontalScrollBar().isVisible()
    rows_seen = agencies.viewport().height() // agencies.sizeHintForRow(0)
    assert rows_seen >= 8, f"the list shows {rows_seen} agencies at once"
    last = agencies.visualItemRect(agencies.item(agencies.count() - 1))
    assert agencies.viewport().rect().contains(last), "the last agency is scrolled out of sight"


def test_the_agencies_are_listed_whole_with_room_for_eight(form: NewReviewDialog) -> None:
    _listed_whole_with_room_for_eight(form.agencies)


def test_at_its_narrowest_the_form_fits_an_800_pixel_screen_with_the_agencies_whole(
    qtbot: QtBot, form: NewReviewDialog
) -> None:
    narrowest = form.minimumSizeHint()
    assert narrowest.width() <= 760, f"the form is {narrowest.width()} px wide at its narrowest"
    form.resize(narrowest)
    qtbot.waitUntil(lambda: form.size() == narrowest)
    _listed_whole_with_room_for_eight(form.agencies)
    for label in form.findChildren(QLabel):
        field = label.buddy()
        if field is not None:  # each field whole, beside or above the list, none squeezed under another
            assert field.height() >= field.minimumSizeHint().height(), label.text()
            assert field.width() >= field.minimumSizeHint().width(), label.text()
            assert not field.geometry().intersects(form.agencies.geometry()) or field is form.agencies


def test_it_opens_as_wide_as_the_screen_allows_up_to_a_comfortable_width(form: NewReviewDialog) -> None:
    """At its narrowest the fields cut their hints short: it opens wider where the screen has room (the
    test screen is 800 px wide, so here that is the screen less a margin, not its narrowest)."""
    room = form.screen().availableGeometry().width() - 40
    assert form.width() == max(form.minimumSizeHint().width(), min(COMFORTABLE_WIDTH, room))
    assert form.width() > form.minimumSizeHint().width()  # wider than its narrowest, where there is room
    assert form.width() <= form.screen().availableGeometry().width()


def test_the_buttons_are_the_last_thing_in_the_form(form: NewReviewDialog) -> None:
    buttons = form.findChild(QDialogButtonBox)
    assert buttons is not None
    margin = form.layout().contentsMargins().bottom()
    assert form.height() - buttons.geometry().bottom() - 1 <= margin, "an empty band under the buttons"
    spacing = form.layout().spacing()
    above = [
        w.geometry().bottom()
        for w in form.findChildren(QWidget)
        if w.parent() is form
        and w is not buttons
        and w.isVisible()
        and not (isinstance(w, QLabel) and not w.text())  # an empty label shows nothing: it is the band
        and w.geometry().bottom() < buttons.y()
    ]
    assert buttons.y() - max(above) - 1 <= 2 * spacing, "an empty band above the buttons"
    assert form.height() <= form.sizeHint().height()


def test_each_field_keeps_its_alt_letter_and_name(form: NewReviewDialog) -> None:
    letters = {
        label.buddy().accessibleName(): mnemonic(label.text())
        for label in form.findChildren(QLabel)
        if label.buddy() is not None and label.isVisible()
    }
    assert letters == LETTERS
    assert form.agencies.accessibleName() == "Participating agencies"
    assert form.agencies.item(0).flags() & Qt.ItemFlag.ItemIsUserCheckable

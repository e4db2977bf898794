"""The overview's "Stored records" counts follow each change in the labels already shown: a refresh sets
the numbers (and the names a screen reader reads) rather than destroying and making again every row."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel
from pytestqt.qtbot import QtBot

from app.store.workspace import Workspace
from tests.helpers.shell import unlocked_on
from ui.areas.overview import OverviewPage
from ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def _rows(page: OverviewPage) -> dict[str, tuple[QLabel, QLabel]]:
    """The "Stored records" rows: kind -> its number's label and its words' label."""
    rows = {}
    for row in range(page.records_form.rowCount()):
        number, words = (
            page.records_form.itemAt(row, role).widget()
            for role in (QFormLayout.ItemRole.LabelRole, QFormLayout.ItemRole.FieldRole)
        )
        assert isinstance(number, QLabel) and isinstance(words, QLabel)
        rows[words.text()] = (number, words)
    return rows


def test_a_new_agency_changes_the_number_in_the_label_shown(
    qtbot: QtBot, window: MainWindow, workspace: Workspace
) -> None:
    page = unlocked_on(window, workspace, "overview")
    assert isinstance(page, OverviewPage)
    before = _rows(page)
    agencies = next(kind for kind in before if "agenc" in kind.lower())
    number, words = before[agencies]
    assert (number.text(), words.accessibleName()) == ("0", f"{agencies}: 0")
    changes = before["Changes in the audit log"][0].text()

    page.add_agency()
    dialog = page.dialog
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.name, "Northbridge Police")
    dialog.short_name.setFocus()
    qtbot.keyClicks(dialog.short_name, "Police")
    qtbot.keyClick(dialog.short_name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())

    after = _rows(page)
    assert list(after) == list(before)  # the same kinds, in the same order
    assert all(after[kind][0] is before[kind][0] and after[kind][1] is before[kind][1] for kind in before)
    assert (number.text(), words.accessibleName()) == ("1", f"{agencies}: 1")
    assert before["Changes in the audit log"][0].text() != changes

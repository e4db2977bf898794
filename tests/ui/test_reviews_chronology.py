"""The reviews area on the demo workspace: register, chronology editing, filters, undo, anonymised view."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from app.chronology.rows import load_rows
from app.chronology.service import get_entry, list_entries
from app.dates.fuzzy import DatePrecision
from app.reviews.register import find_review
from app.store.workspace import Workspace
from tests.helpers.areas import answer_save_question, area_page, largest_review, made_by_seen
from tests.helpers.shell import refused_error
from tests.helpers.workspaces import refuse_commits
from ui import messages
from ui.areas.reviews import ReviewsPage
from ui.reviews.chronology_model import AGENCY_COLUMN, DATE_COLUMN, ChronologyTableModel
from ui.reviews.register import CLOCK_COLUMN, NewReviewDialog, RegisterTableModel

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot: QtBot, demo_workspace: Workspace) -> Iterator[ReviewsPage]:
    reviews_page, statuses = area_page(qtbot, demo_workspace, ReviewsPage)
    reviews_page.statuses = statuses  # type: ignore[attr-defined]  # the tests read the status texts here
    yield reviews_page
    reviews_page.shutdown()


def _open(page: ReviewsPage, uuid: str) -> Any:
    page.open_review(uuid)
    assert page.review is not None
    return page.review.chronology


def _press_new_entry(page: ReviewsPage, qtbot: QtBot, review: str) -> tuple[Any, int]:
    """Open the review, stand on its first row and press Ctrl+N: (the chronology tab, rows before)."""
    chronology = _open(page, review)
    total = chronology.model.rowCount()
    chronology.table.setFocus()
    chronology.select_uuid(chronology.model.row_at(0).uuid)
    qtbot.keyClick(chronology.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    return chronology, total


def test_models_pass_the_model_tester(qtmodeltester: Any, demo_workspace: Workspace, page: ReviewsPage) -> None:
    qtmodeltester.check(page.model)
    assert isinstance(page.model, RegisterTableModel) and page.model.rowCount() >= 2
    with demo_workspace.reading() as session:
        rows = load_rows(session, largest_review(demo_workspace))
    model = ChronologyTableModel()
    model.set_rows(rows)
    qtmodeltester.check(model)
    model.sort(AGENCY_COLUMN, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)
    # agency colour with readable text, and the agency's name as text too
    index = model.index(0, AGENCY_COLUMN)
    assert index.data() == model.row_at(0).agency
    assert index.data(Qt.ItemDataRole.BackgroundRole).color().name() == model.row_at(0).agency_colour.lower()


def test_register_shows_clocks_in_words_and_adds_a_review(
    page: ReviewsPage, qtbot: QtBot, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = made_by_seen(monkeypatch, page)
    texts = [page.model.index(r, CLOCK_COLUMN).data() for r in range(page.model.rowCount())]
    assert any(t.startswith(("Due soon", "Overdue")) for t in texts), texts
    soon = next(
        r
        for r in range(page.model.rowCount())
        if page.model.index(r, CLOCK_COLUMN).data().startswith(("Due soon", "Overdue"))
    )
    assert page.model.index(soon, CLOCK_COLUMN).data(Qt.ItemDataRole.BackgroundRole) is not None
    before = page.model.rowCount()
    page.new_review_action.trigger()
    dialog = page.dialog
    assert isinstance(dialog, NewReviewDialog) and dialog.isVisible()
    dialog.kind.setCurrentIndex(dialog.kind.findData("rapid"))
    qtbot.keyClicks(dialog.title, "Rapid review of Child Q")
    dialog.subject.setText("Child Q")
    dialog.notified.setText("02/02/2026")
    assert "Rapid review to the national panel: due 23/02/2026" in dialog.clocks.text()
    dialog.scope_from.setText("31/02/2020")  # impossible: the dialog stays open and says why
    dialog.save()
    assert dialog.isVisible() and "scope start" in dialog.problem.text()
    assert (dialog.title.text(), dialog.scope_from.text()) == ("Rapid review of Child Q", "31/02/2020")  # kept
    assert seen == []
    dialog.scope_from.setText("01/01/2020")
    dialog.save()
    assert not dialog.isVisible() and dialog.reference and dialog.reference.startswith("RR-2026-")
    assert seen == [True]  # the page's own write, as context.write would publish it
    assert page.model.rowCount() == before + 1
    with demo_workspace.reading() as session:
        review = find_review(session, dialog.reference)
        assert review.title == "Rapid review of Child Q" and review.notified_on.isoformat() == "2026-02-02"


def test_a_registration_refused_at_its_commit_leaves_the_form_a_new_review(
    page: ReviewsPage, qtbot: QtBot, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The review was made inside the transaction before the disk refused the commit: the form must not
    name it (its reference is what the register's status line confirms)."""
    seen = made_by_seen(monkeypatch, page)
    before = page.model.rowCount()
    page.new_review_action.trigger()
    dialog = page.dialog
    assert isinstance(dialog, NewReviewDialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("rapid"))
    qtbot.keyClicks(dialog.title, "Rapid review of Child R")
    dialog.subject.setText("Child R")
    dialog.notified.setText("02/02/2026")
    refuse_commits(demo_workspace)
    try:
        dialog.save()
    finally:
        refuse_commits(demo_workspace, False)
    assert dialog.isVisible() and "disk is full" in dialog.problem.text()
    assert (dialog.review_uuid, dialog.saved_uuid, dialog.reference) == (None, "", None)
    assert seen == [] and page.model.rowCount() == before

    dialog.save()  # the disk has room again: it is registered
    assert not dialog.isVisible() and dialog.reference and dialog.reference.startswith("RR-2026-")
    assert seen == [True] and page.model.rowCount() == before + 1
    with demo_workspace.reading() as session:
        assert find_review(session, dialog.reference).uuid == dialog.saved_uuid


def test_filters_narrow_the_table(page: ReviewsPage, qtbot: QtBot) -> None:
    chronology = _open(page, largest_review(page.context.workspace))
    total = chronology.model.rowCount()
    assert total >= 250 and f"{total} of {total}" in chronology.count_label.text()
    qtbot.keyClicks(chronology.search, "home visit")
    shown = chronology.model.visible_rows()
    assert 0 < len(shown) < total and all(
        "home visit" in (r.event + r.source + r.action_outcome).casefold()
        or "home visit" in r.agency_analysis.casefold()
        or "home visit" in r.reviewer_comment.casefold()
        for r in shown
    )
    chronology.clear_filters()
    assert chronology.model.rowCount() == total
    qtbot.keyClicks(chronology.search, "no entry says xyzzy")
    assert chronology.model.rowCount() == 0  # and the empty table says why, not "No entries yet"
    assert chronology.table.accessibleDescription() == (
        f"No entries match these filters. Clear filters to see all {total} entries."
    )
    chronology.clear_filters()
    assert chronology.model.rowCount() == total
    police = next(
        r for r in range(chronology.agency_filter.count()) if chronology.agency_filter.item(r).text() == "Police"
    )
    chronology.agency_filter.item(police).setCheckState(Qt.CheckState.Checked)
    assert {r.agency for r in chronology.model.visible_rows()} == {"Police"}
    chronology.significant_only.setChecked(True)
    assert chronology.model.visible_rows() and all(r.significant for r in chronology.model.visible_rows())
    chronology.clear_filters()
    chronology.date_from.setText("01/01/2022")
    chronology.date_to.setText("31/03/2022")
    chronology.apply_filters()
    shown = chronology.model.visible_rows()
    assert shown and all(
        r.date.latest().isoformat() >= "2022-01-01" and r.date.earliest().isoformat() <= "2022-03-31" for r in shown
    )
    chronology.date_to.setText("13/13/2022")
    chronology.apply_filters()
    assert "to date" in chronology.filter_problem.text()
    chronology.clear_filters()
    chronology.child_seen_filter.setCurrentIndex(chronology.child_seen_filter.findData("yes"))
    assert all(r.child_seen is True for r in chronology.model.visible_rows())
    chronology.clear_filters()
    chronology.episode_filter.setCurrentIndex(1)
    episode = chronology.episode_filter.currentData()
    assert chronology.model.visible_rows() and all(episode in r.episodes for r in chronology.model.visible_rows())


def test_sorting_keeps_uncertain_dates_marked(page: ReviewsPage) -> None:
    chronology = _open(page, largest_review(page.context.workspace))
    model = chronology.model
    keys = [r.sort_key for r in model.visible_rows()]
    assert keys == sorted(keys)
    chronology.table.sortByColumn(DATE_COLUMN, Qt.SortOrder.DescendingOrder)
    assert [r.sort_key for r in model.visible_rows()] == sorted(keys, reverse=True)
    uncertain = [n for n in range(model.rowCount()) if model.row_at(n).uncertain]
    assert uncertain, "the demo has uncertain dates"
    marks = {DatePrecision.MONTH: "(month\xa0only)", DatePrecision.YEAR: "(year\xa0only)"}
    for n in uncertain:  # each says what of it is not known, in words kept with the date (not colour alone)
        row, text = model.row_at(n), model.index(n, DATE_COLUMN).data()
        if row.date.precision is DatePrecision.DAY:
            assert text == row.date_text and text.endswith("?"), text
        else:
            assert text.endswith("\xa0" + marks[row.date.precision]) and "uncertain" not in text, text
        # its tooltip says which: "not known to the day or is approximate" left the reader to guess
        tip = model.index(n, DATE_COLUMN).data(Qt.ItemDataRole.ToolTipRole)
        known = {
            DatePrecision.DAY: "",
            DatePrecision.MONTH: "Known to the month only",
            DatePrecision.YEAR: "Known to the year only",
        }
        what = known[row.date.precision]
        if row.date.approximate:
            what = f"{what}, and approximate" if what else "Approximate"
        assert tip == f"{row.date_text}\n{what}", tip
    assert {model.row_at(n).date.precision for n in uncertain} >= {DatePrecision.MONTH, DatePrecision.YEAR}


def test_edit_undo_redo_through_the_editor(page: ReviewsPage, qtbot: QtBot, demo_workspace: Workspace) -> None:
    chronology = _open(page, largest_review(demo_workspace))
    chronology.table.setFocus()
    chronology.select_uuid(chronology.model.row_at(5).uuid)
    uuid = chronology.current_uuid()
    original = chronology.editor.event_text.toPlainText()
    chronology.editor.event_text.setPlainText("Edited in the detail editor")
    chronology.editor.significant.setChecked(True)
    qtbot.keyClick(chronology.editor.event_text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    with demo_workspace.reading() as session:
        entry = get_entry(session, uuid)
        assert entry.event == "Edited in the detail editor" and entry.significant
    assert chronology.current_uuid() == uuid
    assert chronology.model.row_at(chronology.table.currentIndex().row()).event == "Edited in the detail editor"
    chronology.table.setFocus()
    qtbot.keyClick(chronology.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    with demo_workspace.reading() as session:
        assert get_entry(session, uuid).event == original
    qtbot.keyClick(
        chronology.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    with demo_workspace.reading() as session:
        assert get_entry(session, uuid).event == "Edited in the detail editor"
    # a refused edit (unreadable date) shows an error and never reaches the undo stack
    depth = chronology.undo_stack.count()
    chronology.editor.start_date.setText("31/02/2020")
    chronology.editor.request_save()
    assert chronology.undo_stack.count() == depth
    errors = [w for w in chronology.findChildren(QWidget) if w.objectName() == "errorMessage" and w.isVisible()]
    assert errors


def test_an_undo_the_disk_refuses_says_so_and_clears_the_history(
    page: ReviewsPage, qtbot: QtBot, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    chronology = _open(page, largest_review(demo_workspace))
    chronology.select_uuid(chronology.model.row_at(3).uuid)
    uuid = chronology.current_uuid()
    seen = made_by_seen(monkeypatch, page.review, chronology)
    chronology.editor.event_text.setPlainText("Edited before the disk filled")
    chronology.editor.request_save()
    assert chronology.undo_stack.count() == 1 and seen == [True]  # the tab's own edit
    title, said = refused_error(demo_workspace, chronology, chronology.undo)
    assert title == "Undo" and "read-only" in said and said.endswith("The undo history was cleared.")
    assert chronology.undo_stack.count() == 0 and seen == [True]  # nothing published
    with demo_workspace.reading() as session:
        assert get_entry(session, uuid).event == "Edited before the disk filled"

    chronology.editor.event_text.setPlainText("Edited again")
    chronology.editor.request_save()
    chronology.undo()
    assert chronology.undo_stack.count() == 1 and chronology.undo_stack.canRedo()
    title, said = refused_error(demo_workspace, chronology, chronology.redo)  # the same for a redo
    assert title == "Redo" and said.endswith("The undo history was cleared.") and chronology.undo_stack.count() == 0
    with demo_workspace.reading() as session:
        assert get_entry(session, uuid).event == "Edited before the disk filled"


def test_add_duplicate_delete_with_confirmation_and_undo(
    page: ReviewsPage, qtbot: QtBot, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    review = largest_review(demo_workspace)
    chronology, total = _press_new_entry(page, qtbot, review)
    editor = chronology.editor
    assert editor.uuid is None and editor.start_date.hasFocus()
    editor.start_date.setText("c. June 2021")
    editor.source.setText("Reviewer note")
    editor.event_text.setPlainText("Strategy discussion added by the reviewer")
    editor.request_save()
    assert chronology.model.rowCount() == total + 1
    added = chronology.current_uuid()
    new_row = chronology.model.row_at(chronology.table.currentIndex().row())
    assert added and new_row.uncertain and new_row.sequence == max(r.sequence for r in chronology.model.rows)
    qtbot.keyClick(chronology.table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert chronology.model.rowCount() == total + 2
    copy = chronology.current_uuid()
    assert copy != added

    asked: list[str] = []
    monkeypatch.setattr(messages, "confirm", lambda _p, _t, text, _a: asked.append(text) or False)
    qtbot.keyClick(chronology.table, Qt.Key.Key_Delete)
    assert asked and chronology.model.rowCount() == total + 2  # declined: nothing deleted
    monkeypatch.setattr(messages, "confirm", lambda *_a: True)
    qtbot.keyClick(chronology.table, Qt.Key.Key_Delete)
    assert chronology.model.rowCount() == total + 1
    with demo_workspace.reading() as session:
        assert copy not in {e.uuid for e in list_entries(session, review)}
    chronology.undo()  # the deletion: the entry comes back with a new id
    assert chronology.model.rowCount() == total + 2
    chronology.undo()  # the duplication
    chronology.undo()  # the addition
    assert chronology.model.rowCount() == total
    chronology.redo()
    chronology.redo()
    assert chronology.model.rowCount() == total + 2
    chronology.redo()  # delete again: follows the restored entry's new id
    assert chronology.model.rowCount() == total + 1
    with demo_workspace.reading() as session:
        events = [e.event for e in list_entries(session, review)]
    assert events.count("Strategy discussion added by the reviewer") == 1


def test_anonymised_view_replaces_glossary_names_and_is_read_only(page: ReviewsPage, qtbot: QtBot) -> None:
    chronology = _open(page, largest_review(page.context.workspace))
    real = " ".join(r.event for r in chronology.model.visible_rows())
    assert "Kerry Dawson" in real or "Ms Dawson" in real
    qtbot.keyClick(
        chronology.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert chronology.anonymised and chronology.anonymised_toggle.isChecked()
    shown = " ".join(r.event for r in chronology.model.visible_rows())
    assert "Kerry Dawson" not in shown and "Ms Dawson" not in shown and "Mother" in shown
    chronology.select_uuid(chronology.model.row_at(0).uuid)
    assert chronology.editor.event_text.isReadOnly() and not chronology.editor.save_button.isEnabled()
    count = chronology.model.rowCount()
    qtbot.keyClick(chronology.table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert chronology.model.rowCount() == count  # no edits in the anonymised view
    chronology.anonymised_toggle.setChecked(False)
    assert "Kerry Dawson" in " ".join(r.event for r in chronology.model.visible_rows()) or "Ms Dawson" in " ".join(
        r.event for r in chronology.model.visible_rows()
    )


def test_likely_duplicates_are_shown_confirmed_and_dismissed_never_deleted(
    page: ReviewsPage, demo_workspace: Workspace
) -> None:
    review = largest_review(demo_workspace)
    chronology = _open(page, review)
    total = chronology.model.rowCount()
    flagged = next(r for r in chronology.model.visible_rows() if r.duplicates)
    chronology.select_uuid(flagged.uuid)
    assert chronology.duplicate_list.count() >= 1
    assert chronology.duplicate_list.item(0).text().startswith("Suggested: ")
    other = chronology.duplicates[0].other_uuid
    chronology.show_pair()
    assert {r.uuid for r in chronology.model.visible_rows()} == {flagged.uuid, other}
    chronology.set_pair_status("dismissed")
    assert chronology.duplicate_list.item(chronology.duplicate_list.count() - 1).text().startswith("Dismissed: ")
    chronology.clear_filters()
    assert chronology.model.rowCount() == total  # nothing deleted
    row = chronology.model.view_row_of(flagged.uuid)
    assert chronology.model.row_at(row).duplicates == flagged.duplicates - 1


def test_edit_review_changes_the_dob_and_the_ages(page: ReviewsPage, demo_workspace: Workspace) -> None:
    review = largest_review(demo_workspace)
    page.table.selectRow(next(r for r in range(page.model.rowCount()) if page.model.row_at(r).uuid == review))
    page.edit_review_action.trigger()
    dialog = page.dialog
    assert isinstance(dialog, NewReviewDialog) and dialog.windowTitle() == "Edit review"
    assert dialog.dob.text() == "14/06/2019" and dialog.subject.text()
    dialog.dob.setText("14/06/2018")
    dialog.save()
    assert not dialog.isVisible()
    chronology = _open(page, review)
    with demo_workspace.reading() as session:
        assert find_review(session, dialog.reference).subject_dob.isoformat() == "2018-06-14"
    first = chronology.model.visible_rows()[0]
    assert first.age_months is not None and first.age_months >= 12


def test_editor_keeps_nothing_of_a_deleted_entry(
    page: ReviewsPage, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    chronology = _open(page, largest_review(page.context.workspace))
    chronology.table.setFocus()
    qtbot.keyClick(chronology.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = chronology.editor
    editor.start_date.setText("03/03/2021")
    editor.source.setText("Reviewer note")
    editor.event_text.setPlainText("Entry zqxj that will be deleted")
    editor.request_save()
    qtbot.keyClicks(chronology.search, "zqxj")
    assert chronology.model.rowCount() == 1
    chronology.select_uuid(chronology.model.row_at(0).uuid)
    assert editor.event_text.toPlainText() == "Entry zqxj that will be deleted"
    monkeypatch.setattr(messages, "confirm", lambda *_a: True)
    chronology.table.setFocus()
    qtbot.keyClick(chronology.table, Qt.Key.Key_Delete)
    assert chronology.model.rowCount() == 0
    assert editor.uuid is None and not editor.isEnabled()
    shown = [
        editor.event_text.toPlainText(),
        editor.source.text(),
        editor.start_date.text(),
        editor.agency.currentText(),
    ]
    assert shown == ["", "", "", ""]


# -- unsaved edits in the detail editor: Save / Discard / Cancel before they are left ---------------------------


def _type_into_event(chronology: Any, qtbot: QtBot, row: int, typed: str) -> tuple[str, str, str]:
    """Select ``row``, F2, type at the end of the event, Esc: (its uuid, text before, uuid of the next row)."""
    chronology.table.setFocus()
    chronology.select_uuid(chronology.model.row_at(row).uuid)
    uuid, following = chronology.current_uuid(), chronology.model.row_at(row + 1).uuid
    before = chronology.editor.event_text.toPlainText()
    qtbot.keyClick(chronology.table, Qt.Key.Key_F2)
    assert chronology.editor.event_text.hasFocus()
    qtbot.keyClick(chronology.editor.event_text, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(chronology.editor.event_text, typed)
    qtbot.keyClick(chronology.editor.event_text, Qt.Key.Key_Escape)
    assert chronology.table.hasFocus()
    return uuid, before, following


def _edited_entry(
    page: ReviewsPage,
    qtbot: QtBot,
    workspace: Workspace,
    monkeypatch: pytest.MonkeyPatch,
    typed: str,
    answer: Any,
    row: int = 5,
) -> tuple[Any, str, str, str, list[str]]:
    """The largest review open, `typed` into row ``row``'s event as `_type_into_event` does, and the save question
    to be answered `answer`: (the chronology, the entry's uuid, its text before, the next row's uuid, questions asked)."""
    chronology = _open(page, largest_review(workspace))
    uuid, before, following = _type_into_event(chronology, qtbot, row, typed)
    return chronology, uuid, before, following, answer_save_question(monkeypatch, answer)


def test_leaving_an_edited_entry_asks_and_save_saves(
    page: ReviewsPage, qtbot: QtBot, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    chronology, uuid, before, following, asked = _edited_entry(
        page, qtbot, demo_workspace, monkeypatch, " Typed then left.", QMessageBox.StandardButton.Save
    )
    sequence = chronology.model.row_at(5).sequence
    qtbot.keyClick(chronology.table, Qt.Key.Key_Down)
    assert asked == [f"Save changes to entry {sequence}?"]
    with demo_workspace.reading() as session:
        assert get_entry(session, uuid).event == before + " Typed then left."
    assert chronology.current_uuid() == following  # and moved on
    with demo_workspace.reading() as session:
        assert chronology.editor.uuid == following
        assert chronology.editor.event_text.toPlainText() == get_entry(session, following).event
    assert chronology.undo_stack.count() == 1  # saved as Ctrl+Enter saves: undoable
    qtbot.keyClick(chronology.table, Qt.Key.Key_Down)  # nothing typed since: no question
    assert len(asked) == 1


def test_leaving_an_edited_entry_discard_drops_the_edits(
    page: ReviewsPage, qtbot: QtBot, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    chronology, uuid, before, following, asked = _edited_entry(
        page, qtbot, demo_workspace, monkeypatch, " To be discarded.", QMessageBox.StandardButton.Discard
    )
    qtbot.keyClick(chronology.table, Qt.Key.Key_Down)
    assert len(asked) == 1 and chronology.current_uuid() == following
    with demo_workspace.reading() as session:
        assert get_entry(session, uuid).event == before
    assert chronology.undo_stack.count() == 0
    qtbot.keyClick(chronology.table, Qt.Key.Key_Up)  # back on it: the stored text, no question
    assert chronology.current_uuid() == uuid and chronology.editor.event_text.toPlainText() == before
    assert len(asked) == 1


def test_leaving_an_edited_entry_cancel_stays_with_the_edits(
    page: ReviewsPage, qtbot: QtBot, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    chronology, uuid, before, _following, asked = _edited_entry(
        page, qtbot, demo_workspace, monkeypatch, " Still being written.", QMessageBox.StandardButton.Cancel
    )
    qtbot.keyClick(chronology.table, Qt.Key.Key_Down)
    assert len(asked) == 1
    assert chronology.current_uuid() == uuid and chronology.editor.uuid == uuid
    assert [chronology.model.row_at(i.row()).uuid for i in chronology.table.selectionModel().selectedRows()] == [uuid]
    assert chronology.editor.event_text.toPlainText() == before + " Still being written."
    with demo_workspace.reading() as session:
        assert get_entry(session, uuid).event == before
    # a mouse click on another row: the same
    elsewhere = chronology.table.visualRect(chronology.model.index(chronology.model.view_row_of(uuid) + 2, 1))
    qtbot.mouseClick(chronology.table.viewport(), Qt.MouseButton.LeftButton, pos=elsewhere.center())
    assert len(asked) == 2 and chronology.current_uuid() == uuid
    assert [chronology.model.row_at(i.row()).uuid for i in chronology.table.selectionModel().selectedRows()] == [uuid]
    # Ctrl+N is a way out of the entry too: Cancel again keeps everything
    qtbot.keyClick(chronology.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert len(asked) == 3 and chronology.editor.uuid == uuid
    assert chronology.editor.event_text.toPlainText() == before + " Still being written."
    # a reload (another change elsewhere) keeps the edits and asks nothing
    chronology.reload()
    assert len(asked) == 3 and chronology.current_uuid() == uuid
    assert chronology.editor.event_text.toPlainText() == before + " Still being written."
    # the edits are still saveable with Ctrl+Enter
    qtbot.keyClick(chronology.editor.event_text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    with demo_workspace.reading() as session:
        assert get_entry(session, uuid).event == before + " Still being written."
    assert len(asked) == 3


def test_no_question_when_nothing_changed(
    page: ReviewsPage, qtbot: QtBot, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    chronology = _open(page, largest_review(demo_workspace))
    asked = answer_save_question(monkeypatch, QMessageBox.StandardButton.Cancel)
    chronology.table.setFocus()
    chronology.select_uuid(chronology.model.row_at(3).uuid)
    qtbot.keyClick(chronology.table, Qt.Key.Key_F2)
    qtbot.keyClick(chronology.editor.event_text, Qt.Key.Key_Escape)
    qtbot.keyClick(chronology.table, Qt.Key.Key_Down)
    assert chronology.current_uuid() == chronology.model.row_at(4).uuid
    # typed and typed away again: nothing to save, so nothing to ask
    qtbot.keyClick(chronology.table, Qt.Key.Key_F2)
    qtbot.keyClick(chronology.editor.event_text, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(chronology.editor.event_text, "xy")
    qtbot.keyClick(chronology.editor.event_text, Qt.Key.Key_Backspace)
    qtbot.keyClick(chronology.editor.event_text, Qt.Key.Key_Backspace)
    qtbot.keyClick(chronology.editor.event_text, Qt.Key.Key_Escape)
    qtbot.keyClick(chronology.table, Qt.Key.Key_Down)
    assert chronology.current_uuid() == chronology.model.row_at(5).uuid
    # saved with Ctrl+Enter: the reload after the save and moving on ask nothing
    uuid = chronology.current_uuid()
    qtbot.keyClick(chronology.table, Qt.Key.Key_F2)
    qtbot.keyClicks(chronology.editor.event_text, "Saved first. ")
    qtbot.keyClick(chronology.editor.event_text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(chronology.editor.event_text, Qt.Key.Key_Escape)
    qtbot.keyClick(chronology.table, Qt.Key.Key_Down)
    qtbot.keyClick(chronology.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert asked == [] and chronology.editor.uuid is None
    with demo_workspace.reading() as session:
        assert get_entry(session, uuid).event.startswith("Saved first. ")


def test_new_entry_typed_then_left_asks_and_ctrl_n_asks(
    page: ReviewsPage, qtbot: QtBot, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    review = largest_review(demo_workspace)
    chronology, total = _press_new_entry(page, qtbot, review)
    qtbot.keyClicks(chronology.editor.source, "Reviewer note")
    qtbot.keyClicks(chronology.editor.event_text, "A new entry zqxw never saved")
    qtbot.keyClick(chronology.editor.event_text, Qt.Key.Key_Escape)
    asked = answer_save_question(monkeypatch, QMessageBox.StandardButton.Cancel)
    qtbot.keyClick(chronology.table, Qt.Key.Key_Down)
    assert asked == ["Save changes to the new entry?"]
    assert (
        chronology.editor.uuid is None and chronology.editor.event_text.toPlainText() == "A new entry zqxw never saved"
    )
    assert chronology.current_uuid() == chronology.model.row_at(0).uuid
    asked = answer_save_question(monkeypatch, QMessageBox.StandardButton.Discard)
    qtbot.keyClick(chronology.table, Qt.Key.Key_Down)
    assert len(asked) == 1 and chronology.current_uuid() == chronology.model.row_at(1).uuid
    assert chronology.model.rowCount() == total
    # Ctrl+N over a new entry with text: Save adds it, then a fresh form
    qtbot.keyClick(chronology.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(chronology.editor.source, "Reviewer note")
    qtbot.keyClicks(chronology.editor.event_text, "A new entry zqxv saved on the way")
    asked = answer_save_question(monkeypatch, QMessageBox.StandardButton.Save)
    qtbot.keyClick(chronology.editor.event_text, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert asked == ["Save changes to the new entry?"]
    assert chronology.model.rowCount() == total + 1
    assert chronology.editor.uuid is None and chronology.editor.event_text.toPlainText() == ""
    with demo_workspace.reading() as session:
        events = [e.event for e in list_entries(session, review)]
    assert "A new entry zqxv saved on the way" in events and "A new entry zqxw never saved" not in events


def test_locking_drops_unsaved_edits_without_asking_or_writing(
    page: ReviewsPage, qtbot: QtBot, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    _chronology, uuid, before, _following, asked = _edited_entry(
        page, qtbot, demo_workspace, monkeypatch, " Typed before the lock.", QMessageBox.StandardButton.Save, row=2
    )
    page.shutdown()  # what locking the workspace does to the page
    qtbot.wait(10)  # let the deferred deletion of the review's widgets run too
    assert asked == []
    with demo_workspace.reading() as session:
        assert get_entry(session, uuid).event == before


def test_a_long_chronology_shows_its_first_screen_at_once_then_fills_in(
    page: ReviewsPage, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 15: the first entries are on screen while the rest load; what the member chose stays chosen."""
    from ui.reviews import chronology_tab

    monkeypatch.setattr(chronology_tab, "FIRST_SCREEN", 100)
    review = largest_review(page.context.workspace)
    with page.context.workspace.reading() as session:
        every = [r.uuid for r in load_rows(session, review)]
    assert len(every) > 100
    chronology = _open(page, review)
    assert [r.uuid for r in chronology.model.rows] == every[:100]  # in chronology order
    assert "of the first 100 entries shown; loading the rest" in chronology.count_label.text()
    assert chronology.select_uuid(every[40])  # reading starts before the rest is in
    qtbot.waitUntil(lambda: len(chronology.model.rows) == len(every), timeout=60_000)
    assert [r.uuid for r in chronology.model.rows] == every
    assert chronology.current_uuid() == every[40] and chronology.editor.uuid == every[40]
    assert f"{len(every)} of {len(every)} entries shown" == chronology.count_label.text()


def test_rows_loading_behind_the_first_screen_never_replace_newer_ones(
    page: ReviewsPage, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.chronology.service import update_entry
    from ui.operations import wait_for_idle
    from ui.reviews import chronology_tab

    monkeypatch.setattr(chronology_tab, "FIRST_SCREEN", 100)
    workspace = page.context.workspace
    review = largest_review(workspace)
    chronology = _open(page, review)
    assert chronology._filling
    with workspace.reading() as session:
        late = load_rows(session, review)[150].uuid
    with workspace.unit_of_work() as uow:
        update_entry(uow, late, event="Changed while the rest was loading")
    chronology.reload()  # as the published change asks: the whole review, in one step
    wait_for_idle()
    qtbot.wait(50)  # the older load's rows arrive now, and are dropped
    changed = chronology.model.row_at(chronology.model.view_row_of(late))
    assert changed.event == "Changed while the rest was loading"
    assert not chronology._filling and not chronology._loads_in_flight
    assert "loading" not in chronology.count_label.text()


def test_when_the_rest_cannot_be_read_the_first_screen_stays_and_says_so(
    page: ReviewsPage, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.errors import WorkspaceLocked
    from ui.reviews import chronology_tab

    monkeypatch.setattr(chronology_tab, "FIRST_SCREEN", 100)
    real_fetch = chronology_tab.fetch_rows

    def fetch(session: Any, review: str, *, limit: int | None = None, **options: Any) -> Any:
        if limit is None:  # the rest, read behind the first screen
            raise WorkspaceLocked("The workspace is locked; unlock it first.")
        return real_fetch(session, review, limit=limit, **options)

    monkeypatch.setattr(chronology_tab, "fetch_rows", fetch)
    errors: list[str] = []
    monkeypatch.setattr(messages, "show_error", lambda _p, title, text: errors.append(f"{title}: {text}"))
    chronology = _open(page, largest_review(page.context.workspace))
    qtbot.waitUntil(lambda: bool(errors), timeout=60_000)
    assert errors == [
        "Loading the chronology: Only the first entries are shown. The workspace is locked; unlock it first."
    ]
    assert len(chronology.model.rows) == 100 and not chronology._loads_in_flight
    assert chronology.count_label.text() == "100 of the first 100 entries shown; the rest could not be read"


def test_an_edit_is_patched_into_the_table_in_its_new_place_without_a_reload(
    page: ReviewsPage, qtbot: QtBot, demo_workspace: Workspace
) -> None:
    review = largest_review(demo_workspace)
    chronology = _open(page, review)
    qtbot.waitUntil(lambda: not chronology._loads_in_flight and chronology._rows_loaded, timeout=60_000)
    loads = chronology._load_number
    chronology.search.setText("a")  # a search, so the patched row's search text is kept in step too
    shown = chronology.model.rowCount()
    chronology.table.setFocus()
    chronology.select_uuid(chronology.model.row_at(shown - 1).uuid)  # the last: it moves to the first place
    uuid = chronology.current_uuid()
    chronology.editor.start_date.setText("01/01/1990")
    chronology.editor.event_text.setPlainText("A visit moved to the start")
    qtbot.keyClick(chronology.editor.event_text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert chronology._load_number == loads  # patched, not loaded again
    assert chronology.current_uuid() == uuid and chronology.table.currentIndex().row() == 0
    assert chronology.model.row_at(0).event == "A visit moved to the start"
    with demo_workspace.reading() as session:
        fresh = load_rows(session, review, lean=True)
    assert chronology.model.rows == fresh  # the same rows, places and intervals a reload would show
    assert chronology.model.rowCount() == shown
    chronology.search.setText("moved to the start")
    assert [r.uuid for r in chronology.model.visible_rows()] == [uuid]
    chronology.undo()  # undoing patches it back
    assert chronology._load_number == loads
    with demo_workspace.reading() as session:
        assert chronology.model.rows == load_rows(session, review, lean=True)


@pytest.mark.parametrize(
    ("field", "typed"), [("start_date", "31/02/2024"), ("end_date", "05/22/2016"), ("start_time", "25:70")]
)
def test_a_refused_save_leaves_the_cursor_in_the_field_it_names(
    page: ReviewsPage, qtbot: QtBot, demo_workspace: Workspace, field: str, typed: str
) -> None:
    """Ctrl+Enter in the event text with an impossible date: after the message, the cursor was back in the
    event text, so the correction (Ctrl+A, type the date) replaced the event. It is now in the date, selected."""
    chronology, _total = _press_new_entry(page, qtbot, largest_review(demo_workspace))
    editor = chronology.editor
    qtbot.keyClicks(editor.start_date, "01/03/2024")
    getattr(editor, field).setText(typed)
    qtbot.keyClicks(editor.source, "HV record")
    editor.event_text.setFocus()
    qtbot.keyClicks(editor.event_text, "Home visit, child seen.")
    qtbot.keyClick(editor.event_text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    box = next(w for w in chronology.findChildren(QMessageBox) if w.objectName() == "errorMessage" and w.isVisible())
    assert typed in box.text()
    box.accept()
    qtbot.waitUntil(lambda: getattr(editor, field).hasFocus(), timeout=2000)
    assert getattr(editor, field).selectedText() == typed
    assert editor.event_text.toPlainText() == "Home visit, child seen."

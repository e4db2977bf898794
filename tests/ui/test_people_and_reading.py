"""The people register and name scan, and the reading view with its print preview, driven by keyboard."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdfium2
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPageSize, QPdfWriter
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.chronology.exports import export_chronology
from app.chronology.people import list_decisions, list_people, name_suspects
from app.store.workspace import Workspace
from tests.helpers.areas import answer_discard_question, answer_save_question, area_page, open_largest_review
from tests.helpers.shortcut_audit import mnemonics
from ui.areas.reviews import ReviewsPage
from ui.kit import edit_guard
from ui.kit import files as common
from ui.reviews.review_view import ReviewView

pytestmark = pytest.mark.gui


@pytest.fixture
def view(qtbot: QtBot, demo_workspace: Workspace) -> Iterator[ReviewView]:
    page, _statuses = area_page(qtbot, demo_workspace, ReviewsPage, size=(1280, 760), active=True)
    yield open_largest_review(page, demo_workspace)
    page.shutdown()


def test_register_and_scan_by_keyboard_then_the_export_names_nobody(
    view: ReviewView, demo_workspace: Workspace, qtbot: QtBot, tmp_path: Path
) -> None:
    tab = view.people
    view.tabs.setCurrentWidget(tab)
    assert tab.people.rowCount() == 8 and tab.people.accessibleName() == "People register"
    tab.people.setFocus()
    alt(qtbot, Qt.Key.Key_E)  # Cl&ear form (the first person is shown in it): focus goes to the real name
    assert QApplication.focusWidget() is tab.real_name and tab.pseudonym.text() == ""
    qtbot.keyClicks(tab.real_name, "Nadia Brennan")
    qtbot.keyClicks(tab.pseudonym, "Aunt")
    qtbot.keyClicks(tab.other_names, "Nads, Auntie Nadia")
    alt(qtbot, Qt.Key.Key_D)  # A&dd person
    with demo_workspace.reading() as session:
        aunt = [p.other_names for p in list_people(session, view.review_uuid) if p.pseudonym == "Aunt"]
    assert aunt == [["Nads", "Auntie Nadia"]]
    assert tab.people.rowCount() == 9

    add_unlisted_names(demo_workspace, view.review_uuid)
    alt(qtbot, Qt.Key.Key_K)  # Chec&k for names
    words = [tab.scan_table.item(r, 0).text() for r in range(tab.scan_table.rowCount())]
    # the demo's register covers every person; its "Mummy" and "Case closed" are words, not names
    assert words == ["Bex", "Tasha"], words
    assert "2 name-like words to decide" in tab.scan_summary.text()
    out = tmp_path / "anon.csv"
    with pytest.raises(Exception, match="may still name people"):
        with demo_workspace.reading() as session:
            export_chronology(session, view.review_uuid, "csv", out, anonymised=True)
    tab.scan_table.setFocus()
    tab.scan_table.setCurrentCell(0, 0)
    qtbot.keyClick(tab.scan_table, Qt.Key.Key_Delete)  # dismiss "Bex"
    assert [tab.scan_table.item(r, 0).text() for r in range(tab.scan_table.rowCount())] == ["Tasha"]
    alt(qtbot, Qt.Key.Key_M)  # Dis&miss as not identifying
    assert tab.scan_table.rowCount() == 0 and "No undecided" in tab.scan_summary.text()
    with demo_workspace.reading() as session:
        decisions = {d.text: d for d in list_decisions(session, view.review_uuid)}
        assert decisions["Bex"].decision == "not-identifying" and decisions["Bex"].decided_by
        assert name_suspects(session, view.review_uuid) == []
    export_accepting_identifiers(demo_workspace, view.review_uuid, out)
    text = out.read_text(encoding="utf-8-sig")
    for name in ("Kerry", "Dawson", "Jordan", "Pike", "Lily", "Anand", "Nagle", "Ellery", "Crowther", "Okoro"):
        assert name not in text, name
    assert "Mother" in text


def alt(qtbot: QtBot, key: Qt.Key) -> None:
    """Alt+letter as the user types it: to the widget that has the focus (mnemonics are window shortcuts)."""
    target = QApplication.focusWidget()
    assert target is not None
    qtbot.keyClick(target, key, Qt.KeyboardModifier.AltModifier)
    qtbot.wait(250)  # a mnemonic "animates" the button's click for 100 ms before it fires


def add_unlisted_names(workspace: Workspace, review_uuid: str) -> None:
    """An entry naming two people nobody registered ("Bex", "Tasha"), for the scan to find."""
    from app.chronology import service as svc

    with workspace.unit_of_work() as uow:
        agency = svc.list_entries(uow.session, review_uuid)[0].agency_uuid
        svc.add_entry(
            uow, review_uuid, start_date="03/03/2024", agency=agency, source="School log", event=SEEN_WITH_FRIENDS
        )


SEEN_WITH_FRIENDS = "Seen in the park with Tasha and Bex after school."


def export_accepting_identifiers(workspace: Workspace, review_uuid: str, out: Path) -> None:
    """Accept (a stored decision) every finding of the identifying-data scan, then export anonymised."""
    from app.chronology.people import decide_findings, undecided_findings

    with workspace.unit_of_work() as uow:
        decide_findings(uow, review_uuid, undecided_findings(uow.session, review_uuid))
    with workspace.reading() as session:
        export_chronology(session, review_uuid, "csv", out, anonymised=True)


def test_a_word_becomes_another_name_of_a_person(view: ReviewView, demo_workspace: Workspace, qtbot: QtBot) -> None:
    tab = view.people
    view.tabs.setCurrentWidget(tab)
    add_unlisted_names(demo_workspace, view.review_uuid)
    tab.run_scan()
    tab.scan_table.setCurrentCell(1, 0)  # "Tasha" (pretend it is a nickname of the mother)
    tab.target.setCurrentIndex(tab.target.findText("Mother", Qt.MatchFlag.MatchStartsWith))
    alt(qtbot, Qt.Key.Key_J)  # &Join to that person
    with demo_workspace.reading() as session:
        mother = [p.other_names for p in list_people(session, view.review_uuid) if p.pseudonym == "Mother"][0]
    assert "Tasha" in mother
    assert [tab.scan_table.item(r, 0).text() for r in range(tab.scan_table.rowCount())] == ["Bex"]


def _role_typed_on_person(view: ReviewView, row: int) -> tuple[Any, str]:
    """The people tab with "maternal aunt" typed as the role of the person in `row`; the tab and the person."""
    people = view.people
    view.tabs.setCurrentWidget(people)
    people.people.setCurrentCell(row, 0)
    person = people._current_person()
    assert person is not None
    people.role.setText("maternal aunt")
    return people, person


def test_choosing_another_person_asks_about_the_edits_and_cancel_keeps_them(
    view: ReviewView, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    people, first = _role_typed_on_person(view, 0)
    asked = answer_save_question(monkeypatch, edit_guard.Answer.Cancel)
    people.people.setCurrentCell(1, 0)
    assert asked == ["Save changes to this person?"]
    assert people._current_person() == first and people.role.text() == "maternal aunt"
    answer_save_question(monkeypatch, edit_guard.Answer.Save)
    people.people.setCurrentCell(1, 0)
    with demo_workspace.reading() as session:
        assert {p.uuid: p.role for p in list_people(session, view.review_uuid)}[first] == "maternal aunt"
    assert people._current_person() != first and not people.guard.dirty()


def test_typing_on_a_person_a_change_elsewhere_removes_stays_said_to_be_unlisted(
    view: ReviewView, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Like the agenda's: the refill left the typing with no row and no word, and the next row replaced it."""
    from app.chronology.people import delete_person

    people, gone = _role_typed_on_person(view, 1)
    with demo_workspace.unit_of_work() as uow:
        delete_person(uow, gone)
    view.on_changes(uow.changes)
    assert gone not in people.person_uuids and people.guard.unlisted and people.role.text() == "maternal aunt"
    asked = answer_discard_question(monkeypatch, False)  # Keep editing
    people.people.setCurrentCell(0, 0)
    assert len(asked) == 1 and people.role.text() == "maternal aunt"


def test_a_new_person_typed_after_clear_form_is_asked_about_before_a_clicked_person_replaces_it(
    view: ReviewView, demo_workspace: Workspace, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Clicking a person to check a spelling silently replaced the new person typed after Clear form."""
    tab = view.people
    view.tabs.setCurrentWidget(tab)
    tab.people.setFocus()
    alt(qtbot, Qt.Key.Key_E)  # Cl&ear form
    qtbot.keyClicks(tab.real_name, "Nadia Brennan")
    qtbot.keyClicks(tab.pseudonym, "Aunt")
    qtbot.keyClick(tab.real_name, Qt.Key.Key_Backtab)  # the focus into the table chooses nobody
    assert tab.real_name.text() == "Nadia Brennan"
    asked = answer_save_question(monkeypatch, edit_guard.Answer.Cancel)
    row_two = tab.people.visualRect(tab.people.model().index(2, 0)).center()
    qtbot.mouseClick(tab.people.viewport(), Qt.MouseButton.LeftButton, pos=row_two)
    qtbot.waitUntil(lambda: not tab.people.selectionModel().hasSelection())  # Cancel: no person chosen
    assert asked == ["Save changes to the new person?"] and tab.real_name.text() == "Nadia Brennan"
    answer_save_question(monkeypatch, edit_guard.Answer.Save)
    qtbot.mouseClick(tab.people.viewport(), Qt.MouseButton.LeftButton, pos=row_two)
    with demo_workspace.reading() as session:
        assert "Nadia Brennan" in {p.real_name for p in list_people(session, view.review_uuid)}


def test_reading_view_wraps_filters_orders_and_previews_what_it_shows(
    view: ReviewView, qtbot: QtBot, tmp_path: Path, monkeypatch, qtmodeltester: Any
) -> None:
    reading = view.reading
    alt(qtbot, Qt.Key.Key_W)  # Reading vie&w
    assert view.tabs.currentWidget() is reading
    assert reading.model.rowCount() == 300 and reading.model.header[:2] == ["Date", "Agency"]
    assert reading.table.wordWrap() and reading.table.textElideMode() == Qt.TextElideMode.ElideNone
    index = reading.model.index(0, 3)
    assert reading.model.data(index, Qt.ItemDataRole.AccessibleTextRole).startswith("Event / contact: ")
    assert reading.table.rowHeight(0) >= reading.table.fontMetrics().height()
    significant = reading.model.header.index("Significant")
    assert {row[significant] for row in reading.model.grid} == {"", "Significant"}  # a word, not a colour
    assert reading.model.headerData(1, Qt.Orientation.Vertical) == "2"  # rows numbered, as in the printed table
    qtmodeltester.check(reading.model)

    reading.columns.setFocus()
    reading.columns.setCurrentRow(3)  # Event / contact
    qtbot.keyClick(reading.columns, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert reading.chosen_columns()[2] == "Event / contact"
    reading.columns.setCurrentRow(reading.columns.count() - 1)
    qtbot.keyClick(reading.columns, Qt.Key.Key_Space)  # tick the last column (Episodes)
    assert reading.chosen_columns()[-1] == "Episodes"

    reading.significant.setChecked(True)
    shown = reading.model.rowCount()
    assert 0 < shown < 300 and f"{shown} of 300 entries" in reading.summary.text()
    reading.version.setText("0.2")
    reading.open_preview()
    preview = reading.preview
    assert preview is not None and len(preview.images) >= 2
    text = pdf_text(preview.pdf)
    assert f"Shows {shown} of 300 entries (significant events only)" in " ".join(text.split())
    assert "version 0.2 · DRAFT" in text and "Episodes" in text
    assert sum(line_count(text, row[0]) for row in reading.model.grid[:1]) >= 1

    monkeypatch.setattr(common, "choose_save_file", lambda *_a: (str(tmp_path / "panel"), ""))
    preview.choose_save()
    assert (tmp_path / "panel.pdf").read_bytes() == preview.pdf
    writer = QPdfWriter(str(tmp_path / "printed.pdf"))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    assert preview.print_to(writer) == len(preview.images)
    assert pypdfium2.PdfDocument(str(tmp_path / "printed.pdf")).__len__() == len(preview.images)
    preview.reject()
    assert isinstance(preview.images[0], QImage)


def pdf_text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def line_count(text: str, needle: str) -> int:
    return text.count(needle)


MENU_LETTERS = {"F", "G", "A", "H"}  # File, Go, Area, Help in the main window


@pytest.mark.parametrize("tab_name", ["reading", "people"])
def test_alt_letters_are_unique_in_the_new_views(view: ReviewView, tab_name: str) -> None:
    view.tabs.setCurrentWidget(getattr(view, tab_name))
    letters = mnemonics(view.window())
    clashes = {x for x, owners in letters.items() if len(owners) > 1} | (set(letters) & MENU_LETTERS)
    assert not clashes, f"Alt letters used twice or by a menu: {sorted(clashes)}"

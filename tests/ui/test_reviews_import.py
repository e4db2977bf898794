"""The import dialog through file, mapping and report, on generated CSV and XLSX returns."""

from __future__ import annotations

import threading
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFileDialog,
    QPushButton,
)
from pytestqt.qtbot import QtBot

from app.chronology.service import list_entries
from app.records import UnitOfWork
from app.store.workspace import Workspace
from tests.helpers.areas import return_csv
from tests.helpers.reviews import child_review
from tests.helpers.shell import refused_error, unlock_with, unlocked_on
from tests.helpers.workspaces import PASSPHRASE
from ui import messages
from ui.areas.reviews import ReviewsPage
from ui.kit import files as common
from ui.main_window import MainWindow
from ui.operations import Progress, wait_for_idle
from ui.reviews.import_dialog import ImportDialog

pytestmark = pytest.mark.gui


def _import_of_the_hv_return(page: ReviewsPage, tmp_path: Path) -> ImportDialog:
    """The import dialog open on a generated Health Visiting return (a few rows with errors)."""
    assert page.review is not None
    page.review.open_import(str(return_csv(tmp_path / "hv-return.csv")))
    dialog = page.review.dialog
    assert isinstance(dialog, ImportDialog) and dialog.isVisible()
    return dialog


def test_import_dialog_maps_reports_and_imports_with_skip(
    review_page: tuple[ReviewsPage, str], qtbot: QtBot, workspace: Workspace, tmp_path: Path
) -> None:
    page, review = review_page
    dialog = _import_of_the_hv_return(page, tmp_path)
    dialog.read_file()
    assert dialog.steps.currentIndex() == 0 and "agency" in dialog.file_problem.text()
    dialog.agency.setCurrentIndex(dialog.agency.findData("HV"))
    qtbot.mouseClick(dialog.read_button, Qt.MouseButton.LeftButton)
    assert dialog.steps.currentIndex() == 1
    mapping = dialog.current_mapping()
    assert mapping["Date of contact"] == "start_date" and mapping["Details of event"] == "event"
    assert mapping["Notes"] is None and mapping["Who recorded"] in (None, "source")
    dialog.set_field("Who recorded", "source")
    dialog.set_field("Ref", "sequence")
    dialog.validate()
    assert dialog.steps.currentIndex() == 2
    issues = dialog.issue_model.issues
    rows_with_errors = {i.row_number for i in issues if i.severity == "error"}
    assert len(rows_with_errors) == 2  # the month-first date and the missing source
    texts = [dialog.issue_model.index(r, 4).data() for r in range(dialog.issue_model.rowCount())]
    assert any("formula" in t for t in texts)
    assert not dialog.import_button.isEnabled() and dialog.skip_invalid.isEnabled()
    report = tmp_path / "report.csv"
    dialog.save_report_to(report)
    assert "severity" in report.read_text(encoding="utf-8-sig")
    dialog.skip_invalid.setChecked(True)
    assert dialog.import_button.isEnabled() and "3" in dialog.import_button.text()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and dialog.import_result is not None and dialog.import_result.created == 3
    with workspace.reading() as session:
        dates = {e.start_date for e in list_entries(session, review)}
    assert dates == {"2016-05-22", "2016-05", "2016-06-22"} and page.review.chronology.model.rowCount() == 3


def test_import_dialog_refuses_without_mandatory_mapping_and_reads_xlsx(
    review_page: tuple[ReviewsPage, str], qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page, _review = review_page
    book = Workbook()
    sheet = book.active
    sheet.append(["Police chronology for Child B"])
    sheet.append([])
    sheet.append(["Date", "Source of information", "Event", "Child seen?"])
    sheet.append([date(2016, 7, 1), "PC log", "Domestic abuse call-out; Child B seen", "Yes"])
    sheet.append([None, None, None, None])
    sheet.append(["2016", "PC log", "Further call-out", "No"])
    path = tmp_path / "police.xlsx"
    book.save(path)
    monkeypatch.setattr(common, "choose_open_file", lambda *_a: (str(path), ""))
    assert page.review is not None
    page.review.open_import("")
    dialog = page.review.dialog
    assert dialog is not None
    dialog.browse()
    assert dialog.path.text() == str(path)
    dialog.agency.setCurrentIndex(dialog.agency.findData("Police"))
    dialog.read_file()
    dialog.set_field("Event", None)
    dialog.validate()
    assert dialog.steps.currentIndex() == 1 and "Event" in dialog.mapping_problem.text()
    dialog.set_field("Event", "event")
    dialog.validate()
    assert dialog.steps.currentIndex() == 2 and dialog.import_button.isEnabled()
    dialog.commit()
    rows = page.review.chronology.model.visible_rows()
    assert [r.agency for r in rows] == ["Police", "Police"]
    assert rows[0].uncertain and rows[0].date_text == "2016"  # year-only sorts first, marked uncertain
    assert rows[1].child_seen is True and rows[1].age_text == "1y 3m"


def test_dropping_a_file_on_the_chronology_opens_the_import(
    review_page: tuple[ReviewsPage, str], tmp_path: Path
) -> None:
    page, _review = review_page
    assert page.review is not None
    path = return_csv(tmp_path / "dropped.csv")
    table = page.review.chronology.table
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    table.dropEvent(event)
    dialog = page.review.dialog
    assert dialog is not None and dialog.isVisible() and dialog.path.text() == str(path)


def test_issue_model_passes_the_model_tester(
    qtmodeltester: Any, review_page: tuple[ReviewsPage, str], tmp_path: Path
) -> None:
    page, _review = review_page
    assert page.review is not None
    page.review.open_import(str(return_csv(tmp_path / "hv.csv")))
    dialog = page.review.dialog
    assert dialog is not None
    dialog.agency.setCurrentIndex(dialog.agency.findData("HV"))
    dialog.read_file()
    dialog.set_field("Who recorded", "source")
    dialog.validate()
    assert dialog.issue_model.rowCount() >= 3
    qtmodeltester.check(dialog.issue_model)


def _opened_dialog(page: ReviewsPage, qtbot: QtBot, path: str) -> ImportDialog:
    assert page.review is not None
    page.review.open_import(path)
    dialog = page.review.dialog
    assert isinstance(dialog, ImportDialog) and dialog.isVisible()
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    return dialog


def _record_file_pickers(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    calls: list[tuple[Any, ...]] = []

    def picker(*args: Any, **_kwargs: Any) -> tuple[str, str]:
        calls.append(args)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", picker)
    monkeypatch.setattr(common, "choose_open_file", picker)
    return calls


def _at_mapping_step(page: ReviewsPage, qtbot: QtBot, tmp_path: Path) -> ImportDialog:
    dialog = _opened_dialog(page, qtbot, str(return_csv(tmp_path / "hv-return.csv")))
    dialog.agency.setCurrentIndex(dialog.agency.findData("HV"))
    dialog.read_file()
    assert dialog.steps.currentIndex() == 1
    return dialog


def test_arrowing_through_a_mapping_combo_and_back_restores_every_mapping(
    review_page: tuple[ReviewsPage, str], qtbot: QtBot, tmp_path: Path
) -> None:
    page, _review = review_page
    dialog = _at_mapping_step(page, qtbot, tmp_path)
    dialog.set_field("Who recorded", "source")
    dialog.set_field("Ref", "sequence")
    before = dialog.current_mapping()
    assert before["Notes"] is None and before["Ref"] == "sequence" and before["Date of contact"] == "start_date"
    notes = dict(dialog.field_boxes)["Notes"]
    notes.setFocus()
    for _step in range(8):
        QTest.keyClick(notes, Qt.Key.Key_Down)
    assert notes.currentData() == "event"
    during = dialog.current_mapping()
    assert sorted(f for f in during.values() if f) == sorted(set(f for f in during.values() if f))  # no duplicates
    assert during["Details of event"] != "event" and "Details of event" in dialog.mapping_note.text()
    for _step in range(8):
        QTest.keyClick(notes, Qt.Key.Key_Up)
    assert dialog.current_mapping() == before
    assert "Ref" in dialog.mapping_note.text()


def test_a_column_taking_another_columns_field_swaps_with_it(
    review_page: tuple[ReviewsPage, str], qtbot: QtBot, tmp_path: Path
) -> None:
    page, _review = review_page
    dialog = _at_mapping_step(page, qtbot, tmp_path)
    before = dialog.current_mapping()
    dialog.set_field("Date of contact", "event")
    after = dialog.current_mapping()
    assert after["Date of contact"] == "event" and after["Details of event"] == "start_date"
    assert "Details of event" in dialog.mapping_note.text()
    dialog.set_field("Date of contact", "start_date")
    assert dialog.current_mapping() == before


def test_enter_reads_the_file_and_moves_on_never_browsing(
    review_page: tuple[ReviewsPage, str], qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page, _review = review_page
    pickers = _record_file_pickers(monkeypatch)
    dialog = _opened_dialog(page, qtbot, str(return_csv(tmp_path / "hv-return.csv")))
    assert not dialog.browse_button.isDefault() and not dialog.browse_button.autoDefault()
    dialog.agency.setFocus()
    QTest.keyClick(dialog.agency, Qt.Key.Key_Return)  # no agency yet: step 1 says so
    assert dialog.steps.currentIndex() == 0 and "agency" in dialog.file_problem.text()
    dialog.agency.setCurrentIndex(dialog.agency.findData("HV"))
    dialog.path.setFocus()
    QTest.keyClick(dialog.path, Qt.Key.Key_Enter)
    assert dialog.steps.currentIndex() == 1 and not pickers
    dialog.set_field("Who recorded", "source")
    dialog.set_field("Ref", "sequence")
    box = dict(dialog.field_boxes)["Notes"]
    box.setFocus()
    QTest.keyClick(box, Qt.Key.Key_Return)
    assert dialog.steps.currentIndex() == 2
    assert dialog.import_button.isDefault() and not dialog.browse_button.isDefault()
    dialog.skip_invalid.setChecked(True)
    dialog.issues.setFocus()
    QTest.keyClick(dialog.issues, Qt.Key.Key_Return)
    assert not dialog.isVisible() and dialog.import_result is not None and dialog.import_result.created == 3
    assert not pickers


def test_tab_leaves_the_tables_of_the_import_dialog(
    review_page: tuple[ReviewsPage, str], qtbot: QtBot, tmp_path: Path
) -> None:
    page, _review = review_page
    dialog = _at_mapping_step(page, qtbot, tmp_path)
    dialog.activateWindow()
    for table in dialog.findChildren(QAbstractItemView):
        assert not table.tabKeyNavigation(), table.accessibleName()

    def tab_out_of(table: QAbstractItemView) -> None:
        table.setFocus()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is table)
        for _press in range(len(dialog.field_boxes) + 2):
            QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
            focused = QApplication.focusWidget()
            if focused is not table and not table.isAncestorOf(focused):
                return
        pytest.fail(f"Tab stays inside {table.accessibleName()}")

    dialog.mapping.setCurrentCell(0, 0)
    tab_out_of(dialog.mapping)
    assert isinstance(QApplication.focusWidget(), QPushButton)  # Back / Next are reachable
    dialog.set_field("Who recorded", "source")
    dialog.validate()
    assert dialog.steps.currentIndex() == 2
    dialog.issues.setCurrentIndex(dialog.issue_model.index(0, 0))
    tab_out_of(dialog.issues)


def test_field_column_shows_the_longest_choice_in_full(
    review_page: tuple[ReviewsPage, str], qtbot: QtBot, tmp_path: Path
) -> None:
    page, _review = review_page
    dialog = _at_mapping_step(page, qtbot, tmp_path)
    qtbot.waitExposed(dialog)
    longest = max((box.itemText(i) for _h, box in dialog.field_boxes for i in range(box.count())), key=len)
    for _header, box in dialog.field_boxes:
        needed = box.sizeHint().width()
        assert dialog.mapping.columnWidth(2) >= needed
        assert box.width() >= needed > box.fontMetrics().horizontalAdvance(longest)


def test_an_import_the_disk_refuses_is_named_under_its_own_title_and_writes_nothing(
    review_page: tuple[ReviewsPage, str], qtbot: QtBot, workspace: Workspace, tmp_path: Path
) -> None:
    page, review = review_page
    dialog = _import_of_the_hv_return(page, tmp_path)
    dialog.agency.setCurrentIndex(dialog.agency.findData("HV"))
    dialog.read_file()
    dialog.set_field("Who recorded", "source")
    dialog.validate()
    dialog.skip_invalid.setChecked(True)
    title, said = refused_error(  # through the page's one write call
        workspace, page.context.window, lambda: qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    )
    assert title == "Importing 3 entries…" and "read-only" in said and "Nothing was written" in said
    assert dialog.isVisible() and dialog.import_result is None  # the user may try again
    with workspace.reading() as session:
        assert list_entries(session, review) == []


def _long_return(path: Path, rows: int) -> Path:
    """A valid Health Visiting return of `rows` rows, each a different event (none a likely duplicate)."""
    lines = ["Ref,Date of contact,Who recorded,Details of event"]
    lines += [f"{n},{1 + n % 28:02d}/0{1 + n % 9}/2016,HV record,Home visit number {n}" for n in range(1, rows + 1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("locked_at", [1_000, 2_000], ids=["mid-import", "after-its-last-step"])
def test_a_lock_during_a_chronology_import_leaves_none_of_it_written(
    qtbot: QtBot,
    window: MainWindow,
    workspace: Workspace,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    locked_at: int,
) -> None:
    """The import runs in the window's own worker; the lock comes while its unit of work is open, once
    `locked_at` of its 2,500 rows were sent. After 2,000 the import checks for a cancel no more: the
    remaining rows, its audit entry and the commit once followed the lock (all 2,500 entries kept)."""
    from ui import main_window
    from ui.reviews import import_dialog

    with workspace.unit_of_work() as uow:
        review = child_review(uow, [("Health Visiting", "HV", "", "#7fb3d5")], scoped=True).uuid
    errors: list[tuple[str, str]] = []
    monkeypatch.setattr(main_window, "show_error", lambda _p, title, text: errors.append((title, text)))
    monkeypatch.setattr(messages, "show_error", lambda _p, title, text: errors.append((title, text)))
    at_step = threading.Event()
    commit = import_dialog.commit_import

    class HeldAtStep:
        """The operation's progress, the import held at its step `locked_at` until the lock cancels it."""

        def __init__(self, progress: Progress) -> None:
            self.progress = progress

        def report(self, done: int, total: int, text: str = "") -> None:
            self.progress.report(done, total, text)
            if done == locked_at:
                at_step.set()
                deadline = time.monotonic() + 10  # MainWindow.lock cancels first, then waits for this unit of work
                while not self.progress.cancelled and time.monotonic() < deadline:
                    time.sleep(0.01)

        def check(self) -> None:
            self.progress.check()

    def held(uow: UnitOfWork, plan: Any, *, skip_invalid: bool, progress: Progress) -> Any:
        return commit(uow, plan, skip_invalid=skip_invalid, progress=HeldAtStep(progress))

    monkeypatch.setattr(import_dialog, "commit_import", held)
    page = unlocked_on(window, workspace, "reviews")
    page.open_review(review)
    page.review.open_import(str(_long_return(tmp_path / "hv-long.csv", 2_500)))
    dialog = page.review.dialog
    assert isinstance(dialog, ImportDialog)
    dialog.agency.setCurrentIndex(dialog.agency.findData("HV"))
    dialog.read_file()  # in the window's worker, as every step here
    qtbot.waitUntil(lambda: dialog.steps.currentIndex() == 1, timeout=20_000)
    dialog.set_field("Who recorded", "source")
    dialog.validate()
    qtbot.waitUntil(lambda: dialog.steps.currentIndex() == 2, timeout=20_000)
    assert dialog.plan is not None and dialog.plan.importable_rows == 2_500 and dialog.import_button.isEnabled()
    dialog.import_button.click()
    assert at_step.wait(30), "the import never reached its step"
    window.lock("test")
    wait_for_idle()
    qtbot.waitUntil(lambda: "Cancelled" in window.statusBar().currentMessage())
    assert errors == [] and not [r for r in caplog.records if r.levelname == "ERROR"]
    window.unlock()
    unlock_with(qtbot, window, PASSPHRASE)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=20_000)
    assert window.workspace is not None
    with window.workspace.reading() as session:
        assert list_entries(session, review) == []
    assert errors == []


def test_mapping_shows_serials_in_a_date_column_as_uk_dates_and_cuts_long_text_at_a_word(
    review_page: tuple[ReviewsPage, str], qtbot: QtBot, tmp_path: Path
) -> None:
    """The first values showed "42512" for a date typed as a number, "2016-05-23 00:00:00" for a date cell,
    and cut long text mid-word."""
    page, _review = review_page
    long_event = "Strategy discussion held with police and children's social care about the referral"
    book = Workbook()
    sheet = book.active
    sheet.append(["Date", "Source", "Event", "Other"])
    sheet.append([42512, "PPU", long_event, 42513])
    sheet.append([datetime(2016, 5, 23), "PPU", "Visit", "note"])
    path = tmp_path / "police.xlsx"
    book.save(path)
    dialog = _opened_dialog(page, qtbot, str(path))
    dialog.agency.setCurrentIndex(dialog.agency.findData("Police"))
    dialog.read_file()
    assert dialog.steps.currentIndex() == 1
    rows = {dialog.mapping.item(r, 0).text(): r for r in range(dialog.mapping.rowCount())}

    def shown(header: str) -> tuple[str, str]:
        item = dialog.mapping.item(rows[header], 1)
        return item.text(), item.toolTip()

    assert shown("Date")[0] == "22/05/2016 | 23/05/2016"
    text, tip = shown("Event")
    assert text == "Strategy discussion held with police and… | Visit"  # 40 letters, cut at a word
    assert long_event in tip.splitlines()
    assert shown("Other")[0] == "42513 | note"  # a number in a column not mapped to a date
    dialog.set_field("Other", "end_date")
    assert shown("Other")[0] == "23/05/2016 | note"
    dialog.set_field("Other", None)
    assert shown("Other")[0] == "42513 | note"
    dialog.set_field("Other", "start_date")  # takes the date field: "Date" is left ignored and says so
    assert shown("Other")[0] == "23/05/2016 | note" and shown("Date")[0].startswith("42512 | 23/05/2016")

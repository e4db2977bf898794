"""The performance data area driven by keyboard on the demo workspace (real, encrypted)."""

from __future__ import annotations

import errno
import os
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.performance.catalogue import find_indicator, list_indicators
from app.performance.figures import import_figures
from app.performance.periods import Period
from app.store.workspace import Workspace
from app.text import count_of
from db.models.performance import ExceptionNote, FigureValue, Indicator
from tests.helpers.areas import (
    answer_discard_question,
    answer_save_question,
    draft_kept_while_asked,
    figure_returns_chosen,
    page_on,
    performance_page,
)
from tests.helpers.shell import unlocked_on
from ui.areas.performance import PerformancePage
from ui.kit import edit_guard
from ui.main_window import MainWindow
from ui.operations import wait_for_idle

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


def _loading_page(qtbot: QtBot, workspace: Workspace) -> PerformancePage:
    """The page shown, loading its figures in a worker as the app does (they land after the call returns)."""
    window = QWidget()
    qtbot.addWidget(window)
    loading, _statuses = page_on(workspace, window, PerformancePage, later=True)
    qtbot.addWidget(loading)
    loading.show()
    return loading


def _change_made_elsewhere(page: PerformancePage) -> None:
    """A change another page made (an agency renamed on the Workspace page) reaches this one."""
    from app.records import ChangeSet

    elsewhere = ChangeSet()
    elsewhere.updated["agency"].add("an agency renamed on the Workspace page")
    page.deliver(elsewhere, None)


def test_models_pass_the_model_tester(page: PerformancePage, qtmodeltester: Any) -> None:
    qtmodeltester.check(page.scores)
    qtmodeltester.check(page.exceptions.model)
    qtmodeltester.check(page.catalogue.model)
    signals = {page.scores.index(r, 7).data() for r in range(page.scores.rowCount())}
    assert {"Concern", "Improvement", "Common cause"} <= signals  # words, with colour only repeating them


def test_every_focusable_control_has_an_accessible_name(page: PerformancePage) -> None:
    for index in range(page.tabs.count()):
        page.tabs.setCurrentIndex(index)
        for widget in page.tabs.currentWidget().findChildren(QWidget):
            if (
                isinstance(widget, (QAbstractButton, QComboBox, QLineEdit, QPlainTextEdit, QTableView))
                and widget.isVisible()
                and widget.focusPolicy() != Qt.FocusPolicy.NoFocus
                and not widget.objectName().startswith("qt_")
            ):  # a spin box's own line edit
                assert widget.accessibleName() or (isinstance(widget, QAbstractButton) and widget.text()), widget


def test_enter_on_a_scorecard_row_opens_its_spc_chart(page: PerformancePage, qtbot: QtBot) -> None:
    page.score_table.setFocus()
    row = next(r for r in range(page.scores.rowCount()) if page.scores.rows[r].code == "REF-REPEAT")
    page.score_table.setCurrentIndex(page.scores.index(row, 0))
    qtbot.keyClick(page.score_table, Qt.Key.Key_Return)
    assert page.tabs.currentWidget() is page.indicator
    text = page.indicator.description.text()
    assert text.startswith("REF-REPEAT") and "special cause: concern" in text
    assert page.indicator.picture.pixmap() is not None and not page.indicator.picture.pixmap().isNull()
    assert page.indicator.model.rowCount() == 12


def test_commentary_typed_and_saved_with_ctrl_s(page: PerformancePage, qtbot: QtBot, demo_workspace: Workspace) -> None:
    qtbot.keyClick(page, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    assert page.tabs.currentWidget() is page.exceptions and page.exceptions.table.hasFocus()
    table = page.exceptions.table
    target = next(r for r in range(page.exceptions.model.rowCount()) if page.exceptions.model.rows[r].code == "ASMT-45")
    table.setCurrentIndex(page.exceptions.model.index(target, 0))
    page.exceptions.commentary.setFocus()
    qtbot.keyClicks(page.exceptions.commentary, "New duty system since April.")
    qtbot.keyClick(page.exceptions.commentary, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    uuid = page.exceptions.model.rows[target].uuid
    with demo_workspace.reading() as session:
        assert session.get(ExceptionNote, uuid).agency_commentary == "New duty system since April."
    assert page.exceptions.current().uuid == uuid  # still on the same exception after the save
    qtbot.keyClicks(page.exceptions.action_title, "Share the duty system model with neighbours")
    page.exceptions.action_button.setFocus()
    qtbot.keyClick(page.exceptions.action_button, Qt.Key.Key_Space)
    row = next(r for r in page.exceptions.model.rows if r.uuid == uuid)
    assert row.actions and row.actions[0].startswith("ACT-")


def test_a_new_indicator_from_the_catalogue_editor(
    page: PerformancePage, qtbot: QtBot, demo_workspace: Workspace
) -> None:
    qtbot.keyClick(page, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(page.catalogue.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert page.catalogue.code.hasFocus()
    qtbot.keyClicks(page.catalogue.code, "LADO-REF")
    qtbot.keyClick(page.catalogue.code, Qt.Key.Key_Tab)
    qtbot.keyClicks(page.catalogue.name, "Referrals to the LADO")
    qtbot.keyClick(page.catalogue.name, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    with demo_workspace.reading() as session:
        assert find_indicator(session, "LADO-REF").name == "Referrals to the LADO"
    assert "LADO-REF" in [r.code for r in page.catalogue.model.rows]


def _selected_rows(table: QTableView) -> list[int]:
    return [index.row() for index in table.selectionModel().selectedRows()]


def test_the_catalogue_and_the_exceptions_open_on_their_first_row(page: PerformancePage, qtbot: QtBot) -> None:
    """As every list and form of the app: the first record selected and in the form, not an empty one
    (the catalogue showed a blank new indicator beside 21 listed, the exceptions "Choose an exception")."""
    catalogue, exceptions = page.catalogue, page.exceptions
    first = catalogue.model.rows[0]
    assert _selected_rows(catalogue.table) == [0] and catalogue.guard.saving_over() == first.uuid
    assert (catalogue.code.text(), catalogue.name.text()) == (first.code, first.name)
    assert catalogue.version.text() == str(first.version) and catalogue.delete_button.isEnabled()
    assert not catalogue.guard.dirty()
    first_exception = exceptions.model.rows[0]
    assert _selected_rows(exceptions.table) == [0] and exceptions.guard.saving_over() == first_exception.uuid
    assert exceptions.detail.text() == first_exception.detail and exceptions.save_button.isEnabled()
    page.exceptions.period.setCurrentIndex(1)  # another quarter: its first exception
    assert _selected_rows(exceptions.table) == [0]
    assert exceptions.guard.saving_over() == exceptions.model.rows[0].uuid != first_exception.uuid
    qtbot.keyClick(page, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(catalogue.table, Qt.Key.Key_Down)  # the keyboard goes on from the first row
    assert _selected_rows(catalogue.table) == [1] and catalogue.code.text() == catalogue.model.rows[1].code


def test_a_new_indicator_keeps_its_empty_form_through_a_reload_and_stays_selected_once_saved(
    page: PerformancePage, qtbot: QtBot, demo_workspace: Workspace
) -> None:
    catalogue = page.catalogue
    first = catalogue.model.rows[0]
    qtbot.keyClick(page, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(catalogue.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert catalogue.code.text() == "" and catalogue.version.text() == "new" and _selected_rows(catalogue.table) == []
    assert catalogue.guard.saving_over() is None and not catalogue.table.currentIndex().isValid()
    page.reload()  # a change elsewhere: the new form stays, and so does what is typed in it
    assert catalogue.code.text() == "" and catalogue.guard.saving_over() is None
    qtbot.keyClicks(catalogue.code, "LADO-REF")
    page.reload()
    assert catalogue.code.text() == "LADO-REF" and catalogue.guard.saving_over() is None
    qtbot.keyClick(catalogue.code, Qt.Key.Key_Tab)
    qtbot.keyClicks(catalogue.name, "Referrals to the LADO")
    qtbot.keyClick(catalogue.name, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    with demo_workspace.reading() as session:
        saved = find_indicator(session, "LADO-REF").uuid
        assert find_indicator(session, first.code).name == first.name  # the row current before New is untouched
    row = next(n for n, r in enumerate(catalogue.model.rows) if r.uuid == saved)
    assert _selected_rows(catalogue.table) == [row] and catalogue.guard.saving_over() == saved
    assert catalogue.code.text() == "LADO-REF" and not catalogue.guard.dirty()
    catalogue.name.setText("Referrals to the LADO, renamed")
    qtbot.keyClick(catalogue.name, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    row = next(n for n, r in enumerate(catalogue.model.rows) if r.uuid == saved)
    assert _selected_rows(catalogue.table) == [row] and catalogue.name.text() == "Referrals to the LADO, renamed"


def test_a_new_indicator_being_typed_stays_when_the_focus_goes_to_the_table_and_a_row_chosen_asks(
    page: PerformancePage, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Shift+Tab to the catalogue made its first row current, and that indicator replaced the new one being
    typed without a question; Cancel on a row chosen keeps the new indicator, with no row selected."""
    catalogue = page.catalogue
    qtbot.keyClick(page, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(catalogue.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(catalogue.code, "LADO-REF")
    asked = answer_save_question(monkeypatch, edit_guard.Answer.Cancel)
    catalogue.table.setFocus(Qt.FocusReason.BacktabFocusReason)
    assert asked == [] and catalogue.code.text() == "LADO-REF" and catalogue.guard.saving_over() is None
    qtbot.keyClick(catalogue.table, Qt.Key.Key_Down)
    assert asked == ["Save changes to the new indicator?"]
    assert catalogue.code.text() == "LADO-REF" and catalogue.guard.saving_over() is None
    qtbot.waitUntil(lambda: _selected_rows(catalogue.table) == [], timeout=2000)


def test_the_first_row_after_new_shows_when_chosen_and_the_guard_asks_before_leaving_it(
    page: PerformancePage, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalogue = page.catalogue
    first = catalogue.model.rows[0]
    catalogue.name.setText("Typed over the first indicator")
    asked = answer_save_question(monkeypatch, edit_guard.Answer.Cancel)
    catalogue.new()
    assert asked == ["Save changes to this indicator?"] and catalogue.name.text() == "Typed over the first indicator"
    assert _selected_rows(catalogue.table) == [0] and catalogue.guard.saving_over() == first.uuid
    asked = answer_save_question(monkeypatch, edit_guard.Answer.Discard)
    catalogue.new()
    assert asked == ["Save changes to this indicator?"] and catalogue.code.text() == ""
    catalogue.table.selectRow(0)  # the row that was current before New: chosen again, it is shown
    assert catalogue.code.text() == first.code and catalogue.guard.saving_over() == first.uuid


def test_deleting_an_indicator_shows_the_first_one_left(
    page: PerformancePage, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, demo_workspace: Workspace
) -> None:
    from ui.performance import catalogue_panel

    monkeypatch.setattr(catalogue_panel, "confirm", lambda *_a: True)
    catalogue = page.catalogue
    catalogue.new()
    catalogue.code.setText("LADO-REF")
    catalogue.name.setText("Referrals to the LADO")
    assert catalogue.save()  # no figures yet, so it may be deleted
    gone = catalogue.guard.saving_over()
    assert gone is not None and catalogue.model.rows[0].uuid == gone  # no theme: listed first
    catalogue.delete_button.click()
    with demo_workspace.reading() as session:
        assert gone not in {i.uuid for i in list_indicators(session)}
    first = catalogue.model.rows[0]
    assert first.uuid != gone and _selected_rows(catalogue.table) == [0]
    assert catalogue.guard.saving_over() == first.uuid and catalogue.code.text() == first.code


def test_import_shows_the_report_and_imports_only_a_clean_file(
    page: PerformancePage, qtbot: QtBot, demo_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen, good = figure_returns_chosen(tmp_path, monkeypatch)
    qtbot.keyClick(page, Qt.Key.Key_5, Qt.KeyboardModifier.AltModifier)
    assert page.importer.choose.hasFocus()
    page.importer.agency.setCurrentIndex(page.importer.agency.findText("Housing"))  # for its next template
    qtbot.keyClick(page.importer.choose, Qt.Key.Key_Space)
    assert "bad.csv, row 2, column 'Value': error: 'twelve' is text, not a number" in page.importer.report.toPlainText()
    assert not page.importer.commit.isEnabled()
    chosen[0] = str(good)
    page.importer.choose.setFocus()
    qtbot.keyClick(page.importer.choose, Qt.Key.Key_Space)
    assert page.importer.commit.isEnabled()
    page.importer.commit.setFocus()
    qtbot.keyClick(page.importer.commit, Qt.Key.Key_Space)
    with demo_workspace.reading() as session:
        housing = [
            f
            for f in session.scalars(select(FigureValue).where(FigureValue.period == "2026Q3"))
            if f.source.startswith("good.csv")
        ]
        assert len(housing) == 1 and housing[0].value == 12
    assert "Imported: 1 new" in page.importer.report.toPlainText()
    qtbot.waitUntil(lambda: not page._loading)
    assert page.importer.agency.currentText() == "Housing"  # the reload after the import kept the choice


def test_the_figures_imported_are_the_ones_checked_not_the_file_saved_again_since(
    page: PerformancePage, qtbot: QtBot, demo_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report said good.csv would bring in Housing's 12; the file was saved again (99) before Import was
    pressed, and Import read it again: 99 went in, a figure no report had shown."""
    chosen, good = figure_returns_chosen(tmp_path, monkeypatch)
    chosen[0] = str(good)
    page.importer.choose.setFocus()
    qtbot.keyClick(page.importer.choose, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: page.importer.commit.isEnabled())
    good.write_text("Agency,Code,Period,Value\nHousing,EH-ASSESS,2026Q3,99\n", encoding="utf-8")
    page.importer.commit.setFocus()
    qtbot.keyClick(page.importer.commit, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "Imported: 1 new" in page.importer.report.toPlainText())
    with demo_workspace.reading() as session:
        values = [
            f.value
            for f in session.scalars(select(FigureValue).where(FigureValue.period == "2026Q3"))
            if f.source.startswith("good.csv")
        ]
    assert values == [12]


def test_unsaved_edits_come_back_after_a_lock(page: PerformancePage, qtbot: QtBot) -> None:
    qtbot.keyClick(page, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)
    page.catalogue.table.selectRow(2)
    editing = page.catalogue.guard.editing
    page.catalogue.name.setFocus()
    page.catalogue.name.selectAll()
    qtbot.keyClicks(page.catalogue.name, "Renamed but not saved")
    draft = page.catalogue.guard.draft()
    assert draft is not None and draft.key == "performance.indicator" and draft.record == editing
    page.catalogue._show(editing)  # as if the page were rebuilt after unlock: the stored values again
    assert page.catalogue.name.text() != "Renamed but not saved"
    page.show_tab(0)
    assert page.restore_draft(draft)
    assert page.tabs.currentWidget() is page.catalogue
    assert page.catalogue.name.text() == "Renamed but not saved" and page.catalogue.guard.editing == editing
    assert page.catalogue.guard.dirty()


def test_the_panel_annotates_an_indicator_chart_by_keyboard(page: PerformancePage, qtbot: QtBot) -> None:
    row = next(r for r in page.scores.rows if r.signal == "Concern")
    page.show_indicator(row.indicator_uuid, row.agency_uuid)
    panel = page.indicator
    assert panel.note_period.count() > 1 and panel.notes.count() == 0
    first = panel.note_period.itemText(0)  # the latest quarter comes first
    panel.note_text.setFocus()
    qtbot.keyClicks(panel.note_text, "New recording system")
    qtbot.keyClick(panel.note_text, Qt.Key.Key_Return)
    assert [panel.notes.item(i).text() for i in range(panel.notes.count())] == [f"{first}: New recording system"]
    assert panel.note_text.text() == ""
    assert f"annotated: {first} New recording system" in panel.description.text()
    assert f"{first} New recording system" in panel.picture.accessibleDescription()

    panel.notes.setCurrentRow(0)
    (remove,) = [b for b in panel.findChildren(QAbstractButton) if b.accessibleName() == "Remove the chosen annotation"]
    remove.setFocus()
    qtbot.keyClick(remove, Qt.Key.Key_Space)
    assert panel.notes.count() == 0 and "annotated" not in panel.description.text()


def test_the_dataset_loads_off_the_gui_thread_and_a_change_meanwhile_loads_again(
    qtbot: QtBot, window: Any, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 13: 80,000 figures take seconds to load; the window must not freeze while they do."""
    import threading

    import ui.areas.performance as area

    threads: list[str] = []
    real_load = area.load_dataset

    def watched(session: Any) -> Any:
        threads.append(threading.current_thread().name)
        return real_load(session)

    monkeypatch.setattr(area, "load_dataset", watched)
    page = unlocked_on(window, demo_workspace, "performance")
    page.reload()  # a change arriving while the first load runs: one more load after it
    qtbot.waitUntil(lambda: len(threads) == 2 and not page._loading, timeout=30000)
    assert threading.main_thread().name not in threads
    assert page.data is not None and page.scores.rowCount() > 0 and page.exceptions.model.rowCount() > 0


def test_the_scorecard_is_computed_in_the_background_load_and_a_filter_runs_no_sql(
    qtbot: QtBot, window: Any, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 13: SPC over every series happens with the load, off the GUI thread; the GUI thread only
    picks the filtered rows and hands them to the model, without a query."""
    import threading

    from sqlalchemy import event

    import ui.areas.performance as area
    from app.performance.analysis import filter_scorecard

    scored: list[str] = []
    real_scorecard = area.scorecard

    def watched(data: Any, **kwargs: Any) -> Any:
        scored.append(threading.current_thread().name)
        return real_scorecard(data, **kwargs)

    monkeypatch.setattr(area, "scorecard", watched)
    page = unlocked_on(window, demo_workspace, "performance")
    qtbot.waitUntil(lambda: page.data is not None and not page._loading, timeout=30000)
    assert len(scored) == 1 and threading.main_thread().name not in scored

    def shown() -> list[tuple[str, str]]:
        return sorted((r.indicator_uuid, r.agency_uuid) for r in page.scores.rows)

    assert shown() == sorted((r.indicator_uuid, r.agency_uuid) for r in page.card) and page.card

    on_gui_thread: list[str] = []

    def statement(_conn: Any, _cursor: Any, sql: str, *_rest: Any) -> None:
        if threading.current_thread() is threading.main_thread():
            on_gui_thread.append(sql)

    engine = demo_workspace._require_engine()
    event.listen(engine, "before_cursor_execute", statement)
    try:
        page.show_tab(0)
        page.agency_filter.setFocus()
        qtbot.keyClick(page.agency_filter, Qt.Key.Key_Down)  # the first agency
        agency = page.agency_filter.currentData()
        page.theme_filter.setFocus()
        qtbot.keyClick(page.theme_filter, Qt.Key.Key_Down)  # and the first theme
        theme = page.theme_filter.currentData()
    finally:
        event.remove(engine, "before_cursor_execute", statement)
    assert on_gui_thread == []
    assert agency and theme and len(scored) == 1  # picked from the card, not computed again
    expected = filter_scorecard(page.card, agency=agency, theme=theme)
    assert expected and shown() == sorted((r.indicator_uuid, r.agency_uuid) for r in expected)
    assert page.summary.text().startswith(count_of(len(expected), "indicator figure"))

    page.reload()  # a change elsewhere: the card is computed again in the background, the filters stay
    qtbot.waitUntil(lambda: len(scored) == 2 and not page._loading, timeout=30000)
    assert threading.main_thread().name not in scored
    assert (page.agency_filter.currentData(), page.theme_filter.currentData()) == (agency, theme)
    assert shown() == sorted((r.indicator_uuid, r.agency_uuid) for r in expected)


def test_filters_that_match_nothing_say_so_and_how_to_widen_them(page: PerformancePage, qtbot: QtBot) -> None:
    """Police with the child protection theme has no figures in the demo: the empty scorecard must
    not claim there are no figures yet and send the user off to import returns."""
    qtbot.waitUntil(lambda: page.data is not None and not page._loading, timeout=30000)
    assert page.score_table.accessibleDescription().startswith("No figures yet")
    page.agency_filter.setCurrentIndex(page.agency_filter.findText("Police"))
    page.theme_filter.setCurrentIndex(page.theme_filter.findText("Child protection"))
    assert page.scores.rowCount() == 0
    assert page.score_table.accessibleDescription() == (
        "No figures for Police in Child protection. Choose All agencies (Alt+Y) or All themes (Alt+E) to see more."
    )
    page.theme_filter.setCurrentIndex(0)
    assert page.scores.rowCount() > 0


def test_creating_an_action_keeps_the_panel_view_typed_but_not_saved(
    page: PerformancePage, qtbot: QtBot, demo_workspace: Workspace
) -> None:
    """Found in the real window: the action's reload wiped a panel view typed just before Alt+N."""
    qtbot.keyClick(page, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    panel = page.exceptions
    target = next(r for r in range(panel.model.rowCount()) if panel.model.rows[r].code == "ASMT-45")
    panel.table.setCurrentIndex(panel.model.index(target, 0))
    uuid = panel.current().uuid
    panel.view.setFocus()
    qtbot.keyClicks(panel.view, "Panel wants the pathway review back in Q1.")
    qtbot.keyClicks(panel.action_title, "Review the early help pathway")
    qtbot.keyClick(panel, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: any(r.uuid == uuid and r.actions for r in panel.model.rows), timeout=10_000)
    with demo_workspace.reading() as session:
        assert session.get(ExceptionNote, uuid).panel_view == "Panel wants the pathway review back in Q1."
    assert panel.current().uuid == uuid and panel.view.toPlainText() == "Panel wants the pathway review back in Q1."


def test_a_comparators_import_leaves_no_earlier_return_waiting_to_import(
    page: PerformancePage, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found in the real window: after a comparators report replaced a checked return's report,
    'Import the checked figures' was still enabled and would have imported the return unseen."""
    chosen, good = figure_returns_chosen(tmp_path, monkeypatch)
    qtbot.keyClick(page, Qt.Key.Key_5, Qt.KeyboardModifier.AltModifier)
    chosen[0] = str(good)
    qtbot.keyClick(page.importer.choose, Qt.Key.Key_Space)
    assert page.importer.commit.isEnabled()
    comparators = tmp_path / "comparators.csv"
    comparators.write_text("Code,Period,Comparator,Value,Source,Date\nNOPE,2026Q3,England,1,x,2026-11-20\n")
    chosen[0] = str(comparators)
    page.importer.import_comparators()
    assert "unknown indicator 'NOPE'" in page.importer.report.toPlainText()
    assert not page.importer.commit.isEnabled() and page.importer.plan is None


@pytest.mark.parametrize("threshold", [5, 10])
def test_the_scorecard_fits_a_1366_screen_with_every_word_readable(
    qtbot: QtBot, demo_workspace: Workspace, threshold: int
) -> None:
    """Found in the real window at 1366x768: indicator names cut to "Assessme..." beside a Latest column as
    wide as "not shown (numerator fewer than 5)"; with a threshold of 10 the SPC signal and the target
    scrolled off to the right."""
    from app.performance.settings import DataSettings, save_settings

    with demo_workspace.unit_of_work() as uow:
        save_settings(uow, DataSettings(threshold, 10.0, 30))
    window = QWidget()
    qtbot.addWidget(window)
    performance = performance_page(demo_workspace, window, lambda _t: None)
    qtbot.addWidget(performance)
    performance.resize(1203, 655)  # what the page gets in the main window on a 1366x768 screen
    performance.show()
    qtbot.waitExposed(performance)
    table = performance.score_table
    qtbot.waitUntil(lambda: table.model().rowCount() > 0)
    qtbot.wait(20)
    assert table.horizontalScrollBar().maximum() == 0
    header, metrics = table.horizontalHeader(), table.fontMetrics()
    flags = int(Qt.TextFlag.TextWordWrap)
    for column in (1, 4, 6, 7):
        for row in range(table.model().rowCount()):
            text = str(table.model().index(row, column).data() or "")
            room = QRect(0, 0, header.sectionSize(column) - 8, 10_000)
            needed = metrics.boundingRect(room, flags, text)
            assert needed.width() <= room.width() and needed.height() <= table.rowHeight(row), (column, text)
    performance.shutdown()


def test_the_report_shows_each_new_figure_as_read_before_it_is_imported(
    page: PerformancePage, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found in the real window: a clean return said only "new: 4", so a percent cell or a figure in the
    wrong column was first seen on the charts, after the import."""
    chosen, _good = figure_returns_chosen(tmp_path, monkeypatch)
    mixed = tmp_path / "housing.csv"
    mixed.write_text(
        "Agency,Code,Period,Value,Numerator,Denominator\n"
        "Northbridge Housing,CONF-ATTEND,2026Q3,,37,50\nHousing,EH-ASSESS,2026Q3,27,,\n",
        encoding="utf-8",
    )
    chosen[0] = str(mixed)
    qtbot.keyClick(page, Qt.Key.Key_5, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(page.importer.choose, Qt.Key.Key_Space)
    report = page.importer.report.toPlainText()
    assert "New figures, as read:\nrow 2: CONF-ATTEND, Housing, 2026Q3: 74.0% (37 of 50)\n" in report
    assert "row 3: EH-ASSESS, Housing, 2026Q3: 27\n" in report
    assert page.importer.commit.isEnabled()


def test_a_file_that_cannot_be_read_says_so_in_the_report_and_leaves_nothing_to_import(
    page: PerformancePage, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found in the real window: an analyst's own spreadsheet (not the template) gave a dialog titled
    "Not done" while the report and "Import the checked figures" stayed on the file checked before."""
    import openpyxl

    chosen, good = figure_returns_chosen(tmp_path, monkeypatch)
    own = tmp_path / "own.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Agency", "Code", "Period", "Value"])
    book.active.append(["Housing", "EH-ASSESS", "2026Q3", 12])
    book.save(own)
    qtbot.keyClick(page, Qt.Key.Key_5, Qt.KeyboardModifier.AltModifier)
    chosen[0] = str(good)
    qtbot.keyClick(page.importer.choose, Qt.Key.Key_Space)
    assert page.importer.commit.isEnabled()
    chosen[0] = str(own)
    page.importer.choose.setFocus()
    qtbot.keyClick(page.importer.choose, Qt.Key.Key_Space)
    report = page.importer.report.toPlainText()
    assert report.startswith("own.xlsx is not a return made by Safeguarding Workbench")
    assert report.endswith(
        "Ask the agency to fill in the template they were sent, or save your sheet as CSV with the columns "
        "Agency,Code,Period,Value,Numerator,Denominator.\n\nNothing was checked or imported.\n"
    )
    assert "good.csv" not in report
    assert not page.importer.commit.isEnabled() and page.importer.plan is None
    assert page.importer.report.hasFocus()


@pytest.mark.parametrize("hidden", [False, True], ids=["shown", "caught-up-when-shown"])
def test_a_change_made_elsewhere_keeps_the_commentary_being_typed(
    page: PerformancePage, qtbot: QtBot, demo_workspace: Workspace, hidden: bool
) -> None:
    """A reload under a form shows the stored values: what is typed and not saved must come back."""
    qtbot.keyClick(page, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    panel = page.exceptions
    panel.table.setCurrentIndex(panel.model.index(1, 0))
    uuid = panel.current().uuid
    panel.commentary.setFocus()
    qtbot.keyClicks(panel.commentary, "Typed, not saved")
    if hidden:
        page.hide()
    _change_made_elsewhere(page)
    if hidden:
        page.show()  # the stale page reloads as it is shown again
    assert page.data is not None and not page._loading
    assert panel.current().uuid == uuid
    assert panel.commentary.toPlainText().endswith("Typed, not saved")
    assert panel.guard.dirty()  # still unsaved: the reload wrote nothing
    with demo_workspace.reading() as session:
        note = session.get(ExceptionNote, uuid)  # None: nothing was ever saved on this exception
        assert note is None or "Typed, not saved" not in note.agency_commentary


def test_typing_survives_a_change_whose_load_ends_later(qtbot: QtBot, demo_workspace: Workspace) -> None:
    """In the app the figures load in a worker and land after the change was handled: the catalogue's
    and the commentary's typing were replaced by the stored values then."""

    page = _loading_page(qtbot, demo_workspace)
    try:
        qtbot.waitUntil(lambda: page.data is not None, timeout=10_000)
        page.catalogue.table.selectRow(2)
        indicator = page.catalogue.guard.saving_over()
        page.catalogue.name.setText("Typed, not saved")
        page.exceptions.table.selectRow(1)
        exception = page.exceptions.guard.saving_over()
        page.exceptions.commentary.setPlainText("Typed commentary")
        _change_made_elsewhere(page)
        qtbot.waitUntil(lambda: page._loading, timeout=2000)
        qtbot.waitUntil(lambda: not page._loading, timeout=10_000)
        assert page.catalogue.guard.saving_over() == indicator and page.catalogue.name.text() == "Typed, not saved"
        assert page.exceptions.guard.saving_over() == exception
        assert page.exceptions.commentary.toPlainText() == "Typed commentary"
        assert page.catalogue.guard.dirty() and page.exceptions.guard.dirty()
    finally:
        page.shutdown()


def test_an_empty_catalogue_points_to_the_starter_and_alt_b_adds_it_once(qtbot: QtBot, workspace: Workspace) -> None:
    """A new workspace has no indicators: the empty catalogue says how to get the starter set, by keyboard."""
    window = QWidget()
    qtbot.addWidget(window)
    said: list[str] = []
    page = performance_page(workspace, window, said.append)
    qtbot.addWidget(page)
    page.resize(1280, 760)
    page.show()
    qtbot.waitExposed(page)
    try:
        page.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is page)
        page.score_table.setFocus()
        qtbot.keyClick(page.score_table, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)
        catalogue = page.catalogue
        assert page.tabs.currentWidget() is catalogue and catalogue.model.rowCount() == 0
        hint = catalogue.table.accessibleDescription()
        assert "21 built-in starter indicators (Alt+B)" in hint, hint
        button = catalogue.starter_button
        assert button.accessibleName() == "Add the built-in starter indicators" and "&b" in button.text().casefold()
        assert button.focusPolicy() & Qt.FocusPolicy.TabFocus
        assert catalogue.version.text() == "new" and catalogue.guard.saving_over() is None  # the form for the first
        catalogue.table.setFocus()
        qtbot.keyClick(catalogue.table, Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: catalogue.model.rowCount() == 21, timeout=10_000)
        assert said[-1] == "Added 21 starter indicators."
        assert catalogue.guard.saving_over() == catalogue.model.rows[0].uuid  # and now the first of them
        assert catalogue.code.text() == catalogue.model.rows[0].code
        button.setFocus()
        qtbot.keyClick(button, Qt.Key.Key_Space)  # again: nothing doubles
        qtbot.waitUntil(lambda: said[-1].startswith("All 21"), timeout=10_000)
        assert catalogue.model.rowCount() == 21
        with workspace.reading() as session:
            assert len({i.code for i in list_indicators(session)}) == len(list_indicators(session)) == 21
    finally:
        page.shutdown()


def _stored_text(session: Any, field: QWidget, uuid: str) -> str:
    """What is stored for the field a test types in: an exception's commentary, an indicator's name."""
    if isinstance(field, QPlainTextEdit):
        note = session.get(ExceptionNote, uuid)
        return note.agency_commentary if note else ""
    return session.get(Indicator, uuid).name


@pytest.mark.parametrize("answer", ["Save", "Discard", "Cancel"])
@pytest.mark.parametrize(
    ("tab", "field", "question"),
    [
        (Qt.Key.Key_3, "commentary", "Save changes to this commentary?"),
        (Qt.Key.Key_4, "name", "Save changes to this indicator?"),
    ],
    ids=["exception", "indicator"],
)
def test_moving_to_another_row_asks_about_the_edits(
    page: PerformancePage,
    qtbot: QtBot,
    demo_workspace: Workspace,
    type_then_go_down: Any,
    tab: Qt.Key,
    field: str,
    question: str,
    answer: str,
) -> None:
    qtbot.keyClick(page, tab, Qt.KeyboardModifier.AltModifier)
    panel = page.tabs.currentWidget()
    typed_in = getattr(panel, field)
    panel.table.selectRow(0)
    first, second = panel.model.rows[0].uuid, panel.model.rows[1].uuid
    assert type_then_go_down(panel.table, typed_in, answer) == [question]
    with demo_workspace.reading() as session:
        stored = {uuid: _stored_text(session, typed_in, uuid) for uuid in (first, second)}
    assert (stored[first] == "Typed here") == (answer == "Save")
    assert stored[second] != "Typed here"  # never on the row moved to
    shown = panel.model.rows[panel.table.currentIndex().row()].uuid
    # Cancel: back on the first row, the typing kept and unsaved; else on the second, as stored
    assert (shown, panel.guard.saving_over(), panel.guard.dirty()) == (
        (first, first, True) if answer == "Cancel" else (second, second, False)
    )
    text = typed_in.toPlainText() if isinstance(typed_in, QPlainTextEdit) else typed_in.text()
    assert text == ("Typed here" if answer == "Cancel" else stored[second])


def test_cancel_after_a_click_on_another_row_highlights_the_row_whose_edits_are_kept(
    page: PerformancePage, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    qtbot.keyClick(page, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    panel = page.exceptions
    panel.table.selectRow(1)
    panel.commentary.setFocus()
    qtbot.keyClicks(panel.commentary, "Typed here")
    asked = answer_save_question(monkeypatch, edit_guard.Answer.Cancel)
    clicked = panel.table.visualRect(panel.model.index(4, 2)).center()
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=clicked)
    assert asked == ["Save changes to this commentary?"]
    qtbot.waitUntil(lambda: [i.row() for i in panel.table.selectionModel().selectedRows()] == [1], timeout=2000)
    assert panel.table.currentIndex().row() == 1 and panel.commentary.toPlainText().endswith("Typed here")


def test_a_draft_given_back_while_the_figures_still_load_lands_on_its_exception(
    page: PerformancePage, qtbot: QtBot, demo_workspace: Workspace
) -> None:
    """After unlock the page loads its figures in the background: the draft waits for them (it was
    lost in the real window, the form showing the quarter's first exception and no commentary)."""
    qtbot.keyClick(page, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    panel = page.exceptions
    panel.table.setCurrentIndex(panel.model.index(3, 0))
    panel.commentary.setFocus()
    qtbot.keyClicks(panel.commentary, "Typed before the lock")
    draft = panel.guard.draft()
    assert draft is not None
    unlocked = _loading_page(qtbot, demo_workspace)
    assert unlocked.data is None and unlocked.restore_draft(draft)
    qtbot.waitUntil(lambda: unlocked.data is not None, timeout=10000)
    shown = unlocked.exceptions.current()
    assert shown is not None and shown.uuid == draft.record
    assert unlocked.exceptions.commentary.toPlainText().endswith("Typed before the lock")
    assert unlocked.exceptions.guard.dirty()
    unlocked.shutdown()


def test_commentary_typed_before_a_lock_comes_back_in_its_quarter(
    page: PerformancePage, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    qtbot.keyClick(page, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    panel = page.exceptions
    panel.table.setCurrentIndex(panel.model.index(1, 0))
    uuid, quarter = panel.current().uuid, panel.period.currentData()
    panel.commentary.setFocus()
    qtbot.keyClicks(panel.commentary, "Typed before the lock")
    draft = panel.guard.draft()
    assert draft is not None and draft.key == "performance.exception" and draft.record == uuid
    answer_save_question(monkeypatch, edit_guard.Answer.Discard)  # the quarter change asks about the typing
    panel.period.setCurrentIndex(panel.period.currentIndex() + 1)  # as if the page came back on another quarter
    assert panel.period.currentData() != quarter and "Typed before the lock" not in panel.commentary.toPlainText()
    page.show_tab(0)
    assert page.restore_draft(draft)
    assert page.tabs.currentWidget() is panel and panel.period.currentData() == quarter
    assert panel.current().uuid == uuid and panel.guard.saving_over() == uuid
    assert panel.commentary.toPlainText().endswith("Typed before the lock") and panel.guard.dirty()


@pytest.mark.parametrize("answer", ["Save", "Discard", "Cancel"])
def test_choosing_another_quarter_asks_about_the_commentary_typed(
    page: PerformancePage, qtbot: QtBot, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch, answer: str
) -> None:
    """The quarter box used to drop the typing without a word: the new quarter's first exception filled the form."""
    qtbot.keyClick(page, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    panel = page.exceptions
    panel.table.selectRow(1)
    typed_on, quarter = panel.current().uuid, panel.period.currentData()
    panel.commentary.setFocus()
    qtbot.keyClicks(panel.commentary, " Typed here")
    asked = answer_save_question(monkeypatch, getattr(edit_guard.Answer, answer))
    panel.period.setFocus()
    qtbot.keyClick(panel.period, Qt.Key.Key_Down)  # the quarter before, by keyboard
    assert asked == ["Save changes to this commentary?"]
    with demo_workspace.reading() as session:
        stored = _stored_text(session, panel.commentary, typed_on)
    assert stored.endswith("Typed here") == (answer == "Save")
    if answer == "Cancel":  # still on the quarter and the exception typed on, the typing kept
        assert panel.period.currentData() == quarter and panel.current().uuid == typed_on
        assert panel.commentary.toPlainText().endswith(" Typed here") and panel.guard.dirty()
    else:
        assert panel.period.currentData() != quarter and not panel.guard.dirty()
        assert all(row.uuid != typed_on for row in panel.model.rows)


def test_the_catalogue_exported_holds_every_indicator_and_says_how_many(
    page: PerformancePage, demo_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openpyxl import load_workbook

    from ui.kit import files
    from ui.performance import catalogue_panel

    target = tmp_path / "catalogue.xlsx"
    monkeypatch.setattr(files, "choose_save_file", lambda *_a: (str(target), ""))
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(catalogue_panel, "show_info", lambda _p, title, text: shown.append((title, text)))
    page.catalogue.export_button.click()
    with demo_workspace.reading() as session:
        codes = {i.code for i in list_indicators(session)}
    sheet = load_workbook(target).active
    assert {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)} == codes
    assert shown == [("Catalogue exported", f"Wrote {count_of(len(codes), 'indicator')} to {target}.")]


def _export_catalogue_in_window(
    window: MainWindow, workspace: Workspace, target: Path, monkeypatch: pytest.MonkeyPatch
) -> list[tuple[str, str]]:
    """Click Export on the catalogue of the unlocked window, saving to `target`; the error dialogs shown."""
    from ui import main_window
    from ui.kit import files

    page = unlocked_on(window, workspace, "performance")
    monkeypatch.setattr(files, "choose_save_file", lambda *_a: (str(target), ""))
    errors: list[tuple[str, str]] = []
    monkeypatch.setattr(main_window, "show_error", lambda _p, title, text: errors.append((title, text)))
    page.catalogue.export_button.click()
    return errors


def test_a_lock_while_the_catalogue_is_exported_writes_nothing(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.performance import catalogue_panel

    started, release = threading.Event(), threading.Event()
    made = catalogue_panel.catalogue_bytes

    def slow(session: Any) -> bytes:
        started.set()
        release.wait(10)
        return made(session)

    monkeypatch.setattr(catalogue_panel, "catalogue_bytes", slow)
    target = tmp_path / "catalogue.xlsx"
    errors = _export_catalogue_in_window(window, demo_workspace, target, monkeypatch)
    assert started.wait(5)
    window.lock("test")
    release.set()
    wait_for_idle()
    qtbot.waitUntil(lambda: "Cancelled" in window.statusBar().currentMessage())
    assert not target.exists() and errors == []  # nor an error on the page the lock took away


def test_a_catalogue_export_the_disk_refuses_is_named_not_unexpected(
    qtbot: QtBot,
    window: MainWindow,
    demo_workspace: Workspace,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def disk_full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", disk_full)  # the file's bytes do not fit on the disk
    exports = tmp_path / "exports"
    exports.mkdir()
    target = exports / "catalogue.xlsx"
    errors = _export_catalogue_in_window(window, demo_workspace, target, monkeypatch)
    wait_for_idle()
    qtbot.waitUntil(lambda: bool(errors))
    [(title, said)] = errors
    assert title == "Not done" and said == f"No space left on device ({target}). Nothing was changed."
    assert not list(exports.iterdir())  # neither the file nor a temporary one left behind
    assert not [r for r in caplog.records if r.levelname == "ERROR"]  # the disk's refusal is no fault of ours


def test_a_lock_during_the_quarter_question_keeps_the_draft_in_the_quarter_typed_in(
    page: PerformancePage, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The box shows the next quarter while it asks: a lock then (Ctrl+L works over the question) kept the
    draft under that quarter, where its exception is not, and the typing was lost at unlock."""
    qtbot.keyClick(page, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    panel = page.exceptions
    panel.table.selectRow(1)
    quarter = panel.period.currentData()
    draft = draft_kept_while_asked(qtbot, monkeypatch, panel.guard, panel.commentary, panel.period)
    assert draft.scope == {"period": quarter}


def test_a_load_ending_after_another_quarter_was_chosen_keeps_that_quarter_and_its_typing(
    qtbot: QtBot, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The load put the box back on the quarter it started with: that asked about the commentary typed on
    the quarter chosen meanwhile, unprompted, and Cancel left the box and the table on different quarters."""
    import ui.areas.performance as performance_module

    gate = threading.Event()
    real_load = performance_module.load_dataset
    page = _loading_page(qtbot, demo_workspace)
    try:
        qtbot.waitUntil(lambda: page.data is not None, timeout=10_000)
        monkeypatch.setattr(performance_module, "load_dataset", lambda session: gate.wait(10) and real_load(session))
        asked = answer_save_question(monkeypatch, edit_guard.Answer.Cancel)
        page.show_tab(2)
        panel = page.exceptions
        started_on = panel.period.currentData()
        _change_made_elsewhere(page)
        qtbot.waitUntil(lambda: page._loading, timeout=2000)
        panel.period.setFocus()
        qtbot.keyClick(panel.period, Qt.Key.Key_Down)  # the quarter before, while the figures load
        chosen = panel.period.currentData()
        assert chosen != started_on
        panel.table.selectRow(0)
        typed_on = panel.guard.saving_over()
        panel.commentary.setFocus()
        qtbot.keyClicks(panel.commentary, " Typed meanwhile")
        gate.set()
        qtbot.waitUntil(lambda: not page._loading, timeout=10_000)
        assert asked == []
        assert panel.period.currentData() == chosen and panel.guard.saving_over() == typed_on
        assert {row.uuid for row in panel.model.rows} >= {typed_on}
        assert panel.commentary.toPlainText().endswith(" Typed meanwhile") and panel.guard.dirty()
    finally:
        gate.set()
        page.shutdown()


def _set_tolerance(page: PerformancePage, workspace: Workspace, percent: float) -> None:
    """The comparator tolerance changed as another member's bundle could change it, and the page told."""
    from app.performance.settings import load_settings, save_settings

    with workspace.unit_of_work() as uow:
        save_settings(uow, replace(load_settings(uow.session), comparator_tolerance_percent=percent))
    page.deliver(uow.changes, None)


def _commentary_typed_on_a_gap_that_goes(page: PerformancePage, qtbot: QtBot, workspace: Workspace) -> tuple[Any, str]:
    """Commentary typed on a comparator-gap exception, then the tolerance raised so far that no gap is an
    exception any more: the exception that went and the text typed on it."""
    qtbot.keyClick(page, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    panel = page.exceptions
    gap = next(row for row, shown in enumerate(panel.model.rows) if shown.kind == "comparator_gap")
    panel.table.selectRow(gap)
    gone = panel.current()
    panel.commentary.setFocus()
    qtbot.keyClicks(panel.commentary, " Typed, not saved")
    typed = panel.commentary.toPlainText()
    _set_tolerance(page, workspace, 1000)
    return gone, typed


def test_commentary_typed_on_an_exception_a_change_removes_stays_with_a_notice(
    page: PerformancePage, qtbot: QtBot, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reload that takes away the exception being commented on (a tolerance raised by another member's
    bundle, here written straight to the workspace) replaced the typing with the first exception's, unasked."""
    gone, typed = _commentary_typed_on_a_gap_that_goes(page, qtbot, demo_workspace)
    uuid = gone.uuid
    panel = page.exceptions
    assert uuid not in {row.uuid for row in panel.model.rows} and panel.model.rowCount()
    assert panel.commentary.toPlainText() == typed and panel.commentary.isEnabled()
    assert panel.current() is None and panel.guard.saving_over() == uuid and panel.guard.dirty()
    notice = next(w for w in panel.findChildren(QLabel) if w.accessibleName() == "Exception commentary not listed")
    assert notice.isVisible() and notice.text().startswith("No longer in the list:")
    assert panel.guard.draft().record == uuid  # a lock now keeps it, on that exception
    said: list[str] = []
    monkeypatch.setattr(page.context, "show_status", said.append)
    qtbot.keyClick(panel.commentary, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # said nothing before
    assert said == ["Not saved: the exception this commentary was typed on is no longer listed."]
    assert panel.commentary.toPlainText() == typed and panel.guard.dirty()

    asked = answer_discard_question(monkeypatch, False)  # another exception asks first; Keep editing keeps it
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Down)
    assert len(asked) == 1 and "no longer in the list" in asked[0]
    assert panel.current() is None and panel.commentary.toPlainText() == typed and notice.isVisible()
    clicked = panel.table.visualRect(panel.model.index(2, 1)).center()
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=clicked)
    assert len(asked) == 2 and panel.current() is None and panel.commentary.toPlainText() == typed
    qtbot.waitUntil(lambda: not panel.table.selectionModel().selectedRows(), timeout=2000)  # no row looks chosen
    draft = panel.guard.draft()

    # the exception is back (the tolerance set back): so is the typing, on it, to be saved
    _set_tolerance(page, demo_workspace, 10)
    assert panel.current().uuid == uuid and panel.commentary.toPlainText() == typed
    assert not notice.isVisible() and panel.save_button.isEnabled()

    _set_tolerance(page, demo_workspace, 1000)
    asked = answer_discard_question(monkeypatch, True)
    qtbot.keyClick(panel.table, Qt.Key.Key_Down)  # Discard: on to the exception chosen, as stored
    assert len(asked) == 1 and panel.current() is not None and not panel.guard.dirty()
    assert not notice.isVisible() and "Typed, not saved" not in panel.commentary.toPlainText()
    assert page.restore_draft(draft)  # kept at a lock, given back at unlock with its exception still gone
    assert panel.current() is None and panel.commentary.toPlainText() == typed and notice.isVisible()


def _template_written_to(
    page: PerformancePage, target: Path, monkeypatch: pytest.MonkeyPatch, quarter: str
) -> tuple[list[str], list[tuple[str, str]]]:
    """Ask for Housing's return template for `quarter` by keyboard, the save dialog answering `target`:
    the save dialogs asked and the error dialogs shown."""
    from ui import messages
    from ui.kit import files

    asked: list[str] = []
    monkeypatch.setattr(
        files, "choose_save_file", lambda _p, caption, *_a: (asked.append(caption), (str(target), ""))[1]
    )
    errors: list[tuple[str, str]] = []
    monkeypatch.setattr(messages, "show_error", lambda _p, title, text: errors.append((title, text)))
    importer = page.importer
    page.show_tab(4)
    importer.agency.setCurrentIndex(importer.agency.findText("Housing"))
    importer.period.setText(quarter)
    importer.template.setFocus()
    QTest.keyClick(importer.template, Qt.Key.Key_Space)
    return asked, errors


def test_a_template_the_disk_refuses_is_named_and_nothing_is_written(
    page: PerformancePage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk (or a folder not writable) while the return template was written showed "Unexpected
    error" and a traceback: the slot had no error handling, as the chart's Save had."""

    def disk_full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", disk_full)
    folder = tmp_path / "templates"
    folder.mkdir()
    target = folder / "return-Housing.xlsx"
    quarter = str(Period.containing(date.today()))
    asked, errors = _template_written_to(page, target, monkeypatch, quarter)
    assert asked == ["Write a return template"]
    assert errors == [("Template not written", f"No space left on device ({target}). Nothing was changed.")]
    assert not list(folder.iterdir())  # neither the file nor a temporary one


def test_a_template_for_a_quarter_not_started_is_refused_before_a_file_is_asked_for(
    page: PerformancePage, demo_workspace: Workspace, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A template for next quarter was written (its figures then refused at import, "has not started yet"),
    and once the latest figures were this quarter's, next quarter was the one offered."""
    current = Period.containing(date.today())
    target = tmp_path / "return.xlsx"
    asked, errors = _template_written_to(page, target, monkeypatch, str(current + 1))
    assert asked == [] and errors == [] and not target.exists()
    said = page.importer.report.toPlainText()
    assert said.startswith(
        f"{current + 1} ({(current + 1).label}) has not started yet; the latest quarter is {current}"
    )
    assert said.endswith("No template was written: its figures could not be imported.")
    assert page.importer.period.hasFocus()

    with demo_workspace.unit_of_work() as uow:  # this quarter's first figure comes in
        housing = tmp_path / "now.csv"
        housing.write_text(f"Agency,Code,Period,Value\nHousing,EH-ASSESS,{current},12\n", encoding="utf-8")
        import_figures(uow, housing)
    page.importer.period.clear()
    page.deliver(uow.changes, None)
    qtbot.waitUntil(lambda: not page._loading)
    assert page.importer.period.text() == str(current)  # not next quarter's, which has not started


def test_the_detail_line_names_the_exception_whose_commentary_is_kept_unlisted(
    page: PerformancePage, qtbot: QtBot, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the commentary typed on an exception a change took away still in the form, the detail line
    said "Choose an exception." over it: a form with typing in it, and no exception it could be chosen for."""
    gone, _ = _commentary_typed_on_a_gap_that_goes(page, qtbot, demo_workspace)
    label = gone.source_label
    panel = page.exceptions
    assert panel.current() is None and panel.guard.unlisted
    said = f"No longer listed: {label}. The commentary below was typed on it and cannot be saved."
    assert panel.detail.text() == said
    answer_discard_question(monkeypatch, False)  # another exception asks; Keep editing keeps the line too
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Down)
    assert panel.current() is None and panel.detail.text() == said
    draft = panel.guard.draft()
    answer_discard_question(monkeypatch, True)
    qtbot.keyClick(panel.table, Qt.Key.Key_Down)  # Discard: the exception chosen, its own detail
    assert panel.current() is not None and panel.detail.text() == panel.current().detail
    assert page.restore_draft(draft)  # given back at unlock, its exception still gone: said again
    assert panel.current() is None and panel.detail.text() == said


def test_the_quarter_under_way_says_its_returns_are_not_yet_due(
    page: PerformancePage, demo_workspace: Workspace, qtbot: QtBot, tmp_path: Path
) -> None:
    """Once this quarter's first figure came in, its exceptions listed every other agency as a "Missing
    return", weeks before returns were due, and a quarter without exceptions said "Choose an exception."."""
    current = Period.containing(date.today())
    with demo_workspace.unit_of_work() as uow:
        first = tmp_path / "now.csv"  # at Housing's usual level: no exception of its own
        first.write_text(f"Agency,Code,Period,Value\nHousing,EH-ASSESS,{current},25\n", encoding="utf-8")
        import_figures(uow, first)
    page.deliver(uow.changes, None)
    qtbot.waitUntil(lambda: not page._loading)
    panel = page.exceptions
    panel.period.setFocus()
    qtbot.keyClick(panel.period, Qt.Key.Key_Home)  # the newest quarter is first
    assert panel.current_period() == current
    due = current.returns_due(30)
    assert panel.model.rows == []
    assert panel.missing.text().startswith(f"Returns for {current} are due by {due.day} {due:%b %Y}; 1 of ")
    assert panel.missing.text().endswith(" agencies has sent figures.")
    said = f"No exceptions for {current} yet: its returns are not due until {due.day} {due:%b %Y}, so none is missing."
    assert panel.detail.text() == said and not panel.save_button.isEnabled()
    assert panel.table.accessibleDescription().startswith(said)  # the empty table says it too
    qtbot.keyClick(panel.period, Qt.Key.Key_Down)  # last quarter: due, and Housing's return is missing
    assert panel.current_period() == current - 1
    assert any(r.kind == "missing_return" and r.agency == "Housing" for r in panel.model.rows)
    assert panel.detail.text() == panel.current().detail


def _scorecard_cells(page: PerformancePage, code: str, agency: str) -> dict[str, str]:
    """The scorecard row of `code` for `agency` as the table shows it, by column heading."""
    model = page.scores
    headings = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    row = next(r for r in range(model.rowCount()) if (model.rows[r].code, model.rows[r].agency) == (code, agency))
    return {h: model.index(row, c).data() for c, h in enumerate(headings)}


def test_the_scorecard_shows_rises_and_says_per_how_many_a_rate_is(page: PerformancePage) -> None:
    """Every figure that went up read "not shown (small numbers)" (MISS-EPIS 248 after 122 among them), so the
    page showed falls only; and CPP-RATE read "44.0" with no "per 10,000"."""
    missing = _scorecard_cells(page, "MISS-EPIS", "Police")
    assert missing["Direction of travel"] == "↑ up", missing
    rate = _scorecard_cells(page, "CPP-RATE", "CSC")
    assert rate["Latest"].endswith(" per 10,000"), rate
    rising = [r for r in page.scores.rows if r.direction.startswith("↑")]
    assert len(rising) > 5, [(r.code, r.agency, r.direction) for r in page.scores.rows]

"""Issue 10.6: the smaller things a first real use met, each pinned as a user meets it (keyboard)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QTabWidget, QWidget
from pytestqt.qtbot import QtBot

from app.actions.queries import list_actions
from app.agencies import list_agencies
from app.chronology.service import list_entries
from app.reviews.register import list_reviews
from app.store.workspace import Workspace
from tests.helpers.areas import action_from_new_recommendation, area_page, open_largest_review, return_csv
from tests.helpers.shell import at_laptop_size, shown_main_window
from tests.helpers.shortcut_audit import ampersands_shown, clashes, moved_letters
from ui.actions.form import ActionFormDialog
from ui.areas.reviews import ReviewsPage
from ui.kit.table_model import SORT_ROLE
from ui.main_window import MainWindow
from ui.operations import wait_for_idle
from ui.reviews.register import NewReviewDialog
from ui.reviews.review_view import ReviewView

pytestmark = pytest.mark.gui


@pytest.fixture
def reviews(qtbot: QtBot, demo_workspace: Workspace) -> Iterator[tuple[ReviewsPage, list[str]]]:
    page, statuses = area_page(qtbot, demo_workspace, ReviewsPage)
    yield page, statuses
    page.shutdown()


@pytest.fixture
def view(reviews: tuple[ReviewsPage, list[str]], demo_workspace: Workspace) -> ReviewView:
    page, _statuses = reviews
    return open_largest_review(page, demo_workspace)


def test_create_action_from_a_recommendation(
    qtbot: QtBot, view: ReviewView, reviews: tuple[ReviewsPage, list[str]], demo_workspace: Workspace
) -> None:
    """Copies the text and the agency it names, proposes a due date, reads 31/03/2027 whole, Tab leaves the
    date box, and the new reference is confirmed."""
    _page, statuses = reviews
    with demo_workspace.reading() as session:
        police_name, police_short = next(
            (a.name, a.short_name) for a in list_agencies(session) if "police" in a.name.casefold()
        )
    findings = view.findings
    wording = f"{police_name} should audit how strategy discussions record the child's voice."
    dialog, _row = action_from_new_recommendation(findings, wording, "strategy discussions")
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


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[MainWindow]:
    yield from shown_main_window(qtbot, size=(1280, 800))


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def every_view(window: MainWindow, workspace: Workspace) -> Iterator[str]:
    """Each area, with a review open and an entry in its editor, and each tab of every view."""
    for spec in window.areas:
        window.show_area(spec.key)
        page = window.pages[spec.key]
        if spec.key == "reviews":
            with workspace.reading() as session:
                uuid = max(list_reviews(session), key=lambda r: len(list_entries(session, r.uuid))).uuid
            page.open_review(uuid)
            wait_for_idle()  # the entries load in the background, then the chosen one into the editor,
            settle()
            page.review.chronology.table.selectRow(0)
            wait_for_idle()  # whose fields' letters count too
            settle()
            chronology = page.review.chronology
            assert chronology.editor.isEnabled() or chronology.table.model().rowCount() == 0  # or no entries yet
        settle()
        yield spec.key
        yield from _each_tab(window, page, spec.key)
        if spec.key == "section11":  # the views the register opens: an agency's, the heat map, the frameworks
            wait_for_idle()  # the register loads in the background
            settle()
            views = [("heat map", page.show_heat_map), ("frameworks", page.show_frameworks)]
            if page.participant_uuid() is not None:
                views.insert(0, ("agency", page.open_selected))
            for name, show in views:
                show()
                settle()
                yield f"section11 / {name}"
                yield from _each_tab(window, page, f"section11 / {name}")
            page.show_register()


def _each_tab(window: MainWindow, page: QWidget, where: str) -> Iterator[str]:
    for tabs in page.findChildren(QTabWidget):
        if not tabs.isVisibleTo(window):
            continue
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            settle()
            yield f"{where} / {tabs.tabText(index)}"


def test_no_key_does_two_things_in_any_view(window: MainWindow, demo_workspace: Workspace) -> None:
    """Alt letters and Ctrl shortcuts are unique within every view (Alt+S, Alt+T, Ctrl+N were doing two things)."""
    window._on_unlocked(demo_workspace)
    seen = []
    moved: dict[str, list[str]] = {}  # every view's, reported at once
    for view in every_view(window, demo_workspace):
        seen.append(view)
        assert clashes(window) == [], view
        assert ampersands_shown(window) == [], view
        # and the letter each control is written with is the one it gets: the keeper had moved 45, among them
        # "&Add agency…" to Alt+D, and left "Fin&d:" in the Reading view with none (all its letters taken)
        for move in moved_letters(window):
            moved.setdefault(move, []).append(view)
    assert moved == {}, "\n".join(f"{move} in {', '.join(views)}" for move, views in moved.items())
    assert any("Findings" in v for v in seen) and any("Dashboard" in v.replace("&", "") for v in seen)
    assert any("letter" in v.replace("&", "") for v in seen), "; ".join(seen)


def test_ctrl_number_puts_the_focus_in_the_area(qtbot: QtBot, window: MainWindow, demo_workspace: Workspace) -> None:
    window._on_unlocked(demo_workspace)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    page = window.pages[window.areas[1].key]
    assert window.area_stack.currentWidget() is page
    focused = QApplication.focusWidget()
    assert focused is not None and page.isAncestorOf(focused) and focused is not window.nav
    assert focused is page.main_view()  # the register itself: Enter opens the chosen review
    for number, spec in enumerate(window.areas[:9], start=1):  # every area: its list, not a button
        qtbot.keyClick(
            QApplication.focusWidget() or window, Qt.Key(Qt.Key.Key_0 + number), Qt.KeyboardModifier.ControlModifier
        )
        area = window.pages[spec.key]
        wait_for_idle()  # the area's first load ends after the key: it must not move the focus
        settle()
        if area.main_view() is not None:
            assert QApplication.focusWidget() is area.main_view(), spec.key


def test_enter_on_an_area_in_the_list_puts_the_focus_in_it(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace
) -> None:
    """Arrowing to an area shows it and keeps the focus in the list; Enter goes in, so the area's own
    shortcuts (Ctrl+N for a new action...) work without a Tab first."""
    window._on_unlocked(demo_workspace)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.nav.setFocus()
    actions = next(n for n, spec in enumerate(window.areas) if spec.key == "actions")
    while window.nav.currentRow() < actions:
        qtbot.keyClick(window.nav, Qt.Key.Key_Down)
    page = window.pages["actions"]
    assert window.area_stack.currentWidget() is page and QApplication.focusWidget() is window.nav
    qtbot.keyClick(window.nav, Qt.Key.Key_Return)
    wait_for_idle()
    focused = QApplication.focusWidget()
    assert focused is not None and page.isAncestorOf(focused) and focused is page.main_view()


def looks_like_data(placeholder: str) -> bool:
    """A placeholder that could be mistaken for a value: a date, a time, or words with no lowercase hint."""
    from app.dates.fuzzy import DateParseError, parse_date

    text = placeholder.strip()
    if not text:
        return False
    try:
        parse_date(text)
        return True
    except DateParseError:
        pass
    if re.fullmatch(r"\d{1,2}[:.]\d{2}(:\d{2})?", text):
        return True
    return not re.search(r"(?<![A-Za-z])[a-z]{3,}", text)


def test_placeholders_are_hints_not_data(window: MainWindow, demo_workspace: Workspace) -> None:
    """An empty editor showed "22/05/2016" and "09:30"; placeholders must read as hints in every view."""
    assert looks_like_data("22/05/2016") and looks_like_data("09:30") and looks_like_data("Dr Jane Smith")
    assert not looks_like_data("dd/mm/yyyy") and not looks_like_data("a pseudonym, e.g. Child A")
    window._on_unlocked(demo_workspace)
    checked = 0
    for view in every_view(window, demo_workspace):
        for edit in window.findChildren(QLineEdit):
            if edit.isVisibleTo(window) and edit.placeholderText():
                checked += 1
                assert not looks_like_data(edit.placeholderText()), (
                    view,
                    edit.accessibleName(),
                    edit.placeholderText(),
                )
    assert checked >= 5


def test_a_registered_review_opens_and_starts_without_a_subject(
    qtbot: QtBot, reviews: tuple[ReviewsPage, list[str]]
) -> None:
    page, statuses = reviews
    page.new_review()
    dialog = page.dialog
    assert isinstance(dialog, NewReviewDialog)
    assert dialog.subject.text() == "" and "e.g. Child A" in dialog.subject.placeholderText()
    for widget in dialog.findChildren(QLineEdit):
        assert not looks_like_data(widget.placeholderText()), widget.accessibleName()
    qtbot.keyClicks(dialog.title, "Rapid review after a serious incident")
    qtbot.keyClicks(dialog.subject, "Child D")
    dialog.save()
    assert page.review is not None and page.stack.currentWidget() is page.review
    assert any("Registered review" in s for s in statuses)


def database_terms() -> list[str]:
    """Table and class names as they would leak: "entry_episode_link", "Entry episode link", "EntryEpisodeLink"."""
    from app.records.naming import naming_for
    from db.base import exchangeable_models

    terms = ["uuid"]
    for model in exchangeable_models():
        table = model.__tablename__
        if "_" in table:
            terms.append(table)
            if naming_for(table).kind.casefold() != table.replace("_", " "):  # unless it is the users' word too
                terms.append(table.replace("_", " "))
        if sum(c.isupper() for c in model.__name__) > 1:
            terms.append(model.__name__)
    return terms


def texts_on_screen(window: MainWindow) -> list[str]:
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QGroupBox, QLabel, QTabBar

    found = [window.statusBar().currentMessage()]
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window):
            continue
        if isinstance(widget, (QLabel, QAbstractButton)):
            found.append(widget.text())
        elif isinstance(widget, QGroupBox):
            found.append(widget.title())
        elif isinstance(widget, QTabBar):
            found += [widget.tabText(i) for i in range(widget.count())]
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            try:
                columns = model.columnCount(QModelIndex())
            except TypeError:  # list models keep columnCount private: one column
                columns = 1
            found += [str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in range(columns)]
            for row in range(min(model.rowCount(QModelIndex()), 60)):
                found += [str(model.index(row, c).data() or "") for c in range(columns)]
    return found


def test_no_database_terms_on_screen(window: MainWindow, demo_workspace: Workspace) -> None:
    """The Workspace page said "Entry episode link: 86" and the audit log "Created EntryEpisodeLink"."""
    window._on_unlocked(demo_workspace)
    terms = [t.casefold() for t in database_terms()]
    for view in every_view(window, demo_workspace):
        for text in texts_on_screen(window):
            folded = text.casefold()
            leaked = [t for t in terms if t in folded]
            assert not leaked, (view, leaked, text[:120])


def test_first_screen_after_unlock_says_what_to_do_first(window: MainWindow, workspace: Workspace) -> None:
    window._on_unlocked(workspace)
    page = window.pages["overview"]
    guidance = page.start_here.text()
    assert page.start_here.isVisibleTo(window) and "Start here" in guidance and "next: step 1" in guidance
    assert "Add agency" in guidance and "Register a case review" in guidance


def cut_off(view: Any) -> list[str]:
    """Texts of a table or list view that do not fit their cell (word-wrapped, with the cell's margins)."""
    from PySide6.QtCore import QRect

    model = view.model()
    metrics = view.fontMetrics()
    found = []
    try:
        columns = model.columnCount(QModelIndex())
    except TypeError:
        columns = 1
    for row in range(min(model.rowCount(QModelIndex()), 40)):
        for column in range(columns):
            if hasattr(view, "isColumnHidden") and view.isColumnHidden(column):
                continue
            index = model.index(row, column)
            text = str(index.data() or "")
            rect = view.visualRect(index)
            if not text or rect.width() <= 0:
                continue
            room = QRect(0, 0, rect.width() - 4, 10_000)
            needed = metrics.boundingRect(room, int(Qt.TextFlag.TextWordWrap), text)
            if needed.width() > room.width() or needed.height() > rect.height():
                found.append(text)
    return found


def test_register_partner_list_and_status_bar_are_not_cut_off_at_1280(
    window: MainWindow, demo_workspace: Workspace
) -> None:
    from PySide6.QtWidgets import QLabel

    window._on_unlocked(demo_workspace)
    at_laptop_size(window)
    overview = window.pages["overview"]
    assert cut_off(overview.agency_list) == []
    counts = [label for label in overview.records_box.findChildren(QLabel) if label.text()[:1].isdigit()]
    assert len(counts) >= 10
    for number in counts:  # every count inside the visible width of the "Stored records" box
        left = number.mapTo(overview.records_box, number.rect().topLeft()).x()
        assert 0 <= left and left + number.sizeHint().width() <= overview.records_box.width(), number.text()
    window.show_area("reviews")
    settle()
    assert cut_off(window.pages["reviews"].table) == []
    for label in window.statusBar().findChildren(QLabel):
        if label.isVisibleTo(window) and label.text():
            assert label.width() >= label.sizeHint().width(), label.text()


def test_empty_views_say_how_to_fill_them(window: MainWindow, workspace: Workspace) -> None:
    """A new workspace: every list or table on screen that is empty says what goes there and how to add it."""
    from PySide6.QtWidgets import QAbstractItemView, QHeaderView

    from app.reviews.register import add_review

    with workspace.unit_of_work() as uow:
        add_review(uow, kind="rapid", title="Serious injury to an infant", subject_pseudonym="Baby F")
    window._on_unlocked(workspace)
    silent = set()
    for view in every_view(window, workspace):
        for item_view in window.findChildren(QAbstractItemView):
            model = item_view.model()
            if (
                not isinstance(item_view, QHeaderView)  # a table's headings, not a list to fill
                and item_view.isVisibleTo(window)
                and model is not None
                and model.rowCount() == 0
                and item_view.height() > 80
                and not item_view.property("empty_hint")
            ):
                silent.add(f"{view}: {item_view.accessibleName()}")
    assert not silent, "; ".join(sorted(silent))


def test_export_format_and_extension_agree_and_start_in_documents(
    view: ReviewView, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CSV was written into a name ending .docx, in the program's folder."""
    from ui.kit import files

    asked: list[str] = []

    def chooser(_parent: Any, _caption: str, start: str, _filters: str) -> tuple[str, str]:
        asked.append(start)
        return str(tmp_path / "for-panel.docx"), ""

    monkeypatch.setattr(files, "choose_save_file", chooser)
    view.export.format.setCurrentIndex(view.export.format.findData("csv"))
    view.export.choose_export()
    assert (tmp_path / "for-panel.csv").read_text(encoding="utf-8-sig").count("\n") > 10
    assert not (tmp_path / "for-panel.docx").exists()
    assert Path(asked[0]).parent == files.documents_dir() and asked[0].endswith(".csv")
    assert Path(asked[0]).parent != Path.cwd()
    assert files.with_suffix(Path("minutes.v2"), ".csv").name == "minutes.v2.csv"


def test_a_changed_extension_never_replaces_a_file_the_dialog_did_not_ask_about(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dialog confirmed "report.docx"; the CSV would replace "report.csv", so that name is asked about."""
    from ui.kit import files

    (tmp_path / "report.csv").write_text("the user's own file")
    answers = [str(tmp_path / "report.docx"), str(tmp_path / "report.csv")]
    asked: list[str] = []

    def chooser(_parent: Any, _caption: str, start: str, _filters: str) -> tuple[str, str]:
        asked.append(start)
        return answers.pop(0), ""

    monkeypatch.setattr(files, "choose_save_file", chooser)
    assert files.save_file(None, "Export", "chronology.csv", "CSV (*.csv)") == str(tmp_path / "report.csv")
    assert asked[1] == str(tmp_path / "report.csv")
    answers[:] = [str(tmp_path / "report.docx")] * 2
    assert files.save_file(None, "Export", "chronology.csv", "CSV (*.csv)") == ""


def test_file_dialogs_open_where_the_last_one_chose_in_memory_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Returns came from /tmp/walk, and every dialog started in the home folder again; the folder is
    remembered for the session only (its name can be case data: ui/file_dialog_privacy.py)."""
    from ui.file_dialog_privacy import REMEMBERED_KEYS, qt_file_dialog_settings
    from ui.kit import files

    chosen_folder = tmp_path / "Returns from agencies"
    chosen_folder.mkdir()
    starts: list[str] = []

    def opener(_parent: Any, _caption: str, start: str, _filters: str) -> tuple[str, str]:
        starts.append(start)
        return str(chosen_folder / "housing.xlsx"), ""

    def saver(_parent: Any, _caption: str, start: str, _filters: str) -> tuple[str, str]:
        starts.append(start)
        return start, ""

    monkeypatch.setattr(files, "choose_open_file", opener)
    monkeypatch.setattr(files, "choose_save_file", saver)
    assert files.open_file(None, "Check a return", "Returns (*.xlsx)") == str(chosen_folder / "housing.xlsx")
    assert Path(starts[0]) == files.documents_dir()
    assert files.save_file(None, "Write a template", "return-Housing.xlsx", "Excel (*.xlsx)")
    assert Path(starts[1]) == chosen_folder / "return-Housing.xlsx"
    assert files.open_file(None, "Check a return", "Returns (*.xlsx)")
    assert Path(starts[2]) == chosen_folder
    settings = qt_file_dialog_settings()
    assert not any(str(settings.value(key, "")).count("Returns from agencies") for key in REMEMBERED_KEYS)


def test_link_selected_entries_links_every_selected_entry_and_shows_them_first(
    view: ReviewView, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Select three entries, then make and save a new episode (the chronology reloads), then link: all three."""
    from PySide6.QtCore import QItemSelectionModel

    from app.chronology.service import entry_episode_uuids
    from app.reviews.analysis import list_episodes
    from ui import messages

    chronology = view.chronology
    chosen = [chronology.model.row_at(n).uuid for n in (0, 2, 4)]
    chronology.table.selectRow(0)
    for row in (2, 4):
        chronology.table.selectionModel().select(
            chronology.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    episodes = view.episodes
    view.tabs.setCurrentWidget(episodes)
    episodes.new()
    episodes.title.setText("Health visiting follow-up")
    episodes.save()
    wait_for_idle()
    settle()
    assert sorted(chronology.selected_uuids()) == sorted(chosen)
    row = next(
        r for r in range(episodes.episodes.count()) if "Health visiting follow-up" in episodes.episodes.item(r).text()
    )
    episodes.episodes.setCurrentRow(row)
    asked: list[str] = []
    monkeypatch.setattr(messages, "confirm", lambda _p, _t, text, _a: asked.append(text) or True)
    episodes.link_selected()
    assert asked and "3 entries" in asked[0]
    assert all(text in asked[0] for text in chronology.describe_uuids(chosen))
    with demo_workspace.reading() as session:
        new = next(e for e in list_episodes(session, view.review_uuid) if e.title == "Health visiting follow-up")
        assert all(new.uuid in entry_episode_uuids(session, uuid) for uuid in chosen)


def test_an_import_error_is_corrected_in_the_app_and_skipped_rows_are_listed(
    review_page: tuple[ReviewsPage, str],
    qtbot: QtBot,
    workspace: Workspace,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ui import messages
    from ui.reviews.import_dialog import ImportDialog

    page, review = review_page
    assert page.review is not None
    source = return_csv(tmp_path / "hv-return.csv")
    before = source.read_bytes()
    page.review.open_import(str(source))
    dialog = page.review.dialog
    assert isinstance(dialog, ImportDialog)
    dialog.agency.setCurrentIndex(dialog.agency.findData("HV"))
    dialog.read_file()
    dialog.set_field("Who recorded", "source")
    dialog.set_field("Ref", "sequence")
    dialog.validate()
    assert dialog.plan is not None and dialog.plan.report.rows_with_errors == 2
    issue = dialog._selected_issue()  # the first error is selected, its cell ready to type over
    assert issue is not None and issue.row_number == 4 and dialog.cell_value.text() == "05/22/2016"
    dialog.cell_value.selectAll()
    qtbot.keyClicks(dialog.cell_value, "22/05/2016")
    qtbot.keyClick(dialog.cell_value, Qt.Key.Key_Return)
    assert dialog.plan.report.rows_with_errors == 1 and "1 cell corrected here" in dialog.summary.text()
    shown: list[str] = []
    monkeypatch.setattr(messages, "show_info", lambda _p, _t, text: shown.append(text))
    dialog.skip_invalid.setChecked(True)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.import_result is not None and dialog.import_result.created == 4
    assert shown and "Row 5" in shown[0] and "Missing source" in shown[0]
    assert source.read_bytes() == before  # the user's file is not changed
    with workspace.reading() as session:
        assert "2016-05-22" in {e.start_date for e in list_entries(session, review)}


def test_the_about_box_claims_only_what_exists(window: MainWindow) -> None:
    from ui.main_window import about_text

    text = about_text(window.areas)
    for spec in window.areas:
        assert spec.title in text
    if not any("section 11" in (s.title + s.description).casefold() for s in window.areas):
        assert "Section 11" not in text  # it once promised a Section 11 area this build does not have


def test_the_first_window_fits_the_screen_it_opens_on(qtbot: QtBot) -> None:
    """A 1280x800 laptop lost the status bar below the screen: the default size was 1280x820."""
    from PySide6.QtCore import QRect

    from ui import settings

    settings.WINDOW_GEOMETRY.clear()  # a first start: no saved geometry (Qt keeps one settings file per process)
    settings.WINDOW_STATE.clear()
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    screen: QRect = window.screen().availableGeometry()
    if screen.height() < 820 + 60:
        assert window.isMaximized()
    settle()
    assert window.height() <= screen.height() and window.width() <= screen.width()


def test_a_size_saved_on_a_larger_monitor_still_fits_this_screen(qtbot: QtBot) -> None:
    """Undocked from a big monitor, the laptop reopened a window taller than its screen."""
    from ui import settings

    big = MainWindow()
    qtbot.addWidget(big)
    screen = big.screen().availableGeometry()
    big.setGeometry(screen.x() + 300, screen.y() + 200, screen.width() + 200, screen.height() + 100)
    settings.WINDOW_GEOMETRY.set(big.saveGeometry())
    settings.WINDOW_STATE.clear()
    try:
        window = MainWindow()
        qtbot.addWidget(window)
        window.show()
        settle()
        assert window.isMaximized() or screen.contains(window.frameGeometry())
        assert window.height() <= screen.height() and window.width() <= screen.width()
    finally:
        settings.WINDOW_GEOMETRY.clear()


def test_the_audit_log_fills_just_after_the_first_page_is_shown(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace
) -> None:
    """Unlock paints the workspace page first (issue 14: usable within 0.3 s); the 1,000-row log follows."""
    window._on_unlocked(demo_workspace)
    overview = window.pages["overview"]
    assert overview.audit_model.rowCount() == 0  # not on the way to the first paint
    qtbot.waitUntil(lambda: overview.audit_model.rowCount() > 100, timeout=5000)
    first = overview.audit_proxy.index(0, 0).data(SORT_ROLE)
    assert first == max(row.at for row in overview.audit_model.rows)  # newest first


def test_form_labels_underline_their_key_instead_of_printing_an_ampersand(qtbot) -> None:
    """A form row whose field is a layout has no buddy: its '&Colour:' was shown literally."""
    from ui.dialogs.agency import AgencyDialog
    from ui.dialogs.create_workspace import CreateWorkspaceDialog

    for dialog in (AgencyDialog(lambda *_: None), CreateWorkspaceDialog()):
        qtbot.addWidget(dialog)
        assert ampersands_shown(dialog) == [], type(dialog).__name__

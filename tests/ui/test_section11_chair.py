"""The Chair's first use of Section 11, on the demo workspace: what was typed stays, what is exported is what is shown.

Each test is a defect a Chair met: typing that vanished (a due date not yet a date, a standard's edits on
Retire), a letter exported without the edits on screen, a line removed with the answers recorded on it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.store.workspace import Workspace
from tests.helpers.areas import agency_letter_tab, area_page, select_agency
from tests.helpers.shell import unlocked_on
from tests.helpers.shortcut_audit import CTRL
from ui.areas.section11 import Section11Page
from ui.main_window import MainWindow
from ui.section11.interview import InterviewWindow

pytestmark = pytest.mark.gui


def _interview(qtbot: QtBot, page: Section11Page, agency: str) -> InterviewWindow:
    select_agency(page, agency)
    page.interview_selected()
    interview = page.interview
    assert isinstance(interview, InterviewWindow)
    qtbot.waitExposed(interview)
    interview.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is interview)
    return interview


def test_a_due_date_not_yet_a_date_stays_on_its_line_across_a_move_and_a_lock(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace
) -> None:
    """The Chair typed "31/02/2027" (or was half way through a date) and moved on, or pressed Ctrl+L: the text
    vanished, the line showed an empty due date and no problem."""
    from app.demo import DEMO_PASSPHRASE

    page = unlocked_on(window, demo_workspace, "section11")
    interview = _interview(qtbot, page, "Children's Social Care")
    assert interview.line_count >= 2
    interview.due.setFocus()
    interview.due.selectAll()
    qtbot.keyClicks(interview.due, "31/02/2027")
    assert interview.due_error.text().startswith("Not saved yet")
    qtbot.keyClick(interview.due, Qt.Key.Key_PageDown)  # the next line, and back
    assert interview.position == 1
    qtbot.keyClick(interview.question, Qt.Key.Key_PageUp)
    assert interview.position == 0
    assert interview.due.text() == "31/02/2027" and interview.due_error.text().startswith("Not saved yet")

    interview.due.setFocus()
    qtbot.keyClick(interview.due, Qt.Key.Key_L, CTRL)  # the lock, with the date still wrong
    assert window.workspace is None and page.interview is None
    window._on_unlocked(Workspace.open(demo_workspace.path, DEMO_PASSPHRASE))
    back = window.pages["section11"].interview
    assert isinstance(back, InterviewWindow) and back.position == 0
    assert back.due.text() == "31/02/2027" and back.due_error.text().startswith("Not saved yet")
    assert back.focusWidget() is back.due

    back.due.selectAll()  # corrected: saved, and the line no longer keeps the typing aside
    qtbot.keyClicks(back.due, "28/02/2027")
    assert back.due_error.text() == "" and back.flush()
    back.go(1)
    back.go(0)
    assert back.due.text() == "28/02/2027" and back.unparsed_due == {}
    back.close()


def _letter(qtbot: QtBot, workspace: Workspace) -> tuple[Section11Page, Any]:
    """Children's Social Care's agency view (opened by Enter) on its letter tab: the demo's draft."""
    page, view = agency_letter_tab(qtbot, workspace, "Children's Social Care")
    if view.letter.letter is None:
        view.letter.draft_button.click()
    assert view.letter.letter is not None and view.letter.letter.editable
    return page, view.letter


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_exporting_a_draft_letter_takes_the_edits_on_screen(
    qtbot: QtBot, demo_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """Export DOCX / PDF wrote the stored text: the Chair's corrections, typed and not yet saved, were missing
    from the file sent to the agency (Preview and Issue saved them first; Export did not)."""
    from ui.kit import files

    _page, letter = _letter(qtbot, demo_workspace)
    closing = letter.boxes["closing"]
    closing.setFocus()
    closing.moveCursor(closing.textCursor().MoveOperation.End)
    qtbot.keyClicks(closing, " Corrected in the room")
    assert letter.guard.dirty()
    out = tmp_path / f"letter.{fmt}"
    monkeypatch.setattr(files, "choose_save_file", lambda *_a: (str(out), ""))
    qtbot.keyClick(closing, Qt.Key.Key_O if fmt == "pdf" else Qt.Key.Key_X, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(out.exists)  # Exp&ort PDF, Export DOC&X: a mnemonic's click lands a moment later
    assert "Corrected in the room" in _file_text(out)
    assert not letter.guard.dirty()  # saved, as the file says
    assert letter.letter is not None and letter.letter.sections["closing"].endswith(" Corrected in the room")


def _file_text(path: Path) -> str:
    if path.suffix == ".docx":
        from zipfile import ZipFile

        with ZipFile(path) as book:
            return book.read("word/document.xml").decode()
    import pypdfium2

    document = pypdfium2.PdfDocument(path.read_bytes())
    try:
        return " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in document)
    finally:
        document.close()


@pytest.mark.parametrize("answer", ["Save", "Discard", "Cancel"])
def test_retiring_a_standard_asks_about_its_edits_first(
    qtbot: QtBot, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch, answer: str
) -> None:
    """Retire / restore (Alt+R, or Delete in the table) reloaded the form: a title being corrected was dropped
    without a word."""
    from app.section11.frameworks import list_frameworks
    from tests.helpers.areas import answer_save_question
    from ui.kit.edit_guard import Answer

    page = area_page(qtbot, demo_workspace, Section11Page, size=(1200, 760), active=True)[0]
    page.agencies.setFocus()
    qtbot.keyClick(page.agencies, Qt.Key.Key_W, CTRL | Qt.KeyboardModifier.ShiftModifier)
    view = page.extra_views["frameworks"]
    view.table.selectRow(1)
    standard, title = view.shown, view.title.text()
    view.title.setFocus()
    qtbot.keyClicks(view.title, " (corrected)")
    asked = answer_save_question(monkeypatch, getattr(Answer, answer))
    view.table.setFocus()  # back to the table (Shift+Tab), the row still the one typed on
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)  # Retire / restore (Delete)
    assert asked == ["Save changes to this standard?"]
    with demo_workspace.reading() as session:
        stored = next(
            s for f in list_frameworks(session, include_retired=True) for s in f.standards if s.uuid == standard
        )
    assert stored.title == (title + " (corrected)" if answer == "Save" else title)
    assert stored.retired == (answer != "Cancel")
    if answer == "Cancel":  # nothing retired, the typing still there to save
        assert view.title.text() == title + " (corrected)" and view.guard.dirty()
    else:
        assert view.title.text() == stored.title and not view.guard.dirty()


def test_a_new_standard_has_no_row_chosen_beside_it(qtbot: QtBot, demo_workspace: Workspace) -> None:
    """After New standard (Insert) the first standard stayed highlighted beside the blank form, as if the form
    were about it."""
    page = area_page(qtbot, demo_workspace, Section11Page, size=(1200, 760), active=True)[0]
    view = page.show_frameworks()
    assert view is not None
    count = view.model.rowCount()
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Insert)
    assert view.title.hasFocus() and view.number.value() == count + 1
    assert not view.table.selectionModel().hasSelection() and not view.table.currentIndex().isValid()
    qtbot.keyClicks(view.title, "Contracted services are held to these standards")
    qtbot.keyClick(view.title, Qt.Key.Key_S, CTRL)
    assert view.model.rowCount() == count + 1
    saved = view.model.row_at(view.table.currentIndex().row())
    assert saved.title == "Contracted services are held to these standards" and view.shown == saved.uuid
    assert view.model.row_at(0).title != saved.title  # the first standard untouched


@pytest.mark.parametrize("replace", [True, False])
def test_all_templates_into_a_folder_holding_some_asks_before_replacing(
    qtbot: QtBot, demo_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, replace: bool
) -> None:
    """Saving every template into the folder of the last round stopped at the first template already there
    ("... already exists; ... --overwrite on the command line"), the templates before it written and their
    agencies not marked as sent. It now asks once, before writing anything."""
    from app.section11.returns import template_filename
    from ui.section11 import returns as returns_ui

    page = area_page(qtbot, demo_workspace, Section11Page, size=(1200, 760), active=True)[0]
    page.cycles.selectRow(0)
    folder = tmp_path / "returns"
    folder.mkdir()
    with demo_workspace.reading() as session:
        names = [template_filename(session, r.participant_uuid) for r in page.register_model.rows]
    (folder / names[2]).write_bytes(b"last round's template")
    monkeypatch.setattr(returns_ui, "choose_folder", lambda *_a: str(folder))
    asked: list[str] = []
    monkeypatch.setattr(returns_ui, "confirm", lambda _p, _t, text, _a: asked.append(text) or replace, raising=False)
    page.all_templates()
    assert len(asked) == 1 and names[2] in asked[0] and "1 return template of 8" in asked[0]
    if replace:  # every template written, the one there replaced
        assert sorted(p.name for p in folder.iterdir()) == sorted(names)
        assert all((folder / name).read_bytes()[:2] == b"PK" for name in names)
    else:  # nothing written: the folder as it was
        assert [p.name for p in folder.iterdir()] == [names[2]]
        assert (folder / names[2]).read_bytes() == b"last round's template"


def test_removing_a_line_says_what_the_interview_recorded_on_it(
    qtbot: QtBot, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Delete on a line of a held interview asked only "Remove line 1? A suggested line will not be suggested
    again.": the question asked, the answer and the judgement recorded in the room went with it unsaid."""
    from ui.section11 import lines as lines_ui

    page = area_page(qtbot, demo_workspace, Section11Page, size=(1200, 760), active=True)[0]
    select_agency(page, "Children's Social Care")  # the interview held
    qtbot.keyClick(page.agencies, Qt.Key.Key_Return)
    view = page.agency_view
    assert view is not None
    view.tabs.setCurrentWidget(view.lines)
    lines = view.lines
    row = next(n for n, ln in enumerate(lines.lines) if ln.answer)
    count = len(lines.lines)
    lines.list.setFocus()
    lines.list.setCurrentRow(row)
    asked: list[str] = []
    answers = iter([False, True])
    monkeypatch.setattr(lines_ui, "confirm", lambda _p, _t, text, _a: asked.append(text) or next(answers))
    qtbot.keyClick(lines.list, Qt.Key.Key_Delete)  # Cancel: nothing removed
    assert len(lines.lines) == count
    assert "the agency's answer" in asked[0] and "go with it" in asked[0]
    blank = next((n for n, ln in enumerate(lines.lines) if not (ln.question_asked or ln.answer)), None)
    qtbot.keyClick(lines.list, Qt.Key.Key_Delete)  # Remove
    assert len(lines.lines) == count - 1
    if blank is not None:  # a line with nothing recorded is asked about as before
        asked.clear()
        monkeypatch.setattr(lines_ui, "confirm", lambda _p, _t, text, _a: asked.append(text) or False)
        lines.list.setCurrentRow(blank if blank < row else blank - 1)
        qtbot.keyClick(lines.list, Qt.Key.Key_Delete)
        assert asked and "recorded" not in asked[0]


def _filled(template: Path, target: Path, score: str, target_date: str = "") -> Path:
    """What the agency does in Excel: a score on every row, a target date on the first, saved."""
    from openpyxl import load_workbook

    book = load_workbook(template)
    sheet = book.worksheets[0]
    header = next(r for r in sheet.iter_rows() if any(c.value == "Self-assessed score" for c in r))
    columns = {c.value: c.column for c in header}
    for row in range(header[0].row + 1, sheet.max_row + 1):
        if sheet.cell(row, columns["Ref"]).value:
            sheet.cell(row, columns["Self-assessed score"]).value = score
            sheet.cell(row, columns["Target date"]).value = target_date or None
            target_date = ""
    book.save(target)
    return target


def test_the_import_report_says_when_nothing_can_be_or_will_be_imported(
    qtbot: QtBot, demo_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A return with errors showed "First import of this agency's return: every answer is new." under Changes;
    the very file imported before read as a newer version, and Import then said "Return from ... imported"."""
    from ui.kit import files
    from ui.section11.returns import ReturnImportDialog

    page, statuses = area_page(qtbot, demo_workspace, Section11Page, size=(1200, 760), active=True)
    select_agency(page, "St Aidan")
    template = tmp_path / "school-template.xlsx"
    monkeypatch.setattr(files, "choose_save_file", lambda *_a: (str(template), ""))
    qtbot.keyClick(page.agencies, Qt.Key.Key_T, CTRL | Qt.KeyboardModifier.ShiftModifier)

    page.import_return(str(_filled(template, tmp_path / "bad.xlsx", "2", "31/13/2026")))
    dialog = page.dialog
    assert isinstance(dialog, ReturnImportDialog) and not dialog.import_button.isEnabled()
    changes = [dialog.changes.item(i).text() for i in range(dialog.changes.count())]
    assert changes == ["None: the return cannot be imported until its errors are corrected."]
    dialog.reject()

    good = _filled(template, tmp_path / "school.xlsx", "2")
    page.import_return(str(good))
    page.dialog.import_button.click()
    assert statuses[-1].startswith("Return from St Aidan's Primary School imported: 9 standards")
    page.import_return(str(good))  # the same file again
    dialog = page.dialog
    assert "this exact file was imported before" in dialog.summary.text()
    changes = [dialog.changes.item(i).text() for i in range(dialog.changes.count())]
    assert changes == ["None: this file is the one imported last time."]
    dialog.import_button.click()
    assert "imported:" not in statuses[-1] and "nothing changed" in statuses[-1]


def test_import_writes_the_return_its_report_showed_not_a_copy_saved_over_it_since(
    qtbot: QtBot, demo_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The import dialog read the chosen file again on Import: a copy saved over it while the report was open
    (the agency's other version, every score 0) was imported although the report had shown every score 2."""
    from ui.kit import files
    from ui.section11.returns import ReturnImportDialog

    page, statuses = area_page(qtbot, demo_workspace, Section11Page, size=(1200, 760), active=True)
    select_agency(page, "St Aidan")
    school = page.selected_row()
    template = tmp_path / "school-template.xlsx"
    monkeypatch.setattr(files, "choose_save_file", lambda *_a: (str(template), ""))
    qtbot.keyClick(page.agencies, Qt.Key.Key_T, CTRL | Qt.KeyboardModifier.ShiftModifier)
    chosen = _filled(template, tmp_path / "school.xlsx", "2")
    page.import_return(str(chosen))
    dialog = page.dialog
    assert isinstance(dialog, ReturnImportDialog) and dialog.import_button.isEnabled()
    _filled(template, chosen, "0")  # saved over while the report is read
    dialog.import_button.click()
    assert statuses[-1].startswith("Return from St Aidan's Primary School imported: 9 standards")
    with demo_workspace.reading() as session:
        from app.section11.moderation import assessment_rows

        assert {r.self_score for r in assessment_rows(session, school.participant_uuid)} == {2}


def test_advance_status_never_claims_a_letter_that_was_not_issued(qtbot: QtBot, demo_workspace: Workspace) -> None:
    """Ctrl+Shift+S moved an interviewed agency with only a draft letter to "Letter issued": the register, the
    reports and the pack then told the partnership a letter had gone out that never had. The status dialog did
    the same. Both now refuse, naming the agency and what is missing, and write nothing."""
    from tests.helpers.shell import visible_error
    from ui.section11.dialogs import ParticipantDialog

    page = area_page(qtbot, demo_workspace, Section11Page, size=(1280, 760), active=True)[0]
    select_agency(page, "Children's Social Care")
    social_care = page.selected_row()
    assert social_care.status_label == "Interviewed"
    qtbot.keyClick(page.agencies, Qt.Key.Key_S, CTRL | Qt.KeyboardModifier.ShiftModifier)
    box = visible_error(page.context.window)
    assert box is not None and box.windowTitle() == "Advance status"
    assert box.text().startswith(f"{social_care.agency} cannot be set to Letter issued: ")
    assert "no feedback letter has been issued" in box.text()
    box.accept()
    assert page.selected_row().status_label == "Interviewed"

    qtbot.keyClick(page.agencies, Qt.Key.Key_K, CTRL | Qt.KeyboardModifier.ShiftModifier)
    dialog = page.dialog
    assert isinstance(dialog, ParticipantDialog)
    dialog.status.setCurrentIndex(dialog.status.findData("letter_issued"))
    qtbot.keyClick(dialog.sector, Qt.Key.Key_Return)
    assert dialog.isVisible() and "no feedback letter has been issued" in dialog.error.text()  # kept, said
    dialog.status.setCurrentIndex(dialog.status.findData("closed"))
    qtbot.keyClick(dialog.sector, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert page.selected_row().status_label == "Closed"


def test_framework_names_are_shown_whole(qtbot: QtBot, demo_workspace: Workspace) -> None:
    """The list of frameworks cut long names at its edge behind a horizontal scroll bar: "Section 11 standards
    (classic eight and the" and "Section 11 standards (classic eight) (Stand", the versions out of sight."""
    page = area_page(qtbot, demo_workspace, Section11Page, size=(1280, 760), active=True)[0]
    view = page.show_frameworks()
    assert view is not None
    qtbot.waitUntil(lambda: view.list.viewport().width() > 0)
    listed = view.list
    metrics = listed.fontMetrics()
    width = listed.viewport().width()
    assert listed.count() >= 3
    for row in range(listed.count()):
        item = listed.item(row)
        rect = listed.visualItemRect(item)
        assert rect.right() <= width, item.text()
        needed = metrics.boundingRect(0, 0, rect.width(), 10_000, Qt.TextFlag.TextWordWrap, item.text()).height()
        assert rect.height() >= needed, item.text()  # every line of the name, not the first only
    assert listed.horizontalScrollBar().maximum() == 0


def test_an_exported_letter_is_suggested_under_its_agency_and_cycle(
    qtbot: QtBot, demo_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every agency's letter was suggested as "s11-letter-v1.pdf": saved in one folder, the Chair's letters to
    eight agencies replaced one another (or went out under names that did not say whose they were)."""
    from ui.kit import files

    _page, letter = _letter(qtbot, demo_workspace)
    suggested: list[str] = []

    def choose(_parent: Any, _caption: str, start: str, _filters: str) -> tuple[str, str]:
        suggested.append(Path(start).name)
        return str(tmp_path / Path(start).name), ""

    monkeypatch.setattr(files, "choose_save_file", choose)
    letter.export("pdf")
    letter.export("docx")
    assert suggested == [
        "S11-letter-Section-11-audit-2026-CSC-v1.pdf",
        "S11-letter-Section-11-audit-2026-CSC-v1.docx",
    ]
    assert (tmp_path / suggested[0]).read_bytes()[:5] == b"%PDF-"


def test_leaving_interview_mode_asks_about_a_due_date_that_is_not_a_date(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl+W with "31/02/2027" still in a line's Evidence due left without a word, and the text was gone."""
    from ui.section11 import interview as interview_ui

    page = unlocked_on(window, demo_workspace, "section11")
    interview = _interview(qtbot, page, "Children's Social Care")
    interview.due.setFocus()
    interview.due.selectAll()
    qtbot.keyClicks(interview.due, "31/02/2027")
    qtbot.keyClick(interview.due, Qt.Key.Key_PageDown)
    asked: list[str] = []
    answers = iter([False, True])
    monkeypatch.setattr(
        interview_ui, "confirm", lambda _p, _t, text, _a: asked.append(text) or next(answers), raising=False
    )
    qtbot.keyClick(interview.question, Qt.Key.Key_W, CTRL)  # Cancel: still in interview mode, on that line
    assert len(asked) == 1 and "line 1" in asked[0] and "31/02/2027" in asked[0]
    assert page.interview is interview and interview.isVisible() and interview.position == 0
    assert interview.due.text() == "31/02/2027" and interview.focusWidget() is interview.due
    qtbot.keyClick(interview.due, Qt.Key.Key_W, CTRL)  # Leave: gone, as the Chair said
    assert len(asked) == 2 and page.interview is None


def test_alt_left_goes_back_to_the_register_from_the_letter_tab_with_real_key_presses(
    qtbot: QtBot, demo_workspace: Workspace
) -> None:
    """On a real display the Chair went to the letter tab (Ctrl+Tab twice) and pressed Alt+Left: nothing happened.
    A key from the window system reaches the window before the focused control; the page's claim on Alt+Left was
    dropped there, and the letter's scroll area then took the key for itself. Keys are sent to the window here, as
    the window system sends them (a key sent straight to a widget skips that step and always worked)."""
    from PySide6.QtTest import QTest

    page = area_page(qtbot, demo_workspace, Section11Page, size=(1200, 760), active=True)[0]
    select_agency(page, "Police")
    handle = page.window().windowHandle()
    assert handle is not None
    QTest.keyClick(handle, Qt.Key.Key_Return)
    view = page.agency_view
    assert view is not None
    QTest.keyClick(handle, Qt.Key.Key_Tab, CTRL)
    QTest.keyClick(handle, Qt.Key.Key_Tab, CTRL)
    assert view.tabs.currentWidget() is view.letter
    focus = QApplication.focusWidget()
    assert focus is not None and view.letter.isAncestorOf(focus)
    QTest.keyClick(handle, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert page.agency_view is None and page.agencies.isVisible()


def test_interview_list_names_each_standard_not_only_its_number(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace
) -> None:
    """Mid-interview the list on the left said "4. Standard 4 / Over-rated" and "5. Standard 4 / Bottom of the scale":
    the Chair had to remember which standard was the one about children's views. Each line now starts with the
    standard's title, on one line so the list still fits, and its tooltip gives the whole of it."""
    page = unlocked_on(window, demo_workspace, "section11")
    interview = _interview(qtbot, page, "Children's Social Care")
    first = interview.nav.item(0)
    assert first is not None
    heading, reason = first.text().split("\n")
    number, short_name, title = heading.split(" ", 2)
    assert (number, reason) == ("1.", interview.nav.item(0).toolTip().rsplit("[", 1)[1].rstrip("]"))
    assert first.toolTip().startswith(f"Standard {short_name[1:]}: {title.rstrip('…')}") and len(title) > 5
    assert interview.nav.fontMetrics().horizontalAdvance(heading) <= interview.nav.viewport().width()
    interview.close()

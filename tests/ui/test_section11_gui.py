"""The Section 11 area driven like the Chair and the QA panel drive it: by keyboard, on real encrypted workspaces.

A cycle is made, a standard moderated (the rationale rule refuses first), the
interview run in interview mode with every keystroke autosaved, the laptop
"dies" (the workspace is dropped without any save or close) and the typing is
there after reopening; the action agreed in the room is in the tracker.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.actions.queries import list_actions
from app.section11.cycles import list_cycles
from app.section11.frameworks import standards_of
from app.section11.interview import interview_record, pending_drafts
from app.section11.moderation import assessment_rows, record_self_assessment
from app.store.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.helpers.accessible_names import unnamed_controls
from tests.helpers.areas import answer_save_question, area_page, draft_kept_while_asked, select_agency
from tests.helpers.section11 import chair_workspace
from tests.helpers.shell import unlocked_on
from tests.helpers.shortcut_audit import ALT, CTRL, SHIFT, clashes, moved_letters
from ui.areas.section11 import Section11Page
from ui.kit.edit_guard import Answer
from ui.main_window import MainWindow
from ui.section11 import interview as interview_ui
from ui.section11.dialogs import AgreeActionDialog, BookInterviewDialog, NewCycleDialog
from ui.section11.interview import InterviewWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def s11_workspace(tmp_path: Path) -> Iterator[Workspace]:
    """An encrypted workspace with two agencies and nothing of Section 11 yet."""
    workspace = chair_workspace(
        tmp_path / "s11",
        "Chair",
        [
            ("Northbridge Police", "Police", "Police"),
            ("Northbridge Housing", "Housing", "Housing"),
            ("Riverside School", "School", "Education"),
        ],
    )
    yield workspace
    if not workspace.is_locked:
        workspace.lock()


def _page(qtbot: QtBot, workspace: Workspace) -> Section11Page:
    return area_page(qtbot, workspace, Section11Page, size=(1200, 760), active=True)[0]


def _focused(widget: QWidget) -> QWidget:
    focus = widget.focusWidget()
    assert focus is not None
    return focus


def _make_cycle(page: Section11Page, qtbot: QtBot) -> None:
    page.agencies.setFocus()
    qtbot.keyClick(page.agencies, Qt.Key.Key_N, CTRL | SHIFT)
    dialog = page.dialog
    assert isinstance(dialog, NewCycleDialog) and dialog.isVisible()
    dialog.name.selectAll()
    qtbot.keyClicks(dialog.name, "Section 11 audit 2026")
    dialog.period_start.selectAll()
    qtbot.keyClicks(dialog.period_start, "01/04/2026")
    dialog.period_end.selectAll()
    qtbot.keyClicks(dialog.period_end, "31/03/2027")
    dialog.agencies.setFocus()
    dialog.agencies.setCurrentRow(2)  # the school joins later
    qtbot.keyClick(dialog.agencies, Qt.Key.Key_Space)
    assert dialog.agencies.item(2).checkState() == Qt.CheckState.Unchecked
    dialog.return_due.selectAll()
    qtbot.keyClicks(dialog.return_due, "not a date")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert dialog.isVisible() and "return due date" in dialog.error.text()  # named, not lost
    dialog.return_due.selectAll()
    qtbot.keyClicks(dialog.return_due, "30/06/2026")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert not dialog.isVisible(), dialog.error.text()


def _returns_in(workspace: Workspace) -> None:
    """The agencies' self-assessments (as the return import would record them): Police rate themselves 3."""
    with workspace.unit_of_work() as uow:
        [cycle] = list_cycles(uow.session)
        from app.section11.cycles import participants

        for participant in participants(uow.session, cycle.uuid):
            for standard in standards_of(uow.session, cycle.framework_uuid):
                record_self_assessment(
                    uow, participant.uuid, standard.uuid, score=3, evidence=f"Evidence for standard {standard.number}"
                )


def test_cycle_moderation_interview_autosave_crash_and_action(
    qtbot: QtBot, s11_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = _page(qtbot, s11_workspace)
    _make_cycle(page, qtbot)
    assert [c.name for c in page.cycle_model.rows] == ["Section 11 audit 2026"]
    assert [r.status_label for r in page.register_model.rows] == ["Not sent", "Not sent"]
    # the status is in words in the cell, and Ctrl+Shift+S moves the selected agency on
    page.agencies.setFocus()
    page.agencies.selectRow(1)  # Police, by name
    police = page.register_model.row_at(1)
    assert police.agency == "Northbridge Police"
    qtbot.keyClick(page.agencies, Qt.Key.Key_S, CTRL | SHIFT)
    assert page.register_model.row_at(1).status_label == "Sent"
    assert page.register_model.data(page.register_model.index(1, page.register_model.STATUS)) == "Sent"
    qtbot.keyClick(page.agencies, Qt.Key.Key_K, CTRL | SHIFT)  # corrected by hand: back to not sent
    fix = page.dialog
    fix.status.setFocus()
    qtbot.keyClicks(fix.status, "Not")
    qtbot.keyClick(fix.status, Qt.Key.Key_Return)
    assert page.register_model.row_at(1).status_label == "Not sent"
    qtbot.keyClick(page.agencies, Qt.Key.Key_S, CTRL | SHIFT)
    qtbot.keyClick(page.agencies, Qt.Key.Key_J, CTRL | SHIFT)  # the school joins the cycle
    joining = page.dialog
    joining.agencies.setFocus()
    joining.agencies.setCurrentRow(0)
    qtbot.keyClick(joining.agencies, Qt.Key.Key_Space)
    qtbot.keyClick(joining.agencies, Qt.Key.Key_Return)
    assert [r.agency for r in page.register_model.rows] == [
        "Northbridge Housing",
        "Northbridge Police",
        "Riverside School",
    ]
    _returns_in(s11_workspace)
    page.reload()

    # -- moderation: a lower score needs the panel's rationale ---------------------------------
    page.agencies.selectRow(1)
    qtbot.keyClick(page.agencies, Qt.Key.Key_Return)
    view = page.agency_view
    assert view is not None and view.participant_uuid == police.participant_uuid
    moderation = view.moderation
    moderation.table.setFocus()
    qtbot.keyClick(moderation.table, Qt.Key.Key_Down)  # standard 2
    assert moderation.heading.text().startswith("Standard 2")
    moderation.moderated.setFocus()
    qtbot.keyClicks(moderation.moderated, "1")  # keyboard search picks "1 - ..."
    assert moderation.moderated.currentData() == 1
    assert moderation.error.text().startswith("Rationale required")
    qtbot.keyClick(moderation.moderated, Qt.Key.Key_S, CTRL)
    with s11_workspace.reading() as session:
        assert assessment_rows(session, police.participant_uuid)[1].moderated_score is None  # refused: nothing saved
    moderation.rationale.setFocus()
    qtbot.keyClicks(moderation.rationale, "No supervision audit was offered")
    assert moderation.error.text() == ""
    qtbot.keyClick(moderation.rationale, Qt.Key.Key_S, CTRL)
    with s11_workspace.reading() as session:
        row = assessment_rows(session, police.participant_uuid)[1]
    assert (row.self_score, row.moderated_score, row.rationale) == (3, 1, "No supervision audit was offered")
    assert moderation.model.row_at(1).moderated_text.startswith("1")  # both stay visible in the table
    assert moderation.model.row_at(1).self_text.startswith("3")
    moderation.table.selectRow(2)
    moderation.moderated.setFocus()
    qtbot.keyClick(moderation.moderated, Qt.Key.Key_End)  # the top of the scale: agrees with the agency
    assert moderation.error.text() == ""
    qtbot.keyClick(moderation.moderated, Qt.Key.Key_Return, CTRL)  # save and go to the next standard
    assert moderation.model.row_at(2).moderated_score == 3
    assert moderation.heading.text().startswith("Standard 4") and moderation.moderated.hasFocus()

    # -- lines of enquiry: suggested, added, reordered by keyboard -------------------------------
    view.tabs.setCurrentWidget(view.lines)
    lines = view.lines
    lines.list.setFocus()
    qtbot.keyClick(lines.list, Qt.Key.Key_G, CTRL | SHIFT)
    assert len(lines.lines) == 1 and lines.lines[0].reason == "over_rated"
    qtbot.keyClick(lines.list, Qt.Key.Key_Insert)
    line_dialog = lines.dialog
    qtbot.keyClicks(line_dialog.prompt, "Who chairs the safeguarding board and how often does it meet?")
    line_dialog.buttons.accepted.emit()
    assert [ln.reason for ln in lines.lines] == ["over_rated", "chair"]
    assert lines.list.currentRow() == 1
    qtbot.keyClick(lines.list, Qt.Key.Key_Up, ALT)
    assert [ln.reason for ln in lines.lines] == ["chair", "over_rated"]
    qtbot.keyClick(lines.list, Qt.Key.Key_Down, CTRL)
    assert [ln.reason for ln in lines.lines] == ["over_rated", "chair"]

    # -- booking, then interview mode --------------------------------------------------------
    qtbot.keyClick(lines.list, Qt.Key.Key_B, CTRL | SHIFT)
    booking = page.dialog
    assert isinstance(booking, BookInterviewDialog)
    qtbot.keyClicks(booking.on, (date.today() + timedelta(days=1)).strftime("%d/%m/%Y"))
    qtbot.keyClicks(booking.start_time, "10:00")
    # the Chair is proposed from the member's identity; the agency's lead is added by keyboard
    assert booking.attendees.rows() == [{"name": "Dr Helen Marsh", "role": "Chair", "kind": "chair"}]
    booking.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is booking)
    booking.attendees.table.setFocus()
    qtbot.keyClick(booking.attendees.table, Qt.Key.Key_Insert)  # a new row, its name being edited
    qtbot.keyClicks(_focused(booking), "Chief Superintendent")
    qtbot.keyClick(_focused(booking), Qt.Key.Key_Tab)
    qtbot.keyClicks(_focused(booking), "Board lead")
    editing = _focused(booking)
    qtbot.keyClick(editing, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: booking.focusWidget() is not editing)  # the cell closes a moment later
    qtbot.keyClick(booking.on, Qt.Key.Key_Return)
    assert not booking.isVisible(), booking.error.text()
    qtbot.keyClick(lines.list, Qt.Key.Key_F5)
    window = page.interview
    assert isinstance(window, InterviewWindow) and window.isVisible()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    assert window.position == 0 and window.line_heading.text().startswith("Standard 2")
    assert "Self: 3" in window.self_chip.text() and "Moderated: 1" in window.moderated_chip.text()
    assert "Housing" not in " ".join(label.text() for label in window.findChildren(type(window.title)))
    assert window.question.hasFocus()
    qtbot.keyClick(window.question, Qt.Key.Key_F11)
    assert window.isFullScreen()
    qtbot.keyClick(window.question, Qt.Key.Key_F11)
    assert not window.isFullScreen()
    qtbot.keyClicks(window.question, "Show us the supervision audit")
    qtbot.waitUntil(lambda: not window.pending, timeout=3000)  # kept half a second after the typing pauses
    qtbot.keyClick(window.question, Qt.Key.Key_PageDown)  # PageDown works inside a text field
    assert window.position == 1 and window.line_heading.text() == "General line of enquiry"
    qtbot.keyClick(window.question, Qt.Key.Key_PageUp)
    assert window.position == 0 and window.question.toPlainText() == "Show us the supervision audit"
    window.nav.setFocus()
    qtbot.keyClick(window.nav, Qt.Key.Key_Right, CTRL)
    assert window.position == 1
    qtbot.keyClick(window.nav, Qt.Key.Key_Left, CTRL)
    assert window.position == 0

    # an action agreed in the room goes into the tracker, linked to this line
    window.answer.setFocus()
    qtbot.keyClick(window.answer, Qt.Key.Key_A, CTRL | SHIFT)
    agree = window.dialog
    assert isinstance(agree, AgreeActionDialog) and "Standard 2" in agree.about.text()
    qtbot.keyClicks(agree.title_edit, "Audit supervision records for cases with children")
    qtbot.keyClick(agree.title_edit, Qt.Key.Key_Return)
    assert not agree.isVisible(), agree.error.text()
    with s11_workspace.reading() as session:
        tracked = [a for a in list_actions(session) if a.title.startswith("Audit supervision")]
    assert len(tracked) == 1 and tracked[0].source_uuid == window.record.lines[0].uuid
    assert tracked[0].agency == "Police"  # the tracker shows the short name
    assert "Audit supervision records" in window.line_actions.text()
    assert [a.title for a in window.actions_model.rows] == ["Audit supervision records for cases with children"]

    # -- the laptop dies mid-sentence: nothing closes, nothing is committed --------------------
    window.answer.setFocus()
    clock = iter(float(n) / 4 for n in range(10_000))  # a quarter second a keystroke: never a pause
    monkeypatch.setattr(interview_ui.time, "monotonic", lambda: next(clock))
    qtbot.keyClicks(window.answer, "We audit twelve files a quarter")  # no event loop: the pause timer never runs
    with s11_workspace.reading() as session:  # kept every two seconds of steady typing all the same
        kept = pending_drafts(session, window.record.uuid)
    assert any(text.startswith("We audit twelve") for text in kept.values())
    monkeypatch.undo()
    qtbot.waitUntil(lambda: not window.pending, timeout=3000)
    line_uuid = window.record.lines[0].uuid
    s11_workspace.lock()  # no flush, no commit, no close: as if the power went
    window._closing = True
    reopened = Workspace.open(s11_workspace.path, PASSPHRASE)
    try:
        with reopened.reading() as session:
            record = interview_record(session, police.participant_uuid)
        assert record is not None
        shown = next(ln for ln in record.lines if ln.uuid == line_uuid)
        assert shown.answer == "We audit twelve files a quarter"
        assert shown.question_asked == "Show us the supervision audit"
        assert {a.name for a in record.attendees} == {"Dr Helen Marsh", "Chief Superintendent"}
    finally:
        reopened.lock()


# -- returns, letters, heat map and the lock, on the demo workspace ------------------------------


def _drafted_letter(qtbot: QtBot, workspace: Workspace) -> tuple[Section11Page, Any, Any]:
    """The register, Children's Social Care's agency view (opened by Enter) and its letter tab, drafted."""
    page = _page(qtbot, workspace)
    select_agency(page, "Children's Social Care")
    qtbot.keyClick(page.agencies, Qt.Key.Key_Return)
    view = page.agency_view
    assert view is not None and view.letter is not None
    view.tabs.setCurrentWidget(view.letter)
    view.letter.draft_button.click()
    return page, view, view.letter


def _fill_return(source: Path, target: Path, scores: dict[int, str], target_date: str = "") -> None:
    """What the agency does in Excel: pick scores, type evidence and a date, save."""
    from openpyxl import load_workbook

    book = load_workbook(source)
    sheet = book.worksheets[0]
    header = next(r for r in sheet.iter_rows() if any(c.value == "Self-assessed score" for c in r))
    columns = {c.value: c.column for c in header}
    for row in range(header[0].row + 1, sheet.max_row + 1):
        ref = sheet.cell(row, columns["Ref"]).value
        if not ref:
            continue
        number = int(str(ref).lstrip("S").split(".")[0]) if str(ref).lstrip("S").split(".")[0].isdigit() else 0
        sheet.cell(row, columns["Self-assessed score"]).value = scores.get(number, scores[0])
        sheet.cell(row, columns["Evidence"]).value = f"Evidence for {ref}"
        if target_date and number == 1:
            sheet.cell(row, columns["Target date"]).value = target_date
    book.save(target)


def test_return_template_then_import_with_report_and_changes_before_replacing(
    qtbot: QtBot, demo_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.section11.cycles import cycle_view
    from app.section11.scales import get_scale
    from ui.kit import files
    from ui.section11.returns import ReturnImportDialog

    page = _page(qtbot, demo_workspace)
    select_agency(page, "St Aidan")
    school = page.selected_row()
    template = tmp_path / "school-template.xlsx"
    monkeypatch.setattr(files, "choose_save_file", lambda *_a: (str(template), ""))
    qtbot.keyClick(page.agencies, Qt.Key.Key_T, CTRL | SHIFT)
    assert template.read_bytes()[:2] == b"PK"
    with demo_workspace.reading() as session:
        scale = get_scale(cycle_view(session, page.cycle_uuid()).scale_key)
    mostly, fully = scale.label(2), scale.label(3)

    bad = tmp_path / "school-bad.xlsx"
    _fill_return(template, bad, {0: mostly}, target_date="31/13/2026")
    page.import_return(str(bad))
    dialog = page.dialog
    assert isinstance(dialog, ReturnImportDialog) and not dialog.import_button.isEnabled()
    report = [dialog.issues.item(i).text() for i in range(dialog.issues.count())]
    assert any("error" in line and "row" in line and "Target date" in line for line in report), report
    dialog.reject()
    with demo_workspace.reading() as session:
        assert assessment_rows(session, school.participant_uuid)[0].self_score is None  # nothing written

    good = tmp_path / "school-v1.xlsx"
    _fill_return(template, good, {0: mostly})
    page.import_return(str(good))
    dialog = page.dialog
    assert dialog.import_button.isEnabled() and dialog.import_button.isDefault()
    qtbot.keyClick(dialog.issues, Qt.Key.Key_Return)  # Enter presses Import
    assert not dialog.isVisible()
    assert page.selected_row().status_label == "Returned"
    with demo_workspace.reading() as session:
        assert {r.self_score for r in assessment_rows(session, school.participant_uuid)} == {2}

    newer = tmp_path / "school-v2.xlsx"
    _fill_return(template, newer, {0: mostly, 1: fully})
    page.import_return(str(newer))
    dialog = page.dialog
    changes = [dialog.changes.item(i).text() for i in range(dialog.changes.count())]
    assert len(changes) == 1 and "S1" in changes[0] and "2" in changes[0] and "3" in changes[0], changes
    with demo_workspace.reading() as session:  # shown, not yet written
        assert assessment_rows(session, school.participant_uuid)[0].self_score == 2
    dialog.import_button.click()
    with demo_workspace.reading() as session:
        assert assessment_rows(session, school.participant_uuid)[0].self_score == 3


def test_letter_issued_frozen_and_exported_and_heat_map_saved(
    qtbot: QtBot, demo_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtmodeltester: Any
) -> None:
    from ui.kit import files
    from ui.section11 import letter as letter_module

    monkeypatch.setattr(letter_module, "confirm", lambda *_a: True)
    page, view, letter = _drafted_letter(qtbot, demo_workspace)
    assert letter.letter is not None and letter.letter.editable
    closing = letter.boxes["closing"]
    closing.setFocus()
    closing.moveCursor(closing.textCursor().MoveOperation.End)
    qtbot.keyClicks(closing, " Signed in the room.")
    qtbot.keyClick(closing, Qt.Key.Key_P, CTRL)  # preview: saves the edit, renders the pages in memory
    from ui.section11.letter import PreviewDialog

    assert isinstance(letter.dialog, PreviewDialog)
    pages = [
        label
        for label in letter.dialog.findChildren(type(letter.state))
        if label.pixmap() is not None and not label.pixmap().isNull()
    ]
    assert len(pages) >= 1 and pages[0].accessibleName().startswith("Page 1 of")
    letter.dialog.close()
    qtbot.keyClick(closing, Qt.Key.Key_E, CTRL | SHIFT)  # issue: saves the edit first, then freezes
    assert letter.letter is not None and not letter.letter.editable
    assert letter.letter.sections["closing"].endswith("Signed in the room.")
    assert closing.isReadOnly() and "ISSUED" in letter.state.text()
    assert page.agency_view is view and "Letter issued" in view.state.text()
    out = tmp_path / "letter.pdf"
    monkeypatch.setattr(files, "choose_save_file", lambda *_a: (str(out), ""))
    letter.export("pdf")
    assert out.read_bytes()[:5] == b"%PDF-"

    qtbot.keyClick(view.moderation.table, Qt.Key.Key_Left, ALT)  # back to the register
    assert page.agency_view is None
    qtbot.keyClick(page.agencies, Qt.Key.Key_H, CTRL | SHIFT)
    heat = page.extra_views["heat_map"]
    model = heat.model
    assert model.rowCount() == len(page.register_model.rows) and model.columnCount() == 9
    texts = {model.data(model.index(r, c)) for r in range(model.rowCount()) for c in range(model.columnCount())}
    assert texts <= {"0", "1", "2", "3", "-"} and "-" in texts  # a number or a dash in every cell
    tip = model.data(model.index(0, 0), Qt.ItemDataRole.AccessibleTextRole)
    assert "S1" in tip and ("Green" in tip or "Amber" in tip or "Red" in tip or "not moderated" in tip)
    assert tip.startswith(f"{model.headerData(0, Qt.Orientation.Vertical)}, S1 ")  # agencies head the rows
    assert model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)  # the standard's title
    qtmodeltester.check(model)
    for fmt, magic in (("png", b"\x89PNG"), ("svg", b"<?xml")):
        target = tmp_path / f"heat.{fmt}"
        monkeypatch.setattr(files, "choose_save_file", lambda *_a, t=target: (str(t), ""))
        heat.save_chart(fmt)
        assert target.read_bytes().startswith(magic)
    report = tmp_path / "cycle.pdf"
    monkeypatch.setattr(files, "choose_save_file", lambda *_a: (str(report), ""))
    qtbot.keyClick(heat.table, Qt.Key.Key_F, CTRL | SHIFT)
    assert report.read_bytes()[:5] == b"%PDF-"


def test_interview_mode_comes_back_after_a_lock_with_the_typing(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace
) -> None:
    from app.demo import DEMO_PASSPHRASE

    page = unlocked_on(window, demo_workspace, "section11")
    assert isinstance(page, Section11Page)
    select_agency(page, "Health Visiting")  # the booked interview
    interview = page.interview_selected() or page.interview
    assert isinstance(interview, InterviewWindow)
    qtbot.waitExposed(interview)
    interview.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is interview)
    qtbot.keyClick(interview.question, Qt.Key.Key_PageDown)  # one line of enquiry, then the notes page
    assert interview.position == interview.line_count == 1 and interview.notes.hasFocus()
    qtbot.keyClicks(interview.notes, "Supervision is monthly")  # Ctrl+L at once: the lock keeps what is pending
    qtbot.keyClick(interview.notes, Qt.Key.Key_L, CTRL)
    assert window.workspace is None and page.interview is None
    window._on_unlocked(Workspace.open(demo_workspace.path, DEMO_PASSPHRASE))
    page = window.pages["section11"]
    back = page.interview
    assert isinstance(back, InterviewWindow) and back.position == 1
    assert back.notes.toPlainText().endswith("Supervision is monthly")
    assert back.focusWidget() is back.notes
    back.close()
    assert page.interview is None


def _clashes(root: QWidget) -> list[str]:
    """Two actions on one key where both are live (one widget inside the other): Qt would fire neither."""

    def keys(widget: QWidget) -> dict[str, str]:
        return {k.toString(): a.text() for a in widget.actions() for k in a.shortcuts()}

    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        mine = keys(widget)
        parent = widget.parentWidget()
        while parent is not None and mine:
            for key, text in keys(parent).items():
                if key in mine and mine[key] != text:
                    found.append(f"{key}: {mine[key]!r} and {text!r}")
            parent = parent.parentWidget()
    return found


def test_every_section11_control_has_an_accessible_name(qtbot: QtBot, demo_workspace: Workspace) -> None:
    page = _page(qtbot, demo_workspace)
    assert unnamed_controls(page) == []
    select_agency(page, "Children's Social Care")
    view = page.open_agency(page.participant_uuid() or "")
    assert unnamed_controls(view) == [] and _clashes(page) == []
    window = page.open_interview(view.participant_uuid)
    assert window is not None and unnamed_controls(window) == [] and _clashes(window) == []
    QApplication.processEvents()  # the keeper letters a window once it is shown
    assert clashes(window) == [] and moved_letters(window) == []
    window.agree_action()
    assert unnamed_controls(window.dialog) == []
    window.dialog.reject()
    window.close()
    page.book_selected()
    assert unnamed_controls(page.dialog) == []
    page.dialog.reject()
    page.show_register()
    page.new_cycle()
    assert unnamed_controls(page.dialog) == []
    page.dialog.reject()
    heat = page.show_heat_map()
    assert heat is not None and unnamed_controls(heat) == [] and _clashes(page) == []
    frameworks = page.show_frameworks()
    assert frameworks is not None and unnamed_controls(frameworks) == [] and _clashes(page) == []


def test_frameworks_edited_by_keyboard_copied_forward_and_exported(
    qtbot: QtBot, s11_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.section11.frameworks import list_frameworks
    from ui.kit import files

    page = _page(qtbot, s11_workspace)
    page.agencies.setFocus()
    qtbot.keyClick(page.agencies, Qt.Key.Key_W, CTRL | SHIFT)
    view = page.extra_views["frameworks"]
    assert {f.kind for f in view.frameworks} >= {"classic", "schools"}  # the shipped ones, installed on first use
    view.list.setCurrentRow(next(n for n, f in enumerate(view.frameworks) if f.kind == "classic"))
    count = view.model.rowCount()
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Insert)
    assert view.title.hasFocus() and view.number.value() == count + 1
    qtbot.keyClicks(view.title, "Allegations against staff are handled safely")
    qtbot.keyClick(view.title, Qt.Key.Key_S, CTRL)
    assert view.model.rowCount() == count + 1
    assert view.model.row_at(count).title == "Allegations against staff are handled safely"
    view.table.setFocus()
    view.table.selectRow(count)
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    assert view.model.row_at(count).retired and view.model.cell_text(count, 2) == "Retired"
    view.copy_forward()
    qtbot.keyClicks(view.dialog.version, "2027-28")
    qtbot.keyClick(view.dialog.version, Qt.Key.Key_Return)
    with s11_workspace.reading() as session:
        copies = [f for f in list_frameworks(session) if f.version_label == "2027-28"]
    assert len(copies) == 1 and len(copies[0].standards) == count  # the retired one stays behind
    out = tmp_path / "framework.xlsx"
    monkeypatch.setattr(files, "choose_save_file", lambda *_a: (str(out), ""))
    view.export()
    assert out.read_bytes()[:2] == b"PK"
    view.import_file(str(out))  # the same name and version again: refused with the report, nothing added
    assert "already a framework" in view.dialog.text()
    with s11_workspace.reading() as session:
        assert len([f for f in list_frameworks(session) if f.version_label == "2027-28"]) == 1
    assert unnamed_controls(view) == []


def test_evidence_file_attached_in_moderation_and_copied_out(
    qtbot: QtBot, demo_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.kit import files

    page = _page(qtbot, demo_workspace)
    select_agency(page, "Police")
    qtbot.keyClick(page.agencies, Qt.Key.Key_Return)
    moderation = page.agency_view.moderation
    sent = tmp_path / "training-audit.pdf"
    sent.write_bytes(b"%PDF-1.4 training audit of 40 officers")
    monkeypatch.setattr(files, "choose_open_file", lambda *_a: (str(sent), ""))
    moderation.attach_button.click()
    assert moderation.files.item(0).text().startswith("training-audit.pdf")
    copy = tmp_path / "copy.pdf"
    monkeypatch.setattr(files, "choose_save_file", lambda *_a: (str(copy), ""))
    moderation.files.setCurrentRow(0)
    moderation.copy_button.click()
    assert copy.read_bytes() == sent.read_bytes()
    moderation.table.selectRow(1)  # another standard: its own (empty) list
    assert moderation.files.item(0).text() == "No files attached" and not moderation.copy_button.isEnabled()


def test_unsaved_moderation_is_kept_across_a_lock(qtbot: QtBot, window: MainWindow, demo_workspace: Workspace) -> None:
    from app.demo import DEMO_PASSPHRASE

    page = unlocked_on(window, demo_workspace, "section11")
    select_agency(page, "Housing")  # returned, not moderated yet
    view = page.open_agency(page.participant_uuid() or "")
    moderation = view.moderation
    moderation.table.selectRow(3)
    moderation.moderated.setFocus()
    qtbot.keyClick(moderation.moderated, Qt.Key.Key_Home)  # "Not moderated" ...
    qtbot.keyClick(moderation.moderated, Qt.Key.Key_Down)  # ... then the bottom of the scale
    moderation.rationale.setFocus()
    qtbot.keyClicks(moderation.rationale, "No board-level lead named")
    window.lock()
    window._on_unlocked(Workspace.open(demo_workspace.path, DEMO_PASSPHRASE))
    back = window.pages["section11"].agency_view
    assert back is not None and back.moderation.heading.text().startswith("Standard 4")
    assert back.moderation.moderated.currentData() == 0
    assert back.moderation.rationale.toPlainText() == "No board-level lead named"
    assert back.moderation.guard.dirty()  # still unsaved: the Chair decides


def test_the_chair_sets_the_letterhead_and_signatory_that_drafts_carry(qtbot: QtBot, demo_workspace: Workspace) -> None:
    from app.section11.letters import letter_pdf, letter_settings
    from tests.helpers.meetings_pdf import page_texts
    from ui.section11.dialogs import LetterheadDialog

    page, view, letter = _drafted_letter(qtbot, demo_workspace)
    letter.letterhead_button.setFocus()
    qtbot.keyClick(letter.letterhead_button, Qt.Key.Key_Space)
    dialog = letter.dialog
    assert isinstance(dialog, LetterheadDialog) and dialog.isVisible()
    assert dialog.signatory.text() == "Dr Helen Marsh"  # what is stored, ready to edit
    dialog.signatory.clear()
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert dialog.isVisible() and "signatory" in dialog.error.text()  # refused in the dialog, nothing lost
    qtbot.keyClicks(dialog.signatory, "Prof Ada Okoye")
    dialog.letterhead.setPlainText("Northbridge Partnership\nTown Hall, Northbridge NB1 1AA")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert not dialog.isVisible()

    with demo_workspace.reading() as session:
        assert letter_settings(session).signatory_name == "Prof Ada Okoye"
        assert letter.letter is not None
        text = "".join(page_texts(letter_pdf(session, letter.letter.uuid)))
    assert "Prof Ada Okoye" in text and "Town Hall, Northbridge NB1 1AA" in text


def test_moderation_table_says_where_a_merge_left_a_score_to_settle(qtbot: QtBot, tmp_path: Path) -> None:
    """The audit's probe merged into a moderated 3 against a self-score of 1 with no rationale: the moderation
    table says so beside the score (as the tracker does for actions), not only the conflicts view."""
    from app.exchange import service
    from app.section11 import moderation
    from tests.helpers.members import swap
    from tests.helpers.section11 import shared_cycle
    from ui.section11.interview import rationale_line
    from ui.section11.models import AssessmentModel

    with shared_cycle(tmp_path) as (chair, officer, police, standards):
        with chair.unit_of_work() as uow:
            moderation.moderate(uow, police, standards[0], 3, moderated_by="QA panel")
        with officer.unit_of_work() as uow:
            moderation.record_self_assessment(uow, police, standards[0], score=1)
        swap(chair, officer, tmp_path, "probe")
        model = AssessmentModel()
        with chair.reading() as session:
            model.set_rows(assessment_rows(session, police))
        column = AssessmentModel.RATIONALE
        assert model.cell_text(0, column) == "Needed (merge conflict to settle)"
        tooltip = model.data(model.index(0, column), Qt.ItemDataRole.ToolTipRole)
        assert "no rationale" in tooltip and "Exchange, Conflicts" in tooltip
        assert "merge conflict" not in model.cell_text(1, column)
        with chair.reading() as session:  # and interview mode, where the Chair reads the rationale in the room
            rows = assessment_rows(session, police)
        assert rationale_line(rows[0]).endswith("(merge conflict to settle in Exchange, Conflicts)")
        assert rationale_line(rows[1]) == "Panel's rationale: none needed (scores agree)"
        with chair.reading() as session:
            (conflict,) = service.list_conflicts(chair, session)
        with chair.unit_of_work() as uow:
            service.resolve_conflict(uow, conflict.id, restore=False)
        with chair.reading() as session:
            model.set_rows(assessment_rows(session, police))
        assert model.cell_text(0, column) == "Needed"


@pytest.mark.parametrize("answer", ["Save", "Discard", "Cancel"])
def test_moving_to_another_standard_asks_about_the_moderation_typed(
    qtbot: QtBot, demo_workspace: Workspace, type_then_go_down: Any, answer: str
) -> None:
    page = _page(qtbot, demo_workspace)
    select_agency(page, "Police")
    qtbot.keyClick(page.agencies, Qt.Key.Key_Return)
    moderation = page.agency_view.moderation
    moderation.table.selectRow(0)
    first, second = (moderation.model.row_at(n).standard_uuid for n in (0, 1))
    heading = moderation.heading.text()
    asked = type_then_go_down(moderation.table, moderation.rationale, answer)
    assert asked == [f"Save changes to the moderation of {heading}?"]
    with demo_workspace.reading() as session:
        rationales = {r.standard_uuid: r.rationale for r in assessment_rows(session, moderation.participant_uuid)}
    assert (rationales[first] == "Typed here") == (answer == "Save")
    assert rationales[second] != "Typed here"  # never on the standard moved to
    shown = moderation.current_row().standard_uuid
    # Cancel: back on the first standard, the typing kept and unsaved; else on the second, as stored
    assert (shown, moderation.shown_standard, moderation.guard.dirty()) == (
        (first, first, True) if answer == "Cancel" else (second, second, False)
    )
    assert moderation.rationale.toPlainText() == ("Typed here" if answer == "Cancel" else rationales[second])


@pytest.mark.parametrize("answer", ["Save", "Discard", "Cancel"])
def test_moving_to_another_standard_of_a_framework_asks_about_the_edits(
    qtbot: QtBot, s11_workspace: Workspace, type_then_go_down: Any, answer: str
) -> None:
    from app.section11.frameworks import list_frameworks

    page = _page(qtbot, s11_workspace)
    view = page.show_frameworks()
    view.table.selectRow(0)
    first, second = view.model.row_at(0).uuid, view.model.row_at(1).uuid
    assert type_then_go_down(view.table, view.title, answer) == ["Save changes to this standard?"]
    with s11_workspace.reading() as session:
        titles = {s.uuid: s.title for f in list_frameworks(session, include_retired=True) for s in f.standards}
    assert (titles[first] == "Typed here") == (answer == "Save")
    assert titles[second] != "Typed here"  # never on the standard moved to
    shown = view.model.row_at(view.table.currentIndex().row()).uuid
    # Cancel: back on the first standard, the typing kept and unsaved; else on the second, as stored
    assert (shown, view.shown, view.guard.dirty()) == (
        (first, first, True) if answer == "Cancel" else (second, second, False)
    )
    assert view.title.text() == ("Typed here" if answer == "Cancel" else titles[second])


@pytest.mark.parametrize("answer", ["Save", "Discard", "Cancel"])
def test_choosing_another_framework_asks_about_the_standard_typed(
    qtbot: QtBot, s11_workspace: Workspace, monkeypatch: pytest.MonkeyPatch, answer: str
) -> None:
    """The list of frameworks used to drop the typing without a word: the next framework's first standard filled the form."""
    from app.section11.frameworks import list_frameworks

    page = _page(qtbot, s11_workspace)
    view = page.show_frameworks()
    view.list.setCurrentRow(0)
    view.table.selectRow(1)
    framework, standard = view.framework_uuid(), view.shown
    view.title.setFocus()
    qtbot.keyClicks(view.title, " Typed here")
    asked = answer_save_question(monkeypatch, getattr(Answer, answer))
    view.list.setFocus()
    qtbot.keyClick(view.list, Qt.Key.Key_Down)  # the next framework, by keyboard
    assert asked == ["Save changes to this standard?"]
    with s11_workspace.reading() as session:
        titles = {s.uuid: s.title for f in list_frameworks(session, include_retired=True) for s in f.standards}
    assert titles[standard].endswith(" Typed here") == (answer == "Save")
    if answer == "Cancel":  # still on the framework and the standard typed on, the typing kept
        assert (view.framework_uuid(), view.shown, view.guard.dirty()) == (framework, standard, True)
        assert view.title.text().endswith(" Typed here")
        qtbot.waitUntil(lambda: view.list.currentItem().isSelected())  # the row shown chosen again, not only current
    else:  # on the framework chosen, its first standard shown as stored
        assert view.framework_uuid() != framework and view.list.currentRow() == 1
        assert view.shown == view.model.row_at(0).uuid and not view.guard.dirty()
        assert view.title.text() == titles[view.shown]


def test_a_lock_during_the_framework_question_keeps_the_draft_in_the_framework_typed_in(
    qtbot: QtBot, s11_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The list shows the next framework while it asks: a draft kept by a lock then named that framework, and
    a new standard came back there at unlock."""
    page = _page(qtbot, s11_workspace)
    view = page.show_frameworks()
    view.list.setCurrentRow(0)
    view.table.selectRow(1)
    framework = view.framework_uuid()
    draft = draft_kept_while_asked(qtbot, monkeypatch, view.guard, view.title, view.list)
    assert draft.scope == {"framework": framework}


def test_frameworks_again_with_a_standard_typed_keeps_it_on_cancel(
    qtbot: QtBot, s11_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl+Shift+W over the frameworks view asked, but on Cancel put a fresh view over the one with the typing."""
    page = _page(qtbot, s11_workspace)
    view = page.show_frameworks()
    view.title.setFocus()
    qtbot.keyClicks(view.title, " Typed here")
    asked = answer_save_question(monkeypatch, Answer.Cancel)
    qtbot.keyClick(view.title, Qt.Key.Key_W, CTRL | SHIFT)
    assert asked == ["Save changes to this standard?"]
    assert page.extra_views["frameworks"] is view and page.stack.currentWidget() is view
    assert view.title.text().endswith(" Typed here") and view.guard.dirty()


@pytest.mark.parametrize("answer", ["Save", "Discard", "Cancel"])
def test_opening_the_agency_again_asks_about_the_moderation_typed(
    qtbot: QtBot, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch, answer: str
) -> None:
    """Ctrl+Shift+O in an agency's view opened the register's selection again, the typing dropped without a word."""
    page = _page(qtbot, demo_workspace)
    select_agency(page, "Police")
    view = page.open_agency(page.participant_uuid() or "")
    moderation = view.moderation
    standard = moderation.shown_standard
    moderation.rationale.setFocus()
    qtbot.keyClicks(moderation.rationale, " Typed here")
    asked = answer_save_question(monkeypatch, getattr(Answer, answer))
    qtbot.keyClick(moderation.rationale, Qt.Key.Key_O, CTRL | SHIFT)  # the same agency: nothing to ask
    assert asked == [] and page.agency_view is view and moderation.guard.dirty()
    select_agency(page, "Housing")  # another agency chosen in the register behind the view
    qtbot.keyClick(moderation.rationale, Qt.Key.Key_O, CTRL | SHIFT)
    assert asked == [f"Save changes to the moderation of {moderation.heading.text()}?"]
    with demo_workspace.reading() as session:
        rationales = {r.standard_uuid: r.rationale for r in assessment_rows(session, view.participant_uuid)}
    assert ("Typed here" in rationales[standard]) == (answer == "Save")
    if answer == "Cancel":  # still on the agency, the typing kept
        assert page.agency_view is view and page.stack.currentWidget() is view
        assert " Typed here" in moderation.rationale.toPlainText() and moderation.guard.dirty()
    else:
        assert page.agency_view is not view and page.agency_view.participant_uuid == page.participant_uuid()


@pytest.mark.parametrize(("key", "shown"), [(Qt.Key.Key_H, "heat_map"), (Qt.Key.Key_W, "frameworks")])
def test_opening_an_agency_over_the_heat_map_or_frameworks_replaces_that_view(
    qtbot: QtBot, demo_workspace: Workspace, key: Qt.Key, shown: str
) -> None:
    """Ctrl+Shift+O over the heat map or the frameworks view put the agency on top and left that view
    underneath, still open and still handling every change, for Alt+Left to find later."""
    page = _page(qtbot, demo_workspace)
    select_agency(page, "Police")
    qtbot.keyClick(page.agencies, key, CTRL | SHIFT)
    view = page.extra_views[shown]
    assert page.stack.currentWidget() is view and view.table.hasFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_O, CTRL | SHIFT)
    agency = page.agency_view
    assert agency is not None and page.stack.currentWidget() is agency
    assert agency.participant_uuid == page.participant_uuid() and agency.moderation.table.hasFocus()
    assert page.extra_views == {} and page.stack.indexOf(view) == -1 and page.stack.count() == 2
    qtbot.keyClick(agency.moderation.table, Qt.Key.Key_Left, ALT)  # back: the register, nothing left over
    assert page.stack.currentIndex() == 0 and page.stack.count() == 1 and page.agency_view is None
    assert page.agencies.hasFocus()


@pytest.mark.parametrize("answer", ["Discard", "Cancel"])
def test_opening_an_agency_over_a_standard_typed_asks_about_it(
    qtbot: QtBot, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch, answer: str
) -> None:
    """The agency opened over the typing without a word (the frameworks view asked only when Alt+Left came)."""
    page = _page(qtbot, demo_workspace)
    select_agency(page, "Police")
    qtbot.keyClick(page.agencies, Qt.Key.Key_W, CTRL | SHIFT)
    view = page.extra_views["frameworks"]
    view.title.setFocus()
    qtbot.keyClicks(view.title, " Typed here")
    asked = answer_save_question(monkeypatch, getattr(Answer, answer))
    qtbot.keyClick(view.title, Qt.Key.Key_O, CTRL | SHIFT)
    assert asked == ["Save changes to this standard?"]
    if answer == "Cancel":  # the frameworks view stays, with the typing, and no agency opened behind it
        assert page.stack.currentWidget() is view and page.extra_views == {"frameworks": view}
        assert page.agency_view is None and page.stack.count() == 2
        assert view.title.text().endswith(" Typed here") and view.guard.dirty()
    else:
        assert page.stack.currentWidget() is page.agency_view and page.extra_views == {}
        assert page.stack.count() == 2


def test_a_standard_being_edited_comes_back_after_a_lock(
    qtbot: QtBot, s11_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = _page(qtbot, s11_workspace)
    view = page.show_frameworks()
    view.table.selectRow(1)
    standard = view.shown
    view.number.setValue(42)
    view.good.setPlainText("Typed before the lock")
    draft = view.guard.draft()
    assert draft is not None and draft.key == "section11.standard" and draft.record == standard
    answer_save_question(monkeypatch, Answer.Discard)
    view.table.selectRow(0)  # as if the view came back elsewhere, the typing gone
    page.show_register()
    assert page.restore_draft(draft)
    view = page.extra_views["frameworks"]
    assert view.shown == standard and view.guard.dirty()
    assert (view.number.value(), view.good.toPlainText()) == (42, "Typed before the lock")


def _unmoderate_one_standard(workspace: Workspace, agency: str) -> int:
    """The panel takes back one moderated score of the agency (None clears it): how many then wait."""
    from app.section11.cycles import find_participant
    from app.section11.moderation import moderate

    with workspace.unit_of_work() as uow:
        participant = find_participant(uow.session, list_cycles(uow.session)[0].uuid, agency)
        first = assessment_rows(uow.session, participant.uuid)[0]
        moderate(uow, participant.uuid, first.standard_uuid, None)
        return sum(1 for r in assessment_rows(uow.session, participant.uuid) if r.moderated_score is None)


def test_issuing_before_moderation_says_what_the_letter_will_say_and_cancel_issues_nothing(
    qtbot: QtBot, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cycle is return, moderation, interview, letter; a frozen letter cannot be mended, so the Chair is
    told before issuing that the panel has not moderated every standard (the confirmation said nothing)."""
    from ui.section11 import letter as letter_module

    waiting = _unmoderate_one_standard(demo_workspace, "CSC")
    asked: list[tuple[str, str]] = []
    monkeypatch.setattr(letter_module, "confirm", lambda _parent, _title, text, action: asked.append((text, action)))
    _page, _view, letter = _drafted_letter(qtbot, demo_workspace)
    qtbot.keyClick(letter.boxes["closing"], Qt.Key.Key_E, CTRL | SHIFT)
    [(text, action)] = asked
    assert f"Not done yet: the panel has not moderated {waiting} standard of" in text
    assert "\u201cNot moderated\u201d" in text and action == "Issue anyway"
    assert letter.letter is not None and letter.letter.editable  # cancelled: still a draft


def test_a_letter_of_an_agency_not_interviewed_is_refused_before_any_question(
    qtbot: QtBot, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Confirming, then being told the interview was never held, asked a question whose answer did not count."""
    from tests.helpers.shell import visible_error
    from ui.section11 import letter as letter_module

    asked: list[str] = []
    monkeypatch.setattr(letter_module, "confirm", lambda *_a: asked.append("asked"))
    page = _page(qtbot, demo_workspace)
    select_agency(page, "Housing")
    qtbot.keyClick(page.agencies, Qt.Key.Key_Return)
    view = page.agency_view
    assert view is not None and view.letter is not None
    view.tabs.setCurrentWidget(view.letter)
    view.letter.draft_button.click()
    qtbot.keyClick(view.letter.boxes["closing"], Qt.Key.Key_E, CTRL | SHIFT)
    box = visible_error(view.letter)
    assert box is not None and box.windowTitle() == "Issue the letter" and not asked
    assert box.text() == (
        "Northbridge Housing has not been interviewed yet (status: Returned): "
        "record the interview as held before issuing its letter."
    )
    box.accept()
    assert view.letter.letter is not None and view.letter.letter.editable


def test_the_heat_maps_year_on_year_says_which_rating_each_cell_shows(qtbot: QtBot, demo_workspace: Workspace) -> None:
    """In a trial the year-on-year tab showed bare scores beside a heat map whose tooltips gave the
    self-assessed score too, and nothing said which rating a number was: a cell showing the panel's moderated
    score now says "(moderated)" in its text, its tooltip says so and that self-assessed scores are not
    compared, and the tab states its basis in words above the table."""
    from app.section11.charts import NOT_MODERATED, YEAR_ON_YEAR_BASIS

    page = _page(qtbot, demo_workspace)
    qtbot.keyClick(page.agencies, Qt.Key.Key_H, CTRL | SHIFT)
    heat = page.extra_views["heat_map"]
    years = heat.year_model
    compared = next(i for i, r in enumerate(years.rows) if r.now is not None and r.last is not None)
    waiting = next(i for i, r in enumerate(years.rows) if r.change == NOT_MODERATED)
    row = years.rows[compared]
    assert years.data(years.index(compared, 2)) == f"{row.last} (moderated)"
    assert years.data(years.index(compared, 3)) == f"{row.now} (moderated)"
    assert years.data(years.index(waiting, 3)) == "-"  # nothing moderated: no score, self-assessed or other
    tip = years.data(years.index(compared, 3), Qt.ItemDataRole.ToolTipRole)
    assert f"moderated {row.now} this cycle" in tip and "self-assessed scores are not compared" in tip
    assert years.data(years.index(compared, 3), Qt.ItemDataRole.AccessibleTextRole) == tip
    assert "not moderated yet" in years.data(years.index(waiting, 3), Qt.ItemDataRole.ToolTipRole)
    for column in (2, 3):
        assert "moderated" in years.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert heat.years_key.text() == YEAR_ON_YEAR_BASIS and heat.years_key.accessibleName()
    # the heat map's own cells: the tooltip names the rating shown, and the self-assessed one as not shown
    grid = heat.model
    cell = next(
        (r, c)
        for r in range(grid.rowCount())
        for c in range(grid.columnCount())
        if grid.rows[r].cells[c].score is not None and grid.rows[r].cells[c].self_score is not None
    )
    tip = grid.data(grid.index(*cell), Qt.ItemDataRole.ToolTipRole)
    assert "shown: the panel's moderated score" in tip and "self-assessed" in tip and "not shown" in tip
    assert "moderated score" in heat.key.text()

"""Nothing typed in a dialog is lost by locking: the same dialog opens again for the same record.

The agency, milestones, progress-update and due-date dialogs were destroyed with their page on lock,
and what was typed in them went with them. Each test types into the real main window's dialog,
presses Ctrl+L in a field, unlocks with the passphrase, and expects the same dialog for the same
record with the text back and the focus in the same field, and nothing of it written until saved.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.actions.queries import list_actions, progress_history
from app.agencies import add_agency, list_agencies
from app.chronology.service import list_entries
from app.reviews.register import get_review
from app.section11.interview import book_interview, interview_record
from app.section11.letters import letter_settings
from app.store.workspace import Workspace
from tests.helpers.areas import return_csv
from tests.helpers.drafts import lock_in, open_largest_review_in, section11_with, unlock_back_to
from tests.helpers.shell import unlocked_on
from ui.actions.quick_dialogs import BulkDueDialog, ProgressEntryDialog
from ui.dialogs.agency import AgencyDialog
from ui.main_window import MainWindow
from ui.operations import wait_for_idle
from ui.reviews.import_dialog import ImportDialog
from ui.section11.dialogs import (
    AddAgenciesDialog,
    AgreeActionDialog,
    BookInterviewDialog,
    LetterheadDialog,
    LineDialog,
    NewCycleDialog,
    ParticipantDialog,
)
from ui.section11.frameworks import CopyDialog

pytestmark = pytest.mark.gui


def _type_in(qtbot: QtBot, field: QWidget, text: str) -> None:
    field.setFocus()
    qtbot.keyClicks(field, text)


def _overview(window: MainWindow, workspace: Workspace) -> Any:
    return unlocked_on(window, workspace, "overview")


def test_an_agency_being_edited_comes_back_on_the_same_agency(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace
) -> None:
    page = _overview(window, demo_workspace)
    page.agency_list.setCurrentRow(0)
    page.edit_agency()
    dialog = page.dialog
    uuid, before = dialog.agency_uuid, dialog.sector.text()
    assert uuid is not None
    _type_in(qtbot, dialog.sector, " (North)")
    lock_in(qtbot, window, dialog.sector)

    dialog = unlock_back_to(qtbot, window, "overview").dialog
    assert isinstance(dialog, AgencyDialog) and dialog.isVisible()
    assert dialog.agency_uuid == uuid and dialog.sector.text() == before + " (North)"
    assert dialog.focusWidget() is dialog.sector
    with window.workspace.reading() as session:
        assert next(a for a in list_agencies(session) if a.uuid == uuid).sector == before


def test_a_new_agency_typed_comes_back(qtbot: QtBot, window: MainWindow, demo_workspace: Workspace) -> None:
    page = _overview(window, demo_workspace)
    page.add_agency()
    dialog = page.dialog
    _type_in(qtbot, dialog.name, "Riverside Housing Trust")
    _type_in(qtbot, dialog.short_name, "RHT")
    lock_in(qtbot, window, dialog.short_name)

    dialog = unlock_back_to(qtbot, window, "overview").dialog
    assert isinstance(dialog, AgencyDialog) and dialog.isVisible() and dialog.agency_uuid is None
    assert dialog.name.text() == "Riverside Housing Trust" and dialog.short_name.text() == "RHT"
    assert dialog.focusWidget() is dialog.short_name
    with window.workspace.reading() as session:
        assert not any(a.name == "Riverside Housing Trust" for a in list_agencies(session))


def test_a_cancelled_dialog_keeps_no_draft(qtbot: QtBot, window: MainWindow, demo_workspace: Workspace) -> None:
    """Cancel leaves what was typed on purpose: the dialog object lives on for reuse, its text must not come back."""
    page = _overview(window, demo_workspace)
    page.add_agency()
    _type_in(qtbot, page.dialog.name, "Left on purpose")
    page.dialog.reject()
    window.show_area("actions")
    actions = window.pages["actions"]
    actions.new_action.trigger()
    _type_in(qtbot, actions.dialog.title, "Not wanted after all")
    actions.dialog.reject()
    window.lock()
    assert "Unsaved edits" not in window.lock_screen.detail.text()


def test_a_milestone_being_typed_comes_back_in_the_same_review(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace
) -> None:
    review = open_largest_review_in(qtbot, window, demo_workspace)
    uuid = review.review_uuid
    with demo_workspace.reading() as session:
        milestones_before = list(get_review(session, uuid).milestones)
    review.open_milestones()
    dialog = review.milestones_dialog
    _type_in(qtbot, dialog.name, "Family meeting")
    _type_in(qtbot, dialog.due, "31/03/2027")
    lock_in(qtbot, window, dialog.due)

    review = unlock_back_to(qtbot, window, "reviews").review
    assert review is not None and review.review_uuid == uuid
    dialog = review.milestones_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.name.text() == "Family meeting" and dialog.due.text() == "31/03/2027"
    assert dialog.focusWidget() is dialog.due
    with window.workspace.reading() as session:
        assert list(get_review(session, uuid).milestones) == milestones_before


def test_a_milestone_being_redated_comes_back_on_the_same_milestone(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace
) -> None:
    review = open_largest_review_in(qtbot, window, demo_workspace)
    review.open_milestones()
    dialog = review.milestones_dialog
    dialog.table.selectRow(dialog.table.rowCount() - 1)
    chosen = dialog._selected_row()
    assert chosen is not None and dialog.name.text() == chosen[0]
    dialog.done_on.clear()
    _type_in(qtbot, dialog.done_on, "01/02/2026")
    lock_in(qtbot, window, dialog.done_on)

    dialog = unlock_back_to(qtbot, window, "reviews").review.milestones_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog._selected_row() == chosen and dialog.done_on.text() == "01/02/2026"
    assert dialog.focusWidget() is dialog.done_on


def _actions(qtbot: QtBot, window: MainWindow, workspace: Workspace) -> Any:
    page = unlocked_on(window, workspace, "actions")
    wait_for_idle()
    qtbot.waitUntil(lambda: page.view_model.rowCount() > 0)
    return page


def test_a_progress_update_being_typed_comes_back_on_the_same_action(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace
) -> None:
    page = _actions(qtbot, window, demo_workspace)
    page.select_view_row(0)
    uuid = page.selected_rows()[0].uuid
    with demo_workspace.reading() as session:
        updates = len(progress_history(session, uuid))
    page.progress_for_selected()
    dialog = page.dialog
    _type_in(qtbot, dialog.text, "Audit booked for March")
    lock_in(qtbot, window, dialog.text)

    dialog = unlock_back_to(qtbot, window, "actions").dialog
    assert isinstance(dialog, ProgressEntryDialog) and dialog.isVisible()
    assert dialog.action_uuid == uuid and dialog.text.text() == "Audit booked for March"
    assert dialog.focusWidget() is dialog.text
    with window.workspace.reading() as session:
        assert len(progress_history(session, uuid)) == updates


def test_a_due_date_move_being_typed_comes_back_for_the_same_actions(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace
) -> None:
    page = _actions(qtbot, window, demo_workspace)
    page.select_view_row(0)
    uuids = tuple(r.uuid for r in page.selected_rows())
    page.change_due_dates()
    dialog = page.dialog
    dialog.due.clear()
    _type_in(qtbot, dialog.due, "30/06/2027")
    _type_in(qtbot, dialog.reason, "Panel moved to July")
    lock_in(qtbot, window, dialog.reason)

    dialog = unlock_back_to(qtbot, window, "actions").dialog
    assert isinstance(dialog, BulkDueDialog) and dialog.isVisible()
    assert dialog.action_uuids == uuids
    assert dialog.due.text() == "30/06/2027" and dialog.reason.text() == "Panel moved to July"
    assert dialog.focusWidget() is dialog.reason


def test_an_interview_being_booked_comes_back_for_the_same_agency(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace
) -> None:
    page = section11_with(window, demo_workspace, "Housing")
    participant, cycle = page.participant_uuid(), page.cycle_uuid()
    page.book_selected()
    dialog = page.dialog
    assert isinstance(dialog, BookInterviewDialog)
    dialog.place.clear()
    _type_in(qtbot, dialog.place, "Civic Centre, Room 2")
    lock_in(qtbot, window, dialog.place)

    page = unlock_back_to(qtbot, window, "section11")
    dialog = page.dialog
    assert isinstance(dialog, BookInterviewDialog) and dialog.isVisible() and "Housing" in dialog.windowTitle()
    assert page.participant_uuid() == participant and page.cycle_uuid() == cycle
    assert dialog.place.text() == "Civic Centre, Room 2" and dialog.focusWidget() is dialog.place
    with window.workspace.reading() as session:
        record = interview_record(session, participant or "")
        assert record is None or record.place != "Civic Centre, Room 2"


def test_an_agency_status_and_sector_being_corrected_comes_back(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace
) -> None:
    page = section11_with(window, demo_workspace, "Police")
    participant = page.participant_uuid()
    page.edit_participant()
    dialog = page.dialog
    assert isinstance(dialog, ParticipantDialog)
    _type_in(qtbot, dialog.sector, " and custody")
    typed = dialog.sector.text()
    lock_in(qtbot, window, dialog.sector)

    page = unlock_back_to(qtbot, window, "section11")
    dialog = page.dialog
    assert isinstance(dialog, ParticipantDialog) and dialog.isVisible() and "Police" in dialog.windowTitle()
    assert page.participant_uuid() == participant
    assert dialog.sector.text() == typed and dialog.focusWidget() is dialog.sector


def test_a_new_cycle_being_typed_comes_back(qtbot: QtBot, window: MainWindow, demo_workspace: Workspace) -> None:
    page = section11_with(window, demo_workspace, "Police")
    cycles = len(page.cycle_model.rows)
    page.new_cycle()
    dialog = page.dialog
    assert isinstance(dialog, NewCycleDialog)
    dialog.name.clear()
    _type_in(qtbot, dialog.name, "Section 11 audit, schools only")
    dialog.agencies.item(0).setCheckState(Qt.CheckState.Unchecked)
    unticked = dialog.agencies.item(0).text()
    lock_in(qtbot, window, dialog.name)

    page = unlock_back_to(qtbot, window, "section11")
    dialog = page.dialog
    assert isinstance(dialog, NewCycleDialog) and dialog.isVisible()
    assert dialog.name.text() == "Section 11 audit, schools only" and dialog.focusWidget() is dialog.name
    assert dialog.agencies.item(0).text() == unticked
    assert dialog.agencies.item(0).checkState() == Qt.CheckState.Unchecked
    assert len(page.cycle_model.rows) == cycles  # nothing made until OK


def test_agencies_being_ticked_to_join_a_cycle_come_back(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace
) -> None:
    with demo_workspace.unit_of_work() as uow:
        add_agency(uow, "Riverside Housing Trust", "RHT", "Housing")
    page = section11_with(window, demo_workspace, "Police")
    page.add_agencies()
    dialog = page.dialog
    assert isinstance(dialog, AddAgenciesDialog)
    row = next(n for n in range(dialog.agencies.count()) if dialog.agencies.item(n).text() == "Riverside Housing Trust")
    dialog.agencies.setFocus()
    dialog.agencies.setCurrentRow(row)
    qtbot.keyClick(dialog.agencies, Qt.Key.Key_Space)
    assert dialog.agencies.item(row).checkState() == Qt.CheckState.Checked
    lock_in(qtbot, window, dialog.agencies)

    dialog = unlock_back_to(qtbot, window, "section11").dialog
    assert isinstance(dialog, AddAgenciesDialog) and dialog.isVisible()
    ticked = [dialog.agencies.item(n) for n in range(dialog.agencies.count())]
    assert [i.text() for i in ticked if i.checkState() == Qt.CheckState.Checked] == ["Riverside Housing Trust"]
    assert dialog.focusWidget() is dialog.agencies


def test_a_line_of_enquiry_being_written_comes_back_in_the_same_agency(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace
) -> None:
    page = section11_with(window, demo_workspace, "Housing")
    participant = page.participant_uuid() or ""
    view = page.open_agency(participant)
    lines = len(view.lines.lines)
    view.tabs.setCurrentWidget(view.lines)
    view.lines.add()
    dialog = view.lines.dialog
    assert isinstance(dialog, LineDialog)
    _type_in(qtbot, dialog.prompt, "Who checks that referrals are followed up?")
    lock_in(qtbot, window, dialog.prompt)

    view = unlock_back_to(qtbot, window, "section11").agency_view
    assert view is not None and view.participant_uuid == participant and view.tabs.currentWidget() is view.lines
    dialog = view.lines.dialog
    assert isinstance(dialog, LineDialog) and dialog.isVisible()
    assert dialog.prompt.toPlainText() == "Who checks that referrals are followed up?"
    assert dialog.focusWidget() is dialog.prompt
    assert len(view.lines.lines) == lines  # nothing added until OK


def test_the_letterhead_being_edited_comes_back_from_the_same_letter(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace
) -> None:
    page = section11_with(window, demo_workspace, "Housing")
    participant = page.participant_uuid() or ""
    view = page.open_agency(participant)
    view.tabs.setCurrentWidget(view.letter)
    view.letter.edit_letterhead()
    dialog = view.letter.dialog
    assert isinstance(dialog, LetterheadDialog)
    before = dialog.role.text()
    _type_in(qtbot, dialog.role, " (interim)")
    lock_in(qtbot, window, dialog.role)

    view = unlock_back_to(qtbot, window, "section11").agency_view
    assert view is not None and view.participant_uuid == participant and view.tabs.currentWidget() is view.letter
    dialog = view.letter.dialog
    assert isinstance(dialog, LetterheadDialog) and dialog.isVisible()
    assert dialog.role.text() == before + " (interim)" and dialog.focusWidget() is dialog.role
    with window.workspace.reading() as session:
        assert letter_settings(session).signatory_role == before  # nothing saved until OK


def test_an_action_being_agreed_in_interview_mode_comes_back_on_the_same_line(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace
) -> None:
    page = section11_with(window, demo_workspace, "Housing")
    participant = page.participant_uuid() or ""
    with demo_workspace.unit_of_work() as uow:
        if interview_record(uow.session, participant) is None:
            book_interview(uow, participant, on=date(2026, 5, 14), start_time="10:00", place="Room 3", attendees=[])
    interview = page.open_interview(participant)
    assert interview is not None and interview.line_count > 0
    interview.go(interview.line_count - 1)
    line = interview.current_line()
    assert line is not None
    interview.agree_action()
    dialog = interview.dialog
    assert isinstance(dialog, AgreeActionDialog)
    _type_in(qtbot, dialog.title_edit, "Name a lead for missed appointments")
    _type_in(qtbot, dialog.lead, "Head of Housing")
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.keyClick(dialog.lead, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.workspace is None  # the interview keeps its place as a draft too: both come back
    assert "Unsaved edits in 2 forms were kept" in window.lock_screen.detail.text()

    interview = unlock_back_to(qtbot, window, "section11").interview
    assert interview is not None and interview.participant_uuid == participant
    assert interview.current_line() is not None and interview.current_line().uuid == line.uuid
    dialog = interview.dialog
    assert isinstance(dialog, AgreeActionDialog) and dialog.isVisible()
    assert dialog.title_edit.text() == "Name a lead for missed appointments"
    assert dialog.lead.text() == "Head of Housing" and dialog.focusWidget() is dialog.lead
    with window.workspace.reading() as session:
        assert not any(a.title == "Name a lead for missed appointments" for a in list_actions(session))
    interview.close()


def _last_framework(window: MainWindow, workspace: Workspace) -> Any:
    """The Section 11 frameworks view on its last framework (the copy made for this year's cycle)."""
    view = section11_with(window, workspace, "Police").show_frameworks()
    assert view is not None
    view.list.setCurrentRow(view.list.count() - 1)
    return view


def test_a_framework_being_copied_forward_comes_back_for_the_same_framework(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace
) -> None:
    view = _last_framework(window, demo_workspace)
    framework = view.framework_uuid()
    view.copy_forward()
    dialog = view.dialog
    assert isinstance(dialog, CopyDialog)
    _type_in(qtbot, dialog.version, "2027-28")
    lock_in(qtbot, window, dialog.version)

    view = unlock_back_to(qtbot, window, "section11").extra_views["frameworks"]
    assert view.framework_uuid() == framework
    dialog = view.dialog
    assert isinstance(dialog, CopyDialog) and dialog.isVisible()
    assert dialog.version.text() == "2027-28" and dialog.focusWidget() is dialog.version


@pytest.mark.parametrize("new", [False, True], ids=["edited standard", "new standard"])
def test_a_standard_being_edited_comes_back_on_the_same_standard(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace, new: bool
) -> None:
    view = _last_framework(window, demo_workspace)
    framework = view.framework_uuid()
    if new:
        view.new_standard()
    else:
        view.table.selectRow(2)
    standard = view.shown
    _type_in(qtbot, view.good, " Board minutes show it.")
    typed = view.good.toPlainText()
    lock_in(qtbot, window, view.good)

    view = unlock_back_to(qtbot, window, "section11").extra_views["frameworks"]
    assert view.framework_uuid() == framework and view.guard.saving_over() == standard
    assert view.good.toPlainText() == typed and view.focusWidget() is view.good
    assert view.guard.dirty()  # still unsaved


def test_an_import_being_corrected_comes_back_at_the_same_cell(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace, tmp_path: Path
) -> None:
    """File, agency, mapping, a cell corrected here and the next one half typed: all back, nothing imported."""
    review = open_largest_review_in(qtbot, window, demo_workspace)
    uuid = review.review_uuid
    with demo_workspace.reading() as session:
        entries = len(list_entries(session, uuid))
    review.open_import(str(return_csv(tmp_path / "hv-return.csv")))
    dialog = review.dialog
    assert isinstance(dialog, ImportDialog)
    dialog.agency.setCurrentIndex(dialog.agency.findData("HV"))
    dialog.read_file()
    qtbot.waitUntil(lambda: dialog.steps.currentIndex() == 1)
    dialog.set_field("Who recorded", "source")
    dialog.set_field("Ref", "sequence")
    dialog.validate()
    qtbot.waitUntil(lambda: dialog.steps.currentIndex() == 2)
    dialog.cell_value.selectAll()
    qtbot.keyClicks(dialog.cell_value, "22/05/2016")
    qtbot.keyClick(dialog.cell_value, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.plan is not None and dialog.plan.report.rows_with_errors == 1)
    issue = dialog.issues.currentIndex().row()
    _type_in(qtbot, dialog.cell_value, "HV rec")
    typed = dialog.cell_value.text()
    lock_in(qtbot, window, dialog.cell_value)

    review = unlock_back_to(qtbot, window, "reviews").review
    assert review is not None and review.review_uuid == uuid
    dialog = review.dialog
    assert isinstance(dialog, ImportDialog) and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.steps.currentIndex() == 2 and dialog._pending is None, timeout=10000)
    assert dialog.agency.currentData() == "HV" and dialog.current_mapping()["Ref"] == "sequence"
    assert dialog.plan is not None and dialog.plan.report.rows_with_errors == 1  # the correction still applies
    assert "1 cell corrected here" in dialog.summary.text()
    assert dialog.issues.currentIndex().row() == issue and dialog.cell_value.text() == typed
    assert dialog.focusWidget() is dialog.cell_value
    with window.workspace.reading() as session:
        assert len(list_entries(session, uuid)) == entries


def test_an_annotation_being_typed_comes_back_on_the_same_chart(
    qtbot: QtBot, window: MainWindow, demo_workspace: Workspace
) -> None:
    page = unlocked_on(window, demo_workspace, "performance")
    wait_for_idle()
    qtbot.waitUntil(lambda: page.data is not None and not page._loading, timeout=30000)
    page.show_tab(1)
    panel = page.indicator
    panel.indicator.setCurrentIndex(2)
    chart = (panel.indicator.currentData(), panel.agency.currentData())
    panel.note_period.setCurrentIndex(1)
    quarter = panel.note_period.currentData()
    _type_in(qtbot, panel.note_text, "New recording system from this quarter")
    lock_in(qtbot, window, panel.note_text)

    page = unlock_back_to(qtbot, window, "performance")
    panel = page.indicator
    assert page.tabs.currentWidget() is panel
    qtbot.waitUntil(lambda: page.data is not None and not page._loading, timeout=30000)  # figures load after unlock
    assert (panel.indicator.currentData(), panel.agency.currentData()) == chart
    assert panel.note_period.currentData() == quarter
    assert panel.note_text.text() == "New recording system from this quarter" and panel.focusWidget() is panel.note_text

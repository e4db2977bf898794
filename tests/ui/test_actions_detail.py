"""Group headings, the detail panel (history, RAG reason, evidence files) on the demo workspace."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

import ui.actions.detail_panel as detail_panel
from app.actions.exports import group_by_source
from app.actions.filters import ActionFilter
from app.actions.queries import evidence_files, list_actions, progress_history
from app.actions.status import IN_PROGRESS, ON_TRACK
from app.store.workspace import Workspace
from ui.actions.table_model import ActionTableModel
from ui.actions.tracker_view import HEADING_ROLE, TrackerViewModel
from ui.areas.actions import ActionsPage
from ui.kit.empty import HINT_PROPERTY

pytestmark = pytest.mark.gui


def _messages() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]


def test_grouped_view_passes_the_model_tester(qtmodeltester: Any, demo_workspace: Workspace) -> None:
    model = ActionTableModel()
    with demo_workspace.reading() as session:
        model.set_rows(list_actions(session))
    view = TrackerViewModel(model)
    view.set_group_by_source(True)
    qtmodeltester.check(view)
    assert view.heading_rows() and view.index(0, 0).data(HEADING_ROLE) is True
    assert not view.flags(view.index(0, 0)) & Qt.ItemFlag.ItemIsSelectable


def test_group_by_source_shows_headings_with_counts_like_the_exports(page: ActionsPage, qtbot: QtBot) -> None:
    page.group_by_source.setChecked(True)
    view = page.view_model
    headings = [view.heading_text(r) for r in view.heading_rows()]
    expected = [
        f"{title} - {len(members)} action{'s' if len(members) != 1 else ''}"
        for title, members in group_by_source(page.model.rows)
    ]
    assert headings == expected and len(headings) >= 5
    assert view.rowCount() == view.action_count() + len(headings)
    first = view.heading_rows()[0]
    assert page.table.columnSpan(first, 0) == view.columnCount()
    assert f"in {len(headings)} source groups" in page.count_label.text()
    # arrow keys step over headings: from the last action of a group down to the first of the next
    second_heading = view.heading_rows()[1]
    page.select_view_row(second_heading - 1)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    assert page.table.currentIndex().row() == second_heading + 1
    assert page.selected_rows()[0].uuid == view.row_at(second_heading + 1).uuid
    # sorting by due date sorts inside each group; the groups keep their order
    page.table.sortByColumn(5, Qt.SortOrder.DescendingOrder)
    assert [view.heading_text(r) for r in view.heading_rows()] == headings
    rows = view.visible_rows()
    group = [r.due for r in rows if r.source_group == rows[0].source_group]
    assert group == sorted(group, reverse=True)
    page.group_by_source.setChecked(False)
    assert view.heading_rows() == [] and view.rowCount() == view.action_count()


def test_detail_panel_shows_history_source_rag_reason_and_override(
    page: ActionsPage, demo_workspace: Workspace
) -> None:
    with demo_workspace.reading() as session:
        rows = list_actions(session)
        target = max((r for r in rows if not r.overridden), key=lambda r: r.progress_count)
        history = progress_history(session, target.uuid)
        overridden = next(r for r in rows if r.overridden)
    assert len(history) >= 2
    page.select_uuid(target.uuid)
    panel = page.details
    assert panel.history_table.rowCount() == len(history)
    assert [panel.history_table.item(n, 2).text() for n in range(len(history))] == [h.text for h in history]
    assert panel.history_table.item(0, 1).text() == history[0].author
    summary = panel.summary.toPlainText()
    assert target.source_kind_label in summary and f"RAG: {target.rag.label} - " in summary
    assert "Closure approv" in summary and "Evidence of impact:" in summary
    page.select_uuid(overridden.uuid)
    summary = panel.summary.toPlainText()
    assert "override, reason: " + overridden.override_reason.rstrip(".") in summary
    assert f"Computed {overridden.computed.label} because" in summary
    assert ".." not in summary, "a reason typed with its own full stop reads 'at risk.. Computed'"


def test_attach_save_a_copy_and_remove_evidence_files(
    page: ActionsPage, qtbot: QtBot, demo_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page.set_filter(ActionFilter(status=IN_PROGRESS))
    target = page.visible_rows()[0]
    page.select_uuid(target.uuid)
    panel = page.details
    before = panel.files_table.rowCount()

    big = tmp_path / "bodycam.mp4"
    with big.open("wb") as handle:
        handle.truncate(10 * 1024 * 1024 + 1)
    monkeypatch.setattr(detail_panel, "choose_evidence_file", lambda *_a: (str(big), ""))
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    [box] = _messages()
    assert "bodycam.mp4" in box.text() and "limit is 10 MiB" in box.text()
    box.close()
    assert panel.files_table.rowCount() == before

    report = tmp_path / "re-audit.pdf"
    report.write_bytes(b"%PDF re-audit: 26 of 30 cases")
    monkeypatch.setattr(detail_panel, "choose_evidence_file", lambda *_a: (str(report), ""))
    qtbot.mouseClick(panel.buttons["attach"], Qt.MouseButton.LeftButton)
    assert page.selected_rows()[0].uuid == target.uuid  # still selected after the reload
    names = [panel.files_table.item(n, 3).text() for n in range(panel.files_table.rowCount())]
    assert "re-audit.pdf" in names
    row = names.index("re-audit.pdf")
    assert panel.files_table.item(row, 1).text() == demo_workspace.member.display_name
    assert panel.files_table.item(row, 2).text() == "29 bytes"
    panel.files_table.selectRow(row)

    out = tmp_path / "exported" / "copy.pdf"
    out.parent.mkdir()
    monkeypatch.setattr(detail_panel, "choose_save_path", lambda *_a: (str(out), ""))
    qtbot.mouseClick(panel.buttons["save"], Qt.MouseButton.LeftButton)
    assert out.read_bytes() == report.read_bytes()
    assert sorted(p.name for p in out.parent.iterdir()) == ["copy.pdf"]

    answers = iter([False, True])
    asked: list[str] = []
    monkeypatch.setattr(
        detail_panel, "ask_confirmation", lambda _p, _title, text, _verb: asked.append(text) or next(answers)
    )
    qtbot.mouseClick(panel.buttons["remove"], Qt.MouseButton.LeftButton)
    with demo_workspace.reading() as session:
        assert "re-audit.pdf" in [e.filename for e in evidence_files(session, target.uuid)]
    panel.files_table.selectRow(row)
    qtbot.mouseClick(panel.buttons["remove"], Qt.MouseButton.LeftButton)
    assert len(asked) == 2 and "re-audit.pdf" in asked[0]
    with demo_workspace.reading() as session:
        assert "re-audit.pdf" not in [e.filename for e in evidence_files(session, target.uuid)]
    assert panel.files_table.rowCount() == before


def test_an_overdue_action_flagged_on_track_does_not_read_as_on_track(demo_workspace: Workspace) -> None:
    """A trial read "flag: On track" beside a date months past: the flag is the owner's, and says so."""
    with demo_workspace.reading() as session:
        rows = list_actions(session)
    overdue = replace(next(r for r in rows if r.overdue), track=ON_TRACK)
    assert "flag: On track (the owner's flag; the action is overdue)\n" in detail_panel.summary_text(
        overdue, date.today()
    )
    on_time = next(r for r in rows if not r.overdue)
    assert f"flag: {on_time.track_label}\n" in detail_panel.summary_text(on_time, date.today())


def test_the_progress_history_shows_each_update_whole(page: ActionsPage, qtbot: QtBot) -> None:
    """Updates were cut at two lines ("Audit of 20 CIN plans done; 17 of 20 had ..."), readable only in a
    mouse tooltip; and with no action selected the empty history said "No progress recorded yet"."""
    page.resize(1366, 768)
    page.select_view_row(0)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    update = (
        "Audit of 20 CIN plans done; 17 of 20 had monthly management direction recorded, three had none "
        "for over two months; team managers briefed and a re-audit booked for March with the QA lead"
    )
    qtbot.keyClicks(page.dialog.text, update)
    page.select_view_row(0)  # stay on the action, so its history shows
    qtbot.keyClick(page.dialog.text, Qt.Key.Key_Return)
    page.select_view_row(0)
    history = page.details.history_table
    last = history.rowCount() - 1
    assert history.item(last, 2).text() == update
    qtbot.waitUntil(lambda: history.rowHeight(last) >= history.sizeHintForRow(last))
    assert history.rowHeight(last) > 3 * history.fontMetrics().height()

    page.details.show_action(None)
    assert history.property(HINT_PROPERTY) == history.accessibleDescription() == "No action selected."
    page.details.show_action(page.selected_rows()[0])
    assert history.property(HINT_PROPERTY).startswith("No progress recorded yet")

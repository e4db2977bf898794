"""XLSX exports must not pass case data through temporary files."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from app.office.xlsx_memory import workbook_bytes


def test_workbook_saved_without_temporary_files(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden() -> str:
        raise AssertionError("openpyxl tried to write a temporary file")

    monkeypatch.setattr("openpyxl.worksheet._writer.create_temporary_file", forbidden)
    book = Workbook()
    book.active.append(["Child A", "seen at home"])
    book.create_sheet("Second").append([1, 2])
    data = workbook_bytes(book)
    reread = load_workbook(BytesIO(data))
    assert reread.sheetnames == ["Sheet", "Second"]
    assert reread["Sheet"]["A1"].value == "Child A"
    with pytest.raises(AssertionError, match="temporary file"):
        book.save(BytesIO())  # proves the guard would catch openpyxl's own path


def test_chronology_and_tracker_exports_use_no_temporary_file(
    demo_workspace, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.actions.exports import export_tracker
    from app.actions.queries import list_actions
    from app.chronology.exports import export_chronology
    from app.reviews.register import find_review

    def forbidden() -> str:
        raise AssertionError("openpyxl tried to write a temporary file")

    monkeypatch.setattr("openpyxl.worksheet._writer.create_temporary_file", forbidden)
    with demo_workspace.reading() as session:
        review = find_review(session, "LCSPR-2024-01")
        chronology = export_chronology(session, review.uuid, "xlsx", tmp_path / "chronology.xlsx")
        tracker = export_tracker(list_actions(session), "xlsx", tmp_path / "tracker.xlsx")
    assert load_workbook(chronology).active.max_row > 300
    assert load_workbook(tracker).active.max_row > 60

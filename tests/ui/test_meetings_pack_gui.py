"""The Pack tab on the demo workspace, as the chair's office uses it: a member's copy previewed and
printed as it is stamped, the status once the agenda has moved on from the pack issued, the boxes beside
the members, the names files are offered under, and the item chooser's page ranges."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.meetings import service
from app.store.workspace import Workspace
from tests.helpers.areas import area_page
from tests.helpers.meetings_pdf import page_texts
from tests.helpers.shortcut_audit import CTRL
from ui.areas.meetings import MeetingsPage
from ui.kit import files
from ui.meetings import preview

pytestmark = pytest.mark.gui


@pytest.fixture
def demo_page(qtbot: QtBot, demo_workspace: Workspace) -> Iterator[MeetingsPage]:
    """The meetings page on the demo workspace, on its coming meeting (pack issued, six items)."""
    shown = area_page(qtbot, demo_workspace, MeetingsPage, size=(1280, 760))[0]
    assert shown.meetings.rows[0].status == service.PACK_ISSUED
    yield shown
    shown.shutdown()


def _printing_to(monkeypatch: pytest.MonkeyPatch, target: Path) -> list[bytes]:
    """The print dialog answered with a PDF file as the printer; returns the files handed to the printer."""

    def to_file(dialog: Any) -> bool:
        dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        dialog.printer().setOutputFileName(str(target))
        return True

    sent: list[bytes] = []
    real = preview.print_pages

    def recording(data: bytes, printer: QPrinter, pages: list[int]) -> int:
        sent.append(data)
        return real(data, printer, pages)

    monkeypatch.setattr(preview, "choose_printer", to_file)
    monkeypatch.setattr(preview, "print_pages", recording)
    return sent


def test_printing_after_choosing_a_members_copy_prints_their_stamped_copy_as_previewed(
    qtbot: QtBot, demo_page: MeetingsPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = demo_page
    page.show_tab(2)
    master_pages = page.preview.page_count
    page.copy_for_box.setFocus()
    qtbot.keyClicks(page.copy_for_box, "Grace")  # not cleared: her copy has no restricted papers
    assert page.copy_for_box.currentData() == "Grace Adeyemi"
    assert 0 < page.preview.page_count < master_pages
    printed = tmp_path / "printed.pdf"
    sent = _printing_to(monkeypatch, printed)
    qtbot.keyClick(page.copy_for_box, Qt.Key.Key_P, CTRL)
    assert len(sent) == 1
    texts = page_texts(sent[0])
    assert len(texts) == page.preview.page_count == len(page_texts(printed.read_bytes()))
    assert all("Copy for Grace Adeyemi" in text for text in texts)
    assert "Recipient:" in texts[0] and "Grace Adeyemi" in texts[0]

    page.copy_for_box.setCurrentIndex(0)  # the master again: every page, nobody's name
    assert page.preview.page_count == master_pages
    page.preview.print_pack()
    assert not any("Copy for" in text for text in page_texts(sent[-1]))


def test_the_status_says_the_pack_is_out_of_date_once_the_agenda_changes_and_not_after_reissue(
    qtbot: QtBot, demo_page: MeetingsPage
) -> None:
    page = demo_page
    issued_on = page.packs_model.rows[-1].issued_on
    assert page.status_label.text() == "Pack issued"
    assert page.meetings.rows[0].status_label == "Pack issued"
    page.show_tab(1)
    page.items_view.selectRow(1)
    qtbot.keyClick(page.items_view, Qt.Key.Key_Down, CTRL)  # the order changes
    said = f"Issued {issued_on.day} {issued_on:%b}; agenda changed since: re-issue"
    assert page.status_label.text() == said
    status = page.meetings.index(0, 2)
    assert status.data() == "Out of date" and status.data(Qt.ItemDataRole.ToolTipRole) == said
    # the whole note in the narrow list put its Items column behind a sideways scroll bar
    page.resize(1110, 690)
    for tab in range(page.tabs.count()):  # each tab's least width counts
        page.tabs.setCurrentIndex(tab)
        QApplication.processEvents()
        assert page.meeting_list.horizontalScrollBar().maximum() == 0, page.tabs.tabText(tab)
    header = page.meeting_list.horizontalHeader()
    assert not header.isSectionHidden(3) and header.sectionSize(3) > 0
    assert "Out of date" in page.changes_label.text() and "is now item 3 (was 2)" in page.changes_label.text()

    page.issue_pack()
    assert len(page.packs_model.rows) == 2
    assert page.status_label.text() == "Pack issued" == page.meetings.index(0, 2).data()
    assert "Out of date" not in page.changes_label.text()


def test_the_attendance_and_contact_boxes_follow_the_member_chosen(demo_page: MeetingsPage) -> None:
    page = demo_page
    rows = page.members_model.rows
    with_contact = next(n for n, r in enumerate(rows) if r.contact)
    without = next(n for n, r in enumerate(rows) if not r.contact)
    page.members_view.selectRow(without)
    assert page.attendance_box.currentData() == rows[without].attendance == "invited"
    page.attendance_box.setCurrentIndex(page.attendance_box.findData("apologies"))
    page.set_attendance()
    assert page.members_model.rows[without].attendance == "apologies"
    assert page._chosen_member() == page.members_model.rows[without]  # still chosen after the reload
    page.members_view.selectRow(with_contact)
    assert page.attendance_box.currentData() == "invited"  # not the last member's "apologies"
    assert page.contact_box.currentData() == rows[with_contact].contact
    page.members_view.selectRow(without)
    assert (page.attendance_box.currentData(), page.contact_box.currentData()) == ("apologies", "")
    page.meeting_list.selectRow(1)  # another meeting: no member chosen, the boxes at their first choice
    assert page._chosen_member() is None
    assert page.contact_box.currentData() == ""
    assert page.attendance_box.currentIndex() == 0


def test_files_are_offered_under_the_meetings_name_date_and_recipient(
    demo_page: MeetingsPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = demo_page
    offered: list[str] = []

    def choose(_parent: Any, _caption: str, start: str, _filters: str) -> tuple[str, str]:
        offered.append(Path(start).name)
        return str(tmp_path / Path(start).name), ""

    monkeypatch.setattr(files, "choose_save_file", choose)
    monkeypatch.setattr(page, "choose_minutes_copy", lambda _restricted: True)
    page.show_tab(2)
    page.copy_for_box.setCurrentIndex(page.copy_for_box.findData("Tom Whitcombe"))
    page.save_copy()
    page.export_minutes("pdf")
    day = page.meetings.rows[0].meets_on.isoformat()
    assert offered == [
        f"Quality Assurance subgroup {day} pack - copy for Tom Whitcombe.pdf",
        f"Quality Assurance subgroup {day} minutes without restricted items.pdf",
    ]
    assert (tmp_path / offered[0]).is_file() and (tmp_path / offered[1]).is_file()


def test_a_one_page_item_is_said_to_be_on_page_n_in_the_item_chooser(demo_page: MeetingsPage) -> None:
    box = demo_page.preview.item_box
    texts = [box.itemText(n) for n in range(box.count())]
    assert texts[0].startswith("Item 1 (page 4): ")  # the previous minutes, one page ("pages 4–4")
    assert texts[1].startswith("Item 2 (pages 5–8): ")
    assert preview.page_span(5, 5) == "page 5" and preview.page_span(5, 7) == "pages 5–7"

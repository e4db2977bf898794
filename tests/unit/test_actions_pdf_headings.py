"""The tracker PDF's group headings: each names its source once and never stands alone at the foot of a page."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pypdfium2
import pytest

from app.actions.exports import group_by_source, pdf_bytes
from app.actions.queries import list_actions
from app.actions.service import add_action
from app.actions.sources import AUDIT, INSPECTION, SourceRef
from app.agencies import add_agency
from app.store.workspace import Workspace

TODAY = date(2026, 12, 5)
HEADING = re.compile(r"^(Multi-agency audit|External inspection): .* \(\d+\)$")


def _pages(data: bytes) -> list[list[str]]:
    document = pypdfium2.PdfDocument(data)
    try:
        texts = [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()
    furniture = ("OFFICIAL-SENSITIVE", "Exported ", "Page ")
    pages = []
    for text in texts:
        lines = [line.strip() for line in text.replace("\r", "").split("\n")]
        pages.append([line for line in lines if line and not line.startswith(furniture)])
    return pages


def test_a_source_label_that_names_its_kind_is_not_named_twice(workspace: Workspace) -> None:
    with workspace.unit_of_work() as uow:
        add_agency(uow, "Northbridge Police", "Police")
        add_action(
            uow,
            title="Map peer networks",
            owner="Police",
            due=TODAY,
            source=SourceRef(AUDIT, "Multi-agency audit: child exploitation (2025)"),
        )
        add_action(uow, title="Train leads", owner="Police", due=TODAY, source=SourceRef(INSPECTION, "Ofsted ILACS"))
    with workspace.reading() as session:
        rows = list_actions(session, TODAY)
    assert [title for title, _ in group_by_source(rows)] == [
        "External inspection: Ofsted ILACS",
        "Multi-agency audit: child exploitation (2025)",
    ]
    text = "\n".join(line for page in _pages(pdf_bytes(rows, "Action tracker", TODAY)) for line in page)
    assert "Multi-agency audit: child exploitation (2025) (1)" in text
    assert "Multi-agency audit: Multi-agency audit" not in text


@pytest.mark.parametrize("first", range(1, 9))
def test_no_group_heading_is_left_alone_at_the_foot_of_a_page(workspace: Workspace, first: int) -> None:
    """The reviewer found "Meeting: QA-2026-10-24 item 1 (1)" at the foot of page 2 and its table on page 3.
    Groups of growing size push the headings down the pages to every place a page can end."""
    with workspace.unit_of_work() as uow:
        add_agency(uow, "Northbridge Children's Social Care", "CSC")
        sizes = [first, 1, 2, 1, 3, 1, 1, 2, 12, 1, 2, 1]
        for group, size in enumerate(sizes):
            for number in range(size):
                add_action(
                    uow,
                    title=f"Action {number} of group {group}: " + "a description that wraps in its cell " * 3,
                    owner="CSC",
                    due=TODAY + timedelta(days=number),
                    source=SourceRef(AUDIT, f"Audit {group:02d}"),
                    success_measure="Measured in the next audit of a sample of cases " * 2,
                )
    with workspace.reading() as session:
        rows = list_actions(session, TODAY)
    pages = _pages(pdf_bytes(rows, "Action tracker", TODAY))
    assert len(pages) >= 3
    for number, lines in enumerate(pages, start=1):
        assert not HEADING.match(lines[-1]), f"page {number} ends with the heading {lines[-1]!r}"
    headings = [line for lines in pages for line in lines if HEADING.match(line)]
    assert len(headings) == len(sizes)

"""The chronology PDF for a panel: chosen columns, filtered rows, key, episodes, findings, child's words, marking."""

from __future__ import annotations

import re
from datetime import date

import pypdfium2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.agencies import add_agency
from app.chronology import service as svc
from app.chronology.exports import COLUMNS
from app.chronology.panel_pdf import PanelOptions, collect_panel, export_panel_pdf, parse_columns, reading_grid
from app.chronology.people import add_person, decide
from app.chronology.rows import RowFilter, load_rows
from app.errors import InvalidInput
from app.reviews.analysis import add_episode, add_finding
from tests.helpers.reviews import child_review


def pdf_pages(path) -> list[str]:
    document = pypdfium2.PdfDocument(str(path))
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


@pytest.fixture
def review(workspace):
    with workspace.unit_of_work() as uow:
        gp = add_agency(uow, "Riverside Medical Practice", "GP")
        add_agency(uow, "Northbridge Police", "Police")
        created = child_review(uow, [], title="Learning from Rose", reference="LCSPR-P1")
        for day in range(1, 41):
            svc.add_entry(
                uow,
                created.uuid,
                start_date=f"{day % 28 + 1:02d}/0{day % 9 + 1}/2016",
                agency="GP" if day % 2 else "Police",
                source=f"Record {day}",
                event=f"Event number {day}: Rose seen with her mother Sarah Turner. " + "Long text. " * 12,
                child_voice_note="Rose said she was hungry" if day == 3 else "",
                significant=day % 5 == 0,
            )
        add_episode(
            uow,
            created.uuid,
            "Missed signs",
            period_from=date(2016, 1, 1),
            period_to=date(2016, 6, 30),
            description="Rose was rarely seen alone.",
        )
        add_finding(uow, created.uuid, "Voice of the child", "Rose's words were not passed on.")
        return workspace, created.uuid, gp.uuid


def test_columns_filters_and_furniture(review, tmp_path):
    workspace, review_uuid, gp_uuid = review
    options = PanelOptions(
        columns=parse_columns("date, agency, event / contact, significant"),
        row_filter=RowFilter(agencies=frozenset({gp_uuid})),
        version="0.4",
    )
    with workspace.reading() as session:
        out = export_panel_pdf(session, review_uuid, options, tmp_path / "panel.pdf")
    pages = pdf_pages(out)
    assert len(pages) >= 2  # wider event column since the widths follow the text: 2 pages, not 3
    for number, text in enumerate(pages, start=1):
        assert "OFFICIAL-SENSITIVE" in text and f"Page {number} of {len(pages)}" in text
        assert "LCSPR-P1 · version 0.4 · DRAFT" in text
    everything = "\n".join(pages)
    assert "Key to agencies" in everything and "Riverside Medical Practice" in everything
    assert "Northbridge Police" not in everything  # filtered out: not in the key either
    assert "KPE 1" in everything and "Finding 1: Voice of the child" in everything
    assert "The child's words" in everything and "Rose said she was hungry" in everything
    assert "Shows 20 of 40 entries (some agencies only)" in everything.replace("\r", "").replace("\n", " ")
    assert "Event number 3:" in everything and "Event number 2:" not in everything
    assert "Source of" not in everything and "Action / outcome" not in everything
    assert "Significant" in everything


def test_final_anonymised_names_nobody(review, tmp_path):
    workspace, review_uuid, _gp = review
    with workspace.reading() as session:
        with pytest.raises(InvalidInput, match="may still name people"):
            collect_panel(session, review_uuid, PanelOptions(anonymised=True))
    with workspace.unit_of_work() as uow:
        _register_the_turners(uow, review_uuid)
    with workspace.reading() as session:
        out = export_panel_pdf(
            session, review_uuid, PanelOptions(anonymised=True, final=True, version="1.0"), tmp_path / "final.pdf"
        )
    text = "\n".join(pdf_pages(out))
    assert "version 1.0 · FINAL" in text and "DRAFT" not in text
    assert "Rose" not in text and "Sarah" not in text and "Turner" not in text
    assert re.search(r"Child A seen with her\s+Mother\.", text)


def test_reading_grid_is_what_the_pdf_prints(review):
    workspace, review_uuid, _gp = review
    with workspace.reading() as session:
        rows = load_rows(session, review_uuid)
    grid = reading_grid(rows, ("Significant", "Date"), {})
    assert grid[0][1] == rows[0].date_text and {r[0] for r in grid} == {"", "Significant"}
    with pytest.raises(InvalidInput, match="Unknown column"):
        parse_columns("Date, Mood")
    with pytest.raises(InvalidInput, match="twice"):
        parse_columns("Date,date")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=len(COLUMNS), unique=True))
def test_any_choice_and_order_of_columns_is_printed_as_chosen(columns):
    """Whatever columns the reader picks, in whatever order, each row has exactly those cells in that order."""
    from app.chronology.rows import EntryRow
    from app.dates.fuzzy import parse_date

    row = EntryRow(
        uuid="u",
        sequence=7,
        reference="R7",
        date=parse_date("22/05/2016"),
        date_text="22/05/2016",
        uncertain=False,
        start_time="09:30",
        end_text="",
        agency_uuid="a",
        agency="HV",
        agency_colour="#ffffff",
        text_colour="#000000",
        source="HV1 diary",
        event="Home visit",
        child_seen=True,
        child_voice=True,
        child_voice_note="I like nursery",
        action_outcome="Advice",
        agency_analysis="Good",
        reviewer_comment="Note",
        significant=True,
        episodes=("e1",),
        author="",
        updated_stamp="",
        duplicates=0,
        sort_key=(0, "", 0),
        age_text="1y 2m",
    )
    grid = reading_grid([row], columns, {"e1": 2})
    expected = {
        "Seq": "7",
        "Date": "22/05/2016",
        "Time": "09:30",
        "End": "",
        "Agency": "HV",
        "Source of information": "HV1 diary",
        "Event / contact": "Home visit",
        "Child seen": "Yes",
        "Child's voice": "Yes: I like nursery",
        "Action / outcome": "Advice",
        "Agency analysis": "Good",
        "Reviewer comment": "Note",
        "Significant": "Significant",
        "Age": "1y 2m",
        "Episodes": "KPE 2",
    }
    assert grid == [[expected[c] for c in columns]]


def _register_the_turners(uow, review_uuid):
    """The family in the register and the fixture's other name-like words decided: only what a test adds is new."""
    add_person(uow, review_uuid, "Rose Turner", "Child A")
    add_person(uow, review_uuid, "Sarah Turner", "Mother")
    for word in ("Long", "Record"):
        decide(uow, review_uuid, word)


def test_anonymised_panel_refused_while_an_episode_or_finding_names_someone_unlisted(review, tmp_path):
    """The panel document prints the episodes and findings: the name scan must read them, or a name nobody
    listed (a neighbour in a finding) is printed in a document that calls itself anonymised."""
    workspace, review_uuid, _gp = review
    with workspace.unit_of_work() as uow:
        _register_the_turners(uow, review_uuid)
        add_finding(uow, review_uuid, "Neighbours were not asked", "Mrs Kowalski next door raised concerns twice.")
        add_episode(uow, review_uuid, "After the move", description="Rose told Mr Okonkwo about the shouting.")
    with workspace.reading() as session:
        with pytest.raises(InvalidInput, match="may still name people") as refused:
            collect_panel(session, review_uuid, PanelOptions(anonymised=True))
    assert "Kowalski" in str(refused.value) and "Okonkwo" in str(refused.value)
    with workspace.unit_of_work() as uow:
        add_person(uow, review_uuid, "Mrs Kowalski", "Neighbour 1")
        add_person(uow, review_uuid, "Mr Okonkwo", "Teacher")
    with workspace.reading() as session:
        out = export_panel_pdf(session, review_uuid, PanelOptions(anonymised=True), tmp_path / "panel.pdf")
    text = "\n".join(pdf_pages(out))
    assert "Kowalski" not in text and "Okonkwo" not in text and "Rose" not in text
    assert "Neighbour 1 next door" in text


def test_anonymised_panel_refused_while_a_finding_holds_a_phone_number(review, tmp_path):
    workspace, review_uuid, _gp = review
    with workspace.unit_of_work() as uow:
        _register_the_turners(uow, review_uuid)
        add_finding(uow, review_uuid, "Contact details", "The family's number 07700 900123 was on the referral.")
    with workspace.reading() as session:
        with pytest.raises(InvalidInput, match="phone number '07700 900123' in finding 2 text"):
            collect_panel(session, review_uuid, PanelOptions(anonymised=True))


HEADINGS = ("Key to agencies", "Key practice episodes", "Findings", "The child's words")


def _body_lines(page_text: str) -> list[str]:
    furniture = ("OFFICIAL-SENSITIVE", "LCSPR-P2 ·", "Produced ")
    lines = [line.strip() for line in page_text.replace("\r", "").split("\n")]
    return [line for line in lines if line and not line.startswith(furniture)]


@pytest.mark.parametrize(("episodes", "findings"), [(3, n) for n in range(4, 9)] + [(n, 2) for n in range(6, 24, 2)])
def test_no_section_or_finding_heading_is_left_alone_at_the_foot_of_a_page(episodes, findings):
    """A panel reads "The child's words" at the foot of page 1 and its table on page 2 as a page that ends in
    nothing: every heading starts its page or has its first lines under it, whatever pushes it down."""
    from app.chronology.panel_pdf import PanelContent, render_panel_pdf

    content = PanelContent(
        reference="LCSPR-P2",
        title="Learning from Child A",
        subject="Child A",
        options=PanelOptions(columns=parse_columns("date, agency, event / contact")),
        header=["Date", "Agency", "Event / contact"],
        rows=[["01/01/2022", "GP", "Seen."]],
        agencies=[("GP", "Riverside Medical Practice"), ("HV", "Northbridge Community Health")],
        episodes=[(f"KPE {n}", f"Episode {n}", "What happened in this period.") for n in range(1, episodes + 1)],
        findings=[(f"Finding {n}: Heading of finding {n}", "The text of the finding. " * 9) for n in range(findings)],
        voices=[(f"{day:02d}/03/2022", "School", "Said 'Mummy was crying'") for day in range(1, 21)],
        total_entries=1,
    )
    document = pypdfium2.PdfDocument(render_panel_pdf(content))
    try:
        pages = [_body_lines(page.get_textpage().get_text_range()) for page in document]
    finally:
        document.close()
    for number, lines in enumerate(pages, start=1):
        last = lines[-1] if lines else ""
        assert last not in HEADINGS and not re.match(r"Finding \d+:", last), f"page {number} ends with {last!r}"

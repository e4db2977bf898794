"""The feedback letter: its content on the page (PDF rendered to text, DOCX read back), editing,
issue (frozen, hash in the audit log) and re-issue as a new version."""

from __future__ import annotations

import hashlib
from datetime import date
from io import BytesIO

import pytest
from sqlalchemy import select

from app.errors import InvalidInput
from app.section11 import cycles, letters
from app.section11 import status as st
from app.store.workspace import Workspace
from db.models.core import AuditEntry
from tests.helpers.letters_read import docx_text, pdf_pages


@pytest.fixture
def demo(demo_workspace: Workspace) -> Workspace:
    """A private copy of the session's demo workspace (tests/conftest.py)."""
    return demo_workspace


def csc(ws: Workspace) -> tuple[str, str]:
    with ws.reading() as session:
        cycle = cycles.list_cycles(session)[0]
        participant = cycles.find_participant(session, cycle.uuid, "CSC").uuid
        letter = letters.current_letter(session, participant)
    assert letter is not None and letter.state == letters.DRAFT
    return participant, letter.uuid


def test_the_letter_says_what_the_interview_recorded_on_every_page(demo: Workspace) -> None:
    participant, letter_uuid = csc(demo)
    with demo.reading() as session:
        pdf = letters.letter_pdf(session, letter_uuid)
        docx = letters.letter_docx(session, letter_uuid)
    pages = pdf_pages(pdf)
    text = " ".join(pages)
    for number, page in enumerate(pages, start=1):
        assert page.count("OFFICIAL-SENSITIVE") == 2 and f"Page {number} of {len(pages)}" in page
    for expected in (
        "Northbridge Safeguarding Children Partnership",
        "Civic Centre, Market Street",
        "Ms Amira Khan",
        "Northbridge Children's Social Care",
        "Dear Ms Khan,",
        f"Northbridge Children's Social Care's self-assessment in the Section 11 audit {date.today().year}.",
        "Safer recruitment is consistently strong.",
        "The safeguarding policy's review date has passed.",
        "Approved policy and the briefing attendance list",
        "Approve and publish the refreshed",
        "Dr Helen Marsh",
        "Independent Chair and Scrutineer",
        "DRAFT version 1",
        "Policy review date has passed",
        "Agency's score",
        "Panel's score",
        "Green",
    ):
        assert expected in text, expected
    # both scores of the over-rated standard are on the page, with the panel's reason
    assert "2. Responsibilities towards children are clearly set out 3 2 Green" in text
    words = docx_text(docx)
    for expected in (
        "OFFICIAL-SENSITIVE",
        "Dear Ms Khan,",
        "Safer recruitment is consistently strong.",
        "Policy review date has passed",
        "Dr Helen Marsh",
        "DRAFT version 1",
    ):
        assert expected in words, expected
    del participant


def test_edit_issue_freeze_and_reissue(demo: Workspace) -> None:
    participant, letter_uuid = csc(demo)
    with demo.unit_of_work() as uow:
        letters.edit_letter(
            uow,
            letter_uuid,
            {"strengths": "Recruitment checks are exemplary.", "closing": "With thanks to your teams."},
        )
        with pytest.raises(InvalidInput, match="no section"):
            letters.edit_letter(uow, letter_uuid, {"postscript": "x"})
    with demo.unit_of_work() as uow:
        issued = letters.issue_letter(uow, letter_uuid, issued_by="Dr Helen Marsh")
    with demo.reading() as session:
        pdf = letters.letter_pdf(session, letter_uuid)
        assert letters.verify_issued(session, letter_uuid)
        entry = session.scalars(select(AuditEntry).where(AuditEntry.summary.like("Issued Section 11 feedback%"))).one()
        summary = entry.summary
        status = next(
            r
            for r in cycles.cycle_register(session, cycles.list_cycles(session)[0].uuid)
            if r.participant_uuid == participant
        ).status
    digest = hashlib.sha256(pdf).hexdigest()
    assert issued.sha256 == digest and digest in summary and status == st.LETTER_ISSUED
    text = " ".join(pdf_pages(pdf))
    assert "Recruitment checks are exemplary." in text and "DRAFT" not in text and "Issued" in text
    with pytest.raises(InvalidInput, match="cannot change; re-issue"):
        with demo.unit_of_work() as uow:
            letters.edit_letter(uow, letter_uuid, {"opening": "changed"})
    with demo.reading() as session:
        assert letters.letter_pdf(session, letter_uuid) == pdf  # the frozen copy, not a re-render
    with demo.unit_of_work() as uow:
        second = letters.reissue_letter(uow, participant)
        letters.edit_letter(uow, second.uuid, {"opening": "This replaces our letter of last week."})
    with demo.reading() as session:
        versions = letters.letters_of(session, participant)
    assert [(v.version, v.state) for v in versions] == [(2, "draft"), (1, "issued")]
    assert versions[0].sections["strengths"] == "Recruitment checks are exemplary."


@pytest.mark.parametrize(
    ("contact", "greeting"),
    [
        ("Ms Amira Khan", "Ms Khan"),
        ("Dr. Jo Bloggs-Smith", "Dr. Bloggs-Smith"),
        ("Amira Khan", "Amira Khan"),
        ("", "colleague"),
        ("  ", "colleague"),
    ],
)
def test_a_letter_greets_by_title_and_surname_as_british_letters_do(contact: str, greeting: str) -> None:
    from app.section11.letters import salutation_name

    assert salutation_name(contact) == greeting


def test_without_a_contact_the_letter_greets_the_agency_lead_at_the_interview(demo: Workspace) -> None:
    """The demo's health visiting service names no contact: the letter said 'Dear colleague,' to the
    named nurse who sat across the table."""
    with demo.reading() as session:
        cycle = cycles.list_cycles(session)[0]
        participant = cycles.find_participant(session, cycle.uuid, "HV")
        assert not participant.contact_name
        assert letters.generated_sections(session, participant.uuid)["salutation"] == "Dear Mrs Pryce,"


def test_the_closing_stays_on_the_page_of_the_last_paragraph(demo: Workspace) -> None:
    """In a trial "Yours sincerely" and the Chair's name stood alone at the top of a page, the last paragraph
    overleaf. Letters of growing length cross a page break near their end: in every one the closing paragraph,
    the sign-off and the signatory share a page (the DOCX asks Word for the same with keep-with-next)."""
    from dataclasses import replace

    from app.section11.letter_render import render_docx, render_pdf

    _participant, letter_uuid = csc(demo)
    with demo.reading() as session:
        content = letters.letter_content(session, letter_uuid)
    last = " ".join(content.sections["closing"].split())
    lengths = set()
    for extra in range(28, 46, 2):
        strengths = "\n".join(f"- Strength {n}: seen in the case files read with the panel." for n in range(extra))
        pages = pdf_pages(render_pdf(replace(content, sections={**content.sections, "strengths": strengths})))
        lengths.add(len(pages))
        signed = next(page for page in pages if "Yours sincerely" in page)
        assert last in signed and "Dr Helen Marsh Independent Chair and Scrutineer" in signed, extra
    assert len(lengths) > 1  # the letters did cross a page break near their end
    from docx import Document

    paragraphs = [p for p in Document(BytesIO(render_docx(content))).paragraphs]
    start = next(i for i, p in enumerate(paragraphs) if p.text == content.sections["closing"])
    block = paragraphs[start:]
    assert [p.text for p in block][:2] == [content.sections["closing"], "Yours sincerely"]
    assert all(p.paragraph_format.keep_with_next for p in block[:-1]), [p.text for p in block]
    assert block[0].paragraph_format.keep_together

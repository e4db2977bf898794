"""The Chair never reads an agency's own score as the panel's view: year on year compares moderated scores
only, and a letter drafted before the interview or the moderation says so on every page and claims neither."""

from __future__ import annotations

from datetime import date

import pytest

from app.errors import InvalidInput
from app.section11 import charts, cycles, interview, letters, reports
from app.store.workspace import Workspace
from tests.helpers.letters_read import docx_text, pdf_pages


@pytest.fixture
def demo(demo_workspace: Workspace) -> Workspace:
    """A private copy of the session's demo workspace (tests/conftest.py)."""
    return demo_workspace


def _cycle(ws: Workspace) -> str:
    with ws.reading() as session:
        return cycles.list_cycles(session)[0].uuid


def _draft(ws: Workspace, agency: str) -> tuple[str, str]:
    cycle = _cycle(ws)
    with ws.unit_of_work() as uow:
        participant = cycles.find_participant(uow.session, cycle, agency).uuid
        return participant, letters.draft_letter(uow, participant).uuid


def test_year_on_year_compares_the_panels_scores_and_names_what_it_could_not(demo: Workspace) -> None:
    """Housing showed "4 better" and the ED "8 same" from self-assessments the panel had not moderated."""
    cycle = _cycle(demo)
    with demo.reading() as session:
        rows = charts.year_on_year(session, cycle)
        pdf = reports.cycle_report_pdf(session, cycle)
    housing = [r for r in rows if r.agency == "Housing"]
    assert housing and {(r.change, r.now, r.last) for r in housing} == {(charts.NOT_MODERATED, None, None)}
    by_agency = charts.year_on_year_summary(rows)
    assert by_agency["Housing"][charts.BETTER] == 0 and by_agency["ED"][charts.SAME] == 0
    assert by_agency["Police"][charts.WORSE] == 2  # moderated agencies are still compared
    waiting = charts.not_compared(rows)
    assert "Northbridge Housing" in waiting and "Northbridge Police Public Protection Unit" not in waiting
    text = " ".join(pdf_pages(pdf))
    assert "self-assessed scores are never compared" in text
    assert "Not compared (not moderated yet): Northbridge Housing" in text
    assert "4 better" not in text and "not compared (not moderated yet)" in text  # the chart says it in words
    assert "Not moderated yet" in text  # the per-standard table counts them apart


def test_a_letter_before_the_interview_says_so_and_claims_nothing_not_done(demo: Workspace) -> None:
    """The Police draft thanked them for a meeting not held, and promised to review actions never agreed."""
    _participant, uuid = _draft(demo, "Police")
    with demo.reading() as session:
        pages = pdf_pages(letters.letter_pdf(session, uuid))
        words = docx_text(letters.letter_docx(session, uuid))
    text = " ".join(pages)
    for page in pages:
        assert "DRAFT - not final" in page
    assert "Northbridge Police Public Protection Unit has not been interviewed yet" in text
    assert "Thank you for meeting" not in text and "review progress on these actions" not in text
    assert "No actions were agreed." in text
    assert "has not been interviewed yet" in words and "Thank you for meeting" not in words


def test_an_unmoderated_agencys_letter_has_no_colour_from_its_own_scores(demo: Workspace) -> None:
    participant, uuid = _draft(demo, "Housing")
    with demo.reading() as session:
        content = letters.letter_content(session, uuid)
        text = " ".join(pdf_pages(letters.letter_pdf(session, uuid)))
    assert {(rag, panel) for _s, _self, panel, _text, rag, _r in content.scores} == {("grey", "-")}
    assert {rag_text for _s, _self, _p, rag_text, _rag, _r in content.scores} == {"Not moderated"}
    assert "panel has not moderated Northbridge Housing's scores yet" in text
    assert "records the panel's moderated scores," not in text
    with pytest.raises(InvalidInput, match="has not been interviewed yet"):
        with demo.unit_of_work() as uow:
            letters.issue_letter(uow, uuid)
    del participant


def test_an_opening_drafted_before_the_interview_is_rewritten_when_issued(demo: Workspace) -> None:
    """Issuing (only after the interview) rewrites the opening written before it; the Chair's edits stay."""
    participant, uuid = _draft(demo, "Police")
    with demo.unit_of_work() as uow:
        booked = interview.book_interview(uow, participant, on=date(2026, 11, 2))
        interview.mark_held(uow, booked.uuid, today=date(2026, 11, 3))
    with demo.unit_of_work() as uow:
        letters.edit_letter(uow, uuid, {"strengths": "Clear board-level lead."})
        letters.issue_letter(uow, uuid, today=date(2026, 11, 4))
    with demo.reading() as session:
        text = " ".join(pdf_pages(letters.letter_pdf(session, uuid)))
    assert "Thank you for meeting the partnership on 2 November 2026" in text
    assert "Clear board-level lead." in text and "[Draft prepared" not in text
    assert "not final" not in text and "DRAFT" not in text

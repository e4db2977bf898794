"""Moderation rationale rules (audited), the cycle register, and lines of enquiry (suggest, add, remove, reorder)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.agencies import add_agency
from app.errors import InvalidInput
from app.section11 import cycles, enquiry, interview, moderation
from app.section11 import status as st
from app.section11.frameworks import standards_of
from app.store.workspace import Workspace
from db.models.core import AuditEntry
from tests.helpers.section11 import police_cycle


def setup_cycle(ws: Workspace, *, previous: bool = False) -> dict[str, str]:
    """A cycle (and optionally the one before) with the Police self-assessed at 3 on every standard."""
    ids: dict[str, str] = {}
    with ws.unit_of_work() as uow:
        add_agency(uow, "Northbridge Police", "Police", "Police")
        if previous:
            last, last_police = police_cycle(uow, 2025)
            ids["last"], ids["last_police"] = last.uuid, last_police
            for standard in standards_of(uow.session, last.framework_uuid):
                moderation.record_self_assessment(uow, ids["last_police"], standard.uuid, score=1)
                moderation.moderate(
                    uow,
                    ids["last_police"],
                    standard.uuid,
                    0 if standard.number == 5 else 1,
                    "Panel found no evidence of impact." if standard.number == 5 else "",
                )
        cycle, police = police_cycle(uow, return_due=date(2026, 3, 1))
        ids["cycle"], ids["police"] = cycle.uuid, police
        for standard in standards_of(uow.session, cycle.framework_uuid):
            ids[f"S{standard.number}"] = standard.uuid
            moderation.record_self_assessment(uow, ids["police"], standard.uuid, score=3, evidence="ev")
    return ids


def test_a_differing_moderated_score_needs_a_rationale_and_both_stay_visible(workspace: Workspace) -> None:
    ids = setup_cycle(workspace)
    for rationale in ("", "   ", "too short"):
        with pytest.raises(InvalidInput, match="give the panel's rationale"):
            with workspace.unit_of_work() as uow:
                moderation.moderate(uow, ids["police"], ids["S1"], 1, rationale)
    with workspace.unit_of_work() as uow:
        moderation.moderate(uow, ids["police"], ids["S2"], 3)  # the same score needs no reason
        moderation.moderate(uow, ids["police"], ids["S1"], 1, "  Training data was a year old.  ", moderated_by="QA")
    with workspace.reading() as session:
        rows = {r.number: r for r in moderation.assessment_rows(session, ids["police"])}
        entries = [
            (e.summary, e.changes)
            for e in session.scalars(
                select(AuditEntry).where(
                    AuditEntry.table_name == "s11_assessment", AuditEntry.summary.like("Moderated%")
                )
            )
        ]
    assert (rows[1].self_score, rows[1].moderated_score, rows[1].rationale) == (3, 1, "Training data was a year old.")
    assert rows[1].differs and rows[1].rag_text == "Amber" and not rows[2].differs
    # the self score's RAG until moderated, and the words say so
    assert rows[3].moderated_text == "Not moderated" and rows[3].rag_text == "Green (agency's own)"
    summary, changes = next(e for e in entries if "standard 1" in e[0])
    assert "self 3, moderated 1" in summary
    assert json.loads(changes)["moderated_score"] == [None, 1]
    with pytest.raises(InvalidInput, match="not a score"):
        with workspace.unit_of_work() as uow:
            moderation.moderate(uow, ids["police"], ids["S1"], 4, "a long enough reason")
    assert moderation.rationale_needed(None, 2) and not moderation.rationale_needed(None, None)


def test_status_moves_forward_and_the_register_says_what_is_late(workspace: Workspace) -> None:
    ids = setup_cycle(workspace)
    with workspace.reading() as session:
        row = cycles.cycle_register(session, ids["cycle"], today=date(2026, 3, 11))[0]
    assert (row.status, row.late, row.next_step) == (st.NOT_SENT, "Return 10 days late", "Send the return template")
    with workspace.unit_of_work() as uow:
        for number in range(1, 9):
            moderation.moderate(uow, ids["police"], ids[f"S{number}"], 3)
    with workspace.reading() as session:
        row = cycles.cycle_register(session, ids["cycle"], today=date(2026, 3, 11))[0]
    assert row.status == st.MODERATED and row.moderated == row.standards == 8 and row.late == ""
    with workspace.unit_of_work() as uow:
        cycles.advance(uow, cycles.get_participant(uow.session, ids["police"]), st.SENT)  # never moves back
        cycles.set_status(uow, ids["police"], st.CLOSED)
    with workspace.reading() as session:
        assert cycles.cycle_register(session, ids["cycle"])[0].status_label == "Closed"
    with pytest.raises(InvalidInput, match="Unknown Section 11 status"):
        st.parse_status("finished")


def test_lines_of_enquiry_are_suggested_once_and_the_chair_shapes_them(workspace: Workspace) -> None:
    ids = setup_cycle(workspace, previous=True)
    with workspace.unit_of_work() as uow:
        moderation.moderate(uow, ids["police"], ids["S3"], 1, "Escalation log not kept.")  # over-rated
        moderation.moderate(uow, ids["police"], ids["S6"], 0, "No safer recruitment audit.")  # over-rated, bottom
        booked = interview.book_interview(uow, ids["last_police"], on=date(2025, 6, 1))
        lines = enquiry.lines_of_enquiry(uow.session, ids["last_police"])
        interview.agree_action(
            uow, ids["last_police"], title="Audit safer recruitment", due=date.today() + timedelta(days=30)
        )
        del booked, lines
    with workspace.unit_of_work() as uow:
        added = enquiry.suggest_lines(uow, ids["police"])
    with workspace.reading() as session:
        lines = enquiry.lines_of_enquiry(session, ids["police"])
    reasons = [(ln.reason, ln.standard_number) for ln in lines]
    assert ("over_rated", 3) in reasons and ("over_rated", 6) in reasons and ("bottom_of_scale", 6) in reasons
    assert ("not_met_last_cycle", 5) in reasons  # last year's 0 on standard 5 (same lineage)
    assert any(r == "open_action" for r, _n in reasons)
    assert added == len(lines)
    open_line = next(ln for ln in lines if ln.reason == "open_action")
    assert "Audit safer recruitment" in open_line.reason_text
    with workspace.unit_of_work() as uow:
        enquiry.remove_line(uow, lines[0].uuid)
        mine = enquiry.add_line(uow, ids["police"], "How do you check bail decisions consider children?")
        mine_uuid = mine.uuid
        assert enquiry.suggest_lines(uow, ids["police"]) == 0  # a removed suggestion stays removed
    with workspace.unit_of_work() as uow:
        enquiry.move_line(uow, mine_uuid, -1)
        enquiry.move_line(uow, mine_uuid, -1)
    with workspace.reading() as session:
        order = [ln.uuid for ln in enquiry.lines_of_enquiry(session, ids["police"])]
    assert lines[0].uuid not in order and order.index(mine_uuid) == len(order) - 3
    with workspace.unit_of_work() as uow:
        enquiry.reorder_lines(uow, ids["police"], [mine_uuid])
    with workspace.reading() as session:
        assert enquiry.lines_of_enquiry(session, ids["police"])[0].uuid == mine_uuid
    with pytest.raises(InvalidInput, match="needs a question"):
        with workspace.unit_of_work() as uow:
            enquiry.add_line(uow, ids["police"], "  ")


def test_self_and_moderated_means_are_taken_over_the_same_standards(workspace: Workspace) -> None:
    """One standard moderated of eight: a self mean over all eight against a moderated mean over one read as
    over-rating that the panel had not found."""
    from app.section11.charts import self_vs_moderated

    ids = setup_cycle(workspace)
    with workspace.unit_of_work() as uow:
        moderation.record_self_assessment(uow, ids["police"], ids["S2"], score=0, evidence="ev")
    with workspace.reading() as session:
        (before,) = self_vs_moderated(session, ids["cycle"])
    standards = sum(1 for key in ids if key.startswith("S"))
    assert before.self_mean == pytest.approx(3 * (standards - 1) / standards)  # over every self score: none moderated
    assert before.moderated_mean is None
    with workspace.unit_of_work() as uow:
        moderation.moderate(uow, ids["police"], ids["S1"], 2, "Audit shows partial compliance only.")
    with workspace.reading() as session:
        (row,) = self_vs_moderated(session, ids["cycle"])
    assert (row.self_mean, row.moderated_mean, row.over_rated, row.moderated) == (3, 2, 1, 1)


def test_what_is_late_reads_as_lateness_with_the_date_it_was_due_and_one_day_is_singular(
    workspace: Workspace,
) -> None:
    """The Chair read "Moderation 20 days after the panel date" as when moderation would be, and the day after a
    deadline the register said "Return 1 days late"."""
    with workspace.unit_of_work() as uow:
        add_agency(uow, "Northbridge Police", "Police", "Police")
        cycle, police = police_cycle(
            uow,
            return_due=date(2026, 3, 1),
            panel_date=date(2026, 4, 1),
            interview_from=date(2026, 5, 1),
            interview_to=date(2026, 5, 31),
        )
        cycle_uuid = cycle.uuid
    with workspace.reading() as session:
        assert cycles.cycle_register(session, cycle_uuid, today=date(2026, 3, 2))[0].late == "Return 1 day late"
    with workspace.unit_of_work() as uow:
        for standard in standards_of(uow.session, cycle.framework_uuid):
            moderation.record_self_assessment(uow, police, standard.uuid, score=2)
        cycles.set_status(uow, police, st.RETURNED)  # the return typed in
    with workspace.reading() as session:
        row = cycles.cycle_register(session, cycle_uuid, today=date(2026, 4, 21))[0]
    assert row.status == st.RETURNED and row.late == "Moderation 20 days late (QA panel 01/04/2026)"
    with workspace.unit_of_work() as uow:
        for standard in standards_of(uow.session, cycle.framework_uuid):
            moderation.moderate(uow, police, standard.uuid, 2)
    with workspace.reading() as session:
        late = cycles.cycle_register(session, cycle_uuid, today=date(2026, 6, 1))[0].late
    assert late == "Interview 1 day late (window closed 31/05/2026)"

"""Action services on a real encrypted workspace: closure rules, override audit, append-only progress."""

from __future__ import annotations

import json
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from app.actions.dashboard import compute_dashboard
from app.actions.evidence import MAX_EVIDENCE_BYTES
from app.actions.filters import ActionFilter, apply_filter
from app.actions.queries import evidence_files, list_actions, progress_history
from app.actions.rag import Rag
from app.actions.service import (
    Closure,
    Update,
    add_action,
    add_progress,
    apply_update,
    attach_evidence,
    bulk_change_due,
    clear_override,
    get_action,
    override_rag,
    set_impact_evidence,
    set_status,
)
from app.actions.sources import AUDIT, INSPECTION, SourceRef, resolve_source
from app.actions.status import (
    CLOSED_EVIDENCED,
    CLOSED_NOT_ACHIEVED,
    IN_PROGRESS,
    NOT_STARTED,
)
from app.agencies import add_agency
from app.errors import InvalidInput
from app.store.workspace import Workspace
from db.models.actions import Action, ProgressUpdate
from db.models.core import AuditEntry

TODAY = date.today()


@pytest.fixture
def tracker(workspace: Workspace) -> Workspace:
    with workspace.unit_of_work() as uow:
        add_agency(uow, "Northbridge Children's Social Care", "CSC")
        add_agency(uow, "Northbridge Police", "Police")
        add_action(
            uow,
            title="Audit supervision",
            owner="CSC",
            due=TODAY + timedelta(days=10),
            source=SourceRef(INSPECTION, "Ofsted ILACS 2025"),
        )
        add_action(
            uow,
            title="Train officers",
            owner="police",
            due=TODAY - timedelta(days=1),
            source=SourceRef(AUDIT, "Neglect audit"),
            lead_officer="Tom Whitcombe",
        )
    return workspace


def _action(ws: Workspace, reference: str) -> SimpleNamespace:
    """A snapshot of the stored action (the reading session expires ORM objects)."""
    with ws.reading() as session:
        action = get_action(session, reference)
        return SimpleNamespace(uuid=action.uuid, **action.content())


def test_references_are_sequential_and_rows_carry_rag(tracker: Workspace) -> None:
    with tracker.reading() as session:
        rows = {r.reference: r for r in list_actions(session, TODAY)}
    assert set(rows) == {"ACT-0001", "ACT-0002"}
    assert rows["ACT-0001"].rag is Rag.AMBER and rows["ACT-0001"].due_soon
    assert rows["ACT-0002"].rag is Rag.RED and rows["ACT-0002"].overdue
    assert rows["ACT-0002"].agency == "Police" and rows["ACT-0002"].source_label == "Neglect audit"


def test_unknown_agency_and_empty_title_are_refused(tracker: Workspace) -> None:
    with pytest.raises(InvalidInput, match="Unknown agency 'Nowhere'"):
        with tracker.unit_of_work() as uow:
            add_action(uow, title="x", owner="Nowhere", due=TODAY)
    with pytest.raises(InvalidInput, match="must not be empty"):
        with tracker.unit_of_work() as uow:
            add_action(uow, title="  ", owner="CSC", due=TODAY)


def test_closing_as_impact_evidenced_needs_evidence_and_approver(tracker: Workspace) -> None:
    with pytest.raises(InvalidInput, match="without evidence of impact, an approver and the meeting"):
        with tracker.unit_of_work() as uow:
            set_status(uow, get_action(uow.session, "ACT-0001"), CLOSED_EVIDENCED)
    with pytest.raises(InvalidInput, match="without evidence of impact"):
        with tracker.unit_of_work() as uow:
            set_status(
                uow, get_action(uow.session, "ACT-0001"), CLOSED_EVIDENCED, Closure("Chair", "QA subgroup May 2026")
            )
    with tracker.unit_of_work() as uow:
        set_impact_evidence(uow, get_action(uow.session, "ACT-0001"), "Re-audit: 26 of 30 cases")
    with pytest.raises(InvalidInput, match="without an approver"):
        with tracker.unit_of_work() as uow:
            set_status(uow, get_action(uow.session, "ACT-0001"), CLOSED_EVIDENCED, Closure("", "QA May"))
    with tracker.unit_of_work() as uow:
        set_status(
            uow,
            get_action(uow.session, "ACT-0001"),
            CLOSED_EVIDENCED,
            Closure("Dr Marsh", "QA subgroup May 2026", date(2026, 5, 22)),
        )
    action = _action(tracker, "ACT-0001")
    assert (action.status, action.approved_by, action.approved_at_meeting, action.approved_on) == (
        CLOSED_EVIDENCED,
        "Dr Marsh",
        "QA subgroup May 2026",
        date(2026, 5, 22),
    )
    with tracker.reading() as session:
        assert {r.reference: r.rag for r in list_actions(session)}["ACT-0001"] is Rag.BLUE


def test_an_evidence_file_counts_as_evidence(tracker: Workspace) -> None:
    with tracker.unit_of_work() as uow:
        action = get_action(uow.session, "ACT-0002")
        attach_evidence(uow, action, "/somewhere/re-audit.pdf", b"%PDF data", added_by="Sam")
        set_status(uow, action, CLOSED_EVIDENCED, Closure("Chair", "QA June"))
    with tracker.reading() as session:
        files = evidence_files(session, _action(tracker, "ACT-0002").uuid)
    assert [(f.filename, f.size) for f in files] == [("re-audit.pdf", 9)]


def test_evidence_file_over_the_limit_is_refused_with_its_name(tracker: Workspace) -> None:
    with pytest.raises(InvalidInput, match=r"big\.pdf is 10\.0 MiB; the limit is 10 MiB"):
        with tracker.unit_of_work() as uow:
            attach_evidence(
                uow, get_action(uow.session, "ACT-0001"), "big.pdf", b"x" * (MAX_EVIDENCE_BYTES + 1), added_by="Sam"
            )


def test_closing_not_achieved_needs_a_reason_and_shows_closed(tracker: Workspace) -> None:
    with pytest.raises(InvalidInput, match="without a reason"):
        with tracker.unit_of_work() as uow:
            set_status(uow, get_action(uow.session, "ACT-0001"), CLOSED_NOT_ACHIEVED)
    with tracker.unit_of_work() as uow:
        set_status(
            uow,
            get_action(uow.session, "ACT-0001"),
            CLOSED_NOT_ACHIEVED,
            Closure("Chair", "Case Review subgroup", reason="Superseded by the neglect strategy"),
        )
    with tracker.reading() as session:
        row = {r.reference: r for r in list_actions(session)}["ACT-0001"]
    assert row.rag is Rag.GREY and row.rag_text == "Closed" and not row.due_soon


def test_override_needs_a_reason_is_shown_and_audited(tracker: Workspace) -> None:
    with pytest.raises(InvalidInput, match="needs a reason"):
        with tracker.unit_of_work() as uow:
            override_rag(uow, get_action(uow.session, "ACT-0001"), Rag.GREEN, " ")
    with tracker.unit_of_work() as uow:
        override_rag(uow, get_action(uow.session, "ACT-0001"), Rag.GREEN, "Lead confirmed start next week")
    with tracker.reading() as session:
        row = {r.reference: r for r in list_actions(session)}["ACT-0001"]
        entry = session.execute(
            select(AuditEntry.summary, AuditEntry.changes).order_by(AuditEntry.id.desc()).limit(1)
        ).one()
    assert row.rag is Rag.GREEN and row.computed is Rag.AMBER and row.overridden
    assert row.rag_text == "Green (override; computed Amber)"
    assert "overridden to Green: Lead confirmed start next week" in entry.summary
    assert json.loads(entry.changes)["rag_override"] == [None, "green"]
    with tracker.unit_of_work() as uow:
        clear_override(uow, get_action(uow.session, "ACT-0001"))
    with tracker.reading() as session:
        row = {r.reference: r for r in list_actions(session)}["ACT-0001"]
    assert row.rag is Rag.AMBER and not row.overridden


def test_progress_is_append_only_and_dated(tracker: Workspace) -> None:
    with tracker.unit_of_work() as uow:
        action = get_action(uow.session, "ACT-0001")
        add_progress(uow, action, "Briefing delivered", author="Sam", written_on=date(2026, 4, 1))
        add_progress(uow, action, "Dip sample done", author="Ana", written_on=date(2026, 5, 1))
    with pytest.raises(InvalidInput, match="empty"):
        with tracker.unit_of_work() as uow:
            add_progress(uow, get_action(uow.session, "ACT-0001"), "   ", author="Sam")
    with tracker.reading() as session:
        history = progress_history(session, _action(tracker, "ACT-0001").uuid)
        row = {r.reference: r for r in list_actions(session)}["ACT-0001"]
        count = len(session.scalars(select(ProgressUpdate)).all())
    assert [(p.written_on, p.author, p.text) for p in history] == [
        (date(2026, 4, 1), "Sam", "Briefing delivered"),
        (date(2026, 5, 1), "Ana", "Dip sample done"),
    ]
    assert (row.progress_count, row.last_progress, count) == (2, "Dip sample done", 2)
    import app.actions.service as service

    assert not [name for name in dir(service) if "progress" in name and name.startswith(("edit", "delete"))]


def test_bulk_due_change_records_one_reason(tracker: Workspace) -> None:
    new_due = TODAY + timedelta(days=90)
    with pytest.raises(InvalidInput, match="needs a reason"):
        with tracker.unit_of_work() as uow:
            bulk_change_due(uow, [get_action(uow.session, "ACT-0001")], new_due, "")
    with tracker.unit_of_work() as uow:
        actions = [get_action(uow.session, r) for r in ("ACT-0001", "ACT-0002")]
        assert bulk_change_due(uow, actions, new_due, "Re-planned after the Ofsted visit") == 2
    with tracker.reading() as session:
        dues = {r.reference: r.due for r in list_actions(session)}
        entry = session.execute(
            select(AuditEntry.summary, AuditEntry.changes).order_by(AuditEntry.id.desc()).limit(1)
        ).one()
    assert dues == {"ACT-0001": new_due, "ACT-0002": new_due}
    assert "Re-planned after the Ofsted visit" in entry.summary
    assert json.loads(entry.changes)["actions"] == ["ACT-0001", "ACT-0002"]
    # the entry names the actions and reads the date as the tracker does ("Due date of 2 actions moved to
    # 2026-..." could not be found by searching the audit log for ACT-0001)
    assert entry.summary == (
        f"Due date of ACT-0001, ACT-0002 moved to {new_due:%d/%m/%Y}: Re-planned after the Ofsted visit"
    )
    with tracker.unit_of_work() as uow:
        for n in range(7):
            add_action(uow, title=f"Brief team {n}", owner="CSC", due=TODAY + timedelta(days=30 + n))
        many = [a for a in uow.session.scalars(select(Action).order_by(Action.reference)) if a.due_date != TODAY][:7]
        assert bulk_change_due(uow, many, TODAY, "All moved to the autumn panel") == 7
    with tracker.reading() as session:
        summary = session.scalars(select(AuditEntry.summary).order_by(AuditEntry.id.desc()).limit(1)).one()
    names = ", ".join(a.reference for a in many[:5])
    assert summary.startswith(f"Due date of 7 actions: {names} and 2 more moved to {TODAY:%d/%m/%Y}")


def test_apply_update_validates_before_writing(tracker: Workspace) -> None:
    with pytest.raises(InvalidInput):
        with tracker.unit_of_work() as uow:
            apply_update(uow, "ACT-0001", Update(status=CLOSED_EVIDENCED, progress="Done"), author="Sam")
    with tracker.reading() as session:
        assert progress_history(session, _action(tracker, "ACT-0001").uuid) == []
    with tracker.unit_of_work() as uow:
        apply_update(
            uow,
            "act-0001",
            Update(
                status=CLOSED_EVIDENCED, progress="Done", evidence="Re-audit 90%", closure=Closure("Chair", "QA June")
            ),
            author="Sam",
        )
    assert _action(tracker, "ACT-0001").status == CLOSED_EVIDENCED
    with pytest.raises(InvalidInput, match="Unknown action 'ACT-9999'"):
        with tracker.unit_of_work() as uow:
            apply_update(uow, "ACT-9999", Update(status=IN_PROGRESS), author="Sam")


def test_filters_and_dashboard(tracker: Workspace) -> None:
    with tracker.reading() as session:
        rows = list_actions(session, TODAY)
    assert [r.reference for r in apply_filter(rows, ActionFilter(overdue=True), TODAY)] == ["ACT-0002"]
    assert [r.reference for r in apply_filter(rows, ActionFilter(source_kind=INSPECTION), TODAY)] == ["ACT-0001"]
    assert [r.reference for r in apply_filter(rows, ActionFilter(due_within_days=28), TODAY)] == ["ACT-0001"]
    assert [r.reference for r in apply_filter(rows, ActionFilter(text="officers"), TODAY)] == ["ACT-0002"]
    assert apply_filter(rows, ActionFilter(status=NOT_STARTED, rag=Rag.BLUE), TODAY) == []
    board = compute_dashboard(rows, TODAY)
    assert (board.total.value, board.overdue.value, board.due_soon.value) == (2, 1, 1)
    assert {c.label: c.value for c in board.by_rag}["Red"] == 1
    assert {c.label: c.value for c in board.by_agency} == {"CSC": 1, "Police": 1}
    police = next(c for c in board.by_agency if c.label == "Police")
    assert [r.reference for r in apply_filter(rows, police.filter, TODAY)] == ["ACT-0002"]


def test_sources_resolve_and_unknown_review_is_refused(tracker: Workspace) -> None:
    with tracker.reading() as session:
        assert resolve_source(session, "inspection:Ofsted ILACS 2025") == SourceRef(INSPECTION, "Ofsted ILACS 2025")
        assert resolve_source(session, None).kind == "none"
        with pytest.raises(InvalidInput, match="Unknown review 'LCSPR-1999-01'"):
            resolve_source(session, "review:LCSPR-1999-01")
        with pytest.raises(InvalidInput, match="KIND:TEXT"):
            resolve_source(session, "ofsted")

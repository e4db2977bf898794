"""The reviews register, its references and statutory clocks, on a real encrypted workspace."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from app.agencies import add_agency
from app.dates import workdays
from app.errors import InvalidInput
from app.reviews.analysis import (
    add_episode,
    add_finding,
    add_recommendation,
    delete_episode,
    list_episodes,
    list_recommendations,
)
from app.reviews.clocks import RAPID_REVIEW, clock_state, review_clocks
from app.reviews.register import (
    add_review,
    find_review,
    register,
    set_milestone,
    update_review,
)
from db.base import Base


@pytest.fixture
def agencies(workspace):
    with workspace.unit_of_work() as uow:
        add_agency(uow, "Northbridge Police", "Police")
        add_agency(uow, "Riverside Medical Practice", "GP")
    return workspace


def test_references_are_numbered_per_kind_and_year(agencies):
    with agencies.unit_of_work() as uow:
        first = add_review(uow, kind="LCSPR", title="One", subject_pseudonym="Child A", notified_on=date(2026, 2, 2))
        second = add_review(
            uow,
            kind="child safeguarding practice review",
            title="Two",
            subject_pseudonym="Child B",
            notified_on=date(2026, 3, 2),
            agencies=["police", "GP"],
        )
        rapid = add_review(uow, kind="rapid", title="Three", subject_pseudonym="Baby C", today=date(2025, 5, 5))
        assert (first.reference, second.reference, rapid.reference) == ("LCSPR-2026-01", "LCSPR-2026-02", "RR-2025-01")
        assert len(second.participating_agencies) == 2
    with agencies.reading() as session:
        assert find_review(session, "lcspr-2026-02").title == "Two"
        with pytest.raises(InvalidInput, match="Known reviews: LCSPR-2026-01, LCSPR-2026-02, RR-2025-01"):
            find_review(session, "SCR-1")


def test_invalid_input_names_the_problem_and_writes_nothing(agencies):
    for kwargs, message in (
        ({"kind": "inquiry"}, "Unknown review kind"),
        ({"scope_from": date(2024, 5, 1), "scope_to": date(2024, 1, 1)}, "ends"),
        ({"agencies": ["Fire service"]}, "Unknown agency"),
        ({"reference": "bad ref!"}, "may use letters"),
    ):
        args = {"kind": "lcspr", "title": "T", "subject_pseudonym": "Child A", **kwargs}
        with pytest.raises(InvalidInput, match=message):
            with agencies.unit_of_work() as uow:
                add_review(uow, **args)
    with agencies.reading() as session:
        assert register(session) == []


def test_rapid_review_clock_excludes_bank_holidays_and_turns_due_soon_then_overdue():
    notified = date(2026, 12, 14)  # Christmas and Boxing Day (substitute 28th) fall inside
    clocks = review_clocks("rapid", None, notified, [], today=notified)
    rapid = next(c for c in clocks if c.name == RAPID_REVIEW)
    assert rapid.due == workdays.rapid_review_due(notified) == date(2027, 1, 7)
    assert rapid.state == "pending"
    assert clock_state(rapid.due, None, date(2027, 1, 5))[0] == "due-soon"
    assert clock_state(rapid.due, None, date(2027, 1, 8))[0] == "overdue"
    assert clock_state(rapid.due, date(2027, 1, 6), date(2027, 1, 8))[0] == "done"


def test_register_flags_overdue_and_due_soon_and_milestones_complete(agencies):
    with agencies.unit_of_work() as uow:
        rapid = add_review(
            uow,
            kind="rapid",
            title="Due soon",
            subject_pseudonym="Baby D",
            incident_known_on=date(2026, 10, 30),
            notified_on=date(2026, 11, 2),
        )
        practice = add_review(
            uow, kind="lcspr", title="Overdue", subject_pseudonym="Child E", notified_on=date(2026, 1, 5)
        )
        assert [m["name"] for m in practice.milestones][0] == "Terms of reference agreed"
        rapid_uuid = rapid.uuid
    today = date(2026, 11, 18)  # 12 working days after notification: due in 3
    with agencies.reading() as session:
        rows = {r.reference: r for r in register(session, today)}
    assert rows["RR-2026-01"].due_soon and not rows["RR-2026-01"].overdue
    assert rows["LCSPR-2026-01"].overdue
    with agencies.unit_of_work() as uow:
        set_milestone(uow, rapid_uuid, RAPID_REVIEW, done=date(2026, 11, 17))
        update_review(uow, rapid_uuid, status="Published")
    with agencies.reading() as session:
        row = next(r for r in register(session, today) if r.reference == "RR-2026-01")
    assert not row.due_soon and row.status == "published"
    assert row.as_json()["clocks"][1]["state"] == "done"


def test_analysis_records_are_numbered_and_episode_deletion_keeps_the_rest(agencies):
    with agencies.unit_of_work() as uow:
        review = add_review(uow, kind="lcspr", title="T", subject_pseudonym="Child A")
        first = add_episode(uow, review.uuid, "Early help", period_from=date(2021, 1, 1), period_to=date(2021, 6, 1))
        add_episode(uow, review.uuid, "Referral")
        finding = add_finding(uow, review.uuid, "Voice of the child", "Not heard", episode_uuid=first.uuid)
        add_recommendation(uow, review.uuid, "Seek assurance", finding_uuid=finding.uuid)
        add_recommendation(uow, review.uuid, "Publish a briefing")
        with pytest.raises(InvalidInput, match="ends before"):
            add_episode(uow, review.uuid, "Bad", period_from=date(2022, 1, 1), period_to=date(2021, 1, 1))
        review_uuid, first_uuid = review.uuid, first.uuid
    with agencies.unit_of_work() as uow:
        delete_episode(uow, first_uuid)
    with agencies.reading() as session:
        assert [e.number for e in list_episodes(session, review_uuid)] == [2]
        assert [(r.number, r.text) for r in list_recommendations(session, review_uuid)] == [
            (1, "Seek assurance"),
            (2, "Publish a briefing"),
        ]


def test_migration_creates_exactly_the_mapped_review_tables(workspace):
    mine = [
        "review",
        "chronology_entry",
        "key_practice_episode",
        "entry_episode_link",
        "finding",
        "recommendation",
        "glossary_term",
        "duplicate_link",
    ]
    with workspace.reading() as session:
        inspector = sa.inspect(session.connection())
        for table in mine:
            stored = {c["name"] for c in inspector.get_columns(table)}
            assert stored == {c.name for c in Base.metadata.tables[table].columns}, table
        indexes = {i["name"] for i in inspector.get_indexes("chronology_entry")}
        assert "ix_chronology_entry_review_order" in indexes


def test_demo_has_the_child_a_review_and_a_rapid_review_due_soon(demo_workspace):
    from app.chronology.rows import load_rows

    with demo_workspace.reading() as session:
        rows = {r.reference: r for r in register(session)}
        child_a = rows["LCSPR-2024-01"]
        entries = load_rows(session, child_a.uuid)
    assert child_a.entries == 300 and len({e.agency for e in entries}) == 6
    assert any(r.kind == "rapid" and r.due_soon for r in rows.values())
    assert sum(e.duplicates for e in entries) >= 2 and any(e.episodes for e in entries)

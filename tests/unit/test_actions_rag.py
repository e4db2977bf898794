"""The RAG rules at their boundaries (docs/actions.md): due today, in 28 and 29 days, one day overdue."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.actions.rag import (
    Rag,
    computed_rag,
    effective_rag,
    is_due_soon,
    is_overdue,
    parse_rag,
)
from app.actions.status import (
    AT_RISK,
    AWAITING_EVIDENCE,
    CLOSED_EVIDENCED,
    CLOSED_NOT_ACHIEVED,
    IN_PROGRESS,
    NOT_STARTED,
    OFF_TRACK,
    ON_TRACK,
    parse_status,
)
from app.errors import InvalidInput

TODAY = date(2026, 5, 22)


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


@pytest.mark.parametrize(
    ("status", "track", "due", "expected"),
    [
        # not started: amber from today to 28 days ahead, green at 29, red once one day overdue
        (NOT_STARTED, ON_TRACK, days(0), Rag.AMBER),
        (NOT_STARTED, ON_TRACK, days(28), Rag.AMBER),
        (NOT_STARTED, ON_TRACK, days(29), Rag.GREEN),
        (NOT_STARTED, ON_TRACK, days(-1), Rag.RED),
        # in progress and on track: green until overdue, whatever the due window
        (IN_PROGRESS, ON_TRACK, days(0), Rag.GREEN),
        (IN_PROGRESS, ON_TRACK, days(28), Rag.GREEN),
        (IN_PROGRESS, ON_TRACK, days(-1), Rag.RED),
        # flags
        (IN_PROGRESS, AT_RISK, days(100), Rag.AMBER),
        (IN_PROGRESS, OFF_TRACK, days(100), Rag.RED),
        (NOT_STARTED, OFF_TRACK, days(10), Rag.RED),
        (IN_PROGRESS, AT_RISK, days(-1), Rag.RED),
        # delivered, awaiting evidence: not overdue; flags still count
        (AWAITING_EVIDENCE, ON_TRACK, days(-30), Rag.GREEN),
        (AWAITING_EVIDENCE, AT_RISK, days(-30), Rag.AMBER),
        # closed
        (CLOSED_EVIDENCED, OFF_TRACK, days(-300), Rag.BLUE),
        (CLOSED_NOT_ACHIEVED, ON_TRACK, days(-300), Rag.GREY),
    ],
)
def test_rag_rules(status: str, track: str, due: date, expected: Rag) -> None:
    assert computed_rag(status, track, due, TODAY) is expected


def test_overdue_and_due_soon_boundaries() -> None:
    assert not is_overdue(IN_PROGRESS, days(0), TODAY)
    assert is_overdue(IN_PROGRESS, days(-1), TODAY)
    assert not is_overdue(AWAITING_EVIDENCE, days(-1), TODAY)
    assert is_due_soon(IN_PROGRESS, days(0), TODAY) and is_due_soon(IN_PROGRESS, days(28), TODAY)
    assert not is_due_soon(IN_PROGRESS, days(29), TODAY)
    assert not is_due_soon(IN_PROGRESS, days(-1), TODAY)


def test_override_replaces_the_computed_colour() -> None:
    assert effective_rag(IN_PROGRESS, ON_TRACK, days(50), TODAY, "red") is Rag.RED
    assert effective_rag(IN_PROGRESS, ON_TRACK, days(50), TODAY, None) is Rag.GREEN


def test_labels_are_words_not_only_colours() -> None:
    assert [r.label for r in Rag] == ["Red", "Amber", "Green", "Blue", "Closed"]
    assert parse_rag("Amber") is Rag.AMBER
    with pytest.raises(InvalidInput, match="purple"):
        parse_rag("purple")
    with pytest.raises(InvalidInput):
        parse_rag("grey", allow_grey=False)


def test_status_parsing_accepts_keys_aliases_and_labels() -> None:
    assert parse_status("closed-impact-evidenced") == CLOSED_EVIDENCED
    assert parse_status("In progress") == IN_PROGRESS
    assert parse_status("superseded") == CLOSED_NOT_ACHIEVED
    with pytest.raises(InvalidInput, match="Unknown action status 'done-ish'"):
        parse_status("done-ish")


def test_rag_reason_names_the_rule_that_applied() -> None:
    from app.actions.rag import rag_reason

    today = date(2026, 5, 1)
    assert rag_reason("in_progress", "on_track", today - timedelta(days=1), today) == "overdue by 1 day"
    assert rag_reason("not_started", "on_track", today, today) == "not started and due today"
    assert rag_reason("not_started", "on_track", today + timedelta(days=28), today) == "not started and due in 28 days"
    assert rag_reason("not_started", "on_track", today + timedelta(days=29), today) == "on track"
    assert rag_reason("in_progress", "off_track", today + timedelta(days=90), today) == "flagged off track"
    assert rag_reason("in_progress", "at_risk", today + timedelta(days=90), today) == "flagged at risk"
    assert rag_reason("closed_impact_evidenced", "off_track", today, today) == "closed with impact evidenced"

"""The demo action plan: about 60 actions with a realistic spread, linked to the demo reviews."""

from __future__ import annotations

from collections import Counter

from app.actions.queries import list_actions
from app.actions.rag import Rag
from app.actions.sources import AUDIT, INSPECTION
from app.reviews.action_source import REVIEW_RECOMMENDATION
from app.store.workspace import Workspace

SECTION11 = "section11"


def test_demo_actions_spread(demo_workspace: Workspace) -> None:
    with demo_workspace.reading() as session:
        rows = list_actions(session)
    assert 55 <= len(rows) <= 80  # the actions demo's 60, and a few that other areas' demos raise from their records
    rags = Counter(row.rag for row in rows)
    assert all(rags[rag] > 0 for rag in (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE))
    kinds = Counter(row.source_kind for row in rows)
    assert all(kinds[kind] > 0 for kind in (AUDIT, INSPECTION, SECTION11, REVIEW_RECOMMENDATION))
    linked = [row for row in rows if row.source_kind == REVIEW_RECOMMENDATION]
    assert all(row.source_uuid and row.review_uuid for row in linked)
    assert any(row.overdue for row in rows) and any(row.due_soon for row in rows)
    assert any(row.overridden for row in rows)
    assert all(row.impact_evidence and row.approved_by for row in rows if row.rag is Rag.BLUE and not row.overridden)

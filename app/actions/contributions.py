"""What the actions area offers the others: its free-text source kinds, the tracker service, its demo part,
and the action log for meeting packs (once the pack report exists)."""

from __future__ import annotations

from app.actions.tracker_port import TrackerPort
from app.contributions import (
    ACTION_SOURCES,
    ACTION_TRACKER,
    DEMO_PARTS,
    NO_SOURCE,
    PACK_REPORTS,
    ActionSourceKind,
    DemoPart,
    PackReport,
    lazy,
)

ACTION_SOURCES.register(
    ActionSourceKind("audit", "Multi-agency audit", "audit", order=20, example="audit:Neglect audit 2025")
)
ACTION_SOURCES.register(
    ActionSourceKind(
        "inspection", "External inspection", "inspection", order=30, example="inspection:Ofsted ILACS 2025"
    )
)
# The Section 11 area registers its interviews as the "section11" source (app/section11/contributions.py).
ACTION_SOURCES.register(ActionSourceKind(NO_SOURCE, "No source", NO_SOURCE, order=99))

ACTION_TRACKER.provide(TrackerPort())
DEMO_PARTS.register(DemoPart("actions", 40, lazy("app.actions.demo:populate")))
PACK_REPORTS.register(
    PackReport(
        "actions",
        "Action log",
        lazy("app.actions.pack_report:build"),
        order=10,
        filters=("source", "agency", "source_label", "open_only"),
        description="Actions with their RAG status, overdue first, and a chart by owner",
    )
)

# Conflicts name actions by reference and fields by their form labels; merges keep the closing rules.
from app.actions.naming import NAMINGS, RULES  # noqa: E402
from app.contributions import MERGE_RULES, RECORD_NAMING  # noqa: E402

for _naming in NAMINGS:
    RECORD_NAMING.register(_naming)
for _rule in RULES:
    MERGE_RULES.register(_rule)

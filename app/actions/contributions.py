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

ACTION_SOURCES.register(ActionSourceKind("audit", "Multi-agency audit", "audit", order=20,
                                         example="audit:Neglect audit 2025"))
ACTION_SOURCES.register(ActionSourceKind("inspection", "External inspection", "inspection", order=30,
                                         example="inspection:Ofsted ILACS 2025"))
# Free text until the Section 11 area registers its interviews as the source (it then replaces this line).
ACTION_SOURCES.register(ActionSourceKind("section11", "Section 11 challenge", "section11", order=40,
                                         example="section11:Police 2026"))
ACTION_SOURCES.register(ActionSourceKind(NO_SOURCE, "No source", NO_SOURCE, order=99))

ACTION_TRACKER.provide(TrackerPort())
DEMO_PARTS.register(DemoPart("actions", 40, lazy("app.actions.demo:populate")))
PACK_REPORTS.register(PackReport(
    "actions", "Action log", lazy("app.actions.pack_report:build"), order=10,
    filters=("source", "agency", "source_label", "open_only"),
    description="Actions with their RAG status, overdue first, and a chart by owner"))

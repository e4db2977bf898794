"""What the actions area offers the others: its free-text source kinds, the tracker service, its demo part,
and the action log for meeting packs (once the pack report exists)."""
from __future__ import annotations

from app.actions.tracker_port import TrackerPort
from app.contributions import (
                               ACTION_SOURCES,
                               ACTION_TRACKER,
                               DEMO_PARTS,
                               NO_SOURCE,
                               ActionSourceKind,
                               DemoPart,
                               lazy,
)

ACTION_SOURCES.register(ActionSourceKind("audit", "Multi-agency audit", "audit", order=20,
                                         example="audit:Neglect audit 2025"))
ACTION_SOURCES.register(ActionSourceKind("inspection", "External inspection", "inspection", order=30,
                                         example="inspection:Ofsted ILACS 2025"))
# The Section 11 area registers its interviews as the "section11" source (app/section11/contributions.py).
ACTION_SOURCES.register(ActionSourceKind(NO_SOURCE, "No source", NO_SOURCE, order=99))

ACTION_TRACKER.provide(TrackerPort())
DEMO_PARTS.register(DemoPart("actions", 40, lazy("app.actions.demo:populate")))

"""What the Section 11 area offers the others: its interviews as action sources, its demo part,
and the cycle heat map and status for meeting packs."""

from __future__ import annotations

from app.contributions import (
    ACTION_SOURCES,
    DEMO_PARTS,
    PACK_REPORTS,
    ActionSourceKind,
    DemoPart,
    PackReport,
    lazy,
)

ACTION_SOURCES.register(
    ActionSourceKind(
        "section11",
        "Section 11 challenge",
        "section11",
        order=40,
        resolve=lazy("app.section11.action_source:resolve"),
        locate=lazy("app.section11.action_source:locate"),
        example="section11:CYCLE/AGENCY or section11:CYCLE/AGENCY#N",
        groups=lazy("app.section11.action_source:cycle_groups"),
    )
)
DEMO_PARTS.register(DemoPart("section11", 50, lazy("app.section11.demo:populate")))
PACK_REPORTS.register(
    PackReport(
        "section11",
        "Section 11: heat map and cycle status",
        lazy("app.section11.pack:build"),
        order=40,
        filters=("cycle", "agency"),
        description="Moderated scores of every agency by standard (number or word in each cell), and where each "
        "agency is in the cycle.",
    )
)

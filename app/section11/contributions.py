"""What the Section 11 area offers the others: its interviews as action sources, its demo part,
and the cycle heat map and status for meeting packs."""

from __future__ import annotations

from app.contributions import (
    ACTION_SOURCES,
    DEMO_PARTS,
    PACK_REPORTS,
    ActionSourceKind,
    PackReport,
    demo_part,
    lazy,
)
from app.records.naming import register_kinds

ACTION_SOURCES.register(
    ActionSourceKind.of_records(
        "app.section11.action_source",
        "section11",
        "Section 11 challenge",
        "section11",
        order=40,
        example="section11:CYCLE/AGENCY or section11:CYCLE/AGENCY#N",
        groups="cycle_groups",
    )
)
DEMO_PARTS.register(demo_part("section11", 50))
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

# Record kinds in users' words, for counts, the audit log and conflicts
register_kinds(
    {
        "s11_framework": "Section 11 framework",
        "s11_standard": "Section 11 standard",
        "s11_cycle": "Section 11 cycle",
        "s11_participant": "Agency in a Section 11 cycle",
        "s11_assessment": "Section 11 score",
        "s11_enquiry": "Line of enquiry",
        "s11_interview": "Challenge interview",
        "s11_letter": "Feedback letter",
        "s11_evidence_file": "Section 11 evidence file",
        "s11_settings": "Letter settings",
        "s11_draft": "Interview notes being typed",
    },
    not_counted=("s11_settings", "s11_draft"),
)

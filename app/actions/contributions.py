"""What the actions area offers the others: its free-text source kinds, the tracker service, its demo part,
and the action log for meeting packs (once the pack report exists)."""

from __future__ import annotations

from app.actions.naming import NAMINGS, RULES
from app.actions.tracker_port import TrackerPort
from app.contributions import (
    ACTION_SOURCES,
    ACTION_TRACKER,
    NO_SOURCE,
    ActionSourceKind,
    PackReport,
    ReportFilter,
    agency_filter,
    lazy,
    offer,
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
offer(
    "actions",
    demo_order=40,
    pack_report=PackReport(
        "actions",
        "Action log",
        lazy("app.actions.pack_report:build"),
        order=10,
        filters={
            "body": ReportFilter("Raised at meetings of"),  # the meetings area offers its bodies
            "source": ReportFilter("Source", lambda _session: [(k.label, k.kind) for k in ACTION_SOURCES.all()]),
            "agency": agency_filter("Owner agency"),
            "source_label": ReportFilter("Source name contains"),
            "open_only": ReportFilter("Open actions only", lambda _session: [("Yes", "yes")]),
        },
        description="Actions with their RAG status, overdue first, and a chart by owner",
    ),
    # Conflicts name actions by reference and fields by their form labels; merges keep the closing rules.
    namings=NAMINGS,
    merge_rules=RULES,
)

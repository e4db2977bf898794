"""What the meetings area offers the others: agenda items as action sources, the previous meeting's
minutes as a pack report, and its demo part."""

from __future__ import annotations

from app.contributions import (
    ACTION_SOURCES,
    BUNDLE_WITHHOLDING,
    DEMO_PARTS,
    PACK_REPORTS,
    ActionSourceKind,
    BundleWithholding,
    DemoPart,
    PackReport,
    lazy,
)

ACTION_SOURCES.register(
    ActionSourceKind(
        "meeting_item",
        "Meeting",
        "meeting",
        order=35,
        resolve=lazy("app.meetings.action_source:resolve"),
        locate=lazy("app.meetings.action_source:locate"),
        example="meeting:QA-2026-03-12#3",
    )
)
PACK_REPORTS.register(
    PackReport(
        "minutes",
        "Minutes of the previous meeting",
        lazy("app.meetings.minutes:previous_minutes_report"),
        order=5,
        description="The previous meeting of the same body: attendance, decisions and the actions raised",
    )
)
DEMO_PARTS.register(DemoPart("meetings", 60, lazy("app.meetings.demo:populate")))
BUNDLE_WITHHOLDING.register(BundleWithholding("meetings", lazy("app.meetings.withholding:withheld")))

# Record kinds in users' words, for counts, the audit log and conflicts
from app.contributions import RECORD_NAMING  # noqa: E402
from app.records.naming import kinds  # noqa: E402 - registered with the rest of this module

for _kind in kinds(
    {
        "meeting_body": "Meeting body",
        "meeting": "Meeting",
        "meeting_member": "Meeting member",
        "agenda_item": "Agenda item",
        "meeting_paper": "Meeting paper",
        "meeting_pack": "Meeting pack",
    },
    not_counted=(),
):
    RECORD_NAMING.register(_kind)

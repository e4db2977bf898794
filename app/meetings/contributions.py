"""What the meetings area offers the others: agenda items as action sources, the previous meeting's
minutes as a pack report, and its demo part."""

from __future__ import annotations

from app.contributions import (
    BUNDLE_WITHHOLDING,
    ActionSourceKind,
    BundleWithholding,
    MergeRule,
    PackReport,
    RecordNaming,
    lazy,
    offer,
)
from app.records.naming import register_kinds

BUNDLE_WITHHOLDING.register(BundleWithholding("meetings", lazy("app.meetings.withholding:withheld")))
offer(
    "meetings",
    action_source=ActionSourceKind.of_records(
        "app.meetings.action_source",
        "meeting_item",
        "Meeting",
        "meeting",
        order=35,
        example="meeting:QA-2026-03-12#3",
    ),
    pack_report=PackReport(
        "minutes",
        "Minutes of the previous meeting",
        lazy("app.meetings.minutes:previous_minutes_report"),
        order=5,
        description="The previous meeting of the same body: attendance, decisions and the actions raised",
    ),
    demo_order=60,
    # Approved minutes are frozen: a bundle changing the meeting's record (its items' notes and decisions,
    # attendance) after approval is merged (members converge) and flagged as a conflict to settle.
    merge_rules=[
        MergeRule(
            "meeting-minutes-frozen",
            "meeting",
            lazy("app.meetings.minutes:merge_rule_broken"),
            related={"agenda_item": "meeting_uuid", "meeting_member": "meeting_uuid"},
        )
    ],
    # Record kinds in users' words, for counts, the audit log and conflicts
    namings=[
        RecordNaming(
            "meeting",
            "Meeting",
            lambda _session, meeting: meeting.reference,
            {
                "status": "Status",
                "minutes_hash": "Minutes' approval hash",
                "minutes_approved_on": "Minutes approved on",
                "minutes_approved_at": "Minutes approved at",
                "approved_minutes": "Minutes as approved",
            },
            groups={"status": "Status and the approval of the minutes"},
            values={
                "status": {
                    "planned": "Planned",
                    "pack_issued": "Pack issued",
                    "held": "Held",
                    "minutes_approved": "Minutes approved",
                }
            },
        )
    ],
)
register_kinds(
    {
        "meeting_body": "Meeting body",
        "meeting_member": "Meeting member",
        "agenda_item": "Agenda item",
        "meeting_paper": "Meeting paper",
        "meeting_pack": "Meeting pack",
    }
)

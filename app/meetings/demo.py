"""Demo meetings: a past QA subgroup meeting with minutes and actions, and the coming one with its pack issued.

The coming meeting's agenda mixes attached papers (made here as small PDFs, one
with a landscape page turned by /Rotate as scanners leave them) and reports
generated from the live demo data. All people and papers are invented.
"""

from __future__ import annotations

import io
import random
from datetime import date, timedelta
from typing import Any

from app.meetings import minutes, service
from app.meetings.issue import issue_pack
from app.records import UnitOfWork

MEMBERS = [
    ("Dr Helen Marsh", "Independent Chair", True),
    ("Priya Natarajan", "Children's Social Care", True),
    ("Tom Whitcombe", "Police", True),
    ("Grace Adeyemi", "Health visiting", False),
    ("Owen Pritchard", "Education", False),
    ("Sam Okafor", "Business coordinator", True),
]


def demo_paper(title: str, paragraphs: list[str], *, rotated_page: bool = False) -> bytes:
    """A short paper as an agency would send it (body text; optionally a landscape table page rotated)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    for page in range(2):
        canvas.setFont("Helvetica-Bold", 14)
        canvas.drawString(60, 770, title if page == 0 else f"{title} (continued)")
        text = canvas.beginText(60, 740)
        text.setFont("Times-Roman", 11)
        for paragraph in paragraphs:
            for start in range(0, len(paragraph), 90):
                text.textLine(paragraph[start : start + 90])
            text.textLine("")
        canvas.drawText(text)
        canvas.showPage()
    if rotated_page:
        canvas.setPageSize((A4[1], A4[0]))
        canvas.setFont("Helvetica-Bold", 13)
        canvas.drawString(60, 520, f"{title}: quarterly figures")
        for row in range(8):
            canvas.setFont("Helvetica", 10)
            canvas.drawString(
                60,
                480 - row * 22,
                f"Quarter {row % 4 + 1}   Referrals {120 + row * 7}   "
                f"Re-referrals {14 + row}   Assessments in time {80 + row}%",
            )
        canvas.showPage()
    canvas.save()
    if not rotated_page:
        return buffer.getvalue()
    import pikepdf

    pdf = pikepdf.open(io.BytesIO(buffer.getvalue()))
    pdf.pages[-1].obj.Rotate = 90  # a scanned landscape page, stored turned
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True)
    return out.getvalue()


#: The demo's two QA meetings, counted from the day the demo is built (tests name them by date).
HELD_DAYS_AGO = 42
COMING_IN_DAYS = 10


def populate(uow: UnitOfWork, rng: random.Random, context: dict[str, Any]) -> None:
    del rng
    service.ensure_default_bodies(uow)
    today = date.today()
    agencies = context.get("agencies", {})
    past = service.add_meeting(
        uow,
        body="QA",
        meets_on=today - timedelta(days=HELD_DAYS_AGO),
        start_time="10:00",
        venue="Committee Room 2, Northbridge Civic Centre",
        chair="Dr Helen Marsh",
    )
    coming = service.add_meeting(
        uow,
        body="QA",
        meets_on=today + timedelta(days=COMING_IN_DAYS),
        start_time="10:00",
        venue="Committee Room 2, Northbridge Civic Centre",
        chair="Dr Helen Marsh",
    )
    for meeting in (past, coming):
        for name, role, cleared in MEMBERS:
            service.add_member(uow, meeting.uuid, name, role=role, cleared_restricted=cleared)
    uow.session.flush()
    # a member who is also a trusted exchange contact (the exchange demo's Chair) gets a sealed copy of the pack
    contacts = set(service.exchange_contacts(uow.session))
    for member in service.members(uow.session, coming.uuid):
        if member.name in contacts:
            service.set_member_contact(uow, member.uuid, member.name)

    # the past meeting: held, notes, decisions and an action into the tracker
    attendance = ["present", "present", "apologies", "present", "absent", "present"]
    for member, state in zip(service.members(uow.session, past.uuid), attendance, strict=False):
        service.set_attendance(uow, member.uuid, state)
    neglect = service.add_item(
        uow, past.uuid, "Neglect audit: findings", presenter="Priya Natarajan", purpose="decision", minutes_allowed=20
    )
    service.add_item(uow, past.uuid, "Action log", presenter="Sam Okafor", purpose="information")
    uow.session.flush()
    minutes.record_item(
        uow,
        neglect.uuid,
        notes="The audit of 12 cases found graded care profiles used in 5. Members discussed "
        "training capacity and the health visiting escalation route.",
        decisions="Graded care profile to be used in every neglect assessment from next quarter.",
    )
    if "CSC" in agencies:
        minutes.raise_action(
            uow,
            neglect.uuid,
            title="Roll out the graded care profile to all assessment teams",
            owner_agency_uuid=agencies["CSC"].uuid,
            due=today + timedelta(days=60),
            lead_officer="Priya Natarajan",
        )
    minutes.mark_held(uow, past.uuid)

    # the coming meeting: agenda with attached papers and live reports, and its pack issued
    items = [
        ("Minutes of the last meeting and matters arising", "Dr Helen Marsh", "decision", 10, False, ["minutes"]),
        ("Action log", "Sam Okafor", "information", 15, False, ["actions"]),
        ("Reviews register and statutory clocks", "Case Review chair", "information", 10, False, ["reviews"]),
        ("Performance data: the quarter's exceptions", "Sam Okafor", "discussion", 20, False, ["performance"]),
        ("Neglect audit: re-audit plan", "Priya Natarajan", "decision", 20, False, ["paper:neglect"]),
        ("Exploitation case audit (named cases)", "Tom Whitcombe", "discussion", 20, True, ["paper:exploitation"]),
    ]
    for title, presenter, purpose, minutes_allowed, restricted, papers in items:
        item = service.add_item(
            uow,
            coming.uuid,
            title,
            presenter=presenter,
            purpose=purpose,
            minutes_allowed=minutes_allowed,
            restricted=restricted,
        )
        uow.session.flush()
        for paper in papers:
            if paper == "paper:neglect":
                data = demo_paper(
                    "Neglect re-audit plan",
                    [
                        "Purpose: to agree the scope and timing of the neglect re-audit.",
                        "The re-audit will sample 15 cases across children's social care, health visiting and "
                        "schools, and test whether the graded care profile is now used consistently.",
                        "Members are asked to nominate auditors by the end of the month.",
                    ],
                    rotated_page=True,
                )
                service.add_file_paper(
                    uow, item.uuid, "neglect-re-audit-plan.pdf", data, title="Neglect re-audit plan", today=today
                )
            elif paper == "paper:exploitation":
                data = demo_paper(
                    "Exploitation case audit",
                    [
                        "Restricted: this paper discusses three children by pseudonym (Child P, Child Q, Child R).",
                        "Return-home interviews were offered within 72 hours in one of the three cases.",
                        "Recommendation: a joint missing-from-home protocol review by police and social care.",
                    ],
                )
                service.add_file_paper(
                    uow, item.uuid, "exploitation-audit.pdf", data, title="Exploitation case audit", today=today
                )
            else:
                service.add_report_paper(uow, item.uuid, paper, today=today)
    uow.session.flush()
    issue_pack(uow, coming.uuid, today=today)
    context["meetings"] = {"past": past, "coming": coming}

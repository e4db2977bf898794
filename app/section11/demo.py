"""The Section 11 share of the fictional demo: last year's cycle (closed) and this year's (under way).

Dates are relative to today, so "late" and "next" always show something. Last
year the Housing and Probation services were red on some standards and agreed
actions that are still open; this year the Police over-rated themselves, the
Emergency Department's answers were carried forward, the Children's Social Care
interview is done (letter drafted) and the Health Visiting one is booked.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from app.records import UnitOfWork
from app.section11 import cycles, enquiry, interview, letters, moderation
from app.section11 import status as st
from app.section11.frameworks import (
    add_standard,
    copy_framework,
    ensure_shipped,
    standards_of,
)
from app.section11.ids import framework_id
from db.models.section11 import S11Assessment, S11Participant, S11Standard

#: per agency: last year's moderated scores for the eight classic standards
LAST_YEAR = {
    "CSC": [3, 2, 3, 2, 2, 3, 3, 2],
    "Police": [2, 2, 2, 1, 2, 3, 2, 2],
    "HV": [3, 3, 2, 2, 3, 3, 3, 3],
    "GP": [2, 2, 1, 1, 1, 2, 2, 2],
    "ED": [2, 2, 2, 1, 2, 3, 2, 1],
    "School": [3, 3, 3, 2, 3, 3, 2, 2],
    "Housing": [0, 1, 1, 1, 0, 1, 2, 1],
    "Probation": [2, 1, 2, 0, 1, 2, 1, 2],
}
#: this year: (self, moderated) per standard (nine: the copied eight plus "listening to children")
THIS_YEAR = {
    "CSC": ([3, 3, 3, 2, 3, 3, 3, 3, 2], [3, 2, 3, 2, 3, 3, 3, 3, 2]),
    "Police": ([3, 3, 3, 3, 3, 3, 3, 3, 3], [2, 2, 1, 0, 2, 3, 2, 2, 1]),
    "HV": ([3, 3, 3, 2, 3, 3, 3, 3, 3], [3, 3, 2, 2, 3, 3, 3, 3, 3]),
    "GP": ([2, 2, 2, 2, 2, 2, 2, 2, 1], [2, 2, 1, 2, 1, 2, 2, 2, 0]),
    "ED": ([2, 2, 2, 1, 2, 3, 2, 1, 1], None),
    "Housing": ([2, 2, 1, 1, 1, 2, 2, 1, 1], None),
}
REASONS = {
    "Police": "Evidence describes intentions rather than practice; no audit of impact was offered.",
    "CSC": "Policy review date has passed; the refresh is drafted but not yet approved.",
    "HV": "Accountability chart predates the restructure; deputies not named.",
    "GP": "No named lead for safeguarding supervision across the practice.",
}
#: evidence a return offers, per standard number (the classic eight, then "listening to children")
EVIDENCE = {
    1: ["Annual safeguarding report to the board (May)", "Safeguarding is a standing item of the executive meeting"],
    2: ["Policy reviewed and approved at the executive meeting", "Job descriptions name safeguarding duties"],
    3: ["Accountability chart naming the lead and deputies", "Named lead's quarterly report to the chief officer"],
    4: ["Feedback from 45 families through the text survey", "Young people's panel reviewed the leaflet"],
    5: ["Training dashboard: 87% compliant at level 2", "Induction checklist includes safeguarding training"],
    6: ["Single central record checked by HR each term", "Safer recruitment trained managers on every panel"],
    7: ["Escalation log with 6 entries, all resolved", "Attendance at strategy meetings audited: 92%"],
    8: ["Information sharing guide issued to all teams", "Case file audit of 20 records, quarter 2"],
    9: ["Case audit: the child's words recorded in 15 of 20 plans", "Children's participation report to the board"],
}
IMPACT = [
    "Referrals from frontline staff rose by 12%",
    "Families report feeling listened to in 8 of 10 responses",
    "Audit shows information shared the same day in 17 of 20 cases",
    "",
]


def _self_assess(
    uow: UnitOfWork,
    rng: random.Random,
    part: S11Participant,
    standard: S11Standard,
    score: int,
    improvement: str,
    target: date | None,
) -> S11Assessment:
    """An agency's score of a standard, with evidence and impact drawn at random."""
    return moderation.record_self_assessment(
        uow,
        part.uuid,
        standard.uuid,
        score=score,
        evidence=rng.choice(EVIDENCE[standard.number]),
        impact=rng.choice(IMPACT),
        improvement=improvement,
        target_date=target,
    )


def _moderate(
    uow: UnitOfWork, part: S11Participant, standard: S11Standard, self_score: int, score: int, reason: str, on: date
) -> None:
    """The QA panel's score; the `reason` is given only where it differs from the agency's own."""
    moderation.moderate(
        uow, part.uuid, standard.uuid, score, "" if score == self_score else reason, moderated_by="QA panel", today=on
    )


def populate(uow: UnitOfWork, rng: random.Random, context: dict[str, Any]) -> None:
    agencies = context["agencies"]
    today = date.today()
    ensure_shipped(uow)
    classic = framework_id("classic")
    ordered = ["CSC", "Police", "HV", "GP", "ED", "School", "Housing", "Probation"]

    last = cycles.add_cycle(
        uow,
        name=f"Section 11 audit {today.year - 1}",
        period_start=today - timedelta(days=730),
        period_end=today - timedelta(days=366),
        framework="classic",
        scale_key="score-0-3",
        return_due=today - timedelta(days=420),
        panel_date=today - timedelta(days=400),
        interview_from=today - timedelta(days=390),
        interview_to=today - timedelta(days=370),
        agencies=[agencies[s].name for s in ordered],
    )
    last_standards = standards_of(uow.session, classic)
    last_parts = {s: cycles.find_participant(uow.session, last.uuid, s) for s in ordered}
    for short, scores in LAST_YEAR.items():
        part = last_parts[short]
        for standard, score in zip(last_standards, scores, strict=False):
            self_score = min(3, score + (1 if rng.random() < 0.3 else 0))
            plan = "" if score >= 2 else "Action plan to follow"  # as the panel's score, not the agency's, says
            _self_assess(uow, rng, part, standard, self_score, plan, None)
            _moderate(
                uow,
                part,
                standard,
                self_score,
                score,
                "Evidence did not show this in practice.",
                today - timedelta(days=400),
            )
    for short, actions in (
        (
            "Housing",
            [
                ("Appoint a board-level safeguarding lead and report to the board quarterly", 1, 0),
                ("Safer recruitment training for all recruiting managers", 6, 1),
                ("Introduce a whistleblowing route for contractors", 2, 2),
            ],
        ),
        (
            "Probation",
            [
                ("Train case managers on the partnership escalation policy", 7, 0),
                ("Show safeguarding discussion in supervision records for cases with children", 4, 1),
            ],
        ),
    ):
        part = last_parts[short]
        enquiry.suggest_lines(uow, part.uuid)
        booked = interview.book_interview(
            uow,
            part.uuid,
            on=today - timedelta(days=380),
            start_time="10:00",
            place=f"{agencies[short].name}, main office",
            attendees=[
                {"name": "Dr Helen Marsh", "role": "Independent Chair", "kind": "chair"},
                {"name": "Priya Nair", "role": "QA panel member", "kind": "panel"},
                {"name": "Director of Operations", "role": "Board lead", "kind": "agency"},
            ],
            today=today - timedelta(days=380),
        )
        interview.update_interview(
            uow,
            booked.uuid,
            notes="Frank discussion; leaders accepted the gaps.",
            strengths="Open about where they are.",
            challenges="Leadership oversight of safeguarding is weak.",
        )
        interview.mark_held(uow, booked.uuid, held_on=today - timedelta(days=380), today=today - timedelta(days=380))
        lines = {ln.standard_number: ln for ln in enquiry.lines_of_enquiry(uow.session, part.uuid)}
        for title, number, months in actions:
            line = lines.get(number)
            interview.agree_action(
                uow,
                part.uuid,
                title=title,
                due=today + timedelta(days=30 + 60 * months),
                enquiry_uuid=line.uuid if line else None,
                lead_officer="Head of Service",
            )
    for part in last_parts.values():
        cycles.set_status(uow, part.uuid, st.CLOSED, today=today - timedelta(days=300))
    cycles.edit_cycle(uow, last.uuid, closed=True)

    copy = copy_framework(
        uow,
        classic,
        version_label=str(today.year),
        # nine standards now: "classic eight" beside "9 of 9" in the register read as a mistake
        name="Section 11 standards (classic eight and the child's voice)",
    )
    add_standard(
        uow,
        copy.uuid,
        title="Children are listened to and their views change what happens",
        good_practice="Children's wishes and feelings are recorded in their own words and make a "
        "visible difference to plans and to services.",
        questions=["Show us a plan where the child's words changed the decision."],
        evidence_prompts=["Case audit of the child's voice", "Children's participation reports"],
    )
    this = cycles.add_cycle(
        uow,
        name=f"Section 11 audit {today.year}",
        period_start=today - timedelta(days=365),
        period_end=today + timedelta(days=60),
        framework=copy.uuid,
        scale_key="score-0-3",
        return_due=today - timedelta(days=40),
        panel_date=today - timedelta(days=20),
        interview_from=today - timedelta(days=10),
        interview_to=today + timedelta(days=50),
        previous_cycle_uuid=last.uuid,
        agencies=[agencies[s].name for s in ordered],
    )
    now_standards = standards_of(uow.session, copy.uuid)
    parts = {s: cycles.find_participant(uow.session, this.uuid, s) for s in ordered}
    for short in ordered:
        cycles.advance(uow, parts[short], st.SENT, today=today - timedelta(days=70))
    for short, (selfs, moderated) in THIS_YEAR.items():
        part = parts[short]
        carried = short == "ED"
        for standard, score in zip(now_standards, selfs, strict=False):
            plan, target = (
                ("", None) if score >= 2 else ("Refresh the plan with named leads", today + timedelta(days=120))
            )
            assessment = _self_assess(uow, rng, part, standard, score, plan, target)
            if carried and standard.number <= 8:
                uow.update(assessment, carried_forward=True, audit=False)
        uow.update(
            part,
            returned_on=today - timedelta(days=35 if short != "Housing" else 5),
            return_version=1,
            summary="Return received",
        )
        cycles.advance(uow, part, st.RETURNED, today=today - timedelta(days=35))
        if moderated:
            for standard, self_score, score in zip(now_standards, selfs, moderated, strict=False):
                _moderate(uow, part, standard, self_score, score, REASONS[short], today - timedelta(days=20))
    # the Chair's interviews: Children's Social Care held, Health Visiting booked, Police to book
    csc, hv = parts["CSC"], parts["HV"]
    for part in (csc, hv, parts["Police"], parts["Housing"]):
        enquiry.suggest_lines(uow, part.uuid)
    held = interview.book_interview(
        uow,
        csc.uuid,
        on=today - timedelta(days=6),
        start_time="14:00",
        place="Civic Centre, Room 3.12",
        attendees=[
            {"name": "Dr Helen Marsh", "role": "Independent Chair", "kind": "chair"},
            {"name": "Tom Adeyemi", "role": "QA panel member (Health)", "kind": "panel"},
            {"name": "Ms Carol Ndiaye", "role": "Director of Children's Services", "kind": "agency"},
            {"name": "Mr Dev Raman", "role": "Head of Quality Assurance (Section 11 lead)", "kind": "agency"},
        ],
        today=today - timedelta(days=15),
    )
    enquiry.add_line(uow, csc.uuid, "How will the new front door change the timeliness of strategy discussions?")
    promised = iter(
        [
            ("Approved policy and the briefing attendance list", 30),
            ("Front door timeliness report for the last two quarters", 45),
        ]
    )
    for line in enquiry.lines_of_enquiry(uow.session, csc.uuid):
        evidence, days = next(promised, ("", 0))
        interview.record_line(
            uow,
            line.uuid,
            question_asked=line.prompt,
            answer="The refreshed policy goes to the executive next month; interim guidance is "
            "on the intranet and team managers have briefed staff."
            if line.standard_number
            else "Strategy discussions within one working day in 78% of cases, up from 61%.",
            evidence_promised=evidence,
            evidence_due=today + timedelta(days=days) if days else None,
            judgement=2 if line.standard_number else None,
            judgement_note="Credible plan; needs the approval date confirmed.",
        )
    interview.update_interview(
        uow,
        held.uuid,
        notes="The Director was open about the policy slipping. Strong practice on "
        "recruitment and information sharing.",
        strengths="Safer recruitment is consistently strong.\nInformation sharing with "
        "schools has improved and is evidenced by audit.",
        challenges="The safeguarding policy's review date has passed.\nThe child's voice "
        "is recorded but its effect on plans is not yet shown.",
    )
    interview.mark_held(uow, held.uuid, held_on=today - timedelta(days=6), today=today - timedelta(days=6))
    lines = enquiry.lines_of_enquiry(uow.session, csc.uuid)  # type: ignore[assignment]  # reused name: the CSC lines now
    interview.agree_action(
        uow,
        csc.uuid,
        title="Approve and publish the refreshed safeguarding policy",
        due=today + timedelta(days=45),
        enquiry_uuid=lines[0].uuid if lines else None,
        lead_officer="Head of Quality Assurance",
        success_measure="Policy approved and on the website",
    )
    interview.book_interview(
        uow,
        hv.uuid,
        on=today + timedelta(days=9),
        start_time="09:30",
        place="Health Centre, Meeting room 2",
        attendees=[
            {"name": "Dr Helen Marsh", "role": "Independent Chair", "kind": "chair"},
            {"name": "Mrs Joanne Pryce", "role": "Named Nurse for Safeguarding (agency lead)", "kind": "agency"},
        ],
        today=today - timedelta(days=3),
    )
    letters.save_letter_settings(
        uow,
        partnership_name="Northbridge Safeguarding Children Partnership",
        letterhead="Partnership Business Unit\nCivic Centre, Market Street\nNorthbridge NB1 2AA\n"
        "nscp@northbridge.example",
        signatory_name="Dr Helen Marsh",
        signatory_role="Independent Chair and Scrutineer",
    )
    uow.update(csc, contact_name="Ms Amira Khan", audit=False)
    letters.draft_letter(uow, csc.uuid)
    context["section11"] = {"last_cycle": last.uuid, "this_cycle": this.uuid, "held": csc.uuid, "booked": hv.uuid}

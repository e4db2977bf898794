"""Demo action plan: about 60 actions from reviews, audits and inspections.

Section 11 actions come from the Section 11 demo, agreed in its interviews and so
linked to the cycle, agency, standard and interview (a label-only copy here read
as the same action twice in the tracker).

Dates are relative to today so that the RAG spread stays realistic whenever the
demo is created: some overdue, some due within 28 days, some closed with
evidenced impact. All people and events are invented.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from app.actions.rag import Rag
from app.actions.service import (
    Closure,
    add_action,
    add_progress,
    attach_evidence,
    override_rag,
    set_status,
)
from app.actions.sources import AUDIT, INSPECTION, NONE, SourceRef
from app.actions.status import (
    AT_RISK,
    AWAITING_EVIDENCE,
    CLOSED_EVIDENCED,
    CLOSED_NOT_ACHIEVED,
    IN_PROGRESS,
    NOT_STARTED,
    OFF_TRACK,
    ON_TRACK,
)
from app.records import UnitOfWork

CHAIR = "Dr Helen Marsh (Independent Chair)"
LEADS = [
    "Priya Natarajan",
    "Tom Whitcombe",
    "Grace Adeyemi",
    "Owen Pritchard",
    "Lucy Brennan",
    "Marcus Hale",
    "Fatima Qureshi",
    "Daniel Osei",
    "Rachel Lindqvist",
    "Ian McBride",
]

# (source kind, source label, [(agency, action, success measure), ...])
PLAN: list[tuple[str, str, list[tuple[str, str, str]]]] = [
    (
        INSPECTION,
        "Ofsted ILACS 2025",
        [
            (
                "CSC",
                "Strengthen management oversight of child in need plans with monthly supervision audits",
                "90% of sampled CIN cases show recorded management direction within 20 working days",
            ),
            (
                "CSC",
                "Reduce social worker caseloads in the assessment team to 18 or fewer",
                "Average caseload at or below 18 for three consecutive months",
            ),
            (
                "CSC",
                "Record the child's lived experience in every assessment",
                "Quarterly audit shows the child's voice recorded in 85% of assessments",
            ),
            (
                "Police",
                "Attend every initial child protection conference or send a written report",
                "Police attendance or report at 95% of ICPCs",
            ),
            (
                "HV",
                "Share health visiting chronologies at strategy discussions",
                "Health information available at 90% of strategy discussions",
            ),
            (
                "School",
                "Train designated safeguarding leads on neglect thresholds",
                "All DSLs trained; referral quality rated good in the next audit",
            ),
        ],
    ),
    (
        INSPECTION,
        "CQC health visiting inspection 2025",
        [
            (
                "HV",
                "Introduce a neglect screening tool at every new birth visit",
                "Tool used at 95% of new birth visits within six months",
            ),
            (
                "HV",
                "Review supervision arrangements for health visitors holding safeguarding caseloads",
                "Every practitioner receives safeguarding supervision every three months",
            ),
            (
                "GP",
                "Code safeguarding concerns consistently in GP records",
                "Practice audit shows consistent coding in 90% of flagged records",
            ),
        ],
    ),
    (
        INSPECTION,
        "HMICFRS child protection inspection 2024",
        [
            (
                "Police",
                "Improve the timeliness of strategy discussions for children at risk of exploitation",
                "80% held within one working day of referral",
            ),
            (
                "Police",
                "Ensure officers record the child's demeanour and words at domestic abuse incidents",
                "Dip sample shows the child's voice recorded at 75% of incidents",
            ),
            (
                "Police",
                "Review missing-from-home return interview referrals",
                "Return interviews offered within 72 hours in 90% of episodes",
            ),
            (
                "CSC",
                "Joint protocol with police for children missing from care",
                "Protocol signed off and used in every missing episode audit sample",
            ),
        ],
    ),
    (
        AUDIT,
        "Multi-agency audit: neglect (March 2026)",
        [
            (
                "CSC",
                "Use the graded care profile in every neglect assessment",
                "GCP completed in 80% of neglect assessments",
            ),
            (
                "HV",
                "Escalate concerns when families do not engage with health visiting",
                "Escalation policy used in every audited non-engagement case",
            ),
            (
                "School",
                "Record attendance concerns alongside neglect indicators",
                "Attendance data shared at 90% of core groups",
            ),
            (
                "GP",
                "Follow up children who are not brought to appointments",
                "Was-not-brought policy applied in every audited case",
            ),
            (
                "Housing",
                "Refer families in poor housing conditions to early help",
                "Housing referrals to early help recorded monthly",
            ),
            (
                "ED",
                "Check the child protection information system for every child attending the ED",
                "CP-IS checked in 98% of paediatric attendances",
            ),
        ],
    ),
    (
        AUDIT,
        "Multi-agency audit: child exploitation (2025)",
        [
            (
                "Police",
                "Map peer networks for every child open to the exploitation panel",
                "Network map on file for every child discussed at panel",
            ),
            (
                "CSC",
                "Apply contextual safeguarding assessments to locations of concern",
                "Location assessments completed for all hotspots named by the panel",
            ),
            (
                "School",
                "Share exclusion decisions with the exploitation panel",
                "Panel notified of every permanent exclusion within five days",
            ),
            (
                "Probation",
                "Identify adults under supervision who pose a risk to children in exploitation cases",
                "Risk flags shared with the panel in every relevant case",
            ),
        ],
    ),
    (
        AUDIT,
        "Multi-agency audit: domestic abuse and unborn babies (2025)",
        [
            (
                "HV",
                "Ask about domestic abuse at every antenatal contact",
                "Routine enquiry recorded at 90% of antenatal contacts",
            ),
            (
                "ED",
                "Refer pregnant women disclosing domestic abuse to the MARAC",
                "Referral made in every audited disclosure",
            ),
            (
                "Probation",
                "Share perpetrator risk information with children's social care pre-birth",
                "Information shared in every pre-birth assessment with a known perpetrator",
            ),
            (
                "CSC",
                "Start pre-birth assessments by 20 weeks of pregnancy",
                "Pre-birth assessments started by 20 weeks in 80% of cases",
            ),
        ],
    ),
    (
        NONE,
        "",
        [
            ("CSC", "Refresh the partnership threshold document", "Document published and briefed to all partners"),
            (
                "Police",
                "Publish a one-minute guide on information sharing",
                "Guide downloaded and referenced in training evaluations",
            ),
        ],
    ),
]

REVIEW_ACTIONS = [
    (
        "CSC",
        "Embed the practice guidance from the review in team learning sessions",
        "Audit shows the learning applied in 80% of sampled cases",
    ),
    (
        "HV",
        "Share information about fathers and partners at every transfer in",
        "Transfer-in records name every adult in the household in 90% of cases",
    ),
    (
        "Police",
        "Review how domestic abuse notifications reach schools",
        "Operation Encompass notifications sent before 9am in 95% of cases",
    ),
    ("GP", "Flag children of parents with substance misuse in GP records", "Flag present in every audited case"),
    (
        "School",
        "Record and act on children's disclosures the same day",
        "DSL log shows same-day action in every audited disclosure",
    ),
    ("ED", "Ask who has parental responsibility at every infant attendance", "Recorded in 95% of under-1 attendances"),
    (
        "Housing",
        "Share tenancy risk information with the MASH",
        "MASH receives housing information in every relevant enquiry",
    ),
]

PROGRESS_NOTES = [
    "Task and finish group met; draft plan agreed.",
    "Briefing delivered to team managers.",
    "Dip sample of 20 cases completed; findings to the next QA subgroup.",
    "Policy redrafted and out for consultation with partners.",
    "Training dates booked; 60% of staff enrolled.",
    "Delayed by staff vacancies; revised plan to the next meeting.",
    "Data collection started; first figures expected next quarter.",
    "Agreed with the lead officer to re-audit in three months.",
]

IMPACT_EVIDENCE = [
    "Re-audit of 30 cases: the practice was seen in 26 (87%), up from 11 (37%) at baseline.",
    "Quarterly data: timeliness rose from 58% to 84% and held for two quarters.",
    "Practitioner survey (n=74): 81% now use the tool routinely; case audit confirms use in 24 of 28 files.",
    "Families' feedback at review meetings shows plans explained in plain language in 9 of 10 cases.",
]


def _recommendation_sources(context: dict[str, Any]) -> list[SourceRef]:
    """The reviews demo's recommendations, when the reviews area ran before us."""
    return list(context.get("recommendation_sources", []))


def _fallback_review_sources() -> list[SourceRef]:
    return [
        SourceRef(AUDIT, "Rapid review learning: Child D (2025)"),
        SourceRef(AUDIT, "Rapid review learning: Baby E (2026)"),
    ]


def _plan(uow: UnitOfWork, context: dict[str, Any]) -> list[tuple[SourceRef, str, str, str]]:
    plan = [
        (SourceRef(kind, label), agency, title, measure)
        for kind, label, items in PLAN
        for agency, title, measure in items
    ]
    reviews = _recommendation_sources(context) or _fallback_review_sources()
    for index in range(60 - len(plan)):
        source = reviews[index % len(reviews)]
        agency, title, measure = REVIEW_ACTIONS[index % len(REVIEW_ACTIONS)]
        plan.append((source, agency, title, measure))
    return plan


def _state(rng: random.Random, today: date) -> tuple[str, str, date]:
    """A status, a progress flag and a due date, in proportions a partnership would recognise."""
    roll = rng.random()
    if roll < 0.15:  # not started: some due soon (amber), some later (green), one or two overdue
        return NOT_STARTED, ON_TRACK, today + timedelta(days=rng.choice([-6, 5, 12, 20, 27, 45, 75, 110]))
    if roll < 0.52:  # in progress: mostly on track, some at risk, some off track or overdue
        track = rng.choices([ON_TRACK, AT_RISK, OFF_TRACK], weights=[6, 3, 1])[0]
        return IN_PROGRESS, track, today + timedelta(days=rng.choice([-40, -9, 3, 14, 30, 60, 90, 150, 200]))
    if roll < 0.67:
        return AWAITING_EVIDENCE, ON_TRACK, today - timedelta(days=rng.randint(5, 60))
    if roll < 0.90:
        return CLOSED_EVIDENCED, ON_TRACK, today - timedelta(days=rng.randint(60, 300))
    return CLOSED_NOT_ACHIEVED, ON_TRACK, today - timedelta(days=rng.randint(30, 200))


def populate(uow: UnitOfWork, rng: random.Random, context: dict[str, Any]) -> None:
    today = date.today()
    agencies = context["agencies"]
    created = []
    for source, agency, title, measure in _plan(uow, context):
        status, track, due = _state(rng, today)
        action = add_action(
            uow,
            title=title,
            owner=agencies[agency].short_name,
            due=due,
            source=source,
            lead_officer=rng.choice(LEADS),
            success_measure=measure,
            track=track,
            today=due - timedelta(days=rng.randint(120, 240)),
            audit=False,
        )
        start = action.created_on
        for step in range(0 if status == NOT_STARTED else rng.randint(1, 3)):
            written = min(today, start + timedelta(days=30 * (step + 1)))
            add_progress(
                uow,
                action,
                rng.choice(PROGRESS_NOTES),
                author=action.lead_officer or "Sam Okafor",
                written_on=written,
                audit=False,
            )
        if status == IN_PROGRESS:
            uow.update(action, audit=False, status=IN_PROGRESS)
        elif status == AWAITING_EVIDENCE:
            uow.update(action, audit=False, status=AWAITING_EVIDENCE)
        elif status == CLOSED_EVIDENCED:
            uow.update(action, audit=False, impact_evidence=rng.choice(IMPACT_EVIDENCE))
            meeting_day = due + timedelta(days=rng.randint(14, 50))
            set_status(
                uow,
                action,
                CLOSED_EVIDENCED,
                Closure(CHAIR, "QA subgroup", min(meeting_day, today)),
            )
        elif status == CLOSED_NOT_ACHIEVED:
            set_status(
                uow,
                action,
                CLOSED_NOT_ACHIEVED,
                Closure(
                    CHAIR,
                    "Case Review subgroup",
                    min(due + timedelta(days=21), today),
                    reason=rng.choice(
                        [
                            "Superseded by the partnership's new neglect strategy.",
                            "Service recommissioned; action transferred to the new provider's plan.",
                        ]
                    ),
                ),
            )
        created.append(action)
    evidenced = next(a for a in created if a.status == CLOSED_EVIDENCED)
    attach_evidence(
        uow,
        evidenced,
        "re-audit-summary.txt",
        b"Re-audit summary (fictional): practice seen in 26 of 30 cases.\n",
        added_by="Sam Okafor",
        added_on=evidenced.approved_on,
    )
    at_risk = next((a for a in created if a.status == IN_PROGRESS and a.track == ON_TRACK), None)
    if at_risk is not None:
        override_rag(uow, at_risk, Rag.AMBER, "Lead officer on long-term leave; subgroup judged the action at risk.")
    uow.audit.append("create", "action", "demo", f"Demo action plan: {len(created)} actions")
    context["actions"] = created

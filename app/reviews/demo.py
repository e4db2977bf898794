"""Demo reviews: a local child safeguarding practice review of "Child A" with about
300 chronology entries from six agencies, key practice episodes, a glossary,
findings and recommendations; and a rapid review notified a few working days ago,
so the register shows a clock due soon. Every person, place and event is invented.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from app.chronology.anonymise import add_term
from app.chronology.import_service import bulk_insert_entries
from app.chronology.people import add_person
from app.chronology.service import date_key, suggest_duplicate
from app.contributions import SourceRef
from app.dates import workdays
from app.dates.fuzzy import FuzzyDate
from app.records import UnitOfWork
from app.reviews.action_source import REVIEW_RECOMMENDATION, recommendation_label
from app.reviews.analysis import add_episode, add_finding, add_recommendation
from app.reviews.register import add_review, set_milestone
from db.models.reviews import EntryEpisodeLink, link_uuid

SCOPE_FROM, SCOPE_TO = date(2021, 3, 1), date(2024, 2, 29)
CHILD_DOB = date(2019, 6, 14)

GLOSSARY = [
    ("Kerry Dawson", "Mother"),
    ("Ms Dawson", "Mother"),
    ("Jordan Pike", "Mother's partner"),
    ("Mr Pike", "Mother's partner"),
    ("Lily Dawson", "Child A"),
    ("Lily", "Child A"),
    ("Dr Priya Anand", "GP1"),
    ("Ruth Nagle", "Social worker 1"),
    ("PC Mark Ellery", "Police officer 1"),
    ("Helen Crowther", "HV1"),
    ("Mrs Okoro", "Class teacher"),
    ("Larchfield Road", "the family home"),
]

#: The people register: (real name, pseudonym, role, other names)
PEOPLE = [
    ("Lily Dawson", "Child A", "child", []),
    ("Kerry Dawson", "Mother", "mother", ["Ms Dawson"]),
    ("Jordan Pike", "Mother's partner", "partner", []),
    ("Priya Anand", "GP1", "GP", []),
    ("Ruth Nagle", "Social worker 1", "social worker", []),
    ("Mark Ellery", "Police officer 1", "police officer", []),
    ("Helen Crowther", "HV1", "health visitor", []),
    ("Okoro", "Class teacher", "teacher", []),
]

#: agency -> (source of information, [(event, action/outcome, child seen?)])
TEMPLATES: dict[str, tuple[list[str], list[tuple[str, str, bool | None]]]] = {
    "HV": (
        ["HV1 diary", "Health visiting record", "HV1 contact note"],
        [
            (
                "Home visit by Helen Crowther; Kerry Dawson and Lily present",
                "Development review completed; advice on sleep routine",
                True,
            ),
            ("Telephone contact with Ms Dawson about missed appointment", "Appointment rebooked", False),
            ("Home visit: no answer at Larchfield Road", "Card left; follow-up letter sent", False),
            ("Clinic attendance with Mother; weight checked", "Growth on 25th centile; no concerns recorded", True),
            (
                "Home visit; Mr Pike present and answered most questions",
                "Mother not seen alone; no follow-up planned",
                True,
            ),
        ],
    ),
    "GP": (
        ["GP record", "Practice notes (Dr Priya Anand)", "GP1 consultation note"],
        [
            (
                "Consultation: Lily brought with cough and bruise to shin",
                "Explanation accepted (fall at nursery); no referral",
                True,
            ),
            ("Mother's consultation: low mood, poor sleep", "Antidepressant started; review in 4 weeks", False),
            ("Did not attend booked immunisation", "Letter sent to Mother", False),
            ("Repeat prescription requested by telephone", "Issued without review", False),
            ("Consultation: Mother reports arguments at home", "Signposted to domestic abuse helpline", False),
        ],
    ),
    "Police": (
        ["Police command and control log", "PPU record", "PC Mark Ellery statement"],
        [
            (
                "Call from neighbour: shouting at Larchfield Road",
                "Officers attended; verbal argument only; DASH risk standard",
                True,
            ),
            (
                "Domestic incident: Mr Pike arrested for common assault on Ms Dawson",
                "Released under investigation; referral to CSC",
                False,
            ),
            ("Strategy discussion with children's social care", "Section 47 enquiry agreed", None),
            ("Welfare check at the family home", "Child seen asleep; no concerns recorded", True),
            ("Breach of bail conditions reported by Mother", "Mr Pike not located", False),
        ],
    ),
    "CSC": (
        ["Case record (Ruth Nagle)", "MASH record", "Social worker 1 case note"],
        [
            ("Referral received from police after domestic incident", "MASH screening; assessment started", None),
            ("Home visit by Ruth Nagle; Lily seen with Mother", "Child and family assessment continues", True),
            ("Strategy discussion with police and health", "Section 47 enquiry agreed", None),
            ("Child in need meeting", "Plan agreed: parenting support and domestic abuse work", False),
            ("Case closed to children's social care", "Step-down to early help", False),
        ],
    ),
    "ED": (
        ["ED attendance record", "ED triage note", "Paediatric liaison note"],
        [
            (
                "Attendance: Lily with head injury after fall from sofa",
                "Observed 4 hours and discharged; liaison form to HV",
                True,
            ),
            (
                "Attendance: Mother with facial injury, said she walked into a door",
                "Treated and discharged; no safeguarding questions recorded",
                False,
            ),
            ("Attendance: Lily with burn to hand", "Dressing applied; paediatric review; history consistent", True),
        ],
    ),
    "School": (
        ["School safeguarding log", "Class teacher note (Mrs Okoro)", "DSL record"],
        [
            ("Lily arrived late and hungry; said 'Mummy was crying'", "DSL informed; breakfast club offered", True),
            ("Attendance below 85% this half term", "Letter to parent; attendance meeting offered", False),
            ("Lily quiet and withdrawn in class", "Recorded on safeguarding log; monitor", True),
            ("Mother collected Lily and appeared distressed", "DSL spoke with Mother; no further action", True),
        ],
    ),
}

EPISODES = [
    (
        "Early signs of domestic abuse",
        date(2021, 3, 1),
        date(2021, 12, 31),
        "How agencies recognised and shared early indicators of domestic abuse in the household.",
    ),
    (
        "The first police referral",
        date(2022, 1, 1),
        date(2022, 6, 30),
        "The response to the first reported assault and the multi-agency assessment that followed.",
    ),
    (
        "Injuries to the child",
        date(2022, 7, 1),
        date(2023, 3, 31),
        "Attendances at the emergency department and how the explanations were weighed.",
    ),
    (
        "Step-down to early help",
        date(2023, 4, 1),
        date(2023, 9, 30),
        "The decision to close the case and what the early help plan covered.",
    ),
    (
        "The weeks before the incident",
        date(2023, 10, 1),
        date(2024, 2, 29),
        "School and health contacts in the final months, and what was known about the mother's partner.",
    ),
]

FINDINGS = [
    (
        "The mother was rarely seen alone",
        "Practitioners accepted the partner's presence at visits; routine enquiry about domestic abuse did not happen.",
    ),
    (
        "Injuries were considered one at a time",
        "Each attendance was assessed on its own history; no agency held the whole picture of injuries over time.",
    ),
    (
        "Step-down did not carry the risk forward",
        "The early help plan did not mention the partner or the police history.",
    ),
    (
        "The child's voice was recorded by school but not shared",
        "What Lily said at school did not reach health or social care.",
    ),
]

RECOMMENDATIONS = [
    (
        0,
        "The partnership should seek assurance that routine enquiry about domestic abuse includes seeing the parent alone.",
    ),
    (1, "Health partners should introduce a shared flag for repeat injuries to children under five."),
    (2, "Children's social care should audit step-down plans for how known risks are handed over."),
    (3, "Schools and health should agree how the child's own words are shared in safeguarding referrals."),
    (None, "The partnership should publish a seven-minute briefing on this review for all practitioners."),
]


def _random_date(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def _entries(rng: random.Random, agencies: dict[str, Any], count: int) -> list[dict[str, Any]]:
    names = list(TEMPLATES)
    weights = [60, 45, 50, 65, 20, 60]
    rows: list[dict[str, Any]] = []
    for index in range(count):
        short = rng.choices(names, weights=weights)[0]
        sources, events = TEMPLATES[short]
        event, outcome, seen = rng.choice(events)
        day = _random_date(rng, SCOPE_FROM, SCOPE_TO)
        roll = rng.random()
        when = (
            FuzzyDate.of_month(day.year, day.month)
            if roll < 0.04
            else FuzzyDate.of_year(day.year, approximate=True)
            if roll < 0.05
            else FuzzyDate.of_day(day, approximate=roll < 0.08)
        )
        hour = rng.choice([None, None, 9, 10, 11, 14, 15, 16, 19, 22])
        significant = (
            "arrested" in event or "injury" in event or "burn" in event or "closed" in event
        ) and rng.random() < 0.7
        rows.append(
            {
                "sequence": index + 1,
                "reference": f"{short[:2].upper()}{index + 1:03d}",
                "start_date": when.to_storage(),
                "date_key": date_key(when),
                "start_time": f"{hour:02d}:{rng.choice([0, 15, 30, 45]):02d}" if hour is not None else None,
                "end_date": None,
                "end_time": None,
                "agency_uuid": agencies[short].uuid,
                "source": rng.choice(sources),
                "event": event,
                "child_seen": seen,
                "child_voice": (True if "said" in event else (False if seen else None)),
                "child_voice_note": "Said 'Mummy was crying'" if "said" in event else "",
                "action_outcome": outcome,
                "agency_analysis": rng.choice(
                    [
                        "",
                        "",
                        "Practice in line with policy at the time.",
                        "With hindsight a referral should have been considered.",
                        "No professional curiosity about the partner shown.",
                    ]
                ),
                "reviewer_comment": rng.choice(["", "", "", "Discuss at practitioner event."]),
                "significant": significant,
                "author": "Demo import",
                "imported_from": f"Demo {short} return",
            }
        )
    # Two identifiers for the anonymisation scan to find (fictional, with valid formats).
    rows[5]["event"] += "; Mother gave mobile 07700 900123"
    rows[11]["action_outcome"] += "; letter to NB4 7QT"
    return rows


def _child_a_review(uow: UnitOfWork, rng: random.Random, agencies: dict[str, Any]) -> Any:
    review = add_review(
        uow,
        kind="lcspr",
        title="Learning from the experiences of Child A",
        subject_pseudonym="Child A",
        subject_dob=CHILD_DOB,
        scope_from=SCOPE_FROM,
        scope_to=SCOPE_TO,
        method="learning-together",
        lead_reviewers="Dr Morgan Hale (independent lead reviewer)",
        agencies=["CSC", "Police", "HV", "GP", "ED", "School"],
        status="in-progress",
        incident_known_on=date(2024, 3, 4),
        notified_on=date(2024, 3, 6),
        reference="LCSPR-2024-01",
    )
    rows = _entries(rng, agencies, 300)
    uuids = bulk_insert_entries(
        uow, review.uuid, rows, "Demo: 300 chronology entries for LCSPR-2024-01", {"demo": True, "entries": len(rows)}
    )
    for row, uuid in zip(rows, uuids, strict=False):
        row["uuid"] = uuid
    episodes = [
        add_episode(uow, review.uuid, title, period_from=start, period_to=end, description=text)
        for title, start, end, text in EPISODES
    ]
    uow.session.flush()  # link rows name the episodes; the ORM has no relationship to order them by
    for row in rows:
        when = FuzzyDate.from_storage(row["start_date"])
        for episode in episodes:
            if (
                episode.period_from
                and episode.period_to
                and episode.period_from <= when.earliest() <= episode.period_to
            ) and (row["significant"] or rng.random() < 0.2):
                uow.create(
                    EntryEpisodeLink,
                    audit=False,
                    uuid=link_uuid("episode", row["uuid"], episode.uuid),
                    entry_uuid=row["uuid"],
                    episode_uuid=episode.uuid,
                )
    strategy = [r for r in rows if r["event"].startswith("Strategy discussion")]
    police = [r for r in strategy if r["agency_uuid"] == agencies["Police"].uuid]
    csc = [r for r in strategy if r["agency_uuid"] == agencies["CSC"].uuid]
    for a, b in list(zip(police, csc, strict=False))[:3]:  # same meeting recorded twice: align the dates, flag the pair
        b["start_date"] = a["start_date"]
        from db.models.reviews import ChronologyEntry

        entry = uow.session.get(ChronologyEntry, b["uuid"])
        if entry is not None:
            uow.update(entry, audit=False, start_date=a["start_date"], date_key=a["date_key"])
        suggest_duplicate(uow, a["uuid"], b["uuid"], audit=False)
    uow.session.flush()
    for real, replacement in GLOSSARY:
        add_term(uow, review.uuid, real, replacement)
    for real, pseudonym, role, others in PEOPLE:
        add_person(uow, review.uuid, real, pseudonym, role=role, other_names=others)
    findings = [
        add_finding(uow, review.uuid, title, text, episode_uuid=episodes[min(i + 1, 4)].uuid)
        for i, (title, text) in enumerate(FINDINGS)
    ]
    uow.session.flush()
    recommendations = [
        add_recommendation(uow, review.uuid, text, finding_uuid=findings[f].uuid if f is not None else None)
        for f, text in RECOMMENDATIONS
    ]
    for name, done in (
        ("Terms of reference agreed", date(2024, 4, 15)),
        ("Agency chronologies returned", date(2024, 5, 10)),
        ("Practitioner learning event", date(2024, 7, 2)),
    ):
        set_milestone(uow, review.uuid, name, done=done)
    # the partnership agreed an extension for the final report, as often happens
    set_milestone(uow, review.uuid, "Final report to the partnership", due=workdays.add_working_days(date.today(), 25))
    return review, recommendations


def populate(uow: UnitOfWork, rng: random.Random, context: dict[str, Any]) -> None:
    agencies = context["agencies"]
    review, recommendations = _child_a_review(uow, rng, agencies)
    today = date.today()
    notified = workdays.add_working_days(today, -12)  # the rapid review is due in 3 working days
    rapid = add_review(
        uow,
        kind="rapid",
        title="Serious injury to an infant",
        subject_pseudonym="Baby F",
        subject_dob=today - timedelta(days=150),
        scope_from=today - timedelta(days=300),
        scope_to=notified,
        agencies=["CSC", "Police", "HV", "GP", "ED"],
        incident_known_on=workdays.add_working_days(notified, -2),
        notified_on=notified,
        lead_reviewers="Partnership business manager",
    )
    audit = add_review(
        uow,
        kind="audit",
        title="Neglect: multi-agency case audit",
        subject_pseudonym="Six children",
        agencies=["CSC", "HV", "School"],
        status="draft-report",
        reference=f"MACA-{today.year}-01",
    )
    context["reviews"] = {"LCSPR": review, "rapid": rapid, "audit": audit}
    context["recommendations"] = recommendations
    context["recommendation_sources"] = [
        SourceRef(REVIEW_RECOMMENDATION, recommendation_label(review.reference, rec.number), rec.uuid, review.uuid)
        for rec in recommendations
    ]

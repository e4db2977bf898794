"""The reviews area's records as users know them ("Chronology entry LCSPR-2026-01, 22/05/2016 (Police)")."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.contributions import RecordNaming, named_or_gone
from app.reviews.kinds import METHODS, REVIEW_KINDS, STATUSES
from db.models.core import Agency
from db.models.people import ReviewPerson
from db.models.reviews import ChronologyEntry, KeyPracticeEpisode, Review


def _review_ref(session: Session, uuid: str | None) -> str:
    return named_or_gone(session, Review, uuid, lambda r: r.reference, "(a review no longer here)")


def _entry_date(stored: Any) -> str:
    """A stored entry date ("2016-05", "2016-05-23~") as the chronology shows it ("May 2016", "23/05/2016?")."""
    from app.dates.fuzzy import FuzzyDate

    try:
        return FuzzyDate.from_storage(stored).display()
    except Exception:
        return str(stored)


def _entry_name(session: Session, entry: Any) -> str:
    when = _entry_date(entry.start_date)
    agency = session.get(Agency, entry.agency_uuid)
    by = f" ({agency.short_name})" if agency is not None else ""
    return f"of {_review_ref(session, entry.review_uuid)}, {when}{by}"


def _numbered(kind: str):
    def name(session: Session, record: Any) -> str:
        return f"{record.number} of {_review_ref(session, record.review_uuid)}"

    name.__name__ = f"{kind}_name"
    return name


def _link_name(session: Session, link: Any) -> str:
    entry = session.get(ChronologyEntry, link.entry_uuid)
    episode = session.get(KeyPracticeEpisode, link.episode_uuid)
    what = f"episode {episode.number}" if episode is not None else "an episode"
    return f"{_entry_name(session, entry) if entry is not None else 'an entry'} to {what}"


def _person_name(session: Session, person: Any) -> str:
    """By pseudonym, never the real name: the conflicts list is read over shoulders and in screenshots."""
    return (
        f"“{person.pseudonym}” of {_review_ref(session, person.review_uuid)}"
        if person.pseudonym
        else (f"of {_review_ref(session, person.review_uuid)}")
    )


def _decision_name(session: Session, decision: Any) -> str:
    return f"on “{decision.text}” in {_review_ref(session, decision.review_uuid)}"


#: app.chronology.people.DECISIONS (not imported: that module loads the name finder)
SCAN_DECISIONS = {
    "not-identifying": "Not identifying",
    "added": "Added to the register",
    "accepted": "Accepted in the export",
}

ENTRY_FIELDS = {
    "sequence": "Sequence",
    "reference": "Agency reference",
    "start_date": "Start date",
    "date_key": "Date order",
    "start_time": "Start time",
    "end_date": "End date",
    "end_time": "End time",
    "agency_uuid": "Agency",
    "source": "Source",
    "event": "Event / contact",
    "child_seen": "Child seen",
    "child_voice": "Child's voice",
    "child_voice_note": "Child said",
    "action_outcome": "Action / outcome",
    "agency_analysis": "Agency analysis",
    "reviewer_comment": "Reviewer comment",
    "significant": "Significant",
    "author": "Author",
    "imported_from": "Imported from",
    "review_uuid": "Review",
}
REVIEW_FIELDS = {
    "reference": "Reference",
    "kind": "Kind",
    "title": "Title",
    "subject_pseudonym": "Subject (pseudonym)",
    "subject_dob": "Subject's date of birth",
    "scope_from": "Scope from",
    "scope_to": "Scope to",
    "method": "Method",
    "lead_reviewers": "Lead reviewers",
    "participating_agencies": "Participating agencies",
    "status": "Status",
    "incident_known_on": "Incident known on",
    "notified_on": "Notified on",
    "milestones": "Milestones",
}

NAMINGS = (
    RecordNaming(
        "review",
        "Review",
        lambda _s, r: r.reference,
        REVIEW_FIELDS,
        groups={"scope_from": "Scope (from and to)", "incident_known_on": "Incident known and notified dates"},
        values={"kind": {k.code: k.label for k in REVIEW_KINDS}, "method": METHODS, "status": STATUSES},
    ),
    RecordNaming(
        "chronology_entry",
        "Chronology entry",
        _entry_name,
        ENTRY_FIELDS,
        groups={
            "start_date": "Start date and time",
            "end_date": "End date and time",
            "child_seen": "Child seen and the child's voice",
        },
        formats={"start_date": _entry_date, "end_date": _entry_date},
        derived=frozenset({"date_key"}),
    ),
    RecordNaming(
        "key_practice_episode",
        "Key practice episode",
        _numbered("episode"),
        {"number": "Number", "title": "Title", "period_from": "From", "period_to": "To", "description": "Summary"},
        groups={"period_from": "Period (from and to)"},
    ),
    RecordNaming(
        "entry_episode_link",
        "Entry linked to an episode",
        _link_name,
        {"entry_uuid": "Entry", "episode_uuid": "Episode"},
        counted=False,
    ),
    RecordNaming(
        "finding",
        "Finding",
        _numbered("finding"),
        {"number": "Number", "title": "Title", "text": "Finding", "episode_uuid": "Episode"},
        groups={"title": "Finding (title and text)"},
    ),
    RecordNaming(
        "recommendation",
        "Recommendation",
        _numbered("recommendation"),
        {"number": "Number", "text": "Recommendation", "finding_uuid": "Finding"},
    ),
    RecordNaming(
        "glossary_term",
        "Glossary term",
        lambda s, g: f"of {_review_ref(s, g.review_uuid)}",
        {"real_text": "Real text", "replacement": "Replacement"},
        groups={"real_text": "Real text and its replacement"},
    ),
    RecordNaming(
        "duplicate_link",
        "Possible duplicate",
        lambda s, d: f"in {_review_ref(s, d.review_uuid)}",
        {"entry_a": "First entry", "entry_b": "Second entry", "status": "Decision"},
        groups={"entry_a": "The two entries"},
        counted=False,
    ),
    RecordNaming(
        ReviewPerson.__tablename__,
        "Person in a review",
        _person_name,
        {
            "review_uuid": "Review",
            "real_name": "Real name",
            "pseudonym": "Pseudonym",
            "role": "Role",
            "other_names": "Other names",
            "note": "Note",
        },
        groups={"real_name": "Names and pseudonym"},
    ),
    RecordNaming(
        "scan_decision",
        "Scan decision",
        _decision_name,
        {
            "review_uuid": "Review",
            "kind": "Kind of finding",
            "text": "Text found",
            "decision": "Decision",
            "decided_by": "Decided by",
            "decided_at": "Decided at",
        },
        groups={"decision": "Decision, who made it and when"},
        values={"decision": SCAN_DECISIONS},
    ),
)

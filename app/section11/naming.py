"""The Section 11 area's records as users know them (conflicts view), and the rule a merge must keep.

A conflict on a score reads "Section 11 score of Police, standard 3 (S11 2026)", never
"(record 1a2b3c4d)"; the rule is the one the moderation form enforces: a moderated
score that differs from the agency's own needs the panel's rationale.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from app.contributions import MergeRule, RecordNaming, evidence_file_naming, named_or_gone
from app.section11.moderation import MIN_RATIONALE, rationale_needed
from app.section11.scales import get_scale
from app.section11.status import STATUS_LABELS
from db.models.core import Agency
from db.models.section11 import (
    S11Cycle,
    S11Framework,
    S11Participant,
    S11Standard,
)

LETTER_STATES = {"draft": "Draft", "issued": "Issued"}
INTERVIEW_STATES = {"booked": "Booked", "held": "Held"}
ENQUIRY_REASONS = {
    "over_rated": "Over-rated (moderated below self)",
    "bottom_of_scale": "At the bottom of the scale",
    "not_met_last_cycle": "Not met last cycle",
    "open_action": "Open Section 11 action",
    "chair": "Added by the Chair",
}


def _cycle_name(session: Session, uuid: str | None) -> str:
    return named_or_gone(session, S11Cycle, uuid, lambda c: c.name, "a cycle no longer here")


def _agency_in_cycle(session: Session, participant_uuid: str | None) -> tuple[str, str]:
    """(agency short name, cycle name) of a participant."""
    participant = session.get(S11Participant, participant_uuid) if participant_uuid else None
    if participant is None:
        return "an agency no longer here", "a cycle no longer here"
    agency = session.get(Agency, participant.agency_uuid)
    name = (agency.short_name or agency.name) if agency is not None else "an agency no longer here"
    return name, _cycle_name(session, participant.cycle_uuid)


def _standard_number(session: Session, uuid: str | None) -> str:
    standard = session.get(S11Standard, uuid) if uuid else None
    return f"standard {standard.number}" if standard is not None else ""


def _about(session: Session, participant_uuid: str | None, standard_uuid: str | None = None) -> str:
    """ "Police, standard 3 (S11 2026)" or "Police (S11 2026)"."""
    agency, cycle = _agency_in_cycle(session, participant_uuid)
    standard = _standard_number(session, standard_uuid)
    return f"{agency}, {standard} ({cycle})" if standard else f"{agency} ({cycle})"


def _framework_name(session: Session, uuid: str | None) -> str:
    return named_or_gone(
        session,
        S11Framework,
        uuid,
        lambda f: f"{f.name} ({f.version_label})" if f.version_label else f.name,
        "a framework no longer here",
    )


def _participant_name(session: Session, record: Any) -> str:
    agency, cycle = _agency_in_cycle(session, record.uuid)
    return f"{agency} in {cycle}"


def _letter_name(session: Session, record: Any) -> str:
    return f"version {record.version} to {_about(session, record.participant_uuid)}"


def _file_name(session: Session, record: Any) -> str:
    return f"{record.filename} of {_about(session, record.participant_uuid, record.standard_uuid)}"


ASSESSMENT_FIELDS = {
    "participant_uuid": "Agency",
    "standard_uuid": "Standard",
    "self_score": "Self-assessed score",
    "evidence": "Evidence",
    "impact": "Evidence of impact",
    "improvement": "Areas for improvement",
    "target_date": "Target date",
    "carried_forward": "Carried forward from last cycle",
    "moderated_score": "Moderated score",
    "rationale": "Rationale",
    "moderated_by": "Moderated by",
    "moderated_on": "Moderated on",
}
PARTICIPANT_FIELDS = {
    "cycle_uuid": "Cycle",
    "agency_uuid": "Agency",
    "sector": "Sector",
    "status": "Status",
    "status_changed_on": "Status since",
    "sent_on": "Return sent on",
    "returned_on": "Return received on",
    "return_version": "Return version",
    "return_sha256": "Return file fingerprint",
    "contact_name": "Contact",
}
LETTER_FIELDS = {
    "participant_uuid": "Agency",
    "version": "Version",
    "state": "State",
    "sections": "Letter text",
    "issued_on": "Issued on",
    "issued_by": "Issued by",
    "sha256": "PDF fingerprint (SHA-256)",
    "pdf": "Issued PDF",
    "docx": "Issued Word document",
}
ENQUIRY_FIELDS = {
    "participant_uuid": "Agency",
    "standard_uuid": "Standard",
    "reason": "Why suggested",
    "reason_text": "Why suggested (in words)",
    "prompt": "Suggested question",
    "position": "Order",
    "question_asked": "Question asked",
    "answer": "Agency's answer",
    "evidence_promised": "Evidence promised",
    "evidence_due": "Evidence due",
    "judgement": "Panel's judgement",
    "judgement_note": "Judgement comment",
}
INTERVIEW_FIELDS = {
    "participant_uuid": "Agency",
    "scheduled_on": "Date",
    "start_time": "Start time",
    "place": "Place",
    "attendees": "Attendees",
    "notes": "Notes",
    "strengths": "Strengths",
    "challenges": "Areas for challenge",
    "state": "State",
    "held_on": "Held on",
}
CYCLE_FIELDS = {
    "name": "Name",
    "period_start": "Period from",
    "period_end": "Period to",
    "framework_uuid": "Framework",
    "scale_key": "Scale",
    "return_due": "Return due",
    "panel_date": "Panel date",
    "interview_from": "Interviews from",
    "interview_to": "Interviews to",
    "previous_cycle_uuid": "Previous cycle",
    "closed": "Closed",
}
STANDARD_FIELDS = {
    "framework_uuid": "Framework",
    "number": "Number",
    "title": "Title",
    "good_practice": "What good looks like",
    "questions": "Questions",
    "evidence_prompts": "Evidence prompts",
    "lineage": "Same standard as",
    "retired": "Retired",
}

NAMINGS = (
    RecordNaming(
        "s11_framework",
        "Section 11 framework",
        lambda s, f: _framework_name(s, f.uuid),
        {"name": "Name", "version_label": "Version", "description": "Description", "retired": "Retired"},
    ),
    RecordNaming(
        "s11_standard",
        "Section 11 standard",
        lambda s, r: f"{r.number} of {_framework_name(s, r.framework_uuid)}",
        STANDARD_FIELDS,
        groups={"title": "Title and what good looks like"},
    ),
    RecordNaming(
        "s11_cycle",
        "Section 11 cycle",
        lambda _s, c: c.name,
        CYCLE_FIELDS,
        groups={"period_start": "Period (from and to)", "interview_from": "Interview window (from and to)"},
    ),
    RecordNaming(
        "s11_participant",
        "Agency in a Section 11 cycle",
        _participant_name,
        PARTICIPANT_FIELDS,
        groups={
            "status": "Status and the day it was set",
            "returned_on": "Return received (date, version and file)",
        },
        values={"status": STATUS_LABELS},
    ),
    RecordNaming(
        "s11_assessment",
        "Section 11 score",
        lambda s, a: f"of {_about(s, a.participant_uuid, a.standard_uuid)}",
        ASSESSMENT_FIELDS,
        groups={
            "self_score": "Self-assessment (score, evidence, impact, improvement and target date)",
            "moderated_score": "Moderated score, rationale and who moderated it",
        },
    ),
    RecordNaming(
        "s11_enquiry",
        "Line of enquiry",
        lambda s, e: f"of {_about(s, e.participant_uuid, e.standard_uuid)}",
        ENQUIRY_FIELDS,
        groups={
            "question_asked": "Question asked and the answer",
            "evidence_promised": "Evidence promised and its due date",
            "judgement": "Panel's judgement and comment",
        },
        values={"reason": ENQUIRY_REASONS},
    ),
    RecordNaming(
        "s11_interview",
        "Challenge interview",
        lambda s, i: f"with {_about(s, i.participant_uuid)}",
        INTERVIEW_FIELDS,
        groups={"scheduled_on": "Date and start time", "state": "Held (and when)"},
        values={"state": INTERVIEW_STATES},
    ),
    RecordNaming(
        "s11_letter",
        "Feedback letter",
        _letter_name,
        LETTER_FIELDS,
        groups={"state": "The letter (state, text and issued files)"},
        values={"state": LETTER_STATES},
    ),
    evidence_file_naming("s11_evidence_file", "Section 11 evidence file", _file_name),
    RecordNaming(
        "s11_settings",
        "Letter settings",
        lambda _s, _r: "of the partnership",
        {
            "partnership_name": "Partnership name",
            "letterhead": "Letterhead",
            "signatory_name": "Signatory",
            "signatory_role": "Signatory's role",
        },
        groups={"signatory_name": "Signatory and role"},
        counted=False,
    ),
)


def _score_text(session: Session, participant_uuid: str | None, score: int | None) -> str:
    """A score in the cycle's scale's words where it can be found ("3 (Good)"), else the number."""
    participant = session.get(S11Participant, participant_uuid) if participant_uuid else None
    cycle = session.get(S11Cycle, participant.cycle_uuid) if participant is not None else None
    try:
        return get_scale(cycle.scale_key).short(score) if cycle is not None else str(score)
    except Exception:  # an unknown scale must not hide the breach
        return "none" if score is None else str(score)


def _moderated_without_rationale(session: Session, _uuid: str, values: Mapping[str, Any]) -> str | None:
    self_score, moderated = values.get("self_score"), values.get("moderated_score")
    if not rationale_needed(self_score, moderated) or len(str(values.get("rationale") or "").strip()) >= MIN_RATIONALE:
        return None
    participant = values.get("participant_uuid")
    return (
        f"moderated to {_score_text(session, participant, moderated)} while the agency's own score is "
        f"{_score_text(session, participant, self_score)}, with no rationale from the panel"
    )


RULES = (MergeRule("s11-moderated-differs-needs-rationale", "s11_assessment", _moderated_without_rationale),)

"""The feedback letter after the challenge interview: drafted from the record, edited, issued, frozen.

A draft's text sections are generated from the interview (strengths, areas for
challenge, evidence requested with dates, agreed actions) and stay editable; the
scores table is drawn from the live scores while a draft. Issuing renders the
PDF and DOCX once, stores both, and records the PDF's SHA-256 in the audit log;
an issued letter is never changed again: re-issuing makes a new version.
Letterhead and signatory come from the Section 11 settings record.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.agencies import agency_by_uuid
from app.clock import uk
from app.errors import InvalidInput
from app.records import UnitOfWork
from app.records.live import live_or_none, live_record
from app.section11 import status as st
from app.section11.cycles import advance, cycle_scale, get_cycle, get_participant
from app.section11.dates import long_date
from app.section11.enquiry import lines_of_enquiry
from app.section11.ids import SETTINGS_ID, letter_id, unused_id
from app.section11.interview import HELD, agreed_actions, interview_for
from app.section11.moderation import AssessmentRow, assessment_rows
from app.section11.scales import RAG_LABELS
from app.text import count_of
from db.base import live
from db.models.section11 import S11Interview, S11Letter, S11Participant, S11Settings

DRAFT, ISSUED = "draft", "issued"
#: how a draft generated before the interview opens: it thanks no one for a meeting not yet held; issuing
#: (only once the interview is held) rewrites a section still carrying it from the interview record
BEFORE_INTERVIEW = "[Draft prepared before the interview: this opening is rewritten from the interview record when the letter is issued.]"
#: the editable sections, in the order they appear in the letter
SECTIONS = ("salutation", "opening", "strengths", "challenges", "evidence", "actions", "closing")
SECTION_TITLES = {
    "salutation": "Salutation",
    "opening": "Opening",
    "strengths": "Strengths",
    "challenges": "Areas for challenge",
    "evidence": "Evidence requested",
    "actions": "Agreed actions",
    "closing": "Closing",
}


@dataclass(frozen=True)
class LetterSettings:
    partnership_name: str
    letterhead: str
    signatory_name: str
    signatory_role: str


DEFAULT_SETTINGS = LetterSettings("Safeguarding Children Partnership", "", "Independent Chair", "Independent Chair")


@dataclass(frozen=True)
class LetterView:
    uuid: str
    participant_uuid: str
    version: int
    state: str
    sections: dict[str, str]
    issued_on: date | None
    issued_by: str
    sha256: str

    @property
    def editable(self) -> bool:
        return self.state == DRAFT


def letter_settings(session: Session) -> LetterSettings:
    record = live_or_none(session, S11Settings, SETTINGS_ID)
    if record is None:
        return DEFAULT_SETTINGS
    return LetterSettings(record.partnership_name, record.letterhead, record.signatory_name, record.signatory_role)


def save_letter_settings(
    uow: UnitOfWork, *, partnership_name: str, letterhead: str, signatory_name: str, signatory_role: str
) -> None:
    if not partnership_name.strip() or not signatory_name.strip():
        raise InvalidInput("The letter needs the partnership's name and a signatory.")
    values: dict[str, Any] = {
        "partnership_name": partnership_name.strip(),
        "letterhead": letterhead.strip(),
        "signatory_name": signatory_name.strip(),
        "signatory_role": signatory_role.strip(),
    }
    record = uow.session.get(S11Settings, SETTINGS_ID)
    if record is None:
        uow.create(S11Settings, uuid=SETTINGS_ID, summary="Section 11 letter settings", **values)
    else:
        uow.update(record, summary="Section 11 letter settings changed", **values)


def _view(letter: S11Letter) -> LetterView:
    sections = {name: str((letter.sections or {}).get(name, "")) for name in SECTIONS}
    return LetterView(
        letter.uuid,
        letter.participant_uuid,
        letter.version,
        letter.state,
        sections,
        letter.issued_on,
        letter.issued_by,
        letter.sha256,
    )


def letters_of(session: Session, participant_uuid: str) -> list[LetterView]:
    """Every version, newest first."""
    return [
        _view(ln)
        for ln in session.scalars(
            live(S11Letter).where(S11Letter.participant_uuid == participant_uuid).order_by(S11Letter.version.desc())
        )
    ]


def current_letter(session: Session, participant_uuid: str) -> LetterView | None:
    found = letters_of(session, participant_uuid)
    return found[0] if found else None


def get_letter(session: Session, letter_uuid: str) -> S11Letter:
    return live_record(session, S11Letter, letter_uuid, "That letter no longer exists.")


def generated_sections(session: Session, participant_uuid: str) -> dict[str, str]:
    """The letter's text as generated from the interview record (before the Chair edits it)."""
    participant = get_participant(session, participant_uuid)
    cycle = get_cycle(session, participant.cycle_uuid)
    agency = agency_by_uuid(session, participant.agency_uuid)
    interview = interview_for(session, participant.uuid)
    held = (interview.held_on or interview.scheduled_on) if interview else None
    when = f" on {long_date(held)}" if held else ""
    place = f" at {interview.place}" if interview and interview.place else ""
    lines = lines_of_enquiry(session, participant.uuid)
    evidence = [
        f"- {ln.evidence_promised}"
        + (f" (standard {ln.standard_number})" if ln.standard_number else "")
        + (f", by {uk(ln.evidence_due)}" if ln.evidence_due else "")
        for ln in lines
        if ln.evidence_promised.strip()
    ]
    actions = [f"- {a.reference}: {a.title}, by {uk(a.due)}" for a in agreed_actions(session, participant.uuid)]
    rows = assessment_rows(session, participant.uuid)
    moderated = bool(rows) and all(r.moderated_score is not None for r in rows)
    over = [
        r
        for r in rows
        if r.self_score is not None and r.moderated_score is not None and r.moderated_score < r.self_score
    ]
    if interview is not None and interview.state == HELD:
        opening = (
            f"Thank you for meeting the partnership{when}{place} to discuss {agency.name}'s "
            f"{_assessment_name(cycle.name)}. This letter records "
            + ("the panel's moderated scores, " if moderated else "")
            + "what we heard, the evidence you agreed to send and the actions we agreed."
        )
    else:  # nothing is claimed that has not happened; issuing rewrites this from the interview record
        opening = (
            f"{BEFORE_INTERVIEW} {agency.name}'s {_assessment_name(cycle.name)} is to be discussed at the "
            f"support and challenge interview{when}{place}."
        )
    if not moderated:
        opening += " The panel has not moderated every score yet; its scores are shown where it has."
    if over:
        opening += (
            f" The panel moderated {count_of(len(over), 'standard')} below your own "
            "assessment; the reasons are given in the table below."
        )
    return {
        "salutation": f"Dear {salutation_name(participant.contact_name or agency_lead(interview))},",
        "opening": opening,
        "strengths": (
            interview.strengths.strip() if interview and interview.strengths.strip() else "No strengths were recorded."
        ),
        "challenges": (
            interview.challenges.strip()
            if interview and interview.challenges.strip()
            else "No areas for challenge were recorded."
        ),
        "evidence": "\n".join(evidence) if evidence else "No further evidence was requested.",
        "actions": "\n".join(actions) if actions else "No actions were agreed.",
        "closing": (
            ("We will review progress on these actions at the Quality Assurance subgroup. " if actions else "")
            + "Please contact the partnership business unit if anything in this letter does not match your "
            "understanding. Thank you for your openness and for the work of your staff in keeping children safe."
        ),
    }


def draft_letter(uow: UnitOfWork, participant_uuid: str) -> LetterView:
    """The current draft, or a new one generated from the interview record (version after the last issued)."""
    participant = get_participant(uow.session, participant_uuid)
    latest = current_letter(uow.session, participant.uuid)
    if latest is not None and latest.state == DRAFT:
        return latest
    sections = {k: v for k, v in generated_sections(uow.session, participant.uuid).items() if k in SECTIONS}
    if latest is not None:  # re-issue: start from the issued text
        sections = dict(latest.sections)
    version = (latest.version + 1) if latest else 1
    letter = uow.create(
        S11Letter,
        uuid=unused_id(uow.session, S11Letter, letter_id(participant.uuid, version)),
        participant_uuid=participant.uuid,
        version=version,
        state=DRAFT,
        sections=sections,
        issued_on=None,
        issued_by="",
        sha256="",
        pdf=None,
        docx=None,
        summary=f"Drafted Section 11 feedback letter version {version}",
    )
    uow.session.flush()
    return _view(letter)


def edit_letter(uow: UnitOfWork, letter_uuid: str, sections: dict[str, str]) -> bool:
    letter = get_letter(uow.session, letter_uuid)
    if letter.state != DRAFT:
        raise InvalidInput(
            f"Version {letter.version} of this letter was issued on {uk(letter.issued_on)} and cannot "
            "change; re-issue it to make a new version."
        )
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        raise InvalidInput(f"A letter has no section {', '.join(sorted(unknown))}.")
    merged = {**(letter.sections or {}), **{k: v.strip() for k, v in sections.items()}}
    return uow.update(letter, sections=merged, summary=f"Edited draft letter version {letter.version}")


def regenerate_letter(uow: UnitOfWork, letter_uuid: str) -> bool:
    """Replace a draft's text by a fresh one from the interview record (discarding edits)."""
    letter = get_letter(uow.session, letter_uuid)
    if letter.state != DRAFT:
        raise InvalidInput("An issued letter cannot change; re-issue it to make a new version.")
    fresh = {k: v for k, v in generated_sections(uow.session, letter.participant_uuid).items() if k in SECTIONS}
    return uow.update(letter, sections=fresh, summary=f"Regenerated draft letter version {letter.version}")


@dataclass(frozen=True)
class LetterContent:
    """Everything the PDF and DOCX print, gathered once."""

    settings: LetterSettings
    agency: str
    #: the agency's contact, as the letter is addressed ("" when none)
    addressee: str
    cycle: str
    subject: str
    dated: date
    version: int
    draft: bool
    sections: dict[str, str]
    #: (standard, self, moderated, RAG text, rag key, rationale); the RAG is the panel's (moderated) only
    scores: list[tuple[str, str, str, str, str, str]]
    #: what has not happened yet that the letter records ("Police has not been interviewed yet"); empty when ready
    missing: tuple[str, ...] = ()


def letter_content(session: Session, letter_uuid: str, *, today: date | None = None) -> LetterContent:
    letter = get_letter(session, letter_uuid)
    participant = get_participant(session, letter.participant_uuid)
    cycle = get_cycle(session, participant.cycle_uuid)
    scale = cycle_scale(cycle)
    agency = agency_by_uuid(session, participant.agency_uuid)
    interview = interview_for(session, participant.uuid)
    held = (interview.held_on or interview.scheduled_on) if interview else None
    subject = f"{cycle.name}: feedback from the support and challenge interview" + (f" of {uk(held)}" if held else "")
    rows = assessment_rows(session, participant.uuid)
    scores = [
        (
            f"{r.number}. {r.title}",
            scale.short(r.self_score),
            scale.short(r.moderated_score),
            RAG_LABELS[scale.rag(r.moderated_score)] if r.moderated_score is not None else "Not moderated",
            scale.rag(r.moderated_score),
            r.rationale,
        )
        for r in rows
    ]
    return LetterContent(
        letter_settings(session),
        agency.name,
        participant.contact_name,
        cycle.name,
        subject,
        letter.issued_on or today or date.today(),
        letter.version,
        letter.state == DRAFT,
        {name: str((letter.sections or {}).get(name, "")) for name in SECTIONS},
        scores,
        _steps_to_come(agency.name, rows, interview) if letter.state == DRAFT else (),
    )


def missing_steps(session: Session, participant_uuid: str) -> tuple[str, ...]:
    """What the letter records that has not happened yet, each naming the agency: its return, the panel's
    moderation of every standard, the interview. Empty when the letter can be issued."""
    participant = get_participant(session, participant_uuid)
    return _steps_to_come(
        agency_by_uuid(session, participant.agency_uuid).name,
        assessment_rows(session, participant.uuid),
        interview_for(session, participant.uuid),
    )


def _steps_to_come(name: str, rows: list[AssessmentRow], interview: S11Interview | None) -> tuple[str, ...]:
    """`missing_steps` from rows and interview already read (the letter's content reads them for itself)."""
    out = []
    if not any(r.self_score is not None for r in rows):
        out.append(f"{name} has not returned its self-assessment yet")
    waiting = sum(1 for r in rows if r.moderated_score is None)
    if waiting:
        out.append(
            f"the panel has not moderated {name}'s scores yet"
            if waiting == len(rows)
            else f"the panel has not moderated {count_of(waiting, 'standard')} of {len(rows)} yet"
        )
    if interview is None or interview.state != HELD:
        booked = f" (booked for {uk(interview.scheduled_on)})" if interview and interview.scheduled_on else ""
        out.append(f"{name} has not been interviewed yet{booked}")
    return tuple(out)


def letter_filename(session: Session, letter_uuid: str, fmt: str) -> str:
    """The name a letter is suggested under: its cycle, agency and version ("S11-letter-...-Police-v2.pdf"),
    so eight agencies' letters saved in one folder are eight files, each telling whose it is."""
    letter = get_letter(session, letter_uuid)
    participant = get_participant(session, letter.participant_uuid)
    agency = agency_by_uuid(session, participant.agency_uuid)
    cycle = get_cycle(session, participant.cycle_uuid)
    safe = "".join(
        ch if ch.isalnum() or ch in "-_" else "-" for ch in f"{cycle.name}-{agency.short_name or agency.name}"
    )
    return f"S11-letter-{safe.strip('-')}-v{letter.version}.{fmt}"


def letter_pdf(session: Session, letter_uuid: str, *, today: date | None = None) -> bytes:
    """The letter as PDF: the frozen copy once issued, else rendered now."""
    letter = get_letter(session, letter_uuid)
    if letter.state == ISSUED and letter.pdf:
        return bytes(letter.pdf)
    from app.section11.letter_render import render_pdf

    return render_pdf(letter_content(session, letter_uuid, today=today))


def letter_docx(session: Session, letter_uuid: str, *, today: date | None = None) -> bytes:
    letter = get_letter(session, letter_uuid)
    if letter.state == ISSUED and letter.docx:
        return bytes(letter.docx)
    from app.section11.letter_render import render_docx

    return render_docx(letter_content(session, letter_uuid, today=today))


def issue_letter(uow: UnitOfWork, letter_uuid: str, *, issued_by: str = "", today: date | None = None) -> LetterView:
    """Freeze the draft: render both files once, store them, audit the PDF's hash."""
    from app.section11.letter_render import render_docx, render_pdf

    letter = get_letter(uow.session, letter_uuid)
    if letter.state != DRAFT:
        raise InvalidInput(f"Version {letter.version} was already issued on {uk(letter.issued_on)}.")
    participant = get_participant(uow.session, letter.participant_uuid)
    _require_interviewed(uow.session, participant)
    _refresh_drafted_before_interview(uow, letter.uuid)
    day = today or date.today()
    uow.update(letter, issued_on=day, audit=False)
    content = letter_content(uow.session, letter.uuid, today=day)
    content = LetterContent(**{**content.__dict__, "draft": False})
    pdf, docx = render_pdf(content), render_docx(content)
    digest = hashlib.sha256(pdf).hexdigest()
    uow.update(
        letter,
        state=ISSUED,
        issued_by=issued_by.strip(),
        sha256=digest,
        pdf=pdf,
        docx=docx,
        summary=f"Issued Section 11 feedback letter version {letter.version} to {content.agency} "
        f"(PDF SHA-256 {digest}; DOCX SHA-256 {hashlib.sha256(docx).hexdigest()})",
    )
    advance(uow, get_participant(uow.session, letter.participant_uuid), st.LETTER_ISSUED, today=day)
    return _view(letter)


def _require_interviewed(session: Session, participant: S11Participant) -> None:
    refusal = issue_refusal(session, participant.uuid)
    if refusal:
        raise InvalidInput(refusal)


def issue_refusal(session: Session, participant_uuid: str) -> str:
    """Why the agency's letter cannot be issued yet ("" when it can). The letter is the record of the
    interview: a draft may be prepared beforehand, but none is issued before the interview was held (one was,
    thanking an agency "for meeting the partnership"). The screen asks this before asking to confirm."""
    participant = get_participant(session, participant_uuid)
    held = interview_for(session, participant.uuid)
    # the interview's own record, not the status: an agency closed by hand before its interview was at a later
    # status, and its letter went out thanking it for an interview never held
    if held is None or held.state != HELD:
        return (
            f"{agency_by_uuid(session, participant.agency_uuid).name} has not been interviewed yet (status: "
            f"{st.label(participant.status)}): record the interview as held before issuing its letter."
        )
    return ""


def _refresh_drafted_before_interview(uow: UnitOfWork, letter_uuid: str) -> bool:
    """Regenerate, from the interview record, the sections of a draft still holding the text generated before
    the interview (the rest, edited or not, stay): issuing does this, so no letter goes out saying the
    interview is still to come."""
    letter = get_letter(uow.session, letter_uuid)
    stale = [k for k, v in (letter.sections or {}).items() if BEFORE_INTERVIEW in str(v)]
    if letter.state != DRAFT or not stale:
        return False
    fresh = generated_sections(uow.session, letter.participant_uuid)
    return uow.update(
        letter,
        sections={**letter.sections, **{k: fresh[k] for k in stale}},
        summary=f"Regenerated the text of draft letter version {letter.version} drafted before the interview",
    )


def reissue_letter(uow: UnitOfWork, participant_uuid: str) -> LetterView:
    """A new draft version starting from the last issued text."""
    latest = current_letter(uow.session, participant_uuid)
    if latest is None or latest.state != ISSUED:
        raise InvalidInput("There is no issued letter to re-issue; edit and issue the draft instead.")
    return draft_letter(uow, participant_uuid)


def verify_issued(session: Session, letter_uuid: str) -> bool:
    """Does the stored PDF still match the hash recorded when it was issued?"""
    letter = get_letter(session, letter_uuid)
    return letter.state == ISSUED and letter.pdf is not None and hashlib.sha256(letter.pdf).hexdigest() == letter.sha256


_TITLES = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Professor", "Sir", "Dame", "Rev", "Revd")


def agency_lead(interview: S11Interview | None) -> str:
    """The first agency representative at the interview: the letter's addressee when the cycle names no contact."""
    attendees = (interview.attendees or []) if interview is not None else []
    return next((a.get("name", "") for a in attendees if a.get("kind") == "agency"), "")


def salutation_name(contact: str) -> str:
    """ "Ms Amira Khan" -> "Ms Khan", as a British letter greets; no title: the full name; none: colleague."""
    words = contact.split()
    if not words:
        return "colleague"
    if len(words) >= 3 and words[0].rstrip(".") in _TITLES:
        return f"{words[0]} {words[-1]}"
    return contact.strip()


def _assessment_name(cycle_name: str) -> str:
    """ "self-assessment in the Section 11 audit 2026", not "Section 11 self-assessment for Section 11 audit 2026"."""
    if "section 11" in cycle_name.casefold():
        return f"self-assessment in the {cycle_name}"
    return f"Section 11 self-assessment for {cycle_name}"

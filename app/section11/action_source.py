"""Section 11 interviews (and their lines of enquiry) as the source of tracker actions.

On the command line ``section11:CYCLE/AGENCY`` names an agency's interview in a
cycle, e.g. ``section11:Section 11 audit 2026/Police``; ``section11:CYCLE/AGENCY#N``
the line of enquiry about standard N. The tracker shows where an action came from
through `locate`, and filters by cycle through `cycle_groups`.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.contributions import SourceLocation, SourceRef
from app.errors import InvalidInput
from app.records.live import live_or_none
from db.base import live
from db.models.core import Agency
from db.models.section11 import (
    S11Cycle,
    S11Enquiry,
    S11Interview,
    S11Participant,
    S11Standard,
)


def resolve(session: Session, text: str) -> SourceRef:
    from app.section11.cycles import find_cycle, find_participant
    from app.section11.interview import SECTION11_SOURCE, _source, interview_for

    cycle_text, sep, rest = text.rpartition("/")
    if not sep:
        raise InvalidInput(
            f"Section 11 source {text!r} is not of the form section11:CYCLE/AGENCY or section11:CYCLE/AGENCY#N."
        )
    agency_text, _, number = rest.partition("#")
    cycle = find_cycle(session, cycle_text)
    participant = find_participant(session, cycle.uuid, agency_text)
    interview = interview_for(session, participant.uuid)
    if interview is None:
        raise InvalidInput(f"No interview is booked for {agency_text.strip()} in {cycle.name}.")
    line = None
    if number.strip():
        for candidate in session.scalars(
            live(S11Enquiry).where(S11Enquiry.participant_uuid == participant.uuid).order_by(S11Enquiry.position)
        ):
            standard = session.get(S11Standard, candidate.standard_uuid) if candidate.standard_uuid else None
            if standard is not None and str(standard.number) == number.strip():
                line = candidate
                break
        if line is None:
            raise InvalidInput(f"The interview has no line of enquiry about standard {number.strip()}.")
    ref = _source(session, participant, interview, line)
    assert ref.kind == SECTION11_SOURCE
    return ref


def locate(session: Session, source_uuid: str) -> SourceLocation | None:
    participant_uuid = None
    where = ""
    line = live_or_none(session, S11Enquiry, source_uuid)
    if line is not None:
        participant_uuid = line.participant_uuid
        standard = session.get(S11Standard, line.standard_uuid) if line.standard_uuid else None
        where = f", standard {standard.number}" if standard else ", line of enquiry"
    else:
        interview = live_or_none(session, S11Interview, source_uuid)
        if interview is None:
            return None
        participant_uuid = interview.participant_uuid
    participant = live_or_none(session, S11Participant, participant_uuid)
    if participant is None:
        return None
    cycle = session.get(S11Cycle, participant.cycle_uuid)
    agency = session.get(Agency, participant.agency_uuid)
    interview = session.scalars(live(S11Interview).where(S11Interview.participant_uuid == participant.uuid)).first()
    when = f", interview of {interview.scheduled_on:%d/%m/%Y}" if interview and interview.scheduled_on else ""
    return SourceLocation(
        "section11",
        participant.uuid,
        f"{agency.name if agency else 'Agency'}{where}{when} ({cycle.name if cycle else 'cycle'})",
    )


def cycle_groups(session: Session) -> list[tuple[str, str]]:
    return [(c.uuid, c.name) for c in session.scalars(live(S11Cycle).order_by(S11Cycle.period_start.desc()))]

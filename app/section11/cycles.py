"""Audit cycles, the agencies taking part, and the cycle register (who is where, what is late)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.agencies import agency_by_uuid, find_agency
from app.clock import uk
from app.errors import InvalidInput
from app.records import UnitOfWork
from app.records.live import live_record
from app.section11 import status as st
from app.section11.frameworks import ensure_shipped, find_framework, standards_of
from app.section11.ids import assessment_id, participant_id
from app.section11.scales import Scale, get_scale
from app.text import count_of
from db.base import live, new_uuid
from db.models.core import Agency
from db.models.section11 import (
    S11Assessment,
    S11Cycle,
    S11Framework,
    S11Participant,
    S11Standard,
)


@dataclass(frozen=True)
class CycleView:
    uuid: str
    name: str
    period_start: date
    period_end: date
    framework_uuid: str
    framework_name: str
    scale_key: str
    scale_name: str
    return_due: date | None
    panel_date: date | None
    interview_from: date | None
    interview_to: date | None
    previous_cycle_uuid: str | None
    closed: bool
    agencies: int

    def as_json(self) -> dict[str, Any]:
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in self.__dict__.items()}


@dataclass(frozen=True)
class RegisterRow:
    """One agency's line in the cycle register."""

    participant_uuid: str
    agency_uuid: str
    agency: str
    short_name: str
    sector: str
    status: str
    status_label: str
    next_step: str
    #: what is late, in words ("Return 12 days late"); empty when nothing is
    late: str
    returned_on: date | None
    return_version: int
    scored: int
    moderated: int
    standards: int
    #: the agency's senior lead for this cycle, whom the letters greet
    contact_name: str = ""

    def as_json(self) -> dict[str, Any]:
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in self.__dict__.items()}


def get_cycle(session: Session, cycle_uuid: str) -> S11Cycle:
    return live_record(session, S11Cycle, cycle_uuid, "That Section 11 cycle no longer exists in this workspace.")


def find_cycle(session: Session, text: str) -> S11Cycle:
    wanted = " ".join(text.split()).casefold()
    cycles = list(session.scalars(live(S11Cycle)))
    for cycle in cycles:
        if wanted in (cycle.uuid, cycle.name.casefold()):
            return cycle
    matches = [c for c in cycles if wanted and wanted in c.name.casefold()]
    if len(matches) == 1:
        return matches[0]
    known = ", ".join(repr(c.name) for c in cycles) or "none yet (add one with `workbench s11 cycle add`)"
    raise InvalidInput(f"Unknown Section 11 cycle {text!r}. Known cycles: {known}.")


def cycle_scale(cycle: S11Cycle) -> Scale:
    return get_scale(cycle.scale_key)


def _check_dates(period_start: date, period_end: date, interview_from: date | None, interview_to: date | None) -> None:
    if period_end < period_start:
        raise InvalidInput("The cycle's period ends before it starts.")
    if interview_from and interview_to and interview_to < interview_from:
        raise InvalidInput("The interview window ends before it starts.")


def add_cycle(
    uow: UnitOfWork,
    *,
    name: str,
    period_start: date,
    period_end: date,
    framework: str,
    scale_key: str,
    return_due: date | None = None,
    panel_date: date | None = None,
    interview_from: date | None = None,
    interview_to: date | None = None,
    previous_cycle_uuid: str | None = None,
    agencies: list[str] | tuple[str, ...] = (),
) -> S11Cycle:
    """A new cycle; `framework` is a key, uuid or name; `agencies` names or short names to take part."""
    ensure_shipped(uow)
    if not name.strip():
        raise InvalidInput("A cycle needs a name, e.g. 'Section 11 audit 2026'.")
    if any(c.name.casefold() == name.strip().casefold() for c in uow.session.scalars(live(S11Cycle))):
        raise InvalidInput(f"There is already a cycle called {name.strip()}.")
    _check_dates(period_start, period_end, interview_from, interview_to)
    chosen = find_framework(uow.session, framework)
    get_scale(scale_key)
    if previous_cycle_uuid is not None:
        get_cycle(uow.session, previous_cycle_uuid)
    else:
        earlier = [c for c in uow.session.scalars(live(S11Cycle)) if c.period_end <= period_start]
        previous_cycle_uuid = max(earlier, key=lambda c: c.period_end).uuid if earlier else None
    resolved = [find_agency(uow.session, a) for a in agencies]
    cycle = uow.create(
        S11Cycle,
        name=name.strip(),
        period_start=period_start,
        period_end=period_end,
        framework_uuid=chosen.uuid,
        scale_key=scale_key,
        return_due=return_due,
        panel_date=panel_date,
        interview_from=interview_from,
        interview_to=interview_to,
        previous_cycle_uuid=previous_cycle_uuid,
        closed=False,
        summary=f"Added Section 11 cycle {name.strip()}",
    )
    for agency in resolved:
        add_participant(uow, cycle.uuid, agency.uuid)
    return cycle


def edit_cycle(uow: UnitOfWork, cycle_uuid: str, **changes: Any) -> bool:
    """Change a cycle's name, period, deadlines, scale (before any score) or closed flag."""
    cycle = get_cycle(uow.session, cycle_uuid)
    allowed = {
        "name",
        "period_start",
        "period_end",
        "return_due",
        "panel_date",
        "interview_from",
        "interview_to",
        "closed",
        "scale_key",
        "previous_cycle_uuid",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidInput(f"A cycle has no setting {', '.join(sorted(unknown))}.")
    if "name" in changes:
        changes["name"] = str(changes["name"]).strip()
        if not changes["name"]:
            raise InvalidInput("A cycle needs a name.")
    if "scale_key" in changes and changes["scale_key"] != cycle.scale_key:
        get_scale(changes["scale_key"])
        if any(
            a.self_score is not None or a.moderated_score is not None for a in _assessments(uow.session, cycle.uuid)
        ):
            raise InvalidInput("The cycle's scale cannot change once scores are recorded.")
    merged = {
        k: changes.get(k, getattr(cycle, k)) for k in ("period_start", "period_end", "interview_from", "interview_to")
    }
    _check_dates(**merged)
    return uow.update(cycle, summary=f"Edited Section 11 cycle {cycle.name}", **changes)


def _assessments(session: Session, cycle_uuid: str) -> list[S11Assessment]:
    parts = [p.uuid for p in participants(session, cycle_uuid)]
    if not parts:
        return []
    return list(session.scalars(live(S11Assessment).where(S11Assessment.participant_uuid.in_(parts))))


def participants(session: Session, cycle_uuid: str) -> list[S11Participant]:
    return list(session.scalars(live(S11Participant).where(S11Participant.cycle_uuid == cycle_uuid)))


def get_participant(session: Session, participant_uuid: str) -> S11Participant:
    return live_record(session, S11Participant, participant_uuid, "That agency is no longer part of the cycle.")


def find_participant(session: Session, cycle_uuid: str, agency: str) -> S11Participant:
    found = find_agency(session, agency)
    participant = session.get(S11Participant, participant_id(cycle_uuid, found.uuid))
    if participant is None or participant.is_deleted:
        cycle = get_cycle(session, cycle_uuid)
        raise InvalidInput(f"{found.name} is not taking part in the cycle {cycle.name}.")
    return participant


def add_participant(uow: UnitOfWork, cycle_uuid: str, agency_uuid: str, sector: str | None = None) -> S11Participant:
    cycle = get_cycle(uow.session, cycle_uuid)
    agency = agency_by_uuid(uow.session, agency_uuid)
    uuid = participant_id(cycle.uuid, agency.uuid)
    existing = uow.session.get(S11Participant, uuid)
    if existing is not None and not existing.is_deleted:
        raise InvalidInput(f"{agency.name} already takes part in {cycle.name}.")
    if existing is not None:  # removed before: a new identity, the old tombstone stays
        uuid = new_uuid()
    return uow.create(
        S11Participant,
        uuid=uuid,
        cycle_uuid=cycle.uuid,
        agency_uuid=agency.uuid,
        sector=(sector if sector is not None else agency.sector).strip(),
        status=st.NOT_SENT,
        status_changed_on=date.today(),
        sent_on=None,
        returned_on=None,
        return_version=0,
        return_sha256="",
        contact_name="",
        summary=f"Added {agency.name} to Section 11 cycle {cycle.name}",
    )


def remove_participant(uow: UnitOfWork, participant_uuid: str) -> None:
    participant = get_participant(uow.session, participant_uuid)
    agency = uow.session.get(Agency, participant.agency_uuid)
    uow.delete(participant, summary=f"Removed {agency.name if agency else 'an agency'} from a Section 11 cycle")


def set_sector(uow: UnitOfWork, participant_uuid: str, sector: str) -> bool:
    participant = get_participant(uow.session, participant_uuid)
    return uow.update(participant, sector=sector.strip(), summary="Changed an agency's sector in a Section 11 cycle")


def set_contact(uow: UnitOfWork, participant_uuid: str, name: str) -> bool:
    """The senior lead the interview proposes as attendee and the letters greet."""
    participant = get_participant(uow.session, participant_uuid)
    return uow.update(
        participant,
        contact_name=" ".join(name.split()),
        summary="Changed an agency's senior contact in a Section 11 cycle",
    )


def set_status(uow: UnitOfWork, participant_uuid: str, status: str, *, today: date | None = None) -> bool:
    """Move an agency to any status by hand (e.g. back to 'sent' for a resubmission, or to 'closed'), but
    never to one that claims what the workspace does not hold: "Letter issued" without an issued letter,
    "Moderated" with standards unmoderated... (`missing_for`); refused naming the agency and what is missing."""
    if status not in st.STATUS_LABELS:
        raise InvalidInput(f"Unknown Section 11 status {status!r}.")
    participant = get_participant(uow.session, participant_uuid)
    if participant.status == status:
        return False
    refusal = status_refusal(uow.session, participant.uuid, status)
    if refusal:
        raise InvalidInput(refusal)
    return _change_status(uow, participant, status, today, "set")


def status_refusal(session: Session, participant_uuid: str, status: str) -> str:
    """Why the agency cannot be set to `status` by hand, naming it and what is missing; empty when it can."""
    participant = get_participant(session, participant_uuid)
    missing = missing_for(session, participant, status)
    if not missing:
        return ""
    agency = session.get(Agency, participant.agency_uuid)
    return (
        f"{agency.name if agency else 'The agency'} cannot be set to {st.label(status)}: {missing}. "
        "The status stays as it was."
    )


def missing_for(session: Session, participant: S11Participant, status: str) -> str:
    """What the workspace lacks for `participant` to truly be at `status`, in words with the step that records
    it ("no feedback letter has been issued for it: issue the letter on its Letter tab"); empty when nothing.

    "Sent", "Closed" and "Not sent" claim nothing the workspace records (a template may go out by hand; an
    agency may close at any point); the others each claim one record, made by the step that sets them."""
    from app.section11.interview import HELD, agreed_actions, interview_for
    from app.section11.letters import ISSUED, letters_of

    if status == st.RETURNED:
        answered = any(a.self_score is not None for a in assessments_of(session, participant.uuid).values())
        if participant.returned_on is None and not answered:
            return "no return has been imported or typed in for it: import its return (Ctrl+Shift+I)"
    elif status == st.MODERATED:
        cycle = get_cycle(session, participant.cycle_uuid)
        scored = assessments_of(session, participant.uuid)
        open_numbers = [
            s.number
            for s in standards_of(session, cycle.framework_uuid)
            if s.uuid not in scored or scored[s.uuid].moderated_score is None
        ]
        if open_numbers:
            listed = ", ".join(f"S{n}" for n in open_numbers)
            return (
                f"{len(open_numbers)} standard{'s have' if len(open_numbers) != 1 else ' has'} no moderated score "
                f"({listed}): moderate them on the agency's page (Enter)"
            )
    elif status == st.INTERVIEW_BOOKED:
        if interview_for(session, participant.uuid) is None:
            return "no interview is booked for it: book it (Ctrl+Shift+B)"
    elif status == st.INTERVIEWED:
        held = interview_for(session, participant.uuid)
        if held is None or held.state != HELD:
            return "its interview is not recorded as held: record it as held in interview mode (F5, then Ctrl+Shift+D)"
    elif status in (st.LETTER_ISSUED, st.ACTIONS_AGREED):
        if not any(letter.state == ISSUED for letter in letters_of(session, participant.uuid)):
            return (
                "no feedback letter has been issued for it: issue the letter on the agency's Letter tab (Ctrl+Shift+E)"
            )
        if status == st.ACTIONS_AGREED and not agreed_actions(session, participant.uuid):
            return "no action has been agreed from its interview: agree one in interview mode (F5, then Ctrl+Shift+A)"
    return ""


def advance(uow: UnitOfWork, participant: S11Participant, status: str, *, today: date | None = None) -> bool:
    """Move forward to `status` if the agency is not already there or beyond (automatic steps)."""
    if st.rank(participant.status) >= st.rank(status):
        return False
    return _change_status(uow, participant, status, today, "moved")


def _change_status(uow: UnitOfWork, participant: S11Participant, status: str, today: date | None, how: str) -> bool:
    """The agency's new status and the day it changed ("Section 11 status moved to Returned")."""
    return uow.update(
        participant,
        status=status,
        status_changed_on=today or date.today(),
        summary=f"Section 11 status {how} to {st.label(status)}",
    )


def _view(session: Session, cycle: S11Cycle) -> CycleView:
    framework = session.get(S11Framework, cycle.framework_uuid)
    try:
        scale_name = get_scale(cycle.scale_key).name
    except InvalidInput:
        scale_name = cycle.scale_key
    framework_name = (
        f"{framework.name} ({framework.version_label})"
        if framework and framework.version_label
        else framework.name
        if framework
        else "(framework removed)"
    )
    return CycleView(
        cycle.uuid,
        cycle.name,
        cycle.period_start,
        cycle.period_end,
        cycle.framework_uuid,
        framework_name,
        cycle.scale_key,
        scale_name,
        cycle.return_due,
        cycle.panel_date,
        cycle.interview_from,
        cycle.interview_to,
        cycle.previous_cycle_uuid,
        cycle.closed,
        len(participants(session, cycle.uuid)),
    )


def cycle_view(session: Session, cycle_uuid: str) -> CycleView:
    return _view(session, get_cycle(session, cycle_uuid))


def list_cycles(session: Session) -> list[CycleView]:
    """Newest first."""
    cycles = session.scalars(live(S11Cycle).order_by(S11Cycle.period_start.desc(), S11Cycle.name))
    return [_view(session, c) for c in cycles]


def _late(cycle: S11Cycle, participant: S11Participant, today: date) -> str:
    rank = st.rank(participant.status)
    # every step in one form, "<step> N days late (<the date it was due by>)": "Moderation 20 days after the panel
    # date" read as when moderation would happen, and "1 days" was not English
    if cycle.return_due and rank < st.rank(st.RETURNED) and today > cycle.return_due:
        return f"Return {count_of((today - cycle.return_due).days, 'day')} late"
    if cycle.panel_date and rank < st.rank(st.MODERATED) and rank >= st.rank(st.RETURNED) and today > cycle.panel_date:
        return f"Moderation {count_of((today - cycle.panel_date).days, 'day')} late (QA panel {uk(cycle.panel_date)})"
    if cycle.interview_to and rank < st.rank(st.INTERVIEWED) and today > cycle.interview_to:
        late = count_of((today - cycle.interview_to).days, "day")
        return f"Interview {late} late (window closed {uk(cycle.interview_to)})"
    return ""


def cycle_register(session: Session, cycle_uuid: str, today: date | None = None) -> list[RegisterRow]:
    """Every agency in the cycle: status, what is late, what comes next (by agency name)."""
    today = today or date.today()
    cycle = get_cycle(session, cycle_uuid)
    standards = {
        s.uuid
        for s in session.scalars(
            live(S11Standard).where(S11Standard.framework_uuid == cycle.framework_uuid, S11Standard.retired.is_(False))
        )
    }
    rows = []
    for participant in participants(session, cycle.uuid):
        agency = session.get(Agency, participant.agency_uuid)
        assessments = [
            a
            for a in session.scalars(live(S11Assessment).where(S11Assessment.participant_uuid == participant.uuid))
            if a.standard_uuid in standards
        ]
        rows.append(
            RegisterRow(
                participant.uuid,
                participant.agency_uuid,
                agency.name if agency else "(agency removed)",
                agency.short_name if agency else "",
                participant.sector,
                participant.status,
                st.label(participant.status),
                st.NEXT_STEP.get(participant.status, ""),
                _late(cycle, participant, today),
                participant.returned_on,
                participant.return_version,
                sum(1 for a in assessments if a.self_score is not None),
                sum(1 for a in assessments if a.moderated_score is not None),
                len(standards),
                contact_name=participant.contact_name,
            )
        )
    return sorted(rows, key=lambda r: r.agency.casefold())


def get_or_create_assessment(uow: UnitOfWork, participant: S11Participant, standard_uuid: str) -> S11Assessment:
    uuid = assessment_id(participant.uuid, standard_uuid)
    existing = uow.session.get(S11Assessment, uuid)
    if existing is not None and not existing.is_deleted:
        return existing
    if existing is not None:
        raise InvalidInput("That assessment was deleted; it cannot be recorded again.")
    return uow.create(
        S11Assessment,
        uuid=uuid,
        participant_uuid=participant.uuid,
        standard_uuid=standard_uuid,
        self_score=None,
        evidence="",
        impact="",
        improvement="",
        target_date=None,
        carried_forward=False,
        moderated_score=None,
        rationale="",
        moderated_by="",
        moderated_on=None,
        audit=False,
    )


def assessments_of(session: Session, participant_uuid: str) -> dict[str, S11Assessment]:
    """Standard uuid -> live assessment of this agency in this cycle."""
    return {
        a.standard_uuid: a
        for a in session.scalars(live(S11Assessment).where(S11Assessment.participant_uuid == participant_uuid))
    }


def previous_participant(session: Session, participant: S11Participant) -> S11Participant | None:
    """The same agency in the cycle before (for carry-forward and year-on-year)."""
    cycle = get_cycle(session, participant.cycle_uuid)
    if not cycle.previous_cycle_uuid:
        return None
    found = session.get(S11Participant, participant_id(cycle.previous_cycle_uuid, participant.agency_uuid))
    if found is None or found.is_deleted:
        found = session.scalars(
            live(S11Participant).where(
                S11Participant.cycle_uuid == cycle.previous_cycle_uuid,
                S11Participant.agency_uuid == participant.agency_uuid,
            )
        ).first()
    return found

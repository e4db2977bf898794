"""The challenge interview: booking, the record made in the room, autosave, agreed actions.

Autosave: the interview screen calls `save_draft` on every change of a text field
(cheap: one upsert of one row in the encrypted store, no stamps, no audit). If the
laptop dies mid-sentence the typing is in the workspace; `interview_record` shows
it again over the saved record, and `commit_drafts` (on leaving a field, a
standard or the screen) folds it into the shared, stamped and audited records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from app.agencies import agency_by_uuid
from app.clock import utc_timestamp
from app.contributions import ACTION_TRACKER, LinkedAction, SourceRef
from app.errors import InvalidInput
from app.records import UnitOfWork
from app.records.limits import check_text
from app.records.live import live_or_none, live_record
from app.section11 import status as st
from app.section11.cycles import advance, cycle_scale, get_cycle, get_participant, previous_participant
from app.section11.enquiry import EnquiryLine, get_line, lines_of_enquiry
from app.section11.ids import SETTINGS_ID, interview_id, unused_id
from db.base import live
from db.models.section11 import (
    S11Draft,
    S11Enquiry,
    S11Interview,
    S11Participant,
    S11Settings,
    S11Standard,
)

SECTION11_SOURCE = "section11"
BOOKED, HELD = "booked", "held"
ATTENDEE_KINDS = {"agency": "Agency representative", "chair": "Chair", "panel": "Panel member", "other": "Other"}
#: text fields the autosave may keep, per record kind
INTERVIEW_TEXT_FIELDS = ("notes", "strengths", "challenges", "place")
ENQUIRY_TEXT_FIELDS = ("question_asked", "answer", "evidence_promised", "judgement_note")
MAX_DRAFT_CHARS = 200_000


#: the most people one interview record lists (a room, not a conference)
MAX_ATTENDEES = 40


@dataclass(frozen=True)
class Attendee:
    name: str
    role: str
    kind: str = "agency"

    def as_json(self) -> dict[str, str]:
        return {"name": self.name, "role": self.role, "kind": self.kind}


class AttendeeProblem(InvalidInput):
    """One attendee the record cannot keep: the message names the row (from 1) and the field."""

    def __init__(self, message: str, row: int, field_name: str) -> None:
        super().__init__(message)
        self.row, self.field = row, field_name


@dataclass(frozen=True)
class InterviewRecord:
    """What the interview screen shows: the saved record with any unsaved typing laid over it."""

    uuid: str
    participant_uuid: str
    cycle_uuid: str
    agency: str
    scheduled_on: date | None
    start_time: str
    place: str
    attendees: tuple[Attendee, ...]
    notes: str
    strengths: str
    challenges: str
    state: str
    held_on: date | None
    lines: tuple[EnquiryLine, ...]
    #: draft keys laid over the record (typing not yet committed)
    pending: tuple[str, ...] = field(default=())
    actions: tuple[LinkedAction, ...] = field(default=())


def check_attendees(raw: list[Any] | tuple[Any, ...]) -> list[dict[str, str]]:
    """The attendees as stored, or AttendeeProblem naming the first bad row and field.

    Rows left wholly blank are dropped; a row with a role or a kind but no name is refused (the Chair
    meant someone), as is a name or role over its field limit (``app.records.limits``) or a kind not
    in ``ATTENDEE_KINDS``.
    """
    out = []
    for number, item in enumerate(raw, start=1):
        values = item.as_json() if isinstance(item, Attendee) else dict(item)
        name = str(values.get("name", "") or "").strip()
        role = str(values.get("role", "") or "").strip()
        kind = str(values.get("kind", "") or "").strip() or "agency"
        where = f"Attendees, row {number}"
        if not name:
            if not role:
                continue
            raise AttendeeProblem(f"{where}: the name is empty; type who attends or remove the row.", number, "name")
        for field_name, value in (("name", name), ("role", role)):
            try:
                check_text("s11_interview", f"attendee_{field_name}", value, label=f"{where}: the {field_name}")
            except InvalidInput as exc:
                raise AttendeeProblem(f"{exc.message}.", number, field_name) from None
        if kind not in ATTENDEE_KINDS:
            raise AttendeeProblem(f"{where}: unknown kind {kind!r} (use {', '.join(ATTENDEE_KINDS)}).", number, "kind")
        out.append({"name": name, "role": role, "kind": kind})
    if len(out) > MAX_ATTENDEES:
        raise AttendeeProblem(
            f"Attendees: {len(out)} listed; one interview record keeps at most {MAX_ATTENDEES}.",
            MAX_ATTENDEES + 1,
            "name",
        )
    return out


def proposed_attendees(
    session: Session, participant_uuid: str, member_name: str = "", member_role: str = ""
) -> list[Attendee]:
    """Who to propose when an interview is first booked, from what the workspace knows.

    The Chair: the letters' signatory when the partnership has set one, else the member booking when
    their role says Chair, else last cycle's Chair. The agency: the contact named for this cycle (its
    senior lead), else the agency's people at last cycle's interview. Nothing is proposed that the
    workspace does not hold; the Chair edits the list before booking.
    """
    participant = get_participant(session, participant_uuid)
    last = previous_participant(session, participant)
    before = interview_for(session, last.uuid) if last is not None else None
    last_people = [
        Attendee(a["name"], a.get("role", ""), a.get("kind", "agency")) for a in (before.attendees if before else [])
    ]
    chair: list[Attendee] = []
    settings = live_or_none(session, S11Settings, SETTINGS_ID)
    if settings is not None and settings.signatory_name.strip():
        chair = [Attendee(settings.signatory_name.strip(), settings.signatory_role.strip() or "Chair", "chair")]
    elif member_name.strip() and "chair" in member_role.casefold():
        chair = [Attendee(member_name.strip(), member_role.strip(), "chair")]
    else:
        chair = [a for a in last_people if a.kind == "chair"][:1]
    agency: list[Attendee] = []
    if participant.contact_name.strip():
        agency = [Attendee(participant.contact_name.strip(), "Senior lead", "agency")]
    else:
        agency = [a for a in last_people if a.kind == "agency"]
    return chair + agency


def get_interview(session: Session, interview_uuid: str) -> S11Interview:
    return live_record(session, S11Interview, interview_uuid, "That interview no longer exists.")


def interview_for(session: Session, participant_uuid: str) -> S11Interview | None:
    found = live_or_none(session, S11Interview, interview_id(participant_uuid))
    if found is not None:
        return found
    return session.scalars(live(S11Interview).where(S11Interview.participant_uuid == participant_uuid)).first()


def book_interview(
    uow: UnitOfWork,
    participant_uuid: str,
    *,
    on: date,
    start_time: str = "",
    place: str = "",
    attendees: list[Any] | tuple[Any, ...] = (),
    today: date | None = None,
) -> S11Interview:
    """Book (or re-book) the agency's interview; moves the agency to 'interview booked'."""
    participant = get_participant(uow.session, participant_uuid)
    start_time = start_time.strip()
    if start_time and not _is_time(start_time):
        raise InvalidInput(f"Start time {start_time!r} is not a time of day like 09:30.")
    people = check_attendees(attendees)
    existing = interview_for(uow.session, participant.uuid)
    if existing is not None:
        uow.update(
            existing,
            scheduled_on=on,
            start_time=start_time,
            place=place.strip(),
            attendees=people,
            summary="Re-booked a Section 11 interview",
        )
        interview = existing
    else:
        interview = uow.create(
            S11Interview,
            uuid=unused_id(uow.session, S11Interview, interview_id(participant.uuid)),
            participant_uuid=participant.uuid,
            scheduled_on=on,
            start_time=start_time,
            place=place.strip(),
            attendees=people,
            notes="",
            strengths="",
            challenges="",
            state=BOOKED,
            held_on=None,
            summary="Booked a Section 11 interview",
        )
    advance(uow, participant, st.INTERVIEW_BOOKED, today=today)
    return interview


def _is_time(text: str) -> bool:
    hours, sep, minutes = text.partition(":")
    return (
        bool(sep)
        and hours.isdigit()
        and minutes.isdigit()
        and len(minutes) == 2
        and 0 <= int(hours) < 24
        and 0 <= int(minutes) < 60
    )


def update_interview(
    uow: UnitOfWork,
    interview_uuid: str,
    *,
    scheduled_on: date | None = None,
    start_time: str | None = None,
    place: str | None = None,
    attendees: list[Any] | tuple[Any, ...] | None = None,
    notes: str | None = None,
    strengths: str | None = None,
    challenges: str | None = None,
) -> bool:
    interview = get_interview(uow.session, interview_uuid)
    changes: dict[str, Any] = {}
    if scheduled_on is not None:
        changes["scheduled_on"] = scheduled_on
    if start_time is not None:
        if start_time.strip() and not _is_time(start_time.strip()):
            raise InvalidInput(f"Start time {start_time!r} is not a time of day like 09:30.")
        changes["start_time"] = start_time.strip()
    for name, value in (("place", place), ("notes", notes), ("strengths", strengths), ("challenges", challenges)):
        if value is not None:
            changes[name] = value
    if attendees is not None:
        changes["attendees"] = check_attendees(attendees)
    changed = uow.update(interview, summary="Edited the Section 11 interview record", **changes)
    _drop_drafts(uow.session, interview.uuid, [f"s11_interview:{interview.uuid}:{n}" for n in changes])
    return changed


def record_line(uow: UnitOfWork, enquiry_uuid: str, **changes: Any) -> bool:
    """Save what was asked, answered, promised (with due date) and judged on one line of enquiry."""
    line = get_line(uow.session, enquiry_uuid)
    allowed = set(ENQUIRY_TEXT_FIELDS) | {"evidence_due", "judgement", "prompt"}
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidInput(f"A line of enquiry has no field {', '.join(sorted(unknown))}.")
    if changes.get("judgement") is not None:
        participant = get_participant(uow.session, line.participant_uuid)
        cycle_scale(get_cycle(uow.session, participant.cycle_uuid)).level(changes["judgement"])
    changed = uow.update(line, summary="Recorded a line of enquiry in the interview", **changes)
    interview = interview_for(uow.session, line.participant_uuid)
    if interview is not None:
        _drop_drafts(uow.session, interview.uuid, [f"s11_enquiry:{line.uuid}:{n}" for n in changes])
    return changed


# -- autosave ------------------------------------------------------------------------


def draft_key(table: str, record_uuid: str, field_name: str) -> str:
    return f"{table}:{record_uuid}:{field_name}"


def save_draft(uow: UnitOfWork, interview_uuid: str, record_uuid: str, field_name: str, value: str) -> None:
    """Keep the current text of one field (interview or line of enquiry) in the encrypted store.

    Cheap enough to call on every keystroke: one row upserted, nothing stamped or audited.
    `record_uuid` is the interview's own uuid for its fields, or a line of enquiry's uuid.
    """
    if len(value) > MAX_DRAFT_CHARS:
        raise InvalidInput(f"That text is over {MAX_DRAFT_CHARS} characters; shorten it.")
    if record_uuid == interview_uuid:
        if field_name not in INTERVIEW_TEXT_FIELDS:
            raise InvalidInput(f"The interview has no text field {field_name!r}.")
        table = "s11_interview"
    else:
        if field_name not in ENQUIRY_TEXT_FIELDS:
            raise InvalidInput(f"A line of enquiry has no text field {field_name!r}.")
        table = "s11_enquiry"
    statement = insert(S11Draft).values(
        key=draft_key(table, record_uuid, field_name),
        interview_uuid=interview_uuid,
        value=value,
        saved_at=utc_timestamp("milliseconds"),
    )
    uow.session.execute(
        statement.on_conflict_do_update(
            index_elements=["key"], set_={"value": value, "saved_at": statement.excluded.saved_at}
        )
    )


def pending_drafts(session: Session, interview_uuid: str) -> dict[str, str]:
    return {d.key: d.value for d in session.scalars(select(S11Draft).where(S11Draft.interview_uuid == interview_uuid))}


def _drop_drafts(session: Session, interview_uuid: str, keys: list[str] | None = None) -> None:
    statement = delete(S11Draft).where(S11Draft.interview_uuid == interview_uuid)
    if keys is not None:
        if not keys:
            return
        statement = statement.where(S11Draft.key.in_(keys))
    session.execute(statement)


def commit_drafts(uow: UnitOfWork, interview_uuid: str) -> int:
    """Fold the autosaved typing into the records (stamped and audited); returns fields changed."""
    interview = get_interview(uow.session, interview_uuid)
    changed = 0
    per_record: dict[tuple[str, str], dict[str, Any]] = {}
    for key, value in pending_drafts(uow.session, interview.uuid).items():
        table, record_uuid, field_name = key.split(":", 2)
        per_record.setdefault((table, record_uuid), {})[field_name] = value
    for (table, record_uuid), fields in per_record.items():
        if table == "s11_interview":
            record: Any = interview
        else:
            record = uow.session.get(S11Enquiry, record_uuid)
            if record is None or record.is_deleted:
                continue  # the line was removed (perhaps by another member): its typing goes with it
        if uow.update(record, summary="Interview notes saved", **fields):
            changed += len(fields)
    _drop_drafts(uow.session, interview.uuid)
    return changed


def discard_drafts(uow: UnitOfWork, interview_uuid: str) -> None:
    _drop_drafts(uow.session, interview_uuid)


def mark_held(uow: UnitOfWork, interview_uuid: str, *, held_on: date | None = None, today: date | None = None) -> None:
    """The interview took place: keep the typing, move the agency to 'interviewed'.

    Held on the day booked, unless that day is still to come (it was brought forward): then today.
    """
    interview = get_interview(uow.session, interview_uuid)
    now = today or date.today()
    if held_on is not None and held_on > now:
        raise InvalidInput(f"An interview cannot be recorded as held on {held_on:%d/%m/%Y}, a day still to come.")
    booked = interview.scheduled_on
    commit_drafts(uow, interview.uuid)
    uow.update(
        interview,
        state=HELD,
        held_on=held_on or (booked if booked is not None and booked <= now else now),
        summary="Section 11 interview held",
    )
    advance(uow, get_participant(uow.session, interview.participant_uuid), st.INTERVIEWED, today=today)


def interview_record(session: Session, participant_uuid: str) -> InterviewRecord | None:
    """The agency's interview with unsaved typing laid over it; None when none is booked."""
    participant = get_participant(session, participant_uuid)
    interview = interview_for(session, participant.uuid)
    if interview is None:
        return None
    agency = agency_by_uuid(session, participant.agency_uuid)
    drafts = pending_drafts(session, interview.uuid)
    values = {name: getattr(interview, name) for name in INTERVIEW_TEXT_FIELDS}
    for name in INTERVIEW_TEXT_FIELDS:
        key = draft_key("s11_interview", interview.uuid, name)
        if key in drafts:
            values[name] = drafts[key]
    lines = []
    for line in lines_of_enquiry(session, participant.uuid):
        overlay: dict[str, Any] = {}
        for name in ENQUIRY_TEXT_FIELDS:
            key = draft_key("s11_enquiry", line.uuid, name)
            if key in drafts:
                overlay[name] = drafts[key]
        lines.append(_replace(line, overlay) if overlay else line)
    return InterviewRecord(
        interview.uuid,
        participant.uuid,
        participant.cycle_uuid,
        agency.name,
        interview.scheduled_on,
        interview.start_time,
        values["place"],
        tuple(Attendee(a["name"], a.get("role", ""), a.get("kind", "agency")) for a in interview.attendees or []),
        values["notes"],
        values["strengths"],
        values["challenges"],
        interview.state,
        interview.held_on,
        tuple(lines),
        tuple(sorted(drafts)),
        tuple(agreed_actions(session, participant.uuid)),
    )


def _replace(line: EnquiryLine, overlay: dict[str, Any]) -> EnquiryLine:
    from dataclasses import replace

    return replace(line, **overlay)


# -- agreed actions ----------------------------------------------------------------


def _source(
    session: Session, participant: S11Participant, interview: S11Interview, line: S11Enquiry | None
) -> SourceRef:
    cycle = get_cycle(session, participant.cycle_uuid)
    agency = agency_by_uuid(session, participant.agency_uuid)
    label = f"{cycle.name}, {agency.short_name or agency.name}"
    if line is not None and line.standard_uuid:
        standard = session.get(S11Standard, line.standard_uuid)
        if standard is not None:
            label += f", standard {standard.number}"
    return SourceRef(SECTION11_SOURCE, label, line.uuid if line is not None else interview.uuid, cycle.uuid)


def agree_action(
    uow: UnitOfWork,
    participant_uuid: str,
    *,
    title: str,
    due: date,
    enquiry_uuid: str | None = None,
    lead_officer: str = "",
    success_measure: str = "",
    today: date | None = None,
) -> str:
    """Create an agreed action in the tracker, linked to this interview (and line of enquiry, so the
    cycle, agency, standard and interview are all known); returns its reference."""
    participant = get_participant(uow.session, participant_uuid)
    interview = interview_for(uow.session, participant.uuid)
    if interview is None:
        raise InvalidInput("Book the interview before agreeing actions from it.")
    line = get_line(uow.session, enquiry_uuid) if enquiry_uuid else None
    if line is not None and line.participant_uuid != participant.uuid:
        raise InvalidInput("That line of enquiry belongs to another agency.")
    reference = ACTION_TRACKER().create(
        uow,
        title=title,
        owner_agency_uuid=participant.agency_uuid,
        due=due,
        source=_source(uow.session, participant, interview, line),
        lead_officer=lead_officer,
        success_measure=success_measure,
    )
    if participant.status == st.LETTER_ISSUED:
        advance(uow, participant, st.ACTIONS_AGREED, today=today)
    return reference


def source_uuids(session: Session, participant_uuid: str) -> list[str]:
    """The records actions of this agency's interview point at (the interview and its lines)."""
    interview = interview_for(session, participant_uuid)
    uuids = [interview.uuid] if interview is not None else []
    uuids += [e.uuid for e in session.scalars(live(S11Enquiry).where(S11Enquiry.participant_uuid == participant_uuid))]
    return uuids


def agreed_actions(session: Session, participant_uuid: str) -> list[LinkedAction]:
    """Tracker actions made from this agency's interview (the tracker's side of the link)."""
    if not ACTION_TRACKER.available:
        return []
    return ACTION_TRACKER().linked(session, source_uuids(session, participant_uuid))

"""Lines of enquiry for the challenge interview: suggested from the evidence, then the Chair's to shape.

Suggestions (each made once; a removed one stays removed, because its identity
is derived from what it is about and its tombstone remains):
- over_rated: the panel moderated the standard below the agency's own score;
- bottom_of_scale: the standard sits at the bottom of the scale;
- not_met_last_cycle: the standard was red last cycle;
- open_action: an action from an earlier Section 11 interview is still open.
The Chair adds lines of their own, removes and reorders them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.contributions import ACTION_TRACKER
from app.errors import InvalidInput
from app.records import UnitOfWork
from app.records.live import live_children, live_record
from app.section11.cycles import (
    assessments_of,
    cycle_scale,
    get_cycle,
    get_participant,
    previous_participant,
)
from app.section11.frameworks import standards_of
from app.section11.ids import suggestion_id
from db.base import live
from db.models.section11 import S11Enquiry, S11Interview, S11Participant, S11Standard

OVER_RATED = "over_rated"
BOTTOM_OF_SCALE = "bottom_of_scale"
NOT_MET_LAST_CYCLE = "not_met_last_cycle"
OPEN_ACTION = "open_action"
CHAIR = "chair"
REASON_LABELS = {
    OVER_RATED: "Over-rated",
    BOTTOM_OF_SCALE: "Bottom of the scale",
    NOT_MET_LAST_CYCLE: "Not met last cycle",
    OPEN_ACTION: "Open Section 11 action",
    CHAIR: "Added by the Chair",
}


@dataclass(frozen=True)
class EnquiryLine:
    uuid: str
    position: float
    reason: str
    reason_label: str
    reason_text: str
    standard_uuid: str | None
    standard_number: int | None
    standard_title: str
    prompt: str
    question_asked: str
    answer: str
    evidence_promised: str
    evidence_due: date | None
    judgement: int | None
    judgement_text: str
    judgement_note: str


def _live_lines(session: Session, participant_uuid: str) -> list[S11Enquiry]:
    return live_children(
        session, S11Enquiry, S11Enquiry.participant_uuid, participant_uuid, S11Enquiry.position, S11Enquiry.uuid
    )


def lines_of_enquiry(session: Session, participant_uuid: str) -> list[EnquiryLine]:
    participant = get_participant(session, participant_uuid)
    scale = cycle_scale(get_cycle(session, participant.cycle_uuid))
    out = []
    for line in _live_lines(session, participant.uuid):
        standard = session.get(S11Standard, line.standard_uuid) if line.standard_uuid else None
        out.append(
            EnquiryLine(
                line.uuid,
                line.position,
                line.reason,
                REASON_LABELS.get(line.reason, line.reason),
                line.reason_text,
                line.standard_uuid,
                standard.number if standard else None,
                standard.title if standard else "",
                line.prompt,
                line.question_asked,
                line.answer,
                line.evidence_promised,
                line.evidence_due,
                line.judgement,
                scale.label(line.judgement) if line.judgement is not None else "",
                line.judgement_note,
            )
        )
    return out


def _next_position(session: Session, participant_uuid: str) -> float:
    return max((ln.position for ln in _live_lines(session, participant_uuid)), default=0.0) + 1.0


def _first_question(standard: S11Standard) -> str:
    questions = list(standard.questions or [])
    return questions[0] if questions else f"How do you know standard {standard.number} is met?"


def _suggest(
    uow: UnitOfWork,
    participant: S11Participant,
    reason: str,
    subject: str,
    *,
    standard_uuid: str | None,
    reason_text: str,
    prompt: str,
) -> bool:
    uuid = suggestion_id(participant.uuid, reason, subject)
    if uow.session.get(S11Enquiry, uuid) is not None:  # live, or removed by the Chair: either way not again
        return False
    _new_line(
        uow,
        participant.uuid,
        standard_uuid,
        reason,
        reason_text,
        prompt,
        f"Suggested line of enquiry ({REASON_LABELS[reason]})",
        uuid=uuid,
    )
    return True


def _new_line(
    uow: UnitOfWork,
    participant_uuid: str,
    standard_uuid: str | None,
    reason: str,
    reason_text: str,
    prompt: str,
    summary: str,
    uuid: str | None = None,
) -> S11Enquiry:
    """A line of enquiry placed last in the participant's list, nothing asked or answered yet; a
    suggestion's `uuid` is derived from what prompted it, so it is never suggested twice."""
    identity: dict[str, Any] = {"uuid": uuid} if uuid is not None else {}
    line = uow.create(
        S11Enquiry,
        **identity,
        participant_uuid=participant_uuid,
        standard_uuid=standard_uuid,
        reason=reason,
        reason_text=reason_text,
        prompt=prompt,
        position=_next_position(uow.session, participant_uuid),
        question_asked="",
        answer="",
        evidence_promised="",
        evidence_due=None,
        judgement=None,
        judgement_note="",
        summary=summary,
    )
    uow.session.flush()
    return line


def suggest_lines(uow: UnitOfWork, participant_uuid: str) -> int:
    """Add the suggested lines not made before; returns how many were added."""
    participant = get_participant(uow.session, participant_uuid)
    cycle = get_cycle(uow.session, participant.cycle_uuid)
    scale = cycle_scale(cycle)
    mine = assessments_of(uow.session, participant.uuid)
    added = 0
    standards = standards_of(uow.session, cycle.framework_uuid)
    for standard in standards:
        a = mine.get(standard.uuid)
        if a is None:
            continue
        if a.self_score is not None and a.moderated_score is not None and a.moderated_score < a.self_score:
            added += _suggest(
                uow,
                participant,
                OVER_RATED,
                standard.lineage,
                standard_uuid=standard.uuid,
                reason_text=f"Self-assessed {scale.short(a.self_score)}, moderated "
                f"{scale.short(a.moderated_score)}. Panel: {a.rationale}",
                prompt=f"The panel scored standard {standard.number} lower than you did. "
                f"What evidence shows it is {scale.label(a.self_score).lower()}?",
            )
        shown = a.moderated_score if a.moderated_score is not None else a.self_score
        if scale.is_bottom(shown):
            added += _suggest(
                uow,
                participant,
                BOTTOM_OF_SCALE,
                standard.lineage,
                standard_uuid=standard.uuid,
                reason_text=f"Scored {scale.label(shown)}",
                prompt=f"Standard {standard.number} is at the bottom of the scale: "
                f"{_first_question(standard)} What will change, by when?",
            )
    before = previous_participant(uow.session, participant)
    if before is not None:
        last_scale = cycle_scale(get_cycle(uow.session, before.cycle_uuid))
        by_lineage = {s.lineage: s for s in standards}
        for a in assessments_of(uow.session, before.uuid).values():
            old = uow.session.get(S11Standard, a.standard_uuid)
            shown = a.moderated_score if a.moderated_score is not None else a.self_score
            if old is None or old.lineage not in by_lineage or not last_scale.is_not_met(shown):
                continue
            now = by_lineage[old.lineage]
            added += _suggest(
                uow,
                participant,
                NOT_MET_LAST_CYCLE,
                old.lineage,
                standard_uuid=now.uuid,
                reason_text=f"Last cycle: {last_scale.label(shown)}",
                prompt=f"Standard {now.number} was not met last cycle. What has changed since, "
                "and how do you know it made a difference?",
            )
    for action in open_section11_actions(uow.session, participant):
        added += _suggest(
            uow,
            participant,
            OPEN_ACTION,
            action.uuid,
            standard_uuid=None,
            reason_text=f"{action.reference}: {action.title} (due {action.due:%d/%m/%Y}, "
            f"{action.status_label}, {action.rag_text})",
            prompt=f"Action {action.reference} is still open. Where is it up to, and what is the "
            "evidence of impact so far?",
        )
    return added


def open_section11_actions(session: Session, participant: S11Participant) -> list:
    """Open tracker actions that came from this agency's earlier Section 11 interviews or lines of enquiry."""
    if not ACTION_TRACKER.available:
        return []
    earlier = [
        p.uuid
        for p in session.scalars(
            live(S11Participant).where(
                S11Participant.agency_uuid == participant.agency_uuid, S11Participant.uuid != participant.uuid
            )
        )
    ]
    if not earlier:
        return []
    sources = [i.uuid for i in session.scalars(live(S11Interview).where(S11Interview.participant_uuid.in_(earlier)))]
    sources += [e.uuid for e in session.scalars(live(S11Enquiry).where(S11Enquiry.participant_uuid.in_(earlier)))]
    return [a for a in ACTION_TRACKER().linked(session, sources) if not a.status_label.casefold().startswith("closed")]


def add_line(uow: UnitOfWork, participant_uuid: str, prompt: str, *, standard_uuid: str | None = None) -> S11Enquiry:
    participant = get_participant(uow.session, participant_uuid)
    if not prompt.strip():
        raise InvalidInput("A line of enquiry needs a question.")
    if standard_uuid is not None:
        cycle = get_cycle(uow.session, participant.cycle_uuid)
        standard = uow.session.get(S11Standard, standard_uuid)
        if standard is None or standard.framework_uuid != cycle.framework_uuid:
            raise InvalidInput("That standard is not part of this cycle's framework.")
    return _new_line(uow, participant.uuid, standard_uuid, CHAIR, "", prompt.strip(), "Added a line of enquiry")


def get_line(session: Session, enquiry_uuid: str) -> S11Enquiry:
    return live_record(session, S11Enquiry, enquiry_uuid, "That line of enquiry no longer exists.")


def remove_line(uow: UnitOfWork, enquiry_uuid: str) -> None:
    uow.delete(get_line(uow.session, enquiry_uuid), summary="Removed a line of enquiry")


def reorder_lines(uow: UnitOfWork, participant_uuid: str, ordered_uuids: list[str]) -> int:
    """Put the lines in this order (uuids not named keep their place after them); returns lines moved."""
    lines = _live_lines(uow.session, participant_uuid)
    by_uuid = {ln.uuid: ln for ln in lines}
    unknown = [u for u in ordered_uuids if u not in by_uuid]
    if unknown:
        raise InvalidInput("A line of enquiry to reorder is no longer there; reload and try again.")
    order = list(ordered_uuids) + [ln.uuid for ln in lines if ln.uuid not in set(ordered_uuids)]
    moved = 0
    for index, uuid in enumerate(order, start=1):
        moved += uow.update(by_uuid[uuid], position=float(index), audit=False)
    return moved


def move_line(uow: UnitOfWork, enquiry_uuid: str, offset: int) -> bool:
    """Move a line up (-1) or down (+1) the list."""
    line = get_line(uow.session, enquiry_uuid)
    order = [ln.uuid for ln in _live_lines(uow.session, line.participant_uuid)]
    index = order.index(line.uuid)
    target = max(0, min(len(order) - 1, index + offset))
    if target == index:
        return False
    order.insert(target, order.pop(index))
    return reorder_lines(uow, line.participant_uuid, order) > 0

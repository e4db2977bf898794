"""Agenda items as the source of actions: ``meeting:REF#N`` is item N of meeting REF."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.contributions import SourceLocation, SourceRef
from app.errors import InvalidInput
from app.meetings import service
from app.meetings.minutes import MEETING_ITEM, item_label
from app.records.live import live_or_none
from db.models.meetings import AgendaItem


def resolve(session: Session, text: str) -> SourceRef:
    reference, _, number = text.partition("#")
    meeting = service.find_meeting(session, reference)
    if not number.strip():
        raise InvalidInput(f"Name the agenda item too, e.g. meeting:{meeting.reference}#1.")
    try:
        wanted = int(number)
    except ValueError:
        raise InvalidInput(f"Item number {number!r} in {text!r} is not a whole number.") from None
    item = service.find_item(session, meeting.uuid, wanted)
    return SourceRef(MEETING_ITEM, item_label(meeting.reference, wanted), item.uuid)


def locate(session: Session, item_uuid: str) -> SourceLocation | None:
    item = live_or_none(session, AgendaItem, item_uuid)
    if item is None:
        return None
    meeting = live_or_none(session, service.Meeting, item.meeting_uuid)
    if meeting is None:
        return None
    number = service.item_number(session, item)
    return SourceLocation("meetings", item.uuid, f"{item_label(meeting.reference, number)} ({item.title})")

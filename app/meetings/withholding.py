"""Restricted agenda items stay out of bundles for recipients not cleared for them.

A bundle (everything, since last, or passphrase) leaves out, for each meeting,
its restricted items (their notes and decisions), those items' papers and the
issued packs that contain them, unless every recipient is a member of that
meeting cleared for restricted items (matched by their exchange contact). A
passphrase bundle has no known recipient, so it never carries them. Members
not cleared get their pack as a sealed copy without those papers.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models.meetings import AgendaItem, MeetingMember, MeetingPack, MeetingPaper


def withheld(session: Session, recipients: list[str]) -> dict[str, set[str]]:
    wanted = {name.casefold() for name in recipients}
    cleared: dict[str, set[str]] = {}
    for member in session.scalars(
        select(MeetingMember).where(MeetingMember.deleted_stamp.is_(None), MeetingMember.cleared_restricted.is_(True))
    ):
        if member.contact_name:
            cleared.setdefault(member.meeting_uuid, set()).add(member.contact_name.casefold())
    found: dict[str, set[str]] = {"agenda_item": set(), "meeting_paper": set(), "meeting_pack": set()}

    def allowed(meeting_uuid: str) -> bool:
        return bool(wanted) and wanted <= cleared.get(meeting_uuid, set())

    restricted = {
        uuid: meeting
        for uuid, meeting in session.execute(
            select(AgendaItem.uuid, AgendaItem.meeting_uuid).where(AgendaItem.restricted.is_(True))
        )
    }
    for item_uuid, meeting_uuid in restricted.items():
        if not allowed(meeting_uuid):
            found["agenda_item"].add(item_uuid)
    if found["agenda_item"]:
        found["meeting_paper"] = set(
            session.scalars(select(MeetingPaper.uuid).where(MeetingPaper.item_uuid.in_(sorted(found["agenda_item"]))))
        )
    for pack_uuid, meeting_uuid in session.execute(
        select(MeetingPack.uuid, MeetingPack.meeting_uuid).where(MeetingPack.open_content.is_not(None))
    ):
        if not allowed(meeting_uuid):
            found["meeting_pack"].add(pack_uuid)
    return found

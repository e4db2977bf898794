"""What happens in the meeting and after: notes, decisions, actions into the tracker, minutes, approval.

Minutes are made from the meeting's record (attendance, apologies, each item's
notes, decisions and the actions raised from it) as DOCX or PDF, marked
OFFICIAL-SENSITIVE. Approving them (at the next meeting) stores the SHA-256 of
their text on the meeting and in the audit log and freezes the record.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.contributions import ACTION_TRACKER, LinkedAction, SourceRef
from app.errors import InvalidInput
from app.meetings import service
from app.office.pdf_pages import MARKING
from app.records import UnitOfWork

MEETING_ITEM = "meeting_item"


def item_label(reference: str, number: int) -> str:
    return f"{reference} item {number}"


def record_item(uow: UnitOfWork, item_uuid: str, *, notes: str | None = None, decisions: str | None = None) -> bool:
    """Keep the notes and decisions exactly as typed."""
    changes = {k: v for k, v in (("notes", notes), ("decisions", decisions)) if v is not None}
    return service.update_item(uow, item_uuid, **changes) if changes else False


def raise_action(
    uow: UnitOfWork, item_uuid: str, *, title: str, owner_agency_uuid: str, due: date, lead_officer: str = ""
) -> str:
    """An action straight into the tracker, with the agenda item as its source; returns its reference."""
    item = service.get_item(uow.session, item_uuid)
    meeting = service.get_meeting(uow.session, item.meeting_uuid)
    service.check_open(meeting)
    if not title.strip():
        raise InvalidInput("An action needs a title.")
    label = item_label(meeting.reference, service.item_number(uow.session, item))
    return ACTION_TRACKER().create(
        uow,
        title=title.strip(),
        owner_agency_uuid=owner_agency_uuid,
        due=due,
        source=SourceRef(MEETING_ITEM, label, item.uuid),
        lead_officer=lead_officer,
    )


def mark_held(uow: UnitOfWork, meeting_uuid: str) -> list[str]:
    """The meeting took place: whoever is still only invited did not come, so is recorded as absent (an
    attendance change of its own in the audit log); left "invited", the minutes listed them nowhere.
    Returns their names, to say so."""
    meeting = service.get_meeting(uow.session, meeting_uuid)
    service.check_open(meeting)
    why = f"still only invited when {meeting.reference} was marked as held"
    absent = service.only_invited(uow.session, meeting_uuid)
    for member in absent:
        service.set_attendance(uow, member.uuid, "absent", why=why)
    uow.update(meeting, status=service.HELD, summary=f"{meeting.reference} held")
    return [member.name for member in absent]


def held_message(reference: str, absent: list[str]) -> str:
    """What marking `reference` as held did, in one line (the command line's and the status bar's)."""
    if not absent:
        return f"{reference} marked as held"
    return f"{reference} marked as held; recorded absent (still only invited): {_listed(absent)}"


@dataclass
class MinutesItem:
    number: int
    title: str
    purpose: str
    restricted: bool
    notes: str
    decisions: str
    actions: list[LinkedAction] = field(default_factory=list)
    uuid: str = ""
    #: a restricted item this workspace was not sent (its words stay with the members cleared for them)
    withheld: bool = False


@dataclass
class Minutes:
    reference: str
    body: str
    meets_on: date
    start_time: str
    venue: str
    chair: str
    present: list[str]
    apologies: list[str]
    absent: list[str]
    items: list[MinutesItem]
    approved: str = ""
    #: members still only invited (before the meeting is held): never in approved minutes, which refuse them
    not_recorded: list[str] = field(default_factory=list)

    def text(self) -> str:
        """The minutes as plain text: what their approval hash covers (the same as before the members not
        recorded were listed, when there are none, so minutes approved earlier still match their hash)."""
        lines = [
            f"{self.body}: minutes of {self.meets_on.isoformat()} {self.start_time}".strip(),
            f"Venue: {self.venue}",
            f"Chair: {self.chair}",
            "Present: " + "; ".join(self.present),
            "Apologies: " + "; ".join(self.apologies),
            "Absent: " + "; ".join(self.absent),
        ]
        if self.not_recorded:
            lines.append(f"{NOT_RECORDED}: " + "; ".join(self.not_recorded))
        for item in self.items:
            lines += [f"Item {item.number}: {item.title}", f"Notes: {item.notes}", f"Decisions: {item.decisions}"]
            lines += [
                f"Action {a.reference}: {a.title} ({a.owner_agency}, due {a.due.isoformat()})" for a in item.actions
            ]
        return "\n".join(lines)

    def digest(self) -> str:
        return hashlib.sha256(self.text().encode("utf-8")).hexdigest()


def _name(member: Any) -> str:
    return f"{member.name} ({member.role})" if member.role else member.name


def minutes_of(session: Session, meeting_uuid: str) -> Minutes:
    meeting = service.get_meeting(session, meeting_uuid)
    people = service.members(session, meeting.uuid)
    listed = service.items(session, meeting.uuid)
    linked: list[LinkedAction] = []
    if ACTION_TRACKER.available:
        linked = ACTION_TRACKER().linked(session, [i.uuid for i in listed])
    items = []
    for number, item in enumerate(listed, start=1):
        items.append(
            MinutesItem(
                number,
                item.title,
                item.purpose,
                item.restricted,
                item.notes,
                item.decisions,
                sorted((a for a in linked if a.source_uuid == item.uuid), key=lambda a: a.reference),
                item.uuid,
            )
        )
    approved = _approval_line(meeting)
    return Minutes(
        meeting.reference,
        service.body_name(session, meeting),
        meeting.meets_on,
        meeting.start_time,
        meeting.venue,
        meeting.chair,
        [_name(p) for p in people if p.attendance == "present"],
        [_name(p) for p in people if p.attendance == "apologies"],
        [_name(p) for p in people if p.attendance == "absent"],
        items,
        approved,
        [_name(p) for p in people if p.attendance == "invited"],
    )


def approve_minutes(uow: UnitOfWork, meeting_uuid: str, *, at_meeting: str = "", on: date | None = None) -> str:
    """Freeze the minutes: their hash on the meeting and in the audit log. Returns the hash."""
    at = check_approvable(uow.session, meeting_uuid, at_meeting)
    meeting = service.get_meeting(uow.session, meeting_uuid)
    approved = minutes_of(uow.session, meeting_uuid)
    digest = approved.digest()
    uow.update(
        meeting,
        status=service.MINUTES_APPROVED,
        minutes_hash=digest,
        minutes_approved_on=on or date.today(),
        minutes_approved_at=at,
        approved_minutes=snapshot(approved),
        summary=f"Minutes of {meeting.reference} approved (SHA-256 {digest})",
    )
    return digest


def check_approvable(session: Session, meeting_uuid: str, at_meeting: str = "") -> str:
    """Why the minutes cannot be approved (InvalidInput), else the approving meeting's reference: asked before
    the question whether to approve, so a refusal does not follow the answer."""
    meeting = service.get_meeting(session, meeting_uuid)
    service.check_open(meeting)
    if meeting.status != service.HELD:
        raise InvalidInput(
            f"{meeting.reference} has not been held yet: mark it as held after the meeting, "
            "then approve its minutes (at the next meeting)."
        )
    unrecorded = [m.name for m in service.only_invited(session, meeting_uuid)]
    if unrecorded:
        raise InvalidInput(
            f"The minutes of {meeting.reference} cannot be approved while the attendance of {_listed(unrecorded)} "
            "is not recorded (still only invited): record each as present, apologies or absent first."
        )
    return _approving_meeting(session, meeting, at_meeting)


def _listed(words: list[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _approving_meeting(session: Session, meeting: service.Meeting, text: str) -> str:
    """The reference of the meeting that approves `meeting`'s minutes ("" if none is named).

    What is named here is frozen with the minutes and printed on every export: free text took a typo
    ("QA-2026-12-41"), a meeting that does not exist, or the meeting itself, for good."""
    if not text.strip():
        return ""
    try:
        at = service.find_meeting(session, text)
    except InvalidInput:
        raise InvalidInput(
            f"There is no meeting {text.strip()!r} to approve the minutes of {meeting.reference} at: "
            "give the reference of the meeting approving them (see `workbench meeting list`)."
        ) from None
    if at.meets_on <= meeting.meets_on or at.uuid == meeting.uuid:
        raise InvalidInput(
            f"{at.reference} does not meet after {meeting.reference}: "
            "minutes are approved at a later meeting (usually the body's next one)."
        )
    return at.reference


# -- the minutes as approved ---------------------------------------------------------
#
# Approval keeps the minutes' data on the meeting (`approved_minutes`): exports of approved
# minutes are made from it, so they are the same on every export however the actions raised
# in the meeting move on (status, due date). The meeting's own record (attendance, items,
# notes, decisions) stays frozen, and `frozen_minutes_problem` says when it, or the kept
# minutes, no longer match what was approved (`workbench check`, the meeting's status, and a
# merge that would change frozen minutes: rule "meeting-minutes-frozen").
#
# A restricted item's title, notes and decisions are not kept on the meeting, only their
# SHA-256: the meeting travels to every member, while restricted items stay out of bundles
# for members not cleared for them (app/meetings/withholding.py). They are read from the
# item itself (frozen like the rest) where it is held; where it was withheld the minutes
# say "Restricted item: minutes to members only" and only the rest can be compared.

SNAPSHOT_VERSION = 1
_SEALED = ("title", "notes", "decisions")


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def snapshot(minutes: Minutes) -> dict[str, Any]:
    """The minutes as JSON-ready data (dates as ISO text), without the approval line; restricted
    items' words as their hashes."""
    data = asdict(minutes)
    data.pop("approved", None)
    data.pop("not_recorded", None)  # always empty here: approval refuses members only invited
    data["meets_on"] = minutes.meets_on.isoformat()
    for item in data["items"]:
        item.pop("withheld", None)
        for action in item["actions"]:
            action["due"] = action["due"].isoformat()
        if item["restricted"]:
            item["sealed"] = {name: _sha(item[name]) for name in _SEALED}
            item.update(dict.fromkeys(_SEALED, ""))
    return {"version": SNAPSHOT_VERSION, **data}


def _held_items(session: Session, uuids: list[str]) -> dict[str, Any]:
    """uuid -> row (title, notes, decisions, deleted_stamp) of the agenda items held here, read with
    Core (a merge has just written them under the ORM); a withheld item has no row at all."""
    from sqlalchemy import select

    from db.models.meetings import AgendaItem

    table = AgendaItem.__table__
    query = select(table.c.uuid, table.c.title, table.c.notes, table.c.decisions, table.c.deleted_stamp)
    return {row.uuid: row for row in session.execute(query.where(table.c.uuid.in_(uuids)))}


def from_snapshot(session: Session, data: Mapping[str, Any], approved: str = "") -> Minutes:
    """The approved minutes; a restricted item's words from the item where it is held (else withheld)."""
    held = _held_items(session, [item["uuid"] for item in data["items"] if item["restricted"]])
    items = []
    for item in data["items"]:
        words = {name: item[name] for name in _SEALED}
        withheld = False
        if item["restricted"]:
            row = held.get(item["uuid"])
            withheld = row is None
            words = {name: getattr(row, name) for name in _SEALED} if row is not None else dict.fromkeys(_SEALED, "")
        items.append(
            MinutesItem(
                item["number"],
                words["title"] or ("Restricted item" if withheld else ""),
                item["purpose"],
                item["restricted"],
                words["notes"],
                words["decisions"],
                [LinkedAction(**{**a, "due": date.fromisoformat(a["due"])}) for a in item["actions"]],
                item["uuid"],
                withheld,
            )
        )
    return Minutes(
        data["reference"],
        data["body"],
        date.fromisoformat(data["meets_on"]),
        data["start_time"],
        data["venue"],
        data["chair"],
        list(data["present"]),
        list(data["apologies"]),
        list(data["absent"]),
        items,
        approved,
    )


def _item_record(uuid: str, title: str, purpose: str, restricted: bool, notes: str, decisions: str) -> list[Any]:
    words = [title, notes, decisions]
    return [uuid, purpose, restricted, *([_sha(w) for w in words] if restricted else words)]


def _approved_record(data: Mapping[str, Any], withheld: set[str]) -> dict[str, Any]:
    """What stays frozen after approval, from the kept minutes: not the actions (they move on), not
    the body's name (renamable), not the items withheld from this workspace."""
    items = []
    for item in data["items"]:
        if item["uuid"] in withheld:
            continue
        sealed = item.get("sealed") or {}
        words = [sealed.get(n, "") for n in _SEALED] if item["restricted"] else [item[n] for n in _SEALED]
        items.append([item["uuid"], item["purpose"], item["restricted"], *words])
    return {
        "meeting": [data["meets_on"], data["start_time"], data["venue"], data["chair"]],
        "attendance": [data["present"], data["apologies"], data["absent"]],
        "items": items,
    }


def _live_record(session: Session, meeting_uuid: str, meeting: Mapping[str, Any]) -> dict[str, Any]:
    """The meeting's record as stored now, read with Core (a merge has just written it under the ORM)."""
    from sqlalchemy import select

    from db.models.meetings import AgendaItem, MeetingMember

    items, members = AgendaItem.__table__, MeetingMember.__table__
    people = session.execute(
        select(members.c.name, members.c.role, members.c.attendance)
        .where(members.c.meeting_uuid == meeting_uuid, members.c.deleted_stamp.is_(None))
        .order_by(members.c.name)
    ).all()

    def named(attendance: str) -> list[str]:
        return [f"{p.name} ({p.role})" if p.role else p.name for p in people if p.attendance == attendance]

    rows = session.execute(
        select(items.c.uuid, items.c.title, items.c.purpose, items.c.restricted, items.c.notes, items.c.decisions)
        .where(items.c.meeting_uuid == meeting_uuid, items.c.deleted_stamp.is_(None))
        .order_by(items.c.position, items.c.uuid)
    ).all()
    meets_on = meeting["meets_on"]
    return {
        "meeting": [
            meets_on.isoformat() if isinstance(meets_on, date) else str(meets_on),
            meeting["start_time"],
            meeting["venue"],
            meeting["chair"],
        ],
        "attendance": [named("present"), named("apologies"), named("absent")],
        "items": [_item_record(r.uuid, r.title, r.purpose, bool(r.restricted), r.notes, r.decisions) for r in rows],
    }


def _differences(approved: dict[str, Any], live: dict[str, Any]) -> list[str]:
    found = []
    if approved["meeting"] != live["meeting"]:
        found.append("the meeting's date, time, venue or chair")
    if approved["attendance"] != live["attendance"]:
        found.append("attendance")
    if [i[0] for i in approved["items"]] != [i[0] for i in live["items"]]:
        found.append(f"the agenda ({len(approved['items'])} items approved, {len(live['items'])} now, or reordered)")
    else:
        names = ("purpose", "restricted", "title", "notes", "decisions")
        for number, (was, now) in enumerate(zip(approved["items"], live["items"], strict=True), start=1):
            changed = [name for name, a, b in zip(names, was[1:], now[1:], strict=True) if a != b]
            if changed:
                found.append(f"item {number}'s {' and '.join(changed)}")
    return found


def frozen_minutes_problem(session: Session, meeting_uuid: str, meeting: Mapping[str, Any]) -> str | None:
    """Why an approved meeting's minutes no longer hold, or None (also None if not approved).

    `meeting` is the meeting's field values (a row, or `meeting_values`). Minutes approved before
    the approved minutes were kept can only be compared by hash with the live record, actions
    included, so an action edited since also shows there.
    """
    if meeting["status"] != service.MINUTES_APPROVED:
        return None
    kept = meeting["approved_minutes"] or {}
    if not kept:
        if minutes_of(session, meeting_uuid).digest() != meeting["minutes_hash"]:
            return "the minutes no longer match the hash they were approved with"
        return None
    approved = from_snapshot(session, kept)
    withheld = {item.uuid for item in approved.items if item.withheld}
    changed = _differences(_approved_record(kept, withheld), _live_record(session, meeting_uuid, meeting))
    if changed:
        return "changed after its minutes were approved: " + "; ".join(changed)
    if not withheld and approved.digest() != meeting["minutes_hash"]:
        return "the approved minutes kept on the meeting no longer match their approval hash"
    return None


def meeting_values(meeting: Any) -> dict[str, Any]:
    """The fields `frozen_minutes_problem` reads, from a Meeting."""
    names = ("status", "minutes_hash", "approved_minutes", "meets_on", "start_time", "venue", "chair")
    return {name: getattr(meeting, name) for name in names}


@dataclass(frozen=True)
class FrozenMinutesProblem:
    reference: str
    problem: str


def frozen_minutes_problems(session: Session) -> list[FrozenMinutesProblem]:
    """Every approved meeting whose minutes no longer hold (for `workbench check`)."""
    from db.base import live

    found = []
    for meeting in session.scalars(live(service.Meeting).where(service.Meeting.status == service.MINUTES_APPROVED)):
        problem = frozen_minutes_problem(session, meeting.uuid, meeting_values(meeting))
        if problem:
            found.append(FrozenMinutesProblem(meeting.reference, problem))
    return sorted(found, key=lambda p: p.reference)


def merge_rule_broken(session: Session, meeting_uuid: str, values: Mapping[str, Any]) -> str | None:
    """Merge rule "meeting-minutes-frozen": a bundle must not change the record of approved minutes.

    Only minutes kept at approval are compared: for older approvals an action's later edit
    would look the same as an edit of the minutes."""
    if values.get("status") != service.MINUTES_APPROVED or not values.get("approved_minutes"):
        return None
    problem = frozen_minutes_problem(session, meeting_uuid, values)
    return f"minutes approved and frozen, yet {problem}" if problem else None


def approved_or_live(session: Session, meeting_uuid: str) -> Minutes:
    """The minutes to show or export: as approved when they were kept at approval, else from the record."""
    meeting = service.get_meeting(session, meeting_uuid)
    if meeting.status == service.MINUTES_APPROVED and meeting.approved_minutes:
        return from_snapshot(session, meeting.approved_minutes, _approval_line(meeting))
    return minutes_of(session, meeting_uuid)


def _approval_line(meeting: Any) -> str:
    if meeting.status != service.MINUTES_APPROVED or not meeting.minutes_approved_on:
        return ""
    return (
        f"Approved on {meeting.minutes_approved_on.strftime('%d/%m/%Y')}"
        + (f" at {meeting.minutes_approved_at}" if meeting.minutes_approved_at else "")
        + f" (SHA-256 {meeting.minutes_hash[:16]}...)"
    )


#: the heading over members still only invited, in minutes of a meeting not yet held
NOT_RECORDED = "Attendance not yet recorded"

#: under the heading of minutes not yet approved: an export looked the same before approval as after
DRAFT_LINE = "Draft: these minutes are not yet approved (the body's next meeting approves them)."


#: the body lines a heading needs below it on its page, or it starts the next page
_LINES_UNDER_A_HEADING = 3

#: beside a restricted item's title, in words (a colour alone would not say it, on paper or to a screen reader)
RESTRICTED_MARK = "Restricted"
#: under a restricted item's title in minutes that show it
RESTRICTED_ITEM_LINE = "Restricted: for members cleared for restricted items only."
#: in place of a restricted item in minutes that leave it out (the title too: it can name the case)
WITHHELD_LINE = "Restricted item: minutes to members only."


def _numbers(numbers: list[int]) -> str:
    return ("item " if len(numbers) == 1 else "items ") + _listed([str(n) for n in numbers])


def shows_item(item: MinutesItem, include_restricted: bool) -> bool:
    """Whether these minutes show the item's words: not a restricted one left out or withheld here."""
    return not (item.restricted and (item.withheld or not include_restricted))


def restricted_notice(minutes: Minutes, include_restricted: bool = True) -> str:
    """The line at the top of minutes with restricted items: who may have them, or that they are left out.

    The minutes with every item go to the members cleared for restricted items only, as the pack does
    (app/meetings/withholding.py); the others get them without the restricted items' words."""
    shown = [i.number for i in minutes.items if i.restricted and shows_item(i, include_restricted)]
    left = [i.number for i in minutes.items if i.restricted and not shows_item(i, include_restricted)]
    if shown:
        return (
            f'RESTRICTED: these minutes contain restricted {_numbers(shown)}, marked "{RESTRICTED_MARK}". '
            "Send them only to members cleared for restricted items; the others get the minutes "
            "without restricted items."
        )
    if left:
        return f"Restricted {_numbers(left)} left out of this copy: their minutes go to cleared members only."
    return ""


def _restricted_title(item: MinutesItem) -> str:
    return f"{item.number}. {item.title}" + (f" ({RESTRICTED_MARK})" if item.restricted else "")


def minutes_flowables(
    minutes: Minutes, *, include_restricted: bool = True, say_draft: bool = True, recipient: str = ""
) -> list[Any]:
    from reportlab.lib.colors import HexColor
    from reportlab.lib.units import mm
    from reportlab.platypus import CondPageBreak

    from app.office.pdf_styles import grid_table, para, styles

    shared = styles()
    # A heading kept with its text by keepWithNext joins them in a KeepTogether, which takes the two to the
    # next page whenever the text does not fit in what is left: a page of notes or decisions left most of
    # the page before blank under the last item. Here a heading starts a new page only when fewer than
    # three lines would follow it on this one; the text then runs on over the page, never leaving the
    # heading alone at the foot.
    look = replace(
        shared,
        heading=shared.heading.clone("wb-minutes-heading", keepWithNext=0),
        subheading=shared.subheading.clone("wb-minutes-subheading", keepWithNext=0),
    )
    warning = look.body.clone("wb-minutes-restricted", fontName="Helvetica-Bold", textColor=HexColor("#c00000"))
    lines = _LINES_UNDER_A_HEADING * look.body.leading

    def room(*headings: Any) -> Any:
        return CondPageBreak(sum(s.spaceBefore + s.leading + s.spaceAfter for s in headings) + lines)

    when = minutes.meets_on.strftime("%d/%m/%Y") + (f" at {minutes.start_time}" if minutes.start_time else "")
    story: list[Any] = [
        para(f"Minutes: {minutes.body}, {when}", look.title),
        para(f"Venue: {minutes.venue or '-'}. Chair: {minutes.chair or '-'}."),
    ]
    if recipient:
        story.append(para(f"Copy for {recipient}", look.small))
    if minutes.approved:
        story.append(para(minutes.approved, look.small))
    elif say_draft:
        story.append(para(DRAFT_LINE, look.small))
    notice = restricted_notice(minutes, include_restricted)
    if notice:
        story.append(para(notice, warning))
    story += [
        room(look.subheading),
        para("Present", look.subheading),
        para("; ".join(minutes.present) or "Not recorded"),
        room(look.subheading),
        para("Apologies", look.subheading),
        para("; ".join(minutes.apologies) or "None"),
    ]
    if minutes.absent:
        story += [room(look.subheading), para("Absent", look.subheading), para("; ".join(minutes.absent))]
    if minutes.not_recorded:
        story += [room(look.subheading), para(NOT_RECORDED, look.subheading), para("; ".join(minutes.not_recorded))]
    for item in minutes.items:
        if not shows_item(item, include_restricted):
            # the title too, as the pack's agenda does for members not cleared: it can name the case
            story.append(para(f"{item.number}. {WITHHELD_LINE}", look.heading))
            continue
        story += [room(look.heading, look.subheading), para(_restricted_title(item), look.heading)]
        if item.restricted:
            story.append(para(RESTRICTED_ITEM_LINE, warning))
        story += [
            para("Discussion", look.subheading),
            para(item.notes or "No notes recorded."),
            room(look.subheading),
            para("Decisions", look.subheading),
            para(item.decisions or "None."),
        ]
        if item.actions:
            rows = [["Action", "Title", "Owner", "Due", "Status"]] + [
                [a.reference, a.title, a.owner_agency, a.due.strftime("%d/%m/%Y"), a.status_label] for a in item.actions
            ]
            story.append(grid_table(rows, [20 * mm, 80 * mm, 22 * mm, 22 * mm, 30 * mm]))
    return story


def minutes_pdf(minutes: Minutes, *, include_restricted: bool = True, recipient: str = "") -> bytes:
    from reportlab.platypus import SimpleDocTemplate

    from app.office.pdf_pages import numbered_canvas
    from app.office.pdf_styles import MARGINS

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=_a4(),
        title=f"Minutes {minutes.reference}",
        invariant=1,
        leftMargin=MARGINS["left"],
        rightMargin=MARGINS["right"],
        topMargin=MARGINS["top"],
        bottomMargin=MARGINS["bottom"],
    )
    doc.build(
        minutes_flowables(minutes, include_restricted=include_restricted, recipient=recipient),
        canvasmaker=numbered_canvas(f"Minutes {minutes.reference}", "Safeguarding Workbench", portrait=True),
    )
    return buffer.getvalue()


def _a4() -> tuple[float, float]:
    from reportlab.lib.pagesizes import A4

    return A4


def minutes_docx(minutes: Minutes, *, include_restricted: bool = True, recipient: str = "") -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = Document()
    for part in (document.sections[0].header, document.sections[0].footer):
        paragraph = part.paragraphs[0]
        paragraph.text = MARKING
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    when = minutes.meets_on.strftime("%d/%m/%Y") + (f" at {minutes.start_time}" if minutes.start_time else "")
    document.add_heading(f"Minutes: {minutes.body}, {when}", level=1)
    document.add_paragraph(f"Venue: {minutes.venue or '-'}. Chair: {minutes.chair or '-'}.")
    if recipient:
        document.add_paragraph(f"Copy for {recipient}")
    if minutes.approved:
        document.add_paragraph(minutes.approved)
    else:
        document.add_paragraph(DRAFT_LINE)
    notice = restricted_notice(minutes, include_restricted)
    if notice:
        document.add_paragraph().add_run(notice).bold = True
    document.add_heading("Present", level=2)
    document.add_paragraph("; ".join(minutes.present) or "Not recorded")
    document.add_heading("Apologies", level=2)
    document.add_paragraph("; ".join(minutes.apologies) or "None")
    if minutes.absent:
        document.add_heading("Absent", level=2)
        document.add_paragraph("; ".join(minutes.absent))
    if minutes.not_recorded:
        document.add_heading(NOT_RECORDED, level=2)
        document.add_paragraph("; ".join(minutes.not_recorded))
    for item in minutes.items:
        if not shows_item(item, include_restricted):
            document.add_heading(f"{item.number}. {WITHHELD_LINE}", level=2)
            continue
        document.add_heading(_restricted_title(item), level=2)
        if item.restricted:
            document.add_paragraph().add_run(RESTRICTED_ITEM_LINE).bold = True
        document.add_heading("Discussion", level=3)
        document.add_paragraph(item.notes or "No notes recorded.")
        document.add_heading("Decisions", level=3)
        document.add_paragraph(item.decisions or "None.")
        if item.actions:
            table = document.add_table(rows=1, cols=5)
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, ("Action", "Title", "Owner", "Due", "Status"), strict=False):
                cell.text = text
            for action in item.actions:
                cells = table.add_row().cells
                for cell, text in zip(
                    cells,
                    (
                        action.reference,
                        action.title,
                        action.owner_agency,
                        action.due.strftime("%d/%m/%Y"),
                        action.status_label,
                    ),
                    strict=False,
                ):
                    cell.text = text
    document.core_properties.title = f"Minutes {minutes.reference}"
    buffer = io.BytesIO()
    document.save(buffer)
    return _without_zip_times(buffer.getvalue())


def _without_zip_times(data: bytes) -> bytes:
    """The same DOCX with every part dated 1980-01-01: python-docx stamps the time of saving on
    each part, so the same minutes gave different bytes on every export."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = info.compress_type
            fixed.external_attr = info.external_attr
            target.writestr(fixed, source.read(info))
    return out.getvalue()


def export_minutes(
    session: Session, meeting_uuid: str, fmt: str, *, recipient: str = "", open_only: bool = False
) -> bytes:
    """The minutes as PDF or DOCX: approved ones as they were approved, the same bytes on every export.

    Every item, restricted ones marked, unless `open_only` (restricted items' words left out) or a
    `recipient` (a member's name, printed as "Copy for NAME") not cleared for restricted items: as a
    member's pack copy leaves out restricted papers (issue.copy_for), their minutes leave out those
    items' title, notes, decisions and actions."""
    if fmt not in ("pdf", "docx"):
        raise InvalidInput(f"Minutes can be written as docx or pdf, not {fmt!r}.")
    name = ""
    if recipient.strip():
        member = service.find_member(session, meeting_uuid, recipient)
        name, open_only = member.name, open_only or not member.cleared_restricted
    minutes = approved_or_live(session, meeting_uuid)
    if fmt == "pdf":
        return minutes_pdf(minutes, include_restricted=not open_only, recipient=name)
    return minutes_docx(minutes, include_restricted=not open_only, recipient=name)


def restricted_item_numbers(session: Session, meeting_uuid: str) -> list[int]:
    """The numbers of the restricted items whose minutes this workspace holds (to ask which copy to export)."""
    return [i.number for i in approved_or_live(session, meeting_uuid).items if i.restricted and not i.withheld]


def previous_minutes_report(session: Session, request: Any) -> list[Any]:
    """Pack report: the previous meeting of the same body, its minutes and the actions it raised."""
    from app.office.pdf_styles import para, styles

    meeting_uuid = request.filters.get("meeting", "")
    meeting = service.get_meeting(session, meeting_uuid) if meeting_uuid else None
    previous = service.previous_meeting(session, meeting) if meeting else None
    if previous is None:
        return [
            para("Minutes of the previous meeting", styles().title),
            para("There is no earlier meeting of this body in the workspace."),
        ]
    minutes = approved_or_live(session, previous.uuid)
    status = "approved" if minutes.approved else "draft, for approval at this meeting"
    return [
        para(f"Minutes of the previous meeting ({status})", styles().small),
        *minutes_flowables(minutes, include_restricted=False, say_draft=False),  # its own line says so
    ]

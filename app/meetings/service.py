"""Meetings, members, agenda items and papers: the services the GUI and the command line share.

Writes take a UnitOfWork (one transaction each); reads take a Session. Once a
meeting's minutes are approved its record is frozen: every write that would
change the meeting, its items, papers or attendance is refused.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlalchemy.orm import Session

from app.contributions import PACK_REPORTS, PackReport, ReportFilter
from app.errors import InvalidInput, only_match
from app.records import UnitOfWork
from app.records.live import live_children, live_counts, live_record
from app.text import count_of
from db.base import live
from db.models.core import Agency
from db.models.meetings import (
    MAX_PAPER_BYTES,
    AgendaItem,
    Meeting,
    MeetingBody,
    MeetingMember,
    MeetingPack,
    MeetingPaper,
)

PLANNED, PACK_ISSUED, HELD, MINUTES_APPROVED = "planned", "pack_issued", "held", "minutes_approved"
STATUS_LABELS = {PLANNED: "Planned", PACK_ISSUED: "Pack issued", HELD: "Held", MINUTES_APPROVED: "Minutes approved"}
PURPOSES = ("decision", "discussion", "information")
ATTENDANCE = ("invited", "present", "apologies", "absent")
DEFAULT_BODIES = [
    ("Safeguarding Children Partnership Board", "BOARD"),
    ("Quality Assurance subgroup", "QA"),
    ("Case Review subgroup", "CR"),
    ("Learning and Development subgroup", "LD"),
    ("Section 11 panel", "S11"),
]


# -- bodies -------------------------------------------------------------------------


def list_bodies(session: Session) -> list[MeetingBody]:
    return list(session.scalars(live(MeetingBody).order_by(MeetingBody.position, MeetingBody.name)))


def body_names(session: Session) -> list[tuple[str, str]]:
    """(code, name) of each body, the usual ones until any are stored (they are stored on first use)."""
    stored = [(body.code, body.name) for body in list_bodies(session)]
    return stored or [(code, name) for name, code in DEFAULT_BODIES]


def ensure_default_bodies(uow: UnitOfWork) -> list[MeetingBody]:
    """The usual board and subgroups, added once (users edit the list afterwards)."""
    existing = list_bodies(uow.session)
    if existing:
        return existing
    return [
        uow.create(MeetingBody, name=name, code=code, position=index, summary=f"Added meeting body {name}")
        for index, (name, code) in enumerate(DEFAULT_BODIES)
    ]


def add_body(uow: UnitOfWork, name: str, code: str) -> MeetingBody:
    """A new board or subgroup at the end of the list (the usual ones are added first if missing)."""
    name, code = name.strip(), code.strip().upper()
    if not name or not re.fullmatch(r"[A-Z0-9]{1,12}", code):
        raise InvalidInput("A body needs a name and a short code of up to 12 letters or digits (e.g. QA).")
    bodies = ensure_default_bodies(uow)  # else the first added body would stand in for the usual list
    if any(b.name.casefold() == name.casefold() or b.code == code for b in bodies):
        raise InvalidInput(f"There is already a body named {name!r} or coded {code}.")
    return uow.create(MeetingBody, name=name, code=code, position=len(bodies), summary=f"Added meeting body {name}")


def rename_body(uow: UnitOfWork, body_uuid: str, name: str) -> MeetingBody:
    """A body's new name; its code, and so its meetings' references, stay as they are."""
    body = uow.session.get(MeetingBody, body_uuid)
    if body is None or body.is_deleted or not name.strip():
        raise InvalidInput("Choose a body and give it a name.")
    name = name.strip()
    if any(b.uuid != body.uuid and b.name.casefold() == name.casefold() for b in list_bodies(uow.session)):
        raise InvalidInput(f"There is already a body named {name!r}.")
    uow.update(body, name=name, summary=f"Renamed meeting body to {name}")
    return body


def find_body(session: Session, text: str) -> MeetingBody:
    wanted = text.strip().casefold()
    for body in list_bodies(session):
        if wanted in (body.name.casefold(), body.code.casefold(), body.uuid):
            return body
    known = ", ".join(f"{b.code} ({b.name})" for b in list_bodies(session)) or "none yet"
    raise InvalidInput(f"Unknown meeting body {text!r}. Known: {known}.")


# -- meetings -----------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingRow:
    uuid: str
    reference: str
    body: str
    meets_on: date
    start_time: str
    venue: str
    chair: str
    status: str
    items: int
    #: the body's short code ("QA"): the meetings list is narrow beside the meeting's tabs
    body_code: str = ""
    #: the status as shown when its label alone would mislead ("Issued 3 Dec; agenda changed since: re-issue")
    status_note: str = ""

    @property
    def status_short(self) -> str:
        """The status in a narrow list (no wider than "Pack issued"), the note in full in its tooltip."""
        return "Out of date" if self.status_note else self.status_label

    @property
    def status_label(self) -> str:
        return self.status_note or STATUS_LABELS.get(self.status, self.status)

    def as_json(self) -> dict[str, object]:
        return {
            "reference": self.reference,
            "body": self.body,
            "date": self.meets_on.isoformat(),
            "time": self.start_time,
            "venue": self.venue,
            "chair": self.chair,
            "status": self.status,
            "items": self.items,
            "uuid": self.uuid,
        }


def _check_time(text: str) -> str:
    text = text.strip()
    if text and not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", text):
        raise InvalidInput(f"Time {text!r} is not HH:MM (24-hour), e.g. 10:00.")
    return text


def add_meeting(
    uow: UnitOfWork, *, body: str, meets_on: date, start_time: str = "", venue: str = "", chair: str = ""
) -> Meeting:
    ensure_default_bodies(uow)
    found = find_body(uow.session, body)
    reference = f"{found.code}-{meets_on.isoformat()}"
    taken = {m.reference for m in uow.session.scalars(live(Meeting))}
    suffix = 2
    base = reference
    while reference in taken:
        reference = f"{base}-{suffix}"
        suffix += 1
    return uow.create(
        Meeting,
        body_uuid=found.uuid,
        reference=reference,
        meets_on=meets_on,
        start_time=_check_time(start_time),
        venue=venue.strip(),
        chair=chair.strip(),
        status=PLANNED,
        minutes_hash="",
        minutes_approved_on=None,
        minutes_approved_at="",
        summary=f"Added meeting {reference}",
    )


def update_meeting(uow: UnitOfWork, meeting_uuid: str, **changes: Any) -> bool:
    meeting = get_meeting(uow.session, meeting_uuid)
    check_open(meeting)
    if "start_time" in changes:
        changes["start_time"] = _check_time(str(changes["start_time"]))
    return uow.update(meeting, summary=f"Edited meeting {meeting.reference}", **changes)


def get_meeting(session: Session, meeting_uuid: str) -> Meeting:
    return live_record(session, Meeting, meeting_uuid, "That meeting no longer exists (deleted or merged away).")


def find_meeting(session: Session, text: str) -> Meeting:
    """A meeting by reference (QA-2026-03-12) or id."""
    wanted = text.strip()
    found = list(session.scalars(live(Meeting).where(func.lower(Meeting.reference) == wanted.lower())))
    if not found and len(wanted) >= 6:
        found = list(session.scalars(live(Meeting).where(Meeting.uuid.startswith(wanted.lower()))))
    return only_match(
        found,
        none=f"Unknown meeting {wanted!r}: give its reference (see `workbench meeting list`).",
        many=f"meetings match {wanted!r}; give its id instead.",
    )


def body_name(session: Session, meeting: Meeting) -> str:
    body = session.get(MeetingBody, meeting.body_uuid)
    return body.name if body is not None else "(body deleted)"


#: what no file name may hold on Windows, macOS or Linux (and control characters)
_UNSAFE_IN_FILE_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')


def file_name(session: Session, meeting: Meeting, what: str, recipient: str = "", suffix: str = ".pdf") -> str:
    """The name a saved pack, copy or minutes is offered under: the meeting's body and date, what it is
    and whom it is for ("Case review subgroup 2026-12-03 pack - copy for J Smith.pdf"), so a folder of
    them reads apart ("pack.pdf" was every meeting's); characters no file system takes become spaces."""
    name = f"{body_name(session, meeting)} {meeting.meets_on.isoformat()} {what}"
    if recipient.strip():
        name += f" - copy for {recipient.strip()}"
    name = " ".join(_UNSAFE_IN_FILE_NAMES.sub(" ", name).split()).strip(". ")
    return (name[:150].rstrip(". ") or "meeting") + suffix


def list_meetings(session: Session) -> list[MeetingRow]:
    bodies = {b.uuid: (b.name, b.code) for b in session.scalars(live(MeetingBody))}
    counts = live_counts(session, AgendaItem, AgendaItem.meeting_uuid)
    rows = [
        MeetingRow(
            m.uuid,
            m.reference,
            bodies.get(m.body_uuid, ("(body deleted)", ""))[0],
            m.meets_on,
            m.start_time,
            m.venue,
            m.chair,
            m.status,
            counts.get(m.uuid, 0),
            bodies.get(m.body_uuid, ("", ""))[1],
            _out_of_date(session, m),
        )
        for m in session.scalars(live(Meeting))
    ]
    return sorted(rows, key=lambda r: (r.meets_on, r.start_time, r.reference), reverse=True)


def _out_of_date(session: Session, meeting: Meeting) -> str:
    """The note of a meeting whose pack the agenda has left behind ("" for any other)."""
    if meeting.status != PACK_ISSUED:
        return ""
    from app.meetings.issue import status_text  # issuing builds on this module

    shown = status_text(session, meeting)
    return "" if shown == STATUS_LABELS[PACK_ISSUED] else shown


def check_open(meeting: Meeting) -> None:
    if meeting.status == MINUTES_APPROVED:
        raise InvalidInput(f"The minutes of {meeting.reference} are approved: the meeting's record is frozen.")


def previous_meeting(session: Session, meeting: Meeting) -> Meeting | None:
    earlier = session.scalars(
        live(Meeting)
        .where(Meeting.body_uuid == meeting.body_uuid, Meeting.meets_on < meeting.meets_on)
        .order_by(Meeting.meets_on.desc())
    ).first()
    return earlier


# -- members and attendance ---------------------------------------------------------


def members(session: Session, meeting_uuid: str) -> list[MeetingMember]:
    return live_children(session, MeetingMember, MeetingMember.meeting_uuid, meeting_uuid, MeetingMember.name)


def add_member(
    uow: UnitOfWork,
    meeting_uuid: str,
    name: str,
    *,
    role: str = "",
    cleared_restricted: bool = False,
    contact_name: str = "",
) -> MeetingMember:
    meeting = get_meeting(uow.session, meeting_uuid)
    check_open(meeting)
    if not name.strip():
        raise InvalidInput("A member needs a name.")
    if any(m.name.casefold() == name.strip().casefold() for m in members(uow.session, meeting_uuid)):
        raise InvalidInput(f"{name.strip()} is already invited to {meeting.reference}.")
    return uow.create(
        MeetingMember,
        meeting_uuid=meeting_uuid,
        name=name.strip(),
        role=role.strip(),
        attendance="invited",
        cleared_restricted=cleared_restricted,
        contact_name=contact_name.strip(),
        summary=f"Invited {name.strip()} to {meeting.reference}",
    )


def set_attendance(uow: UnitOfWork, member_uuid: str, attendance: str, *, why: str = "") -> None:
    """`why` goes into the audit entry's summary after the attendance, for a change nobody typed."""
    if attendance not in ATTENDANCE:
        raise InvalidInput(f"Attendance must be one of {', '.join(ATTENDANCE)}.")
    member = live_record(uow.session, MeetingMember, member_uuid, "That member is no longer on the meeting's list.")
    check_open(get_meeting(uow.session, member.meeting_uuid))
    uow.update(member, attendance=attendance, summary=f"{member.name}: {attendance}" + (f" ({why})" if why else ""))


def only_invited(session: Session, meeting_uuid: str) -> list[MeetingMember]:
    """The members whose attendance is not recorded: neither present, apologies nor absent."""
    return [m for m in members(session, meeting_uuid) if m.attendance == "invited"]


def update_member(uow: UnitOfWork, member_uuid: str, **changes: Any) -> None:
    member = live_record(uow.session, MeetingMember, member_uuid, "That member is no longer on the meeting's list.")
    check_open(get_meeting(uow.session, member.meeting_uuid))
    uow.update(member, summary=f"Edited member {member.name}", **changes)


def exchange_contacts(session: Session) -> list[str]:
    """The display names of the trusted (not revoked) exchange contacts: whom a member's copy can be sealed to."""
    from app.exchange.contacts import list_contacts

    return [c.display_name for c in list_contacts(session) if c.status == "trusted"]


def set_member_contact(uow: UnitOfWork, member_uuid: str, contact_name: str) -> None:
    """The exchange contact a member's sealed copy goes to ("" for none); a contact must be trusted."""
    contact_name = contact_name.strip()
    if contact_name:
        from app.exchange.service import trusted_recipients

        [contact] = trusted_recipients(uow.session, [contact_name])
        contact_name = contact.display_name
    update_member(uow, member_uuid, contact_name=contact_name)


def find_member(session: Session, meeting_uuid: str, name: str) -> MeetingMember:
    for member in members(session, meeting_uuid):
        if member.name.casefold() == name.strip().casefold():
            return member
    known = ", ".join(m.name for m in members(session, meeting_uuid)) or "nobody yet"
    raise InvalidInput(f"{name!r} is not invited to this meeting (invited: {known}).")


# -- agenda -------------------------------------------------------------------------


def items(session: Session, meeting_uuid: str) -> list[AgendaItem]:
    return live_children(
        session, AgendaItem, AgendaItem.meeting_uuid, meeting_uuid, AgendaItem.position, AgendaItem.uuid
    )


def _check_purpose(purpose: str) -> str:
    if purpose not in PURPOSES:
        raise InvalidInput(f"Purpose {purpose!r} must be one of {', '.join(PURPOSES)}.")
    return purpose


def add_item(
    uow: UnitOfWork,
    meeting_uuid: str,
    title: str,
    *,
    presenter: str = "",
    purpose: str = "discussion",
    minutes_allowed: int = 10,
    restricted: bool = False,
) -> AgendaItem:
    meeting = get_meeting(uow.session, meeting_uuid)
    check_open(meeting)
    if not title.strip():
        raise InvalidInput("An agenda item needs a title.")
    if not 0 < minutes_allowed <= 480:
        raise InvalidInput("Time allowed must be between 1 and 480 minutes.")
    existing = items(uow.session, meeting_uuid)
    position = (existing[-1].position + 1) if existing else 1
    return uow.create(
        AgendaItem,
        meeting_uuid=meeting_uuid,
        position=position,
        title=title.strip(),
        presenter=presenter.strip(),
        purpose=_check_purpose(purpose),
        minutes_allowed=minutes_allowed,
        restricted=restricted,
        notes="",
        decisions="",
        summary=f"Added item {len(existing) + 1} to {meeting.reference}",
    )


def get_item(session: Session, item_uuid: str) -> AgendaItem:
    return live_record(session, AgendaItem, item_uuid, "That agenda item no longer exists.")


def item_number(session: Session, item: AgendaItem) -> int:
    return [i.uuid for i in items(session, item.meeting_uuid)].index(item.uuid) + 1


def find_item(session: Session, meeting_uuid: str, number: int) -> AgendaItem:
    listed = items(session, meeting_uuid)
    if not 1 <= number <= len(listed):
        raise InvalidInput(f"The meeting has {count_of(len(listed), 'agenda item')}; there is no item {number}.")
    return listed[number - 1]


def update_item(uow: UnitOfWork, item_uuid: str, **changes: Any) -> bool:
    item = get_item(uow.session, item_uuid)
    check_open(get_meeting(uow.session, item.meeting_uuid))
    if "purpose" in changes:
        _check_purpose(str(changes["purpose"]))
    if "title" in changes and not str(changes["title"]).strip():
        raise InvalidInput("An agenda item needs a title.")
    return uow.update(item, summary=f"Edited agenda item {item.title}", **changes)


def move_item(uow: UnitOfWork, item_uuid: str, to_index: int) -> None:
    """Put the item at `to_index` (0-based) on its agenda; numbering follows the new order."""
    item = get_item(uow.session, item_uuid)
    check_open(get_meeting(uow.session, item.meeting_uuid))
    listed = [i for i in items(uow.session, item.meeting_uuid) if i.uuid != item_uuid]
    to_index = max(0, min(to_index, len(listed)))
    listed.insert(to_index, item)
    for position, each in enumerate(listed, start=1):
        uow.update(each, position=position, audit=each is item, summary=f"Moved {item.title} to item {to_index + 1}")


def delete_item(uow: UnitOfWork, item_uuid: str) -> None:
    item = get_item(uow.session, item_uuid)
    check_open(get_meeting(uow.session, item.meeting_uuid))
    for paper in papers(uow.session, item_uuid):
        uow.delete(paper, summary=f"Deleted a paper of agenda item {item.position}")
    uow.delete(item, summary=f"Deleted agenda item {item.position}")


# -- papers -------------------------------------------------------------------------


def papers(session: Session, item_uuid: str) -> list[MeetingPaper]:
    return live_children(
        session, MeetingPaper, MeetingPaper.item_uuid, item_uuid, MeetingPaper.position, MeetingPaper.uuid
    )


def _next_paper_position(existing: list[MeetingPaper]) -> int:
    """After the last paper: by count, a paper added after one was removed took the last one's place
    and the two came out in either order (by record id) on the agenda and in the pack."""
    return max((paper.position for paper in existing), default=0) + 1


#: Word formats LibreOffice converts to PDF when attached as papers
WORD_SUFFIXES = (".doc", ".docx", ".odt", ".rtf")
#: how long one conversion may take before it is abandoned (a hung LibreOffice must not hang the app)
CONVERT_TIMEOUT_SECONDS = 120


def _as_pdf(path: Path) -> bytes:
    """The file's bytes as a PDF: Word documents go through LibreOffice when it is installed."""
    if path.suffix.lower() in WORD_SUFFIXES:
        office = shutil.which("soffice") or shutil.which("libreoffice")
        if office is None:
            raise InvalidInput(
                f"{path.name} is a Word document and LibreOffice is not installed to convert it: "
                "save it as PDF and attach the PDF."
            )
        return _convert_with_office(office, path)
    return path.read_bytes()


def _convert_with_office(office: str, path: Path) -> bytes:
    """The one place a paper touches disk outside the encrypted workspace: LibreOffice converts only files.

    A private folder (0700, from `mkdtemp`) holds a copy of the document, the PDF and a
    throwaway LibreOffice profile (`-env:UserInstallation`), so the user's own profile gets
    no recent-documents entry, lock file or backup copy of case data; the folder is removed
    in `finally`, whether the conversion worked, failed or timed out. A conversion that runs
    past CONVERT_TIMEOUT_SECONDS is killed with its child processes.
    """
    import os
    import signal
    import subprocess
    import tempfile

    cannot = f"LibreOffice could not convert {path.name} to PDF: save it as PDF and attach the PDF."
    folder = Path(tempfile.mkdtemp(prefix="wb-convert-"))
    try:
        source = folder / ("paper" + path.suffix.lower())
        shutil.copyfile(path, source)
        profile, out = folder / "profile", folder / "out"
        out.mkdir()
        try:
            process = subprocess.Popen(
                [
                    office,
                    f"-env:UserInstallation={profile.as_uri()}",
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(out),
                    str(source),
                ],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                cwd=folder,
                start_new_session=True,  # its own process group: a timeout kills soffice.bin too
            )
        except OSError:
            raise InvalidInput(cannot) from None
        try:
            returncode = process.wait(timeout=CONVERT_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except (OSError, AttributeError):  # already gone, or no process groups (Windows)
                process.kill()
            process.wait()
            raise InvalidInput(
                f"LibreOffice took longer than {CONVERT_TIMEOUT_SECONDS} seconds to convert {path.name} "
                "and was stopped: save it as PDF and attach the PDF."
            ) from None
        converted = out / "paper.pdf"
        if returncode != 0 or not converted.is_file():
            raise InvalidInput(cannot)
        return converted.read_bytes()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def read_paper_file(path: Path) -> tuple[str, bytes, int]:
    """(file name, PDF bytes, page count) of a paper to attach, or one clear InvalidInput."""
    from app.meetings.pack import check_paper_pdf

    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"{path} is not a file.")
    if path.stat().st_size > MAX_PAPER_BYTES:
        raise InvalidInput(f"{path.name} is larger than {MAX_PAPER_BYTES // (1024 * 1024)} MiB.")
    data = _as_pdf(path)
    count = check_paper_pdf(data, path.name)
    name = path.stem + ".pdf" if path.suffix.lower() != ".pdf" else path.name
    return name, data, count


def add_file_paper(
    uow: UnitOfWork,
    item_uuid: str,
    filename: str,
    data: bytes,
    *,
    title: str = "",
    page_count: int | None = None,
    today: date | None = None,
) -> MeetingPaper:
    from app.meetings.pack import check_paper_pdf

    item = get_item(uow.session, item_uuid)
    check_open(get_meeting(uow.session, item.meeting_uuid))
    count = page_count if page_count is not None else check_paper_pdf(data, filename)
    existing = papers(uow.session, item_uuid)
    return uow.create(
        MeetingPaper,
        item_uuid=item_uuid,
        position=_next_paper_position(existing),
        title=(title or Path(filename).stem).strip(),
        kind="file",
        filename=filename,
        content=data,
        sha256=hashlib.sha256(data).hexdigest(),
        page_count=count,
        report_key="",
        report_filters={},
        added_on=today or date.today(),
        summary=f"Attached paper {filename} to {item.title}",
    )


def add_report_paper(
    uow: UnitOfWork,
    item_uuid: str,
    report_key: str,
    *,
    filters: dict[str, str] | None = None,
    title: str = "",
    today: date | None = None,
) -> MeetingPaper:
    report = PACK_REPORTS.require(report_key)
    unknown = set(filters or {}) - set(report.filters)
    if unknown:
        raise InvalidInput(
            f"The {report.title} report has no filter {', '.join(sorted(unknown))} "
            f"(it understands: {', '.join(report.filters) or 'none'})."
        )
    item = get_item(uow.session, item_uuid)
    check_open(get_meeting(uow.session, item.meeting_uuid))
    chosen, described = _resolve_filters(
        uow.session, report, {k: v.strip() for k, v in (filters or {}).items() if v.strip()}
    )
    existing = papers(uow.session, item_uuid)
    default_title = report.title + (f" ({described})" if described else "")
    return uow.create(
        MeetingPaper,
        item_uuid=item_uuid,
        position=_next_paper_position(existing),
        title=(title or default_title).strip()[:300],
        kind="report",
        filename="",
        content=None,
        sha256="",
        page_count=0,
        report_key=report.key,
        report_filters=chosen,
        added_on=today or date.today(),
        summary=f"Added the {report.title} report to {item.title}",
    )


@dataclass(frozen=True)
class FilterField:
    """One filter a live report offers when added as a paper, with its choices (None: free text)."""

    name: str
    label: str
    choices: list[tuple[str, str]] | None
    #: the first entry of the list: what the report does with the filter left unset
    unset: str = "Any"


def _filter_choices(session: Session, name: str, offered: ReportFilter) -> list[tuple[str, str]] | None:
    """A filter's choices as its report offers them; a "body" filter offers this area's bodies."""
    if offered.choices is not None:
        return offered.choices(session)
    if name == "body":
        return [(f"{b_name} ({code})", code) for code, b_name in body_names(session)]
    return None


def report_filter_fields(session: Session, report_key: str) -> list[FilterField]:
    """What the coordinator may choose for this report as a paper, labelled and listed as the report
    offers them (e.g. Section 11 cycles, agencies by name)."""
    report = PACK_REPORTS.require(report_key)
    return [
        FilterField(name, offered.label, _filter_choices(session, name, offered), offered.unset)
        for name, offered in report.filters.items()
    ]


def _resolve_filters(session: Session, report: PackReport, filters: dict[str, str]) -> tuple[dict[str, str], str]:
    """Filters as stored (a body, agency or listed choice by its id, so renaming it changes nothing) and
    in words.

    A body, agency, source or other listed choice nobody has is refused with the known ones named.
    """
    from app.agencies import find_agency
    from app.contributions import ACTION_SOURCES

    stored, words = dict(filters), []
    if "body" in filters:  # a paper's item has a meeting, so the bodies are stored by now
        body = find_body(session, filters["body"])
        stored["body"] = body.uuid
        words.append(body.code)
    if "agency" in filters:
        wanted = filters["agency"]
        agency = session.get(Agency, wanted)
        agency = agency if agency is not None and not agency.is_deleted else find_agency(session, wanted)
        stored["agency"] = agency.uuid
        words.append(agency.short_name or agency.name)
    if "source" in filters:
        wanted = filters["source"].casefold()
        kinds = ACTION_SOURCES.all()
        found = next((k for k in kinds if wanted in (k.kind.casefold(), k.prefix.casefold(), k.label.casefold())), None)
        if found is None:
            raise InvalidInput(f"Unknown source {filters['source']!r}. Known: {', '.join(k.prefix for k in kinds)}.")
        stored["source"] = found.kind
        words.append(found.label)
    if filters.get("open_only"):
        if filters["open_only"].casefold() not in ("yes", "true", "1", "no", "false", "0"):
            raise InvalidInput("open_only takes yes or no.")
        if filters["open_only"].casefold() in ("yes", "true", "1"):
            words.append("open only")
    for key, value in filters.items():
        if key in ("body", "agency", "source", "open_only"):
            continue
        offered = report.filters[key]
        choices = offered.choices(session) if offered.choices is not None else None
        if choices is None:
            words.append(value)
            continue
        wanted = value.casefold()
        choice = next(((label, v) for label, v in choices if wanted in (v.casefold(), label.casefold())), None)
        if choice is None:
            known = ", ".join(repr(label) for label, _v in choices) or "none yet"
            raise InvalidInput(f"{offered.label}: there is no {value!r} in this workspace. Known: {known}.")
        words.append(choice[0])
        stored[key] = choice[1]
    return stored, ", ".join(words)


def body_sources(session: Session, body: str) -> tuple[str, list[str]]:
    """(name, ids of every agenda item of every meeting) of a body given by id or code: what actions
    raised at its meetings name as their source. Deleted items and meetings count: their actions were
    still raised there (a tombstone keeps its links)."""
    from sqlalchemy import select

    found = session.get(MeetingBody, body)
    if found is None:
        found = session.scalars(select(MeetingBody).where(MeetingBody.code == body.upper())).first()
    if found is None:
        return body, []
    uuids = session.scalars(
        select(AgendaItem.uuid)
        .join(Meeting, AgendaItem.meeting_uuid == Meeting.uuid)
        .where(Meeting.body_uuid == found.uuid)
    )
    return found.name or found.code, sorted(uuids)


def replace_file_paper(uow: UnitOfWork, paper_uuid: str, filename: str, data: bytes) -> None:
    """A late or replaced paper: new content, same place on the agenda (version 2 lists it as replaced)."""
    from app.meetings.pack import check_paper_pdf

    paper = uow.session.get(MeetingPaper, paper_uuid)
    if paper is None or paper.is_deleted or paper.kind != "file":
        raise InvalidInput("Choose an attached paper to replace.")
    check_open(get_meeting(uow.session, get_item(uow.session, paper.item_uuid).meeting_uuid))
    count = check_paper_pdf(data, filename)
    uow.update(
        paper,
        filename=filename,
        content=data,
        sha256=hashlib.sha256(data).hexdigest(),
        page_count=count,
        summary=f"Replaced paper {paper.title} with {filename}",
    )


def delete_paper(uow: UnitOfWork, paper_uuid: str) -> None:
    paper = uow.session.get(MeetingPaper, paper_uuid)
    if paper is None or paper.is_deleted:
        return
    item = get_item(uow.session, paper.item_uuid)
    check_open(get_meeting(uow.session, item.meeting_uuid))
    uow.delete(paper, summary=f"Deleted a paper of agenda item {item.position}")


# -- packs --------------------------------------------------------------------------


def packs(session: Session, meeting_uuid: str) -> list[MeetingPack]:
    return live_children(session, MeetingPack, MeetingPack.meeting_uuid, meeting_uuid, MeetingPack.version)


def latest_pack(session: Session, meeting_uuid: str) -> MeetingPack | None:
    listed = packs(session, meeting_uuid)
    return listed[-1] if listed else None

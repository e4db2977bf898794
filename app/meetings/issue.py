"""Issuing a meeting's pack from live data, its versions, and each recipient's copy.

A version records what it was made of (items, papers and the hash of each
paper's pages); the next version compares against it to list what changed on
its first page. Earlier versions stay stored and retrievable.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.contributions import PACK_REPORTS, ReportRequest
from app.errors import InvalidInput
from app.meetings import service
from app.meetings.copies import stamp_copy
from app.meetings.pack import BuiltPack, ItemSource, PackInput, PaperSource, build_pack
from app.records import UnitOfWork
from app.text import count_of
from db.models.meetings import Meeting, MeetingPack


def _report_builder(
    session: Session, key: str, filters: dict[str, str], as_of: date, meeting: Meeting
) -> Callable[[], list[Any]]:
    report = PACK_REPORTS.get(key)

    def build() -> list[Any]:
        from app.office.pdf_styles import para, styles

        if report is None:  # e.g. a bundle from a member whose build has the Section 11 area
            return [
                para("Report not available", styles().title),
                para(f"This workspace's Safeguarding Workbench has no {key!r} report."),
            ]
        wanted = {"meeting": meeting.uuid, **filters}
        if filters.get("body"):  # the actions raised at that body's meetings name its agenda items as source
            name, sources = service.body_sources(session, filters["body"])
            wanted.update(body_name=name, body_sources=",".join(sources))
        return report.build(session, ReportRequest(as_of=as_of, filters=wanted))

    return build


def pack_input(session: Session, meeting: Meeting, version: int, as_of: date) -> PackInput:
    """The pack's inputs read from the workspace (reports are laid out later, in the same session)."""
    item_sources = []
    for number, item in enumerate(service.items(session, meeting.uuid), start=1):
        sources = []
        for paper in service.papers(session, item.uuid):
            if paper.kind == "file":
                sources.append(
                    PaperSource(
                        paper.title,
                        "file",
                        pdf=paper.content,
                        sha256=paper.sha256,
                        key=paper.uuid,
                        filename=paper.filename,
                    )
                )
            else:
                sources.append(
                    PaperSource(
                        paper.title,
                        "report",
                        key=paper.uuid,
                        flowables=_report_builder(
                            session, paper.report_key, dict(paper.report_filters or {}), as_of, meeting
                        ),
                    )
                )
        item_sources.append(
            ItemSource(
                number,
                item.title,
                item.presenter,
                item.purpose,
                item.minutes_allowed,
                item.restricted,
                sources,
                key=item.uuid,
            )
        )
    return PackInput(
        service.body_name(session, meeting),
        meeting.reference,
        meeting.meets_on,
        meeting.start_time,
        meeting.venue,
        meeting.chair,
        version,
        f"{meeting.reference}-v{version}",
        item_sources,
    )


#: what the cover and agenda show beside the papers, by the name a change line gives it
MEETING_DETAILS = {"body": "body", "date": "date", "time": "time", "venue": "venue", "chair": "chair"}
ITEM_DETAILS = {"presenter": "presenter", "purpose": "purpose", "minutes": "time allowed", "restricted": "restricted"}


def manifest_of(pack: PackInput, hashes: dict[str, str]) -> dict[str, Any]:
    return {
        "meeting": {
            "body": pack.body,
            "date": pack.meets_on.isoformat(),
            "time": pack.start_time,
            "venue": pack.venue,
            "chair": pack.chair,
        },
        "items": [
            {
                "key": item.key,
                "number": item.number,
                "title": item.title,
                "presenter": item.presenter,
                "purpose": item.purpose,
                "minutes": item.minutes,
                "restricted": item.restricted,
                "papers": [
                    {"key": p.key, "title": p.title, "kind": p.kind, "sha256": hashes.get(p.key, "")}
                    for p in item.papers
                ],
            }
            for item in pack.items
        ],
    }


def change_list(before: dict[str, Any], after: dict[str, Any], *, withhold: bool = False) -> list[str]:
    """What changed between two versions' manifests, in readable lines (papers named, items numbered).

    `withhold`: the lines for a copy without the restricted papers (members not cleared for them),
    where a restricted item (in either version) and its papers are not named, as on its agenda line."""
    lines: list[str] = []
    if "meeting" in before and before["meeting"] != after.get("meeting"):
        moved = [
            label for key, label in MEETING_DETAILS.items() if before["meeting"].get(key) != after["meeting"].get(key)
        ]
        lines.append(f"Meeting's {', '.join(moved)} changed")
    # items by identity, so a renamed item is one item renamed (by title it was one removed and one added,
    # and two items of one title were one); versions issued before items had keys are compared by title
    keyed = all(i.get("key") for i in [*before.get("items", []), *after.get("items", [])])
    old_items = {i["key"] if keyed else i["title"]: i for i in before.get("items", [])}
    new_items = {i["key"] if keyed else i["title"]: i for i in after.get("items", [])}
    old_papers = {p["key"]: (i, p) for i in before.get("items", []) for p in i["papers"]}
    new_papers = {p["key"]: (i, p) for i in after.get("items", []) for p in i["papers"]}

    def hidden(*versions: dict[str, Any] | None) -> bool:
        return withhold and any(item is not None and item.get("restricted") for item in versions)

    def named(title: str, *versions: dict[str, Any] | None) -> str:
        return RESTRICTED_ITEM if hidden(*versions) else title

    for ident, item in new_items.items():
        was, title = old_items.get(ident), item["title"]
        if was is None:
            lines.append(f"Item {item['number']} added: {named(title, item)}")
        else:
            if was["number"] != item["number"]:
                if hidden(was, item):
                    lines.append(f"A {RESTRICTED_ITEM} is now item {item['number']} (was {was['number']})")
                else:
                    lines.append(f"Item {title!r} is now item {item['number']} (was {was['number']})")
            if was["title"] != title:
                if hidden(was, item):
                    lines.append(f"Item {item['number']}: title changed")
                else:
                    lines.append(f"Item {item['number']} renamed: {was['title']!r} is now {title!r}")
            moved = [label for key, label in ITEM_DETAILS.items() if key in was and was[key] != item.get(key)]
            if moved:
                lines.append(f"Item {item['number']}: {', '.join(moved)} changed")
    for ident, item in old_items.items():
        if ident not in new_items:
            lines.append(f"Item removed: {named(item['title'], item)} (was item {item['number']})")
    withheld = 0  # changed papers of restricted items, counted rather than named
    for key, (item, paper) in new_papers.items():
        if key not in old_papers:
            change = "paper added"
        elif old_papers[key][1]["sha256"] != paper["sha256"]:
            change = "report updated from live data" if paper["kind"] == "report" else "paper replaced"
        else:
            continue
        if hidden(item, old_papers[key][0] if key in old_papers else None):
            withheld += 1
        else:
            lines.append(f"Item {item['number']}: {change}: {paper['title']}")
    for key, (item, paper) in old_papers.items():
        if key in new_papers:
            continue
        if hidden(item):
            withheld += 1
        else:
            lines.append(f"Item {item['number']}: paper removed: {paper['title']}")
    if withheld:
        lines.append(f"{count_of(withheld, 'paper')} of restricted items changed (papers to members only)")
    return lines or [NOTHING_CHANGED]


#: how a copy without the restricted papers names a restricted item in its change list
RESTRICTED_ITEM = "restricted item"


def _both_change_lists(source: PackInput, before: dict[str, Any] | None, after: dict[str, Any]) -> list[str]:
    """The version's change list; the copy without restricted papers gets its own, which names none of them
    (the one list named a restricted item's title and papers on the first page of every member's copy)."""
    if before is None:
        return []
    source.open_changes = change_list(before, after, withhold=True)
    return change_list(before, after)


#: the change list of a version issued again with the same papers (stored as its one line)
NOTHING_CHANGED = "No paper changed; this version was issued again."


def change_count(changes: list[str] | None) -> int:
    """How many changes a version's stored list names: its "nothing changed" line is not one."""
    return len([line for line in changes or [] if line != NOTHING_CHANGED])


@dataclass(frozen=True)
class Issued:
    pack_uuid: str
    version: int
    pack_id: str
    page_count: int
    changes: list[str]
    #: nothing changed since the latest version: no new version was made, this is that version
    unchanged: bool = False

    @property
    def message(self) -> str:
        if self.unchanged:
            return (
                f"Nothing changed since {self.pack_id} (version {self.version}, {self.page_count} pages): "
                "no new version issued."
            )
        return f"Issued {self.pack_id}: {self.page_count} pages."


def issue_pack(uow: UnitOfWork, meeting_uuid: str, *, today: date | None = None) -> Issued:
    """Build the pack from live data and store it as the next version; the meeting becomes "pack issued".

    A version is an issue "after a late or replaced paper" (issue 12): when nothing the pack
    shows changed since the latest version (the meeting's details, the items and their details,
    every paper's pages), nothing is stored and the latest version is returned (`unchanged`),
    so members never get a "version 3" identical to 2."""
    session = uow.session
    meeting = service.get_meeting(session, meeting_uuid)
    service.check_open(meeting)
    if not service.items(session, meeting.uuid):
        raise InvalidInput(f"{meeting.reference} has no agenda items: add the agenda before issuing a pack.")
    today = today or date.today()
    previous = service.latest_pack(session, meeting.uuid)
    version = previous.version + 1 if previous else 1
    source = pack_input(session, meeting, version, today)
    holder: dict[str, Any] = {}

    def changes(hashes: dict[str, str]) -> list[str]:
        holder["manifest"] = manifest_of(source, hashes)
        return _both_change_lists(source, previous.manifest if previous else None, holder["manifest"])

    built = build_pack(source, changes)
    # a version issued before the manifest held the meeting's details cannot be compared whole: issue anew
    if previous is not None and "meeting" in previous.manifest and change_count(source.changes) == 0:
        return Issued(previous.uuid, previous.version, previous.pack_id, previous.page_count, [], unchanged=True)
    record = uow.create(
        MeetingPack,
        meeting_uuid=meeting.uuid,
        version=version,
        pack_id=source.pack_id,
        issued_on=today,
        manifest=holder["manifest"],
        changes=source.changes,
        page_count=built.full.page_count,
        content=built.full.content,
        open_content=built.open.content if built.open else None,
        sha256=hashlib.sha256(built.full.content).hexdigest(),
        summary=f"Issued pack {source.pack_id} ({built.full.page_count} pages)",
    )
    if meeting.status == service.PLANNED:
        uow.update(meeting, status=service.PACK_ISSUED, summary=f"{meeting.reference}: pack issued")
    return Issued(record.uuid, version, source.pack_id, built.full.page_count, source.changes)


def build_preview(session: Session, meeting_uuid: str, today: date | None = None) -> BuiltPack:
    """The pack as it would be issued now (nothing stored): for checking before issuing."""
    meeting = service.get_meeting(session, meeting_uuid)
    previous = service.latest_pack(session, meeting.uuid)
    source = pack_input(session, meeting, previous.version + 1 if previous else 1, today or date.today())
    return build_pack(
        source, (lambda h: _both_change_lists(source, previous.manifest, manifest_of(source, h))) if previous else None
    )


def changed_since_issue(session: Session, meeting: Meeting) -> list[str]:
    """What changed in the meeting and its agenda (items, their order, papers added, removed or replaced)
    since the latest version was issued, in the change list's words; [] while that version is current.

    Reports are not laid out again (that is the issue's work): a report whose live data moved since is
    current until re-issued, but a report added or removed is a change."""
    previous = service.latest_pack(session, meeting.uuid)
    if previous is None or "meeting" not in (previous.manifest or {}):
        return []
    source = pack_input(session, meeting, previous.version, previous.issued_on)
    issued = {p["key"]: p["sha256"] for item in previous.manifest.get("items", []) for p in item["papers"]}
    hashes = {
        paper.key: paper.sha256 if paper.kind == "file" else issued.get(paper.key, "")
        for item in source.items
        for paper in item.papers
    }
    lines = change_list(previous.manifest, manifest_of(source, hashes))
    return [] if lines == [NOTHING_CHANGED] else lines


def out_of_date_note(issued_on: date) -> str:
    """How a meeting whose pack the agenda has left behind says so where its status is shown."""
    return f"Issued {issued_on.day} {issued_on:%b}; agenda changed since: re-issue"


def status_text(session: Session, meeting: Meeting, changed: list[str] | None = None) -> str:
    """The meeting's status as shown: "Pack issued" only while the issued pack is the agenda's
    (`changed`: `changed_since_issue`, where the caller has it already)."""
    label = service.STATUS_LABELS.get(meeting.status, meeting.status)
    if meeting.status != service.PACK_ISSUED:
        return label
    latest = service.latest_pack(session, meeting.uuid)
    if latest is None or not (changed_since_issue(session, meeting) if changed is None else changed):
        return label
    return out_of_date_note(latest.issued_on)


def get_pack(session: Session, meeting_uuid: str, version: int | None = None) -> MeetingPack:
    listed = service.packs(session, meeting_uuid)
    if not listed:
        raise InvalidInput("No pack has been issued for this meeting yet.")
    if version is None:
        return listed[-1]
    for pack in listed:
        if pack.version == version:
            return pack
    raise InvalidInput(
        f"There is no version {version} of this meeting's pack (versions: {', '.join(str(p.version) for p in listed)})."
    )


def copy_for(
    session: Session,
    pack: MeetingPack,
    recipient: str,
    *,
    cleared: bool | None = None,
    passphrase: str | None = None,
    day: date | None = None,
) -> bytes:
    """A recipient's copy: watermarked, without restricted papers unless the recipient is cleared.

    `recipient` is a member's name; someone not on the meeting's list counts as not cleared.
    """
    if cleared is None:
        cleared = any(
            m.name.casefold() == recipient.strip().casefold() and m.cleared_restricted
            for m in service.members(session, pack.meeting_uuid)
        )
    content = pack.content if cleared or pack.open_content is None else pack.open_content
    return stamp_copy(content, recipient.strip(), day or pack.issued_on, pack.pack_id, passphrase=passphrase)


def _withheld_item(item: dict[str, Any]) -> dict[str, Any]:
    """A restricted item as its agenda line shows it to a member not cleared: its number and its key (to
    compare versions), nothing said of who presents it, why, for how long or with which papers."""
    kept: dict[str, Any] = {key: item[key] for key in ("number", "key", "restricted") if key in item}
    return {**kept, "title": f"{RESTRICTED_ITEM} {item['number']}", "papers": []}


def withheld_record(session: Session, pack: MeetingPack) -> dict[str, Any]:
    """The version's manifest and change list as a member not cleared for restricted items may hold them:
    restricted items untitled and without their papers, the change list naming none of them."""
    manifest = dict(pack.manifest or {})
    manifest["items"] = [_withheld_item(item) if item.get("restricted") else item for item in manifest.get("items", [])]
    earlier = [p for p in service.packs(session, pack.meeting_uuid) if p.version < pack.version]
    changes = change_list(earlier[-1].manifest, pack.manifest, withhold=True) if earlier and pack.changes else []
    return {"manifest": manifest, "changes": changes}

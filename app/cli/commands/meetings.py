"""Meeting commands: meeting add|list|body list|add|rename|item add|paper add|member add|held, pack build|get|send,
minutes export|approve.

Every file is written only after everything has been checked (a bad paper, an
unknown meeting or recipient exits 1 with one line and writes nothing).
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.common import (
    add_output_arguments,
    command_group,
    on_workspace,
    opened,
    print_listing,
    print_rows,
    read_passphrase,
    reading,
    workspace_command,
    writes_file,
    writing,
)
from app.clock import parse_day
from app.errors import InvalidInput, UsageError
from app.text import count_of

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.records import UnitOfWork
    from app.store.workspace import Workspace
    from db.models.meetings import Meeting

PDF_PASSPHRASE_ENV = "WORKBENCH_PDF_PASSPHRASE"


def _add(args: argparse.Namespace) -> int:
    from app.meetings.service import add_meeting

    day = parse_day(args.date, "meeting date")
    with writing(args.path) as uow:
        reference = add_meeting(
            uow,
            body=args.body,
            meets_on=day,
            start_time=args.time or "",
            venue=args.venue or "",
            chair=args.chair or "",
        ).reference
    print(reference)
    return 0


def _list(args: argparse.Namespace) -> int:
    from app.meetings.service import list_meetings

    return print_rows(
        args,
        list_meetings,
        lambda row: (
            f"{row.reference}\t{row.meets_on.strftime('%d/%m/%Y')}\t{row.start_time}\t{row.body}\t"
            f"{row.status_label}\t{count_of(row.items, 'item')}"
        ),
    )


@contextmanager
def _writing_meeting(args: argparse.Namespace) -> Iterator[tuple[UnitOfWork, Meeting]]:
    """One unit of work on the workspace at PATH, with the meeting `--meeting` names."""
    from app.meetings.service import find_meeting

    with writing(args.path) as uow:
        yield uow, find_meeting(uow.session, args.meeting)


def _item_add(args: argparse.Namespace) -> int:
    from app.meetings.service import add_item, items

    with _writing_meeting(args) as (uow, meeting):
        add_item(
            uow,
            meeting.uuid,
            args.title,
            presenter=args.presenter or "",
            purpose=args.purpose,
            minutes_allowed=args.minutes,
            restricted=args.restricted,
        )
        number = len(items(uow.session, meeting.uuid))
    print(f"Item {number} added to {meeting.reference}")
    return 0


def _filters(pairs: list[str] | None) -> dict[str, str]:
    found = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InvalidInput(f"Filter {pair!r} is not NAME=VALUE.")
        found[key.strip()] = value.strip()
    return found


#: --report names in issue 12's words for reports registered under another key
REPORT_ALIASES = {"data": "performance"}


def _paper_add(args: argparse.Namespace) -> int:
    from app.meetings.service import (
        add_file_paper,
        add_report_paper,
        find_item,
        read_paper_file,
    )

    given = args.paths[1:] + args.item[1:]
    if len(given) > 1:
        raise UsageError("Give the workspace folder and at most one FILE.")
    args.path = args.paths[0]
    args.file = given[0] if given else None
    try:
        args.item = int(args.item[0])
    except ValueError:
        raise UsageError(f"--item takes an agenda item number, not {args.item[0]!r}.") from None
    if bool(args.file) == bool(args.report):
        raise UsageError("Give either a FILE to attach or --report KEY, not both or neither.")
    loaded = read_paper_file(Path(args.file)) if args.file else None
    with _writing_meeting(args) as (uow, meeting):
        item = find_item(uow.session, meeting.uuid, args.item)
        if loaded is not None:
            name, data, count = loaded
            paper = add_file_paper(uow, item.uuid, name, data, title=args.title or "", page_count=count)
            what = f"{paper.title} ({count_of(count, 'page')})"
        else:
            key = REPORT_ALIASES.get(args.report.strip().casefold(), args.report)
            paper = add_report_paper(uow, item.uuid, key, filters=_filters(args.filter), title=args.title or "")
            what = f"{paper.title} (generated at build time)"
    print(f"Paper added to {meeting.reference} item {args.item}: {what}")
    return 0


def _member_add(args: argparse.Namespace) -> int:
    from app.meetings.service import add_member

    with _writing_meeting(args) as (uow, meeting):
        add_member(
            uow,
            meeting.uuid,
            args.name,
            role=args.role or "",
            cleared_restricted=args.cleared,
            contact_name=args.contact or "",
        )
    print(f"{args.name} invited to {meeting.reference}")
    return 0


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-") or "member"


def _targets(out: Path, names: list[str]) -> list[Path]:
    if len(names) <= 1:
        return [out]
    return [out.with_name(f"{out.stem}-{_slug(name)}{out.suffix or '.pdf'}") for name in names]


def _pack_passphrase(encrypt: bool) -> str | None:
    if not encrypt:
        return None
    from app.meetings.copies import MIN_PASSPHRASE, PDF_ENCRYPTION_WARNING

    print(f"Note: {PDF_ENCRYPTION_WARNING}")
    value = read_passphrase("PDF passphrase: ", PDF_PASSPHRASE_ENV)
    if len(value) < MIN_PASSPHRASE:
        raise InvalidInput(f"The PDF passphrase must have at least {MIN_PASSPHRASE} characters.")
    return value


def _write_pack(args: argparse.Namespace, build_new: bool) -> int:
    from app.meetings.issue import change_count, copy_for, get_pack, issue_pack
    from app.meetings.service import find_meeting, find_member, members
    from app.store.user_files import check_user_target, write_user_file

    out = Path(args.out)
    names = args.recipients or []
    targets = _targets(out, names)
    for target in targets:
        check_user_target(target, overwrite=args.overwrite)
    passphrase = _pack_passphrase(args.encrypt)
    with opened(args.path) as workspace:
        with workspace.reading() as session:
            meeting_uuid = find_meeting(session, args.meeting).uuid
            for name in names:
                find_member(session, meeting_uuid, name)
        if build_new:
            with workspace.unit_of_work() as uow:
                issued = issue_pack(uow, meeting_uuid)
            version = issued.version
            if issued.unchanged:
                print(f"{issued.message} Writing version {version}.")
        else:
            version = args.version
        with workspace.reading() as session:
            pack = get_pack(session, meeting_uuid, version)
            if names:
                cleared = {m.name.casefold() for m in members(session, meeting_uuid) if m.cleared_restricted}
                outputs = [copy_for(session, pack, name, passphrase=passphrase) for name in names]
                whose = [
                    f"{name}'s copy"
                    + ("" if name.strip().casefold() in cleared else ", without restricted papers (not cleared)")
                    for name in names
                ]
            elif passphrase is not None:
                from app.meetings.copies import stamp_copy

                outputs = [
                    stamp_copy(
                        pack.content, "the Chair's master copy", pack.issued_on, pack.pack_id, passphrase=passphrase
                    )
                ]
                whose = ["master copy, every paper"]
            else:
                outputs = [pack.content]
                whose = ["master copy, every paper"]
            pack_id, issued_on, changes = pack.pack_id, pack.issued_on, list(pack.changes)
    for target, data in zip(targets, outputs, strict=False):
        write_user_file(target, data, overwrite=args.overwrite)
    # each file's own pages: one pack count above a copy without the restricted papers said 18 pages of 16
    changed = change_count(changes)
    print(
        f"Pack {pack_id}, issued {issued_on.strftime('%d/%m/%Y')}"
        + (f", {count_of(changed, 'change')} since the previous version" if changed else "")
        + ":"
    )
    for target, data, what in zip(targets, outputs, whose, strict=False):
        encrypted = " (encrypted)" if passphrase is not None else ""
        print(f"  {target}  {what}{encrypted}: {count_of(_pages(data, passphrase), 'page')}")
    return 0


def _pages(data: bytes, passphrase: str | None) -> int:
    """The pages of a file written, as its reader will count them."""
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(data), password=passphrase or "") as pdf:
        return len(pdf.pages)


def _pack_build(args: argparse.Namespace) -> int:
    return _write_pack(args, build_new=True)


def _pack_get(args: argparse.Namespace) -> int:
    return _write_pack(args, build_new=False)


@on_workspace
def _pack_send(args: argparse.Namespace, workspace: Workspace) -> int:
    from app.meetings.issue import get_pack
    from app.meetings.sealed import seal_copy
    from app.meetings.service import find_meeting

    with workspace.reading() as session:
        pack = get_pack(session, find_meeting(session, args.meeting).uuid, args.version)
        pack_uuid, pack_id = pack.uuid, pack.pack_id
    bundle_id = seal_copy(workspace, pack_uuid, args.recipient, Path(args.out), overwrite=args.overwrite)
    print(f"Sealed {args.recipient}'s copy of {pack_id} to their key: {args.out} (bundle {bundle_id})")
    return 0


@writes_file
def _minutes_export(args: argparse.Namespace, session: Session) -> tuple[bytes, str]:
    from app.meetings.minutes import export_minutes
    from app.meetings.service import find_meeting

    data = export_minutes(
        session,
        find_meeting(session, args.meeting).uuid,
        args.format,
        recipient=args.recipient or "",
        open_only=args.open_only,
    )
    what = (
        f"{args.recipient.strip()}'s copy of the minutes"
        if args.recipient
        else "the minutes without restricted items"
        if args.open_only
        else "the minutes"
    )
    return data, what


def _minutes_approve(args: argparse.Namespace) -> int:
    from app.meetings.minutes import approve_minutes

    with _writing_meeting(args) as (uow, meeting):
        reference = meeting.reference
        digest = approve_minutes(uow, meeting.uuid, at_meeting=args.at or "")
    print(f"Minutes of {reference} approved and frozen (SHA-256 {digest})")
    return 0


def _held(args: argparse.Namespace) -> int:
    from app.meetings.minutes import held_message, mark_held

    with _writing_meeting(args) as (uow, meeting):
        reference = meeting.reference
        absent = mark_held(uow, meeting.uuid)
    print(held_message(reference, absent))
    return 0


def _body_list(args: argparse.Namespace) -> int:
    from app.meetings.service import body_names

    with reading(args.path) as session:
        bodies = body_names(session)
    return print_listing(
        args.json, ({"code": code, "name": name} for code, name in bodies), (f"{code}\t{name}" for code, name in bodies)
    )


def _body_add(args: argparse.Namespace) -> int:
    from app.meetings.service import add_body

    with writing(args.path) as uow:
        body = add_body(uow, args.name, args.code)
        added = f"{body.code}\t{body.name}"
    print(f"added {added}")
    return 0


def _body_rename(args: argparse.Namespace) -> int:
    from app.meetings.service import find_body, rename_body

    with writing(args.path) as uow:
        body = rename_body(uow, find_body(uow.session, args.body).uuid, args.name)
        renamed = f"{body.code}\t{body.name}"
    print(f"renamed {renamed}")
    return 0


def _meeting_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--meeting", required=True, metavar="M", help="meeting reference, e.g. QA-2026-03-12")


def register(commands: argparse._SubParsersAction) -> None:
    sub = command_group(commands, "meeting", "meetings: add, list, agenda items, papers, members", metavar="SUBCOMMAND")

    add = workspace_command(sub, "add", "add a meeting; prints its reference", _add)
    add.add_argument("--body", required=True, help="board or subgroup: name or code (BOARD, QA, CR, LD, S11)")
    add.add_argument("--date", required=True, metavar="DATE", help="2026-03-12 or 12/03/2026")
    add.add_argument("--time", metavar="HH:MM")
    add.add_argument("--venue")
    add.add_argument("--chair")

    workspace_command(sub, "list", "list meetings, newest first", _list, json=True)

    bodies = command_group(sub, "body", "the boards and subgroups that meet", metavar="SUBCOMMAND")
    workspace_command(bodies, "list", "list the bodies: code and name", _body_list, json=True)
    body_add = workspace_command(bodies, "add", "add a board or subgroup", _body_add)
    body_add.add_argument("--name", required=True, help="e.g. Child Death Overview subgroup")
    body_add.add_argument("--code", required=True, help="up to 12 letters or digits, used in references, e.g. CDOP")
    body_rename = workspace_command(bodies, "rename", "rename a body (its code stays)", _body_rename)
    body_rename.add_argument("--body", required=True, help="the body's code or current name")
    body_rename.add_argument("--name", required=True, help="its new name")

    item = workspace_command(
        command_group(sub, "item", "agenda items", metavar="SUBCOMMAND"),
        "add",
        "add an agenda item at the end of the agenda",
        _item_add,
    )
    _meeting_option(item)
    item.add_argument("--title", required=True)
    item.add_argument("--presenter")
    item.add_argument("--purpose", default="discussion", choices=("decision", "discussion", "information"))
    item.add_argument("--minutes", type=int, default=10, help="time allowed in minutes (default 10)")
    item.add_argument("--restricted", action="store_true", help="papers to cleared members only")

    paper = command_group(sub, "paper", "papers for agenda items", metavar="SUBCOMMAND").add_parser(
        "add", help="attach a PDF to an item, or a report generated from live data at build time"
    )
    # PATH [FILE] as one positional: argparse fills an optional positional next to PATH before seeing
    # options, so FILE written after --item would otherwise be refused
    paper.add_argument(
        "paths",
        nargs="+",
        metavar="PATH [FILE]",
        help="workspace folder, then a PDF to attach (Word converted when LibreOffice is installed)",
    )
    _meeting_option(paper)
    # `--item N FILE` as the usage reads: FILE after the options arrives as --item's second value
    paper.add_argument("--item", required=True, nargs="+", metavar="N [FILE]", help="agenda item number")
    paper.add_argument(
        "--report", metavar="KEY", help="actions, reviews, minutes, section11, data (the performance charts)..."
    )
    paper.add_argument("--filter", action="append", metavar="NAME=VALUE", help="report filter; repeatable")
    paper.add_argument("--title", help="the paper's title (default: file name or report title)")
    paper.set_defaults(handler=_paper_add)

    member = workspace_command(
        command_group(sub, "member", "people invited", metavar="SUBCOMMAND"),
        "add",
        "invite someone to the meeting",
        _member_add,
    )
    _meeting_option(member)
    member.add_argument("--name", required=True)
    member.add_argument("--role")
    member.add_argument("--cleared", action="store_true", help="may receive restricted items' papers")
    member.add_argument("--contact", help="their exchange contact, for sealed copies")

    held = workspace_command(sub, "held", "mark the meeting as held", _held)
    _meeting_option(held)

    pack_sub = command_group(
        commands, "pack", "meeting packs: build (issue a version), get an issued version", metavar="SUBCOMMAND"
    )
    for name, handler, text in (
        ("build", _pack_build, "build the pack from live data as its next version"),
        ("get", _pack_get, "write an issued version again"),
    ):
        part = workspace_command(pack_sub, name, text, handler)
        _meeting_option(part)
        part.add_argument(
            "--out",
            required=True,
            metavar="FILE.pdf",
            help="output; with several --for, one file per name (FILE-NAME.pdf)",
        )
        part.add_argument(
            "--for",
            dest="recipients",
            action="append",
            metavar="NAME",
            help="a member's watermarked copy (restricted papers only if cleared); repeatable",
        )
        part.add_argument(
            "--encrypt",
            action="store_true",
            help=f"AES-256 with a passphrase ({PDF_PASSPHRASE_ENV} or asked); weaker than a sealed bundle",
        )
        part.add_argument("--overwrite", action="store_true")
        if name == "get":
            part.add_argument("--version", type=int, help="version number (default the latest)")

    send = workspace_command(pack_sub, "send", "a member's copy sealed to their key as a bundle", _pack_send)
    _meeting_option(send)
    send.add_argument(
        "--for", dest="recipient", required=True, metavar="NAME", help="a member whose exchange contact is set"
    )
    add_output_arguments(send, "FILE.bundle")
    send.add_argument("--version", type=int, help="version number (default the latest)")

    minutes_sub = command_group(commands, "minutes", "meeting minutes: export, approve", metavar="SUBCOMMAND")
    export = workspace_command(minutes_sub, "export", "write the minutes as DOCX or PDF", _minutes_export)
    _meeting_option(export)
    export.add_argument("--format", required=True, choices=("docx", "pdf"))
    copy = export.add_mutually_exclusive_group()
    copy.add_argument(
        "--for",
        dest="recipient",
        metavar="NAME",
        help="a member's copy: restricted items' minutes only if they are cleared for them",
    )
    copy.add_argument(
        "--open-only",
        action="store_true",
        help="without restricted items' minutes (for members not cleared); default: every item, restricted marked",
    )
    add_output_arguments(export, "FILE")
    approve = workspace_command(
        minutes_sub, "approve", "approve and freeze the minutes (hash in the audit log)", _minutes_approve
    )
    _meeting_option(approve)
    approve.add_argument("--at", metavar="REF", help="the meeting that approved them")

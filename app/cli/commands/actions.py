"""Action tracker commands: actions add / update / list / export."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from app.actions.exports import FORMATS, export_tracker
from app.actions.filters import ActionFilter, apply_filter
from app.actions.queries import list_actions
from app.actions.rag import parse_rag
from app.actions.service import Closure, Update, add_action, apply_update
from app.actions.sources import resolve_source
from app.actions.status import parse_status
from app.cli.common import (
    add_document_arguments,
    check_out,
    command_group,
    opened,
    print_rows,
    reading,
    workspace_command,
    writing,
)
from app.clock import parse_day, uk
from app.errors import UsageError
from app.text import count_of


def _add(args: argparse.Namespace) -> int:
    due = parse_day(args.due, "due date")
    with writing(args.path) as uow:
        source = resolve_source(uow.session, args.source)
        action = add_action(
            uow,
            title=args.title,
            owner=args.owner,
            due=due,
            source=source,
            lead_officer=args.lead or "",
            success_measure=args.measure or "",
        )
        reference = action.reference
    print(reference)
    return 0


_UPDATE_OPTIONS = ("status", "progress", "evidence", "evidence_file", "approved_by", "meeting", "approved_on", "reason")


def _update(args: argparse.Namespace) -> int:
    if all(getattr(args, name) is None for name in _UPDATE_OPTIONS):
        raise UsageError(
            "Nothing to do: give at least one of "
            + ", ".join("--" + name.replace("_", "-") for name in _UPDATE_OPTIONS)
            + "."
        )
    status = parse_status(args.status) if args.status is not None else None
    approved_on = parse_day(args.approved_on, "approval date") if args.approved_on else None
    update = Update(
        status=status,
        progress=args.progress,
        evidence=args.evidence,
        evidence_files=tuple(Path(name) for name in args.evidence_file or ()),
        closure=Closure(
            approved_by=args.approved_by or "",
            meeting=args.meeting or "",
            approved_on=approved_on,
            reason=args.reason or "",
        ),
    )
    with opened(args.path) as workspace:
        with workspace.unit_of_work() as uow:
            action = apply_update(uow, args.reference, update, author=workspace.member.display_name)
            reference = action.reference
    print(f"Updated {reference}")
    return 0


def _list(args: argparse.Namespace) -> int:
    wanted = ActionFilter(overdue=args.overdue, rag=parse_rag(args.rag, allow_grey=False) if args.rag else None)
    today = date.today()
    return print_rows(
        args,
        lambda session: apply_filter(list_actions(session, today), wanted, today),
        lambda row: (
            f"{row.reference}\t{row.rag_text}\t{uk(row.due)}\t{row.agency}\t{row.status_label}\t"
            f"{row.source_display}\t{row.title}"
        ),
    )


def _export(args: argparse.Namespace) -> int:
    check_out(args)  # before the passphrase is asked
    out = Path(args.out)
    with reading(args.path) as session:
        rows = list_actions(session)
    export_tracker(rows, args.format, out, overwrite=args.overwrite)
    print(f"Wrote {count_of(len(rows), 'action')} to {out}")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    sub = command_group(commands, "actions", "the action tracker: add, update, list, export", metavar="SUBCOMMAND")

    add = workspace_command(sub, "add", "add an action; prints its reference", _add)
    add.add_argument("--title", required=True, help="what will be done")
    add.add_argument("--owner", required=True, metavar="AGENCY", help="owner agency (name or short name)")
    add.add_argument("--due", required=True, metavar="DATE", help="due date, 2026-05-22 or 22/05/2026")
    add.add_argument(
        "--source",
        metavar="KIND:TEXT",
        help="review:REF, review:REF#N, audit:NAME, inspection:NAME, section11:CYCLE/AGENCY[#N] or none",
    )
    add.add_argument("--lead", metavar="NAME", help="lead officer")
    add.add_argument("--measure", metavar="TEXT", help="success measure")

    update = workspace_command(sub, "update", "change status, add progress or evidence of impact", _update)
    update.add_argument("reference", metavar="REF", help="action reference, e.g. ACT-0012")
    update.add_argument(
        "--status",
        help="not-started, in-progress, completed-awaiting-evidence, closed-impact-evidenced or closed-not-achieved",
    )
    update.add_argument("--progress", metavar="TEXT", help="append a dated progress update")
    update.add_argument("--evidence", metavar="TEXT", help="evidence of impact")
    update.add_argument(
        "--evidence-file",
        metavar="FILE",
        action="append",
        help="attach a file (at most 10 MiB) as evidence of impact; repeatable",
    )
    update.add_argument("--approved-by", metavar="NAME", help="who approved the closure")
    update.add_argument("--meeting", metavar="TEXT", help="the meeting that approved the closure")
    update.add_argument("--approved-on", metavar="DATE", help="approval date (default today)")
    update.add_argument("--reason", metavar="TEXT", help="why an action closed as not achieved or superseded")

    listing = workspace_command(sub, "list", "list actions with their RAG status", _list, json=True)
    listing.add_argument("--overdue", action="store_true", help="only overdue actions")
    listing.add_argument("--rag", choices=("red", "amber", "green", "blue"), help="only this RAG status")

    export = workspace_command(sub, "export", "write the tracker as XLSX or PDF", _export)
    add_document_arguments(export, FORMATS)

"""`chronology scan`, `chronology person` and `chronology dismiss`: the people register from the command line.

Kept beside the reviews commands (which register them under `chronology`) so
that the anonymisation workflow reads as one module:

    chronology scan PATH --review REF [--json] [--all]
    chronology accept PATH --review REF --kind KIND TEXT... [--undo]   (a finding that may stay in the export)
    chronology person PATH --review REF --list [--json]
    chronology person PATH --review REF --name "Sarah Turner" --pseudonym Mother [--role mother] [--also Shaz]...
    chronology person PATH --review REF --name Shaz --of Mother        (another name of a listed person)
    chronology person PATH --review REF --remove Mother
    chronology dismiss PATH --review REF [--kind KIND] TEXT... [--undo]   (not identifying)
    chronology print PATH --review REF --out FILE.pdf [--columns "Date,Agency,Event / contact"]
                     [--agency A] [--significant] [--version V] [--final] [--anonymised] [--overwrite]
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from app.chronology.anonymise import KINDS
from app.chronology.name_finder import fold
from app.chronology.people import (
    DECISIONS,
    NAME_KIND,
    add_other_name,
    add_person,
    decide,
    delete_person,
    find_person,
    list_decisions,
    list_people,
    name_suspects,
    scan_with_decisions,
    undo_decision,
)
from app.cli.common import (
    add_output_arguments,
    check_out,
    on_workspace,
    print_json,
    reading,
    workspace_command,
    writing,
)
from app.errors import InvalidInput, UsageError
from app.reviews.register import find_review
from app.text import count_of
from db.base import live
from db.models.reviews import ChronologyEntry

if TYPE_CHECKING:
    from app.store.workspace import Workspace


def _sequences(session: Session, review_uuid: str) -> dict[str, int]:
    rows = session.execute(
        live(ChronologyEntry)
        .with_only_columns(ChronologyEntry.uuid, ChronologyEntry.sequence)
        .where(ChronologyEntry.review_uuid == review_uuid)
    )
    return {uuid: sequence for uuid, sequence in rows}


def _scan(args: argparse.Namespace) -> int:
    with reading(args.path) as session:
        review = find_review(session, args.review)
        sequence = _sequences(session, review.uuid)
        decided = {fold(d.text): d for d in list_decisions(session, review.uuid, NAME_KIND)}
        findings = []
        for suspect in name_suspects(session, review.uuid, include_decided=args.all):
            decision = decided.get(suspect.key)
            for entry_uuid, field, context in suspect.occurrences:
                findings.append(
                    {
                        "kind": NAME_KIND,
                        "text": suspect.text,
                        "reason": suspect.reason,
                        "field": field.replace("_", " "),
                        "entry": sequence.get(entry_uuid),
                        "status": decision.decision if decision else "undecided",
                        "context": context,
                        "decided_by": decision.decided_by if decision else None,
                        "decided_at": decision.decided_at if decision else None,
                    }
                )
        hidden = 0
        for item in scan_with_decisions(session, review.uuid):
            finding, decision = item.finding, item.decision
            if decision is not None and not args.all:
                hidden += 1
                continue
            findings.append(
                {
                    "kind": finding.kind,
                    "text": finding.matched,
                    "reason": "",
                    "field": finding.field.replace("_", " "),
                    "entry": sequence.get(finding.entry_uuid),
                    "status": item.status,
                    "context": finding.context,
                    "decided_by": decision.decided_by if decision else None,
                    "decided_at": decision.decided_at if decision else None,
                    "key": finding.key,
                }
            )
        reference = review.reference
    if args.json:
        print_json(findings)
        return 0
    if not findings:
        print(
            f"Nothing name-like or identifying-looking is left undecided in the anonymised chronology of {reference}."
        )
        return 0
    for f in findings:
        entry = f"entry {f['entry']}" if f["entry"] is not None else "review"
        print(f"{f['status']:<15} {f['kind']:<15} {f['text']!r:<24} {f['field']:<17} {entry:<10} {f['context']}")
    undecided = {(f["kind"], fold(str(f["text"]))) for f in findings if f["status"] == "undecided"}
    names = sum(1 for kind, _ in undecided if kind == NAME_KIND)
    others = len(undecided) - names
    print(
        f"{count_of(len(findings), 'finding')}; {count_of(names, 'name-like word')} to decide: add to the register "
        "(`chronology person`) or dismiss (`chronology dismiss`); "
        f"{count_of(others, 'other finding')} to resolve or accept (`chronology accept --kind KIND TEXT`)."
        + (f" {count_of(hidden, 'decided finding')} not shown (--all shows them)." if hidden else "")
    )
    return 0


def _person_mode(args: argparse.Namespace) -> None:
    """Exactly one of --list, --remove, --name, and what --name needs: said before the passphrase is asked."""
    modes = sum(bool(x) for x in (args.list, args.remove, args.name))
    if modes != 1:
        raise UsageError("Give one of --list, --remove PERSON or --name NAME.")
    if args.name and not (args.pseudonym or args.of):
        raise UsageError("--name needs --pseudonym (a new person) or --of PERSON (another name of a listed one).")


@on_workspace(check=_person_mode)
def _person(args: argparse.Namespace, workspace: Workspace) -> int:
    if args.list:
        with workspace.reading() as session:
            review = find_review(session, args.review)
            people = [
                {
                    "pseudonym": p.pseudonym,
                    "real_name": p.real_name,
                    "role": p.role,
                    "other_names": list(p.other_names),
                }
                for p in list_people(session, review.uuid)
            ]
        if args.json:
            print_json(people)
        else:
            for p in people:
                others = f" (also {', '.join(p['other_names'])})" if p["other_names"] else ""
                print(f"{p['pseudonym']:<24} {p['real_name']}{others}" + (f"  [{p['role']}]" if p["role"] else ""))
            print(f"{len(people)} people.")
        return 0
    with workspace.unit_of_work() as uow:
        review = find_review(uow.session, args.review)
        if args.remove:
            person = find_person(uow.session, review.uuid, args.remove)
            delete_person(uow, person.uuid)
            message = f"Removed {person.pseudonym} from the people register of {review.reference}."
        elif args.of:
            person = find_person(uow.session, review.uuid, args.of)
            if not add_other_name(uow, person.uuid, args.name):
                raise InvalidInput(f"{args.name!r} is already a name of {person.pseudonym}.")
            decide(uow, review.uuid, args.name, "added")
            message = f"{args.name!r} is now replaced by {person.pseudonym!r} too."
        else:
            person = add_person(
                uow, review.uuid, args.name, args.pseudonym, role=args.role or "", other_names=args.also or []
            )
            for name in [args.name, *(args.also or [])]:
                decide(uow, review.uuid, name, "added")
            message = f"Added {person.real_name!r} as {person.pseudonym!r} to {review.reference}."
    print(message)
    return 0


def _decide_texts(args: argparse.Namespace, decision: str) -> str:
    with writing(args.path) as uow:
        review = find_review(uow.session, args.review)
        for text in args.text:
            if args.undo:
                undo_decision(uow, review.uuid, text, kind=args.kind)
            else:
                decide(uow, review.uuid, text, decision, kind=args.kind)
        reference = review.reference
    words = ", ".join(repr(t) for t in args.text)
    if args.undo:
        return f"Withdrew the decision on {words} ({KINDS[args.kind]}) in {reference}."
    return f"{DECISIONS[decision]}: {words} ({KINDS[args.kind]}) in {reference} (recorded with your name and the time)."


def _dismiss(args: argparse.Namespace) -> int:
    print(_decide_texts(args, "not-identifying"))
    return 0


def _accept(args: argparse.Namespace) -> int:
    print(_decide_texts(args, "accepted"))
    return 0


def _print(args: argparse.Namespace) -> int:
    from app.agencies import find_agency
    from app.chronology.panel_pdf import PANEL_COLUMNS, PanelOptions, export_panel_pdf, parse_columns
    from app.chronology.rows import RowFilter

    columns = parse_columns(args.columns) if args.columns else PANEL_COLUMNS
    if not args.out.lower().endswith(".pdf"):
        raise InvalidInput(f"The panel document is a PDF: name the file .pdf (not {args.out!r}).")
    check_out(args)  # before the passphrase is asked
    with reading(args.path) as session:
        review = find_review(session, args.review)
        agencies = frozenset(find_agency(session, a).uuid for a in (args.agency or []))
        options = PanelOptions(
            columns=columns,
            row_filter=RowFilter(agencies=agencies, significant_only=args.significant),
            anonymised=args.anonymised,
            version=args.version,
            final=args.final,
        )
        target = export_panel_pdf(session, review.uuid, options, args.out, overwrite=args.overwrite)
        reference = review.reference
    print(
        f"Wrote the {options.marking} panel chronology of {reference}, version {options.version}, to {target}"
        + (" (anonymised)" if args.anonymised else "")
        + "."
    )
    return 0


def register_people_commands(chronology: argparse._SubParsersAction) -> None:
    scan_parser = workspace_command(
        chronology, "scan", "list what an anonymised export would still contain", _scan, json=True
    )
    scan_parser.add_argument("--review", required=True, help="review reference")
    scan_parser.add_argument("--all", action="store_true", help="include name-like words already decided")

    person = workspace_command(
        chronology, "person", "the review's people register: list, add, another name, remove", _person
    )
    person.add_argument("--review", required=True, help="review reference")
    person.add_argument("--list", action="store_true", help="list the register")
    person.add_argument("--json", action="store_true", help="with --list: as JSON")
    person.add_argument("--name", metavar="NAME", help="a real name (new person) or another name (with --of)")
    person.add_argument("--pseudonym", metavar="P", help='what replaces the person ("Child A", "Mother", "GP1")')
    person.add_argument("--role", metavar="ROLE", help="relation to the review (mother, child, GP ...)")
    person.add_argument("--also", action="append", metavar="NAME", help="alias, nickname or spelling (repeatable)")
    person.add_argument("--of", metavar="PERSON", help="add --name as another name of this person")
    person.add_argument("--remove", metavar="PERSON", help="remove a person (by pseudonym or name)")

    for name, help_text, run, default_kind in (
        ("dismiss", "mark scan findings (name-like words by default) as not identifying", _dismiss, NAME_KIND),
        ("accept", "accept scan findings the anonymised export may contain (recorded)", _accept, None),
    ):
        command = workspace_command(chronology, name, help_text, run)
        command.add_argument("--review", required=True, help="review reference")
        command.add_argument(
            "--kind",
            choices=sorted(KINDS),
            default=default_kind,
            required=default_kind is None,
            help="the kind of finding as `chronology scan` lists it"
            + (f" (default {default_kind})" if default_kind else ""),
        )
        command.add_argument("text", nargs="+", metavar="TEXT", help="the text as the scan listed it")
        command.add_argument("--undo", action="store_true", help="withdraw the decision")

    printing = workspace_command(chronology, "print", "the chronology as a landscape PDF for a panel", _print)
    printing.add_argument("--review", required=True, help="review reference")
    add_output_arguments(printing, "FILE.pdf")
    printing.add_argument("--columns", metavar="LIST", help='columns in order, e.g. "Date,Agency,Event / contact"')
    printing.add_argument("--agency", action="append", metavar="AGENCY", help="only this agency (repeatable)")
    printing.add_argument("--significant", action="store_true", help="only significant events")
    printing.add_argument("--version", default="1", help="the document's version (default 1)")
    printing.add_argument("--final", action="store_true", help="mark FINAL instead of DRAFT")
    printing.add_argument("--anonymised", action="store_true", help="replace names; refused while any is undecided")

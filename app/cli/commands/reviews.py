"""Review and chronology commands.

    review add PATH --kind KIND --title TITLE --subject "Child A" [--dob DATE]
               [--scope-from DATE --scope-to DATE] [--notified DATE] ...   (prints the reference)
    review list PATH [--json]                      (each review's most urgent open clock)
    review milestone PATH REF --name NAME [--due DATE] [--done DATE] [--remove]
    chronology import PATH --review REF --agency AGENCY FILE [--map "Header=field"] [--skip-invalid] [--dry-run]
                      [--report FILE [--overwrite]]
    chronology list PATH --review REF [--agency A] [--json]
    chronology export PATH --review REF --format xlsx|docx|pdf|csv --out FILE [--anonymised] [--overwrite]
    chronology scan PATH --review REF [--json] [--all]       (what an anonymised export would still contain)
    chronology person PATH --review REF [--list | --name NAME --pseudonym P [--role R] [--also NAME]...
                      | --name NAME --of PERSON | --remove PERSON]
    chronology dismiss PATH --review REF TEXT... [--undo]   (name-like words that identify nobody)

Every command validates everything before writing, in one unit of work.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.agencies import find_agency
from app.chronology.exports import FORMATS, export_chronology
from app.chronology.fields import FREE_TEXT_FIELDS, unmapped_headers
from app.chronology.import_service import (
    open_return,
    propose_mapping,
    save_report,
    stream_import,
)
from app.chronology.people import decide_findings, scan_with_decisions, undecided_findings
from app.chronology.rows import load_rows
from app.cli.common import (
    add_document_arguments,
    check_out,
    command_group,
    on_workspace,
    print_json,
    print_rows,
    reading,
    workspace_command,
    writing,
)
from app.dates.fuzzy import DateParseError, DatePrecision, parse_date
from app.errors import InvalidInput, UsageError
from app.reviews.clocks import NOTIFICATION, RAPID_REVIEW
from app.reviews.register import add_review, find_review, set_milestone
from app.reviews.register import register as review_register
from app.store.user_files import check_user_target
from app.text import count_of, noun_for

if TYPE_CHECKING:
    from app.store.workspace import Workspace


def day(text: str) -> date:
    """A full date typed on the command line, read day-first (22/05/2016, 2016-05-22, 22-May-16)."""
    try:
        value = parse_date(text)
    except DateParseError as exc:
        raise argparse.ArgumentTypeError(f"cannot read date {text!r}: {exc.reason}") from None
    if value.precision is not DatePrecision.DAY or value.approximate:
        raise argparse.ArgumentTypeError(f"{text!r} is not an exact day (use dd/mm/yyyy)")
    return value.earliest()


def _review_add(args: argparse.Namespace) -> int:
    dates = {
        "subject_dob": _date_option(args.dob, "date of birth"),  # before the passphrase is asked for
        "scope_from": _date_option(args.scope_from, "start of the scope period"),
        "scope_to": _date_option(args.scope_to, "end of the scope period"),
        "incident_known_on": _date_option(args.incident, "incident date"),
        "notified_on": _date_option(args.notified, "notification date"),
    }
    with writing(args.path) as uow:
        review = add_review(
            uow,
            kind=args.kind,
            title=args.title,
            subject_pseudonym=args.subject,
            method=args.method,
            lead_reviewers=args.lead or "",
            agencies=args.agency or [],
            status=args.status,
            reference=args.reference,
            **dates,
        )
        reference = review.reference
    print(reference)
    return 0


def _clock_text(row: Any) -> str:
    clock = row.next_clock
    if clock is None:
        return ""
    label = {"overdue": "OVERDUE", "due-soon": "due soon", "pending": "due"}[clock.state]
    return f"{label}: {clock.name} {clock.due:%d/%m/%Y}"


def _review_list(args: argparse.Namespace) -> int:
    return print_rows(
        args,
        review_register,
        lambda row: (
            f"{row.reference:<16} {row.kind_label:<42} {row.status_label:<13} {row.entries:>6} entries  "
            f"{row.subject_pseudonym}: {row.title}  {_clock_text(row)}".rstrip()
        ),
        empty="No reviews yet.",
    )


def _date_option(text: str | None, what: str) -> date | None:
    """A date option read like ``day``; a bad date is invalid input (exit 1), checked before anything is
    written (argparse's own type check would make it a usage error, exit 2)."""
    if text is None:
        return None
    try:
        return day(text)
    except argparse.ArgumentTypeError as exc:
        raise InvalidInput(f"The {what}: {exc}.") from None


def _review_milestone(args: argparse.Namespace) -> int:
    name = args.name.strip()
    due = _date_option(args.due, "due date")
    done = _date_option(args.done, "done date")
    if not name:
        raise InvalidInput("A milestone needs a name (--name).")
    if args.remove and (due or done):
        raise UsageError("--remove cannot be combined with --due or --done.")
    if not (args.remove or due or done):
        raise UsageError("Nothing to do: give --due DATE, --done DATE or --remove.")
    if name.lower() == NOTIFICATION.lower():
        raise InvalidInput(f"{NOTIFICATION!r} is done on the review's notification date; edit the review instead.")
    with writing(args.path) as uow:
        review = find_review(uow.session, args.review)
        existing = {str(m.get("name")).lower(): str(m.get("name")) for m in review.milestones}
        statutory = name.lower() == RAPID_REVIEW.lower()
        if statutory:
            name = RAPID_REVIEW
            if due or args.remove:
                raise InvalidInput(
                    f"{RAPID_REVIEW!r} is a statutory clock: its due date is computed "
                    "and it cannot be removed; only --done applies."
                )
            if review.kind != "rapid":
                raise InvalidInput(f"Review {review.reference} is not a rapid review.")
        elif name.lower() in existing:
            name = existing[name.lower()]
        elif args.remove:
            known = ", ".join(existing.values()) or "none"
            raise InvalidInput(f"Review {review.reference} has no milestone {name!r}. Milestones: {known}.")
        elif due is None:
            raise InvalidInput(f"The new milestone {name!r} needs a due date (--due).")
        set_milestone(uow, review.uuid, name, due=due, done=done, remove=args.remove)
        reference = review.reference
    what = "Removed" if args.remove else ("Updated" if name.lower() in existing or statutory else "Added")
    print(
        f"{what} milestone {name!r} of {reference}"
        + (f", due {due:%d/%m/%Y}" if due else "")
        + (f", done {done:%d/%m/%Y}" if done else "")
        + "."
    )
    return 0


def _chronology_import(args: argparse.Namespace) -> int:
    source = Path(args.file)
    if not source.is_file():
        raise InvalidInput(f"No file {source}.")
    if args.report:  # a refused report file is said before anything is read or imported
        check_user_target(Path(args.report), overwrite=args.overwrite)
    with writing(args.path) as uow:
        review = find_review(uow.session, args.review)
        # One pass over the file: rows are checked and written as they are read (flat memory); with an
        # error and no --skip-invalid, what was written is rolled back and the rest only checked.
        table = open_return(source)
        mapping = propose_mapping(table, args.map or [], fast=True)
        plan, result = stream_import(
            uow, review.uuid, args.agency, table, mapping, skip_invalid=args.skip_invalid, dry_run=args.dry_run
        )
        plan.report.notes.extend(_unmapped_notes(mapping, args.map or []))
        sys.stdout.write(plan.report.to_text())
        if args.report:
            save_report(plan.report, args.report, overwrite=args.overwrite)
        if args.dry_run:
            print(f"Dry run: {count_of(plan.importable_rows, 'row')} would be imported; nothing was written.")
            return 1 if plan.report.has_errors and not args.skip_invalid else 0
        if result is None:
            raise InvalidInput(
                f"{count_of(plan.report.rows_with_errors, 'row')} of {plan.report.source_name} "
                f"{noun_for(plan.report.rows_with_errors, 'has', 'have')} "
                "errors; nothing was imported. Fix them, or choose to skip the invalid rows."
            )
    print(
        f"Imported {count_of(result.created, 'entry', 'entries')} into {plan.review_reference} from {plan.agency_name}"
        + (f"; skipped {count_of(result.skipped_rows, 'invalid row')}" if result.skipped_rows else "")
        + (
            f"; {count_of(result.duplicates_flagged, 'likely duplicate')} flagged for review"
            if result.duplicates_flagged
            else ""
        )
        + "."
    )
    return 0


def _unmapped_notes(mapping: dict[str, str | None], overrides: list[str]) -> list[str]:
    """One note a column the import leaves out unasked: the GUI shows these in its column step, the CLI here."""
    free = [name for name in FREE_TEXT_FIELDS if name not in mapping.values()]
    offer = f"map it to a field no column has taken ({', '.join(free)})" if free else "map it to a field"
    return [
        f"Column '{header}' is not imported: no field matches its heading. To keep it, {offer} with "
        f'--map "{header}=FIELD"; to leave it out without this note, --map "{header}=ignore".'
        for header in unmapped_headers(mapping, overrides)
    ]


def _chronology_list(args: argparse.Namespace) -> int:
    with reading(args.path) as session:
        review = find_review(session, args.review)
        rows = load_rows(session, review.uuid)
        if args.agency:
            agency_uuid = find_agency(session, args.agency).uuid
            rows = [r for r in rows if r.agency_uuid == agency_uuid]
    if args.json:
        print_json(
            [
                {
                    "uuid": r.uuid,
                    "sequence": r.sequence,
                    "date": r.date.to_storage(),
                    "date_display": r.date_text,
                    "uncertain": r.uncertain,
                    "time": r.start_time,
                    "end": r.end_text,
                    "agency": r.agency,
                    "source": r.source,
                    "event": r.event,
                    "child_seen": r.child_seen,
                    "child_voice": r.child_voice,
                    "action_outcome": r.action_outcome,
                    "agency_analysis": r.agency_analysis,
                    "reviewer_comment": r.reviewer_comment,
                    "significant": r.significant,
                    "age": r.age_text,
                    "interval_days": r.interval_days,
                    "likely_duplicates": r.duplicates,
                    "reference": r.reference,
                }
                for r in rows
            ]
        )
        return 0
    for r in rows:
        flag = "*" if r.significant else " "
        print(f"{r.sequence:>5} {flag} {r.date_text:<14} {r.start_time or '':<5} {r.agency:<10} {r.event[:80]}")
    print(f"{len(rows)} entries.")
    return 0


def _accept_findings(workspace: Workspace, args: argparse.Namespace) -> int:
    """Record `--accept KEY` and `--accept-all-findings` as stored decisions (who and when); how many."""
    with workspace.unit_of_work() as uow:
        review = find_review(uow.session, args.review)
        statuses = scan_with_decisions(uow.session, review.uuid)
        by_key = {s.finding.key: s.finding for s in statuses}
        chosen = [s.finding for s in statuses if s.decision is None] if args.accept_all_findings else []
        for key in args.accept or []:
            if key not in by_key:
                raise InvalidInput(
                    f"No scan finding {key!r} in {review.reference}: run `chronology scan` for the current keys."
                )
            chosen.append(by_key[key])
        return decide_findings(uow, review.uuid, chosen, "accepted")


def _export_arguments(args: argparse.Namespace) -> None:
    """The file may be written and --accept goes with --anonymised: said before the passphrase is asked."""
    check_out(args)
    if (args.accept or args.accept_all_findings) and not args.anonymised:
        raise UsageError("--accept and --accept-all-findings go with --anonymised.")


@on_workspace(check=_export_arguments)
def _chronology_export(args: argparse.Namespace, workspace: Workspace) -> int:
    if args.accept or args.accept_all_findings:
        recorded = _accept_findings(workspace, args)
        print(f"Recorded {count_of(recorded, 'accepted finding')} with your name and the time.", file=sys.stderr)
    with workspace.reading() as session:
        review = find_review(session, args.review)
        reference = review.reference
        if args.anonymised:
            left = undecided_findings(session, review.uuid)
            if left:
                print(
                    f"{count_of(len(left), 'item')} still {noun_for(len(left), 'looks', 'look')} "
                    "identifying after anonymisation:",
                    file=sys.stderr,
                )
                for finding in left[:50]:
                    print(
                        f"  {finding.kind:<15} {finding.matched!r} in {finding.field}: {finding.context}"
                        f"  [accept with --accept '{finding.key}' or `chronology accept --kind {finding.kind}`]",
                        file=sys.stderr,
                    )
        target = export_chronology(
            session, review.uuid, args.format, args.out, anonymised=args.anonymised, overwrite=args.overwrite
        )
    print(f"Exported the chronology of {reference} to {target}" + (" (anonymised)" if args.anonymised else ""))
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    _register_review(commands)
    chronology_commands = _register_chronology(commands)
    from app.cli.chronology_people import register_people_commands

    register_people_commands(chronology_commands)


def _register_review(commands: argparse._SubParsersAction) -> None:
    review_commands = command_group(commands, "review", "case reviews: add and list")

    add = workspace_command(review_commands, "add", "register a review and print its reference", _review_add)
    add.add_argument("--kind", required=True, help="rapid, lcspr, scr, management, audit or good-practice")
    add.add_argument("--title", required=True)
    add.add_argument("--subject", required=True, help='the subject\'s pseudonym, e.g. "Child A"')
    add.add_argument("--dob", metavar="DATE", help="subject's date of birth (for ages at events)")
    add.add_argument("--scope-from", metavar="DATE")
    add.add_argument("--scope-to", metavar="DATE")
    add.add_argument("--incident", metavar="DATE", help="date the serious incident became known")
    add.add_argument("--notified", metavar="DATE", help="serious incident notification date (starts the clocks)")
    add.add_argument("--method", default="other", help="learning-together, silp, imr or other")
    add.add_argument("--lead", help="lead reviewer or reviewers")
    add.add_argument("--agency", action="append", help="participating agency (repeat for several)")
    add.add_argument("--status", default="open")
    add.add_argument("--reference", help="choose the reference instead of numbering it")

    workspace_command(
        review_commands, "list", "the reviews register with due and overdue clocks", _review_list, json=True
    )

    milestone = workspace_command(
        review_commands, "milestone", "add, re-date, complete or remove a review's milestone", _review_milestone
    )
    milestone.add_argument("review", metavar="REF", help="review reference")
    milestone.add_argument("--name", required=True, help="milestone name (existing ones match case-insensitively)")
    milestone.add_argument("--due", metavar="DATE", help="due date, day-first (dd/mm/yyyy) or ISO")
    milestone.add_argument("--done", metavar="DATE", help="date the milestone was completed")
    milestone.add_argument("--remove", action="store_true", help="remove the milestone")


def _register_chronology(commands: argparse._SubParsersAction) -> argparse._SubParsersAction:
    chronology_commands = command_group(commands, "chronology", "chronologies: import, list, export, scan, people")

    imp = workspace_command(
        chronology_commands, "import", "import an agency's return (XLSX, CSV, DOCX)", _chronology_import
    )
    imp.add_argument("--review", required=True, help="review reference")
    imp.add_argument("--agency", required=True, help="the agency that sent the return")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument(
        "--map",
        action="append",
        metavar="HEADER=FIELD",
        help="map a column to a field, or 'Header=ignore' (repeatable)",
    )
    imp.add_argument("--skip-invalid", action="store_true", help="import the valid rows, skip rows with errors")
    imp.add_argument("--dry-run", action="store_true", help="validate and report only")
    imp.add_argument("--report", metavar="FILE", help="also save the validation report (.csv or .txt)")
    imp.add_argument("--overwrite", action="store_true", help="replace the --report FILE if it exists")

    lst = workspace_command(
        chronology_commands, "list", "a review's integrated chronology", _chronology_list, json=True
    )
    lst.add_argument("--review", required=True)
    lst.add_argument("--agency")

    exp = workspace_command(chronology_commands, "export", "export the chronology to a file", _chronology_export)
    exp.add_argument("--review", required=True)
    add_document_arguments(exp, FORMATS)
    exp.add_argument("--anonymised", action="store_true", help="apply the glossary; refuse while identifiers remain")
    exp.add_argument(
        "--accept",
        action="append",
        metavar="KEY",
        help="accept one scan finding, recorded with your name and the time (repeatable)",
    )
    exp.add_argument(
        "--accept-all-findings",
        action="store_true",
        help="accept every undecided finding of the identifying-data scan, recorded (after reading them)",
    )
    return chronology_commands

"""Section 11 commands: `s11 framework|cycle|return|moderate|interview|status|letter|report`.

Every command checks all its input before writing: invalid input exits 1 with one
line on stderr and writes nothing (no file, no record).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.common import (
    add_document_arguments,
    add_output_arguments,
    check_out,
    command_group,
    on_workspace,
    print_listing,
    print_rows,
    refuse_errors,
    workspace_command,
    writes_file,
    writing,
)
from app.errors import InvalidInput
from app.store.user_files import check_user_target, write_user_file
from app.text import count_of

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.store.workspace import Workspace


def _day(text: str | None, what: str):
    from app.clock import parse_day

    return parse_day(text, what) if text else None


def _existing_file(name: str) -> Path:
    path = Path(name)
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file.")
    return path


# -- framework ----------------------------------------------------------------------


@on_workspace
def _framework_list(args: argparse.Namespace, workspace: Workspace) -> int:
    from app.section11.frameworks import ensure_shipped, list_frameworks

    with workspace.unit_of_work() as uow:
        ensure_shipped(uow)
    with workspace.reading() as session:
        frameworks = list_frameworks(session, include_retired=True)
    return print_listing(
        args.json,
        (
            {
                "uuid": f.uuid,
                "name": f.name,
                "version": f.version_label,
                "kind": f.kind,
                "retired": f.retired,
                "standards": [{"number": s.number, "title": s.title, "retired": s.retired} for s in f.standards],
            }
            for f in frameworks
        ),
        (
            f"{f.name}\t{f.version_label}\t{count_of(len(f.live_standards()), 'standard')}\t{f.kind}"
            + ("\tretired" if f.retired else "")
            for f in frameworks
        ),
    )


@on_workspace(check=check_out)
def _framework_export(args: argparse.Namespace, workspace: Workspace) -> int:
    from app.section11.framework_files import framework_xlsx
    from app.section11.frameworks import ensure_shipped, find_framework

    with workspace.unit_of_work() as uow:
        ensure_shipped(uow)
    with workspace.reading() as session:
        framework = find_framework(session, args.framework)
        data = framework_xlsx(session, framework.uuid)
        name = framework.name
    write_user_file(args.out, data, overwrite=args.overwrite)
    print(f"Wrote {name} to {args.out}")
    return 0


def _framework_import(args: argparse.Namespace) -> int:
    from app.section11.framework_files import import_framework

    path = _existing_file(args.file)
    data = path.read_bytes()
    with writing(args.path) as uow:
        result = import_framework(uow, data, path.name, dry_run=args.dry_run)
        refuse_errors(result.report)
    what = f"{result.name} ({result.version_label}) with {count_of(len(result.standards), 'standard')}"
    # as the chronology's dry run says it: "Would import ..." left whether anything was written to a guess
    print(f"Dry run: {what} would be imported; nothing was written." if args.dry_run else f"Imported {what}")
    return 0


# -- cycle --------------------------------------------------------------------------


def _cycle_add(args: argparse.Namespace) -> int:
    from app.agencies import list_agencies
    from app.section11.cycles import add_cycle
    from app.section11.scales import find_scale

    start, end = _day(args.start, "start date"), _day(args.end, "end date")
    scale = find_scale(args.scale)
    dates = {
        name: _day(getattr(args, name), name.replace("_", " "))
        for name in ("return_due", "panel_date", "interview_from", "interview_to")
    }
    with writing(args.path) as uow:
        agencies = list(args.agency or [])
        if args.all_agencies:
            agencies = [a.name for a in list_agencies(uow.session)]
        cycle = add_cycle(
            uow,
            name=args.name,
            period_start=start,
            period_end=end,
            framework=args.framework,
            scale_key=scale.key,
            agencies=agencies,
            **dates,
        )
        name, count = cycle.name, len(agencies)
    print(f"Added cycle {name} with {count} agenc{'y' if count == 1 else 'ies'}")
    return 0


def _cycle_list(args: argparse.Namespace) -> int:
    from app.clock import uk
    from app.section11.cycles import list_cycles

    return print_rows(
        args,
        list_cycles,
        lambda c: (
            f"{c.name}\t{uk(c.period_start)}-{uk(c.period_end)}\t{c.framework_name}\t{c.scale_name}\t"
            f"{c.agencies} agencies" + ("\tclosed" if c.closed else "")
        ),
    )


# -- returns ------------------------------------------------------------------------


def _template_out(args: argparse.Namespace) -> None:
    """One agency's file or every agency's into a folder that exists: said before the passphrase is asked."""
    if bool(args.all) == bool(args.agency):
        raise InvalidInput("Give either --agency A (with --out FILE.xlsx) or --all (with --out DIR).")
    out = Path(args.out)
    if args.all and not out.is_dir():
        raise InvalidInput(f"{out}: no such folder (with --all, --out names a folder).")
    if args.agency:
        check_out(args)  # one agency's file: one that exists is refused now, not after the passphrase


@on_workspace(check=_template_out)
def _return_template(args: argparse.Namespace, workspace: Workspace) -> int:
    from app.section11.cycles import find_cycle, find_participant, participants
    from app.section11.returns import mark_sent, template_bytes, template_filename

    out = Path(args.out)
    with workspace.reading() as session:
        cycle = find_cycle(session, args.cycle)
        chosen = participants(session, cycle.uuid) if args.all else [find_participant(session, cycle.uuid, args.agency)]
        if not chosen:
            raise InvalidInput(f"No agency takes part in {cycle.name}.")
        files = [
            (
                (out / template_filename(session, p.uuid)) if args.all else out,
                template_bytes(session, p.uuid),
                p.uuid,
            )
            for p in chosen
        ]
    for target, _data, _uuid in files:  # every target checked before the first is written
        check_user_target(target, overwrite=args.overwrite)
    for target, data, _uuid in files:
        write_user_file(target, data, overwrite=args.overwrite)
    with workspace.unit_of_work() as uow:
        for _target, _data, participant_uuid in files:
            mark_sent(uow, participant_uuid)
    for target, _data, _uuid in files:
        print(f"Wrote {target}")
    return 0


@on_workspace(check=lambda args: _existing_file(args.file))
def _return_import(args: argparse.Namespace, workspace: Workspace) -> int:
    from app.section11.cycles import find_cycle
    from app.section11.returns import import_return

    path = Path(args.file)
    with workspace.unit_of_work() as uow:
        cycle = find_cycle(uow.session, args.cycle)
        result = import_return(uow, cycle.uuid, path, dry_run=args.dry_run, added_by=workspace.member.display_name)
        report = result.report
        refuse_errors(report)
    if report.issues:
        sys.stdout.write(report.to_text())
    if args.dry_run:
        print(
            f"Dry run: {result.agency}'s return is valid ({count_of(result.standards, 'standard')}, "
            f"{count_of(len(result.changes), 'change')}); nothing was written."
        )
    elif result.written:
        print(
            f"Imported {result.agency}'s return ({count_of(result.standards, 'standard')}, "
            f"{count_of(len(result.changes), 'change')}, "
            f"{count_of(result.files, 'evidence file')})."
        )
    else:
        print(f"{result.agency}'s return was already imported; nothing changed.")
    return 0


# -- moderation, status -------------------------------------------------------------


@on_workspace
def _moderate(args: argparse.Namespace, workspace: Workspace) -> int:
    from app.section11.cycles import cycle_scale, find_cycle, find_participant
    from app.section11.frameworks import find_standard
    from app.section11.moderation import moderate

    with workspace.unit_of_work() as uow:
        cycle = find_cycle(uow.session, args.cycle)
        participant = find_participant(uow.session, cycle.uuid, args.agency)
        standard = find_standard(uow.session, cycle.framework_uuid, args.standard)
        scale = cycle_scale(cycle)
        score = scale.parse(args.score)
        assessment = moderate(
            uow,
            participant.uuid,
            standard.uuid,
            score,
            args.rationale or "",
            moderated_by=args.by or workspace.member.display_name,
        )
        line = (
            f"Standard {standard.number}: self {scale.short(assessment.self_score)}, "
            f"moderated {scale.short(score)} ({scale.rag(score)})"
        )
    print(line)
    return 0


def _interview(args: argparse.Namespace) -> int:
    """Book the agency's interview, or record it as held (the interview itself is typed in the window)."""
    from app.section11.cycles import find_cycle, find_participant
    from app.section11.interview import book_interview, interview_for, mark_held

    day = _day(args.on, "interview date")
    with writing(args.path) as uow:
        cycle = find_cycle(uow.session, args.cycle)
        participant = find_participant(uow.session, cycle.uuid, args.agency)
        interview = interview_for(uow.session, participant.uuid)
        if interview is None or args.place is not None or (day is not None and not args.held):
            place = args.place if args.place is not None else (interview.place if interview else "")
            booked_on = day or (interview.scheduled_on if interview else None)
            if booked_on is None:
                raise InvalidInput("Give the interview's date with --on (2026-06-01 or 01/06/2026).")
            interview = book_interview(uow, participant.uuid, on=booked_on, place=place)
        if args.held:
            mark_held(uow, interview.uuid, held_on=day)
        when = interview.held_on if args.held else interview.scheduled_on
        line = f"Interview {'held' if args.held else 'booked'}: {when:%d/%m/%Y}" if when else "Interview recorded"
    print(line)
    return 0


def _status(args: argparse.Namespace) -> int:
    from app.section11.cycles import cycle_register, find_cycle

    return print_rows(
        args,
        lambda session: cycle_register(session, find_cycle(session, args.cycle).uuid),
        lambda r: (
            f"{r.short_name or r.agency}\t{r.status_label}\t{r.late or '-'}\t{r.next_step}\t"
            f"{r.moderated}/{r.standards} moderated"
        ),
    )


# -- letter, report -----------------------------------------------------------------


@on_workspace(check=check_out)
def _letter(args: argparse.Namespace, workspace: Workspace) -> int:
    from app.section11.cycles import find_cycle, find_participant
    from app.section11.letters import (
        current_letter,
        draft_letter,
        issue_letter,
        letter_docx,
        letter_pdf,
        missing_steps,
    )

    with workspace.unit_of_work() as uow:
        cycle = find_cycle(uow.session, args.cycle)
        participant = find_participant(uow.session, cycle.uuid, args.agency)
        letter = current_letter(uow.session, participant.uuid)
        if letter is None:
            letter = draft_letter(uow, participant.uuid)
        if args.issue:
            if letter.state != "draft":
                letter = draft_letter(uow, participant.uuid)
            letter = issue_letter(uow, letter.uuid, issued_by=workspace.member.display_name)
        data = letter_pdf(uow.session, letter.uuid) if args.format == "pdf" else letter_docx(uow.session, letter.uuid)
        write_user_file(args.out, data, overwrite=args.overwrite)  # inside the unit: a refused file writes nothing
        state, version, digest = letter.state, letter.version, letter.sha256
        missing = missing_steps(uow.session, participant.uuid) if state == "draft" else ()
    extra = f", SHA-256 {digest}" if state == "issued" else ""
    if missing:  # the same words the draft prints at its top
        extra = f", not final: {'; '.join(missing)}"
    print(f"Wrote letter version {version} ({state}{extra}) to {args.out}")
    return 0


def _letterhead(args: argparse.Namespace) -> int:
    """Show the letters' letterhead and signatory, or change the parts given (the rest stay)."""
    from app.section11.letters import letter_settings, save_letter_settings

    changes = {
        "partnership_name": args.partnership,
        "letterhead": args.letterhead.replace("\\n", "\n") if args.letterhead is not None else None,
        "signatory_name": args.signatory,
        "signatory_role": args.role,
    }
    with writing(args.path) as uow:
        current = letter_settings(uow.session)
        if any(value is not None for value in changes.values()):
            kept = {name: getattr(current, name) for name in changes}
            save_letter_settings(uow, **{n: v if v is not None else kept[n] for n, v in changes.items()})
            current = letter_settings(uow.session)
    print(f"Partnership: {current.partnership_name}")
    print("Letterhead: " + (current.letterhead.replace("\n", " / ") or "(none)"))
    print(f"Signed by: {current.signatory_name}, {current.signatory_role}")
    return 0


@writes_file
def _report(args: argparse.Namespace, session: Session) -> tuple[bytes, str]:
    from app.section11.cycles import find_cycle
    from app.section11.reports import report_bytes

    cycle = find_cycle(session, args.cycle)
    return report_bytes(session, cycle.uuid, args.format), f"the {cycle.name} report"


def register(commands: argparse._SubParsersAction) -> None:
    sub = command_group(
        commands,
        "s11",
        "Section 11 audits: frameworks, cycles, returns, moderation, letters",
        metavar="SUBCOMMAND",
    )

    fsub = command_group(sub, "framework", "frameworks of standards: list, export, import")
    workspace_command(fsub, "list", "list frameworks and their standards", _framework_list, json=True)
    fexport = workspace_command(fsub, "export", "write a framework as XLSX", _framework_export)
    fexport.add_argument("--framework", required=True, help="classic, schools, or a framework's name")
    add_output_arguments(fexport, "FILE.xlsx")
    fimport = workspace_command(fsub, "import", "import a framework XLSX as a new framework version", _framework_import)
    fimport.add_argument("file", metavar="FILE.xlsx")
    fimport.add_argument("--dry-run", action="store_true", help="check only; write nothing")

    csub = command_group(sub, "cycle", "audit cycles: add, list")
    cadd = workspace_command(csub, "add", "add a cycle", _cycle_add)
    cadd.add_argument("--name", required=True)
    cadd.add_argument("--start", required=True, metavar="DATE", help="period start, 2026-04-01 or 01/04/2026")
    cadd.add_argument("--end", required=True, metavar="DATE", help="period end")
    cadd.add_argument("--framework", default="classic", help="classic (default), schools, or a framework's name")
    cadd.add_argument("--scale", default="score-0-3", help="score-0-3 (default) or met-words")
    cadd.add_argument("--return-due", metavar="DATE")
    cadd.add_argument("--panel-date", metavar="DATE")
    cadd.add_argument("--interview-from", metavar="DATE")
    cadd.add_argument("--interview-to", metavar="DATE")
    cadd.add_argument("--agency", action="append", metavar="AGENCY", help="an agency taking part; repeatable")
    cadd.add_argument("--all-agencies", action="store_true", help="every agency in the register takes part")
    workspace_command(csub, "list", "list cycles, newest first", _cycle_list, json=True)

    rsub = command_group(sub, "return", "agency returns: template, import")
    template = workspace_command(rsub, "template", "write return templates (marks them sent)", _return_template)
    template.add_argument("--cycle", required=True)
    template.add_argument("--agency", help="one agency (name or short name)")
    template.add_argument("--all", action="store_true", help="every agency in the cycle; --out is a folder")
    add_output_arguments(template, "FILE.xlsx|DIR")
    rimport = workspace_command(rsub, "import", "import a completed return", _return_import)
    rimport.add_argument("--cycle", required=True)
    rimport.add_argument("file", metavar="FILE.xlsx")
    rimport.add_argument("--dry-run", action="store_true", help="check and show changes; write nothing")

    mod = workspace_command(sub, "moderate", "record the QA panel's moderated score for one standard", _moderate)
    mod.add_argument("--cycle", required=True)
    mod.add_argument("--agency", required=True)
    mod.add_argument("--standard", required=True, metavar="N")
    mod.add_argument("--score", required=True, metavar="S", help="a score of the cycle's scale (e.g. 2 or Mostly)")
    mod.add_argument("--rationale", metavar="TEXT", help="required when the score differs from the agency's own")
    mod.add_argument("--by", metavar="NAME", help="who moderated (default: you)")

    interview = workspace_command(sub, "interview", "book an agency's interview, or record it as held", _interview)
    interview.add_argument("--cycle", required=True)
    interview.add_argument("--agency", required=True)
    interview.add_argument("--on", metavar="DATE", help="the day booked (or held, with --held)")
    interview.add_argument("--place", metavar="TEXT", help="where it takes place")
    interview.add_argument("--held", action="store_true", help="record it as held (a letter can then be issued)")

    status = workspace_command(sub, "status", "the cycle register: where every agency is", _status, json=True)
    status.add_argument("--cycle", required=True)

    letter = workspace_command(sub, "letter", "write the feedback letter (drafted if none)", _letter)
    letter.add_argument("--cycle", required=True)
    letter.add_argument("--agency", required=True)
    add_document_arguments(letter, ("docx", "pdf"))
    letter.add_argument("--issue", action="store_true", help="issue (freeze) the draft before writing it")

    head = workspace_command(sub, "letterhead", "show or change the letters' letterhead and signatory", _letterhead)
    head.add_argument("--partnership", metavar="NAME", help="the partnership's name")
    head.add_argument("--letterhead", metavar="TEXT", help="letterhead lines, separated by \\n")
    head.add_argument("--signatory", metavar="NAME", help="who signs the letters")
    head.add_argument("--role", metavar="ROLE", help="the signatory's role")

    report = workspace_command(sub, "report", "the cycle report", _report)
    report.add_argument("--cycle", required=True)
    add_document_arguments(report, ("xlsx", "pdf"))

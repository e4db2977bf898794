"""Performance data commands: data indicator list|export|import|starter, template, import, comparators,
exceptions, annotation add|list|remove, report."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.common import (
    add_document_arguments,
    add_output_arguments,
    add_workspace_argument,
    command_group,
    on_workspace,
    print_json,
    print_listing,
    print_rows,
    reading,
    refuse_errors,
    workspace_command,
    writes_file,
    writing,
)
from app.errors import InvalidInput
from app.office.validation_report import ValidationReport
from app.text import count_of

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.store.workspace import Workspace

_NOTHING_IMPORTED = ". Nothing was imported."


def _show(report: ValidationReport, dry_run: bool, noun: str = "") -> None:
    """The report on stdout; errors end the command with one line on stderr (nothing written). A dry run
    of figures or comparators (`noun`) says how many a real run would write, beside that nothing was."""
    sys.stdout.write(report.to_text())
    if report.has_errors:
        raise InvalidInput(report.first_error() + _NOTHING_IMPORTED)
    if dry_run:
        new, changed = report.counts.get("new", 0), report.counts.get("changed", 0)
        would = f"{count_of(new + changed, noun)} would be imported ({new} new, {changed} changed); " if noun else ""
        print(f"Dry run: {would}nothing was written.")


def _indicator_list(args: argparse.Namespace) -> int:
    from app.performance.catalogue import list_indicators, owner_name

    with reading(args.path) as session:
        rows = [
            {
                "code": i.code,
                "name": i.name,
                "theme": i.theme,
                "unit": i.unit,
                "polarity": i.polarity,
                "owner": owner_name(session, i) or "every agency",
                "version": i.version,
                "active": i.active,
            }
            for i in list_indicators(session)
        ]
    return print_listing(
        args.json,
        rows,
        (
            f"{row['code']}\t{row['name']}\t{row['theme']}\t{row['unit']}\t{row['polarity']}\t{row['owner']}\t"
            f"v{row['version']}{'' if row['active'] else chr(9) + 'inactive'}"
            for row in rows
        ),
    )


@writes_file
def _indicator_export(args: argparse.Namespace, session: Session) -> tuple[bytes, str]:
    from app.performance.catalogue_io import catalogue_bytes

    data, count = catalogue_bytes(session)
    return data, count_of(count, "indicator")


def _indicator_import(args: argparse.Namespace) -> int:
    from app.performance.catalogue_io import import_catalogue

    # a catalogue import may edit every indicator: a restore point first, as before the default changed
    with writing(args.path, backup_on_unlock=not args.dry_run) as uow:
        report = import_catalogue(uow, Path(args.file), dry_run=args.dry_run)
        refuse_errors(report, _NOTHING_IMPORTED)
    _show(report, args.dry_run)
    return 0


def _indicator_starter(args: argparse.Namespace) -> int:
    from app.performance.catalogue import install_starter, starter_outcome

    with writing(args.path) as uow:
        added = install_starter(uow)
    print(starter_outcome(added))
    return 0


@writes_file
def _template(args: argparse.Namespace, session: Session) -> tuple[bytes, str]:
    from app.performance.returns import template_bytes

    data, count = template_bytes(session, args.agency, args.period)
    return data, f"a return template of {count_of(count, 'indicator')}"


def _import(args: argparse.Namespace) -> int:
    from app.performance.figures import commit_plan, plan_figures, read_figures

    source_name, rows = read_figures(Path(args.file))
    with writing(args.path, backup_on_unlock=not args.dry_run) as uow:
        plan = plan_figures(uow.session, source_name, rows)
        refuse_errors(plan.report, _NOTHING_IMPORTED)
        if not args.dry_run:
            commit_plan(uow, plan)
    _show(plan.report, args.dry_run, "figure")
    return 0


def _comparators(args: argparse.Namespace) -> int:
    from app.performance.comparators import import_comparators

    with writing(args.path, backup_on_unlock=not args.dry_run) as uow:
        report = import_comparators(uow, Path(args.file), dry_run=True)
        refuse_errors(report, _NOTHING_IMPORTED)
        if not args.dry_run:
            report = import_comparators(uow, Path(args.file))
    _show(report, args.dry_run, "comparator value")
    return 0


def _exceptions(args: argparse.Namespace) -> int:
    from app.performance.exceptions import list_exceptions, missing_returns, partly_missing
    from app.performance.periods import Period

    period = Period.parse(args.period)
    with reading(args.path) as session:
        rows = list_exceptions(session, period)
        missing = missing_returns(session, period)
    if args.json:
        print_json(
            {
                "period": str(period),
                "exceptions": [r.as_json() for r in rows],
                "missing_returns": [{"agency": a, "received": r, "expected": e} for a, r, e in missing],
                "returns_due": missing.due.isoformat(),
                "returns_overdue": missing.overdue,
            }
        )
        return 0
    for row in rows:
        print(
            f"{row.kind_label}\t{row.code or 'return'}\t{row.agency}\t{row.status_label}\t{row.detail}"
            + (f"\tactions: {', '.join(row.actions)}" if row.actions else "")
        )
    if not rows:
        print(f"No exceptions for {period}.")
    if not missing.overdue:
        print(missing.not_yet_due())
    for agency, received, expected in partly_missing(missing):
        print(f"Return incomplete\t{agency}\t{received} of {count_of(expected, 'figure')} received for {period}")
    return 0


@writes_file
def _report(args: argparse.Namespace, session: Session) -> tuple[bytes, str]:
    from app.performance.reports import report_bytes

    return report_bytes(session, args.period, args.format), f"the {args.period} performance report"


@on_workspace
def _settings(args: argparse.Namespace, workspace: Workspace) -> int:
    from app.performance.settings import load_settings, save_settings

    changes = {
        field: value
        for field, value in (
            ("small_number_threshold", args.small_number),
            ("comparator_tolerance_percent", args.tolerance),
            ("returns_due_days", args.returns_due),
        )
        if value is not None
    }
    if not changes:
        with workspace.reading() as session:
            current = load_settings(session)
    else:
        with workspace.unit_of_work() as uow:
            current = replace(load_settings(uow.session), **changes)
            save_settings(uow, current)
    print(
        f"Small-number threshold: {current.small_number_threshold} (counts below it show as 'fewer than "
        f"{current.small_number_threshold}')\nComparator tolerance: {current.comparator_tolerance_percent:g}%\n"
        f"Returns due: {count_of(current.returns_due_days, 'day')} after the quarter ends"
    )
    return 0


def _annotation_add(args: argparse.Namespace) -> int:
    from app.performance.annotations import add_annotation

    with writing(args.path) as uow:
        row = add_annotation(uow, args.indicator, args.period, args.text)
    print(f"Annotated {row.indicator_code} at {row.period}: {row.text}")
    return 0


def _annotation_list(args: argparse.Namespace) -> int:
    from app.performance.annotations import list_annotations

    return print_rows(
        args,
        lambda session: list_annotations(session, args.indicator),
        lambda row: f"{row.indicator_code}\t{row.period}\t{row.text}",
        empty="No annotations.",
    )


def _annotation_remove(args: argparse.Namespace) -> int:
    from app.performance.annotations import find_annotation, remove_annotation

    with writing(args.path) as uow:
        remove_annotation(uow, find_annotation(uow.session, args.indicator, args.period, args.text))
    print(f"Removed the annotation of {args.indicator.upper()} at {args.period}")
    return 0


def _annotation_commands(sub: argparse._SubParsersAction) -> None:
    nsub = command_group(sub, "annotation", "notes on an indicator's charts, e.g. 'new recording system'")
    add = workspace_command(nsub, "add", "annotate an indicator's charts from a quarter", _annotation_add)
    listed = workspace_command(nsub, "list", "list the annotations", _annotation_list, json=True)
    listed.add_argument("--indicator", metavar="CODE", help="only this indicator's")
    remove = workspace_command(nsub, "remove", "remove an annotation", _annotation_remove)
    for parser in (add, remove):
        parser.add_argument("--indicator", required=True, metavar="CODE")
        parser.add_argument("--period", required=True, metavar="PERIOD", help="a quarter, e.g. 2026Q2")
    add.add_argument("--text", required=True, help="a few words, at most 120 characters")
    remove.add_argument("--text", required=True, help="the annotation's text, or its start")


def _add_import_arguments(parser: argparse.ArgumentParser, metavar: str) -> None:
    """FILE and `--dry-run` of the data imports: each checks the file and shows its report (_show); with
    --dry-run it writes nothing."""
    parser.add_argument("file", metavar=metavar)
    parser.add_argument("--dry-run", action="store_true", help="check and report; write nothing")


def register(commands: argparse._SubParsersAction) -> None:
    sub = command_group(
        commands,
        "data",
        "performance data: indicators, returns, comparators, exceptions, reports",
        metavar="SUBCOMMAND",
    )

    isub = command_group(sub, "indicator", "the indicator catalogue: list, export, import, starter")
    workspace_command(isub, "list", "list the indicators", _indicator_list, json=True)
    export = workspace_command(isub, "export", "write the catalogue as XLSX", _indicator_export)
    add_output_arguments(export, "FILE.xlsx")
    imported = workspace_command(isub, "import", "add or edit indicators from an XLSX catalogue", _indicator_import)
    _add_import_arguments(imported, "FILE.xlsx")
    workspace_command(
        isub,
        "starter",
        "add the built-in starter catalogue of common partnership indicators (again: adds only those missing)",
        _indicator_starter,
    )

    template = workspace_command(sub, "template", "write an agency's return template for a quarter", _template)
    template.add_argument("--agency", required=True, metavar="AGENCY")
    template.add_argument("--period", required=True, metavar="PERIOD", help="a quarter, e.g. 2026Q3")
    add_output_arguments(template, "FILE.xlsx")

    figures = workspace_command(sub, "import", "import a return (.xlsx) or figures (.csv), in one transaction", _import)
    _add_import_arguments(figures, "FILE")

    csub = command_group(sub, "comparators", "statistical-neighbour and England values")
    cimport = csub.add_parser(
        "import", help="import comparators from CSV (Code, Period, Comparator, Value, Source, Date)"
    )
    add_workspace_argument(cimport)
    _add_import_arguments(cimport, "FILE.csv")
    cimport.set_defaults(handler=_comparators)

    exceptions = workspace_command(sub, "exceptions", "the exception list of a quarter", _exceptions, json=True)
    exceptions.add_argument("--period", required=True, metavar="PERIOD")
    _annotation_commands(sub)

    settings = workspace_command(
        sub,
        "settings",
        "show or change the small-number threshold, comparator tolerance and returns' due date",
        _settings,
    )
    settings.add_argument("--small-number", type=int, metavar="N", help="counts below N show as 'fewer than N'")
    settings.add_argument("--tolerance", type=float, metavar="PERCENT", help="comparator gap that is an exception")
    settings.add_argument(
        "--returns-due", type=int, metavar="DAYS", help="a quarter's returns are due DAYS after it ends"
    )

    report = workspace_command(sub, "report", "the quarter's report with exceptions and commentary", _report)
    report.add_argument("--period", required=True, metavar="PERIOD")
    add_document_arguments(report, ("xlsx", "pdf"))

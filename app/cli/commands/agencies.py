"""Agency commands: add, edit and list the partner agencies."""

from __future__ import annotations

import argparse

from app.agencies import add_agency, find_agency, list_agencies, update_agency
from app.cli.common import command_group, print_listing, reading, workspace_command, writing


def _add(args: argparse.Namespace) -> int:
    with writing(args.path) as uow:
        agency = add_agency(uow, args.name, args.short, args.sector, args.colour)
        print(f"Added {agency.name} ({agency.short_name})")
    return 0


def _edit(args: argparse.Namespace) -> int:
    with writing(args.path) as uow:
        agency = find_agency(uow.session, args.agency)
        update_agency(
            uow,
            agency.uuid,
            name=args.name or agency.name,
            short_name=args.short or agency.short_name,
            sector=agency.sector if args.sector is None else args.sector,
            colour=args.colour or agency.colour,
        )
        print(f"Updated {agency.name} ({agency.short_name})")
    return 0


def _list(args: argparse.Namespace) -> int:
    with reading(args.path) as session:
        agencies = [
            {"name": a.name, "short_name": a.short_name, "sector": a.sector, "colour": a.colour}
            for a in list_agencies(session)
        ]
    return print_listing(
        args.json,
        agencies,
        (f"{agency['short_name']}\t{agency['name']}\t{agency['sector']}\t{agency['colour']}" for agency in agencies),
    )


def register(commands: argparse._SubParsersAction) -> None:
    sub = command_group(commands, "agency", "partner agencies")
    add = workspace_command(sub, "add", "add a partner agency", _add)
    add.add_argument("--name", required=True, help="full name, e.g. Northbridge Police")
    add.add_argument("--short", required=True, help="short name shown in tables, e.g. Police")
    add.add_argument("--sector", default="", help="e.g. Health, Police, Education")
    add.add_argument("--colour", default="#dddddd", help="#rrggbb; keep it light so black text stays readable")
    edit = workspace_command(sub, "edit", "change an agency's names, sector or colour", _edit)
    edit.add_argument("agency", metavar="AGENCY", help="its current name or short name")
    edit.add_argument("--name")
    edit.add_argument("--short")
    edit.add_argument("--sector")
    edit.add_argument("--colour")
    workspace_command(sub, "list", "list the agencies", _list, json=True)

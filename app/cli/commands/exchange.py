"""Exchange commands: `contact export|import|list|trust|revoke`, `bundle export|import`.

A refused bundle or card exits 1 with one line saying why; nothing is written.
A passphrase bundle's passphrase is asked without echo; WORKBENCH_BUNDLE_PASSPHRASE
supplies it instead, for scripts and tests only.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.common import (
    add_output_arguments,
    check_out,
    command_group,
    on_workspace,
    opened,
    print_json,
    print_listing,
    read_passphrase,
    reading,
    workspace_command,
    writing,
)
from app.errors import InvalidInput
from app.exchange import contacts as contacts_service
from app.exchange import service
from app.store.user_files import write_user_file
from app.text import count_of

if TYPE_CHECKING:
    from app.store.workspace import Workspace


@on_workspace(check=check_out)
def _contact_export(args: argparse.Namespace, workspace: Workspace) -> int:
    member = workspace.member
    data = contacts_service.export_own_card(
        workspace.key_pairs, display_name=member.display_name, agency=member.agency, role=member.role
    )
    out = write_user_file(Path(args.out), data, overwrite=args.overwrite)
    print(f"Identity card of {member.display_name} written to {out}")
    print(f"Fingerprint: {member.fingerprint}")
    print("Give the card to the other members; they compare this fingerprint with you before trusting it.")
    return 0


def _contact_import(args: argparse.Namespace) -> int:
    card_path = Path(args.file)
    if not card_path.is_file():
        raise InvalidInput(f"No identity card at {card_path}.")
    card = contacts_service.read_card(card_path.read_bytes()[: 64 * 1024 + 1])
    with opened(args.path) as workspace:
        own = contacts_service.member_keys(workspace.key_pairs).key_id
        with workspace.unit_of_work() as uow:
            view = contacts_service.import_card(uow, card, trust=args.trust, own_key_id=own)
    print(f"Contact: {view.display_name} ({view.role}, {view.agency})")
    print(f"Fingerprint: {view.fingerprint}")
    if view.status == "trusted":
        print("Trusted: bundles from and to this member are accepted.")
    else:
        print(
            "Not yet trusted. Compare the fingerprint with them by phone or in person, then run "
            f"`workbench contact trust {args.path} {view.display_name!r}`."
        )
    return 0


def _contact_list(args: argparse.Namespace) -> int:
    with reading(args.path) as session:
        views = contacts_service.list_contacts(session)
    return print_listing(
        args.json,
        (view.__dict__ for view in views),
        (f"{view.display_name}\t{view.role}\t{view.agency}\t{view.status}\t{view.fingerprint}" for view in views),
        empty="No contacts yet: import identity cards with `workbench contact import PATH CARD`.",
    )


def _contact_trust(args: argparse.Namespace) -> int:
    with writing(args.path) as uow:
        view = contacts_service.trust_contact(uow, args.name)
    print(f"{view.display_name} is trusted (fingerprint {view.fingerprint}).")
    return 0


def _contact_revoke(args: argparse.Namespace) -> int:
    with writing(args.path) as uow:
        view = contacts_service.revoke_contact(uow, args.name)
    print(f"{view.display_name} is revoked: their bundles are refused from now on.")
    return 0


def _scope(args: argparse.Namespace) -> service.Scope:
    if args.review:
        return service.Scope(service.SCOPE_REVIEW, args.review)
    if args.since_last:
        return service.Scope(service.SCOPE_SINCE_LAST)
    return service.Scope(service.SCOPE_ALL)


#: For scripts and tests only, like WORKBENCH_PASSPHRASE: the environment is
#: visible to other processes of the same user. People type it at the prompt.
BUNDLE_PASSPHRASE_ENV = "WORKBENCH_BUNDLE_PASSPHRASE"


def _new_bundle_passphrase() -> str:
    """Asked twice without echo (or read from WORKBENCH_BUNDLE_PASSPHRASE); 12 characters or more."""
    first = read_passphrase("Bundle passphrase (12 characters or more): ", BUNDLE_PASSPHRASE_ENV)
    if first != read_passphrase("Repeat the bundle passphrase: ", BUNDLE_PASSPHRASE_ENV):
        raise InvalidInput("The two bundle passphrases differ; no bundle was written.")
    return first


def _bundle_export(args: argparse.Namespace) -> int:
    if not args.to and not args.passphrase:
        raise InvalidInput("Name at least one recipient (--to NAME), or use --passphrase for a one-off transfer.")
    check_out(args)  # before any passphrase is asked
    passphrase = _new_bundle_passphrase() if args.passphrase else None
    with opened(args.path) as workspace:
        result = service.export_bundle(
            workspace, args.to or [], _scope(args), Path(args.out), passphrase=passphrase, overwrite=args.overwrite
        )
    if args.json:
        print_json(
            {
                "bundle_id": result.bundle_id,
                "file": str(result.path),
                "recipients": result.recipients,
                "scope": result.scope,
                "counts": result.counts,
            }
        )
        return 0
    print(f"Bundle {result.bundle_id} written to {result.path}")
    if result.passphrase_protected:
        print(f"Protected by a passphrase only; scope: {result.scope}")
        print(service.PASSPHRASE_WARNING)
    else:
        print(f"For: {', '.join(result.recipients)} (and you); scope: {result.scope}")
    for table, count in result.counts.items():
        print(f"  {table:<24} {count}")
    print(count_of(result.total, "record"))
    return 0


def _confirm_sender(refusal: service.UnknownSender, assume_yes: bool) -> bool:
    print(f"Sender: {refusal.sender_name}")
    print(f"Fingerprint: {refusal.fingerprint}")
    print("Compare every digit with what the sender reads to you by phone or in person.")
    if assume_yes:
        return True
    if not sys.stdin.isatty():
        raise InvalidInput(
            "Confirm the fingerprint: run in a terminal to be asked, or add --yes after comparing "
            "it. Nothing was imported."
        )
    answer = input("Do the digits match? Type yes to trust this sender: ")
    return answer.strip().lower() == "yes"


def _bundle_import(args: argparse.Namespace) -> int:
    data = service.read_bundle_file(Path(args.file))
    passphrase = None
    if service.needs_passphrase(data):
        passphrase = read_passphrase("Bundle passphrase: ", BUNDLE_PASSPHRASE_ENV)
    with opened(args.path) as workspace:
        refusal = service.sender_of(workspace, data, passphrase=passphrase) if args.trust_sender else None
        if refusal is not None and not _confirm_sender(refusal, args.yes):
            raise InvalidInput("The sender was not trusted; nothing was imported.")
        # trusted in the import's own transaction: a refused bundle or a dry run trusts nobody
        report = service.import_bundle(
            workspace,
            data,
            dry_run=args.dry_run,
            passphrase=passphrase,
            trust_sender=refusal,
            confirmed_fingerprint=refusal.fingerprint if refusal else "",
        )
        if refusal is not None:
            print(
                f"{refusal.sender_name} "
                + ("would be trusted (dry run)." if args.dry_run else "is now a trusted contact.")
            )
    if args.json:
        print_json(report.to_json())
    else:
        print("\n".join(report.lines()))
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    contact_commands = command_group(commands, "contact", "identity cards and trusted members")

    export = workspace_command(contact_commands, "export", "write your identity card", _contact_export)
    add_output_arguments(export, "FILE")

    imp = workspace_command(contact_commands, "import", "add a member from their identity card", _contact_import)
    imp.add_argument("file", metavar="FILE")
    imp.add_argument(
        "--trust", action="store_true", help="trust at once (only after comparing the fingerprint with the member)"
    )

    workspace_command(contact_commands, "list", "contacts with fingerprint and trust", _contact_list, json=True)

    trust = workspace_command(
        contact_commands, "trust", "trust a contact after comparing the fingerprint", _contact_trust
    )
    trust.add_argument("name", metavar="NAME")

    revoke = workspace_command(contact_commands, "revoke", "refuse a contact's bundles from now on", _contact_revoke)
    revoke.add_argument("name", metavar="NAME")

    bundle_commands = command_group(commands, "bundle", "encrypted bundles: export and import work")

    bexport = workspace_command(bundle_commands, "export", "seal records to named members", _bundle_export, json=True)
    bexport.add_argument("--to", action="append", metavar="NAME", help="a trusted contact (repeat for several)")
    bexport.add_argument(
        "--passphrase",
        action="store_true",
        help="seal to a passphrase instead of member keys, for a one-off transfer (WEAKER: "
        "anyone with the passphrase can read it); asked twice, or read from "
        f"{BUNDLE_PASSPHRASE_ENV} (for scripts and tests only)",
    )
    scope = bexport.add_mutually_exclusive_group()
    scope.add_argument("--review", metavar="REF", help="one review and everything linked to it")
    scope.add_argument(
        "--since-last", action="store_true", help="what changed since the last bundle to the same recipients"
    )
    add_output_arguments(bexport, "FILE")

    bimport = workspace_command(
        bundle_commands, "import", "check, preview and apply a bundle", _bundle_import, json=True
    )
    bimport.add_argument("file", metavar="FILE")
    bimport.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    bimport.add_argument(
        "--trust-sender",
        action="store_true",
        help="if the sender is unknown, show their fingerprint and trust them after you confirm",
    )
    bimport.add_argument(
        "--yes", action="store_true", help="with --trust-sender: the fingerprint was already compared, do not ask"
    )

"""Workspace commands: init, demo, info, check, passwd, backup, backups (list/create/restore), restore."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.common import (
    NEW_PASSPHRASE_ENV,
    PASSPHRASE_ENV,
    command_group,
    locked_after,
    on_workspace,
    opened,
    print_json,
    read_new_passphrase,
    read_passphrase,
    workspace_command,
)
from app.demo import DEMO_PASSPHRASE, create_demo
from app.errors import IntegrityFailure
from app.store import backups
from app.store.workspace import Workspace, restore


def _init(args: argparse.Namespace) -> int:
    passphrase = read_new_passphrase(PASSPHRASE_ENV)
    created = Workspace.create(Path(args.path), passphrase, display_name=args.name, role=args.role, agency=args.agency)
    with locked_after(created) as workspace:
        print(f"Created workspace {workspace.path}")
        print(f"Member: {workspace.member.display_name} ({workspace.member.role}, {workspace.member.agency})")
        print(f"Fingerprint: {workspace.member.fingerprint}")
    return 0


def _demo(args: argparse.Namespace) -> int:
    with locked_after(create_demo(Path(args.path))) as workspace:
        print(f"Created the demo workspace {workspace.path}")
        print(f"Passphrase: {DEMO_PASSPHRASE}")
    return 0


@on_workspace
def _info(args: argparse.Namespace, workspace: Workspace) -> int:
    info = workspace.info()
    if args.json:
        print_json(info)
        return 0
    print(f"Workspace:   {info['workspace']}")
    print(f"Member:      {info['member']} ({info['role']}, {info['agency']})")
    print(f"Fingerprint: {info['fingerprint']}")
    print(f"Schema:      version {info['schema_version']} ({', '.join(info['schema_revisions'])})")
    for table, count in info["records"].items():
        print(f"  {table:<24} {count}")
    print(f"Audit log:   {info['audit_entries']} entries")
    print(f"Database:    {backups.size_text(info['database_bytes'])}")
    print(f"Backups:     {info['backups']} restore points, {backups.size_text(info['backup_bytes'])} on disk")
    print(f"  kept:      {info['backup_policy']}")
    return 0


@on_workspace(quiet=True)
def _check(args: argparse.Namespace, workspace: Workspace) -> int:
    from app.meetings.minutes import frozen_minutes_problems

    report = workspace.check()
    cleared = workspace.leftovers + report.leftovers  # the unlock clears them before the check can
    with workspace.reading() as session:
        minutes = frozen_minutes_problems(session)
    print("Encryption and database integrity: " + ("ok" if not report.integrity_problems else "FAILED"))
    for problem in report.integrity_problems:
        print(f"  {problem}")
    print(f"Audit chain: {report.audit.entries} entries, " + ("ok" if report.audit.ok else "BROKEN"))
    for problem in report.audit.problems:
        print(f"  {problem}")
    print(f"Leftovers of interrupted operations: {len(cleared.items) or 'none'}")
    for line in cleared.lines():
        print(f"  {line}")
    print("Approved minutes: " + ("ok" if not minutes else f"{len(minutes)} CHANGED since approval"))
    for found in minutes:
        print(f"  {found.reference}: {found.problem}")
    if not report.ok or minutes:
        raise IntegrityFailure("The workspace failed its checks (see above).")
    return 0


@on_workspace(backup_on_unlock=True)
def _passwd(args: argparse.Namespace, workspace: Workspace) -> int:
    current = read_passphrase()
    new = read_new_passphrase(NEW_PASSPHRASE_ENV)
    workspace.change_passphrase(current, new)
    print("Passphrase changed. Older backups still open with the passphrase they were made under.")
    return 0


@on_workspace
def _backup(args: argparse.Namespace, workspace: Workspace) -> int:
    path = workspace.backup(note="on request", keep=args.keep)
    print(f"Backup written and verified: {path}")
    return 0


def _point_row(view: backups.RestorePointView | None, item: backups.BackupInfo) -> dict[str, object]:
    row: dict[str, object] = {
        "name": item.path.name,
        "path": str(item.path),
        "created": item.created,
        "kind": backups.KIND_LABELS.get(item.kind, item.kind),
        "note": item.note,
        "bytes": item.size_bytes,
    }
    if view is not None:
        row["changes_since"] = view.changes_since
        row["changed_tables"] = view.tables
    return row


def _backups_list(args: argparse.Namespace) -> int:
    """List restore points; with --changes, open the workspace to say what changed since each."""
    points: list[tuple[backups.RestorePointView | None, backups.BackupInfo]]
    if args.changes:
        with opened(args.path) as workspace:
            points = [(view, view.point) for view in workspace.restore_points()]
    else:
        points = [(None, item) for item in backups.list_backups(Path(args.path))]
    if args.json:
        print_json([_point_row(view, item) for view, item in points])
        return 0
    if not points:
        print("No restore points yet.", file=sys.stderr)
    for view, item in points:
        row = _point_row(view, item)
        created = backups.parse_created(item.created).strftime("%d/%m/%Y %H:%M UTC")
        line = f"{row['path']}\t{created}\t{row['kind']}\t{backups.size_text(item.size_bytes)}\t{row['note']}"
        if view is not None:
            since = view.changes_since
            tables = ", ".join(f"{count} {table}" for table, count in view.tables.items())
            line += (
                "\tchanges since: not recorded"
                if since is None
                else f"\tchanges since: {since}" + (f" ({tables})" if tables else "")
            )
        print(line)
    return 0


@on_workspace
def _backups_create(args: argparse.Namespace, workspace: Workspace) -> int:
    path = workspace.backup(name=args.name or "")
    kind = f"named restore point “{args.name.strip()}” (kept until deleted)" if args.name else "restore point"
    print(f"Wrote and verified a {kind}: {path}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from app.store.provenance import BackupOfAnother

    backup = backups.find_backup(Path(args.path), args.backup)
    try:
        restore(Path(args.path), backup, read_passphrase("Passphrase of the backup: "), even_if_not_ours=args.anyway)
    except BackupOfAnother as exc:
        raise BackupOfAnother(f"{exc.message} Nothing was changed; add --anyway to restore it all the same.") from None
    print(f"Restored {backup.name} into {args.path}. The replaced state was kept as a pre-restore point.")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    init = workspace_command(commands, "init", "create a new encrypted workspace", _init)
    init.add_argument("--name", required=True, help="the member's display name")
    init.add_argument("--agency", required=True, help="the member's agency")
    init.add_argument("--role", required=True, help="e.g. Chair, Lead reviewer, Business coordinator")

    workspace_command(commands, "demo", "create a fictional demo workspace", _demo)

    workspace_command(commands, "info", "member, fingerprint, schema version and record counts", _info, json=True)

    workspace_command(commands, "check", "integrity checks and the audit chain", _check)

    workspace_command(
        commands, "passwd", f"change the passphrase (new one from {NEW_PASSPHRASE_ENV} or asked twice)", _passwd
    )

    backup = workspace_command(commands, "backup", "write a verified encrypted backup", _backup)
    backup.add_argument("--keep", type=int, default=backups.DEFAULT_KEEP, help="rotating backups to keep")

    points = command_group(
        commands,
        "backups",
        "restore points: list, create, restore",
        metavar="{list,create,restore}",
    )
    listing = workspace_command(
        points, "list", "restore points, newest first, with date, kind and size", _backups_list, json=True
    )
    listing.add_argument(
        "--changes", action="store_true", help="open the workspace (passphrase) and say what changed since each point"
    )
    create = workspace_command(points, "create", "write a verified restore point now", _backups_create)
    create.add_argument("--name", help="name it; named points are never removed by rotation")
    again = workspace_command(points, "restore", "replace the workspace's data by a restore point", _restore)
    again.add_argument("backup", metavar="BACKUP", help="the point's file name or path (see `backups list`)")

    rest = workspace_command(commands, "restore", "replace the workspace's data by a backup", _restore)
    rest.add_argument("backup", metavar="BACKUP", help="backup file name or path (see `backups list`)")
    for parser in (again, rest):
        parser.add_argument(
            "--anyway",
            action="store_true",
            help="restore a backup of another workspace, or from before a passphrase change, all the same",
        )

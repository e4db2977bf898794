"""`workbench purge`: records past their retention become content-less tombstones, after confirming."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from app.cli.common import on_workspace, workspace_command
from app.clock import uk, utc_now
from app.errors import InvalidInput
from app.records.purge import audit_entries_to_redact, candidate_line, counts_text, purge, purge_candidates
from app.store.backups import list_backups
from app.text import count_of, noun_for

if TYPE_CHECKING:
    from app.store.workspace import Workspace


def _confirm(total: int, assume_yes: bool) -> bool:
    if assume_yes:
        return True
    if not sys.stdin.isatty():
        raise InvalidInput(
            "Confirm the purge: run in a terminal to be asked, or add --yes after checking the list "
            "(--dry-run shows it). Nothing was purged."
        )
    answer = input(
        f"Type purge to remove the content of {noun_for(total, 'this', 'these')} {count_of(total, 'record')} for good: "
    )
    return answer.strip().lower() == "purge"


@on_workspace(backup_on_unlock=lambda args: not args.dry_run)
def _purge(args: argparse.Namespace, workspace: Workspace) -> int:
    today = utc_now().date()
    with workspace.reading() as session:
        candidates = purge_candidates(session, today)
        entries = audit_entries_to_redact(session, candidates)
    if not candidates:
        print("No records are past their retention; nothing to purge.")
        return 0
    total = sum(c.total for c in candidates)
    print(
        f"Past retention on {uk(today)} ({count_of(len(candidates), 'record')} with what belongs to them, {total} in all):"
    )
    for candidate in candidates:
        print(f"  {candidate_line(candidate)}")
    print(
        f"The content of {count_of(entries, 'audit entry')} about them would be emptied "
        "(who, when and which record stay in the log)."
    )
    if args.dry_run:
        print("Dry run: nothing was purged.")
        return 0
    if not _confirm(total, args.yes):
        print("Nothing was purged.")
        return 1
    with workspace.unit_of_work() as uow:
        result = purge(uow, today, expected=[c.uuid for c in candidates])
    print(
        f"Purged {count_of(result.total, 'record')}: {counts_text(result.counts)}. Each is now a tombstone without content, "
        f"and the content of {count_of(result.redacted, 'audit entry')} about them was emptied; "
        "send a bundle so the other members' copies are purged too."
    )
    if args.replace_restore_points:
        removed = workspace.replace_restore_points()
        print(
            f"Made a new restore point and removed the {count_of(removed, 'older one')}, "
            "which still held the purged content."
        )
    else:
        older = len(list_backups(workspace.path))
        if older:
            print(
                f"{count_of(older, 'restore point')} made before the purge still "
                f"{noun_for(older, 'holds', 'hold')} the purged content until {noun_for(older, 'it ages', 'they age')} "
                f"out; --replace-restore-points replaces {noun_for(older, 'it', 'them')} with one new point."
            )
    if result.kept:
        print(
            f"{count_of(result.kept, 'older audit entry', 'older audit entries')} about them keep their content: "
            "the audit log failed its check when this version upgraded it (see workbench check)."
        )
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    parser = workspace_command(
        commands,
        "purge",
        "make records past their retention (docs/merge.md) content-less tombstones, after confirming",
        _purge,
    )
    parser.add_argument("--dry-run", action="store_true", help="list what would be purged; change nothing")
    parser.add_argument("--yes", action="store_true", help="do not ask: the list was checked (see --dry-run)")
    parser.add_argument(
        "--replace-restore-points",
        action="store_true",
        help="after the purge, make one new restore point and remove every older one (they hold the purged content)",
    )

"""Helpers every command shares: passphrases and opening a workspace."""

from __future__ import annotations

import argparse
import functools
import getpass
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, overload

from app.errors import InvalidInput
from app.store.user_files import check_user_target, write_user_file
from app.store.workspace import Workspace

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.office.validation_report import ValidationReport
    from app.records import UnitOfWork

#: For scripts and tests only: a passphrase in the environment is visible to
#: other processes of the same user. People should type it at the prompt.
PASSPHRASE_ENV = "WORKBENCH_PASSPHRASE"
NEW_PASSPHRASE_ENV = "WORKBENCH_NEW_PASSPHRASE"


def read_passphrase(prompt: str = "Passphrase: ", env: str = PASSPHRASE_ENV) -> str:
    value = os.environ.get(env)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise InvalidInput(f"No passphrase: set {env} or run in a terminal to be asked.")
    return getpass.getpass(prompt)


def read_new_passphrase(env: str) -> str:
    value = os.environ.get(env)
    if value is not None:
        return value
    first = read_passphrase("New passphrase (12 characters or more): ", env)
    if first != read_passphrase("Repeat the new passphrase: ", env):
        raise InvalidInput("The two passphrases differ; nothing was changed.")
    return first


@contextmanager
def opened(path: str | Path, *, backup_on_unlock: bool = False, quiet: bool = False) -> Iterator[Workspace]:
    """The workspace unlocked for one command; what the unlock cleared is said on stderr unless `quiet`.

    Commands unlock without the safety backup the GUI's unlock makes; the few that change much
    (passphrase change, purge, figure and comparator imports) ask for it with `backup_on_unlock`."""
    workspace = Workspace.open(Path(path), read_passphrase(), backup_on_unlock=backup_on_unlock)
    with locked_after(workspace):
        if workspace.leftovers and not quiet:
            print(workspace.leftovers.summary(), file=sys.stderr)
        yield workspace


#: A command as argparse dispatches it (`set_defaults(handler=...)`): the arguments in, the exit code out.
Command = Callable[[argparse.Namespace], int]
#: A command written for `on_workspace`: the arguments and the workspace at `args.path`, opened.
WorkspaceCommand = Callable[[argparse.Namespace, Workspace], int]


@overload
def on_workspace(command: WorkspaceCommand, /) -> Command: ...


@overload
def on_workspace(
    *,
    check: Callable[[argparse.Namespace], object] | None = None,
    backup_on_unlock: bool | Callable[[argparse.Namespace], bool] = False,
    quiet: bool = False,
) -> Callable[[WorkspaceCommand], Command]: ...


def on_workspace(
    command: WorkspaceCommand | None = None,
    /,
    *,
    check: Callable[[argparse.Namespace], object] | None = None,
    backup_on_unlock: bool | Callable[[argparse.Namespace], bool] = False,
    quiet: bool = False,
) -> Command | Callable[[WorkspaceCommand], Command]:
    """A command that works on the opened workspace: `command(args, workspace)`, run inside `opened(args.path)`.

    Its whole body runs with the workspace unlocked (passphrase, errors and exit codes as `opened` gives them)
    and it is locked again however it ends. `check(args)` runs first, before the passphrase is asked: a bad
    argument or file is refused as such (exit 1 or 2) even when the passphrase would be wrong (exit 3).
    `backup_on_unlock` and `quiet` are `opened`'s; `backup_on_unlock` may be decided from the arguments
    (`lambda args: not args.dry_run`). A command whose early checks make a value its body needs (a date,
    a second passphrase, a file read), or that opens the workspace only sometimes, uses `opened` itself."""

    def decorate(command: WorkspaceCommand) -> Command:
        @functools.wraps(command)
        def run(args: argparse.Namespace) -> int:
            if check is not None:
                check(args)
            backup = backup_on_unlock(args) if callable(backup_on_unlock) else backup_on_unlock
            with opened(args.path, backup_on_unlock=backup, quiet=quiet) as workspace:
                return command(args, workspace)

        return run

    return decorate if command is None else decorate(command)


@contextmanager
def locked_after(workspace: Workspace) -> Iterator[Workspace]:
    """`workspace` for one block, locked again however the block ends (unlocked by `opened`, or just created)."""
    try:
        yield workspace
    finally:
        workspace.lock()


@contextmanager
def writing(path: str | Path, *, backup_on_unlock: bool = False) -> Iterator[UnitOfWork]:
    """One unit of work (one transaction) on the workspace at `path`, locked again after."""
    with opened(path, backup_on_unlock=backup_on_unlock) as workspace, workspace.unit_of_work() as uow:
        yield uow


@contextmanager
def reading(path: str | Path, *, backup_on_unlock: bool = False) -> Iterator[Session]:
    """A read-only session on the workspace at `path`, locked again after."""
    with opened(path, backup_on_unlock=backup_on_unlock) as workspace, workspace.reading() as session:
        yield session


def add_workspace_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", metavar="PATH", help="workspace folder")


def add_output_arguments(parser: argparse.ArgumentParser, metavar: str = "FILE") -> None:
    """`--out` (required) and `--overwrite`: a command that writes a file refuses to replace one unless asked."""
    parser.add_argument("--out", required=True, metavar=metavar)
    parser.add_argument("--overwrite", action="store_true", help="replace the file if it exists")


def add_document_arguments(parser: argparse.ArgumentParser, formats: Sequence[str]) -> None:
    """`--format` (required, one of `formats`) and the file it is written to (add_output_arguments, FILE); the
    run refuses an `--out` named as another kind of document (check_format_matches_out)."""
    parser.add_argument("--format", required=True, choices=formats)
    add_output_arguments(parser, "FILE")


def check_out(args: argparse.Namespace) -> None:
    """The `--out` file (add_output_arguments) may be written; for `on_workspace(check=...)`, so a refused
    file is said before the passphrase is asked."""
    check_user_target(Path(args.out), overwrite=args.overwrite)


#: A command written for `writes_file`: the arguments and a read session on the workspace at `args.path` in;
#: the file's bytes and what they are ("the minutes") out.
FileCommand = Callable[[argparse.Namespace, "Session"], tuple[bytes, str]]


def writes_file(command: FileCommand) -> Command:
    """A command that writes one file made from the workspace to its `--out` (add_output_arguments).

    The file is refused before the passphrase is asked if it may not be written; `command(args, session)`
    reads the workspace and gives the bytes and what they are; the file is written once the workspace is
    locked again, and `Wrote WHAT to OUT` is said. Exit code 0."""

    @functools.wraps(command)
    def run(args: argparse.Namespace) -> int:
        out = Path(args.out)
        check_user_target(out, overwrite=args.overwrite)
        with reading(args.path) as session:
            data, what = command(args, session)
        write_user_file(out, data, overwrite=args.overwrite)
        print(f"Wrote {what} to {args.out}")
        return 0

    return run


def refuse_errors(report: ValidationReport, then: str = "") -> None:
    """A report with errors: all of it on stdout, then the command ends on its first error (`then` added)."""
    if report.has_errors:
        sys.stdout.write(report.to_text())
        raise InvalidInput(report.first_error() + then)


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


def print_listing(as_json: bool, records: Iterable[Any], lines: Iterable[str], empty: str = "") -> int:
    """What a list command prints: `records` as JSON with --json, else `lines` (one a row), or `empty`
    when there are none. Exit code 0."""
    if as_json:
        print_json(list(records))
        return 0
    shown = False
    for line in lines:
        print(line)
        shown = True
    if empty and not shown:
        print(empty)
    return 0


class _Row(Protocol):
    def as_json(self) -> Any: ...


_R = TypeVar("_R", bound=_Row)


def print_rows(
    args: argparse.Namespace, rows_of: Callable[[Session], Sequence[_R]], line: Callable[[_R], str], empty: str = ""
) -> int:
    """What a list command does: the rows `rows_of` reads from the workspace at `args.path`, printed by
    print_listing as their `as_json()` with --json, else a `line` each. Exit code 0."""
    with reading(args.path) as session:
        rows = rows_of(session)
    return print_listing(args.json, (row.as_json() for row in rows), (line(row) for row in rows), empty)


def command_group(
    commands: argparse._SubParsersAction, name: str, help_text: str, *, metavar: str = "ACTION"
) -> argparse._SubParsersAction:
    """A command with actions of its own (`workbench review add ...`); errors stay one line. The action chosen
    is `args.NAME_command` (dispatch goes by the action's handler)."""
    parser = commands.add_parser(name, help=help_text)
    group = parser.add_subparsers(dest=f"{name}_command", metavar=metavar, parser_class=type(parser))
    group.required = True
    return group


def workspace_command(
    group: argparse._SubParsersAction,
    name: str,
    help_text: str,
    handler: Callable[[argparse.Namespace], int],
    *,
    json: bool = False,
) -> argparse.ArgumentParser:
    """An action on one workspace: its PATH argument, `--json` when asked, and its handler."""
    parser = group.add_parser(name, help=help_text)
    add_workspace_argument(parser)
    if json:
        parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.set_defaults(handler=handler)
    return parser

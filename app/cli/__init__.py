"""The command line: `workbench COMMAND ...` (also `python main.py COMMAND ...`).

Each area registers its commands from a module in `app/cli/commands/`; this
module parses, dispatches and turns errors into one line on stderr and an exit
code: 0 success, 1 invalid input or failed check, 2 usage error, 3 wrong
passphrase or workspace in use. `--debug` shows tracebacks.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import NoReturn

from app.errors import WorkbenchError

Handler = Callable[[argparse.Namespace], int]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2
        self.exit(2, f"{self.prog}: usage error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="workbench",
        description="Safeguarding Workbench command line. Run without a command to start the application window.",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks for errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True
    from app.cli import commands as package

    for module in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        importlib.import_module(f"{package.__name__}.{module.name}").register(commands)
    return parser


def run(argv: Sequence[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(list(argv))
    handler: Handler = args.handler
    try:
        code = handler(args)
        sys.stdout.flush()  # a closed pipe shows here, inside the handling below, not at exit
        return code
    except WorkbenchError as exc:
        if args.debug:
            traceback.print_exc()
        print(f"workbench: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("workbench: interrupted; nothing was written.", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader stopped early (`... | head`): nothing more to say
        _silence_stdout()
        return 1
    except OSError as exc:  # a file or folder the user named: one plain line
        if args.debug:
            traceback.print_exc()
        print(f"workbench: cannot use {exc.filename or 'a file'}: {exc.strerror or exc}.", file=sys.stderr)
        return 1
    except Exception as exc:
        if args.debug:
            traceback.print_exc()
        print(
            f"workbench: unexpected error: {type(exc).__name__}: {exc} (run with --debug for details)", file=sys.stderr
        )
        return 1


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's last flush does not fail again (Python docs, 'Note on SIGPIPE')."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())

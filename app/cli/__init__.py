"""The command line: `workbench COMMAND ...` (also `python main.py COMMAND ...`).

Each area registers its commands from a module in `app/cli/commands/`; this
module parses, dispatches and turns errors into one line on stderr and an exit
code: 0 success, 1 invalid input or failed check (a value argparse refuses, such
as `--format txt`, is invalid input too), 2 usage error (an argument missing,
unknown or not allowed with another), 3 wrong passphrase or workspace in use.
`--debug` shows tracebacks.
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

from app.errors import InvalidInput, WorkbenchError

Handler = Callable[[argparse.Namespace], int]


#: argparse's words for an option's value it refused (a choice, a number): invalid input, not a usage
#: error (an unknown command stays one)
_REFUSED_VALUE = ("invalid choice", "invalid int value", "invalid float value")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line
        if message.startswith("argument --") and any(words in message for words in _REFUSED_VALUE):
            self.exit(1, f"{self.prog}: {message}\n")
        self.exit(2, f"{self.prog}: usage error: {message}\n")


_DOCUMENT_SUFFIXES = (".pdf", ".docx", ".xlsx", ".csv", ".png", ".svg", ".doc", ".xls", ".odt", ".ods")


def check_format_matches_out(args: argparse.Namespace) -> None:
    """`--format pdf --out letter.docx` wrote a PDF named .docx and said it had worked: refuse it."""
    fmt, out = getattr(args, "format", None), getattr(args, "out", None)
    if not isinstance(fmt, str) or not isinstance(out, str):
        return
    suffix = os.path.splitext(out)[1].lower()
    # only a document of one kind named as another: other targets get the writers' own checks
    if suffix in _DOCUMENT_SUFFIXES and suffix != f".{fmt.lower()}":
        raise InvalidInput(
            f"--out {os.path.basename(out)} ends in {suffix} but --format is {fmt}: "
            f"name the file .{fmt} or choose --format {suffix[1:]}."
        )


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
        check_format_matches_out(args)
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

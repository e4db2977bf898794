"""Safeguarding Workbench: the application window, or the command line.

`python main.py` (or `workbench`) with no command starts the window, optionally
on `--workspace PATH`; `--version` prints the versions; any other first argument
is a command-line command.
"""

from __future__ import annotations

import os
import sys


def _wants_gui(argv: list[str]) -> bool:
    return not argv or argv[0] in ("--workspace", "--gui") or argv[0].startswith("--workspace=")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    os.umask(0o077)  # whatever we create is the member's alone
    if args[:1] in (["--version"], ["-V"]):
        from PySide6 import __version__ as pyside
        from PySide6.QtCore import qVersion

        from app.version import version_report

        print(version_report(f"{qVersion()} (PySide6 {pyside})"))
        return 0
    if _wants_gui(args):
        from ui.application import run_gui

        return run_gui(args)
    from app.cli import run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())

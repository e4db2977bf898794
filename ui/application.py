"""Start the window: check that Qt can show one, parse --workspace, run the event loop."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from ui.paths import resource_path
from ui.settings import APPLICATION, ORGANISATION

ICON = resource_path("icons", "workbench.svg")


def _display_problem() -> str | None:
    if os.environ.get("QT_QPA_PLATFORM") or sys.platform != "linux":
        return None
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return (
            "workbench: no display to show the window on (DISPLAY is not set). Run it under a virtual "
            'screen: xvfb-run -a -s "-screen 0 1440x900x24" python main.py'
        )
    return None


def _install_excepthook() -> None:
    """An exception escaping a slot gets a dialog, and stderr gets its type only.

    Messages may quote case data; desktop sessions often keep stderr in a
    journal, so the details stay on screen.
    """

    def hook(kind: type[BaseException], error: BaseException, _trace: object) -> None:
        from app.errors import WorkbenchError
        from ui.messages import show_error

        if isinstance(error, WorkbenchError):  # e.g. a disk that refuses a page's reading: its own clear words
            show_error(QApplication.activeWindow(), "Not done", error.message)
            return
        print(f"workbench: unexpected error: {kind.__name__}", file=sys.stderr)
        show_error(
            QApplication.activeWindow(),
            "Unexpected error",
            f"{kind.__name__}: {error}\nThe operation stopped; a unit of work that failed changed nothing.",
        )

    sys.excepthook = hook


def run_gui(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="workbench", description="Start the Safeguarding Workbench window.")
    parser.add_argument("--workspace", type=Path, help="workspace folder to open")
    parser.add_argument("--gui", action="store_true", help=argparse.SUPPRESS)
    args, qt_args = parser.parse_known_args(argv)
    problem = _display_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    app = QApplication([sys.argv[0], *qt_args])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(APPLICATION)
    app.setDesktopFileName("safeguarding-workbench")
    if ICON.exists():
        app.setWindowIcon(QIcon(str(ICON)))
    _install_excepthook()
    from ui import file_dialog_privacy, startup_probe, warmup

    file_dialog_privacy.install(app)
    from ui.main_window import MainWindow

    window = MainWindow()

    def first_paint() -> None:
        if startup_probe.wanted():
            startup_probe.lock_screen_shown(window)  # before the warm-up: what the lock screen alone loaded
        warmup.start(then=window.build_pages_ahead)  # the overview's widgets: built now, filled at unlock

    warmup.after_first_paint(window.lock_screen, first_paint)
    if startup_probe.wanted():
        startup_probe.watchdog()
    window.show()
    if args.workspace:
        window.open_workspace(args.workspace)
    return app.exec()

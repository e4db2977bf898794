"""Start-up measurement hook for tests/bench and the packaging smoke test (off unless asked).

With `WORKBENCH_STARTUP_PROBE=FILE` the window writes FILE (JSON) once it is
done: the time the lock screen was first painted and interactive, which heavy
modules were loaded by then, and — when `--workspace` and `WORKBENCH_PASSPHRASE`
are given — the times the key was derived and the first area page was painted
after unlocking through the dialog. Then it quits. Names and times only: no
workspace content is written. Times are epoch seconds so the parent process can
subtract its own start time.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app import timing
from ui import warmup
from ui.warmup import after_first_paint

PROBE_ENV = "WORKBENCH_STARTUP_PROBE"
#: "0": press Unlock at once, while the background warm-up still runs (default: after it, as a typist would)
TYPING_ENV = "WORKBENCH_STARTUP_PROBE_WAIT"
#: imported only when first needed (issue 14); tests/ui/test_startup.py checks the lock screen loads none
HEAVY_MODULES = (
    "matplotlib",
    "numpy",
    "openpyxl",
    "docx",
    "reportlab",
    "pikepdf",
    "pypdfium2",
    "sqlalchemy",
    "alembic",
    "holidays",
    "zxcvbn",
    "ui.areas.reviews",
    "ui.areas.actions",
    "ui.areas.exchange",
    "ui.areas.overview",
)


def wanted() -> bool:
    return bool(os.environ.get(PROBE_ENV))


def _write(result: dict[str, Any]) -> None:
    Path(os.environ[PROBE_ENV]).write_text(json.dumps(result, indent=1), encoding="utf-8")
    QApplication.quit()


def lock_screen_shown(window: Any) -> None:
    """Called right after the lock screen's first paint, before the warm-up starts."""
    timing.mark("lock_screen_interactive")
    result: dict[str, Any] = {"heavy_loaded": sorted(m for m in HEAVY_MODULES if m in sys.modules)}
    passphrase = os.environ.get("WORKBENCH_PASSPHRASE")
    dialog = getattr(window, "_dialog", None)
    if not passphrase or dialog is None or not hasattr(dialog, "unlock_button"):
        result["marks"] = timing.marks()
        _write(result)
        return

    def page_painted() -> None:
        timing.mark("first_page_interactive")
        result["marks"] = timing.marks()
        result["first_page"] = window.current_page().objectName() if window.current_page() else None
        _write(result)

    def unlocked(_workspace: object) -> None:  # runs after the window's own handler: the page is up
        timing.mark("unlocked")
        page = window.area_stack.currentWidget()
        if page is None:
            page_painted()
        else:
            after_first_paint(page, page_painted)

    def fill_in() -> None:
        if os.environ.get(TYPING_ENV, "1") != "0" and not warmup.done():
            QTimer.singleShot(20, fill_in)  # a member types for seconds: unlock once the warm-up is done
            return
        dialog.passphrase.setText(passphrase)
        dialog.unlocked.connect(unlocked)
        timing.mark("unlock_pressed")
        dialog.unlock_button.click()

    QTimer.singleShot(20, fill_in)  # the warm-up starts right after this call


def watchdog(seconds: float = 120.0) -> None:
    """Never hang a benchmark: quit after `seconds` whatever happened."""
    QTimer.singleShot(int(seconds * 1000), lambda: _write({"error": "timed out", "at": time.time()}))

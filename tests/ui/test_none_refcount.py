"""A long session does not abort: Qt calls that return nothing must not use up `None` (ui/none_refcount.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ui import none_refcount

ROOT = Path(__file__).resolve().parents[2]
CALLS = 60_000  # more than a bare interpreter's references to None, and than the window's (about 36,000)

_SESSION = f"""
import sys
{{first}}
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv[:1])
label, timer = QLabel(), QTimer()
for _ in range({CALLS}):
    label.setText("typing")  # a form filled
    timer.start(60_000)  # the idle lock, on every key and mouse move
print("done", flush=True)
"""


def _run(first: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", _SESSION.format(first=first)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


def test_a_session_of_many_qt_calls_ends_normally_once_ui_is_imported() -> None:
    run = _run("import ui")
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip() == "done"


def test_the_fix_is_still_needed_where_it_is_applied() -> None:
    """Fails when PySide6 stops dropping references to None: then ui/none_refcount.py can go."""
    run = _run("")
    if none_refcount.needed():
        assert run.returncode != 0 and "none_dealloc" in run.stderr, (
            "PySide6 no longer drops references to None on this Python: remove ui/none_refcount.py"
        )
    else:  # Python 3.12 and later: None is immortal, and the fix does nothing
        assert run.returncode == 0, run.stderr[-2000:]

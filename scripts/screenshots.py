"""Regenerate docs/screenshots/*.png from the demo workspace.

Run: .venv/bin/python scripts/screenshots.py   (offscreen; no display needed)

Every area page is captured; a page may offer more views through an optional
`screenshot_views()` method returning (name, callable-that-shows-it) pairs.
The demo workspace is made in a temporary folder and deleted afterwards: it is
fictional, but nothing is left behind anyway.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QApplication, QWidget

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OUT = ROOT / "docs" / "screenshots"
SIZE = QSize(1440, 900)


def settle(app: QApplication, rounds: int = 20) -> None:
    from ui.operations import wait_for_idle

    for _ in range(rounds):
        wait_for_idle()
        app.processEvents()


def save(widget: QWidget, name: str) -> None:
    path = OUT / f"{name}.png"
    widget.grab().save(str(path))
    print(f"wrote {path.relative_to(ROOT)}")


@contextmanager
def demo_window(size: QSize, shoot: Callable[[QWidget, str], None] | None = None) -> Iterator[tuple[Any, Any]]:
    """(app, main window) of `size`, unlocked on a fresh demo workspace in a throwaway home folder; `shoot`,
    when given, captures the lock screen and the unlock dialog on the way. Locked and closed afterwards.
    The window's workspace is None if it did not unlock."""
    with tempfile.TemporaryDirectory() as home:
        os.environ["HOME"] = home  # throwaway settings: recent list shows only the demo
        os.environ["XDG_CONFIG_HOME"] = str(Path(home) / ".config")
        app = QApplication(sys.argv[:1])
        app.setApplicationName("Safeguarding Workbench")
        from app.demo import DEMO_PASSPHRASE, create_demo
        from app.security.kdf import KdfParams
        from ui import settings
        from ui.main_window import MainWindow

        OUT.mkdir(parents=True, exist_ok=True)
        demo_path = Path(home) / "Northbridge demo"
        create_demo(demo_path, kdf_params=KdfParams(salt=os.urandom(16), iterations=1)).lock()
        settings.remember_workspace(str(demo_path))
        window = MainWindow()
        window.setWindowState(Qt.WindowState.WindowNoState)  # a small (offscreen) screen starts it maximized
        window.resize(size)
        window.show()
        window.workspace_path = demo_path
        window._show_locked()
        settle(app)
        if shoot:
            shoot(window, "lock-screen")
        window.unlock()
        settle(app)
        dialog = window._dialog
        dialog.passphrase.setText(DEMO_PASSPHRASE)
        if shoot:
            shoot(dialog, "unlock-dialog")
        dialog.unlock_button.click()
        for _ in range(300):
            settle(app, 1)
            if window.workspace is not None:
                break
        yield app, window
        window.lock()
        settle(app)
        window.close()


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with demo_window(SIZE, shoot=save) as (app, window):
        if window.workspace is None:
            print("could not unlock the demo workspace", file=sys.stderr)
            return 1
        for spec in window.areas:  # pages are built when first shown
            window.show_area(spec.key)
            settle(app)
            save(window, f"area-{spec.key}")
            views = getattr(window.pages[spec.key], "screenshot_views", None)
            for name, show in views() if views else []:
                shown = show()  # a view in a window of its own (e.g. interview mode) returns that window
                settle(app)
                save(shown if isinstance(shown, QWidget) else window, f"area-{spec.key}-{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Screenshots of the meetings area in a real window at 1280x800, and two pages of the demo pack as PNG.

Run on a display (e.g. `/work/shared/tools/desktop start 1280x800`, then DISPLAY=...):
    .venv/bin/python scripts/meetings_screenshots.py
Writes docs/screenshots/meetings-*.png. The demo workspace lives in a temporary folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def main() -> int:
    with tempfile.TemporaryDirectory() as home:
        os.environ["HOME"] = home
        os.environ["XDG_CONFIG_HOME"] = str(Path(home) / ".config")
        app = QApplication(sys.argv[:1])
        from app.demo import DEMO_PASSPHRASE, create_demo
        from app.meetings import issue, service
        from app.security.kdf import KdfParams
        from scripts.screenshots import settle
        from ui.main_window import MainWindow

        demo_path = Path(home) / "Northbridge demo"
        create_demo(demo_path, kdf_params=KdfParams(salt=os.urandom(16), iterations=1)).lock()
        window = MainWindow()
        window.resize(1280, 800)
        window.show()
        window.workspace_path = demo_path
        window._show_locked()
        settle(app)
        window.unlock()
        settle(app)
        window._dialog.passphrase.setText(DEMO_PASSPHRASE)
        window._dialog.unlock_button.click()
        for _ in range(300):
            settle(app, 1)
            if window.workspace is not None:
                break
        window.show_area("meetings")
        settle(app)
        page = window.pages["meetings"]
        for name, show in page.screenshot_views():
            show()
            settle(app)
            path = OUT / f"meetings-{name}.png"
            window.grab().save(str(path))
            print("wrote", path.relative_to(ROOT))
        with window.workspace.reading() as session:
            coming = [r for r in service.list_meetings(session) if r.status == service.PACK_ISSUED][0]
            pack = issue.get_pack(session, coming.uuid)
            data = pack.content
        with tempfile.TemporaryDirectory() as folder:
            pdf = Path(folder) / "pack.pdf"
            pdf.write_bytes(data)  # fictional demo data, in a private temporary folder
            for number, name in ((2, "pack-agenda"), (12, "pack-rotated-paper")):
                subprocess.run(
                    [
                        "pdftoppm",
                        "-png",
                        "-r",
                        "70",
                        "-f",
                        str(number),
                        "-l",
                        str(number),
                        "-singlefile",
                        str(pdf),
                        str(OUT / f"meetings-{name}"),
                    ],
                    check=True,
                )
                print("wrote", f"docs/screenshots/meetings-{name}.png")
        window.lock()
        settle(app)
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

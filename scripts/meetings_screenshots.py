"""Screenshots of the meetings area in a real window at 1280x800, and two pages of the demo pack as PNG.

Run on a display (e.g. `/work/shared/tools/desktop start 1280x800`, then DISPLAY=...):
    .venv/bin/python scripts/meetings_screenshots.py
Writes docs/screenshots/meetings-*.png. The demo workspace lives in a temporary folder.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSize

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


OUT = ROOT / "docs" / "screenshots"


def main() -> int:
    from scripts.screenshots import demo_window, settle

    with demo_window(QSize(1280, 800)) as (app, window):
        from app.meetings import issue, service

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
    return 0


if __name__ == "__main__":
    sys.exit(main())

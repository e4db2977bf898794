"""Where things live on each platform: bundled resources and the default workspace folder.

Settings (QSettings, ui/settings.py) go where Qt puts them per platform (~/.config
on Linux, the registry or %APPDATA% on Windows) and hold no case data; a
workspace holds everything else, in a folder the member chooses. The default
offered is "Safeguarding Workbench" in the member's Documents folder as Qt
reports it (QStandardPaths), which on Windows is inside the user profile.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QStandardPaths

APP_FOLDER = "Safeguarding Workbench"


def resource_path(*parts: str) -> Path:
    """A file under resources/, in a source checkout and in the PyInstaller build alike."""
    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent.parent))
    return base.joinpath("resources", *parts)


def default_workspace_dir() -> Path:
    """The platform's Documents folder (home when it has none) + "Safeguarding Workbench"."""
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    base = Path(documents) if documents else Path.home()
    return base / APP_FOLDER

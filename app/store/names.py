"""Names inside a workspace folder, importable without the database stack.

The lock screen asks "is this folder a workspace?" before anything is unlocked;
answering must not import SQLAlchemy or SQLCipher (start-up time, issue 14).
"""

from __future__ import annotations

from pathlib import Path

SIDECAR_NAME = "workspace.json"


def is_workspace(path: Path) -> bool:
    return (Path(path) / SIDECAR_NAME).is_file()

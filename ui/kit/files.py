"""File choosers. Dialogs block the event loop, so tests replace `choose_open_file` and `choose_save_file`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

#: File dialogs block the event loop; tests replace these module-level references.
choose_open_file: Callable[..., tuple[str, str]] = QFileDialog.getOpenFileName


choose_save_file: Callable[..., tuple[str, str]] = QFileDialog.getSaveFileName


#: the folder of the last file chosen in this session: held in memory only, never in settings
#: (folder names can be case data, see ui/file_dialog_privacy.py)
_last_folder: Path | None = None


def start_folder() -> Path:
    """Where a file dialog opens: the folder last chosen in this session, else the user's documents."""
    if _last_folder is not None and _last_folder.is_dir():
        return _last_folder
    return documents_dir()


def remember_folder(path: str) -> None:
    global _last_folder
    if path:
        _last_folder = Path(path).parent


def open_file(parent: QWidget, caption: str, filters: str) -> str:
    path, _ = choose_open_file(parent, caption, str(start_folder()), filters)
    remember_folder(path)
    return path


#: what exports and saved files are; a chosen name ending in another of these gets the right one instead
KNOWN_SUFFIXES = frozenset({".csv", ".docx", ".xlsx", ".pdf", ".png", ".svg", ".card", ".bundle", ".txt", ".json"})


def documents_dir() -> Path:
    """The user's documents folder (never the program's folder), else their home folder."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(found) if found else Path.home()
    return folder if folder.is_dir() else Path.home()


def with_suffix(path: Path, suffix: str) -> Path:
    """`path` ending in `suffix`: another export suffix is replaced ("x.docx" for CSV becomes "x.csv"),
    anything else kept and the suffix added ("minutes.v2" becomes "minutes.v2.csv")."""
    if not suffix or path.suffix.lower() == suffix.lower():
        return path
    if path.suffix.lower() in KNOWN_SUFFIXES:
        return path.with_suffix(suffix)
    return path.with_name(path.name + suffix)


def save_file(parent: QWidget, caption: str, suggested: str, filters: str) -> str:
    """Ask where to save; starts in the user's documents and returns a name whose extension is the format's.

    The format is the suggested name's extension: a CSV was once written into a name ending .docx.
    Callers replace the returned file without asking again (the dialog asked), so when the extension
    changes the name to one that exists, the dialog is shown again on that name to ask about it.
    """
    start = Path(suggested)
    if not start.is_absolute():
        start = start_folder() / start
    for _attempt in range(2):
        path, _ = choose_save_file(parent, caption, str(start), filters)
        if not path:
            return ""
        chosen = with_suffix(Path(path), Path(suggested).suffix)
        if chosen == Path(path) or not chosen.exists():
            remember_folder(str(chosen))
            return str(chosen)
        start = chosen  # the dialog confirmed another name than the one that would be replaced
    return ""

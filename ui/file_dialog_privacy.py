"""File dialogs leave no trace of the folders and files a member chose (issue 14).

Two places remember them otherwise: the desktop's own dialogs (GTK adds chosen
files to ~/.local/share/recently-used.xbel; Windows adds them to Recent items)
and Qt's own dialog, which writes the last folder and a history of folders to
its "QtProject" settings when it closes. So the application uses Qt's dialog
everywhere (`Qt.AA_DontUseNativeDialogs`) and, after any file dialog has closed,
removes what it wrote. Folder names can be case data (a child's name).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog

#: what QFileDialog saves in QtProject settings that names folders or files
REMEMBERED_KEYS = ("FileDialog/history", "FileDialog/lastVisited", "FileDialog/shortcuts")


def qt_file_dialog_settings() -> QSettings:
    return QSettings(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, "QtProject")


def forget_chosen_paths() -> None:
    """Remove the folder history Qt's file dialog keeps."""
    store = qt_file_dialog_settings()
    for key in REMEMBERED_KEYS:
        store.remove(key)
    store.sync()


class _Watcher(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            isinstance(watched, QFileDialog)
            and event.type() == QEvent.Type.Show
            and not watched.property("workbench_watched")
        ):
            # Qt writes its settings in the dialog's destructor; `destroyed` comes after that
            watched.setProperty("workbench_watched", True)
            watched.destroyed.connect(forget_chosen_paths)
        elif isinstance(watched, QFileDialog) and event.type() == QEvent.Type.Hide:
            QTimer.singleShot(0, forget_chosen_paths)  # and once more, should it be kept alive
        return False


def install(app: QApplication) -> None:
    """Qt's own file dialog everywhere, and its memory of chosen folders wiped after each use."""
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, True)
    if app.property("workbench_file_privacy"):
        return
    app.setProperty("workbench_file_privacy", True)
    watcher = _Watcher(app)
    app.installEventFilter(watcher)
    app.aboutToQuit.connect(forget_chosen_paths)
    forget_chosen_paths()

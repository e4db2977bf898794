"""Qt's file dialog must not leave the names of chosen folders in its settings (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot

from ui import file_dialog_privacy

pytestmark = pytest.mark.gui


def test_a_chosen_folder_is_not_remembered_after_the_dialog_closes(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path
) -> None:
    file_dialog_privacy.install(qapp)
    assert QApplication.testAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs)
    secret = tmp_path / "Review of Child Q"
    secret.mkdir()
    dialog = QFileDialog(None, "Open workspace folder", str(secret))
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.selectFile(str(secret))
    dialog.accept()
    shiboken6.delete(dialog)  # as when a static QFileDialog function returns: Qt saves its settings now
    qtbot.wait(20)
    settings_file = Path(file_dialog_privacy.qt_file_dialog_settings().fileName())
    written = settings_file.read_text(encoding="utf-8", errors="replace") if settings_file.exists() else ""
    assert "Child" not in written and str(tmp_path.name) not in written
    assert not file_dialog_privacy.qt_file_dialog_settings().contains("FileDialog/lastVisited")

"""A GUI test that leaves a modal dialog unanswered fails within seconds with the guard's message
(tests/helpers/modal_guard.py), instead of holding the run until CI gives up: pytest-timeout cannot
interrupt Qt's modal loop. Proved on a throwaway test file run by pytest in its own process, with this
suite's GUI conftest as a plugin; a dialog answered by a timer passes as before."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from tests.helpers.modal_guard import SECONDS_ENV
from tests.helpers.processes import clean_env, run_program

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]

THROWAWAY = """
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QMessageBox


def test_exec_left_waiting(qapp):
    box = QMessageBox(QMessageBox.Icon.Warning, "Unsaved notes", "Keep the notes?")
    box.exec()


def test_static_question_left_waiting(qapp):
    QMessageBox.question(None, "Delete review", "Delete the review of Child Z?")


def test_input_and_file_dialogs_left_waiting(qapp):
    QInputDialog.getText(None, "Rename", "New name")
    QFileDialog.getOpenFileName(None, "Choose a chronology")


def test_answered_by_a_timer(qapp):
    def answer():
        QApplication.activeModalWidget().accept()

    QTimer.singleShot(100, answer)
    box = QMessageBox(QMessageBox.Icon.Question, "Answered", "Go on?")
    assert box.exec() == QMessageBox.DialogCode.Accepted
"""

INI = """[pytest]
qt_api = pyside6
timeout = 90
addopts = -p no:cacheprovider -p tests.ui.conftest
"""


def test_an_unanswered_modal_dialog_fails_its_test_within_seconds(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text(INI)
    (tmp_path / "test_throwaway.py").write_text(THROWAWAY)
    env = clean_env(None, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen", **{SECONDS_ENV: "2"})

    started = time.monotonic()
    result = run_program([sys.executable, "-m", "pytest", "-q", "-rf"], cwd=tmp_path, timeout=80, env=env)
    elapsed = time.monotonic() - started

    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "3 failed, 1 passed" in output, output
    assert elapsed < 60, output  # three dialogs at two seconds each, far inside the 90 s timeout
    unanswered = "test left a modal dialog unanswered (closed by the guard): "
    assert f"{unanswered}QMessageBox 'Unsaved notes' 'Keep the notes?'" in output, output
    assert f"{unanswered}QMessageBox 'Delete review' 'Delete the review of Child Z?'" in output, output
    # once one dialog was left waiting the test has failed: the next is closed at once
    assert f"{unanswered}QInputDialog 'Rename'; QFileDialog 'Choose a chronology'" in output, output

"""GUI tests get the application-wide keyboard defaults the main window installs (ui/keyboard.py),
also when a test builds a page or dialog on its own."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from ui import keyboard


@pytest.fixture(autouse=True)
def _keyboard_defaults(qapp: QApplication) -> None:
    keyboard.install(qapp)

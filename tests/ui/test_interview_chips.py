"""The interview's score chips keep the interview's larger font when a line is shown again."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from ui.section11.interview import score_chip, set_chip

pytestmark = pytest.mark.gui


def test_a_chip_set_again_keeps_the_larger_font_and_says_its_rag_in_words(qtbot: QtBot) -> None:
    """After agreeing an action the chips shrank from 13.5 to 9 pt: a style sheet re-polished them."""
    window = QWidget()
    qtbot.addWidget(window)
    larger = window.font()
    larger.setPointSizeF(larger.pointSizeF() * 1.5)
    window.setFont(larger)
    chip = score_chip("Self score")
    QVBoxLayout(window).addWidget(chip)
    set_chip(chip, "Self", "3 - Fully in place", "green")
    window.show()
    first = chip.fontInfo().pointSizeF()
    set_chip(chip, "Self", "2 - Mostly in place", "amber")
    qtbot.wait(10)
    assert chip.fontInfo().pointSizeF() == pytest.approx(first)
    assert first == pytest.approx(window.fontInfo().pointSizeF())
    assert chip.text() == "Self: 2 - Mostly in place (Amber)"
    assert chip.palette().color(chip.backgroundRole()).name() != "#ffffff"

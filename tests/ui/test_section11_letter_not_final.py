"""The letter tab names what a draft still waits for, in the words the draft prints and the command line says:
the Police's draft was made with no word that they had not been interviewed."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from app.store.workspace import Workspace
from tests.helpers.areas import agency_letter_tab

POLICE = "Northbridge Police Public Protection Unit has not been interviewed yet"


def test_the_letter_tab_says_the_police_draft_is_not_final(
    qtbot: QtBot, demo_workspace: Workspace, tmp_path: Path
) -> None:
    view = agency_letter_tab(qtbot, demo_workspace, "Police")[1]
    tab = view.letter
    assert tab.letter is None and f"Not final, still to come: {POLICE}." in tab.state.text()
    tab.draft_button.click()
    assert tab.letter is not None and tab.letter.editable
    assert f"Not final, still to come: {POLICE}." in tab.state.text()
    opening = tab.boxes["opening"].toPlainText()
    assert opening.startswith("[Draft prepared before the interview") and "Thank you" not in opening
    assert "review progress" not in tab.boxes["closing"].toPlainText()
    view.grab().save(str(tmp_path / "police-letter-tab.png"))

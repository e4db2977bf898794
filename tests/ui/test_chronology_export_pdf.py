"""The Export tab's PDF is the panel chronology: review, key to agencies, version, DRAFT or FINAL, chosen rows.

An older table-only PDF once sat beside the panel document; a reviewer exporting from the Export tab
got a PDF without the key to agency abbreviations or the version and marking the panel needs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.reviews.register import get_review
from app.store.workspace import Workspace
from db.base import live
from db.models.core import Agency
from tests.helpers.meetings_pdf import page_texts
from ui.kit import files
from ui.reviews.review_view import ReviewView

pytestmark = pytest.mark.gui


def _export_pdf(view: ReviewView, target: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Export tab, PDF, Export…: the text of the PDF written (the name typed without an extension)."""
    monkeypatch.setattr(files, "choose_save_file", lambda *_a: (str(target.with_suffix("")), ""))
    view.tabs.setCurrentWidget(view.export)
    view.export.format.setCurrentIndex(view.export.format.findData("pdf"))
    view.export.choose_export()
    assert target.read_bytes().startswith(b"%PDF")
    return "\n".join(page_texts(target.read_bytes()))


def test_the_export_tab_writes_the_panel_chronology_pdf(
    view: ReviewView, demo_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with demo_workspace.reading() as session:
        reference = get_review(session, view.review_uuid).reference
        agencies = {a.short_name: a.name for a in session.scalars(live(Agency))}

    draft = " ".join(_export_pdf(view, tmp_path / "panel.pdf", monkeypatch).split())
    assert reference in draft
    assert "Version 1, DRAFT" in draft and "DRAFT: for the panel's discussion" in draft
    assert "Key to agencies" in draft and "Abbreviation Agency" in draft
    assert any(f"{short} {name}" in draft for short, name in agencies.items())

    reading = view.reading  # what the reading view chose is what the PDF prints
    view.tabs.setCurrentWidget(reading)
    reading.version.setText("3")
    reading.final.setChecked(True)
    reading.significant.setChecked(True)
    for row in range(reading.columns.count()):
        if reading.columns.item(row).text() == "Source of information":
            reading.columns.item(row).setCheckState(Qt.CheckState.Unchecked)
    shown = len(reading.shown)
    assert 0 < shown < len(reading.rows)

    final = " ".join(_export_pdf(view, tmp_path / "panel-final.pdf", monkeypatch).split())
    assert reference in final and "Version 3, FINAL" in final and "DRAFT" not in final
    assert "Key to agencies" in final
    assert f"{shown} of {len(reading.rows)} entries (significant events only)" in final
    assert "Source of information" not in final
    assert f"End of the chronology: {shown} entries." in final

"""Episodes, findings and recommendations (Create action…), glossary and scan, timeline and exports."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.actions.queries import list_actions
from app.chronology.people import list_decisions
from app.chronology.service import entry_episode_uuids
from app.errors import InvalidInput
from app.reviews.analysis import list_episodes, list_findings, list_recommendations
from app.store.workspace import Workspace
from tests.helpers.areas import (
    action_from_new_recommendation,
    answer_save_question,
    area_page,
    made_by_seen,
    open_largest_review,
)
from ui import messages
from ui.actions.form import ActionFormDialog
from ui.areas.reviews import ReviewsPage
from ui.kit import files as common
from ui.reviews.review_view import ReviewView

pytestmark = pytest.mark.gui


def test_episode_add_and_link_selected_entries(
    view: ReviewView, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(messages, "confirm", lambda *_a: True)  # "Link these 2 entries…?" (tested in test_first_use)
    episodes = view.episodes
    before = episodes.episodes.count()
    episodes.new()
    episodes.title.setText("Missed health appointments")
    episodes.period_from.setText("01/09/2021")
    episodes.period_to.setText("31/12/2021")
    episodes.description.setPlainText("Three missed appointments were not followed up.")
    episodes.save()
    assert episodes.episodes.count() == before + 1
    # the saved episode stays in the form and is the one chosen in the list
    assert episodes.episodes.currentItem().text().endswith(": Missed health appointments")
    assert episodes.title.text() == "Missed health appointments"
    chronology = view.chronology
    chosen = [chronology.model.row_at(n).uuid for n in (0, 1)]
    chronology.table.selectRow(0)
    chronology.table.selectionModel().select(
        chronology.model.index(1, 0),
        chronology.table.selectionModel().SelectionFlag.Select | chronology.table.selectionModel().SelectionFlag.Rows,
    )
    episodes.link_selected()
    with demo_workspace.reading() as session:
        new = next(e for e in list_episodes(session, view.review_uuid) if e.title == "Missed health appointments")
        assert new.description.startswith("Three missed") and new.period_from.isoformat() == "2021-09-01"
        assert all(new.uuid in entry_episode_uuids(session, uuid) for uuid in chosen)
    assert episodes.linked.text() == "2 linked entries"
    episodes.show_entries()
    assert view.tabs.currentWidget() is chronology
    assert {r.uuid for r in chronology.model.visible_rows()} == set(chosen)


def test_recommendation_create_action_opens_the_tracker_form(
    view: ReviewView, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    findings = view.findings
    assert findings.findings.count() >= 1 and findings.recommendations.count() >= 1
    wording = "The partnership should audit follow-up of missed appointments."
    dialog, row = action_from_new_recommendation(findings, wording, "audit follow-up")
    assert isinstance(dialog, ActionFormDialog) and dialog.isVisible()
    assert dialog.source_label.text().endswith(f"rec {row + 1}")
    dialog.title.setPlainText("Audit follow-up of missed health appointments")
    dialog.lead.setText("Named nurse")
    with demo_workspace.reading() as session:
        before = len(list_actions(session))
    seen = made_by_seen(monkeypatch, view, findings)
    dialog.save()
    assert not dialog.isVisible()
    assert seen == [True]  # the findings tab's own write, as its context.write publishes it
    with demo_workspace.reading() as session:
        actions = list_actions(session)
    assert len(actions) == before + 1
    assert any(a.title == "Audit follow-up of missed health appointments" for a in actions)


def test_glossary_scan_accept_and_anonymised_export(
    view: ReviewView, demo_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    glossary = view.glossary
    assert glossary.terms.rowCount() >= 10
    glossary.real_text.setText("Larchfield Primary")
    glossary.replacement.setText("School 1")
    glossary.add()
    assert any(glossary.terms.item(r, 0).text() == "Larchfield Primary" for r in range(glossary.terms.rowCount()))
    glossary.run_scan()
    findings = glossary.findings
    out = tmp_path / "anon.csv"
    assert findings, "the demo keeps a phone number and a postcode for the scan to find"
    with pytest.raises(InvalidInput, match="identifying"):  # the window shows this error in a dialog
        view.export.export_to(out, "csv", anonymised=True)
    assert not out.exists()
    if findings:
        assert "to resolve" in glossary.scan_summary.text()
        glossary.accept_all()
        assert glossary.scan_table.item(0, 0).text().startswith("Accepted (Sam Okafor, 20")
        with demo_workspace.reading() as session:  # stored with who and when, not kept for this session only
            stored = [
                (d.kind, d.decision, d.decided_by, d.decided_at) for d in list_decisions(session, view.review_uuid)
            ]
        assert {(kind, decision) for kind, decision, _, _ in stored} >= {(f.kind, "accepted") for f in findings}
        assert all(who == "Sam Okafor" and when for _, _, who, when in stored)
        glossary.clear_scan()
        glossary.run_scan()  # a new scan (a later session) finds them decided
        assert glossary.scan_summary.text().endswith(", 0 to resolve or accept")
        view.people.run_scan()  # name-like words the register does not know are decided in People & names
        view.people.scan_table.selectAll()
        view.people.dismiss_selected()
        assert view.people.scan_table.rowCount() == 0
        view.export.export_to(out, "csv", anonymised=True)
    text = out.read_text(encoding="utf-8-sig")
    assert "Kerry Dawson" not in text and "Mother" in text
    monkeypatch.setattr(common, "choose_save_file", lambda *_a: (str(tmp_path / "chronology.pdf"), ""))
    view.export.format.setCurrentIndex(view.export.format.findData("pdf"))
    view.export.choose_export()
    assert (tmp_path / "chronology.pdf").read_bytes().startswith(b"%PDF")


def test_a_source_value_naming_someone_is_accepted_on_record_and_withdrawn(
    view: ReviewView, demo_workspace: Workspace, tmp_path: Path
) -> None:
    """Issue 10 audit: a source-of-information value that may name a person is a finding until decided,
    and the window's Accept is a decision stored with who and when (Withdraw takes it back)."""
    from app.chronology import service as svc
    from app.chronology.people import decide, decide_findings, name_suspects, undecided_findings

    with demo_workspace.unit_of_work() as uow:
        entry = svc.list_entries(uow.session, view.review_uuid)[0]
        svc.update_entry(uow, entry.uuid, source="Police log (PC Ashdown)")
        for suspect in name_suspects(uow.session, view.review_uuid):
            decide(uow, view.review_uuid, suspect.text)  # the name scan is the People tab's (tested there)
        decide_findings(
            uow,
            view.review_uuid,
            [f for f in undecided_findings(uow.session, view.review_uuid) if f.kind != "source-person"],
        )
    glossary = view.glossary
    glossary.run_scan()
    rows = [
        r
        for r in range(glossary.scan_table.rowCount())
        if glossary.scan_table.item(r, 1).text() == "source/present person"
    ]
    assert [glossary.scan_table.item(r, 2).text() for r in rows] == ["Police log (PC Ashdown)"]
    assert glossary.scan_table.item(rows[0], 0).text() == "To resolve"
    out = tmp_path / "anon.csv"
    with pytest.raises(InvalidInput, match="source/present person 'Police log \\(PC Ashdown\\)'"):
        view.export.export_to(out, "csv", anonymised=True)  # an export calling itself anonymised waits
    assert not out.exists()
    glossary.scan_table.selectRow(rows[0])
    glossary.accept_selected()
    assert glossary.scan_table.item(rows[0], 0).text().startswith("Accepted (Sam Okafor, 20")
    view.export.export_to(out, "csv", anonymised=True)
    assert out.exists()
    glossary.scan_table.selectRow(rows[0])
    glossary.withdraw()
    assert glossary.scan_table.item(rows[0], 0).text() == "To resolve"
    with demo_workspace.reading() as session:
        assert [f.matched for f in undecided_findings(session, view.review_uuid)] == ["Police log (PC Ashdown)"]
    with demo_workspace.unit_of_work() as uow:  # decided elsewhere (the command line, a colleague's bundle)
        decide(uow, view.review_uuid, "police log (pc ashdown)", "not-identifying", kind="source-person")
    view.on_changes(uow.changes)
    assert glossary.scan_table.item(rows[0], 0).text().startswith("Not identifying (Sam Okafor, 20")


def test_timeline_draws_and_saves(view: ReviewView, tmp_path: Path) -> None:
    view.tabs.setCurrentWidget(view.timeline)
    axes = view.timeline.figure.axes
    assert axes and len(axes[0].get_yticklabels()) == 6  # six agencies in swim lanes
    view.timeline.save_to(tmp_path / "timeline.svg", "svg")
    view.timeline.save_to(tmp_path / "timeline.png", "png")
    assert (tmp_path / "timeline.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert (tmp_path / "timeline.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# -- unsaved edits in the findings, recommendations and episodes editors ---------------------------------------


def _finding_titles(workspace: Workspace, review: str) -> list[str]:
    with workspace.reading() as session:
        return [f.title for f in list_findings(session, review)]


def _edit_first_finding(view: ReviewView, qtbot: QtBot, typed: str) -> str:
    findings = view.findings
    view.tabs.setCurrentWidget(findings)
    findings.findings.setFocus()
    qtbot.keyClick(findings.findings, Qt.Key.Key_Home)  # the first finding
    assert findings.findings.currentRow() == 0
    before = findings.finding_title.text()
    findings.finding_title.setFocus()
    qtbot.keyClick(findings.finding_title, Qt.Key.Key_End)
    qtbot.keyClicks(findings.finding_title, typed)
    findings.findings.setFocus()
    return before


def test_finding_left_with_edits_save_discard_cancel(
    view: ReviewView, qtbot: QtBot, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    findings, review = view.findings, view.review_uuid
    before = _edit_first_finding(view, qtbot, " (kept?)")
    asked = answer_save_question(monkeypatch, QMessageBox.StandardButton.Cancel)
    qtbot.keyClick(findings.findings, Qt.Key.Key_Down)
    assert asked == ["Save changes to finding 1?"]
    assert findings.findings.currentRow() == 0 and [i.text() for i in findings.findings.selectedItems()] == [
        findings.findings.item(0).text()
    ]
    assert findings.finding_title.text() == before + " (kept?)"
    assert _finding_titles(demo_workspace, review)[0] == before
    asked = answer_save_question(monkeypatch, QMessageBox.StandardButton.Discard)
    qtbot.keyClick(findings.findings, Qt.Key.Key_Down)
    assert len(asked) == 1 and findings.findings.currentRow() == 1
    assert _finding_titles(demo_workspace, review)[0] == before
    qtbot.keyClick(findings.findings, Qt.Key.Key_Up)  # back: the stored title, nothing asked
    assert findings.finding_title.text() == before and len(asked) == 1
    qtbot.keyClicks(findings.finding_title, " (saved)")
    asked = answer_save_question(monkeypatch, QMessageBox.StandardButton.Save)
    qtbot.keyClick(findings.findings, Qt.Key.Key_Down)
    assert asked == ["Save changes to finding 1?"]
    assert _finding_titles(demo_workspace, review)[0] == before + " (saved)"
    assert findings.findings.currentRow() == 1
    with demo_workspace.reading() as session:
        assert findings.finding_title.text() == list_findings(session, review)[1].title
    qtbot.keyClick(findings.findings, Qt.Key.Key_Down)  # nothing typed since: no question
    assert len(asked) == 1 and findings.findings.currentRow() == 2


def test_recommendation_and_episode_left_with_edits(
    view: ReviewView, qtbot: QtBot, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    findings, review = view.findings, view.review_uuid
    view.tabs.setCurrentWidget(findings)
    asked = answer_save_question(monkeypatch, QMessageBox.StandardButton.Save)
    findings.recommendations.setFocus()
    qtbot.keyClick(findings.recommendations, Qt.Key.Key_Home)
    qtbot.keyClick(findings.recommendations, Qt.Key.Key_Down)  # unchanged: no question
    assert asked == [] and findings.recommendations.currentRow() == 1
    qtbot.keyClick(findings.recommendation_text, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(findings.recommendation_text, " Reviewed yearly.")
    qtbot.keyClick(findings.recommendations, Qt.Key.Key_Down)
    assert asked == ["Save changes to recommendation 2?"] and findings.recommendations.currentRow() == 2
    with demo_workspace.reading() as session:
        assert list_recommendations(session, review)[1].text.endswith("Reviewed yearly.")

    episodes = view.episodes
    view.tabs.setCurrentWidget(episodes)
    episodes.episodes.setFocus()
    qtbot.keyClick(episodes.episodes, Qt.Key.Key_Home)
    with demo_workspace.reading() as session:
        stored = list_episodes(session, review)[0].title
    qtbot.keyClick(episodes.title, Qt.Key.Key_End)
    qtbot.keyClicks(episodes.title, " (draft)")
    asked = answer_save_question(monkeypatch, QMessageBox.StandardButton.Cancel)
    qtbot.keyClick(episodes.episodes, Qt.Key.Key_Down)
    assert asked == ["Save changes to key practice episode 1?"]
    assert episodes.episodes.currentRow() == 0 and episodes.title.text() == stored + " (draft)"
    episodes.new()  # New leaves the episode too: Cancel keeps it
    assert len(asked) == 2 and episodes.title.text() == stored + " (draft)"
    monkeypatch.setattr(messages, "confirm", lambda *_a: True)  # "Link these entries…?" answered yes
    episodes.link_selected()  # a reload after another change keeps what is typed, asks nothing
    assert len(asked) == 2 and episodes.title.text() == stored + " (draft)"
    asked = answer_save_question(monkeypatch, QMessageBox.StandardButton.Discard)
    qtbot.keyClick(episodes.episodes, Qt.Key.Key_Down)
    assert len(asked) == 1 and episodes.episodes.currentRow() == 1
    with demo_workspace.reading() as session:
        assert list_episodes(session, review)[0].title == stored
    # the Save button: the reload after it asks nothing
    qtbot.keyClicks(episodes.title, "!")
    episodes.save()
    qtbot.keyClick(episodes.episodes, Qt.Key.Key_Down)
    assert len(asked) == 1 and episodes.episodes.currentRow() == 2


def test_findings_and_recommendations_open_on_their_first_and_keep_a_new_one_through_a_reload(
    view: ReviewView, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As the episodes and every list and form: the first of each selected and in its form (both forms
    were empty beside four findings and five recommendations)."""
    findings, review = view.findings, view.review_uuid
    with demo_workspace.reading() as session:
        finding, recommendation = list_findings(session, review)[0], list_recommendations(session, review)[0]
        first_finding, first_recommendation = (finding.uuid, finding.title), (recommendation.uuid, recommendation.text)
    assert findings.findings.currentRow() == 0 and findings.findings.item(0).isSelected()
    assert (findings.finding_guard.saving_over(), findings.finding_title.text()) == first_finding
    assert findings.recommendations.currentRow() == 0 and findings.recommendations.item(0).isSelected()
    shown = (findings.recommendation_guard.saving_over(), findings.recommendation_text.toPlainText())
    assert shown == first_recommendation
    findings.new_finding()
    findings.reload()  # a change elsewhere in the review: the new finding's empty form stays
    assert findings.finding_title.text() == "" and findings.finding_guard.saving_over() is None
    assert findings.findings.currentItem() is None
    monkeypatch.setattr(messages, "confirm", lambda *_a: True)
    findings.delete_recommendation()  # the recommendation shown goes: the first one left is shown
    with demo_workspace.reading() as session:
        recommendation = list_recommendations(session, review)[0]
        left = (recommendation.uuid, recommendation.text)
    assert left != first_recommendation and findings.recommendations.currentRow() == 0
    shown = (findings.recommendation_guard.saving_over(), findings.recommendation_text.toPlainText())
    assert shown == left


def test_a_new_finding_and_recommendation_stay_shown_once_saved(view: ReviewView) -> None:
    findings = view.findings
    findings.new_finding()
    findings.finding_title.setText("Health visiting did not follow up missed contacts")
    assert findings.save_finding()
    assert findings.findings.currentItem().text().endswith(": Health visiting did not follow up missed contacts")
    assert findings.finding_title.text() == "Health visiting did not follow up missed contacts"
    findings.new_recommendation()
    findings.recommendation_text.setPlainText("The partnership audits follow-up of missed health contacts.")
    assert findings.save_recommendation()
    shown = findings.recommendations.currentItem().text()
    assert shown.endswith(": The partnership audits follow-up of missed health contacts.")
    assert findings.recommendation_text.toPlainText() == "The partnership audits follow-up of missed health contacts."


def test_closing_the_review_drops_analysis_edits_without_asking(
    view: ReviewView, qtbot: QtBot, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    review = view.review_uuid
    before = _edit_first_finding(view, qtbot, " (typed before the lock)")
    asked = answer_save_question(monkeypatch, QMessageBox.StandardButton.Save)
    page = view.parent()
    while page is not None and not isinstance(page, ReviewsPage):
        page = page.parent()
    assert isinstance(page, ReviewsPage)
    page.shutdown()  # what locking the workspace does to the page
    qtbot.wait(10)
    assert asked == []
    assert _finding_titles(demo_workspace, review)[0] == before


def test_deleting_a_term_asks_and_declining_keeps_it(view: ReviewView, monkeypatch: pytest.MonkeyPatch) -> None:
    glossary = view.glossary
    count = glossary.terms.rowCount()
    glossary.terms.setCurrentCell(0, 0)
    term = glossary.terms.item(0, 0).text()
    asked: list[str] = []
    monkeypatch.setattr(messages, "confirm", lambda _p, _t, text, _a: asked.append(text) or False)
    glossary.delete()
    assert asked and term in asked[0] and glossary.terms.rowCount() == count
    monkeypatch.setattr(messages, "confirm", lambda *_a: True)
    glossary.delete()
    assert glossary.terms.rowCount() == count - 1
    assert term not in {glossary.terms.item(r, 0).text() for r in range(glossary.terms.rowCount())}


@pytest.mark.parametrize("answer", ["Save", "Discard", "Cancel"])
def test_back_to_the_register_asks_about_the_finding_typed(
    qtbot: QtBot, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch, answer: str
) -> None:
    """Alt+Left (and opening another review) closed the review without a word, the finding typed gone with it."""
    page = area_page(qtbot, demo_workspace, ReviewsPage)[0]
    view = open_largest_review(page, demo_workspace)
    try:
        view.tabs.setCurrentWidget(view.findings)
        view.findings.findings.setCurrentRow(0)
        finding = view.findings.finding_guard.editing
        view.findings.finding_title.setFocus()
        qtbot.keyClicks(view.findings.finding_title, " Typed here")
        asked = answer_save_question(monkeypatch, getattr(QMessageBox.StandardButton, answer))
        qtbot.keyClick(view.findings.finding_title, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
        assert asked == ["Save changes to finding 1?"]
        with demo_workspace.reading() as session:
            titles = {f.uuid: f.title for f in list_findings(session, view.review_uuid)}
        assert titles[finding].endswith(" Typed here") == (answer == "Save")
        if answer == "Cancel":  # still in the review, the typing kept
            assert page.review is view and page.stack.currentWidget() is view
            assert view.findings.finding_title.text().endswith(" Typed here") and view.findings.finding_guard.dirty()
        else:
            assert page.review is None and page.stack.currentIndex() == 0
    finally:
        page.shutdown()


def test_a_draft_of_another_review_is_not_put_into_the_review_kept_open(
    qtbot: QtBot, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening the draft's review asks about the typing in the review open; on Cancel that review stays, and
    the draft must not land in it (its finding would take another review's values)."""
    from dataclasses import replace

    from app.reviews.register import list_reviews

    page = area_page(qtbot, demo_workspace, ReviewsPage)[0]
    view = open_largest_review(page, demo_workspace)
    try:
        with demo_workspace.reading() as session:
            other = next(r.uuid for r in list_reviews(session) if r.uuid != view.review_uuid)
        view.tabs.setCurrentWidget(view.findings)
        view.findings.findings.setCurrentRow(0)
        view.findings.finding_title.setFocus()
        qtbot.keyClicks(view.findings.finding_title, " Typed here")
        draft = view.findings.finding_guard.draft()
        assert draft is not None
        elsewhere = replace(draft, scope={**draft.scope, "review": other}, values=["From the other review"] * 8)
        asked = answer_save_question(monkeypatch, QMessageBox.StandardButton.Cancel)
        assert page.restore_draft(elsewhere) is False
        assert asked == ["Save changes to finding 1?"] and page.review is view
        assert view.findings.finding_title.text().endswith(" Typed here")
    finally:
        page.shutdown()

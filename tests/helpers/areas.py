"""An area context that runs background work at once, so a page can be driven without a window."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from app.records import ChangeSet
from app.store.workspace import Workspace
from ui.areas.base import AreaContext
from ui.kit import edit_guard
from ui.operations import Progress

P = TypeVar("P", bound=QWidget)
Runner = Callable[[str, Callable[[Any], Any], Any, bool], None]


def immediate_context(
    workspace: Workspace,
    window: QWidget,
    pages: list[Any],
    *,
    published: list[ChangeSet] | None = None,
    runner: Runner | None = None,
    statuses: list[str] | None = None,
    later: bool = False,
    show_status: Callable[[str], None] | None = None,
) -> tuple[AreaContext, list[str]]:
    """Runs work synchronously and delivers change sets to `pages` (filled by the caller) as the
    main window does: through `AreaPage.deliver`, so a hidden page keeps them for when it is shown,
    the initiator is set while the page handles them and what is typed survives the reload.

    `published` collects every change set and `statuses` the status-bar texts (or `show_status`
    receives them); `runner` replaces the synchronous runner (for tests that watch progress or
    cancel). `later`: each work runs on the next turn of the event loop, after the call that asked
    for it has returned, as the app's worker runs it (so its change set arrives while the page is
    still delivering its own).
    """
    statuses = [] if statuses is None else statuses

    def publish(changes: ChangeSet, initiator: object | None = None) -> None:
        if published is not None:
            published.append(changes)
        if not changes:  # the window delivers nothing for an empty change set
            return
        for page in list(pages):
            page.deliver(changes, initiator)

    def run_now(_label: str, work: Callable[[Any], Any], on_done: Any, _cancellable: bool) -> None:
        result = work(Progress.unwatched())
        if isinstance(result, ChangeSet):
            publish(result)
        if on_done is not None:
            on_done(result)

    def run_later(label: str, work: Callable[[Any], Any], on_done: Any, cancellable: bool) -> None:
        QTimer.singleShot(0, lambda: run_now(label, work, on_done, cancellable))

    default = run_later if later else run_now
    status = show_status or statuses.append
    context = AreaContext(workspace, window, runner or default, publish, status, lambda _k: None)
    return context, statuses


def page_on(
    workspace: Workspace,
    window: QWidget,
    factory: Callable[[AreaContext], P],
    *,
    show_status: Callable[[str], None] | None = None,
    later: bool = False,
    published: list[ChangeSet] | None = None,
) -> tuple[P, list[str]]:
    """The page `factory` makes on an immediate_context of `window`, the only page change sets are
    delivered to (not shown yet); returns it and its status texts. `published` collects every
    change set it publishes."""
    pages: list[Any] = []
    context, statuses = immediate_context(
        workspace, window, pages, published=published, later=later, show_status=show_status
    )
    page = factory(context)
    pages.append(page)
    return page, statuses


def made_by_seen(monkeypatch: pytest.MonkeyPatch, page: Any, widget: object | None = None) -> list[bool]:
    """For each change set `page` handles from now on: whether its context said `widget` (default: the
    page) made it, as `context.made_by` answers while the page handles it."""
    seen: list[bool] = []
    handle = page.on_changes

    def watching(changes: ChangeSet) -> None:
        seen.append(page.context.made_by(page if widget is None else widget))
        handle(changes)

    monkeypatch.setattr(page, "on_changes", watching)
    return seen


def _answer(monkeypatch: pytest.MonkeyPatch, question: str, answer: Any) -> list[str]:
    """Answer `edit_guard.<question>` with `answer` whenever it is asked; returns the questions asked."""
    asked: list[str] = []

    def ask(_parent: Any, _title: str, text: str) -> Any:
        asked.append(text)
        return answer

    monkeypatch.setattr(edit_guard, question, ask)
    return asked


def answer_save_question(monkeypatch: pytest.MonkeyPatch, answer: Any) -> list[str]:
    """Answer the Save / Discard / Cancel question with `answer`; returns the questions asked."""
    return _answer(monkeypatch, "ask_save_changes", answer)


def draft_kept_while_asked(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, guard: Any, typed_in: QWidget, control: QWidget
) -> Any:
    """Types in `typed_in`, then Down on `control` (another quarter, framework...) while a lock comes during
    the question that asks about the typing (Ctrl+L and the idle lock work over it), answered Cancel: the draft
    that lock kept."""
    typed_in.setFocus()
    qtbot.keyClicks(typed_in, " Typed here")
    kept: list[Any] = []

    def locked_while_asking(*_args: Any) -> Any:
        kept.append(guard.draft())
        return edit_guard.Answer.Cancel

    monkeypatch.setattr(edit_guard, "ask_save_changes", locked_while_asking)
    control.setFocus()
    qtbot.keyClick(control, Qt.Key.Key_Down)
    assert len(kept) == 1, "one question, one draft"
    return kept[0]


def answer_discard_question(monkeypatch: pytest.MonkeyPatch, discard: bool) -> list[str]:
    """Answer the "discard what you typed?" question that Esc in a dialog asks; returns the questions."""
    return _answer(monkeypatch, "ask_discard", discard)


def area_page(
    qtbot: Any,
    workspace: Workspace,
    factory: Callable[[AreaContext], P],
    *,
    size: tuple[int, int] | None = None,
    active: bool = False,
    later: bool = False,
    published: list[ChangeSet] | None = None,
) -> tuple[P, list[str]]:
    """One area page (of `size` if given), shown, on a context that runs work at once (or `later`, as
    immediate_context says); returns it and its status texts. `active`: wait until it is the active
    window (focus and shortcut tests); `published` collects every change set the page publishes."""
    window = QWidget()
    qtbot.addWidget(window)
    page, statuses = page_on(workspace, window, factory, later=later, published=published)
    qtbot.addWidget(page)
    if size is not None:
        page.resize(*size)
    page.show()
    if active:
        qtbot.waitExposed(page)
        page.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is page)
    return page, statuses


def return_csv(path: Path) -> Path:
    """A health visiting return with the mistakes agencies make: a month-first date, no source, a formula."""
    path.write_text(
        "Ref,Date of contact,Time,Who recorded,Details of event,Outcome / action taken,Notes\n"
        "1,22/05/2016,09:30,HV1 diary,Home visit; Mother and Child B present,Advice given,x\n"
        "2,May 2016,,HV record,Telephone call with Mother,Appointment booked,\n"
        "3,05/22/2016,,HV record,Month-first date that must not be guessed,,\n"
        "4,c. 2016,,,Missing source,,\n"
        '5,22.06.16,,HV1 diary,=HYPERLINK("x"),Formula-looking text,\n',
        encoding="utf-8",
    )
    return path


def largest_review(workspace: Workspace) -> str:
    """The uuid of the review with the most chronology entries (the demo's worked example)."""
    from app.chronology.service import list_entries
    from app.reviews.register import list_reviews

    with workspace.reading() as session:
        return max(list_reviews(session), key=lambda r: len(list_entries(session, r.uuid))).uuid


def open_largest_review(page: Any, workspace: Workspace) -> Any:
    """Open the largest review on a reviews page, as a user double-clicking it would; its ReviewView."""
    page.open_review(largest_review(workspace))
    assert page.review is not None
    return page.review


def performance_page(workspace: Workspace, window: QWidget, show_status: Callable[[str], None]) -> Any:
    """The performance page over `workspace` (not shown yet), on the same synchronous context as area_page."""
    from ui.areas.performance import PerformancePage

    return page_on(workspace, window, PerformancePage, show_status=show_status)[0]


def figure_returns_chosen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], Path]:
    """Two figures returns: bad.csv (text in a number cell) and good.csv. The file dialog answers
    with chosen[0], bad.csv until the test puts good.csv there."""
    from ui.kit import files

    bad = tmp_path / "bad.csv"
    bad.write_text("Agency,Code,Period,Value\nHousing,EH-ASSESS,2026Q3,twelve\n", encoding="utf-8")
    good = tmp_path / "good.csv"
    good.write_text("Agency,Code,Period,Value\nHousing,EH-ASSESS,2026Q3,12\n", encoding="utf-8")
    chosen = [str(bad)]
    monkeypatch.setattr(files, "choose_open_file", lambda *_a: (chosen[0], ""))
    return chosen, good


def action_from_new_recommendation(findings: Any, wording: str, marker: str) -> tuple[Any, int]:
    """Save a new recommendation worded `wording` in a review's findings tab, select it (the row
    showing `marker`) and ask to create an action from it; the action dialog and that row."""
    findings.new_recommendation()
    findings.recommendation_text.setPlainText(wording)
    findings.save_recommendation()
    row = next(r for r in range(findings.recommendations.count()) if marker in findings.recommendations.item(r).text())
    findings.recommendations.setCurrentRow(row)
    findings.create_action()
    return findings.dialog, row


def select_agency(page: Any, text: str) -> None:
    """On the Section 11 register, this year's cycle (newest first) and the agency whose name holds `text`."""
    page.cycles.selectRow(0)
    row = next(n for n, r in enumerate(page.register_model.rows) if text in r.agency)
    page.agencies.setFocus()
    page.agencies.selectRow(row)


def agency_letter_tab(qtbot: Any, workspace: Workspace, agency: str) -> tuple[Any, Any]:
    """The Section 11 page and the agency's view (opened by Enter from the register) on its letter tab."""
    from ui.areas.section11 import Section11Page

    page = area_page(qtbot, workspace, Section11Page, size=(1200, 760), active=True)[0]
    select_agency(page, agency)
    qtbot.keyClick(page.agencies, Qt.Key.Key_Return)
    view = page.agency_view
    assert view is not None and view.letter is not None
    view.tabs.setCurrentWidget(view.letter)
    return page, view

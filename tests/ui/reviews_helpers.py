"""Shared helpers of the reviews GUI tests: an area context that runs work at once, and answers to the
Save / Discard / Cancel question."""
from __future__ import annotations

from typing import Any, Callable

import pytest
from PySide6.QtWidgets import QWidget

from app.records import ChangeSet
from app.store.workspace import Workspace
from ui.areas.base import AreaContext
from ui.kit import edit_guard


def immediate_context(workspace: Workspace, window: QWidget, pages: list[Any]) -> tuple[AreaContext, list[str]]:
    """Runs background work synchronously and publishes change sets to `pages` (filled by the caller)."""
    statuses: list[str] = []

    def publish(changes: ChangeSet, initiator: object | None = None) -> None:
        context.initiator = initiator
        try:
            for page in pages:
                page.on_changes(changes)
        finally:
            context.initiator = None

    def runner(_label: str, work: Callable[[Any], Any], on_done: Any, _cancellable: bool) -> None:
        result = work(None)
        if isinstance(result, ChangeSet):
            publish(result)
        if on_done is not None:
            on_done(result)

    context = AreaContext(workspace, window, runner, publish, statuses.append, lambda _k: None)
    return context, statuses


def answer_save_question(monkeypatch: pytest.MonkeyPatch, answer: Any) -> list[str]:
    """Answer the Save / Discard / Cancel question with ``answer``; returns the questions asked."""
    asked: list[str] = []

    def ask(_parent: Any, _title: str, text: str) -> Any:
        asked.append(text)
        return answer
    monkeypatch.setattr(edit_guard, "ask_save_changes", ask)
    return asked

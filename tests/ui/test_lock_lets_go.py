"""A lock lets go of every page: no Python object of a page, panel or model outlives its widget.

The pages' Python side holds what they showed (rows, names, figures). Destroying the widgets at a lock
is not enough if something still refers to the Python objects: a finished background operation, left
under the window with the callback of the page that asked for it, kept every such page for the
rest of the session.
"""

from __future__ import annotations

import gc
import weakref

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

from app.store.workspace import Workspace
from tests.helpers.shell import wait_for_idle
from ui.main_window import MainWindow
from ui.operations import Operation


def _kept(watched: list[weakref.ref[QObject]]) -> list[str]:
    """Which of the watched Python objects are still alive once deferred deletes ran and garbage is collected."""
    for _ in range(3):
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QApplication.processEvents()
        gc.collect()
    return sorted(type(obj).__qualname__ for ref in watched if (obj := ref()) is not None)


def test_after_a_lock_no_page_of_the_session_is_kept(window: MainWindow, demo_workspace: Workspace) -> None:
    window._on_unlocked(demo_workspace)
    for spec in window.areas:  # each area loads in the background, as when the member goes through them
        window.show_area(spec.key)
        wait_for_idle()
        QApplication.processEvents()
    pages = list(window.pages.values())
    assert "PerformancePage" in {type(page).__qualname__ for page in pages}  # a page the old code kept
    # the pages and every part of them our code gave state of its own (panels, models, forms)
    watched = [
        weakref.ref(obj)
        for page in pages
        for obj in (page, *page.findChildren(QObject))
        if getattr(obj, "__dict__", None)
    ]
    del pages

    window.lock()
    wait_for_idle()

    assert _kept(watched) == []
    assert window.findChildren(Operation) == []  # finished operations go too

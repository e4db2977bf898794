"""The main window: navigation between areas, menus, toolbar, status bar, locking."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.errors import WorkbenchError
from app.store.names import is_workspace
from app.text import count_of
from app.version import __version__
from ui import keyboard, settings
from ui.idle import IdleWatcher
from ui.kit.announce import STATUS_MS, announce
from ui.kit.controls import MENU_ONLY, first_focusable, text_label
from ui.lock_screen import LockScreen
from ui.messages import file_error_text, show_error, show_info
from ui.operations import Operation, Progress
from ui.widgets import CLASSIFICATION, FRAME_ALLOWANCE, ClassificationBanner

# Start-up (issue 14): everything below is imported when first used, not to show the lock
# screen: the database stack (SQLAlchemy, SQLCipher), the area pages with their libraries
# (matplotlib, openpyxl, reportlab...) and the dialogs. ui/warmup.py imports them in the
# background after the first paint; tests/ui/test_startup.py keeps it so.
if TYPE_CHECKING:
    from app.records import ChangeSet
    from app.store.workspace import Workspace
    from ui.areas.base import AreaContext, AreaPage, AreaSpec
    from ui.kit.edit_guard import Draft

APP_TITLE = "Safeguarding Workbench"


class AreaPages(dict):  # dict[str, AreaPage]
    """The pages built so far, by area key; a page is built the first time it is asked for.

    Unlocking builds only the page shown first; the others (and their models, queries and
    libraries) wait until the member goes there. `values()` is what exists, so change sets
    go only to built pages: a page built later loads fresh data anyway.
    """

    def __init__(self, build: Callable[[str], AreaPage]) -> None:
        super().__init__()
        self._build = build

    def __missing__(self, key: str) -> AreaPage:
        page = self._build(key)
        self[key] = page
        return page


def about_text(areas: list[AreaSpec]) -> str:
    """What this build offers, from the areas it actually has: the About box claims nothing else."""
    rows = "".join(f"<li><b>{escape(spec.title)}</b>: {escape(spec.description or spec.title)}</li>" for spec in areas)
    return (
        f"<h3>{APP_TITLE} {__version__}</h3>"
        "<p>An offline workbench for a safeguarding children partnership. This version has:</p>"
        f"<ul>{rows}</ul>"
        "<p>The workspace is one encrypted database (SQLCipher, key from your passphrase with Argon2id) "
        f"with encrypted restore points. Handle what you export as {CLASSIFICATION}.</p>"
    )


class LockKeyFilter(QObject):
    """Ctrl+L pressed in another window of the app (a form, interview mode) locks the workspace."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window_ = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_L
            and event.modifiers() == Qt.KeyboardModifier.ControlModifier
            and isinstance(watched, QWidget)
            and watched.window() is not self.window_
            and self.window_.workspace is not None
        ):
            self.window_.lock()
            return True
        return False


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        # Qt adds " — Safeguarding Workbench" (the application display name) on X11 and Windows
        self.setWindowTitle(CLASSIFICATION)
        self.setAccessibleName(APP_TITLE)
        self.workspace: Workspace | None = None
        self.workspace_path: Path | None = None
        self._area_actions: list[QAction] = []
        app = QApplication.instance()
        assert app is not None, "the window is made after the application"
        keyboard.install(app)
        self._areas: list[AreaSpec] | None = None  # discovered when first needed (see `areas`)
        self.pages = AreaPages(self._build_page)
        self._context: AreaContext | None = None
        self._backup_due: Workspace | None = None  # unlocked through the dialog, backup not made yet
        self._operations: list[Operation] = []
        self._not_put_back: tuple[QMessageBox, list[Draft]] | None = None  # drafts shown to copy, not yet read
        #: pages Ctrl+1..9 has already focused: a first visit goes to the page's list, later ones back
        #: to where the user was (a page's own focusWidget() is also set by its construction)
        self._focused_pages: set[int] = set()
        self._area_at_lock: tuple[Path, str] | None = None  # where the member was: back there after unlocking
        self._dialog: Any = None
        #: pages built while locked, holding no data, for the next unlock to fill (`build_pages_ahead`)
        self._pages_ahead: dict[str, AreaPage] = {}
        self._builds_ahead = False

        self.lock_screen = LockScreen()
        self.lock_screen.unlock_requested.connect(self.unlock)
        self.lock_screen.open_requested.connect(self.choose_workspace)
        self.lock_screen.create_requested.connect(self.create_workspace)
        self.lock_screen.demo_requested.connect(self.try_demo)
        self.lock_screen.recent_chosen.connect(lambda p: self.open_workspace(Path(p)))

        self.nav = QListWidget()
        self.nav.setAccessibleName("Areas")
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setStyleSheet("QListWidget { font-size: 14px; } QListWidget::item { padding: 6px 8px; }")
        self.nav.currentRowChanged.connect(self._show_area_row)
        # Enter on an area goes into it, as Ctrl+1..9 does: its shortcuts (Ctrl+N...) live inside the page
        self.nav.itemActivated.connect(lambda item: self.go_to_area(item.data(Qt.ItemDataRole.UserRole)))
        self.area_stack = QStackedWidget()
        self.work_view = QWidget()
        work_layout = QHBoxLayout(self.work_view)
        work_layout.setContentsMargins(0, 0, 0, 0)
        work_layout.addWidget(self.nav)
        work_layout.addWidget(self.area_stack, 1)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.lock_screen)
        self.stack.addWidget(self.work_view)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(ClassificationBanner())
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._build_actions()
        self._build_status_bar()
        self.idle = IdleWatcher(settings.IDLE_LOCK_MINUTES.get() * 60_000, self)
        self.idle.idle.connect(lambda: self.lock(reason="Locked after a period of inactivity."))
        self._restore_geometry()
        self._show_locked()

    # -- construction ----------------------------------------------------------

    def _action(
        self, text: str, slot: Callable[[], Any], shortcut: str | QKeySequence.StandardKey | None = None, tip: str = ""
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setToolTip(tip or text.replace("&", "").replace("…", ""))
        action.setStatusTip(action.toolTip())
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _build_actions(self) -> None:
        # no Ctrl+N: a workspace is made once, and Ctrl+N makes new records inside views
        self.new_action = self._action("&New workspace…", self.create_workspace)
        self.open_action = self._action("&Open workspace…", self.choose_workspace, QKeySequence.StandardKey.Open)
        self.lock_action = self._action("&Lock", self.lock, "Ctrl+L", "Lock the workspace (Ctrl+L)")
        # Ctrl+L locks from any window of the app, a modal form included (its modality would block
        # the window's own shortcut): the application-wide filter below sees the key first
        self._lock_key = LockKeyFilter(self)
        application = QApplication.instance()
        assert application is not None, "the window is made inside a running application"
        application.installEventFilter(self._lock_key)
        self.passphrase_action = self._action("Change &passphrase…", self.change_passphrase)
        self.restore_action = self._action("&Restore from backup…", self.restore_backup)
        self.preferences_action = self._action("Pre&ferences…", self.preferences, QKeySequence.StandardKey.Preferences)
        self.quit_action = self._action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.about_action = self._action("&About Safeguarding Workbench", self.about)
        self.shortcuts_action = self._action("&Keyboard shortcuts", self.show_shortcuts, "F1")

        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        file_menu.addActions([self.new_action, self.open_action])
        self.recent_menu = file_menu.addMenu("Open re&cent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        file_menu.addActions([self.lock_action, self.passphrase_action, self.restore_action])
        file_menu.addSeparator()
        file_menu.addActions([self.preferences_action, self.quit_action])
        self.go_menu = menu.addMenu("&Go")
        self.area_menu = menu.addMenu("&Area")
        help_menu = menu.addMenu("&Help")
        help_menu.addActions([self.shortcuts_action, self.about_action])

        self.go_actions: dict[str, QAction] = {}  # filled by `areas` when they are first discovered

        self.toolbar = QToolBar("Main")
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setAccessibleName("Main toolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toolbar.addAction(self.lock_action)
        self.toolbar.addSeparator()
        self.area_toolbar = QToolBar("Area")
        self.area_toolbar.setObjectName("areaToolbar")
        self.area_toolbar.setAccessibleName("Area toolbar")
        self.area_toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(self.toolbar)
        self.addToolBar(self.area_toolbar)

    @property
    def areas(self) -> list[AreaSpec]:
        """The areas (ui/areas/*), discovered on first use: importing them is most of start-up."""
        if self._areas is None:
            from ui import warmup
            from ui.areas import discover_areas

            warmup.wait()  # a background warm-up may be importing the same modules
            self._areas = discover_areas()
            for number, spec in enumerate(self._areas, start=1):
                shortcut = f"Ctrl+{number}" if number <= 9 else None
                action = self._action(
                    spec.title, partial(self.go_to_area, spec.key), shortcut, spec.description or spec.title
                )
                action.setEnabled(self.workspace is not None)
                self.go_menu.addAction(action)
                self.go_actions[spec.key] = action
        return self._areas

    def _build_status_bar(self) -> None:
        self.workspace_label = text_label("Workspace")
        self.member_label = text_label("Member")
        self.lock_label = text_label("Lock state")
        self.area_status_label = text_label("Area status")
        marking = QLabel(f" {CLASSIFICATION} ")
        marking.setStyleSheet("QLabel { background: #7a0019; color: white; font-weight: bold; }")
        marking.setAccessibleName("Security classification")
        bar = self.statusBar()
        for widget in (self.workspace_label, self.member_label, self.area_status_label, self.lock_label, marking):
            bar.addPermanentWidget(widget)
        bar.messageChanged.connect(self._make_room_for_message)

    def _make_room_for_message(self, message: str) -> None:
        """A result message gets the width the workspace, member and area labels take.

        Qt draws it only left of the permanent widgets, so at 1280 px a file path was cut
        off mid-word; the lock state and the marking stay, the rest return when it clears.
        """
        for label in (self.workspace_label, self.member_label):
            label.setVisible(not message)
        self._show_area_status_if_room()

    def _show_area_status_if_room(self) -> None:
        self.area_status_label.setVisible(bool(self.area_status_label.text()) and not self.statusBar().currentMessage())

    # -- workspace lifecycle ---------------------------------------------------

    def open_workspace(self, path: Path) -> None:
        """Point the window at a workspace and ask for its passphrase."""
        path = Path(path).expanduser().absolute()
        if not is_workspace(path):
            show_error(self, "Not a workspace", f"{path} is not a Safeguarding Workbench workspace.")
            return
        if self.workspace is not None:
            self.lock()
        self.workspace_path = path
        self._show_locked()
        self.unlock()

    def unlock(self) -> None:
        if self.workspace_path is None or self.workspace is not None:
            return
        from ui.dialogs.unlock import UnlockDialog

        dialog = UnlockDialog(self.workspace_path, self)
        dialog.unlocked.connect(self._on_unlocked)
        dialog.unlocked.connect(self._backup_in_background)
        self._dialog = dialog
        dialog.open()

    def choose_workspace(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Open workspace folder", str(Path.home()))
        if chosen:
            self.open_workspace(Path(chosen))

    def create_workspace(self) -> None:
        from ui.dialogs.create_workspace import CreateWorkspaceDialog

        dialog = CreateWorkspaceDialog(self)
        dialog.created.connect(self._on_created)
        self._dialog = dialog
        dialog.open()

    def try_demo(self) -> None:
        """First run: open the fictional demo workspace, creating it beside the default folder."""
        from ui.paths import default_workspace_dir

        folder = default_workspace_dir().with_name("Safeguarding Workbench demo")
        if is_workspace(folder):
            self.open_workspace(folder)
            return
        if folder.exists():
            show_error(self, "Demo", f"{folder} exists and is not a workspace; move it away to try the demo.")
            return

        def create(_progress: Progress) -> Workspace:
            from app.demo import create_demo

            return create_demo(folder)

        def created(workspace: Workspace) -> None:
            from app.demo import DEMO_PASSPHRASE

            self._on_created(workspace)
            show_info(
                self,
                "Demo workspace",
                f"The demo workspace is in {escape(str(folder))}.<br>Its passphrase is "
                f"<b>{DEMO_PASSPHRASE}</b>. Everything in it is fictional.",
            )

        self._run("Creating the demo workspace…", create, created, False)

    def _on_created(self, workspace: Workspace) -> None:
        if self.workspace is not None:
            self.lock()
        self.workspace_path = workspace.path
        self._on_unlocked(workspace)

    def _on_unlocked(self, workspace: Workspace) -> None:
        from app import timing

        timing.mark("unlock_handled")
        self.workspace = workspace
        self.workspace_path = workspace.path
        settings.remember_workspace(str(workspace.path))
        self._build_pages()
        self.stack.setCurrentWidget(self.work_view)
        self.idle.set_timeout(settings.IDLE_LOCK_MINUTES.get() * 60_000)
        self.idle.start()
        self._update_chrome(area_status=False)
        if self.nav.count():
            self.nav.setCurrentRow(0)
            self.nav.setFocus()
        if not self._offer_drafts():
            self._back_to_area_at_lock(workspace.path)
        # the areas' status texts (clocks, conflict counts) and the backup once the first page is up
        if self.isVisible():
            from ui.warmup import after_first_paint

            after_first_paint(self.area_stack.currentWidget() or self.work_view, self._after_first_page)
        else:
            QTimer.singleShot(0, self, self._after_first_page)

    def _after_first_page(self) -> None:
        if self.workspace is None:
            return
        self._update_area_status()
        if self._backup_due is self.workspace:
            self._start_backup(self.workspace)  # says what the unlock cleared when it is done
        elif self.workspace.leftovers:  # what the unlock cleared of an interrupted passphrase change or restore
            self.show_status(self.workspace.leftovers.summary())
        self._backup_due = None

    def _backup_in_background(self, workspace: Workspace) -> None:
        """The backup on unlock, made while the member starts working (issue 14: start fast).

        Unlocking already ran both integrity checks; when migrations were due the dialog's
        unlock made its backup before them, and none is needed here. It starts once the first
        page is painted (`_after_first_page`); locking waits for a running backup to finish.
        """
        if workspace.last_backup is None:
            self._backup_due = workspace

    def _start_backup(self, workspace: Workspace) -> None:
        from ui.operations import run_quietly

        keep = settings.BACKUPS_TO_KEEP.get()

        def done(path: Path) -> None:
            workspace.last_backup = path
            if self.workspace is workspace:
                for page in list(self.pages.values()):  # the pages built so far (.values builds none)
                    page.on_backed_up()
                cleared = f" · {workspace.leftovers.summary()}" if workspace.leftovers else ""
                self.show_status(f"Backed up on unlock{cleared}")  # short: the status bar keeps room for the rest

        def failed(error: BaseException) -> None:
            if self.workspace is workspace:  # after a lock there is nothing to report
                message = error.message if isinstance(error, WorkbenchError) else str(error)
                show_error(self, "Backup on unlock failed", message)

        run_quietly(self, lambda _p: workspace.backup("on unlock", keep), done, failed)

    def _keep_drafts(self) -> None:
        """Before the pages go: what every form held unsaved, kept encrypted in the workspace."""
        from app.store.drafts import keep_drafts
        from ui.kit.edit_guard import live_drafts

        assert self.workspace is not None
        drafts = live_drafts()
        if self._not_put_back is not None:  # shown after the last unlock, not yet read: offered again
            box, lost = self._not_put_back
            drafts += lost
            box.close()  # case text off the lock screen
        try:
            keep_drafts(self.workspace, [draft.to_json() for draft in drafts])
        except WorkbenchError as exc:  # the disk refused: say so on the lock screen rather than lose silently
            self._lock_note = f"Unsaved edits could not be kept: {exc.message}"
        else:
            self._lock_note = (
                f"Unsaved edits in {count_of(len(drafts), 'form')} were kept and will be back after unlocking."
                if drafts
                else ""
            )

    def _back_to_area_at_lock(self, path: Path) -> None:
        """Unlocking the same workspace again returns to the area it was locked in, not the overview."""
        at_lock, self._area_at_lock = self._area_at_lock, None
        if at_lock is not None and at_lock[0] == path and at_lock[1] != self._current_area():
            self.go_to_area(at_lock[1])

    def _current_area(self) -> str | None:
        item = self.nav.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def _offer_drafts(self) -> bool:
        """After unlock: back to the area, record and field of each kept draft, still unsaved; True if any."""
        from app.store.drafts import take_drafts
        from ui.kit.edit_guard import Draft

        assert self.workspace is not None
        try:
            kept = [Draft.from_json(data) for data in take_drafts(self.workspace)]
        except (WorkbenchError, KeyError, TypeError, ValueError):
            return False
        restored: list[Draft] = []
        lost: list[Draft] = []
        for draft in kept:
            if draft.area not in {spec.key for spec in self.areas}:
                continue
            page = self.pages[draft.area]
            self.show_area(draft.area)
            (restored if page.restore_draft(draft) else lost).append(draft)
        if restored:
            self.show_status("Your unsaved edits from before the lock are back: save them (Ctrl+S) or revert.")
        typed = "\n\n".join(text for draft in lost if (text := draft.typed_text()))
        if typed:  # the record went while the workspace was locked: the typing is shown, not dropped unsaid
            box = show_info(
                self,
                "Edits not put back",
                f"The edits in {count_of(len(lost), 'form')} kept at the lock could not be put back: the record "
                "typed on is no longer in the workspace. What was typed is under Show Details, to copy.",
            )
            box.setDetailedText(typed)
            # kept again if the workspace locks before the box is read (and closed, off the lock screen)
            self._not_put_back = (box, lost)
            box.finished.connect(lambda _result: self._read_not_put_back(box))
        return bool(restored)

    def _read_not_put_back(self, box: QMessageBox) -> None:
        if self._not_put_back is not None and self._not_put_back[0] is box:
            self._not_put_back = None

    def lock(self, reason: str = "") -> None:
        """Dispose the engine, forget the keys, destroy every page and model."""
        if self.workspace is None:
            return
        for operation in self._operations:
            operation.progress.cancel()
        self._keep_drafts()
        area = self._current_area()
        self._area_at_lock = (self.workspace.path, area) if area else None
        self._tear_down_pages()
        self.workspace.lock()
        self.workspace = None
        self._forget_dialog_workspace()
        self.idle.stop()
        self._show_locked(" ".join(part for part in (reason, self._lock_note) if part))
        if self._builds_ahead:  # a fresh, empty overview for the next unlock, once the lock screen is up
            QTimer.singleShot(0, self, self.build_pages_ahead)

    def _forget_dialog_workspace(self) -> None:
        """The unlock, create and passphrase dialogs keep the workspace they opened: let it go."""
        if self._dialog is not None and hasattr(self._dialog, "workspace"):
            self._dialog.workspace = None
        if self._dialog is not None and not self._dialog.isVisible():
            self._dialog = None

    def _show_locked(self, reason: str = "") -> None:
        self.lock_screen.show_state(self.workspace_path, reason)
        self.stack.setCurrentWidget(self.lock_screen)
        self._update_chrome()

    def _build_pages(self) -> None:
        """List the areas; their pages are built on first show (`AreaPages`)."""
        from ui.areas.base import AreaContext

        assert self.workspace is not None
        self._context = AreaContext(self.workspace, self, self._run, self.publish, self._write_status, self.show_area)
        for spec in self.areas:
            item = QListWidgetItem(spec.title)
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            item.setToolTip(spec.description)
            self.nav.addItem(item)
        # just wide enough for the longest area name: no name cut short, no width wasted
        self.nav.setFixedWidth(max(140, self.nav.sizeHintForColumn(0) + 2 * self.nav.frameWidth() + 8))

    def build_pages_ahead(self) -> None:
        """While locked, after the warm-up: build the widgets of the pages that offer it
        (`AreaSpec.built_ahead`, the overview) so that unlocking only fills them with data.

        They hold nothing of any workspace until `AreaPage.open_on`; a lock destroys the page that
        was filled, as every page, and builds an empty one again.
        """
        self._builds_ahead = True  # asked once (after the warm-up): again after every lock
        if self.workspace is not None:  # unlocked before the warm-up was done: after the lock
            return
        from ui import warmup
        from ui.areas import discover_areas

        warmup.wait()
        for spec in self._areas or discover_areas():
            if spec.built_ahead is not None and spec.key not in self._pages_ahead:
                page = spec.built_ahead()
                page.setParent(self)  # hidden, and destroyed with the window if never used
                page.hide()
                page.ensurePolished()  # the style's work on every child, done now rather than at unlock
                self._pages_ahead[spec.key] = page

    def _build_page(self, key: str) -> AreaPage:
        """Build one area's page (first show, a draft to restore, or a test asking for it), or fill the one
        built ahead of unlock."""
        from ui.areas.base import AreaPage

        spec = next((spec for spec in self.areas if spec.key == key), None)
        if spec is None or self._context is None:
            raise KeyError(key)
        ahead = self._pages_ahead.pop(key, None)
        try:
            if ahead is None:
                page = spec.factory(self._context)
            else:
                page = ahead
                page.open_on(self._context)
        except BaseException as exc:
            if ahead is not None:  # it may hold what it filled before failing: it goes, as a lock takes a page
                ahead.deleteLater()
            if not isinstance(exc, WorkbenchError):
                raise
            # the area cannot work here: say why, on its page and once in a dialog
            show_error(self, spec.title, exc.message)
            page = AreaPage(self._context)
            note = QLabel(exc.message, page)
            note.setWordWrap(True)
            QVBoxLayout(page).addWidget(note)
        page.setObjectName(f"area-{spec.key}")
        self.area_stack.addWidget(page)
        return page

    def _tear_down_pages(self) -> None:
        self.nav.blockSignals(True)
        self.nav.clear()
        self.nav.blockSignals(False)
        self._clear_area_actions()
        for page in self.pages.values():
            page.shutdown()
            self.area_stack.removeWidget(page)
            page.deleteLater()
        self.pages.clear()
        self._focused_pages.clear()
        self._context = None

    # -- areas -----------------------------------------------------------------

    def show_area(self, key: str) -> None:
        for row in range(self.nav.count()):
            if self.nav.item(row).data(Qt.ItemDataRole.UserRole) == key:
                self.nav.setCurrentRow(row)
                return

    def go_to_area(self, key: str) -> None:
        """Show an area and put the focus inside it (Ctrl+1..9), where its last focus was if any."""
        self.show_area(key)
        page = self.pages.get(key)
        if page is None:
            return
        first_visit = id(page) not in self._focused_pages
        self._focused_pages.add(id(page))
        remembered = None if first_visit else page.focusWidget()
        if remembered is None or not (remembered.isVisible() and remembered.isEnabled()):
            remembered = page.main_view() if hasattr(page, "main_view") else None
        if remembered is not None and remembered.isVisible() and remembered.isEnabled():
            remembered.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return
        widget = first_focusable(page)
        if widget is not None:
            widget.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def current_page(self) -> AreaPage | None:
        from ui.areas.base import AreaPage

        widget = self.area_stack.currentWidget()
        return widget if isinstance(widget, AreaPage) else None

    def _show_area_row(self, row: int) -> None:
        if row < 0:
            return
        key = self.nav.item(row).data(Qt.ItemDataRole.UserRole)
        page = self.pages[key]
        self.area_stack.setCurrentWidget(page)
        page.catch_up()
        self._clear_area_actions()
        actions = page.area_actions()
        self.area_menu.setEnabled(bool(actions))
        for action in actions:
            if not action.property(MENU_ONLY):
                self.area_toolbar.addAction(action)
            self.area_menu.addAction(action)
            self.addAction(action)  # shortcuts work wherever focus is in the window
        self._area_actions = actions

    def _clear_area_actions(self) -> None:
        """Withdraw the previous area's actions, so its shortcuts cannot clash with the next one's."""
        for action in self._area_actions:
            self.removeAction(action)
        self._area_actions = []
        self.area_toolbar.clear()
        self.area_menu.clear()

    def publish(self, changes: ChangeSet, initiator: object | None = None) -> None:
        if not changes:
            return
        for page in list(self.pages.values()):
            page.deliver(changes, initiator)
        self._update_area_status()

    def show_status(self, text: str) -> None:
        """A result in the status bar, read out by screen readers too."""
        announce(self.statusBar(), text)

    def _write_status(self, text: str) -> None:
        """The status bar alone: AreaContext.show_status announces what a page reports."""
        self.statusBar().showMessage(text, STATUS_MS)

    def _run(
        self, label: str, work: Callable[[Progress], Any], on_done: Callable[[Any], None] | None, cancellable: bool
    ) -> None:
        started_on = self.workspace

        def done(result: Any) -> None:
            from app.records import ChangeSet

            if started_on is not None and self.workspace is not started_on:
                return  # finished after a lock: the pages that asked for it are gone
            if isinstance(result, ChangeSet):
                self.publish(result)
            if on_done is not None:
                on_done(result)

        operation = Operation(self, label, work, done, self._operation_failed, cancellable)
        self._operations.append(operation)
        operation.finished.connect(lambda: self._operations.remove(operation))

    def _operation_failed(self, error: BaseException) -> None:
        from ui.operations import Cancelled

        if isinstance(error, Cancelled):
            self.show_status("Cancelled; nothing was changed.")
            return
        if isinstance(error, WorkbenchError):
            show_error(self, "Not done", error.message)
        elif isinstance(error, OSError):
            show_error(self, "Not done", file_error_text(error))
        else:
            show_error(self, "Unexpected error", f"{type(error).__name__}: {error}\nNothing was changed.")

    # -- other commands --------------------------------------------------------

    def change_passphrase(self) -> None:
        if self.workspace is None:
            return
        from ui.dialogs.change_passphrase import ChangePassphraseDialog

        dialog = ChangePassphraseDialog(self.workspace, self)
        dialog.accepted.connect(lambda: self.show_status("Passphrase changed; the workspace was verified."))
        self._dialog = dialog
        dialog.open()

    def restore_backup(self) -> None:
        if self.workspace_path is None:
            show_error(self, "No workspace", "Open a workspace first.")
            return
        from ui.dialogs.restore import RestoreDialog

        points = self.workspace.restore_points() if self.workspace is not None else None
        dialog = RestoreDialog(
            self.workspace_path, self, before_restore=lambda: self.lock("Locked to restore a backup."), points=points
        )
        dialog.accepted.connect(self._after_restore)
        self._dialog = dialog
        dialog.open()

    def _after_restore(self) -> None:
        self._show_locked("Backup restored. Unlock with the passphrase of that backup.")
        self.unlock()

    def preferences(self) -> None:
        from ui.dialogs.preferences import PreferencesDialog

        dialog = PreferencesDialog(self)
        dialog.accepted.connect(lambda: self.idle.set_timeout(settings.IDLE_LOCK_MINUTES.get() * 60_000))
        self._dialog = dialog
        dialog.open()

    def about(self) -> None:
        """Our own OK box, not `QMessageBox.about`: Qt's OK there has no Alt letter, unlike every other OK."""
        box = show_info(self, f"About {APP_TITLE}", about_text(self.areas))
        box.setObjectName("aboutBox")
        if not self.windowIcon().isNull():
            box.setIconPixmap(self.windowIcon().pixmap(64, 64))

    def show_shortcuts(self) -> None:
        """Every shortcut that works right now: the current view's first (they win where keys overlap)."""

        def rows(actions: list[QAction]) -> list[str]:
            seen: set[tuple[str, str]] = set()
            out = []
            for action in actions:
                keys = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts())
                entry = (keys, action.text().replace("&", "").rstrip("…"))
                if keys and entry not in seen:
                    seen.add(entry)
                    out.append(f"<tr><td><b>{escape(keys)}</b></td><td>{escape(entry[1])}</td></tr>")
            return out

        everywhere = [
            self.new_action,
            self.open_action,
            self.lock_action,
            self.passphrase_action,
            self.preferences_action,
            self.quit_action,
            self.shortcuts_action,
            *self.go_actions.values(),
        ]
        page = self.area_stack.currentWidget() if self.workspace is not None else None
        here: list[QAction] = []
        if page is not None:
            here = [
                *self.area_toolbar.actions(),
                *(
                    a
                    for a in page.findChildren(QAction)
                    if a not in everywhere and isinstance(parent := a.parent(), QWidget) and parent.isVisible()
                ),
            ]
        lines = ["<table>"]
        if here:
            lines += ["<tr><td colspan=2><b>In this view</b> (these win where keys overlap)</td></tr>", *rows(here)]
        lines += [
            "<tr><td colspan=2><b>Everywhere</b></td></tr>",
            *rows(everywhere),
            "<tr><td><b>Ctrl+Tab, Ctrl+Shift+Tab</b></td><td>Next, previous tab of a view</td></tr>",
            "<tr><td><b>Alt+underlined letter</b></td><td>Go to that field, button or tab</td></tr>",
            "<tr><td><b>Ctrl+Enter</b></td><td>OK in any dialog, even from a table or a text box</td></tr>",
            "</table>",
        ]
        show_info(self, "Keyboard shortcuts", "".join(lines))

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in settings.RECENT_WORKSPACES.get():
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _c=False, p=path: self.open_workspace(Path(p)))
        self.recent_menu.setEnabled(bool(self.recent_menu.actions()))

    # -- chrome ----------------------------------------------------------------

    def _update_chrome(self, area_status: bool = True) -> None:
        unlocked = self.workspace is not None
        for action in (self.lock_action, self.passphrase_action):
            action.setEnabled(unlocked)
        for action in self.go_actions.values():
            action.setEnabled(unlocked)
        self.restore_action.setEnabled(self.workspace_path is not None)
        self.workspace_label.setText(
            f"Workspace: {self.workspace_path.name}" if self.workspace_path else "No workspace"
        )
        if unlocked:
            assert self.workspace is not None
            member = self.workspace.member
            self.member_label.setText(f"{member.display_name} ({member.role})")
            self.lock_label.setText("Unlocked")
        else:
            self.member_label.setText("")
            self.lock_label.setText("Locked")
        if area_status:
            self._update_area_status()

    def _update_area_status(self) -> None:
        texts = []
        if self.workspace is not None:
            for spec in self.areas:
                if spec.status_provider is not None:
                    try:
                        text = spec.status_provider(self.workspace)
                    except WorkbenchError:
                        text = ""
                    if text:
                        texts.append(text)
        self.area_status_label.setText("  ·  ".join(texts))
        self._show_area_status_if_room()

    def _restore_geometry(self) -> None:
        geometry = settings.WINDOW_GEOMETRY.get()
        if not (geometry and self.restoreGeometry(geometry)):  # none saved, or one Qt cannot use
            self.resize(1280, 820)
        self._fit_screen()
        state = settings.WINDOW_STATE.get()
        if state:
            self.restoreState(state)

    def _fit_screen(self) -> None:
        """Keep the whole window on this screen: a size saved on a larger monitor, or a 1280x800 laptop
        where 820 pixels plus the title bar would put the status bar off screen, opens maximised."""
        if self.isMaximized() or self.screen() is None:
            return
        screen = self.screen().availableGeometry()
        if self.width() + FRAME_ALLOWANCE[0] > screen.width() or self.height() + FRAME_ALLOWANCE[1] > screen.height():
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
        elif not screen.contains(self.geometry()):
            self.move(screen.topLeft())

    def closeEvent(self, event: QCloseEvent) -> None:
        settings.WINDOW_GEOMETRY.set(self.saveGeometry())
        settings.WINDOW_STATE.set(self.saveState())
        self.lock()
        super().closeEvent(event)

"""The Exchange area: models pass Qt's model tester, import previews, conflicts resolve, status text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QWidget
from sqlalchemy import select

from app.errors import WorkbenchError
from app.exchange import service
from app.records import ChangeSet
from db.models.core import Agency
from tests.helpers.areas import immediate_context, made_by_seen
from tests.helpers.members import edit, make_member, own_card, send, trusting_pair_for_a_test
from tests.helpers.shortcut_audit import clashes, mnemonic, mnemonics, moved_letters
from ui import messages
from ui.areas.exchange import AREA, ExchangePage, conflict_status
from ui.exchange.dialogs import CreateBundleDialog
from ui.kit import files
from ui.main_window import MainWindow
from ui.operations import Cancelled, wait_for_idle


class _Progress:
    """Records every report; `cancel_after` checks in, it cancels (as the dialog's button would)."""

    def __init__(self, cancel_after: int | None = None) -> None:
        self.reports: list[tuple[int, int, str]] = []
        self.checks = 0
        self.cancel_after = cancel_after

    def report(self, done: int, total: int, text: str = "") -> None:
        self.last = (done, total, text)
        self.reports.append(self.last)

    def check(self) -> None:
        self.checks += 1
        if self.cancel_after is not None and self.checks > self.cancel_after:
            raise Cancelled()


@pytest.fixture
def members(tmp_path: Path):
    yield from trusting_pair_for_a_test(tmp_path, ("Police", "Police"))


def sent_to_bob(members: tuple[Any, Any, Path], ann_name: str, file: str = "a.bundle") -> Path:
    """Ann (a) renames the Police `ann_name` and sends Bob (b) a bundle of it, in `file`: its path."""
    a, b, tmp = members
    edit(a, "Police", name=ann_name)
    send(a, [b], tmp / file)
    return tmp / file


def page_for(
    qtbot: Any,
    workspace: Any,
    published: list[ChangeSet],
    statuses: list[str],
    runs: list[tuple[str, _Progress, bool]] | None = None,
    cancel_after: int | None = None,
    shown: bool = False,
) -> ExchangePage:
    """The exchange page on a synchronous context; `shown`: shown, and handed the change sets it publishes."""
    window = QWidget()
    qtbot.addWidget(window)

    def runner(label: str, work: Any, on_done: Any, cancellable: bool) -> None:
        progress = _Progress(cancel_after)
        if runs is not None:
            runs.append((label, progress, cancellable))
        try:
            result = work(progress)
        except Cancelled:
            return
        if on_done is not None:
            on_done(result)

    pages: list[ExchangePage] = []
    context, _ = immediate_context(workspace, window, pages, published=published, runner=runner, statuses=statuses)
    page = AREA.factory(context)
    qtbot.addWidget(page)
    if shown:
        pages.append(page)
        page.show()
    return page


@pytest.mark.gui
def test_models_pass_the_model_tester_and_show_contacts_and_history(qtbot: Any, qtmodeltester: Any, members) -> None:
    a, b, _ = members
    page = page_for(qtbot, b, [], [])
    assert page.contacts_model.rowCount() == 1
    assert page.contacts_model.data(page.contacts_model.index(0, 0)) == "Ann"
    assert page.contacts_model.data(page.contacts_model.index(0, 3)) == "trusted"
    assert page.history_model.data(page.history_model.index(0, 1)) == "received"
    for model in (page.contacts_model, page.history_model, page.conflicts_model):
        qtmodeltester.check(model)
    for widget in page.findChildren(QWidget):
        if widget.metaObject().className() in ("QPushButton", "QTableView", "QTabWidget"):
            assert widget.accessibleName(), widget


@pytest.mark.gui
def test_import_preview_apply_and_conflict_restore(qtbot: Any, members, monkeypatch: pytest.MonkeyPatch) -> None:
    _, b, _ = members
    edit(b, "Police", name="Bob's name")
    bundle = sent_to_bob(members, "Ann's name")  # later: wins, Bob's value goes to the conflict log
    published: list[ChangeSet] = []
    page = page_for(qtbot, b, published, [], shown=True)
    seen = made_by_seen(monkeypatch, page)
    previews: list[service.BundleImportReport] = []
    monkeypatch.setattr(page, "confirm_import", lambda report: previews.append(report) or True)
    monkeypatch.setattr("ui.areas.exchange.show_info", lambda *args: None)
    page.import_file(bundle)
    assert previews and previews[0].dry_run and previews[0].totals["conflicts"] == 1
    assert published and published[-1].touches("agency")
    assert seen == [True]  # the page's own import, as context.write would publish it
    assert page.conflicts_model.rowCount() == 1
    assert "1 unresolved" in page.tabs.tabText(page.conflicts_index)
    assert conflict_status(b) == "1 unresolved conflict"
    page.conflicts_view.setCurrentIndex(page.conflicts_model.index(0, 0))
    text = page.comparison.text()  # issue 10.4: named as users know it, headings say which value is which
    assert "Agency Ann's name — Name" in text and "Value in use now" in text and "Replaced value" in text
    assert "agency " not in text and page.conflicts_model.row_at(0).record_uuid not in text
    headers = [
        page.conflicts_model.headerData(i, Qt.Orientation.Horizontal) for i in range(page.conflicts_model.columnCount())
    ]
    assert "Value in use now" in headers and "Replaced value (kept here)" in headers
    kept = page.conflicts_model.row_at(0).losing_value
    assert kept == "Bob's name"
    asked: list[str] = []
    monkeypatch.setattr(messages, "confirm", lambda _p, _t, text, _a: asked.append(text) or False)
    page.restore_selected()  # declined: nothing changes
    assert asked and "Bob's name" in asked[0] and page.conflicts_model.rowCount() == 1
    monkeypatch.setattr(messages, "confirm", lambda *_a: True)
    page.restore_selected()
    with b.reading() as session:
        assert session.scalars(select(Agency.name)).one() == kept
    assert conflict_status(b) == "" and "0 unresolved" in page.tabs.tabText(page.conflicts_index)
    # still listed until the next import, saying what was decided; nothing left to restore or keep
    assert page.conflicts_model.rowCount() == 1
    status = page.conflicts_model.data(page.conflicts_model.index(0, page.conflicts_model.columnCount() - 1))
    assert status == "Resolved: restored Bob's name (replacing Ann's name, kept here)"
    page.conflicts_view.setCurrentIndex(page.conflicts_model.index(0, 0))
    assert not page.restore_button.isEnabled() and not page.keep_button.isEnabled()
    assert "Resolved: restored Bob's name" in page.comparison.text()


@pytest.mark.gui
def test_checking_and_applying_report_progress_and_cancel_only_before_applying(
    qtbot: Any, members, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, b, _ = members
    bundle = sent_to_bob(members, "Police force")
    monkeypatch.setattr("ui.areas.exchange.show_info", lambda *args: None)
    runs: list[tuple[str, _Progress, bool]] = []
    page = page_for(qtbot, b, [], [], runs)
    monkeypatch.setattr(page, "confirm_import", lambda report: True)
    page.import_file(bundle)
    (check_label, checking, check_cancellable), (apply_label, applying, apply_cancellable) = runs
    assert check_label == "Checking the bundle…" and check_cancellable and apply_cancellable
    assert [text for _, _, text in checking.reports][:3] == [step + "…" for step in service.IMPORT_STEPS[:3]]
    assert checking.reports[-1][0] == checking.reports[-1][1]  # the bar ends full
    assert [text for _, _, text in applying.reports][:4] == [step + "…" for step in service.IMPORT_STEPS]
    assert applying.checks == 4  # checkpoints only up to the start of applying
    with b.reading() as session:
        assert session.scalars(select(Agency.name)).one() == "Police force"

    # cancelled at the last checkpoint (just before applying): nothing is written
    second = sent_to_bob(members, "Police service", "b.bundle")
    runs.clear()
    cancelling = page_for(qtbot, b, [], [], runs, cancel_after=3)
    monkeypatch.setattr(cancelling, "confirm_import", lambda report: True)
    cancelling.import_file(second)  # the dry run makes 3 checks, the apply run is cancelled before applying
    assert len(runs) == 2 and runs[1][1].checks == 4
    with b.reading() as session:
        assert session.scalars(select(Agency.name)).one() == "Police force"
    assert service.import_bundle(b, second.read_bytes()).applied  # not recorded as imported either


def _bundle_dialog(qtbot: Any, member: Any) -> CreateBundleDialog:
    """The Create bundle dialog of `member`'s exchange page, previewing through the real service."""
    page = page_for(qtbot, member, [], [])
    dialog = CreateBundleDialog(
        page.contacts_model.rows,
        lambda to, scope, only: service.preview_export(member, to, scope, passphrase_only=only),
        page,
    )
    qtbot.addWidget(dialog)
    return dialog


@pytest.mark.gui
def test_bundle_dialog_gives_each_control_the_letter_its_label_shows(qtbot: Any, members) -> None:
    """Three labels claimed a letter another control had (P, R and E): the keeper moved them, so
    "Alt+R" on screen was not the key the label was written with. Each now has a letter of its own."""
    a, _b, _tmp = members
    dialog = _bundle_dialog(qtbot, a)
    dialog.passphrase_only.setChecked(True)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert moved_letters(dialog) == []
    reaches = {
        letter: [t.split(" ", 1)[1].replace("&", "") for t in what] for letter, what in mnemonics(dialog).items()
    }
    assert all(len(controls) == 1 for controls in reaches.values()), reaches
    assert {letter: controls[0].split(" (")[0] for letter, controls in reaches.items()} == {
        "E": "Everything",
        "C": "Changes since the last bundle to these recipients",
        "O": "One review and everything linked to it:",
        "R": "Recipients:",
        "W": "Protect with a passphrase only",
        "H": "Passphrase:",
        "T": "Repeat:",
        "B": "Browse…",
        "P": "Preview",
        "S": "Save",
    }


@pytest.mark.gui
def test_passphrase_only_bundle_from_the_dialog(qtbot: Any, members, monkeypatch: pytest.MonkeyPatch) -> None:
    a, b, tmp = members
    dialog = _bundle_dialog(qtbot, a)
    assert not dialog.passphrase.isEnabled() and dialog.chosen_passphrase() is None
    assert "WEAKER" in dialog.passphrase_only.text() and dialog.passphrase_only.accessibleName()
    dialog.passphrase_only.setChecked(True)
    assert dialog.passphrase.isEnabled() and dialog.strength.isEnabled()
    out = tmp / "oneoff.bundle"
    dialog.path.setText(str(out))
    qtbot.keyClicks(dialog.passphrase, "short one")
    assert "Too short" in dialog.strength.label.text()
    dialog._accept()
    assert dialog.result() != dialog.DialogCode.Accepted and "too short" in dialog.preview_text.text()
    dialog.passphrase.setText("a long enough passphrase")
    dialog.passphrase_repeat.setText("a long enough passphrase!")
    dialog._accept()
    assert "differ" in dialog.preview_text.text()
    dialog.passphrase_repeat.setText("a long enough passphrase")
    assert "Strength:" in dialog.strength.label.text() and dialog.strength.acceptable
    dialog._accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert "weaker" in dialog.preview_text.text()  # no recipient needed; the preview warns
    page = dialog.parentWidget()  # the exchange page that opened it
    page.save_bundle(dialog.chosen_recipients(), dialog.scope(), dialog.output_path(), dialog.chosen_passphrase())
    assert service.needs_passphrase(out.read_bytes())

    receiver = page_for(qtbot, b, [], [])
    asked: list[Path] = []
    monkeypatch.setattr(
        receiver, "ask_bundle_passphrase", lambda path: asked.append(path) or "a long enough passphrase"
    )
    previews: list[service.BundleImportReport] = []
    monkeypatch.setattr(receiver, "confirm_import", lambda report: previews.append(report) or False)
    receiver.import_file(out)
    assert asked == [out] and previews[0].passphrase_protected
    assert any("passphrase" in line for line in previews[0].lines())


@pytest.mark.gui
def test_status_bar_counts_conflicts_after_import_and_after_resolving(
    qtbot: Any, members, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, b, _ = members
    edit(b, "Police", name="Bob's name")
    bundle = sent_to_bob(members, "Ann's name")
    window = MainWindow()
    qtbot.addWidget(window)
    window._on_unlocked(b)
    page = window.pages["exchange"]
    assert isinstance(page, ExchangePage)
    monkeypatch.setattr(page, "confirm_import", lambda report: True)
    monkeypatch.setattr("ui.areas.exchange.show_info", lambda *args: None)
    assert window.area_status_label.text() == ""
    page.import_file(bundle)
    qtbot.waitUntil(lambda: "1 unresolved conflict" in window.area_status_label.text(), timeout=20_000)
    wait_for_idle()
    page.conflicts_view.setCurrentIndex(page.conflicts_model.index(0, 0))
    monkeypatch.setattr(messages, "confirm", lambda *_a: True)
    page.keep_selected()  # changes no record, only the log: the count must still refresh
    assert "unresolved conflict" not in window.area_status_label.text()
    assert window.area_status_label.isHidden()
    window._tear_down_pages()
    window.workspace = None


def test_junk_or_missing_files_give_one_message(qtbot, tmp_path, workspace) -> None:
    """A random-bytes bundle, a missing file or a bad card: a dialog, never an exception out of the slot."""
    import os

    from PySide6.QtWidgets import QMessageBox

    from ui.main_window import MainWindow
    from ui.operations import wait_for_idle

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window._on_unlocked(workspace)
    page = window.pages["exchange"]
    junk = tmp_path / "junk.bundle"
    junk.write_bytes(os.urandom(5000))
    for call in (
        lambda: page.import_file(junk),
        lambda: page.import_file(tmp_path / "missing.bundle"),
        lambda: page.import_card_file(junk, confirm=False),
    ):
        call()
        boxes = [b for b in page.findChildren(QMessageBox) if b.isVisible() and b.objectName() == "errorMessage"]
        assert boxes, "no error dialog"
        for box in boxes:
            box.accept()
    window.lock()
    wait_for_idle()


def _answer_fingerprint_dialog(trust: bool, seen: list[str]) -> None:
    """Acts as the user at the modal dialog: reads the digits, ticks that they match, trusts or cancels."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLabel

    from ui.exchange.dialogs import FingerprintDialog

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, FingerprintDialog):
            QTimer.singleShot(10, answer)  # not shown yet
            return
        digits = [
            label.text() for label in dialog.findChildren(QLabel) if label.accessibleName() == "Fingerprint to compare"
        ]
        seen.extend(digits)
        assert not dialog.trust_button.isEnabled()  # nothing is trusted before the user says the digits match
        if trust:
            dialog.matches.click()
            dialog.trust_button.click()
        else:
            dialog.reject()

    QTimer.singleShot(0, answer)


@pytest.mark.gui
@pytest.mark.parametrize("trust", [True, False], ids=["trusted", "cancelled"])
def test_unknown_sender_is_trusted_only_after_comparing_the_fingerprint(
    qtbot: Any, members, monkeypatch: pytest.MonkeyPatch, trust: bool
) -> None:
    from app.exchange import contacts as contacts_service

    _, bob, tmp = members
    cleo = make_member(tmp, "Cleo")
    try:
        with cleo.unit_of_work() as uow:  # Cleo knows Bob; Bob has never heard of Cleo
            contacts_service.import_card(
                uow,
                contacts_service.read_card(own_card(bob)),
                trust=True,
                own_key_id=contacts_service.member_keys(cleo.key_pairs).key_id,
            )
            uow.create(Agency, name="Probation", short_name="Probation")
        bundle = tmp / "cleo.bundle"
        send(cleo, [bob], bundle)
        cleo_fingerprint = cleo.member.fingerprint
    finally:
        cleo.lock()
    published: list[ChangeSet] = []
    page = page_for(qtbot, bob, published, [])
    monkeypatch.setattr(page, "confirm_import", lambda report: True)
    monkeypatch.setattr("ui.areas.exchange.show_info", lambda *args: None)
    seen: list[str] = []
    _answer_fingerprint_dialog(trust, seen)
    page.import_file(bundle)
    assert seen == [cleo_fingerprint]
    names = {
        page.contacts_model.data(page.contacts_model.index(row, 0)): page.contacts_model.data(
            page.contacts_model.index(row, 3)
        )
        for row in range(page.contacts_model.rowCount())
    }
    with bob.reading() as session:
        agencies = set(session.scalars(select(Agency.short_name)))
    if trust:
        assert names.get("Cleo") == "trusted"
        assert "Probation" in agencies
    else:  # cancelled: neither the contact nor any of the bundle's records were written
        assert "Cleo" not in names
        assert "Probation" not in agencies and not published


@pytest.mark.gui
def test_revoking_a_contact_asks_first(qtbot: Any, members, monkeypatch: pytest.MonkeyPatch) -> None:
    _, bob, _ = members
    page = page_for(qtbot, bob, [], [])
    page.contacts_view.setCurrentIndex(page.contacts_model.index(0, 0))
    monkeypatch.setattr(messages, "confirm", lambda *_a: False)
    page.revoke_selected()
    assert page.contacts_model.data(page.contacts_model.index(0, 3)) == "trusted"
    monkeypatch.setattr(messages, "confirm", lambda *_a: True)
    page.revoke_selected()
    assert page.contacts_model.data(page.contacts_model.index(0, 3)) == "revoked"


@pytest.mark.gui
def test_only_the_name_the_save_dialog_confirmed_may_replace_a_bundle(
    qtbot: Any, members, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A name typed into the bundle dialog never replaces an existing file; the save dialog's choice has asked."""
    a, _b, tmp = members
    dialog = _bundle_dialog(qtbot, a)
    existing = tmp / "existing.bundle"
    existing.write_bytes(b"the user's own file")
    dialog.path.setText(str(existing))
    assert not dialog.overwrite_confirmed()
    with pytest.raises(WorkbenchError, match="already exists"):
        service.export_bundle(a, [], service.Scope(), dialog.output_path(), passphrase="a long one-off passphrase")
    assert existing.read_bytes() == b"the user's own file"
    monkeypatch.setattr(files, "choose_save_file", lambda *_args: (str(existing), ""))
    dialog._browse()
    assert dialog.output_path() == existing and dialog.overwrite_confirmed()
    dialog.path.setText(str(tmp / "typed.bundle"))
    assert not dialog.overwrite_confirmed()


def _all_exchange_kinds(to: list[str], scope: service.Scope, only: bool) -> service.ExportPreview:
    """What "everything" previews in a workspace holding every kind of record: a line per kind."""
    from app.exchange import changeset as cs

    return service.ExportPreview(to, scope.describe(), {name: 12 for name in cs.table_codecs()}, "")


@pytest.mark.gui
def test_bundle_dialog_fits_a_laptop_screen_whatever_the_preview_holds(qtbot: Any) -> None:
    """Its Save button was at y=954 on an 800-pixel screen: fifteen recipients and a line per kind of
    record pushed it down. The choices and the preview now scroll; Save and Cancel stay on screen."""
    from PySide6.QtWidgets import QAbstractButton, QDialogButtonBox

    from app.exchange.contacts import ContactView

    contacts = [
        ContactView(f"{n:032x}", f"Member {n}", "Agency", "Role", "0", "trusted", None, "", "", None) for n in range(15)
    ]
    dialog = CreateBundleDialog(contacts, _all_exchange_kinds)
    qtbot.addWidget(dialog)
    dialog.passphrase_only.setChecked(True)
    for row in range(dialog.recipients.count()):
        dialog.recipients.item(row).setCheckState(Qt.CheckState.Checked)
    assert dialog.update_preview()
    dialog.show()
    qtbot.waitExposed(dialog)
    screen = dialog.screen().availableGeometry()
    assert screen.contains(dialog.frameGeometry()), (screen, dialog.frameGeometry())
    box = dialog.findChild(QDialogButtonBox)
    for button in box.buttons():  # Save and Cancel: always in view, never scrolled away
        corner = button.mapToGlobal(button.rect().bottomRight())
        assert screen.contains(corner) and dialog.frameGeometry().contains(corner), button.text()
    # on a 1366x768 laptop (a taskbar and a title bar less) it can be made to fit too
    hint = dialog.minimumSizeHint()
    assert hint.height() <= 768 - 40 - 60 and hint.width() <= 1366 - 40, hint
    # what scrolled away is reached by scrolling: every other button is inside the scrolled area
    inner = dialog.contents.widget()
    for button in inner.findChildren(QAbstractButton):
        if button.isVisibleTo(dialog):
            dialog.contents.ensureWidgetVisible(button)
            corner = button.mapToGlobal(button.rect().bottomRight())
            assert screen.contains(corner), button.text()


@pytest.mark.gui
def test_every_button_of_the_bundle_dialog_but_cancel_has_an_alt_letter_of_its_own(qtbot: Any, members) -> None:
    from PySide6.QtWidgets import QAbstractButton

    a, _b, _tmp = members
    dialog = _bundle_dialog(qtbot, a)
    dialog.passphrase_only.setChecked(True)
    dialog.show()
    qtbot.waitExposed(dialog)
    cancel = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel)
    shown = [b for b in dialog.findChildren(QAbstractButton) if b.isVisibleTo(dialog) and b is not cancel]
    letters = [mnemonic(b.text()) for b in shown]
    assert None not in letters and len(letters) == len(set(letters)), letters
    assert clashes(dialog) == [] and moved_letters(dialog) == []
    assert mnemonic(cancel.text()) is None  # the house rule (ui/kit/mnemonics.py): Esc cancels


@pytest.mark.gui
def test_every_button_of_the_exchange_page_has_an_alt_letter_of_its_own(qtbot: Any, members) -> None:
    """In the main window, on each tab: every button a letter, none shared with another button, a tab
    or a menu, and none moved by the keeper (the letter shown is the letter written)."""
    from PySide6.QtWidgets import QAbstractButton

    a, _b, _tmp = members
    window = MainWindow()
    qtbot.addWidget(window)
    window._on_unlocked(a)
    window.show()
    page = window.pages["exchange"]
    assert isinstance(page, ExchangePage)
    window.show_area("exchange")
    every: list[str | None] = []
    for index in range(page.tabs.count()):
        page.tabs.setCurrentIndex(index)
        qtbot.wait(20)
        shown = [b for b in page.tabs.currentWidget().findChildren(QAbstractButton) if b.isVisibleTo(page)]
        letters = [mnemonic(b.text()) for b in shown]
        assert shown and None not in letters, [b.text() for b in shown]
        every += letters
        assert clashes(window) == [], page.tabs.tabText(index)
        assert moved_letters(window) == []
    assert len(every) == len(set(every)), every  # distinct across the tabs too: a letter means one button
    window._tear_down_pages()
    window.workspace = None


@pytest.mark.gui
def test_history_says_what_its_counts_leave_out_and_where_a_bundle_came_from(qtbot: Any, members) -> None:
    a, b, tmp = members
    send(a, [b], tmp / "again.bundle")  # the records Bob already holds: nothing new
    service.import_bundle(b, (tmp / "again.bundle").read_bytes())
    page = page_for(qtbot, b, [], [])
    model = page.history_model
    headers = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]
    row = {headers[i]: model.data(model.index(0, i)) for i in range(model.columnCount())}
    assert row["Direction"] == "received" and row["Scope"] == "everything"
    assert row["Records"] == "0 records (1 unchanged not counted)"


@pytest.mark.gui
def test_bundle_dialog_recipients_list_shows_whole_names_only(qtbot: Any) -> None:
    """Its height cap was not a whole number of rows: the last name in view was cut in half, read as
    "Member 1" where it said "Member 11 (Role, Agency)". Eight whole names now, then it scrolls."""
    from app.exchange.contacts import ContactView

    contacts = [
        ContactView(f"{n:032x}", f"Member {n}", "Agency", "Role", "0", "trusted", None, "", "", None) for n in range(15)
    ]
    dialog = CreateBundleDialog(contacts, _all_exchange_kinds)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    names = dialog.recipients
    shown = names.viewport().height()
    bottoms = [names.visualItemRect(names.item(row)).bottom() + 1 for row in range(names.count())]
    assert shown in bottoms, (shown, bottoms)  # the last row in view ends where the list does
    assert bottoms.index(shown) + 1 == 8 and names.verticalScrollBar().maximum() > 0

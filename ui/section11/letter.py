"""The feedback letter: generated from the interview record, edited section by section, previewed, issued.

An issued letter is frozen (its files stored, the PDF's hash in the audit log)
and shown read-only; "Re-issue" starts a new draft version from its text.
DOCX and PDF exports come from the stored copy once issued.
"""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from typing import Any

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QKeySequence, QPainter, QPixmap, QShortcut
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.records import ChangeSet
from app.section11.letters import (
    SECTION_TITLES,
    SECTIONS,
    current_letter,
    draft_letter,
    edit_letter,
    issue_letter,
    issue_refusal,
    letter_docx,
    letter_filename,
    letter_pdf,
    letter_settings,
    missing_steps,
    regenerate_letter,
    reissue_letter,
    save_letter_settings,
)
from app.section11.letters import (
    LetterView as Letter,
)
from app.text import count_of
from ui.areas.base import AreaContext
from ui.kit.announce import announce
from ui.kit.controls import action, button, row_of, text_box, text_label
from ui.kit.dates import uk
from ui.kit.edit_guard import EditGuard
from ui.kit.mnemonics import letter_standard_buttons
from ui.messages import confirm, show_error
from ui.section11.dialogs import LETTERHEAD_DRAFT, LetterheadDialog, open_form_dialog
from ui.widgets import FRAME_ALLOWANCE, vertical_scroll

TABLES = ("s11_letter", "s11_interview", "s11_enquiry")
#: each text box's label, with an Alt letter free in the letter tab (the buttons with a Ctrl key gave up
#: theirs: Save Ctrl+S, Preview Ctrl+P, Issue Ctrl+Shift+E); Closing, the last box, is one Shift+Tab back
#: from the buttons (its letters are the menus', the tabs' and the buttons')
BOX_CAPTIONS = {
    "salutation": "&Salutation",
    "opening": "O&pening",
    "strengths": "S&trengths",
    "challenges": "Areas for &challenge",
    "evidence": "Evidence re&quested",
    "actions": "Agreed act&ions",
    "closing": "Closing",
}


def pdf_page_images(pdf: bytes, scale: float = 1.3) -> list[QImage]:
    """Every page of a PDF as an image, in memory (nothing written to disk)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    images = []
    try:
        for page in document:
            buffer = BytesIO()
            page.render(scale=scale).to_pil().save(buffer, format="PNG")
            images.append(QImage.fromData(buffer.getvalue()))
    finally:
        document.close()
    return images


def run_print_dialog(dialog: QPrintDialog) -> bool:
    return dialog.exec() == QDialog.DialogCode.Accepted


#: the print dialog blocks the event loop; tests replace this reference
choose_printer: Callable[[QPrintDialog], bool] = run_print_dialog


class PreviewDialog(QDialog):
    """The letter's pages as they will print (OFFICIAL-SENSITIVE, page x of y), with Print… (Ctrl+P); sized to
    the screen it opens on (it was 760 px tall on a 768 px screen, its buttons off the bottom)."""

    def __init__(self, parent: QWidget | None, title: str, images: list[QImage], pdf: bytes = b"") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.pdf = pdf
        pages = QWidget()
        column = QVBoxLayout(pages)
        for number, image in enumerate(images, start=1):
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            label.setAccessibleName(f"Page {number} of {len(images)}")
            column.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
        self.scroll = QScrollArea()
        self.scroll.setWidget(pages)
        self.scroll.setAccessibleName("Letter pages")
        self.scroll.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # Page Up / Page Down scroll the pages
        self.status = text_label("Printing", wrap=True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.print_button = button("&Print… (Ctrl+P)", "Print the letter", self.print_letter)
        self.print_button.setEnabled(bool(pdf))
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        letter_standard_buttons(buttons)
        buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Print, self, activated=self.print_letter)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        screen = (parent.screen() if parent is not None else self.screen()).availableGeometry()
        # a page's width (1.3 x A4) and as tall as the screen leaves room for, the title bar included
        self.resize(min(900, screen.width() - FRAME_ALLOWANCE[0]), min(1000, screen.height() - FRAME_ALLOWANCE[1]))
        self.scroll.setFocus()

    def print_letter(self) -> int:
        """Through the system's print dialog: every page, rendered at the printer's resolution. Pages printed."""
        if not self.pdf:
            return 0
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.windowTitle())
        dialog = QPrintDialog(printer, self)
        dialog.setAccessibleName("Print the letter")
        if not choose_printer(dialog):
            return 0
        dpi = min(300, max(72, printer.resolution()))
        painter = QPainter()
        printed = 0
        if not painter.begin(printer):
            announce(self.status, "The printer could not be opened: nothing printed.", urgent=True)
            return 0
        try:
            for image in pdf_page_images(self.pdf, scale=dpi / 72):
                if printed:
                    printer.newPage()
                area = painter.viewport()
                size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(QRect(area.x(), area.y(), size.width(), size.height()), image)
                printed += 1
        finally:
            painter.end()
        announce(self.status, f"Sent {count_of(printed, 'page')} to the printer.")
        return printed


class LetterView(QWidget):
    def __init__(self, context: AreaContext, participant_uuid: str) -> None:
        super().__init__()
        self.context = context
        self.participant_uuid = participant_uuid
        self.letter: Letter | None = None
        self.dialog: Any = None
        self.state = text_label("Letter version and state", wrap=True)
        self.boxes: dict[str, QPlainTextEdit] = {}
        form = QFormLayout()
        for name in SECTIONS:
            box = text_box(SECTION_TITLES[name], 160 if name in ("strengths", "challenges", "actions") else 100)
            self.boxes[name] = box
            form.addRow(BOX_CAPTIONS[name], box)  # the label is the box's buddy: its Alt letter goes there
        scroll = vertical_scroll(form, "Letter text")
        self.draft_button = button(
            "Draft from the inter&view", "Draft the letter from the interview record", self.make_draft
        )
        self.save_button = button("Save text (Ctrl+S)", "Save the letter's text", self.save)
        self.regenerate_button = button(
            "Rege&nerate", "Regenerate the draft from the interview record", self.regenerate
        )
        self.preview_button = button("Preview… (Ctrl+P)", "Preview the letter as printed", self.preview)
        self.issue_button = button("Issue… (Ctrl+Shift+E)", "Issue the letter (frozen)", self.issue)
        self.reissue_button = button("Re-iss&ue", "Start a new version from the issued letter", self.reissue)
        self.docx_button = button("Export DOC&X…", "Export the letter as DOCX", lambda: self.export("docx"))
        self.pdf_button = button("Exp&ort PDF…", "Export the letter as PDF", lambda: self.export("pdf"))
        self.letterhead_button = button(
            "Letterhea&d…", "Edit the letterhead and signatory of every letter", self.edit_letterhead
        )
        action(self, "Save the letter", "Ctrl+S", self.save)
        action(self, "Preview the letter", "Ctrl+P", self.preview)
        action(self, "Issue the letter", "Ctrl+Shift+E", self.issue)
        buttons = row_of(
            self.draft_button,
            self.save_button,
            self.regenerate_button,
            self.preview_button,
            self.issue_button,
            self.reissue_button,
            self.docx_button,
            self.pdf_button,
            self.letterhead_button,
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.state)
        layout.addWidget(scroll, 1)
        # the buttons above the text, placed after it: Tab goes through the text, top to bottom, then the
        # buttons (a control's place in the Tab order is where it joins the view; the text was 8 Tabs away)
        layout.insertLayout(1, buttons)
        self.guard = EditGuard(
            self,
            title="Feedback letter",
            noun="letter",
            form=self._values,
            save=self.save,
            draft_key="section11.letter",
            restore=self._restore,
            scope=lambda: {"participant": self.participant_uuid},
        )
        self.reload()

    def _values(self) -> tuple[str, ...]:
        return tuple(self.boxes[name].toPlainText() for name in SECTIONS)

    def reload(self) -> None:
        with self.context.workspace.reading() as session:
            self.letter = current_letter(session, self.participant_uuid)
            missing = missing_steps(session, self.participant_uuid)
        letter = self.letter
        # the same words the draft prints at its top and the command line says: what is still to happen
        not_ready = f" Not final, still to come: {'; '.join(missing)}." if missing else ""
        editable = letter is not None and letter.editable
        for name, box in self.boxes.items():
            box.setPlainText(letter.sections.get(name, "") if letter else "")
            box.setReadOnly(not editable)
        if letter is None:
            self.state.setText(
                "No letter yet. Draft it from the interview record, edit it, preview it, then issue." + not_ready
            )
        elif editable:
            self.state.setText(
                f"Version {letter.version}: DRAFT. Edit the text, save it, preview, then issue "
                "(an issued letter cannot change)." + not_ready
            )
        else:
            self.state.setText(
                f"Version {letter.version}: ISSUED on {uk(letter.issued_on)}"
                f"{' by ' + letter.issued_by if letter.issued_by else ''}; frozen "
                f"(PDF SHA-256 {letter.sha256[:16]}…, in the audit log). Re-issue to make a new version."
            )
        self.draft_button.setEnabled(letter is None)
        for push in (self.save_button, self.regenerate_button, self.issue_button):
            push.setEnabled(editable)
        self.reissue_button.setEnabled(letter is not None and not editable)
        for push in (self.preview_button, self.docx_button, self.pdf_button):
            push.setEnabled(letter is not None)
        self.guard.shown(letter.uuid if letter else None)

    def _restore(self, draft: Any) -> None:
        if self.letter is None or draft.record != self.letter.uuid or not self.letter.editable:
            return  # issued or replaced since: the kept text cannot go back over it
        for name, value in zip(SECTIONS, list(draft.values), strict=False):
            self.boxes[name].setPlainText(str(value or ""))

    def make_draft(self) -> None:
        if self.context.write("Draft the letter", lambda uow: draft_letter(uow, self.participant_uuid), initiator=self):
            self.reload()
            self.boxes[SECTIONS[0]].setFocus()

    def save(self) -> bool:
        if self.letter is None or not self.letter.editable:
            return False
        uuid, sections = self.letter.uuid, dict(zip(SECTIONS, self._values(), strict=False))
        ok = self.context.write("Save the letter", lambda uow: edit_letter(uow, uuid, sections), initiator=self)
        if ok:
            self.reload()
            self.context.show_status("Letter text saved")
        return ok

    def regenerate(self) -> None:
        if self.letter is None or not self.letter.editable:
            return
        if not confirm(
            self,
            "Regenerate the letter",
            "Replace the draft's text by a fresh one from the interview record? Your edits to this draft are lost.",
            "Regenerate",
        ):
            return
        uuid = self.letter.uuid
        if self.context.write("Regenerate the letter", lambda uow: regenerate_letter(uow, uuid), initiator=self):
            self.reload()

    def preview(self) -> None:
        if self.letter is None:
            return
        if self.guard.dirty() and not self.save():
            return
        uuid, workspace = self.letter.uuid, self.context.workspace

        def work(_progress: Any) -> tuple[bytes, list[QImage]]:
            with workspace.reading() as session:
                pdf = letter_pdf(session, uuid)
            return pdf, pdf_page_images(pdf)

        def show(made: tuple[bytes, list[QImage]]) -> None:
            pdf, images = made
            self.dialog = PreviewDialog(self, "Letter preview", images, pdf)
            self.dialog.open()

        self.context.run("Rendering the letter…", work, show)

    def issue(self) -> None:
        if self.letter is None or not self.letter.editable:
            return
        if self.guard.dirty() and not self.save():
            return
        with self.context.workspace.reading() as session:
            refusal = issue_refusal(session, self.participant_uuid)
            to_come = missing_steps(session, self.participant_uuid)
        if refusal:  # said before asking, not after the Chair has confirmed
            show_error(self, "Issue the letter", refusal)
            return
        # the cycle is return, moderation, interview, letter: a Chair issuing early is told what the
        # letter will say is still to come, since it cannot be changed once frozen
        warning = (
            "\n\nNot done yet: " + "; ".join(to_come) + ". The letter says so, and a standard not moderated "
            "goes out as \u201cNot moderated\u201d."
            if to_come
            else ""
        )
        if not confirm(
            self,
            "Issue the letter",
            f"Issue version {self.letter.version}? It is frozen once issued "
            f"(its hash goes in the audit log); changes then need a new version.{warning}",
            "Issue anyway" if to_come else "Issue",
        ):
            return
        uuid, by = self.letter.uuid, self.context.workspace.member.display_name
        if self.context.write("Issue the letter", lambda uow: issue_letter(uow, uuid, issued_by=by), initiator=self):
            self.reload()
            self.context.show_status(f"Letter version {self.letter.version if self.letter else ''} issued")

    def edit_letterhead(self) -> None:
        with self.context.workspace.reading() as session:
            settings = letter_settings(session)
        dialog = LetterheadDialog(self, settings)

        def save() -> None:
            if self.context.write(
                "Letterhead and signatory", lambda uow: save_letter_settings(uow, **dialog.values), initiator=self
            ):
                self.context.show_status("Letterhead and signatory saved: drafts and new versions carry them")

        open_form_dialog(self, dialog, LETTERHEAD_DRAFT, {"participant": self.participant_uuid}, save)

    def reissue(self) -> None:
        if self.context.write(
            "Re-issue the letter", lambda uow: reissue_letter(uow, self.participant_uuid), initiator=self
        ):
            self.reload()

    def export(self, fmt: str) -> None:
        if self.letter is None:
            return
        # the file is made from the stored text: edits on screen are saved first (as Preview and Issue do),
        # else the DOCX or PDF sent to the agency lacked them without a word
        if self.letter.editable and self.guard.dirty() and not self.save():
            return
        if self.letter is None:
            return
        uuid = self.letter.uuid
        with self.context.workspace.reading() as session:
            suggested = letter_filename(session, uuid, fmt)  # every agency's letter was "s11-letter-v1.pdf"
        self.context.save_generated_as(
            self,
            f"Export the letter as {fmt.upper()}",
            suggested,
            "Word document (*.docx)" if fmt == "docx" else "PDF (*.pdf)",
            "Exporting the letter…",
            lambda session: letter_docx(session, uuid) if fmt == "docx" else letter_pdf(session, uuid),
            lambda out: self.context.show_status(f"Letter saved to {out}"),
        )

    def on_changes(self, changes: ChangeSet) -> None:
        if changes.touches(*TABLES) and not self.context.made_by(self) and not self.guard.dirty():
            self.reload()

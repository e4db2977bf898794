"""Print preview of a PDF the workbench made: the same pages on screen, on paper and in the file.

The PDF stays in memory (pypdfium2 reads the bytes; no temporary file with
case data). Printing draws each page rendered at the printer's resolution,
so what the panel holds is what the preview showed, page numbers included.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QKeySequence, QPagedPaintDevice, QPainter, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.store.user_files import write_user_file
from app.text import count_of
from ui.kit.announce import announce
from ui.kit.controls import button
from ui.kit.files import save_file
from ui.messages import reports_errors


def _page_images(pdf: bytes, scale: float) -> list[QImage]:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        images = []
        for page in document:
            bitmap = page.render(scale=scale, rev_byteorder=True)  # RGB, opaque white background
            fmt = QImage.Format.Format_RGB888 if bitmap.n_channels == 3 else QImage.Format.Format_RGBA8888
            image = QImage(bytes(bitmap.buffer), bitmap.width, bitmap.height, bitmap.stride, fmt).copy()
            images.append(image)
            bitmap.close()
            page.close()
        return images
    finally:
        document.close()


class PdfPreviewDialog(QDialog):
    """Pages of a PDF, with Print… and Save as PDF…; Escape closes, Page Up/Down scroll."""

    def __init__(self, parent: QWidget | None, pdf: bytes, suggested_name: str, title: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Print preview: {title}")
        self.setAccessibleName("Print preview")
        self.pdf = pdf
        self.suggested_name = suggested_name
        self.saved_to: Path | None = None
        self.images = _page_images(pdf, scale=1.1)
        pages = QWidget()
        column = QVBoxLayout(pages)
        self.page_labels: list[QLabel] = []
        for number, image in enumerate(self.images, start=1):
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            label.setAccessibleName(f"Page {number} of {len(self.images)}")
            label.setFrameShape(QLabel.Shape.Box)
            column.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            self.page_labels.append(label)
        self.pages_view = QScrollArea()
        self.pages_view.setWidget(pages)
        self.pages_view.setWidgetResizable(True)
        self.pages_view.setAccessibleName("Pages")
        self.pages_view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.summary = QLabel(f"{count_of(len(self.images), 'page')}, landscape A4, as they will print.")
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        self.print_button = button("&Print…", "Print the document", self.print_document)
        buttons.addWidget(self.print_button)
        buttons.addWidget(button("Save as P&DF…", "Save the document as PDF", self.choose_save))
        buttons.addWidget(button("Close", "Close the preview", self.reject))
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages_view, 1)
        layout.addLayout(buttons)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Print), self, self.print_document)
        self.resize(1180, 760)
        self.pages_view.setFocus()

    def choose_save(self) -> None:
        path = save_file(self, "Save the chronology as PDF", self.suggested_name, "PDF (*.pdf)")
        if path:
            self.save_to(Path(path))

    @reports_errors("PDF not saved")
    def save_to(self, path: Path) -> None:
        if path.suffix.lower() != ".pdf":
            path = path.with_suffix(path.suffix + ".pdf") if path.suffix else path.with_suffix(".pdf")
        self.saved_to = write_user_file(path, self.pdf, overwrite=path.exists())
        announce(self.summary, f"Saved to {self.saved_to}")

    def print_document(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageOrientation(printer.pageLayout().orientation().Landscape)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer: QPagedPaintDevice) -> int:
        """Draw every page on `printer` (a QPrinter or any QPagedPaintDevice); returns the pages drawn."""
        images = _page_images(self.pdf, scale=300 / 72)
        painter = QPainter(printer)
        try:
            for number, image in enumerate(images):
                if number:
                    printer.newPage()
                area = painter.viewport()
                scaled = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(QRect(area.x(), area.y(), scaled.width(), scaled.height()), image)
        finally:
            painter.end()
        return len(images)

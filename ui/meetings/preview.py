"""Print preview of an issued pack: its real pages (the stored PDF), thumbnails, go to item, print.

Pages are rendered by pdfium (pypdfium2) from the PDF bytes in memory, the
same file that is printed or sent, so page numbers cannot disagree. Printing
goes through the system's print dialog (QPrinter) with page ranges, or the
chosen item's pages only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.meetings.reading import ItemPages, item_pages
from app.text import count_of
from ui.kit.announce import announce
from ui.kit.controls import text_label
from ui.kit.empty import explain_when_empty


def _image(page: Any, scale: float) -> QImage:
    bitmap = page.render(scale=scale, rev_byteorder=True)  # RGB(A) bytes in Qt's order
    width, height = bitmap.width, bitmap.height
    fmt = QImage.Format.Format_RGBA8888 if bitmap.n_channels == 4 else QImage.Format.Format_RGB888
    image = QImage(bitmap.buffer, width, height, bitmap.stride, fmt)
    return image.copy()  # own the pixels before pdfium frees its buffer


def page_span(first: int, last: int) -> str:
    """ "page 5" for one page ("pages 5–5" read as a typing slip), "pages 5–7" for more."""
    return f"page {first}" if last <= first else f"pages {first}–{last}"


def run_print_dialog(dialog: QPrintDialog) -> bool:
    return dialog.exec() == QDialog.DialogCode.Accepted


#: the print dialog blocks the event loop; tests replace this reference
choose_printer: Callable[[QPrintDialog], bool] = run_print_dialog


def print_pages(data: bytes, printer: QPrinter, pages: list[int]) -> int:
    """Draw the given 1-based pages on the printer, each scaled to the printable area. Returns pages printed."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    painter = QPainter()
    printed = 0
    try:
        if not painter.begin(printer):
            return 0
        dpi = min(300, max(72, printer.resolution()))
        for index, number in enumerate(pages):
            if index:
                printer.newPage()
            image = _image(document[number - 1], dpi / 72)
            area = painter.viewport()
            size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.setViewport(area.x(), area.y(), size.width(), size.height())
            painter.setWindow(image.rect())
            painter.drawImage(0, 0, image)
            painter.setViewport(area)
            printed += 1
    finally:
        if painter.isActive():
            painter.end()
        document.close()
    return printed


class PackPreview(QWidget):
    """Thumbnails on the left, the page on the right, a page box, an item chooser and Print."""

    def __init__(self) -> None:
        super().__init__()
        self.setAccessibleName("Pack preview")
        self._data: bytes | None = None
        self._document: Any = None
        self._items: list[ItemPages] = []
        self.copy_for = ""  # whose copy is shown (and printed): "" for the master
        self.thumbnails = QListWidget()
        self.thumbnails.setAccessibleName("Page thumbnails")
        explain_when_empty(self.thumbnails, "No pack to show: issue the pack (Ctrl+Shift+B) to see its pages here.")
        self.thumbnails.setViewMode(QListWidget.ViewMode.ListMode)
        self.thumbnails.setIconSize(QSize(60, 85))
        self.thumbnails.setFixedWidth(130)
        self.thumbnails.currentRowChanged.connect(lambda row: self.show_page(row + 1) if row >= 0 else None)
        self.page_label = text_label("Pack page", "No pack issued yet.")
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.page_view = QScrollArea()
        self.page_view.setWidget(self.page_label)
        self.page_view.setWidgetResizable(True)
        self.page_view.setAccessibleName("Pack page view")
        self.page_box = QSpinBox()
        self.page_box.setAccessibleName("Page number")
        self.page_box.setPrefix("Page ")
        self.page_box.setMinimum(1)
        self.page_box.valueChanged.connect(self._page_typed)
        self.total_label = QLabel("")
        self.item_box = QComboBox()
        self.item_box.setAccessibleName("Go to item")
        self.item_box.activated.connect(self._item_chosen)
        self.item_box.currentTextChanged.connect(self.item_box.setToolTip)  # the whole entry, where it is cut
        self.print_button = QPushButton("&Print...")
        self.print_button.setAccessibleName("Print the pack")
        self.print_button.clicked.connect(self.print_pack)
        self.item_only = QPushButton("Print this &item only...")
        self.item_only.setAccessibleName("Print the chosen item's pages only")
        self.item_only.clicked.connect(self.print_item)
        self.status = text_label("Preview status")
        # the item list takes the row's spare room: sized when first shown, still empty, it read "Item 1: A"
        go_to = QLabel("Go to i&tem:")
        go_to.setBuddy(self.item_box)
        bar = QHBoxLayout()
        for widget in (self.page_box, self.total_label, go_to):
            bar.addWidget(widget)
        bar.addWidget(self.item_box, 1)
        bar.addWidget(self.print_button)
        bar.addWidget(self.item_only)
        body = QHBoxLayout()
        body.addWidget(self.thumbnails)
        body.addWidget(self.page_view, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addLayout(body, 1)
        layout.addWidget(self.status)
        self._enable(False)

    # -- content -------------------------------------------------------------------

    def _enable(self, on: bool) -> None:
        for widget in (self.page_box, self.item_box, self.print_button, self.item_only, self.thumbnails):
            widget.setEnabled(on)

    def clear(self) -> None:
        self._close()
        self._data = None
        self.copy_for = ""
        self.thumbnails.clear()
        self.item_box.clear()
        self.page_label.setPixmap(QPixmap())
        self.page_label.setText("No pack issued yet.")
        self.total_label.setText("")
        self._enable(False)

    def _close(self) -> None:
        if self._document is not None:
            self._document.close()
            self._document = None

    def load(self, data: bytes, *, copy_for: str = "") -> None:
        """Show `data`, the pack or `copy_for`'s copy of it: the file Print prints."""
        import pypdfium2 as pdfium

        self._close()
        self._data = data
        self.copy_for = copy_for
        self._document = pdfium.PdfDocument(data)
        total = len(self._document)
        self.thumbnails.blockSignals(True)
        self.thumbnails.clear()
        for number in range(1, total + 1):
            thumb = QPixmap.fromImage(_image(self._document[number - 1], 0.12))
            entry = QListWidgetItem(QIcon(thumb), f"{number}")
            entry.setData(Qt.ItemDataRole.AccessibleTextRole, f"Page {number} of {total}")
            self.thumbnails.addItem(entry)
        self.thumbnails.blockSignals(False)
        self._items = item_pages(data)
        self.item_box.clear()
        for item in self._items:
            # the pages before the title: a title the box cannot show whole loses its end, not where it is
            span = page_span(item.first, item.last or item.first) if item.first else "no papers"
            heading, colon, title = item.title.partition(": ")
            self.item_box.addItem(f"{heading} ({span}): {title}" if colon else f"{item.title} ({span})", item.number)
        self.page_box.blockSignals(True)
        self.page_box.setMaximum(total)
        self.page_box.setValue(1)
        self.page_box.blockSignals(False)
        self.total_label.setText(f"of {total}")
        self._enable(True)
        self.show_page(1)

    @property
    def page_count(self) -> int:
        return len(self._document) if self._document is not None else 0

    @property
    def current_page(self) -> int:
        return self.page_box.value()

    def show_page(self, number: int) -> None:
        if self._document is None or not 1 <= number <= self.page_count:
            return
        image = _image(self._document[number - 1], 1.0)
        self.page_label.setPixmap(QPixmap.fromImage(image))
        self.page_label.setAccessibleDescription(f"Page {number} of {self.page_count}")
        for widget, value in ((self.page_box, number), (self.thumbnails, number - 1)):
            widget.blockSignals(True)
            if widget is self.page_box:
                self.page_box.setValue(value)
            else:
                self.thumbnails.setCurrentRow(value)
            widget.blockSignals(False)
        announce(self.status, f"Showing page {number} of {self.page_count}")

    def _page_typed(self, value: int) -> None:
        self.show_page(value)

    def _chosen_item(self) -> ItemPages | None:
        number = self.item_box.currentData()
        return next((i for i in self._items if i.number == number), None)

    def _item_chosen(self, _index: int) -> None:
        item = self._chosen_item()
        if item is not None and item.first:
            self.show_page(item.first)
        elif item is not None:
            announce(self.status, f"{item.title} has no papers in this pack.")

    # -- printing ------------------------------------------------------------------

    def _print(self, pages: list[int] | None) -> int:
        if self._data is None:
            return 0
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(f"Meeting pack, copy for {self.copy_for}" if self.copy_for else "Meeting pack")
        dialog = QPrintDialog(printer, self)
        dialog.setAccessibleName("Print the pack")
        dialog.setMinMax(1, self.page_count)
        if pages is None:
            dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
        else:
            printer.setFromTo(pages[0], pages[-1])
            printer.setPrintRange(QPrinter.PrintRange.PageRange)
        if not choose_printer(dialog):
            return 0
        if pages is None:
            if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage():
                pages = list(range(printer.fromPage(), (printer.toPage() or self.page_count) + 1))
            elif printer.printRange() == QPrinter.PrintRange.CurrentPage:
                pages = [self.current_page]
            else:
                pages = list(range(1, self.page_count + 1))
        printed = print_pages(self._data, printer, pages)
        announce(self.status, f"Sent {count_of(printed, 'page')} to the printer.")
        return printed

    def print_pack(self) -> int:
        return self._print(None)

    def print_item(self) -> int:
        item = self._chosen_item()
        if item is None or not item.first or not item.last:
            announce(self.status, "Choose an item with papers to print it alone.")
            return 0
        return self._print(list(range(item.first, item.last + 1)))

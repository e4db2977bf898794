"""Table models of the meetings area: meetings, agenda items (reorder by drag), papers, members, packs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QMimeData, QModelIndex, QPersistentModelIndex, Qt

from app.meetings.service import MeetingRow
from ui.kit.dates import uk
from ui.kit.table_model import RIGHT, ColumnTableModel, TableColumn, number_column

ITEM_MIME = "application/x-workbench-agenda-row"


class MeetingsModel(ColumnTableModel[MeetingRow]):
    columns = (
        TableColumn("Date", lambda r: uk(r.meets_on), sort=lambda r: r.meets_on),
        TableColumn("Body", lambda r: r.body_code or r.body, sort=lambda r: r.body, tooltip=lambda r: r.body),
        # short: the whole note ("Issued 3 Dec; agenda changed since: re-issue") put Items behind a scroll bar
        TableColumn("Status", lambda r: r.status_short, tooltip=lambda r: r.status_label),
        number_column("Items", lambda r: r.items),
    )


@dataclass(frozen=True)
class ItemRow:
    uuid: str
    number: int
    title: str
    presenter: str
    purpose: str
    minutes: int
    restricted: bool
    papers: int
    notes: str
    decisions: str


class ItemsModel(ColumnTableModel[ItemRow]):
    """The agenda; rows can be dragged to a new place (the page writes the move)."""

    columns = (
        number_column("No.", lambda r: r.number),
        TableColumn("Title", lambda r: r.title, tooltip=lambda r: r.title),  # read in full where the column is squeezed
        TableColumn("Presenter", lambda r: r.presenter),
        TableColumn("Purpose", lambda r: r.purpose.capitalize()),
        TableColumn("Time", lambda r: f"{r.minutes} min", sort=lambda r: r.minutes, align=RIGHT),
        TableColumn("Restricted", lambda r: "Restricted" if r.restricted else "No"),
        number_column("Papers", lambda r: r.papers),
    )

    def __init__(self, on_move: Callable[[str, int], None]) -> None:
        super().__init__()
        self.on_move = on_move

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = super().flags(index) | Qt.ItemFlag.ItemIsDragEnabled
        return base if index.isValid() else base | Qt.ItemFlag.ItemIsDropEnabled

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [ITEM_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        data = QMimeData()
        rows = sorted({i.row() for i in indexes if i.isValid()})
        data.setData(ITEM_MIME, str(rows[0] if rows else -1).encode())
        return data

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        if action != Qt.DropAction.MoveAction or not data.hasFormat(ITEM_MIME):
            return False
        source = int(bytes(data.data(ITEM_MIME).data()).decode() or -1)
        target = row if row >= 0 else (parent.row() if parent.isValid() else len(self.rows))
        if not 0 <= source < len(self.rows):
            return False
        if target > source:
            target -= 1
        if target != source:
            self.on_move(self.rows[source].uuid, target)
        return False  # the page reloads from the store; Qt must not remove the dragged row itself


@dataclass(frozen=True)
class PaperRow:
    uuid: str
    title: str
    kind: str
    detail: str


class PapersModel(ColumnTableModel[PaperRow]):
    columns = (
        TableColumn("Paper", lambda r: r.title),
        TableColumn("Kind", lambda r: "Attached PDF" if r.kind == "file" else "Live report"),
        TableColumn("Detail", lambda r: r.detail),
    )


@dataclass(frozen=True)
class MemberRow:
    uuid: str
    name: str
    role: str
    attendance: str
    cleared: bool
    #: the exchange contact their sealed copy goes to ("": none)
    contact: str = ""


class MembersModel(ColumnTableModel[MemberRow]):
    columns = (
        TableColumn("Name", lambda r: r.name),
        TableColumn("Role", lambda r: r.role),
        TableColumn("Attendance", lambda r: r.attendance.capitalize()),
        TableColumn("Restricted papers", lambda r: "Cleared" if r.cleared else "Not cleared"),
        TableColumn("Exchange contact", lambda r: r.contact or "None (no sealed copy)"),
    )


@dataclass(frozen=True)
class PackRow:
    uuid: str
    version: int
    pack_id: str
    issued_on: Any
    pages: int
    changes: int


class PacksModel(ColumnTableModel[PackRow]):
    columns = (
        number_column("Version", lambda r: r.version),
        TableColumn("Pack ID", lambda r: r.pack_id),
        TableColumn("Issued", lambda r: uk(r.issued_on), sort=lambda r: r.issued_on),
        number_column("Pages", lambda r: r.pages),
        TableColumn("Changes", lambda r: str(r.changes) if r.version > 1 else "-", align=RIGHT),
    )

"""The tracker table: one row per action, RAG as a coloured cell that also says its colour in words.

This model holds every action in reference order; the tracker view
(ui.actions.tracker_view) filters, groups and sorts row numbers with the
per-column sort keys the base model works out once per load.
"""

from __future__ import annotations

from app.actions.queries import ActionRow
from app.actions.rag import Rag
from app.clock import uk
from ui.kit.table_model import ColumnTableModel, TableColumn

RAG_URGENCY = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2, Rag.BLUE: 3, Rag.GREY: 4}


def _progress(row: ActionRow) -> str:
    return f"{uk(row.last_progress_on)}: {row.last_progress}" if row.last_progress else ""


def _status_tooltip(row: ActionRow) -> str:
    if row.unsettled:
        return f"A merge of two members' edits left this action {row.unsettled}: settle it in Exchange, Conflicts."
    return row.status_label


def _rag_tooltip(row: ActionRow) -> str:
    return f"Override: {row.override_reason}" if row.overridden else row.rag_text


class ActionTableModel(ColumnTableModel[ActionRow]):
    columns = (
        TableColumn("Reference", lambda r: r.reference),
        TableColumn("Source", lambda r: r.source_display, sort=lambda r: (r.source_kind_label, r.source_label)),
        TableColumn("Action", lambda r: r.title),
        TableColumn("Owner", lambda r: r.agency),
        TableColumn("Lead officer", lambda r: r.lead_officer),
        TableColumn("Due", lambda r: uk(r.due), sort=lambda r: r.due),
        TableColumn("Status", lambda r: r.status_text, tooltip=_status_tooltip),
        TableColumn(
            "RAG",
            lambda r: r.rag_text,
            sort=lambda r: RAG_URGENCY[r.rag],
            tooltip=_rag_tooltip,
            colours=lambda r: (r.rag.colour, "#000000"),
        ),
        TableColumn("Latest progress", _progress, sort=lambda r: r.last_progress_on),
    )

    def all_rows(self) -> list[ActionRow]:
        """The model's own list (not a copy): for views that filter and sort it; do not modify."""
        return self.rows

    def row_of(self, uuid: str) -> int:
        for number, row in enumerate(self.rows):
            if row.uuid == uuid:
                return number
        return -1


COLUMNS = tuple(column.heading for column in ActionTableModel.columns)
RAG_COLUMN = COLUMNS.index("RAG")
SOURCE_COLUMN = COLUMNS.index("Source")

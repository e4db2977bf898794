"""Table models of the Section 11 area: cycles, the agencies of a cycle, one agency's standards.

Colour is never the only signal: every coloured cell carries its words (status, RAG, "late").
"""

from __future__ import annotations

from app.section11 import status as st
from app.section11.cycles import CycleView, RegisterRow
from app.section11.moderation import AssessmentRow
from app.section11.scales import RAG_COLOURS
from ui.kit.dates import uk
from ui.kit.table_model import CENTRE, ColumnTableModel, TableColumn, number_column

BLACK = "#000000"
#: status -> pale fill; the status word is always in the cell
STATUS_COLOURS = {
    st.NOT_SENT: "#eeeeee",
    st.SENT: "#e3ecf7",
    st.RETURNED: "#d6e6f5",
    st.MODERATED: "#dcd3ee",
    st.INTERVIEW_BOOKED: "#fde9b0",
    st.INTERVIEWED: "#e6f2d9",
    st.LETTER_ISSUED: "#d9ead3",
    st.ACTIONS_AGREED: "#cfe8cf",
    st.CLOSED: "#d9d9d9",
}
LATE_COLOURS = ("#f4c7c3", BLACK)


def period_text(cycle: CycleView) -> str:
    return f"{uk(cycle.period_start)} to {uk(cycle.period_end)}"


class CycleModel(ColumnTableModel[CycleView]):
    columns = (
        TableColumn("Cycle", lambda c: c.name + (" (closed)" if c.closed else "")),
        TableColumn("Period", period_text, sort=lambda c: c.period_start),
        number_column("Agencies", lambda c: c.agencies),
        TableColumn("Scale", lambda c: c.scale_name),
    )


def _late_text(row: RegisterRow) -> str:
    return row.late or "Nothing late"


class RegisterModel(ColumnTableModel[RegisterRow]):
    columns = (
        TableColumn("Agency", lambda r: r.agency),
        TableColumn("Sector", lambda r: r.sector or "-"),
        TableColumn(
            "Status",
            lambda r: r.status_label,
            sort=lambda r: st.rank(r.status),
            colours=lambda r: (STATUS_COLOURS.get(r.status, "#ffffff"), BLACK),
        ),
        TableColumn("Late", _late_text, colours=lambda r: LATE_COLOURS if r.late else None),
        TableColumn("Next step", lambda r: r.next_step),
        TableColumn("Self-scored", lambda r: f"{r.scored} of {r.standards}", sort=lambda r: r.scored, align=CENTRE),
        TableColumn("Moderated", lambda r: f"{r.moderated} of {r.standards}", sort=lambda r: r.moderated, align=CENTRE),
    )
    AGENCY = 0
    STATUS = 2
    LATE = 3
    NEXT = 4


def return_text(row: RegisterRow) -> str:
    return (
        f"return version {row.return_version} received {uk(row.returned_on)}"
        if row.returned_on
        else "no return received yet"
    )


def compact(label: str) -> str:
    """A scale label short enough for a table cell: "3 - Fully in place with evidence of impact" -> "3 - Fully in
    place" (the full label is in the cell's tooltip and beside the editor)."""
    for cut in (",", " with ", " but "):
        label = label.split(cut)[0]
    return label


def _moderated_text(row: AssessmentRow) -> str:
    return compact(row.moderated_text) + (" (differs)" if row.differs else "")


def _rationale_text(row: AssessmentRow) -> str:
    text = row.rationale or ("Needed" if row.differs else "-")
    return f"{text} (merge conflict to settle)" if row.unsettled else text


def _rationale_tooltip(row: AssessmentRow) -> str:
    if row.unsettled:  # a merge of two members' edits is never applied silently (docs/merge.md)
        return (
            f"A merge of two members' edits left this score {row.unsettled}. Give the panel's rationale, "
            "then mark the conflict settled under Exchange, Conflicts."
        )
    return row.rationale or "No rationale recorded"


class AssessmentModel(ColumnTableModel[AssessmentRow]):
    columns = (
        number_column("No.", lambda r: r.number, CENTRE),
        TableColumn("Standard", lambda r: r.title),
        TableColumn(
            "Self score",
            lambda r: compact(r.self_text) + (" (carried forward)" if r.carried_forward else ""),
            sort=lambda r: r.self_score,
            tooltip=lambda r: r.self_text,
        ),
        TableColumn("Moderated", _moderated_text, sort=lambda r: r.moderated_score, tooltip=lambda r: r.moderated_text),
        TableColumn("RAG", lambda r: r.rag_text, colours=lambda r: (RAG_COLOURS[r.rag], BLACK)),
        TableColumn("Last cycle", lambda r: compact(r.last_cycle_text) or "None", tooltip=lambda r: r.last_cycle_text),
        TableColumn("Rationale", _rationale_text, tooltip=_rationale_tooltip),
    )
    STANDARD = 1
    RATIONALE = 6

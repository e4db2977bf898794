"""Who attends a Section 11 interview: the list editor of the booking dialog and of interview mode.

One row per person: name, role, and kind (agency representative, Chair, panel
member, other) chosen from readable labels. The domain checks the rows
(`app.section11.interview.check_attendees`: a name in every row that has
anything, names and roles within their field limits), and the editor shows its
message on the cell it names.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QWidget

from app.section11.interview import ATTENDEE_KINDS, Attendee, check_attendees
from ui.kit.row_editor import RowEditor, RowField

FIELDS = (
    RowField("name", "Name", placeholder="e.g. Dr Helen Marsh"),
    RowField("role", "Role", placeholder="e.g. Independent Chair"),
    RowField(
        "kind",
        "Kind",
        choices=tuple((label, key) for key, label in ATTENDEE_KINDS.items()),
        default="agency",
        stretch=False,
    ),
)


class AttendeesEditor(RowEditor):
    def __init__(self, parent: QWidget | None = None, *, shown_rows: int = 4, says_problems: bool = True) -> None:
        super().__init__(
            "Attendees",
            FIELDS,
            noun="attendee",
            validate=check_attendees,
            shown_rows=shown_rows,
            says_problems=says_problems,
            parent=parent,
        )

    def set_attendees(self, attendees: Iterable[Attendee]) -> None:
        self.set_rows([a.as_json() for a in attendees])

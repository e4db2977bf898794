"""What the Section 11 area offers the others: its interviews as action sources, its demo part,
and the cycle heat map and status for meeting packs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.contributions import ActionSourceKind, PackReport, ReportFilter, agency_filter, lazy, offer
from app.records.naming import register_kinds
from app.section11.naming import NAMINGS, RULES

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def _cycles_by_name(session: Session) -> list[tuple[str, str]]:
    """(name, id) of every cycle, newest first: the choices of the pack paper's cycle filter."""
    from app.section11.action_source import cycle_groups

    return [(name, uuid) for uuid, name in cycle_groups(session)]


offer(
    "section11",
    action_source=ActionSourceKind.of_records(
        "app.section11.action_source",
        "section11",
        "Section 11 challenge",
        "section11",
        order=40,
        example="section11:CYCLE/AGENCY or section11:CYCLE/AGENCY#N",
        groups="cycle_groups",
    ),
    demo_order=50,
    pack_report=PackReport(
        "section11",
        "Section 11: heat map and cycle status",
        lazy("app.section11.pack:build"),
        order=40,
        # a cycle chosen by name and stored by id (the paper reads either); the register's agencies
        filters={
            "cycle": ReportFilter("Section 11 cycle", _cycles_by_name, unset="Newest cycle when the pack is built"),
            "agency": agency_filter(),
        },
        description="Moderated scores of every agency by standard (number or word in each cell), and where each "
        "agency is in the cycle.",
    ),
    # Conflicts name scores, letters and interviews by agency, standard and cycle ("Section 11 score of
    # Police, standard 3 (S11 2026)"); a merge keeps the moderation rule (docs/merge.md).
    namings=NAMINGS,
    merge_rules=RULES,
)
# the autosave drafts never travel, so only their kind in users' words (counts, the audit log)
register_kinds({"s11_draft": "Interview notes being typed"}, not_counted=("s11_draft",))

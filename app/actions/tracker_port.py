"""The action tracker as other areas see it (`app.contributions.ACTION_TRACKER`).

Light at import: the services load when an area first creates or lists actions.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from app.contributions import LinkedAction, SourceRef

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.records import UnitOfWork


class TrackerPort:
    def create(
        self,
        uow: UnitOfWork,
        *,
        title: str,
        owner_agency_uuid: str,
        due: date,
        source: SourceRef,
        lead_officer: str = "",
        success_measure: str = "",
    ) -> str:
        from app.actions.service import add_action
        from app.agencies import agency_by_uuid

        owner = agency_by_uuid(uow.session, owner_agency_uuid)
        action = add_action(
            uow,
            title=title,
            owner=owner.name,
            due=due,
            source=source,
            lead_officer=lead_officer,
            success_measure=success_measure,
        )
        return action.reference

    def linked(self, session: Session, source_uuids: list[str]) -> list[LinkedAction]:
        from app.actions.queries import list_actions

        wanted = set(source_uuids)
        if not wanted:
            return []
        return [
            LinkedAction(
                row.uuid, row.reference, row.title, row.agency, row.due, row.status_label, row.rag_text, row.source_uuid
            )
            for row in list_actions(session)
            if row.source_uuid in wanted
        ]

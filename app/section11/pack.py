"""The meeting-pack paper: the cycle's heat map (vector) and where every agency is."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.contributions import ReportRequest


def build(session: Session, request: ReportRequest) -> list[Any]:
    from app.section11.reports import pack_flowables

    return pack_flowables(session, request)

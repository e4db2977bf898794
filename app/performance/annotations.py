"""Annotations on an indicator's charts: what explains a shift ("new recording system from 2026Q2").

An annotation belongs to an indicator and a quarter; every chart of that
indicator (screen, the quarter's report, meeting packs) draws it as a dotted line
with its words. Unlike a definition change it does not restart the mean and
limits: it is context for the reader, not a new measure.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import InvalidInput
from app.performance.catalogue import find_indicator
from app.performance.periods import Period
from app.records import UnitOfWork
from app.records.limits import check_text
from app.records.live import live_children, live_record
from db.models.performance import ChartAnnotation, Indicator


@dataclass(frozen=True)
class AnnotationRow:
    uuid: str
    indicator_uuid: str
    indicator_code: str
    period: str
    text: str

    @property
    def period_index(self) -> int:
        return Period.parse(self.period).index

    def as_json(self) -> dict[str, str]:
        return {"indicator": self.indicator_code, "period": self.period, "text": self.text}


def add_annotation(uow: UnitOfWork, indicator: str, period: str, text: str) -> AnnotationRow:
    """`indicator` is its code; the text is what a reader of the chart needs, in a few words."""
    found = find_indicator(uow.session, indicator)
    quarter = str(Period.parse(period))
    words = check_text("perf_annotation", "text", " ".join(text.split()), label="The annotation")
    if not words:
        raise InvalidInput("Write the annotation's text, e.g. 'New recording system'.")
    if any(a.period == quarter and a.text.casefold() == words.casefold() for a in _of(uow.session, found.uuid)):
        raise InvalidInput(f"{found.code} already has the annotation {words!r} at {quarter}.")
    record = uow.create(
        ChartAnnotation,
        indicator_uuid=found.uuid,
        period=quarter,
        text=words,
        summary=f"Annotated {found.code} at {quarter}: {words}",
    )
    return AnnotationRow(record.uuid, found.uuid, found.code, quarter, words)


def remove_annotation(uow: UnitOfWork, annotation_uuid: str) -> None:
    record = live_record(
        uow.session,
        ChartAnnotation,
        annotation_uuid,
        "That annotation is no longer there (removed here or by a colleague).",
    )
    uow.delete(record, summary=f"Removed a chart annotation at {record.period}")


def find_annotation(session: Session, indicator: str, period: str, text: str) -> str:
    """The uuid of the annotation of `indicator` at `period` whose text starts with `text`."""
    found = find_indicator(session, indicator)
    quarter = str(Period.parse(period))
    wanted = text.strip().casefold()
    matches = [a for a in _of(session, found.uuid) if a.period == quarter and a.text.casefold().startswith(wanted)]
    if len(matches) != 1:
        there = "; ".join(f"{a.period} {a.text}" for a in _of(session, found.uuid)) or "none"
        which = "No" if not matches else "More than one"
        raise InvalidInput(
            f"{which} annotation of {found.code} at {quarter} starts with {text!r}. Annotations: {there}."
        )
    return matches[0].uuid


def list_annotations(session: Session, indicator: str | None = None) -> list[AnnotationRow]:
    """Every annotation (of one indicator, by code, if given), by indicator then quarter."""
    query = (
        select(
            ChartAnnotation.uuid,
            ChartAnnotation.indicator_uuid,
            Indicator.code,
            ChartAnnotation.period,
            ChartAnnotation.text,
        )
        .join(Indicator, Indicator.uuid == ChartAnnotation.indicator_uuid)
        .where(ChartAnnotation.deleted_stamp.is_(None))
        .order_by(Indicator.code, ChartAnnotation.period, ChartAnnotation.text)
    )
    if indicator is not None:
        query = query.where(ChartAnnotation.indicator_uuid == find_indicator(session, indicator).uuid)
    return [AnnotationRow(*row) for row in session.execute(query)]


def annotations_by_indicator(session: Session) -> dict[str, list[AnnotationRow]]:
    """Indicator uuid -> its annotations by quarter: what charts draw and the indicator page lists."""
    out: dict[str, list[AnnotationRow]] = defaultdict(list)
    for row in list_annotations(session):
        out[row.indicator_uuid].append(row)
    return dict(out)


def _of(session: Session, indicator_uuid: str) -> list[ChartAnnotation]:
    return live_children(
        session, ChartAnnotation, ChartAnnotation.indicator_uuid, indicator_uuid, ChartAnnotation.period
    )

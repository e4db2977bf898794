"""Performance data: the indicator catalogue, figures, comparators and exceptions (aggregates only).

Only aggregate figures live here, never child-level data. Every table is
exchangeable. Figures, comparators and exception notes take a UUID derived from
what they are about (indicator, agency, period...), so two members who each
import the same return, or each comment on the same exception, end up with one
record whose fields merge, not two.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Exchangeable


class Indicator(Exchangeable, Base):
    """One indicator of the dataset, in its current definition (breaks record earlier ones)."""

    __tablename__ = "perf_indicator"
    code: Mapped[str] = mapped_column(String(40), index=True)
    name: Mapped[str] = mapped_column(String(200))
    definition: Mapped[str] = mapped_column(Text, default="")
    numerator: Mapped[str] = mapped_column(Text, default="")
    denominator: Mapped[str] = mapped_column(Text, default="")
    #: app.performance.catalogue.UNITS: count, percent, rate, days, number
    unit: Mapped[str] = mapped_column(String(20), default="count")
    #: rate per N (10,000 children for a rate; 100 for a percentage; 1 otherwise)
    per: Mapped[int] = mapped_column(Integer, default=1)
    #: higher / lower / neither: which direction is better
    polarity: Mapped[str] = mapped_column(String(10), default="neither")
    frequency: Mapped[str] = mapped_column(String(20), default="quarterly")
    #: the agency that owns (and reports) it; None: every agency reports it
    owner_agency_uuid: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("agency.uuid"), default=None, index=True
    )
    source_system: Mapped[str] = mapped_column(String(200), default="")
    theme: Mapped[str] = mapped_column(String(100), default="")
    target: Mapped[float | None] = mapped_column(Float, default=None)
    #: 1 for the first definition; a definition change starts a new version (see DefinitionBreak)
    version: Mapped[int] = mapped_column(Integer, default=1)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class DefinitionBreak(Exchangeable, Base):
    """From `from_period` the indicator is counted differently: charts do not join across it."""

    __tablename__ = "perf_definition_break"
    indicator_uuid: Mapped[str] = mapped_column(String(36), ForeignKey("perf_indicator.uuid"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    from_period: Mapped[str] = mapped_column(String(7))
    note: Mapped[str] = mapped_column(Text, default="")
    previous_definition: Mapped[str] = mapped_column(Text, default="")


class FigureValue(Exchangeable, Base):
    """One agency's figure for one indicator and quarter (value, and its numerator/denominator)."""

    __tablename__ = "perf_value"
    indicator_uuid: Mapped[str] = mapped_column(String(36), ForeignKey("perf_indicator.uuid"), index=True)
    agency_uuid: Mapped[str] = mapped_column(String(36), ForeignKey("agency.uuid"), index=True)
    #: "2026Q3" (calendar quarters)
    period: Mapped[str] = mapped_column(String(7), index=True)
    value: Mapped[float | None] = mapped_column(Float, default=None)
    numerator: Mapped[float | None] = mapped_column(Float, default=None)
    denominator: Mapped[float | None] = mapped_column(Float, default=None)
    #: where it came from: "return Police 2026Q3.xlsx row 12"
    source: Mapped[str] = mapped_column(String(300), default="")
    submitted_on: Mapped[date | None] = mapped_column(Date, default=None)


class Comparator(Exchangeable, Base):
    """A statistical-neighbour or England value for an indicator and quarter, with its source."""

    __tablename__ = "perf_comparator"
    indicator_uuid: Mapped[str] = mapped_column(String(36), ForeignKey("perf_indicator.uuid"), index=True)
    period: Mapped[str] = mapped_column(String(7), index=True)
    #: "neighbours" or "england"
    kind: Mapped[str] = mapped_column(String(20))
    value: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(300), default="")
    source_date: Mapped[date | None] = mapped_column(Date, default=None)


class ExceptionNote(Exchangeable, Base):
    """An exception of a quarter as the panel handles it: the agency's commentary and the panel's view.

    Exceptions are detected from the figures; this record holds what people wrote
    about one (commentary and view are separate fields, so two members' edits merge).
    """

    __tablename__ = "perf_exception"
    #: None for a missing return (the whole return, not one indicator)
    indicator_uuid: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("perf_indicator.uuid"), default=None, index=True
    )
    agency_uuid: Mapped[str] = mapped_column(String(36), ForeignKey("agency.uuid"), index=True)
    period: Mapped[str] = mapped_column(String(7), index=True)
    #: special_cause / comparator_gap / missing_return
    kind: Mapped[str] = mapped_column(String(30))
    detail: Mapped[str] = mapped_column(Text, default="")
    agency_commentary: Mapped[str] = mapped_column(Text, default="")
    panel_view: Mapped[str] = mapped_column(Text, default="")
    #: open / explained / closed
    status: Mapped[str] = mapped_column(String(20), default="open")


class PerformanceSetting(Exchangeable, Base):
    """A partnership-wide setting of the data area (small-number threshold, comparator tolerance)."""

    __tablename__ = "perf_setting"
    key: Mapped[str] = mapped_column(String(40), index=True)
    value: Mapped[str] = mapped_column(String(200))


class ChartAnnotation(Exchangeable, Base):
    """A note on an indicator's charts from a quarter on ("new recording system", "service redesign").

    Drawn on every chart of the indicator (screen, reports, meeting packs) as a
    dotted line with its text, like a definition break, but without restarting the
    process limits: it explains a shift, it does not redefine the measure.
    """

    __tablename__ = "perf_annotation"
    indicator_uuid: Mapped[str] = mapped_column(String(36), ForeignKey("perf_indicator.uuid"), index=True)
    period: Mapped[str] = mapped_column(String(7), index=True)
    text: Mapped[str] = mapped_column(String(120))

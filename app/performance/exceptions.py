"""The exception list of a quarter: special-cause variation, gaps to comparators, missing returns.

Exceptions are detected from the figures each time (they follow the data);
what people write about one (the owning agency's commentary, the panel's
view, its status) is an `ExceptionNote` whose identity is derived from the
exception, so it survives re-detection and merges field by field between
members. "Create action" puts an action in the tracker with the exception as
its source (`app.contributions.ACTION_TRACKER`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from typing import Any

from sqlalchemy.orm import Session

from app.contributions import ACTION_TRACKER, SourceRef
from app.errors import InvalidInput
from app.performance.analysis import (
    COMPARATOR_KINDS,
    SIGNAL_WITHHELD,
    Dataset,
    Series,
    comparator_gap,
    load_dataset,
    signal_told,
    withheld_at,
)
from app.performance.periods import Period, require_started
from app.performance.returns import indicators_for
from app.performance.spc import signal_for
from app.performance.suppression import (
    gap_shown,
    limits_withheld,
    same_for_every_small_count,
    shown,
    withholds_a_count,
)
from app.records import UnitOfWork
from app.records.hlc import Stamp
from app.text import count_of
from db.base import live
from db.models.core import Agency
from db.models.performance import ExceptionNote

_NAMESPACE = uuid.UUID("c7a3e9d2-2b1f-4f0c-9e55-3a8d6b2f1c41")
SOURCE_KIND = "performance_exception"
KINDS = {"special_cause": "Special cause", "comparator_gap": "Comparator gap", "missing_return": "Missing return"}
STATUSES = {"open": "Open", "explained": "Explained", "closed": "Closed"}


def exception_uuid(kind: str, indicator: str | None, agency: str, period: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{kind}|{indicator or ''}|{agency}|{period}"))


@dataclass
class ExceptionRow:
    uuid: str
    kind: str
    period: str
    indicator_uuid: str | None
    code: str
    indicator: str
    agency_uuid: str
    agency: str
    detail: str
    agency_commentary: str = ""
    panel_view: str = ""
    status: str = "open"
    actions: list[str] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    @property
    def source_label(self) -> str:
        what = self.code or "return"
        return f"{self.period} {what} ({self.agency}): {self.kind_label}"

    def as_json(self) -> dict[str, object]:
        return {
            "uuid": self.uuid,
            "kind": self.kind,
            "period": self.period,
            "indicator": self.code,
            "agency": self.agency,
            "detail": self.detail,
            "agency_commentary": self.agency_commentary,
            "panel_view": self.panel_view,
            "status": self.status,
            "actions": self.actions,
        }


def detect(data: Dataset, period: Period, agencies_reporting: dict[str, tuple[str, int]]) -> list[ExceptionRow]:
    """Exceptions of `period` from the dataset; `agencies_reporting`: agency uuid -> (name, indicators expected)."""
    at = period.index
    rows: list[ExceptionRow] = []
    tolerance = data.settings.comparator_tolerance_percent / 100
    threshold = data.settings.small_number_threshold
    submitted: dict[str, int] = {}
    for (indicator_uuid, agency_uuid), series in data.series.items():
        point = series.at(at)
        if point is None or point.value is None:
            continue
        submitted[agency_uuid] = submitted.get(agency_uuid, 0) + 1
        info = series.indicator
        seen = shown(point.value, point.numerator, info.unit, threshold)
        candidates = withheld_at(point, info, threshold)
        figure = info.figure_text(seen, point.value)
        chart, points = series.spc(at)
        if chart is not None and points and points[-1].period == at:
            flags = chart.flags_at(len(points) - 1)
            told = signal_told(points, info, threshold)
            if flags or not told:
                # a withheld count whose signal another count under the threshold would change is listed
                # whatever its own (listing it only when unusual would say which counts it can be), unnamed
                signal = signal_for(flags, info.polarity)
                rules = "; ".join(sorted({f.words for f in flags}))
                limits = (
                    limits_withheld(threshold)
                    if withholds_a_count(withheld_at(p, info, threshold) for p in points)
                    else f"mean {info.with_unit(chart.mean)}, limits {info.with_unit(chart.lower, chart.upper)}"
                )
                said = (
                    f"{signal.short}: {rules}"
                    if told
                    else f"Signal {SIGNAL_WITHHELD}: special cause for some counts under {threshold}, not for others"
                )
                detail = f"{said}. Latest {figure}; {limits}."
                rows.append(
                    _of_series("special_cause", str(period), period, series, indicator_uuid, agency_uuid, detail)
                )
        for kind, label in COMPARATOR_KINDS.items():
            comparator = data.comparators.get(indicator_uuid, {}).get(kind, {}).get(at)
            if comparator is None:
                continue
            text, relative = comparator_gap(point.value, comparator, info.unit)
            if not _beyond_tolerance(relative, tolerance, info.polarity):
                continue
            if seen.hidden and not same_for_every_small_count(
                partial(
                    _gap_listed, comparator=comparator, unit=info.unit, tolerance=tolerance, polarity=info.polarity
                ),
                point.value,
                threshold,
                candidates,
            ):
                # beside "fewer than 5" the gap's being listed at all would narrow the count down (against a
                # comparator of 3.5, only 4 is "above" it): a count withheld is compared only where every
                # count under the threshold would be listed alike
                continue
            detail = (
                f"{figure} against {label} {info.with_unit(comparator)}: "
                f"{gap_shown(text, relative, seen, point.value, comparator, threshold, candidates)} "
                f"(tolerance {data.settings.comparator_tolerance_percent:g}%)."
            )
            rows.append(
                _of_series("comparator_gap", f"{period}/{kind}", period, series, indicator_uuid, agency_uuid, detail)
            )
    for agency_uuid, (name, expected) in agencies_reporting.items():
        got = submitted.get(agency_uuid, 0)
        if expected and got == 0:
            rows.append(
                ExceptionRow(
                    exception_uuid("missing_return", None, agency_uuid, str(period)),
                    "missing_return",
                    str(period),
                    None,
                    "",
                    "",
                    agency_uuid,
                    name,
                    f"No figures for {period} ({count_of(expected, 'indicator')} expected).",
                )
            )
    order = {"missing_return": 0, "special_cause": 1, "comparator_gap": 2}
    rows.sort(key=lambda r: (order[r.kind], r.code, r.agency))
    return rows


def _gap_listed(value: float, *, comparator: float, unit: str, tolerance: float, polarity: str) -> bool:
    return _beyond_tolerance(comparator_gap(value, comparator, unit)[1], tolerance, polarity)


def _beyond_tolerance(relative: float | None, tolerance: float, polarity: str) -> bool:
    """Is a relative gap to a comparator an exception: beyond the tolerance, in the unfavourable direction
    (either direction where neither is better)?"""
    if relative is None or abs(relative) <= tolerance:
        return False
    worse = (relative < 0) if polarity == "higher" else (relative > 0)
    return polarity == "neither" or worse


def _of_series(
    kind: str, key: str, period: Period, series: Series, indicator_uuid: str, agency_uuid: str, detail: str
) -> ExceptionRow:
    """An exception about one agency's figures for one indicator; `key` tells it from others of its kind
    (a comparator gap's key names the comparator too)."""
    info = series.indicator
    return ExceptionRow(
        exception_uuid(kind, indicator_uuid, agency_uuid, key),
        kind,
        str(period),
        indicator_uuid,
        info.code,
        info.name,
        agency_uuid,
        series.agency,
        detail,
    )


def expected_returns(session: Session) -> dict[str, tuple[str, int]]:
    """Agency uuid -> (short name, indicators it reports)."""
    out = {}
    for agency in session.scalars(live(Agency).order_by(Agency.short_name)):
        count = len(indicators_for(session, agency))
        if count:
            out[agency.uuid] = (agency.short_name or agency.name, count)
    return out


class Returns(list[tuple[str, int, int]]):
    """The returns incomplete for a quarter, (agency, figures received, indicators expected), those with no
    figures at all included; none before the returns are due (`due`), when an agency that has sent nothing
    is not late. `sent` of the `agencies` expected to report have sent figures for the quarter."""

    def __init__(
        self, rows: list[tuple[str, int, int]], *, period: Period, due: date, today: date, sent: int, agencies: int
    ) -> None:
        super().__init__(rows)
        self.period, self.due, self.today, self.sent, self.agencies = period, due, today, sent, agencies

    @property
    def overdue(self) -> bool:
        """Are the returns due by now (a missing one an exception)? Not on the due day itself."""
        return self.today > self.due

    def of_agencies(self, names: set[str]) -> Returns:
        """The incomplete returns of the agencies named, with the same due date and counts."""
        return Returns(
            [row for row in self if row[0] in names],
            period=self.period,
            due=self.due,
            today=self.today,
            sent=self.sent,
            agencies=self.agencies,
        )

    @property
    def due_text(self) -> str:
        """ "30 Jan 2027" """
        return f"{self.due.day} {self.due:%b %Y}"

    def not_yet_due(self) -> str:
        """ "Returns for 2026Q4 are due by 30 Jan 2027; 3 of 7 agencies have sent figures." """
        return (
            f"Returns for {self.period} are due by {self.due_text}; "
            f"{self.sent} of {count_of(self.agencies, 'agency', 'agencies')} "
            f"{'has' if self.sent == 1 else 'have'} sent figures."
        )


def returns_overdue(data: Dataset, period: Period, today: date | None = None) -> bool:
    """Is the day the quarter's returns were due past (`DataSettings.returns_due_days` after it ends)?"""
    return (today or date.today()) > period.returns_due(data.settings.returns_due_days)


def missing_returns(
    session: Session, period: Period, data: Dataset | None = None, *, today: date | None = None
) -> Returns:
    """The returns incomplete for `period` once they are due (`Returns`); InvalidInput for a quarter that has
    not started."""
    today = today or date.today()
    require_started(period, today)
    data = data or load_dataset(session)
    received: dict[str, int] = {}
    for (_indicator, agency_uuid), series in data.series.items():
        point = series.at(period.index)
        if point is not None and point.value is not None:
            received[agency_uuid] = received.get(agency_uuid, 0) + 1
    expected = expected_returns(session)
    incomplete = [
        (name, received.get(uuid_, 0), count)
        for uuid_, (name, count) in expected.items()
        if received.get(uuid_, 0) < count
    ]
    return Returns(
        incomplete if returns_overdue(data, period, today) else [],
        period=period,
        due=period.returns_due(data.settings.returns_due_days),
        today=today,
        sent=sum(1 for uuid_ in expected if received.get(uuid_)),
        agencies=len(expected),
    )


def partly_missing(missing: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """The incomplete returns a list beside the exceptions still has to name: a return with no figures at
    all is already an exception of its own ("Missing return"), so listing it again would count it twice."""
    return [(agency, received, expected) for agency, received, expected in missing if received > 0]


def list_exceptions(
    session: Session, period: Period, data: Dataset | None = None, *, today: date | None = None
) -> list[ExceptionRow]:
    """The quarter's exceptions with their commentary, view, status and linked actions; InvalidInput for a
    quarter that has not started (every return would read as missing). A return is missing only once
    returns are due (`returns_overdue`)."""
    require_started(period, today)
    data = data or load_dataset(session)
    rows = detect(data, period, expected_returns(session) if returns_overdue(data, period, today) else {})
    notes = {n.uuid: n for n in session.scalars(live(ExceptionNote).where(ExceptionNote.period == str(period)))}
    for row in rows:
        note = notes.get(row.uuid)
        if note is not None:
            row.agency_commentary, row.panel_view, row.status = note.agency_commentary, note.panel_view, note.status
    if ACTION_TRACKER.available and rows:
        linked = ACTION_TRACKER().linked(session, [r.uuid for r in rows])
        for row in rows:
            row.actions = [a.reference for a in linked if a.source_uuid == row.uuid]
    return rows


def _note(uow: UnitOfWork, row: ExceptionRow) -> ExceptionNote:
    note = uow.session.get(ExceptionNote, row.uuid)
    if note is None:
        note = uow.create(
            ExceptionNote,
            uuid=row.uuid,
            indicator_uuid=row.indicator_uuid,
            agency_uuid=row.agency_uuid,
            period=row.period,
            kind=row.kind,
            detail=row.detail,
            agency_commentary="",
            panel_view="",
            status="open",
            summary=f"Exception noted: {row.source_label}",
        )
        # Two members may note the same exception at once (its identity is derived from it). The note's
        # creation is not an edit of its text: stamped at the start of time, any member's real edit of
        # a field wins over the other's blank creation, field by field.
        genesis = str(Stamp(0, 0, uow.member_id))
        note.field_stamps = {name: genesis for name in ExceptionNote.content_fields()}
    elif note.is_deleted:
        raise InvalidInput("The notes on this exception were deleted; they cannot be edited.")
    return note


def save_commentary(
    uow: UnitOfWork,
    row: ExceptionRow,
    *,
    agency_commentary: str | None = None,
    panel_view: str | None = None,
    status: str | None = None,
) -> None:
    """Record what the agency and the panel said (each field merges on its own)."""
    if status is not None and status not in STATUSES:
        raise InvalidInput(f"Status {status!r} is not one of {', '.join(STATUSES)}.")
    changes: dict[str, Any] = {}
    if agency_commentary is not None:
        changes["agency_commentary"] = agency_commentary.strip()
    if panel_view is not None:
        changes["panel_view"] = panel_view.strip()
    if status is not None:
        changes["status"] = status
    note = _note(uow, row)
    uow.update(note, **changes, detail=row.detail, summary=f"Commentary on {row.source_label}")


def create_action(
    uow: UnitOfWork, row: ExceptionRow, *, title: str, due: date | None = None, lead_officer: str = ""
) -> str:
    """An action in the tracker whose source is this exception; returns its reference."""
    if not title.strip():
        raise InvalidInput("An action needs a title: say what will be done.")
    _note(uow, row)
    return ACTION_TRACKER().create(
        uow,
        title=title.strip(),
        owner_agency_uuid=row.agency_uuid,
        due=due or date.today() + timedelta(days=90),
        source=SourceRef(SOURCE_KIND, row.source_label[:300], row.uuid),
        lead_officer=lead_officer,
    )


def find_exception(session: Session, period_text: str, code: str, agency: str) -> ExceptionRow:
    """The exception of a quarter for an indicator code (or "return") and agency; InvalidInput if none."""
    period = Period.parse(period_text)
    wanted_agency = agency.strip().casefold()
    for row in list_exceptions(session, period):
        if row.agency.casefold() != wanted_agency:
            continue
        if (row.code or "return").casefold() == code.strip().casefold():
            return row
    raise InvalidInput(f"No exception for {code} and {agency} in {period}. See `workbench data exceptions`.")

"""Comparators: statistical-neighbour and England values per indicator and quarter, from CSV.

Headings: Code, Period, Comparator (neighbours or England), Value, Source, Date
(when the source published it, dd/mm/yyyy or yyyy-mm-dd). A comparator's
identity is derived from indicator, quarter and kind, so a re-import updates
it (shown in the report) rather than duplicating it.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import impossible_day
from app.errors import InvalidInput
from app.office.validation_report import ValidationReport
from app.performance.catalogue import list_indicators
from app.performance.figures import CellError, csv_delimiter, csv_reader, number_cell, period_hint
from app.performance.periods import Period
from app.records import UnitOfWork
from app.records.live import live_or_none
from app.text import noun_for
from db.models.performance import Comparator

_NAMESPACE = uuid.UUID("e2b6c4a0-7d1f-4b9e-8c3a-6f0d2e9b5a51")
HEADINGS = ("Code", "Period", "Comparator", "Value", "Source", "Date")
KIND_WORDS = {
    "neighbours": "neighbours",
    "statistical neighbours": "neighbours",
    "neighbors": "neighbours",
    "sn": "neighbours",
    "england": "england",
    "national": "england",
}
MAX_BYTES = 16 * 1024 * 1024


def comparator_uuid(indicator: str, period: str, kind: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{indicator}|{period}|{kind}"))


def _day(text: str) -> date:
    for form in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), form).date()
        except ValueError:
            continue
    reason = impossible_day(text)
    raise CellError(f"{text.strip()[:20]!r} is not a date" + (f": {reason}" if reason else " (dd/mm/yyyy)"))


def import_comparators(uow: UnitOfWork, path: Path, *, dry_run: bool = False) -> ValidationReport:
    path = Path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InvalidInput(f"{path.name} is larger than {MAX_BYTES // (1024 * 1024)} MB.")
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InvalidInput(f"Cannot read {path}: {exc.strerror or exc}.") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"{path.name} is not UTF-8 text; save it as CSV UTF-8.") from None
    report = ValidationReport(path.name)
    delimiter = csv_delimiter(text)
    reader = csv_reader(text, delimiter)
    header = [h.strip().casefold() for h in next(reader, [])]
    index = {h: header.index(h.casefold()) for h in HEADINGS if h.casefold() in header}
    missing = [h for h in HEADINGS if h not in index]
    if missing:
        raise InvalidInput(
            f"{path.name}, row 1: missing {noun_for(len(missing), 'heading')} {', '.join(missing)} "
            f"(expected {', '.join(HEADINGS)})."
        )
    indicators = {i.code.casefold(): i for i in list_indicators(uow.session)}
    existing = {
        row.uuid: row for row in uow.session.execute(select(Comparator.uuid, Comparator.value, Comparator.source))
    }
    new: list[Any] = []
    changed: list[Any] = []
    unchanged = 0
    seen: dict[Any, Any] = {}
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        cell = {h: (values[i].strip() if i < len(values) else "") for h, i in index.items()}
        indicator = indicators.get(cell["Code"].casefold())
        if indicator is None:
            report.error(number, "Code", f"unknown indicator {cell['Code']!r}")
            continue
        try:
            period = str(Period.parse(cell["Period"]))
        except InvalidInput:
            report.error(number, "Period", f"unknown period {cell['Period']!r} ({period_hint(cell['Period'])})")
            continue
        kind = KIND_WORDS.get(cell["Comparator"].casefold())
        if kind is None:
            report.error(number, "Comparator", f"{cell['Comparator']!r} is not 'neighbours' or 'England'")
            continue
        try:
            value = number_cell(cell["Value"], delimiter)
        except CellError as exc:
            report.error(number, "Value", str(exc))
            continue
        try:
            published = _day(cell["Date"]) if cell["Date"] else None
        except CellError as exc:
            report.error(number, "Date", str(exc))
            continue
        if value is None:
            report.error(
                number,
                "Value",
                f"no value for {indicator.code} {period} ({cell['Comparator']}): give the figure or leave the row out",
            )
            continue
        if not cell["Source"]:
            report.error(number, "Source", "say where the comparator comes from (e.g. 'DfE CIN census 2025')")
            continue
        key = comparator_uuid(indicator.uuid, period, kind)
        if key in seen:
            report.error(number, "Code", f"{indicator.code} {period} {kind} is also on row {seen[key]}")
            continue
        seen[key] = number
        fields: dict[str, Any] = dict(
            indicator_uuid=indicator.uuid,
            period=period,
            kind=kind,
            value=value,
            source=cell["Source"][:300],
            source_date=published,
        )
        old = existing.get(key)
        if old is None:
            new.append((key, fields))
        elif abs(old.value - value) > 1e-9 or old.source != fields["source"]:
            report.change(number, "Value", f"{indicator.code} {period} {kind} changed from {old.value:g} to {value:g}")
            changed.append((key, fields))
        else:
            unchanged += 1
    report.counts.update({"new": len(new), "changed": len(changed), "unchanged": unchanged})
    if dry_run:
        return report
    if report.has_errors:
        raise InvalidInput(f"{report.first_error()}. Nothing was imported.")
    for key, fields in new:
        uow.create(Comparator, uuid=key, audit=False, **fields)
    for key, fields in changed:
        record = live_or_none(uow.session, Comparator, key)
        if record is not None:
            uow.update(record, audit=False, **fields)
    uow.audit.append(
        "import", "perf_comparator", str(uuid.uuid4()), f"Imported comparators from {path.name}", dict(report.counts)
    )
    return report


def comparators_for(session: Session, indicator_uuid: str) -> list[Comparator]:
    return list(
        session.scalars(
            select(Comparator)
            .where(Comparator.indicator_uuid == indicator_uuid, Comparator.deleted_stamp.is_(None))
            .order_by(Comparator.period)
        )
    )

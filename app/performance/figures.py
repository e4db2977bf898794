"""Figures in: agency returns (XLSX templates) and bulk CSV, validated, then written in bulk.

Validation names the file, row and column of every problem
(`app.office.validation_report`): unknown indicator or period, a numerator above
its denominator, a negative count, text in a number cell, the same figure twice,
an indicator another agency reports; a figure that differs from what was
submitted before is shown as a change, never replaced silently.

Writing is one transaction: new figures go in with one executemany INSERT,
changed ones with one executemany UPDATE carrying per-field stamps, and the
audit log gets one entry naming the file and counts (a return of 80,000
figures is seconds, not minutes). A figure's identity is derived from its
indicator, agency and quarter, so members importing the same return converge.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from app.agencies import known_agencies, list_agencies
from app.dates.fuzzy import DateParseError, parse_date
from app.errors import InvalidInput
from app.office.validation_report import ValidationReport
from app.performance.catalogue import list_indicators
from app.performance.periods import Period
from app.performance.suppression import format_number
from app.records import UnitOfWork
from app.records.limits import file_size
from db.base import live, new_uuid
from db.models.core import Agency
from db.models.performance import FigureValue

_FIGURE_NAMESPACE = uuid.UUID("5d0f7c55-0a5e-4b3c-8e9a-0c7b1e2d4f31")
_FIGURE_NAMESPACE_BYTES = _FIGURE_NAMESPACE.bytes
RETURN_KIND = "performance-return"
MAX_CSV_BYTES = 64 * 1024 * 1024

# Headings of the return template and of the bulk CSV.
CODE, NAME, UNIT, PERIOD, NUMERATOR, DENOMINATOR, VALUE, LAST, NOTE, AGENCY = (
    "Code",
    "Indicator",
    "Unit",
    "Period",
    "Numerator",
    "Denominator",
    "Value",
    "Last quarter",
    "Note",
    "Agency",
)
CSV_HEADINGS = (AGENCY, CODE, PERIOD, VALUE, NUMERATOR, DENOMINATOR)


def figure_uuid(indicator: str, agency: str, period: str) -> str:
    """uuid5(namespace, "indicator|agency|period") as text, without building a UUID object.

    The same value as `uuid.uuid5` (a test pins it) at a third of the cost: an import of 80,000
    figures works out 80,000 of them.
    """
    digest = bytearray(hashlib.sha1(_FIGURE_NAMESPACE_BYTES + f"{indicator}|{agency}|{period}".encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


@dataclass(frozen=True)
class Figure:
    indicator_uuid: str
    agency_uuid: str
    period: str
    value: float | None
    numerator: float | None
    denominator: float | None
    source: str
    #: the figure's identity; worked out once (uuid5 is most of an import's Python time)
    uuid: str = ""

    @property
    def key(self) -> str:
        return self.uuid or figure_uuid(self.indicator_uuid, self.agency_uuid, self.period)


@dataclass
class FigurePlan:
    """What an import would write, and its report. `commit_plan` writes it."""

    report: ValidationReport
    new: list[Figure] = field(default_factory=list)
    #: (existing uuid, figure, names of the fields that change)
    changed: list[tuple[str, Figure, list[str]]] = field(default_factory=list)
    unchanged: int = 0
    #: each new figure as it was read, in the file's order ("row 8: CONF-ATTEND, Housing, 2026Q3: 74.0%"):
    #: a percent cell or a number in the wrong column is seen before it is imported, not after
    new_read_as: list[str] = field(default_factory=list)


# -- reading cells ---------------------------------------------------------------


class CellError(ValueError):
    pass


#: commas only as thousands separators: 1,234 and 12,345.6, never 82,5
_THOUSANDS = re.compile(r"^[-+]?[1-9]\d{0,2}(,\d{3})+(\.\d*)?\Z")  # "0,125" is no thousands: a decimal comma
#: one mark between groups of three and nothing else: 1,250 or 1.250 (12.345.678), a thousands separator in one
#: locale and a decimal mark in another
_GROUPED = re.compile(r"^[-+]?[1-9]\d{0,2}(?:(?:,\d{3})+|(?:\.\d{3})+)\Z")
#: a number as a decimal-comma locale writes it: 82,5 and 1.234,5
_DECIMAL_COMMA = re.compile(r"^[-+]?(?:\d+|[1-9]\d{0,2}(?:\.\d{3})+),\d+\Z")
#: what a file separated by semicolons or tabs says of where it came from
_SEPARATED_BY = {";": "semicolons", "\t": "tabs"}


def number_cell(value: Any, delimiter: str = ",") -> float | None:
    """A number from a spreadsheet or CSV cell; None if blank; CellError for text.

    `delimiter` is what the CSV the cell came from is separated by (a spreadsheet cell: ","). Excel saves
    "CSV" with semicolons where the decimal mark is a comma, so there a comma is never a thousands
    separator; a file separated by tabs may come from either kind of locale. Where the file says a
    number could be read two ways (1,250 as 1.25 or 1250), it is refused, never guessed.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError(f"{value!r} is not a number")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise CellError("is not a finite number")
        return float(value)
    text = str(value).strip()
    if not text:
        return None
    shown = text[:40]
    if text.endswith("%"):
        text = text[:-1].strip()
    if delimiter in _SEPARATED_BY:
        _refuse_a_locale_reading(shown, text, _SEPARATED_BY[delimiter], decimal_comma=delimiter == ";")
    if "," in text:
        if not _THOUSANDS.match(text):
            # "82,5" is a decimal comma (a spreadsheet set to another locale): read as 825 it would be a wrong figure
            raise CellError(f"{shown!r} is not a number: write decimals with a point, e.g. 82.5")
        text = text.replace(",", "")
    try:
        number = float(text)
    except ValueError:
        raise CellError(f"{shown!r} is text, not a number") from None
    if not math.isfinite(number):
        raise CellError(f"{shown!r} is not a finite number")
    return number


def _refuse_a_locale_reading(shown: str, text: str, separated_by: str, *, decimal_comma: bool) -> None:
    """CellError for a number that a file separated by semicolons or tabs leaves in doubt, or (with
    semicolons: the decimal mark is a comma) for any comma; nothing for a number read one way only."""
    if _GROUPED.match(text):
        mark = "," if "," in text else "."
        whole = text.replace(mark, "")
        if text.count(mark) > 1:  # 1,250,000: no decimal mark comes twice
            raise CellError(
                f"{shown!r} is not a number in a file separated by {separated_by}: write it with no "
                f"thousands separator, e.g. {whole}"
            )
        decimal = format(float(text.replace(",", ".")), "g")
        raise CellError(
            f"{shown!r} is not a number: in a file separated by {separated_by} it could be {decimal} or "
            f"{whole}; write {decimal} or {whole} (decimals with a point, no thousands separator)"
        )
    if decimal_comma and "," in text:
        example = text.replace(".", "").replace(",", ".") if _DECIMAL_COMMA.match(text) else "82.5"
        raise CellError(f"{shown!r} is not a number: write decimals with a point, e.g. {example}")


# -- the plan --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _IndicatorRef:
    """What validation needs of an indicator, as plain values (ORM attribute access is slow per row)."""

    uuid: str
    code: str
    unit: str
    per: int
    owner_agency_uuid: str | None


@dataclass(frozen=True, slots=True)
class _AgencyRef:
    uuid: str
    short_name: str


@dataclass
class _Catalogue:
    by_code: dict[str, _IndicatorRef]
    agencies: dict[str, _AgencyRef]
    #: the agencies a name may be, for a row naming an unknown one
    known: str = ""

    @classmethod
    def load(cls, session: Session) -> _Catalogue:
        by_code = {
            i.code.casefold(): _IndicatorRef(i.uuid, i.code, i.unit, i.per, i.owner_agency_uuid)
            for i in list_indicators(session)
        }
        agencies: dict[str, _AgencyRef] = {}
        for agency in session.scalars(live(Agency)):
            ref = _AgencyRef(agency.uuid, agency.short_name)
            agencies[agency.name.casefold()] = ref
            agencies[agency.short_name.casefold()] = ref
            agencies[agency.uuid] = ref
        return cls(by_code, agencies, known_agencies(list_agencies(session)))


@dataclass(frozen=True)
class RawRow:
    row: int
    agency: Any
    code: Any
    period: Any
    value: Any
    numerator: Any
    denominator: Any
    #: what the CSV the row came from is separated by (a return: ","); it says how its numbers are written
    delimiter: str = ","
    #: headings of the return's number cells formatted as a percentage: "91%" on screen is 0.91 in the cell
    percent_cells: frozenset[str] = frozenset()


def plan_figures(
    session: Session, source_name: str, rows: Iterable[RawRow], *, today: date | None = None
) -> FigurePlan:
    """Validate rows against the catalogue and what is stored; nothing is written."""
    report = ValidationReport(source_name)
    plan = FigurePlan(report)
    catalogue = _Catalogue.load(session)
    latest_allowed = Period.containing(today or date.today())
    candidates: list[tuple[int, Figure, _IndicatorRef]] = []
    seen: dict[str, int] = {}
    periods: dict[object, tuple[Period, str] | None] = {}  # a file has a few distinct quarters and many rows
    blank = 0
    for raw in rows:
        agency = catalogue.agencies.get(str(raw.agency or "").strip().casefold())
        if agency is None:
            report.error(
                raw.row, AGENCY, f"unknown agency {str(raw.agency or '').strip()!r} (known agencies: {catalogue.known})"
            )
            continue
        indicator = catalogue.by_code.get(str(raw.code or "").strip().casefold())
        if indicator is None:
            report.error(raw.row, CODE, f"unknown indicator {str(raw.code or '').strip()!r}")
            continue
        if raw.period not in periods:
            try:
                parsed = Period.parse(raw.period)
                periods[raw.period] = (parsed, str(parsed))
            except InvalidInput:
                periods[raw.period] = None
        known = periods[raw.period]
        if known is None:
            report.error(
                raw.row, PERIOD, f"unknown period {str(raw.period or '').strip()!r} ({period_hint(raw.period)})"
            )
            continue
        period, period_text = known
        if period > latest_allowed:
            report.error(raw.row, PERIOD, f"{period} has not started yet")
            continue
        numbers: dict[str, float | None] = {}
        bad = False
        for heading, cell in ((VALUE, raw.value), (NUMERATOR, raw.numerator), (DENOMINATOR, raw.denominator)):
            try:
                amount = numbers[heading] = number_cell(cell, raw.delimiter)
            except CellError as exc:
                report.error(raw.row, heading, f"{exc} (indicator {indicator.code})")
                bad = True
                continue
            if amount is not None and heading in raw.percent_cells and indicator.unit == "percent":
                # the percentage the agency sees and typed ("91%"), not the fraction Excel keeps (0.91)
                amount = numbers[heading] = round(amount * 100, 9)
            if amount is not None and amount < 0:
                report.error(
                    raw.row,
                    heading,
                    f"a negative figure ({amount:g}) for {indicator.code}; counts cannot be below zero",
                )
                bad = True
        if bad:
            continue
        value, numerator, denominator = numbers[VALUE], numbers[NUMERATOR], numbers[DENOMINATOR]
        if value is None and numerator is None and denominator is None:
            blank += 1
            continue
        if indicator.owner_agency_uuid and indicator.owner_agency_uuid != agency.uuid:
            owner = catalogue.agencies.get(indicator.owner_agency_uuid)
            report.error(
                raw.row,
                CODE,
                f"{indicator.code} is reported by {owner.short_name if owner else 'another agency'}, "
                f"not {agency.short_name}",
            )
            continue
        if (numerator is None) != (denominator is None) and indicator.unit in ("percent", "rate") and value is None:
            report.error(
                raw.row,
                NUMERATOR if numerator is None else DENOMINATOR,
                f"{indicator.code} needs both a numerator and a denominator (or a value)",
            )
            continue
        if numerator is not None and denominator is not None:
            if indicator.unit == "percent" and numerator > denominator:
                report.error(
                    raw.row,
                    NUMERATOR,
                    f"numerator {numerator:g} is above its denominator {denominator:g} ({indicator.code})",
                )
                continue
            if denominator == 0:
                if numerator:
                    report.error(raw.row, DENOMINATOR, f"denominator is 0 but the numerator is {numerator:g}")
                    continue
                computed = None
                # 0 of 0 (nothing to count this quarter) is a fact worth keeping, but no rate: said, never silent
                kept = "no value" if value is None else f"the value {value:g} as given"
                report.warning(
                    raw.row,
                    DENOMINATOR,
                    f"numerator and denominator are both 0, so the "
                    f"{'percentage' if indicator.unit == 'percent' else 'rate'} for {indicator.code} "
                    f"{period} is undefined; stored as 0 of 0 with {kept}",
                )
            else:
                computed = numerator / denominator * indicator.per
            if value is None:
                value = computed
            elif computed is not None and abs(computed - value) > max(0.05, abs(computed) * 0.005):
                report.warning(
                    raw.row,
                    VALUE,
                    f"value {value:g} differs from numerator / denominator "
                    f"({format_number(computed, indicator.unit)}); the value is kept",
                )
        if indicator.unit == "percent" and value is not None and value > 100:
            report.error(raw.row, VALUE, f"{value:g}% is above 100% ({indicator.code})")
            continue
        key = figure_uuid(indicator.uuid, agency.uuid, period_text)
        if key in seen:
            report.error(raw.row, CODE, f"{indicator.code} for {period} is also on row {seen[key]}")
            continue
        seen[key] = raw.row
        candidates.append(
            (
                raw.row,
                Figure(
                    indicator.uuid,
                    agency.uuid,
                    period_text,
                    value,
                    numerator,
                    denominator,
                    f"{source_name} row {raw.row}"[:300],
                    key,
                ),
                indicator,
            )
        )
    _compare_with_stored(session, plan, candidates)
    new = {figure.key for figure in plan.new}
    plan.new_read_as = [
        _read_as(number, figure, indicator, catalogue.agencies[figure.agency_uuid].short_name)
        for number, figure, indicator in candidates
        if figure.key in new
    ]
    report.counts.update(
        {"new": len(plan.new), "changed": len(plan.changed), "unchanged": plan.unchanged, "blank rows": blank}
    )
    return plan


def period_hint(raw: Any) -> str:
    """How to write the quarter. An analyst often types the quarter's last day or month ("30/09/2026",
    "Sept 2026"): the hint then names the quarter it falls in, which is not taken on trust."""
    text = str(raw if raw is not None else "").strip()
    if text and not text.replace(".", "", 1).isdigit():  # a bare number would read as an Excel serial date
        try:
            when = parse_date(raw)
        except DateParseError:
            when = None
        if when is not None and when.month is not None:
            falls_in = Period.containing(date(when.year, when.month, 1))
            return f"a date, not a quarter: write the quarter it falls in, {falls_in}"
    return "write it like 2026Q3"


def _read_as(number: int, figure: Figure, indicator: _IndicatorRef, agency: str) -> str:
    """One new figure in words, with its unit and what it was worked out from."""
    if figure.value is None:
        value = "no value"
    else:
        after = {"rate": f" per {indicator.per:,}", "days": " days"}.get(indicator.unit, "")
        value = format_number(figure.value, indicator.unit) + after
    if figure.numerator is not None and figure.denominator is not None:
        value += f" ({figure.numerator:g} of {figure.denominator:g})"
    return f"row {number}: {indicator.code}, {agency}, {figure.period}: {value}"


def _compare_with_stored(
    session: Session, plan: FigurePlan, candidates: list[tuple[int, Figure, _IndicatorRef]]
) -> None:
    wanted = {f.key for _r, f, _i in candidates}
    stored: dict[str, Any] = {}
    agencies = sorted({f.agency_uuid for _r, f, _i in candidates})
    table = FigureValue.__table__
    for chunk_start in range(0, len(agencies), 200):
        for row in session.execute(
            select(
                table.c.uuid,
                table.c.value,
                table.c.numerator,
                table.c.denominator,
                table.c.deleted_stamp,
                table.c.submitted_on,
            ).where(table.c.agency_uuid.in_(agencies[chunk_start : chunk_start + 200]))
        ):
            if row.uuid in wanted:
                stored[row.uuid] = row
    for number, figure, indicator in candidates:
        key = figure.key
        old = stored.get(key)
        if old is None:
            plan.new.append(figure)
            continue
        if old.deleted_stamp is not None:
            plan.report.error(
                number,
                CODE,
                f"the figure for {indicator.code} {figure.period} was deleted; it cannot be imported again",
            )
            continue
        changes = [
            name
            for name, before, after in (
                ("value", old.value, figure.value),
                ("numerator", old.numerator, figure.numerator),
                ("denominator", old.denominator, figure.denominator),
            )
            if not _same(before, after)
        ]
        if not changes:
            plan.unchanged += 1
            continue
        was = "no figure" if old.value is None else format_number(old.value, indicator.unit)
        now = "no figure" if figure.value is None else format_number(figure.value, indicator.unit)
        when = f" (submitted {old.submitted_on:%d/%m/%Y})" if old.submitted_on else ""
        plan.report.change(number, VALUE, f"{indicator.code} {figure.period} changed from {was}{when} to {now}")
        plan.changed.append((key, figure, changes + ["source", "submitted_on"]))


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= 1e-9 * max(1.0, abs(a))


def commit_plan(uow: UnitOfWork, plan: FigurePlan, *, today: date | None = None) -> dict[str, int]:
    """Write the plan in the caller's unit of work; refuses (writing nothing) if the report has errors."""
    if plan.report.has_errors:
        raise InvalidInput(f"{plan.report.first_error()}. Nothing was imported.")
    submitted = today or date.today()
    stamp = str(uow.clock.tick())
    table = FigureValue.__table__
    stamps = {name: stamp for name in FigureValue.content_fields()}
    rows = [
        {
            "uuid": f.key,
            "origin_member": uow.member_id,
            "field_stamps": stamps,
            "deleted_stamp": None,
            "updated_stamp": stamp,
            "indicator_uuid": f.indicator_uuid,
            "agency_uuid": f.agency_uuid,
            "period": f.period,
            "value": f.value,
            "numerator": f.numerator,
            "denominator": f.denominator,
            "source": f.source,
            "submitted_on": submitted,
        }
        for f in plan.new
    ]
    rows.sort(key=lambda r: r["uuid"])  # type: ignore[arg-type,return-value]  # uuid is text  # primary-key order: B-tree pages fill in turn instead of splitting at random
    for start in range(0, len(rows), 5000):
        uow.session.execute(insert(table), rows[start : start + 5000])
    if plan.changed:
        keys = [key for key, _f, _c in plan.changed]
        old_stamps: dict[str, Any] = {}
        for start in range(0, len(keys), 900):
            old_stamps.update(
                uow.session.execute(
                    select(table.c.uuid, table.c.field_stamps).where(table.c.uuid.in_(keys[start : start + 900]))
                ).all()
            )
        updates = []
        for key, figure, changed in plan.changed:
            merged = dict(old_stamps.get(key) or {})
            merged.update({name: stamp for name in changed})
            updates.append(
                {
                    "b_uuid": key,
                    "value": figure.value,
                    "numerator": figure.numerator,
                    "denominator": figure.denominator,
                    "source": figure.source,
                    "submitted_on": submitted,
                    "field_stamps": merged,
                    "updated_stamp": stamp,
                }
            )
        statement = (
            update(table)
            .where(table.c.uuid == bindparam("b_uuid"))
            .values(
                value=bindparam("value"),
                numerator=bindparam("numerator"),
                denominator=bindparam("denominator"),
                source=bindparam("source"),
                submitted_on=bindparam("submitted_on"),
                field_stamps=bindparam("field_stamps"),
                updated_stamp=bindparam("updated_stamp"),
            )
        )
        uow.session.connection().execute(statement, updates)
    uow.changes.created["perf_value"].update(r["uuid"] for r in rows)  # type: ignore[misc]  # uuid is text
    uow.changes.updated["perf_value"].update(key for key, _f, _c in plan.changed)
    counts = {"new": len(plan.new), "changed": len(plan.changed), "unchanged": plan.unchanged}
    uow.audit.append("import", "perf_value", new_uuid(), f"Imported figures from {plan.report.source_name}", counts)
    return counts


# -- sources ---------------------------------------------------------------------


def csv_delimiter(text: str) -> str:
    """What CSV text is separated by: commas, or semicolons or tabs where the heading row has no comma
    (Excel in many locales saves "CSV" with semicolons: read with commas its headings were one cell, and
    the file was refused for lacking the headings it has). Pass it to `number_cell`: with semicolons a
    comma in a number is a decimal comma."""
    first = text.split("\n", 1)[0]
    if "," in first:
        return ","
    return ";" if ";" in first else ("\t" if "\t" in first else ",")


def csv_reader(text: str, delimiter: str | None = None) -> Iterator[list[str]]:
    """Rows of CSV text separated by `delimiter` (by default, what `csv_delimiter` finds)."""
    return csv.reader(io.StringIO(text), delimiter=delimiter or csv_delimiter(text))


def read_csv_rows(path: Path) -> tuple[str, list[RawRow]]:
    """Bulk figures from CSV with headings Agency, Code, Period, Value, Numerator, Denominator."""
    path = Path(path)
    size = file_size(path)
    if size > MAX_CSV_BYTES:
        raise InvalidInput(f"{path.name} is larger than {MAX_CSV_BYTES // (1024 * 1024)} MB.")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(f"{path.name} is not UTF-8 text; save it as CSV UTF-8.") from None
    delimiter = csv_delimiter(text)
    reader = csv_reader(text, delimiter)
    header = next(reader, None)
    if not header:
        raise InvalidInput(f"{path.name} is empty.")
    folded = [h.strip().casefold() for h in header]
    index = {}
    for heading in CSV_HEADINGS:
        if heading.casefold() in folded:
            index[heading] = folded.index(heading.casefold())
    missing = [h for h in (AGENCY, CODE, PERIOD) if h not in index]
    if missing or not ({VALUE, NUMERATOR} & set(index)):
        raise InvalidInput(
            f"{path.name}, row 1: the headings must include {', '.join(CSV_HEADINGS[:4])} "
            f"(and optionally Numerator, Denominator); missing {', '.join(missing) or 'Value'}."
        )

    def cell(values: list[str], heading: str) -> str | None:
        position = index.get(heading)
        return values[position] if position is not None and position < len(values) else None

    rows = [
        RawRow(
            number,
            cell(values, AGENCY),
            cell(values, CODE),
            cell(values, PERIOD),
            cell(values, VALUE),
            cell(values, NUMERATOR),
            cell(values, DENOMINATOR),
            delimiter,
        )
        for number, values in enumerate(reader, start=2)
        if any(v.strip() for v in values)
    ]
    return path.name, rows


def read_figures(path: Path) -> tuple[str, list[RawRow]]:
    """Rows of a return (.xlsx made by `data template`) or a bulk CSV."""
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return read_csv_rows(path)
    if suffix in (".xlsx", ".xlsm"):
        from app.office.return_workbook import NotAReturn
        from app.performance.returns import read_return_rows

        try:
            return read_return_rows(path)
        except NotAReturn as exc:  # an analyst's own sheet: the figures CSV takes it as it is
            raise InvalidInput(
                f"{exc.message[:-1]}, or save your sheet as CSV with the columns {','.join(CSV_HEADINGS)}."
            ) from exc
    raise InvalidInput(f"{Path(path).name}: import a return (.xlsx) or figures in CSV (.csv).")


def import_figures(uow: UnitOfWork, path: Path, *, dry_run: bool = False, today: date | None = None) -> FigurePlan:
    """Read, validate and (unless `dry_run` or invalid) write one file of figures."""
    source_name, rows = read_figures(path)
    plan = plan_figures(uow.session, source_name, rows, today=today)
    if not dry_run:
        commit_plan(uow, plan, today=today)
    return plan

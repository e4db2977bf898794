"""Agency returns for performance data: an XLSX template per agency and quarter, read back by heading.

The template lists the agency's indicators (those it owns and those every
agency reports) for one quarter, with last quarter's figure beside them as a
reminder; only the Value, Numerator and Denominator cells are unlocked, and
they are plain numeric cells (no dropdowns). A very hidden sheet carries the
agency, the quarter and each row's indicator, so a sorted sheet maps back.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.agencies import find_agency
from app.errors import InvalidInput
from app.office.return_workbook import (
    Column,
    ReturnIdentity,
    ReturnSheet,
    build_return,
    iter_references,
    read_return,
)
from app.performance.catalogue import UNITS, list_indicators
from app.performance.figures import (
    CODE,
    DENOMINATOR,
    LAST,
    NAME,
    NUMERATOR,
    PERIOD,
    RETURN_KIND,
    UNIT,
    VALUE,
    RawRow,
)
from app.performance.periods import template_quarter
from app.performance.settings import load_settings
from app.performance.suppression import shown
from app.text import noun_for
from db.models.core import Agency
from db.models.performance import FigureValue, Indicator

DEFINITION = "What it counts"
HEADINGS = (CODE, NAME, DEFINITION, UNIT, PERIOD, NUMERATOR, DENOMINATOR, VALUE, LAST)


def indicators_for(session: Session, agency: Agency) -> list[Indicator]:
    """The active indicators an agency reports: its own and those every agency reports."""
    return [i for i in list_indicators(session, include_inactive=False) if i.owner_agency_uuid in (None, agency.uuid)]


def template_bytes(
    session: Session, agency_name: str, period_text: str, *, today: date | None = None
) -> tuple[bytes, int]:
    agency = find_agency(session, agency_name)
    period = template_quarter(period_text, today)
    indicators = indicators_for(session, agency)
    if not indicators:
        raise InvalidInput(f"{agency.short_name} reports no indicator: add indicators (or owners) to the catalogue.")
    previous = str(period - 1)
    threshold = load_settings(session).small_number_threshold
    last = {
        row.indicator_uuid: row
        for row in session.execute(
            select(FigureValue.indicator_uuid, FigureValue.value, FigureValue.numerator).where(
                FigureValue.agency_uuid == agency.uuid,
                FigureValue.period == previous,
                FigureValue.deleted_stamp.is_(None),
            )
        )
    }
    rows = []
    for indicator in indicators:
        before = last.get(indicator.uuid)
        definition = indicator.definition
        if indicator.numerator:
            definition += f"\nNumerator: {indicator.numerator}\nDenominator: {indicator.denominator}"
        rows.append(
            [
                indicator.code,
                indicator.name,
                definition,
                UNITS[indicator.unit][0],
                str(period),
                None,
                None,
                None,
                # a file that leaves the workbench: last quarter's small counts as "fewer than N", as in every export
                shown(before.value, before.numerator, indicator.unit, threshold).text
                if before and before.value is not None
                else "",
            ]
        )
    columns = [
        Column(CODE, 14),
        Column(NAME, 30),
        Column(DEFINITION, 44),
        Column(UNIT, 14),
        Column(PERIOD, 9),
        Column(NUMERATOR, 12, answer=True, kind="number"),
        Column(DENOMINATOR, 12, answer=True, kind="number"),
        Column(VALUE, 12, answer=True, kind="number"),
        Column(LAST, 12),
    ]
    sheet = ReturnSheet(
        title=f"Performance return: {agency.name}, {period} ({period.label})",
        columns=columns,
        rows=rows,
        intro=[
            "Type figures in the yellow cells: numbers only. For a percentage or rate give the numerator and "
            "denominator; the value is worked out. Leave a row blank if you have no figure.",
            "Aggregate figures only: never names or other details of children.",
        ],
        sheet_name="Return",
    )
    identity = ReturnIdentity(
        RETURN_KIND, {"agency": agency.uuid, "period": str(period)}, {i.code: i.uuid for i in indicators}
    )
    return build_return(sheet, identity), len(rows)


def read_return_rows(path: Path) -> tuple[str, list[RawRow]]:
    read = read_return(Path(path), RETURN_KIND, HEADINGS)
    missing = [h for h in (CODE, VALUE, NUMERATOR, DENOMINATOR) if h in read.missing_columns]
    if missing:
        raise InvalidInput(
            f"{read.source_name}: the {noun_for(len(missing), 'column')} {', '.join(missing)} "
            f"{noun_for(len(missing), 'was', 'were')} removed from the return; "
            "send the agency a new template."
        )
    agency = read.identity.identities.get("agency", "")
    period = read.identity.identities.get("period", "")
    rows: list[RawRow] = []
    for number, code, values in iter_references(read, CODE):
        if code is None:
            continue
        # the hidden sheet says which indicator the row is; a renamed code cell is still an unknown indicator
        rows.append(
            RawRow(
                number,
                agency,
                code,
                read.value(values, PERIOD) or period,
                read.value(values, VALUE),
                read.value(values, NUMERATOR),
                read.value(values, DENOMINATOR),
                percent_cells=frozenset(h for h in (VALUE, NUMERATOR, DENOMINATOR) if read.is_percent(number, h)),
            )
        )
    return read.source_name, rows

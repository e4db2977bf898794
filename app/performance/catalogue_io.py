"""The indicator catalogue as an XLSX workbook: exported for review, edited, imported back.

The import validates every row (naming file, row and column) before writing
anything; a row whose code exists edits that indicator, others add one. A
change to what an indicator counts needs "New definition from" (a quarter),
exactly as in the editor.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from app.errors import InvalidInput
from app.office.pdf_pages import MARKING
from app.office.validation_report import ValidationReport
from app.office.xlsx_memory import workbook_bytes
from app.performance.catalogue import (
    FREQUENCIES,
    POLARITIES,
    UNITS,
    IndicatorDraft,
    check_indicator,
    indicator_uuid,
    list_indicators,
    owner_name,
    save_indicator,
)
from app.performance.figures import CellError, number_cell
from app.records import UnitOfWork
from app.records.live import live_or_none
from db.models.performance import Indicator

HEADINGS = (
    "Code",
    "Name",
    "Theme",
    "Unit",
    "Per",
    "Polarity",
    "Frequency",
    "Owner agency",
    "Source system",
    "Numerator",
    "Denominator",
    "Definition",
    "Target",
    "Active",
    "Version",
    "New definition from",
    "Change note",
)
SHEET = "Indicators"
MAX_BYTES = 8 * 1024 * 1024


def catalogue_bytes(session: Session) -> tuple[bytes, int]:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.oddHeader.center.text = MARKING
    sheet.append(list(HEADINGS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    indicators = list_indicators(session)
    for i in indicators:
        sheet.append(
            [
                i.code,
                i.name,
                i.theme,
                i.unit,
                i.per,
                i.polarity,
                i.frequency,
                owner_name(session, i),
                i.source_system,
                i.numerator,
                i.denominator,
                i.definition,
                i.target,
                "yes" if i.active else "no",
                i.version,
                "",
                "",
            ]
        )
    sheet.freeze_panes = "B2"
    return workbook_bytes(book), len(indicators)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def import_catalogue(uow: UnitOfWork, path: Path, *, dry_run: bool = False) -> ValidationReport:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    path = Path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InvalidInput(f"{path.name} is too large for an indicator catalogue.")
        book = load_workbook(BytesIO(path.read_bytes()), read_only=True, data_only=True)
    except OSError as exc:
        raise InvalidInput(f"Cannot read {path}: {exc.strerror or exc}.") from None
    except (BadZipFile, KeyError, ValueError):
        raise InvalidInput(f"{path.name} is not an Excel workbook (.xlsx).") from None
    report = ValidationReport(path.name)
    try:
        sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
    finally:
        book.close()
    if not rows:
        raise InvalidInput(f"{path.name} is empty.")
    header = [_text(h).casefold() for h in rows[0]]
    index = {h: header.index(h.casefold()) for h in HEADINGS if h.casefold() in header}
    for needed in ("Code", "Name", "Unit", "Polarity"):
        if needed not in index:
            raise InvalidInput(
                f"{path.name}, row 1: missing heading {needed!r} (expected {', '.join(HEADINGS[:8])}...)."
            )
    drafts: list[tuple[int, IndicatorDraft]] = []
    seen: dict[str, int] = {}
    for number, values in enumerate(rows[1:], start=2):
        if not any(v not in (None, "") for v in values):
            continue
        cell = {h: (values[i] if i < len(values) else None) for h, i in index.items()}
        code = _text(cell.get("Code"))
        unit = _text(cell.get("Unit")).casefold() or "count"
        polarity = _text(cell.get("Polarity")).casefold() or "neither"
        frequency = _text(cell.get("Frequency")).casefold() or "quarterly"
        problems = False
        if not code:
            report.error(number, "Code", "no code")
            problems = True
        elif code.casefold() in seen:
            report.error(number, "Code", f"{code} is also on row {seen[code.casefold()]}")
            problems = True
        if unit not in UNITS:
            report.error(number, "Unit", f"{unit!r} is not one of {', '.join(UNITS)}")
            problems = True
        if polarity not in POLARITIES:
            report.error(number, "Polarity", f"{polarity!r} is not one of {', '.join(POLARITIES)}")
            problems = True
        if frequency not in FREQUENCIES:
            report.error(number, "Frequency", f"{frequency!r} is not one of {', '.join(FREQUENCIES)}")
            problems = True
        numbers: dict[str, float | None] = {}
        for heading in ("Target", "Per"):  # each error under its own column: a bad Per was put under Target
            try:
                numbers[heading] = number_cell(cell.get(heading))
            except CellError as exc:
                report.error(number, heading, str(exc))
                problems = True
        target, per = numbers.get("Target"), numbers.get("Per")
        if problems:
            continue
        seen[code.casefold()] = number
        drafts.append(
            (
                number,
                IndicatorDraft(
                    code=code,
                    name=_text(cell.get("Name")),
                    theme=_text(cell.get("Theme")),
                    unit=unit,
                    per=int(per) if per else None,
                    polarity=polarity,
                    frequency=frequency,
                    owner=_text(cell.get("Owner agency")),
                    source_system=_text(cell.get("Source system")),
                    numerator=_text(cell.get("Numerator")),
                    denominator=_text(cell.get("Denominator")),
                    definition=_text(cell.get("Definition")),
                    target=target,
                    active=_text(cell.get("Active")).casefold() not in ("no", "false", "0", "n"),
                    new_version_from=_text(cell.get("New definition from")),
                    change_note=_text(cell.get("Change note")),
                ),
            )
        )
    checked: list[tuple[IndicatorDraft, str | None]] = []
    for number, draft in drafts:
        existing = live_or_none(uow.session, Indicator, indicator_uuid(draft.code))
        existing_uuid = existing.uuid if existing is not None else None
        try:
            check_indicator(uow.session, draft, existing_uuid)
        except InvalidInput as exc:
            report.error(number, "Code", exc.message)
            continue
        checked.append((draft, existing_uuid))
    report.counts.update(
        {
            "indicators to add": sum(1 for _d, e in checked if e is None),
            "indicators to check for edits": sum(1 for _d, e in checked if e is not None),
        }
    )
    if dry_run or report.has_errors:
        return report
    for draft, existing_uuid in checked:
        save_indicator(uow, draft, existing_uuid=existing_uuid)
    return report

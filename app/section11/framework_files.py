"""A framework as an XLSX file: to share with another partnership, edit in Excel, import back.

Sheet "Framework": name, version, description. Sheet "Standards": one row per
standard (number, title, what good looks like, questions and evidence prompts one
per line, lineage, retired). Import checks every row first (report naming row and
column) and creates a new framework version; a standard keeps its lineage, so last
cycle's answers still carry forward into a cycle using the imported version.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from sqlalchemy.orm import Session

from app.errors import InvalidInput
from app.office.return_workbook import MAX_RETURN_BYTES
from app.office.validation_report import ValidationReport
from app.records import UnitOfWork
from app.section11.frameworks import get_framework, standards_of
from app.section11.ids import standard_id
from db.base import live, new_uuid
from db.models.section11 import S11Framework, S11Standard

FRAMEWORK_SHEET, STANDARDS_SHEET = "Framework", "Standards"
COLUMNS = [
    "Number",
    "Title",
    "What good looks like",
    "Questions (one per line)",
    "Evidence prompts (one per line)",
    "Lineage",
    "Retired",
]


def framework_xlsx(session: Session, framework_uuid: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from app.office.xlsx_memory import workbook_bytes

    framework = get_framework(session, framework_uuid)
    book = Workbook()
    meta = book.active
    meta.title = FRAMEWORK_SHEET
    for row in (
        ["Name", framework.name],
        ["Version", framework.version_label],
        ["Description", framework.description],
        ["Format", "safeguarding-workbench/s11-framework 1"],
    ):
        meta.append(row)
    meta.column_dimensions["A"].width, meta.column_dimensions["B"].width = 14, 90
    sheet = book.create_sheet(STANDARDS_SHEET)
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for standard in standards_of(session, framework.uuid, include_retired=True):
        sheet.append(
            [
                standard.number,
                standard.title,
                standard.good_practice,
                "\n".join(standard.questions or []),
                "\n".join(standard.evidence_prompts or []),
                standard.lineage,
                "Yes" if standard.retired else "No",
            ]
        )
    for letter, width in zip("ABCDEFG", (8, 40, 60, 60, 50, 20, 8), strict=False):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    return workbook_bytes(book)


@dataclass
class FrameworkImport:
    report: ValidationReport
    name: str = ""
    version_label: str = ""
    description: str = ""
    standards: list[dict[str, Any]] = field(default_factory=list)
    framework_uuid: str | None = None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _getter(index: dict[str, int], values: tuple[Any, ...]) -> Any:
    def get(column: str) -> str:
        i = index.get(column)
        return _text(values[i]) if i is not None and i < len(values) else ""

    return get


def read_framework_xlsx(session: Session, data: bytes, source_name: str) -> FrameworkImport:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    if len(data) > MAX_RETURN_BYTES:
        raise InvalidInput(f"{source_name} is too large to be a framework file.")
    try:
        book = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InvalidInput(f"{source_name} is not an Excel workbook (.xlsx) ({type(exc).__name__}).") from None
    result = FrameworkImport(ValidationReport(source_name))
    report = result.report
    try:
        if FRAMEWORK_SHEET not in book.sheetnames or STANDARDS_SHEET not in book.sheetnames:
            raise InvalidInput(
                f"{source_name} is not a Section 11 framework file (it needs the sheets "
                f"'{FRAMEWORK_SHEET}' and '{STANDARDS_SHEET}')."
            )
        meta = {
            _text(r[0]).casefold(): _text(r[1])
            for r in book[FRAMEWORK_SHEET].iter_rows(values_only=True)
            if r and len(r) > 1 and r[0]
        }
        result.name, result.version_label = meta.get("name", ""), meta.get("version", "")
        result.description = meta.get("description", "")
        if not result.name:
            report.error(1, "Name", "the framework needs a name")
        if not result.version_label:
            report.error(2, "Version", "the framework needs a version label (e.g. 2026-27)")
        rows = list(book[STANDARDS_SHEET].iter_rows(values_only=True))
    finally:
        book.close()
    if not rows:
        report.error(None, None, "the Standards sheet is empty")
        return result
    header = [_text(h).casefold() for h in rows[0]]
    index = {}
    for column in COLUMNS:
        if column.casefold() in header:
            index[column] = header.index(column.casefold())
        elif column in ("Number", "Title"):
            report.error(1, column, "this column is missing")
    if report.has_errors:
        return result
    numbers: dict[int, int] = {}
    lineages: set[str] = set()
    for number, values in enumerate(rows[1:], start=2):
        get = _getter(index, values)
        if not any(_text(v) for v in values):
            continue
        try:
            standard_number = int(get("Number"))
        except ValueError:
            report.error(number, "Number", f"{get('Number')!r} is not a whole number")
            continue
        if standard_number <= 0:
            report.error(number, "Number", "a standard number is 1 or more")
            continue
        retired = get("Retired").casefold() in ("yes", "y", "true", "1")
        if standard_number in numbers and not retired:
            report.error(
                number, "Number", f"standard {standard_number} appears twice (also row {numbers[standard_number]})"
            )
            continue
        if not get("Title"):
            report.error(number, "Title", "a standard needs a title")
            continue
        lineage = get("Lineage") or f"custom-{new_uuid()}"
        if lineage in lineages:
            report.error(number, "Lineage", f"lineage {lineage!r} appears twice; leave it blank for a new standard")
            continue
        lineages.add(lineage)
        if not retired:
            numbers[standard_number] = number
        result.standards.append(
            {
                "number": standard_number,
                "title": get("Title"),
                "good_practice": get("What good looks like"),
                "questions": [q.strip() for q in get("Questions (one per line)").splitlines() if q.strip()],
                "evidence_prompts": [
                    p.strip() for p in get("Evidence prompts (one per line)").splitlines() if p.strip()
                ],
                "lineage": lineage,
                "retired": retired,
            }
        )
    if not numbers and not report.has_errors:
        report.error(None, "Number", "the file has no standards in use")
    for other in session.scalars(live(S11Framework)):
        if (
            other.name.casefold() == result.name.casefold()
            and other.version_label.casefold() == result.version_label.casefold()
        ):
            report.error(
                2,
                "Version",
                f"there is already a framework {other.name} ({other.version_label}); "
                "give the imported one a new version label",
            )
    report.counts = {"standards": len(result.standards)}
    return result


def import_framework(uow: UnitOfWork, data: bytes, source_name: str, *, dry_run: bool = False) -> FrameworkImport:
    result = read_framework_xlsx(uow.session, data, source_name)
    if result.report.has_errors or dry_run:
        return result
    framework = uow.create(
        S11Framework,
        name=result.name,
        version_label=result.version_label,
        description=result.description,
        kind="custom",
        based_on_uuid=None,
        retired=False,
        summary=f"Imported Section 11 framework {result.name} ({result.version_label})",
    )
    for raw in result.standards:
        uow.create(
            S11Standard,
            uuid=standard_id(framework.uuid, raw["lineage"]),
            framework_uuid=framework.uuid,
            audit=False,
            **raw,
        )
    result.framework_uuid = framework.uuid
    return result

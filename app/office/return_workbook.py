"""Spreadsheet returns for agencies that do not have the app (Section 11, performance data).

A return is an XLSX workbook the workbench writes and later reads back:

- one visible sheet of rows, each carrying a short reference in a locked column
  (e.g. "S3" for standard 3), so a sorted sheet or an inserted row still maps
  back to the right record;
- header cells named as the import expects them: columns are found by their
  heading, so a deleted or moved column is reported by name, not misread;
- a "very hidden" sheet (not shown by Excel's Unhide menu) carrying what the
  return is for (its kind, format version and identities such as the cycle and
  agency) and what each row reference stands for (e.g. a standard's uuid), so the
  import maps back exactly;
- structure and the visible sheet protected, with only the answer cells
  unlocked; optional dropdowns (data validation) on answer columns.

Written in memory (`workbook_bytes`): openpyxl's own save would put the sheet
XML in temporary files. openpyxl is imported on first use.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

from app.errors import InvalidInput
from app.records.limits import file_size

IDENTITY_SHEET = "wb_identity"
IDENTITY_FORMAT = 1
#: a return is a few hundred rows; refuse early what cannot be one (a zip bomb, a wrong file)
MAX_RETURN_BYTES = 20 * 1024 * 1024
MAX_RETURN_ROWS = 20_000


@dataclass(frozen=True)
class Column:
    """One column of a return's visible sheet."""

    heading: str
    width: float = 18
    #: unlocked for the agency to type into
    answer: bool = False
    #: dropdown choices (data validation); empty: free entry
    choices: tuple[str, ...] = ()
    #: "text", "number", "date" (number format and what the reader expects)
    kind: str = "text"
    wrap: bool = True


@dataclass
class ReturnSheet:
    """What to write: title lines above the table, the columns, rows keyed by their reference."""

    title: str
    columns: list[Column]
    #: each row: its reference (first column, locked) then one value per remaining column
    rows: list[list[Any]] = field(default_factory=list)
    intro: list[str] = field(default_factory=list)
    sheet_name: str = "Return"


@dataclass(frozen=True)
class ReturnIdentity:
    """What the hidden sheet says the return is for."""

    kind: str
    identities: dict[str, str]
    #: row reference -> identity of what the row stands for (e.g. "S3" -> a standard's uuid)
    rows: dict[str, str]


def build_return(sheet: ReturnSheet, identity: ReturnIdentity) -> bytes:
    """The return as XLSX bytes (in memory)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from app.office.xlsx_marking import mark_sheet
    from app.office.xlsx_memory import workbook_bytes

    book = Workbook()
    visible = book.active
    visible.title = sheet.sheet_name
    mark_sheet(visible)
    visible.append([sheet.title])
    visible["A2"].font = Font(bold=True, size=13)
    for line in sheet.intro:
        visible.append([line])
    visible.append([])
    visible.append([column.heading for column in sheet.columns])
    header_row = visible.max_row
    for cell in visible[header_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDDDDD")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    answer_fill = PatternFill("solid", fgColor="FFF9DB")
    for values in sheet.rows:
        visible.append(list(values))
        for index, column in enumerate(sheet.columns):
            cell = visible.cell(row=visible.max_row, column=index + 1)
            cell.alignment = Alignment(wrap_text=column.wrap, vertical="top")
            if column.answer:
                cell.protection = Protection(locked=False)
                cell.fill = answer_fill
            if column.kind == "date":
                cell.number_format = "DD/MM/YYYY"
    first, last = header_row + 1, max(header_row + 1, visible.max_row)
    for index, column in enumerate(sheet.columns):
        letter = get_column_letter(index + 1)
        visible.column_dimensions[letter].width = column.width
        if column.choices:
            rule = DataValidation(
                type="list",
                formula1='"' + ",".join(column.choices) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="Choose from the list",
                error=f"{column.heading}: choose one of {', '.join(column.choices)}.",
            )
            rule.add(f"{letter}{first}:{letter}{last}")
            visible.add_data_validation(rule)
    visible.freeze_panes = visible.cell(row=header_row + 1, column=2)
    visible.protection.sheet = True
    visible.protection.formatRows = False  # agencies may resize rows to read long answers
    visible.protection.formatColumns = False

    hidden = book.create_sheet(IDENTITY_SHEET)
    hidden.sheet_state = "veryHidden"
    hidden.append(["format", IDENTITY_FORMAT])
    hidden.append(["kind", identity.kind])
    hidden.append(["identities", json.dumps(identity.identities, sort_keys=True)])
    hidden.append(["header_row", header_row])
    for reference, target in identity.rows.items():
        hidden.append(["row", reference, target])
    hidden.protection.sheet = True
    book.security.lockStructure = True
    return workbook_bytes(book)


@dataclass
class ReadReturn:
    """A return read back: its identity, the columns found by heading, and its data rows."""

    source_name: str
    identity: ReturnIdentity
    #: heading (as written by the workbench) -> column index in the file, for the headings found
    columns: dict[str, int]
    #: headings the workbench wrote that the file no longer has
    missing_columns: list[str]
    #: (spreadsheet row number, values) of every non-empty row below the header
    rows: list[tuple[int, list[Any]]]
    #: (row number, column index) of the number cells formatted as a percentage: a cell showing "91%" holds 0.91
    percent_cells: set[tuple[int, int]] = field(default_factory=set)

    def value(self, values: list[Any], heading: str) -> Any:
        index = self.columns.get(heading)
        if index is None or index >= len(values):
            return None
        value = values[index]
        return value.strip() if isinstance(value, str) else value

    def is_percent(self, number: int, heading: str) -> bool:
        """Whether the row's cell under `heading` is a number formatted as a percentage (shown x100)."""
        index = self.columns.get(heading)
        return index is not None and (number, index) in self.percent_cells


def read_return_file(path: Path) -> bytes:
    """A return file's bytes, refused in one clear InvalidInput if unreadable or larger than a return can be."""
    path = Path(path)
    size = file_size(path)
    if size > MAX_RETURN_BYTES:
        raise InvalidInput(
            f"{path.name} is {size // (1024 * 1024)} MB; a return is at most "
            f"{MAX_RETURN_BYTES // (1024 * 1024)} MB. Is it the right file?"
        )
    data = path.read_bytes()
    return data


def read_return(path: Path, expected_kind: str, headings: Iterable[str]) -> ReadReturn:
    """Read a return written by `build_return`; one clear InvalidInput for anything that is not one."""
    path = Path(path)
    return read_return_bytes(read_return_file(path), path.name, expected_kind, headings)


def read_return_bytes(data: bytes, source_name: str, expected_kind: str, headings: Iterable[str]) -> ReadReturn:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        book = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InvalidInput(
            f"{source_name} is not an Excel workbook (.xlsx) the workbench can read ({type(exc).__name__})."
        ) from None
    try:
        identity, header_row = _identity(book, source_name, expected_kind)
        sheet = next((ws for ws in book.worksheets if ws.title != IDENTITY_SHEET), None)
        if sheet is None:
            raise InvalidInput(f"{source_name} has no return sheet.")
        wanted = list(headings)
        rows, percent_cells = _rows(sheet, source_name)
        header_index, header = _find_header(rows, wanted, header_row)
        if header is None:
            raise InvalidInput(
                f"{source_name}: the heading row of the return is missing "
                f"(expected headings such as {', '.join(repr(h) for h in wanted[:3])})."
            )
        found = {}
        folded = [_fold(h) for h in header]
        for heading in wanted:
            if _fold(heading) in folded:
                found[heading] = folded.index(_fold(heading))
        data_rows = [
            (number, values) for number, values in rows[header_index + 1 :] if any(v not in (None, "") for v in values)
        ]
        return ReadReturn(source_name, identity, found, [h for h in wanted if h not in found], data_rows, percent_cells)
    finally:
        book.close()


def _fold(text: Any) -> str:
    return " ".join(str(text or "").split()).casefold()


def _rows(sheet: Any, source_name: str) -> tuple[list[tuple[int, list[Any]]], set[tuple[int, int]]]:
    """The sheet's rows (number, values), and where a number cell is formatted as a percentage."""
    rows = []
    percent_cells = set()
    for number, cells in enumerate(sheet.iter_rows(), start=1):
        if number > MAX_RETURN_ROWS:
            raise InvalidInput(f"{source_name} has more than {MAX_RETURN_ROWS} rows; a return is far shorter.")
        values = [cell.value for cell in cells]
        for index, cell in enumerate(cells):
            if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool) and _shows_percent(cell):
                percent_cells.add((number, index))
        rows.append((number, values))
    return rows, percent_cells


#: what a number format shows as written: quoted text ("%"), an escaped character (\%)
_LITERALS = re.compile(r'"[^"]*"|\\.')


def _shows_percent(cell: Any) -> bool:
    """Whether the cell's number format is a percentage (a % outside quotes: Excel shows the number x100)."""
    return "%" in _LITERALS.sub("", cell.number_format or "")


def _find_header(rows: list[tuple[int, list[Any]]], wanted: list[str], hint: int) -> tuple[int, list[Any] | None]:
    """The row holding most of the expected headings (the written one first, in case rows were added above)."""
    folded = {_fold(h) for h in wanted}
    best, best_index, best_score = None, -1, 0
    for index, (number, values) in enumerate(rows):
        score = sum(1 for v in values if _fold(v) in folded)
        if score > best_score or (score == best_score and score and number == hint):
            best, best_index, best_score = values, index, score
    return best_index, best


class NotAReturn(InvalidInput):
    """A workbook without the identity sheet: someone's own spreadsheet, not a template filled in. An area
    with another way in for such figures (a CSV) adds it to the message."""


def _identity(book: Any, source_name: str, expected_kind: str) -> tuple[ReturnIdentity, int]:
    if IDENTITY_SHEET not in book.sheetnames:
        raise NotAReturn(
            f"{source_name} is not a return made by Safeguarding Workbench (its identity sheet "
            "is missing). Ask the agency to fill in the template they were sent."
        )
    values: dict[str, Any] = {}
    rows: dict[str, str] = {}
    for row in book[IDENTITY_SHEET].iter_rows(values_only=True):
        if not row or row[0] is None:
            continue
        if row[0] == "row" and len(row) >= 3:
            rows[str(row[1])] = str(row[2])
        else:
            values[str(row[0])] = row[1] if len(row) > 1 else None
    if values.get("kind") != expected_kind:
        raise InvalidInput(
            f"{source_name} is a {values.get('kind') or 'different'} file, not a {expected_kind} return."
        )
    if values.get("format") != IDENTITY_FORMAT:
        raise InvalidInput(
            f"{source_name} was made by a different version of Safeguarding Workbench "
            f"(return format {values.get('format')!r}); send the agency a new template."
        )
    try:
        identities = json.loads(values.get("identities") or "{}")
        header_row = int(values.get("header_row") or 0)
    except (TypeError, ValueError):
        raise InvalidInput(f"{source_name}: its identity sheet was changed; it cannot be mapped back.") from None
    if not isinstance(identities, dict):
        raise InvalidInput(f"{source_name}: its identity sheet was changed; it cannot be mapped back.")
    return ReturnIdentity(expected_kind, {str(k): str(v) for k, v in identities.items()}, rows), header_row


def iter_references(read: ReadReturn, reference_heading: str) -> Iterator[tuple[int, str | None, list[Any]]]:
    """(row number, row reference or None, values) of each data row."""
    for number, values in read.rows:
        reference = read.value(values, reference_heading)
        yield number, (str(reference) if reference not in (None, "") else None), values

"""Read an agency's chronology return (XLSX, CSV or Word table) into raw rows.

Returns come with title rows, notes and blank rows around the table, so the
header row is found by how many of its cells look like chronology headers
(see ``fields.match_header``), not assumed to be row 1. Every row keeps the
number the user sees in the file (spreadsheet row, CSV line, Word table row)
so that the import report can point at it. Values stay raw (as the file
holds them); ``validation`` turns them into entries.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from app.chronology.fields import match_header, normalise_header
from app.errors import InvalidInput

__all__ = [
    "HEADER_SCAN_ROWS",
    "ImportFileError",
    "ImportedTable",
    "RawRow",
    "read_csv",
    "read_docx",
    "read_table",
    "read_xlsx",
]

HEADER_SCAN_ROWS = 30
"""How far down a sheet or table the header row is looked for."""

_MIN_HEADER_FIELDS = 2
_MAX_HEADER_CELL_CHARS = 80
_CSV_DELIMITERS = ",;\t|"


class ImportFileError(InvalidInput, ValueError):
    """A file cannot be read as a chronology; the message names the file and the problem."""


@dataclass(frozen=True, slots=True)
class RawRow:
    row_number: int
    values: dict[str, object]


@dataclass(frozen=True, slots=True)
class ImportedTable:
    headers: list[str]
    rows: list[RawRow]
    source_name: str
    location: str = field(default="")
    """Where in the file the table was found, e.g. "sheet 'Chronology'" or "table 2 of 3"."""


# -- shared helpers ---------------------------------------------------------

def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _header_text(value: object) -> str:
    return "" if value is None else " ".join(str(value).split())


def _header_score(cells: Sequence[object]) -> int:
    """Twice the known variants plus keyword guesses, counting each field once."""
    exact: set[str] = set()
    guessed: set[str] = set()
    for cell in cells:
        if not isinstance(cell, str) or not cell.strip() or len(cell) > _MAX_HEADER_CELL_CHARS:
            continue
        field_name, is_exact = match_header(cell)
        if field_name is not None:
            (exact if is_exact else guessed).add(field_name)
    if len(exact | guessed) < _MIN_HEADER_FIELDS:
        return 0
    return 2 * len(exact) + len(guessed - exact)


def _find_header(rows: Iterable[tuple[int, Sequence[object]]]) -> tuple[int, int, Sequence[object]] | None:
    """(score, index, cells) of the best header among the first rows; earliest wins ties."""
    best: tuple[int, int, Sequence[object]] | None = None
    for index, (_, cells) in enumerate(rows):
        if index >= HEADER_SCAN_ROWS:
            break
        score = _header_score(cells)
        if score and (best is None or score > best[0]):
            best = (score, index, cells)
    return best


def _build_table(
    header_cells: Sequence[object],
    body: Iterable[tuple[int, Sequence[object]]],
    source_name: str,
    location: str,
    letter_columns: bool,
) -> ImportedTable:
    """Name the columns, drop blank and repeated-header rows, key values by header."""
    header_texts = [_header_text(c) for c in header_cells]
    header_key = [normalise_header(h) for h in header_texts]
    first = next(i for i, key in enumerate(header_key) if key)
    kept: list[tuple[int, Sequence[object]]] = []
    used: set[int] = set()
    width = len(header_texts)
    for row_number, cells in body:
        non_blank = [i for i, v in enumerate(cells) if not _is_blank(v)]
        if not non_blank:
            continue
        if _repeats_header(cells, header_key, first):
            continue  # the header repeated further down (page breaks, pasted blocks)
        used.update(non_blank)
        width = max(width, len(cells))
        kept.append((row_number, cells))
    header_texts += [""] * (width - len(header_texts))

    columns: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for index, text in enumerate(header_texts):
        if not text:
            if index not in used:
                continue
            text = _column_name(index, letter_columns)
        count = seen.get(text.casefold(), 0) + 1
        seen[text.casefold()] = count
        columns.append((index, text if count == 1 else f"{text} ({count})"))

    rows = [
        RawRow(row_number, {name: (cells[i] if i < len(cells) else None) for i, name in columns})
        for row_number, cells in kept
    ]
    return ImportedTable([name for _, name in columns], rows, source_name, location)


def _repeats_header(cells: Sequence[object], header_key: list[str], first: int) -> bool:
    """Cheap test first: most rows differ from the header in its first named column."""
    if first >= len(cells) or not isinstance(cells[first], str):
        return False
    if normalise_header(cells[first]) != header_key[first]:
        return False
    padded = list(cells[: len(header_key)]) + [None] * (len(header_key) - len(cells))
    return [normalise_header(_header_text(c)) for c in padded] == header_key


def _column_name(index: int, letters: bool) -> str:
    """Name of a column with a blank header: its spreadsheet letter, else its number."""
    if letters:
        from openpyxl.utils import get_column_letter

        return f"Column {get_column_letter(index + 1)}"
    return f"Column {index + 1}"


def _no_header(name: str, where: str) -> ImportFileError:
    return ImportFileError(
        f"{name}: no recognisable header row in {where} (looked at the first {HEADER_SCAN_ROWS} rows "
        "for columns such as 'Date', 'Source' and 'Event')."
    )


# -- XLSX ---------------------------------------------------------------------

def _sheet_rows(sheet) -> Iterator[tuple[int, tuple[object, ...]]]:  # noqa: ANN001 - openpyxl sheet
    for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
        yield number, cells


# A formula cell whose value was never saved: <f>...</f> or <f .../> then, with no value (or an empty one), </c>.
# Excel always saves values; files written by scripts (openpyxl, some case systems' exports) often do not.
_UNSAVED_FORMULA_RE = re.compile(
    rb"(?:</(?:\w+:)?f>|<(?:\w+:)?f\b[^>]*/>)\s*(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>")
_SCAN_CHUNK = 1 << 20


def _has_unsaved_formulas(path: Path) -> bool:
    """Whether any worksheet of the workbook has a formula cell without a saved value (a cheap byte scan)."""
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                    continue
                with archive.open(info) as part:
                    tail = b""
                    while chunk := part.read(_SCAN_CHUNK):
                        data = tail + chunk
                        if _UNSAVED_FORMULA_RE.search(data):
                            return True
                        tail = data[-4096:]
    except (zipfile.BadZipFile, OSError, KeyError):
        return False
    return False


def _with_formula_text(rows: Iterator[tuple[int, tuple[object, ...]]],
                       formula_rows: Iterator[tuple[int, tuple[object, ...]]]
                       ) -> Iterator[tuple[int, tuple[object, ...]]]:
    """Rows of cached values, where a formula with no saved value gives its formula text ("=A2+1").

    Without this such a cell reads as blank, and the report would call a
    mandatory field missing when the agency did fill it in, with a formula.
    """
    for (number, cells), (_, formulas) in zip(rows, formula_rows):
        if any(c is None and i < len(formulas) and isinstance(formulas[i], str) and formulas[i].startswith("=")
               for i, c in enumerate(cells)):
            cells = tuple(formulas[i] if c is None and i < len(formulas) and isinstance(formulas[i], str)
                          and formulas[i].startswith("=") else c for i, c in enumerate(cells))
        yield number, cells


def read_xlsx(path: str | Path) -> ImportedTable:
    """Stream the best-matching sheet of a workbook (openpyxl read-only, cached values).

    A formula cell reads as the value the spreadsheet saved with it. If none
    was saved (files written by scripts), the cell reads as its formula text,
    so that the report says it is a formula rather than that it is blank.
    Finding those cells takes a second read of the sheet, done only when a
    quick scan of the file shows such a formula.
    """
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(path)
    name = path.name
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise ImportFileError(f"{name}: file not found.") from None
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(
            f"{name}: not a valid Excel .xlsx workbook (is it password-protected, or an old .xls file?): {exc}"
        ) from None
    try:
        best: tuple[int, int, Sequence[object], object] | None = None
        for sheet in workbook.worksheets:
            if not hasattr(sheet, "iter_rows"):
                continue  # chart sheets
            sheet.reset_dimensions()  # stored dimensions are often wrong; read what is there
            rows = _sheet_rows(sheet)
            try:
                found = _find_header(rows)
            finally:
                rows.close()
            if found and (best is None or found[0] > best[0]):
                best = (*found, sheet)
        if best is None:
            raise _no_header(name, "any sheet")
        _, header_index, header_cells, sheet = best
        rows = _sheet_rows(sheet)
        formula_book = None
        if _has_unsaved_formulas(path):
            formula_book = openpyxl.load_workbook(path, read_only=True, data_only=False)
            formula_sheet = formula_book[sheet.title]
            formula_sheet.reset_dimensions()
            rows = _with_formula_text(rows, _sheet_rows(formula_sheet))
        try:
            body = ((n, cells) for n, cells in rows if n > header_index + 1)
            return _build_table(header_cells, body, name, f"sheet '{sheet.title}'", letter_columns=True)
        finally:
            if formula_book is not None:
                formula_book.close()
    finally:
        workbook.close()


# -- CSV ------------------------------------------------------------------------

def _decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportFileError(f"{name}: the file says it is UTF-16 but is not.") from None
    if b"\x00" in data[:4096]:
        raise ImportFileError(f"{name}: not a text file, so not a CSV file.")
    for encoding in ("utf-8-sig", "cp1252"):  # UTF-8 first; otherwise what Excel on Windows writes
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(f"{name}: text is neither UTF-8 nor Windows-1252; save it again as 'CSV UTF-8'.")


def _csv_records(text: str, delimiter: str, name: str) -> Iterator[tuple[int, list[str]]]:
    """(first line number, fields) of each record; quoted fields may span lines."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    try:
        for record in reader:
            yield start, record
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ImportFileError(f"{name}: line {start}: cannot read the CSV ({exc}).") from None


def read_csv(path: str | Path) -> ImportedTable:
    """Read a CSV return; the delimiter is the one that yields the best header row."""
    path = Path(path)
    name = path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportFileError(f"{name}: file not found.") from None
    text = _decode(data, name)
    sample = text[:65536]
    try:
        sniffed = csv.Sniffer().sniff(sample[: sample.rfind("\n") + 1] or sample, delimiters=_CSV_DELIMITERS).delimiter
    except csv.Error:
        sniffed = ","
    order = [sniffed] + [d for d in _CSV_DELIMITERS if d != sniffed]
    best: tuple[int, int, Sequence[object], str] | None = None
    for delimiter in order:
        try:
            found = _find_header(_csv_records(sample, delimiter, name))
        except ImportFileError:
            continue  # this delimiter garbles the file; another may not
        if found and (best is None or found[0] > best[0]):
            best = (*found, delimiter)
    if best is None:
        raise _no_header(name, "the file")
    _, header_index, header_cells, delimiter = best
    records = _csv_records(text, delimiter, name)
    body = (record for index, record in enumerate(records) if index > header_index)
    return _build_table(header_cells, body, name, "", letter_columns=False)


# -- DOCX -----------------------------------------------------------------------

def _table_grid(table) -> list[tuple[int, list[str]]]:  # noqa: ANN001 - python-docx Table
    """Rows of a Word table laid on its column grid.

    A horizontally merged cell gives its text to its first column only, so a
    merged header is not duplicated; a vertically merged cell repeats its text
    down the rows it covers (one date cell spanning three events dates all three).
    """
    from docx.table import _Cell

    grid: list[tuple[int, list[str]]] = []
    above: list[str] = []
    for number, tr in enumerate(table._tbl.tr_lst, start=1):
        cells: list[str] = [""] * tr.grid_before
        for tc in tr.tc_lst:
            column = len(cells)
            if tc.vMerge == "continue":
                text = above[column] if column < len(above) else ""
            else:
                text = _Cell(tc, table).text
            cells.append(text)
            cells.extend([""] * (tc.grid_span - 1))
        grid.append((number, cells))
        above = cells
    return grid


def read_docx(path: str | Path) -> ImportedTable:
    """Read the Word table whose header row best matches a chronology."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    path = Path(path)
    name = path.name
    if not path.exists():
        raise ImportFileError(f"{name}: file not found.")
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ImportFileError(f"{name}: not a valid Word .docx document (an old .doc file?): {exc}") from None
    tables = document.tables
    if not tables:
        raise ImportFileError(f"{name}: the document contains no table.")
    best: tuple[int, int, Sequence[object], int, list[tuple[int, list[str]]]] | None = None
    for table_index, table in enumerate(tables, start=1):
        grid = _table_grid(table)
        found = _find_header(grid)
        if found and (best is None or found[0] > best[0]):
            best = (*found, table_index, grid)
    if best is None:
        raise _no_header(name, f"any of its {len(tables)} table(s)")
    _, header_index, header_cells, table_index, grid = best
    location = f"table {table_index} of {len(tables)}" if len(tables) > 1 else ""
    return _build_table(header_cells, grid[header_index + 1:], name, location, letter_columns=False)


# -- dispatch -------------------------------------------------------------------

_READERS = {
    ".xlsx": read_xlsx,
    ".xlsm": read_xlsx,
    ".csv": read_csv,
    ".tsv": read_csv,
    ".txt": read_csv,
    ".docx": read_docx,
}
_OLD_FORMATS = {".xls": ".xlsx", ".doc": ".docx", ".ods": ".xlsx", ".odt": ".docx", ".rtf": ".docx"}


def read_table(path: str | Path) -> ImportedTable:
    """Read a return, choosing the reader by file extension."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in _OLD_FORMATS:
        raise ImportFileError(f"{path.name}: {suffix} files cannot be read; save it as {_OLD_FORMATS[suffix]} first.")
    reader = _READERS.get(suffix)
    if reader is None:
        raise ImportFileError(f"{path.name}: unsupported file type; use .xlsx, .csv or .docx.")
    return reader(path)

"""Read an agency's chronology return (XLSX, CSV or Word table) into raw rows, as a stream.

Returns come with title rows, notes and blank rows around the table, so the
header row is found by how many of its cells look like chronology headers
(see ``fields.match_header``), not assumed to be row 1. Every row keeps the
number the user sees in the file (spreadsheet row, CSV line, Word table row)
so that the import report can point at it. Values stay raw (as the file
holds them); ``validation`` turns them into entries.

``open_table(path)`` finds the header and returns a ``ReturnSource``: the rows
are read again from the file each time they are iterated, never all held at
once, so an import's memory does not grow with the file. ``read_table(path)``
gives the same rows held in an ``ImportedTable`` (small files, tests).
Limits (``app.records.limits.IMPORT_LIMITS``) refuse an oversized or hostile
file early with one message naming the file and the limit.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from app.chronology.fields import match_header, normalise_header
from app.errors import InvalidInput
from app.records.limits import IMPORT_LIMITS, ImportLimits
from app.text import count_of

__all__ = [
    "HEADER_SCAN_ROWS",
    "ImportFileError",
    "ImportedTable",
    "RawRow",
    "ReturnSource",
    "open_table",
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
_SAMPLES = 3


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
    notes: tuple[str, ...] = ()
    """What the reader had to guess about the file (an encoding), for the import report."""

    def iter_rows(self) -> Iterator[RawRow]:
        return iter(self.rows)

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def samples(self, header: str, count: int = _SAMPLES) -> list[object]:
        """The first non-blank values of a column, as the file holds them (a date cell stays a date)."""
        values = (r.values.get(header) for r in self.rows)
        return [_sample(v) for v in values if not _is_blank(v)][:count]


# -- shared helpers ---------------------------------------------------------


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


_SAMPLE_CHARS = 1_000
"""How much of a long cell a sample keeps (the mapping step shows it whole in a tooltip)."""


def _sample(value: object) -> object:
    return value[:_SAMPLE_CHARS] + "…" if isinstance(value, str) and len(value) > _SAMPLE_CHARS else value


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


def _repeats_header(cells: Sequence[object], header_key: list[str], first: int) -> bool:
    """Cheap test first: most rows differ from the header in its first named column."""
    cell = cells[first] if first < len(cells) else None
    if not isinstance(cell, str):
        return False
    # Cheaper still: the normal form is made of the cell's own (case-folded) characters, except where "&" and
    # "#" become words, so a cell without the header's first character cannot repeat it.
    if "&" not in cell and "#" not in cell and header_key[first][0] not in cell.casefold():
        return False
    if normalise_header(cell) != header_key[first]:
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


def _check_size(path: Path, limits: ImportLimits) -> None:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ImportFileError(f"{path.name}: file not found.") from None
    except OSError as exc:
        raise ImportFileError(f"{path.name}: cannot be read ({exc.strerror or exc}).") from None
    if not path.is_file():
        raise ImportFileError(f"{path.name}: not a file.")
    if size > limits.max_file_bytes:
        raise ImportFileError(
            f"{path.name}: the file is {size / 2**20:,.0f} MB; an import reads files of at most "
            f"{limits.max_file_bytes / 2**20:,.0f} MB. Split the return into smaller files."
        )


@dataclass(slots=True)
class _Scan:
    headers: list[str]
    columns: list[tuple[int, str]]
    row_count: int
    samples: dict[str, list[object]]


Body = Callable[[], Iterator[tuple[int, Sequence[object]]]]
"""A fresh iterator of (row number, cells) of the rows below the header, each time it is called."""


class ReturnSource:
    """A return whose header is known and whose rows are streamed from the file on each pass.

    ``headers`` (and ``row_count``, ``samples``) need one pass over the file, done
    once when first asked for: a column with a blank header is named ("Column F")
    only if some row fills it. ``iter_rows(only=...)`` with headers named in the
    header row needs no such pass, which is how a one-pass import reads.
    """

    def __init__(
        self,
        source_name: str,
        location: str,
        header_cells: Sequence[object],
        body: Body,
        *,
        letter_columns: bool,
        limits: ImportLimits = IMPORT_LIMITS,
        notes: Sequence[str] = (),
    ) -> None:
        self.source_name = source_name
        self.location = location
        self.notes = tuple(notes)
        self.limits = limits
        self._body = body
        self._letters = letter_columns
        self._header_texts = [_header_text(c) for c in header_cells]
        self._header_key = [normalise_header(h) for h in self._header_texts]
        self._first = next(i for i, key in enumerate(self._header_key) if key)
        self._scan: _Scan | None = None
        #: cells corrected in the app, (row number, header) -> value: applied as rows are read (the file is untouched)
        self.corrections: dict[tuple[int, str], object] = {}

    # -- naming ---------------------------------------------------------------------

    def _name_columns(self, used: set[int], width: int) -> list[tuple[int, str]]:
        texts = self._header_texts + [""] * (width - len(self._header_texts))
        columns: list[tuple[int, str]] = []
        seen: dict[str, int] = {}
        for index, text in enumerate(texts):
            if not text:
                if index not in used:
                    continue
                text = _column_name(index, self._letters)
            count = seen.get(text.casefold(), 0) + 1
            seen[text.casefold()] = count
            columns.append((index, text if count == 1 else f"{text} ({count})"))
        return columns

    @property
    def named_headers(self) -> list[str]:
        """The headers the header row names (no pass over the rows needed)."""
        return [name for _, name in self._name_columns(set(), len(self._header_texts))]

    def _kept(self) -> Iterator[tuple[int, Sequence[object]]]:
        """Body rows without blank rows and without the header repeated (page breaks, pasted blocks)."""
        header_key, first = self._header_key, self._first
        limit = self.limits.max_import_rows
        kept = 0
        first_char = header_key[first][0]
        for row_number, cells in self._body():
            for value in cells:
                if value is not None and (not isinstance(value, str) or value.strip()):  # not blank (_is_blank)
                    break
            else:
                continue
            # the cheap part of _repeats_header inline: most rows differ from the header in its first named column
            cell = cells[first] if first < len(cells) else None
            if (
                cell.__class__ is str
                and ("&" in cell or "#" in cell or first_char in cell.casefold())
                and _repeats_header(cells, header_key, first)
            ):
                continue
            kept += 1
            if kept > limit:
                raise ImportFileError(
                    f"{self.source_name}: more than {limit:,} rows of entries (row {row_number}); an import reads "
                    f"at most {limit:,}. Split the return into smaller files."
                )
            yield row_number, cells

    def scan(self) -> _Scan:
        """One pass: which unnamed columns hold data, how many rows, the first values of each column."""
        if self._scan is None:
            used: set[int] = set()
            width = len(self._header_texts)
            count = 0
            firsts: dict[int, list[object]] = {}
            for _, cells in self._kept():
                count += 1
                width = max(width, len(cells))
                for index, value in enumerate(cells):
                    if value is None or (isinstance(value, str) and not value.strip()):
                        continue
                    used.add(index)
                    found = firsts.setdefault(index, [])
                    if len(found) < _SAMPLES:
                        found.append(_sample(value))
            columns = self._name_columns(used, width)
            self._scan = _Scan(
                [name for _, name in columns], columns, count, {name: firsts.get(index, []) for index, name in columns}
            )
        return self._scan

    @property
    def headers(self) -> list[str]:
        return self.scan().headers

    @property
    def row_count(self) -> int:
        return self.scan().row_count

    def samples(self, header: str, count: int = _SAMPLES) -> list[object]:
        """The first non-blank values of a column, as the file holds them (a date cell stays a date)."""
        return self.scan().samples.get(header, [])[:count]

    def _columns_for(self, only: Iterable[str] | None) -> list[tuple[int, str]]:
        if only is not None:
            wanted = set(only)
            named = self._name_columns(set(), len(self._header_texts))
            if wanted <= {name for _, name in named}:
                return [(i, name) for i, name in named if name in wanted]
            return [(i, name) for i, name in self.scan().columns if name in wanted]
        return self.scan().columns

    def iter_rows(self, only: Iterable[str] | None = None) -> Iterator[RawRow]:
        """The rows, read from the file now; ``only``: just these columns in each row's values."""
        columns, rows = self.iter_cells(only)
        for row_number, cells in rows:
            yield self.raw_row(columns, row_number, cells)

    def iter_cells(
        self, only: Iterable[str] | None = None
    ) -> tuple[list[tuple[int, str]], Iterator[tuple[int, Sequence[object]]]]:
        """(index, header) of the columns, and (row number, cells) of each row as the file holds it,
        corrections NOT applied: a caller reading cells directly (the import's quick path) makes
        ``raw_row`` of any row ``corrections`` names."""
        return self._columns_for(only), self._kept()

    def raw_row(self, columns: list[tuple[int, str]], row_number: int, cells: Sequence[object]) -> RawRow:
        """The row as ``iter_rows`` gives it, from its cells: header -> value, corrections applied."""
        size = len(cells)
        values = {name: (cells[i] if i < size else None) for i, name in columns}
        corrections = self.corrections
        if corrections:
            for name in values:
                if (row_number, name) in corrections:
                    values[name] = corrections[(row_number, name)]
        return RawRow(row_number, values)

    def cell(self, row_number: int, header: str) -> object:
        """One cell as the checks see it (corrected or from the file; one pass up to its row)."""
        for row in self.iter_rows(only=[header]):
            if row.row_number == row_number:
                return row.values.get(header)
            if row.row_number > row_number:
                break
        return None

    def to_table(self) -> ImportedTable:
        """Every row held in memory (small files, tests)."""
        return ImportedTable(self.headers, list(self.iter_rows()), self.source_name, self.location, self.notes)


# -- XLSX ---------------------------------------------------------------------


def _xlsx_error(name: str, exc: BaseException) -> ImportFileError:
    from app.chronology.xlsx_stream import XlsxLimitError

    if isinstance(exc, XlsxLimitError):
        return ImportFileError(f"{name}: the workbook has {exc}; it is over the import limits, so nothing was read.")
    return ImportFileError(
        f"{name}: not a valid Excel .xlsx workbook (is it password-protected, or an old .xls file?): {exc}"
    )


def open_xlsx(path: str | Path, limits: ImportLimits = IMPORT_LIMITS) -> ReturnSource:
    """The best-matching sheet of a workbook, streamed (``xlsx_stream``; values as openpyxl gives them).

    A formula cell reads as the value the spreadsheet saved with it. If none
    was saved (files written by scripts), the cell reads as its formula text,
    so that the report says it is a formula rather than that it is blank.
    """
    from lxml import etree

    from app.chronology.xlsx_stream import XlsxBook, XlsxLimitError

    path = Path(path)
    name = path.name
    _check_size(path, limits)
    failures = (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        KeyError,
        OSError,
        ValueError,
        EOFError,
        etree.XMLSyntaxError,
        XlsxLimitError,
        NotImplementedError,
        RuntimeError,
    )
    try:
        with XlsxBook(str(path), limits) as book:
            best: tuple[int, int, Sequence[object], object] | None = None
            for sheet in book.sheets:
                rows = book.rows(sheet)
                try:
                    found = _find_header(_with_gaps(rows, HEADER_SCAN_ROWS))
                finally:
                    rows.close()  # type: ignore[attr-defined]  # book.rows() is a generator
                if found and (best is None or found[0] > best[0]):
                    best = (*found, sheet)
    except ImportFileError:
        raise
    except failures as exc:
        raise _xlsx_error(name, exc) from None
    if best is None:
        raise _no_header(name, "any sheet")
    _, header_index, header_cells, chosen = best

    def body() -> Iterator[tuple[int, Sequence[object]]]:
        try:
            with XlsxBook(str(path), limits) as book:
                for number, cells in book.rows(chosen):  # type: ignore[arg-type]  # the streamed sheet, as chosen above
                    if number > header_index + 1:
                        yield number, cells
        except failures as exc:
            raise _xlsx_error(name, exc) from None

    return ReturnSource(
        name,
        f"sheet '{chosen.title}'",  # type: ignore[attr-defined]  # both sheet kinds have a title
        header_cells,
        body,
        letter_columns=True,
        limits=limits,
    )


def _with_gaps(rows: Iterator[tuple[int, Sequence[object]]], up_to: int) -> Iterator[tuple[int, Sequence[object]]]:
    """Rows 1..up_to with the blank ones the stream leaves out put back, so row index = number - 1."""
    expected = 1
    for number, cells in rows:
        while expected < number and expected <= up_to:
            yield expected, ()
            expected += 1
        if number > up_to:
            return
        yield number, cells
        expected = number + 1


def read_xlsx(path: str | Path) -> ImportedTable:
    """The best-matching sheet of a workbook, every row held (see ``open_xlsx``)."""
    return open_xlsx(path).to_table()


# -- CSV ------------------------------------------------------------------------

_CHUNK = 1 << 20


def _encoding(path: Path, name: str) -> tuple[str, tuple[str, ...]]:
    """(codec, notes): UTF-16 by its BOM, else UTF-8 if the whole file is, else Windows-1252 with a note."""
    with path.open("rb") as handle:
        head = handle.read(4096)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            return "utf-16", ()
        if b"\x00" in head:
            raise ImportFileError(f"{name}: not a text file, so not a CSV file.")
        if _decodes(handle, "utf-8"):
            return "utf-8-sig", ()
        if not _decodes(handle, "cp1252"):
            raise ImportFileError(f"{name}: text is neither UTF-8 nor Windows-1252; save it again as 'CSV UTF-8'.")
    return "cp1252", (
        f"{name} is not valid UTF-8 text; it was read as Windows-1252 (what Excel on Windows "
        "saves as 'CSV'). Check accented letters and symbols, or save it again as 'CSV UTF-8'.",
    )


def _decodes(handle: IO[bytes], encoding: str) -> bool:
    """Does the whole file decode as `encoding`? Read in chunks, from the start."""
    handle.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        while chunk := handle.read(_CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _csv_records(
    text: Iterable[str], delimiter: str, name: str, limits: ImportLimits | None = IMPORT_LIMITS
) -> Iterator[tuple[int, list[str]]]:
    """(first line number, fields) of each record; quoted fields may span lines. ``limits`` None: unchecked
    (the header search, which reads a sample only)."""
    reader = csv.reader(text, delimiter=delimiter)
    start = 1
    if limits is None:
        max_rows, max_chars, max_columns = 1 << 62, 1 << 62, 1 << 62
    else:
        max_rows, max_chars, max_columns = limits.max_rows_read, limits.max_cell_chars, limits.max_columns
    count = 0
    try:
        for record in reader:
            count += 1
            if count > max_rows:
                raise ImportFileError(f"{name}: more than {max_rows:,} lines; an import reads at most {max_rows:,}.")
            if len(record) > max_columns:
                raise ImportFileError(
                    f"{name}: line {start} has {len(record):,} fields; an import reads at most {max_columns:,} columns."
                )
            if record and max(map(len, record)) > max_chars:
                longest = max(map(len, record))
                raise ImportFileError(
                    f"{name}: line {start} has a field of {longest:,} characters; a cell "
                    f"may hold at most {max_chars:,}."
                )
            yield start, record
            start = reader.line_num + 1
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise ImportFileError(
                f"{name}: line {start} has a field longer than {csv.field_size_limit():,} "
                f"characters; a cell may hold at most {max_chars:,}."
            ) from None
        raise ImportFileError(f"{name}: line {start}: cannot read the CSV ({exc}).") from None


def open_csv(path: str | Path, limits: ImportLimits = IMPORT_LIMITS) -> ReturnSource:
    """A CSV return, streamed; the delimiter is the one that yields the best header row."""
    path = Path(path)
    name = path.name
    _check_size(path, limits)
    encoding, notes = _encoding(path, name)
    with path.open(encoding=encoding, newline="") as handle:
        sample = handle.read(65536)
    try:
        sniffed = csv.Sniffer().sniff(sample[: sample.rfind("\n") + 1] or sample, delimiters=_CSV_DELIMITERS).delimiter
    except csv.Error:
        sniffed = ","
    order = [sniffed] + [d for d in _CSV_DELIMITERS if d != sniffed]
    best: tuple[int, int, Sequence[object], str] | None = None
    for delimiter in order:
        try:
            found = _find_header(_csv_records(io.StringIO(sample, newline=""), delimiter, name, None))
        except ImportFileError:
            continue  # this delimiter garbles the file; another may not
        if found and (best is None or found[0] > best[0]):
            best = (*found, delimiter)
    if best is None:
        raise _no_header(name, "the file")
    _, header_index, header_cells, delimiter = best

    def body() -> Iterator[tuple[int, Sequence[object]]]:
        with path.open(encoding=encoding, newline="") as handle:
            yield from itertools.islice(_csv_records(handle, delimiter, name, limits), header_index + 1, None)

    return ReturnSource(name, "", header_cells, body, letter_columns=False, limits=limits, notes=notes)


def read_csv(path: str | Path) -> ImportedTable:
    """A CSV return, every row held (see ``open_csv``)."""
    return open_csv(path).to_table()


# -- DOCX -----------------------------------------------------------------------


def _table_grid(table) -> list[tuple[int, list[str]]]:
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


def _table_depth(document) -> int:
    """How deep tables are nested inside table cells (1: no table inside a table)."""
    from docx.oxml.ns import qn

    deepest = 0
    tbl = qn("w:tbl")
    for table in document.element.body.iter(tbl):
        depth = sum(1 for ancestor in table.iterancestors(tbl))
        deepest = max(deepest, depth + 1)
    return deepest


def open_docx(path: str | Path, limits: ImportLimits = IMPORT_LIMITS) -> ReturnSource:
    """The Word table whose header row best matches a chronology."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml import etree

    path = Path(path)
    name = path.name
    _check_size(path, limits)
    try:
        document = docx.Document(str(path))
    except etree.XMLSyntaxError as exc:
        raise ImportFileError(
            f"{name}: the Word document is damaged or built too deeply to read (tables or other parts nested "
            f"beyond what a document needs): {exc.msg}. Open it in Word, save it again and retry."
        ) from None
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ImportFileError(f"{name}: not a valid Word .docx document (an old .doc file?): {exc}") from None
    depth = _table_depth(document)
    if depth > limits.max_nesting_depth:
        raise ImportFileError(
            f"{name}: tables are nested {depth} deep inside each other; an import reads tables "
            f"nested at most {limits.max_nesting_depth} deep. Copy the chronology table into a new "
            "document and retry."
        )
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
        raise _no_header(name, f"any of its {count_of(len(tables), 'table')}")
    _, header_index, header_cells, table_index, grid = best
    location = f"table {table_index} of {len(tables)}" if len(tables) > 1 else ""
    body_rows = grid[header_index + 1 :]
    for number, cells in body_rows:
        for value in cells:
            if len(value) > limits.max_cell_chars:
                raise ImportFileError(
                    f"{name}: row {number} has a cell of {len(value):,} characters; a cell may "
                    f"hold at most {limits.max_cell_chars:,}."
                )
    return ReturnSource(name, location, header_cells, lambda: iter(body_rows), letter_columns=False, limits=limits)


def read_docx(path: str | Path) -> ImportedTable:
    """The Word table whose header row best matches a chronology, every row held."""
    return open_docx(path).to_table()


# -- dispatch -------------------------------------------------------------------

_OPENERS: dict[str, Callable[[Path, ImportLimits], ReturnSource]] = {
    ".xlsx": open_xlsx,
    ".xlsm": open_xlsx,
    ".csv": open_csv,
    ".tsv": open_csv,
    ".txt": open_csv,
    ".docx": open_docx,
}
_OLD_FORMATS = {".xls": ".xlsx", ".doc": ".docx", ".ods": ".xlsx", ".odt": ".docx", ".rtf": ".docx"}


def open_table(path: str | Path, limits: ImportLimits = IMPORT_LIMITS) -> ReturnSource:
    """Find the header of a return (by file extension) and stream its rows from the file on demand."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in _OLD_FORMATS:
        raise ImportFileError(f"{path.name}: {suffix} files cannot be read; save it as {_OLD_FORMATS[suffix]} first.")
    opener = _OPENERS.get(suffix)
    if opener is None:
        raise ImportFileError(f"{path.name}: unsupported file type; use .xlsx, .csv or .docx.")
    return opener(path, limits)


def read_table(path: str | Path) -> ImportedTable:
    """Read a return, every row held in memory (see ``open_table`` for the streamed form)."""
    return open_table(path).to_table()

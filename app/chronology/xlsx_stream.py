"""A lean, streaming XLSX cell reader for chronology returns (values as openpyxl gives them).

Why not openpyxl's read-only mode: it builds a cell object per cell and, for
a 50,000-row return, takes longer than everything the import does after it.
This reads the sheet XML with lxml's ``iterparse`` one ``<row>`` at a time,
freeing each row once read, so memory does not grow with the file; and it
counts as it goes, so hostile files are refused early (``app.records.limits``):
too many shared strings, rows or columns, a cell longer than a cell may be, a
part that inflates beyond its limit (a zip bomb).

Values match openpyxl's ``load_workbook(read_only=True, data_only=True)`` with
``values_only=True`` (a property test compares them): shared and inline
strings, numbers (int unless written with a point or exponent), booleans,
error codes as text, ISO dates, and serials under a date number format turned
into ``datetime``/``time``/``timedelta`` with openpyxl's own helpers. One
difference on purpose: a formula whose value was never saved (files written
by scripts) reads as its formula text ("=A2+1") instead of blank, so that the
report says it is a formula rather than that a mandatory field is missing.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from lxml import etree

from app.records.limits import IMPORT_LIMITS, ImportLimits

__all__ = ["XlsxBook", "XlsxLimitError", "XlsxSheet"]

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_ROW = f"{{{_MAIN}}}row"
_C = f"{{{_MAIN}}}c"
_V = f"{{{_MAIN}}}v"
_F = f"{{{_MAIN}}}f"
_IS = f"{{{_MAIN}}}is"
_T = f"{{{_MAIN}}}t"
_R = f"{{{_MAIN}}}r"
_SI = f"{{{_MAIN}}}si"
_SHEET_DATA = f"{{{_MAIN}}}sheetData"


class XlsxLimitError(ValueError):
    """The workbook is over one of the import limits; the message says which (without the file name)."""


@dataclass(frozen=True, slots=True)
class XlsxSheet:
    title: str
    part: str


def _parser_options() -> dict[str, object]:
    # No entities, no network, no DTD: a workbook has no use for them, a hostile file does.
    return {
        "resolve_entities": False,
        "no_network": True,
        "load_dtd": False,
        "huge_tree": False,
        "remove_comments": True,
        "remove_pis": True,
    }


def _column_index(reference: str) -> int:
    """0-based column of a cell reference such as "AB12"."""
    index = 0
    for char in reference:
        if "A" <= char <= "Z":
            index = index * 26 + ord(char) - 64
        else:
            break
    return index - 1


def _cast_number(text: str) -> int | float:
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


def _text_of(element: etree._Element) -> str:
    """Text of a shared or inline string: its plain <t> and its rich-text runs' <t>, not phonetic runs."""
    parts = []
    for child in element:
        tag = child.tag
        if tag == _T:
            if child.text:
                parts.append(child.text)
        elif tag == _R:
            for grandchild in child:
                if grandchild.tag == _T and grandchild.text:
                    parts.append(grandchild.text)
    text = parts[0] if len(parts) == 1 else "".join(parts)
    return text.replace("x005F_", "") if "x005F_" in text else text


class _Counted:
    """A zip member read through a byte budget, so that a bomb stops at the limit, not at the end."""

    def __init__(self, stream: IO[bytes], budget: int, what: str) -> None:
        self._stream = stream
        self._left = budget
        self._what = what

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size if size and size > 0 else 1 << 16)
        self._left -= len(data)
        if self._left < 0:
            raise XlsxLimitError(f"{self._what} is larger than the import limit once uncompressed")
        return data


class XlsxBook:
    """An open workbook: sheet list, shared strings and date styles; rows streamed per sheet."""

    def __init__(self, path: str, limits: ImportLimits = IMPORT_LIMITS) -> None:
        from openpyxl.styles.numbers import (
            BUILTIN_FORMATS,
            is_date_format,
            is_timedelta_format,
        )
        from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH

        self.limits = limits
        self._zip = zipfile.ZipFile(path)
        try:
            names = set(self._zip.namelist())
            workbook_part = self._main_part(names)
            folder = posixpath.dirname(workbook_part)
            rels = self._relations(posixpath.join(folder, "_rels", posixpath.basename(workbook_part) + ".rels"))
            root = self._parse_small(workbook_part)
            pr = root.find(f"{{{_MAIN}}}workbookPr")
            self.epoch = CALENDAR_MAC_1904 if pr is not None and pr.get("date1904") in ("1", "true") else WINDOWS_EPOCH
            self.sheets: list[XlsxSheet] = []
            for sheet in root.iterfind(f"{{{_MAIN}}}sheets/{{{_MAIN}}}sheet"):
                target = rels.get(sheet.get(f"{{{_REL}}}id", ""), ("", ""))
                kind, part = target
                if kind.endswith("/worksheet") and part in names:
                    self.sheets.append(XlsxSheet(sheet.get("name", ""), part))
            style_part = next((p for k, p in rels.values() if k.endswith("/styles")), None)
            strings_part = next((p for k, p in rels.values() if k.endswith("/sharedStrings")), None)
            self._date_styles: set[int] = set()
            self._timedelta_styles: set[int] = set()
            if style_part in names:
                styles = self._parse_small(style_part)
                custom = {
                    int(n.get("numFmtId", "-1")): n.get("formatCode", "")
                    for n in styles.iterfind(f"{{{_MAIN}}}numFmts/{{{_MAIN}}}numFmt")
                }
                for index, xf in enumerate(styles.iterfind(f"{{{_MAIN}}}cellXfs/{{{_MAIN}}}xf")):
                    fmt_id = int(xf.get("numFmtId", "0"))
                    code = custom.get(fmt_id, BUILTIN_FORMATS.get(fmt_id))
                    if code and is_date_format(code):
                        self._date_styles.add(index)
                    if code and is_timedelta_format(code):
                        self._timedelta_styles.add(index)
            self.shared: list[str] = self._shared_strings(strings_part) if strings_part in names else []
        except BaseException:
            self._zip.close()
            raise

    # -- package parts -----------------------------------------------------------------

    def _open(self, part: str, what: str) -> _Counted:
        return _Counted(self._zip.open(part), self.limits.max_xlsx_part_bytes, what)

    def _parse_small(self, part: str) -> etree._Element:
        with self._zip.open(part) as raw:
            data = _Counted(raw, self.limits.max_xlsx_part_bytes, f"part {part}").read(
                self.limits.max_xlsx_part_bytes + 1
            )
        return etree.fromstring(data, etree.XMLParser(**_parser_options()))

    def _main_part(self, names: set[str]) -> str:
        rels = self._relations("_rels/.rels")
        for kind, part in rels.values():
            if kind.endswith("/officeDocument") and part in names:
                return part
        if "xl/workbook.xml" in names:
            return "xl/workbook.xml"
        raise KeyError("no workbook part")

    def _relations(self, part: str) -> dict[str, tuple[str, str]]:
        try:
            root = self._parse_small(part)
        except KeyError:
            return {}
        base = posixpath.dirname(posixpath.dirname(part))
        found = {}
        for rel in root.iterfind(f"{{{_PKG_REL}}}Relationship"):
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
            found[rel.get("Id", "")] = (rel.get("Type", ""), path)
        return found

    def _shared_strings(self, part: str) -> list[str]:
        limits = self.limits
        strings: list[str] = []
        total = 0
        with self._zip.open(part) as raw:
            for _, si in etree.iterparse(
                _Counted(raw, limits.max_xlsx_part_bytes, "the shared strings"),
                events=("end",),
                tag=_SI,
                **_parser_options(),
            ):
                text = _text_of(si)
                si.clear()
                while si.getprevious() is not None:
                    del si.getparent()[0]
                if len(strings) >= limits.max_shared_strings:
                    raise XlsxLimitError(f"more than {limits.max_shared_strings:,} shared strings")
                if len(text) > limits.max_cell_chars:
                    raise XlsxLimitError(
                        f"a text of {len(text):,} characters (a cell may hold at most {limits.max_cell_chars:,})"
                    )
                total += len(text)
                if total > limits.max_shared_chars:
                    raise XlsxLimitError(f"more than {limits.max_shared_chars:,} characters of shared strings")
                strings.append(text)
        return strings

    # -- rows ---------------------------------------------------------------------------

    def rows(self, sheet: XlsxSheet) -> Iterator[tuple[int, tuple[object, ...]]]:
        """(row number, values) of each stored row, blank rows left out; values padded on the left only."""
        from openpyxl.formula.translate import Translator
        from openpyxl.utils.datetime import from_excel, from_ISO8601

        limits = self.limits
        shared, dates, timedeltas, epoch = self.shared, self._date_styles, self._timedelta_styles, self.epoch
        max_cols, max_chars, max_rows = limits.max_columns, limits.max_cell_chars, limits.max_rows_read
        masters: dict[str, tuple[str, str]] = {}  # shared formula id -> (anchor cell, formula)
        columns: dict[str, int] = {}  # column letters -> index
        row_counter = 0
        with self._zip.open(sheet.part) as raw:
            events = etree.iterparse(
                _Counted(raw, limits.max_xlsx_part_bytes, f"sheet '{sheet.title}'"),
                events=("end",),
                tag=_ROW,
                **_parser_options(),
            )
            for _, row in events:
                reference = row.get("r")
                row_counter = int(reference) if reference else row_counter + 1
                if row_counter > max_rows:
                    raise XlsxLimitError(f"more than {max_rows:,} rows")
                cells: list[object] = []
                column = -1
                for c in row:
                    if c.tag != _C:
                        continue
                    ref = c.get("r")
                    if ref:
                        letters = ref.rstrip("0123456789")
                        column = columns.get(letters)  # type: ignore[assignment]  # None is handled just below
                        if column is None:
                            column = columns[letters] = _column_index(letters)
                    else:
                        column += 1
                    if column >= max_cols:
                        raise XlsxLimitError(f"a row with more than {max_cols:,} columns (row {row_counter})")
                    kind = c.get("t", "n")
                    value: object = None
                    v_text = None
                    formula = None
                    for child in c:
                        tag = child.tag
                        if tag == _V:
                            v_text = child.text
                        elif tag == _IS:
                            if kind == "inlineStr":
                                value = _text_of(child)
                        elif tag == _F:
                            formula = child
                    if kind == "inlineStr":
                        pass
                    elif v_text:
                        if kind == "n":
                            number = _cast_number(v_text)
                            style = c.get("s")
                            if style and int(style) in dates:
                                try:
                                    value = from_excel(number, epoch, timedelta=int(style) in timedeltas)
                                except (OverflowError, ValueError):
                                    value = "#VALUE!"
                            else:
                                value = number
                        elif kind == "s":
                            value = shared[int(v_text)]
                        elif kind == "b":
                            value = bool(int(v_text))
                        elif kind == "d":
                            value = from_ISO8601(v_text)
                        else:  # "str" (a formula's text result) and "e" (an error code)
                            value = v_text
                    elif formula is not None:
                        value = self._formula_text(formula, ref or "", masters, Translator)
                    if isinstance(value, str) and len(value) > max_chars:
                        raise XlsxLimitError(
                            f"a cell of {len(value):,} characters in row {row_counter} (a cell "
                            f"may hold at most {max_chars:,})"
                        )
                    if value is not None:
                        if column > len(cells):
                            cells.extend([None] * (column - len(cells)))
                        if column == len(cells):
                            cells.append(value)
                        else:
                            cells[column] = value
                row.clear()
                while row.getprevious() is not None:
                    del row.getparent()[0]
                if cells:
                    yield row_counter, tuple(cells)

    @staticmethod
    def _formula_text(f: etree._Element, ref: str, masters: dict[str, tuple[str, str]], translator: type) -> str | None:
        """A formula with no saved value, as text: its own, or its shared master's moved to this cell."""
        text = f.text
        group = f.get("si") if f.get("t") == "shared" else None
        if text:
            if group is not None:
                masters[group] = (ref, text)
            return "=" + text
        if group is not None and group in masters and ref:
            anchor, master = masters[group]
            try:
                return translator("=" + master, origin=anchor).translate_formula(ref)
            except Exception:
                return "=" + master
        return None

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> XlsxBook:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

"""Neutralise spreadsheet formulas in cells we export (CSV or formula injection).

A spreadsheet treats a cell whose text starts with ``=``, ``+``, ``-`` or ``@``
as a formula, and a leading tab or carriage return can smuggle one past a
casual check. Text typed by agencies ("=HYPERLINK(...)", "-ve test") must
reach the reader as text, and so must our own ("+12.0 pts vs neighbours").

The same goes for the fullwidth forms ``＝ ＋ － ＠`` (some spreadsheets fold them
to ASCII when evaluating) and for any of these behind leading invisible
characters (zero-width space, joiners, word joiner, byte-order mark), which
a reader cannot see and a spreadsheet may skip.

- CSV has no cell types, so such a string gets a leading apostrophe
  (`neutralise`), following the OWASP "CSV Injection" advice: Excel and
  LibreOffice show the rest as text.
- XLSX has them: such a string is stored as a text cell with the "quote prefix"
  cell format (`protect_workbook`, run by `app.office.xlsx_memory.workbook_bytes`,
  which every XLSX the workbench writes passes through). Excel shows the text
  exactly, with no apostrophe, and never evaluates it; openpyxl on its own would
  have written any string starting with "=" as a real formula.

Numbers, dates and other non-text values pass unchanged: a negative number is
a number, not a formula. Apply this on export only; stored data keeps what the
agency wrote.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["FORMULA_PREFIXES", "INVISIBLE_LEADERS", "neutralise", "neutralise_row", "protect_workbook"]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""Leading characters that make a spreadsheet read a cell as a formula (ASCII and fullwidth forms)."""

INVISIBLE_LEADERS = "\u200b\u200c\u200d\u2060\ufeff"
"""Zero-width space, non-joiner, joiner, word joiner and byte-order mark."""


def _runs_as_formula(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES) or (
        text[:1] in INVISIBLE_LEADERS and text != "" and text.lstrip(INVISIBLE_LEADERS).startswith(FORMULA_PREFIXES)
    )


def neutralise(value: object) -> object:
    """For CSV: the value, with a leading apostrophe if it is text a spreadsheet would run.
    (XLSX cells take the quote prefix instead: `protect_workbook`.)"""
    if isinstance(value, str) and value and _runs_as_formula(value):
        return "'" + value
    return value


def neutralise_row(values: Iterable[object]) -> list[object]:
    return [neutralise(v) for v in values]


def protect_workbook(book: Any) -> int:
    """For XLSX: make every text cell a spreadsheet would run plain text shown as written.

    Such a cell is stored as a string (openpyxl had typed "=..." as a formula) with the quote-prefix
    cell format, so Excel shows "+12.0 pts vs neighbours" and not "'+12.0 pts vs neighbours", and never
    evaluates it. Returns how many cells it changed. Called on every workbook at the one place they
    are written (`workbook_bytes`), so no writer can forget it.
    """
    changed = 0
    for sheet in book.worksheets:
        # the cells that exist (iter_rows would create every empty cell of the used range)
        for cell in sheet._cells.values():
            value = cell.value
            if isinstance(value, str) and value and _runs_as_formula(value):
                cell.data_type = "s"
                cell.quotePrefix = True
                changed += 1
    return changed

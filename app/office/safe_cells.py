"""Neutralise spreadsheet formulas in cells we export (CSV or formula injection).

A spreadsheet treats a cell whose text starts with ``=``, ``+``, ``-`` or ``@``
as a formula, and a leading tab or carriage return can smuggle one past a
casual check. Text typed by agencies ("=HYPERLINK(...)", "-ve test") must
reach the reader as text, so, following the OWASP "CSV Injection" advice, such
a string gets a leading apostrophe: Excel and LibreOffice show the rest as
text. openpyxl would otherwise write any string starting with "=" as a real
formula, so XLSX needs this as much as CSV does.

The same goes for the fullwidth forms ``＝ ＋ － ＠`` (some spreadsheets fold them
to ASCII when evaluating) and for any of these behind leading invisible
characters (zero-width space, joiners, word joiner, byte-order mark), which
a reader cannot see and a spreadsheet may skip.

Numbers, dates and other non-text values pass unchanged: a negative number is
a number, not a formula. Apply this on export only; stored data keeps what the
agency wrote.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["FORMULA_PREFIXES", "INVISIBLE_LEADERS", "neutralise", "neutralise_row"]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""Leading characters that make a spreadsheet read a cell as a formula (ASCII and fullwidth forms)."""

INVISIBLE_LEADERS = "\u200b\u200c\u200d\u2060\ufeff"
"""Zero-width space, non-joiner, joiner, word joiner and byte-order mark."""


def _runs_as_formula(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES) or (
        text[:1] in INVISIBLE_LEADERS and text != "" and text.lstrip(INVISIBLE_LEADERS).startswith(FORMULA_PREFIXES)
    )


def neutralise(value: object) -> object:
    """The value, with a leading apostrophe if it is text a spreadsheet would run."""
    if isinstance(value, str) and value and _runs_as_formula(value):
        return "'" + value
    return value


def neutralise_row(values: Iterable[object]) -> list[object]:
    return [neutralise(v) for v in values]

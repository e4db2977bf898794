"""Neutralise spreadsheet formulas in cells we export (CSV or formula injection).

A spreadsheet treats a cell whose text starts with ``=``, ``+``, ``-`` or ``@``
as a formula, and a leading tab or carriage return can smuggle one past a
casual check. Text typed by agencies ("=HYPERLINK(...)", "-ve test") must
reach the reader as text, so, following the OWASP "CSV Injection" advice, such
a string gets a leading apostrophe: Excel and LibreOffice show the rest as
text. openpyxl would otherwise write any string starting with "=" as a real
formula, so XLSX needs this as much as CSV does.

Numbers, dates and other non-text values pass unchanged: a negative number is
a number, not a formula. Apply this on export only; stored data keeps what the
agency wrote.
"""
from __future__ import annotations

from collections.abc import Iterable

__all__ = ["FORMULA_PREFIXES", "neutralise", "neutralise_row"]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """The value, with a leading apostrophe if it is text a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_row(values: Iterable[object]) -> list[object]:
    return [neutralise(v) for v in values]

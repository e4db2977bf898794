"""XLSX cells that a spreadsheet would run as a formula are quote-prefixed text, shown as written (issue 13).

They used to be stored with a literal apostrophe ("'+12.0 pts vs neighbours" in 38 scorecard cells): the
apostrophe is the CSV defence, and CSV keeps it. Every XLSX the workbench writes goes through
`workbook_bytes`, which applies `protect_workbook`; this checks it on the cells, in the XML, and for the
fullwidth and hidden-leader forms of issue 16.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from app.office.safe_cells import neutralise
from app.office.xlsx_memory import workbook_bytes

RUN = [
    "=1+1",
    '=HYPERLINK("http://example.test","click")',
    "+12.0 pts vs neighbours",
    "-ve test",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
    "\uff1d1+1",  # fullwidth =
    "\uff0b12",
    "\uff0dve",
    "\uff20SUM(A1)",
    "\u200b=1+1",  # zero-width space before
    "\ufeff+1",  # byte-order mark before
    "\u2060\u200d-1",  # word joiner and joiner before
]
PLAIN = ["Referrals", "12 - 3", "a=b", "\u200bplain", "'quoted already"]


def _read_back(data: bytes) -> Any:
    return load_workbook(io.BytesIO(data)).active


def test_text_that_would_run_is_quote_prefixed_text_shown_as_written() -> None:
    book = Workbook()
    sheet = book.active
    for text in RUN + PLAIN:
        sheet.append([text, -4, 2.5])
    data = workbook_bytes(book)
    back = _read_back(data)
    for row, text in enumerate(RUN + PLAIN, start=1):
        cell = back.cell(row, 1)
        assert cell.value == text and cell.data_type == "s", repr(text)  # no apostrophe added, no formula
        assert cell.quotePrefix is (text in RUN), repr(text)
        assert back.cell(row, 2).value == -4 and not back.cell(row, 2).quotePrefix  # a number stays a number
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml
    styles = zipfile.ZipFile(io.BytesIO(data)).read("xl/styles.xml").decode()
    assert 'quotePrefix="1"' in styles


@pytest.mark.parametrize("text", RUN)
def test_csv_keeps_the_apostrophe(text: str) -> None:
    assert neutralise(text) == "'" + text


def test_every_xlsx_writer_saves_through_workbook_bytes() -> None:
    """protect_workbook runs in workbook_bytes: a module building a workbook must save it there."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    builders = []
    for path in sorted((root / "app").rglob("*.py")) + sorted((root / "ui").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if re.search(r"\bWorkbook\(\s*(write_only\s*=\s*\w+)?\s*\)", text):
            builders.append(path.relative_to(root).as_posix())
            assert "workbook_bytes(" in text, path
            assert not re.search(r"\bbook\.save\(", text), path
    assert len(builders) >= 7, builders  # chronology, actions, returns, catalogue, report, S11 report and framework

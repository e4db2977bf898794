"""The mapping step's first values: date cells and Excel serials in a date column are days; the import agrees."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from app.chronology.import_service import import_file, mapping_preview, open_return, propose_mapping, sample_date
from db.models.reviews import ChronologyEntry
from tests.helpers.reviews import child_review

TODAY = date(2026, 1, 1)
SERIAL = 42512  # 22/05/2016 in Excel's 1900 date system


def _xlsx(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Date", "Source", "Event", "Other"])
    sheet.append([SERIAL, "PPU", "Call-out", SERIAL + 1])  # a date typed as a plain number (no date format)
    sheet.append([datetime(2016, 5, 23), "PPU", "Visit", "x"])  # a date cell (openpyxl gives it a date format)
    sheet.append([datetime(2016, 5, 24, 9, 30), "PPU", "Strategy meeting", "y"])
    book.save(path)
    return path


def test_a_date_column_previews_serials_and_date_cells_as_days(tmp_path: Path) -> None:
    source = open_return(_xlsx(tmp_path / "police.xlsx"))
    preview = {header: (field, values) for header, field, values in mapping_preview(source, propose_mapping(source))}
    field, values = preview["Date"]
    assert field == "start_date"
    assert [sample_date(v, field) for v in values] == [
        date(2016, 5, 22),
        datetime(2016, 5, 23),
        datetime(2016, 5, 24, 9, 30),
    ]
    other_field, others = preview["Other"]
    assert other_field is None and sample_date(others[0], other_field) is None  # a number in an unmapped column
    assert sample_date(others[0], "end_date") == date(2016, 5, 23)  # ... is a day once mapped to a date
    assert sample_date(SERIAL, "event") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (str(SERIAL), date(2016, 5, 22)),  # a CSV saved from Excel
        (f"{SERIAL}.5", datetime(2016, 5, 22, 12, 0)),
        (float(SERIAL), date(2016, 5, 22)),
        (2016, None),  # a year, not a serial
        ("22/05/2016", None),  # shown as written
        (True, None),
        (99999999, None),  # not a date the import would read
        (date(2016, 5, 22), date(2016, 5, 22)),
    ],
)
def test_sample_date_reads_as_the_import_does(value: object, expected: date | None) -> None:
    assert sample_date(value, "start_date") == expected


def test_the_import_converts_serials_and_date_cells(workspace, tmp_path: Path) -> None:
    """What the preview shows is what is imported: the import itself turns serials into days."""
    with workspace.unit_of_work() as uow:
        review_uuid = child_review(uow, [("Northbridge Police", "Police")]).uuid
        _plan, result = import_file(uow, review_uuid, "Police", _xlsx(tmp_path / "police.xlsx"), today=TODAY)
    assert result is not None and result.created == 3
    path = tmp_path / "hv.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["Date", "Source", "Event"], [str(SERIAL + 10), "HV", "Home visit"]])
    with workspace.unit_of_work() as uow:
        import_file(uow, review_uuid, "Police", path, today=TODAY)
    with workspace.reading() as session:
        stored = session.execute(
            select(ChronologyEntry.start_date, ChronologyEntry.start_time).where(
                ChronologyEntry.review_uuid == review_uuid
            )
        ).all()
    assert sorted((d, t or "") for d, t in stored) == [
        ("2016-05-22", ""),
        ("2016-05-23", ""),
        ("2016-05-24", "09:30"),
        ("2016-06-01", ""),
    ]

"""Import checks on real encrypted workspaces, with returns written by the test itself.

* duplicates are judged by the agency the rows are written under (its uuid),
  not by the agency text in the file;
* formula text is judged as it will be stored (after trimming), and a formula
  cell of an XLSX without a saved value is reported as a formula, not as blank;
* a five-digit Excel serial typed as text is a date;
* a date cell holding only a time of day gets a plain message.
"""

from __future__ import annotations

import csv
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from app.chronology.import_service import (
    commit_import,
    import_file,
    prepare_import,
    propose_mapping,
    read_return,
)
from app.chronology.rows import load_rows
from app.errors import InvalidInput
from db.models.reviews import ChronologyEntry, DuplicateLink
from tests.helpers.reviews import POLICE_VISIT, add_police_visit, child_review

TODAY = date(2026, 1, 1)
EVENT = POLICE_VISIT
DUPLICATE_TEXT = "looks like an entry another agency already recorded"
REIMPORT_TEXT = "was this return imported before?"
FORMULA_TEXT = "which a spreadsheet would run as a formula"


@pytest.fixture
def review(workspace):
    with workspace.unit_of_work() as uow:
        created = child_review(uow, [("Northbridge Police", "Police"), ("Health Visiting", "HV")], scoped=True)
        add_police_visit(uow, created.uuid)
        return workspace, created.uuid


def _csv(path: Path, *rows: list[str]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def _count(workspace, model) -> int:
    with workspace.reading() as session:
        return session.scalar(select(func.count()).select_from(model).where(model.deleted_stamp.is_(None)))


# -- 1. duplicates: the agency written under, by identity -----------------------------


@pytest.mark.parametrize("agency_cell", ["Northbridge Police", "police", "  POLICE "])
def test_same_agency_named_in_the_file_is_a_reimport_not_a_duplicate(review, tmp_path, agency_cell):
    workspace, review_uuid = review
    path = _csv(
        tmp_path / "police.csv", ["Date", "Agency", "Source", "Event"], ["22/05/2016", agency_cell, "PPU", EVENT]
    )
    with workspace.unit_of_work() as uow:
        plan, result = import_file(uow, review_uuid, "Police", path, today=TODAY)
    text = plan.report.to_text()
    assert DUPLICATE_TEXT not in text
    assert REIMPORT_TEXT in text
    assert plan.report.candidates[0].possible_duplicates == ()
    assert result.duplicates_flagged == 0 and _count(workspace, DuplicateLink) == 0


def test_import_agency_given_by_full_name_is_the_same_agency(review, tmp_path):
    workspace, review_uuid = review
    path = _csv(tmp_path / "police.csv", ["Date", "Source", "Event"], ["22/05/2016", "PPU", EVENT])
    with workspace.unit_of_work() as uow:
        plan, result = import_file(uow, review_uuid, "Northbridge Police", path, today=TODAY)
    text = plan.report.to_text()
    assert DUPLICATE_TEXT not in text and REIMPORT_TEXT in text
    assert result.duplicates_flagged == 0


def test_cross_agency_duplicates_are_still_flagged_and_linked(review, tmp_path):
    workspace, review_uuid = review
    path = _csv(
        tmp_path / "hv.csv",
        ["Date", "Agency", "Source", "Event"],
        ["22/05/2016", "Health Visiting", "HV1 diary", EVENT],  # the import's agency, by full name
        ["22/05/2016", "", "HV1 diary", EVENT + " again"],
    )  # no agency cell: the import's agency
    with workspace.unit_of_work() as uow:
        plan, result = import_file(uow, review_uuid, "HV", path, today=TODAY)
    text = plan.report.to_text()
    assert text.count(DUPLICATE_TEXT) == 2 and REIMPORT_TEXT not in text
    assert result.duplicates_flagged == 2 and _count(workspace, DuplicateLink) == 2


def test_duplicate_warnings_name_entries_as_the_reviewer_knows_them_not_by_uuid(review, tmp_path):
    workspace, review_uuid = review
    with workspace.reading() as session:
        (police,) = [row for row in load_rows(session, review_uuid) if row.agency == "Police"]
    first = _csv(tmp_path / "hv.csv", ["Date", "Source", "Event"], ["22/05/2016", "HV1 diary", EVENT])
    with workspace.unit_of_work() as uow:
        plan, _ = import_file(uow, review_uuid, "HV", first, today=TODAY)
    text = plan.report.to_text()
    assert f"recorded on 22/05/2016 (Police entry no. {police.sequence})" in text and police.uuid not in text
    with workspace.unit_of_work() as uow:
        again, _ = import_file(uow, review_uuid, "HV", first, today=TODAY)
    text = again.report.to_text()
    with workspace.reading() as session:
        hv = min((row for row in load_rows(session, review_uuid) if row.agency == "HV"), key=lambda row: row.sequence)
    assert f"(HV entry no. {hv.sequence}, imported from hv.csv row 2): {REIMPORT_TEXT}" in text
    assert hv.uuid not in text and police.uuid not in text


def test_row_written_under_another_agency_is_compared_as_that_agency(review, tmp_path):
    workspace, review_uuid = review
    # An HV import whose row names Police: the row is written under Police, so Police's entry is its own.
    path = _csv(
        tmp_path / "hv.csv", ["Date", "Agency", "Source", "Event"], ["22/05/2016", "Northbridge Police", "PPU", EVENT]
    )
    with workspace.unit_of_work() as uow:
        plan = prepare_import(
            uow.session, review_uuid, "HV", read_return(path), propose_mapping(read_return(path)), today=TODAY
        )
    text = plan.report.to_text()
    assert DUPLICATE_TEXT not in text and REIMPORT_TEXT in text


# -- 2. formula text --------------------------------------------------------------------


def test_formula_after_leading_whitespace_is_reported(review, tmp_path):
    workspace, review_uuid = review
    path = _csv(
        tmp_path / "hv.csv",
        ["Date", "Source", "Event", "Outcome"],
        ["23/05/2016", "HV1", ' =HYPERLINK("http://x","Visit")', " \t+44 1234"],
        ["24/05/2016", "HV1", "Visit", "\tindented only"],
    )
    with workspace.unit_of_work() as uow:
        plan, _ = import_file(uow, review_uuid, "HV", path, today=TODAY)
    report = plan.report
    formula = [(i.row_number, i.field, i.message.split(",")[0]) for i in report.issues if FORMULA_TEXT in i.message]
    assert formula == [(2, "event", "starts with '='"), (2, "action_outcome", "starts with '+'")]
    with workspace.reading() as session:
        stored = {r.event: r.action_outcome for r in load_rows(session, review_uuid)}
    assert stored['=HYPERLINK("http://x","Visit")'] == "+44 1234"  # stored trimmed, as the warning says
    assert stored["Visit"] == "indented only"


def test_xlsx_formula_cell_without_saved_value_is_formula_text_not_missing(review, tmp_path):
    workspace, review_uuid = review
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Date", "Source", "Event"])
    sheet.append([date(2016, 5, 23), "HV1", '=HYPERLINK("http://x","Visit")'])  # openpyxl saves no value
    sheet.append(["=A2+1", "HV1", "Follow-up visit"])
    sheet.append([date(2016, 5, 25), "HV1", "Plain visit"])
    book.save(tmp_path / "hv.xlsx")
    table = read_return(tmp_path / "hv.xlsx")
    assert [r.values["Event"] for r in table.rows] == [
        '=HYPERLINK("http://x","Visit")',
        "Follow-up visit",
        "Plain visit",
    ]
    with workspace.unit_of_work() as uow:
        plan = prepare_import(uow.session, review_uuid, "HV", table, propose_mapping(table), today=TODAY)
    described = [i.describe() for i in plan.report.issues]
    assert described == [
        "Row 2, Event / contact (column 'Event'): warning: starts with '=', which a spreadsheet would run as a "
        "formula; kept as text and neutralised on export",
        "Row 3, Start date (column 'Date'): error: cannot read '=A2+1': a spreadsheet formula with no saved "
        "value, not a date (open the file in the spreadsheet, save it and import it again, or type the date)",
    ]


def test_xlsx_formula_cells_with_saved_values_keep_the_values(tmp_path):
    # Excel saves a formula's value with it; the value is what the agency saw, so it is what is read.
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Date", "Source", "Event"])
    sheet.append(["=DATE(2016,5,22)", "HV1", '="Visit"'])
    book.save(tmp_path / "hv.xlsx")
    import zipfile

    source = tmp_path / "hv.xlsx"
    with zipfile.ZipFile(source) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet_xml = parts["xl/worksheets/sheet1.xml"].decode()
    sheet_xml = sheet_xml.replace("<f>DATE(2016,5,22)</f><v></v>", "<f>DATE(2016,5,22)</f><v>42512</v>")
    sheet_xml = sheet_xml.replace('<c r="C2"><f>"Visit"</f><v></v>', '<c r="C2" t="str"><f>"Visit"</f><v>Visit</v>')
    assert "<v>42512</v>" in sheet_xml and "<v>Visit</v>" in sheet_xml
    parts["xl/worksheets/sheet1.xml"] = sheet_xml.encode()
    with zipfile.ZipFile(source, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    table = read_return(source)
    assert [(r.values["Date"], r.values["Event"]) for r in table.rows] == [(42512, "Visit")]


# -- 3. Excel serials typed as text ----------------------------------------------------


def test_excel_serial_typed_in_a_csv_is_a_date(review, tmp_path):
    workspace, review_uuid = review
    path = _csv(
        tmp_path / "hv.csv",
        ["Date", "Source", "Event"],
        ["42512", "HV1", "Serial date"],
        ["42513.5", "HV1", "Serial with time"],
        ["2016", "HV1", "Year only"],
        ["425", "HV1", "Too short"],
        ["425120", "HV1", "Too long"],
    )
    with workspace.unit_of_work() as uow:
        plan, result = import_file(uow, review_uuid, "HV", path, today=TODAY, skip_invalid=True)
    assert [(i.row_number, i.message) for i in plan.report.issues] == [
        (5, "cannot read '425': a bare number is not a date (write it as dd/mm/yyyy)"),
        (6, "cannot read '425120': a bare number is not a date (write it as dd/mm/yyyy)"),
    ]
    assert result.created == 3
    with workspace.reading() as session:
        rows = {r.event: r for r in load_rows(session, review_uuid)}
    assert (rows["Serial date"].date_text, rows["Serial date"].start_time) == ("22/05/2016", None)
    assert (rows["Serial with time"].date_text, rows["Serial with time"].start_time) == ("23/05/2016", "12:00")
    assert rows["Year only"].date_text == "2016"


# -- 4. a date cell holding only a time -------------------------------------------------


def test_xlsx_date_cell_of_day_zero_gets_a_plain_message(review, tmp_path):
    workspace, review_uuid = review
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Date", "Source", "Event"])
    sheet.append([datetime(1899, 12, 31), "HV1", "Date lost in a database export"])
    sheet.append([time(9, 30), "HV1", "Time typed in the date column"])
    book.save(tmp_path / "hv.xlsx")
    table = read_return(tmp_path / "hv.xlsx")
    assert table.rows[0].values["Date"] == time(0, 0)  # what openpyxl hands over
    with workspace.unit_of_work() as uow:
        plan = prepare_import(uow.session, review_uuid, "HV", table, propose_mapping(table), today=TODAY)
    messages = [i.message for i in plan.report.issues]
    assert messages == [
        "cannot read '00:00': the cell holds a time of day with no date "
        "(Excel shows an empty date as 31/12/1899 or 00/01/1900); type the date",
        "cannot read '09:30': the cell holds a time of day with no date; type the date",
    ]
    assert "datetime.time" not in plan.report.to_text()
    with pytest.raises(Exception, match="have errors"):
        with workspace.unit_of_work() as uow:
            commit_import(uow, plan)
    assert _count(workspace, ChronologyEntry) == 1


# -- 5. the same row twice in one file ---------------------------------------------------


def test_a_row_repeating_another_of_the_same_file_is_refused_naming_the_first(review, tmp_path):
    workspace, review_uuid = review
    visit = ["23/05/2016", "HV1", "Home visit"]
    path = _csv(
        tmp_path / "hv.csv",
        ["Date", "Source", "Event", "Comment"],
        [*visit, "kept out"],
        ["24/05/2016", "HV1", "Phone call", ""],
        [*visit[:2], "Home visit ", "not imported"],  # stored trimmed: the same entry; Comment is not imported
        [*visit, ""],
    )
    overrides = ["Comment=ignore"]
    entries = _count(workspace, ChronologyEntry)
    with pytest.raises(InvalidInput, match="2 rows of hv.csv have errors; nothing was imported"):
        with workspace.unit_of_work() as uow:
            import_file(uow, review_uuid, "HV", path, overrides=overrides, today=TODAY)
    assert _count(workspace, ChronologyEntry) == entries
    with workspace.unit_of_work() as uow:
        plan, result = import_file(uow, review_uuid, "HV", path, overrides=overrides, skip_invalid=True, today=TODAY)
    assert [(i.row_number, i.severity, i.message.split(":")[0]) for i in plan.report.issues] == [
        (4, "error", "repeats row 2"),
        (5, "error", "repeats row 2"),
    ]
    assert "Row 4: error: repeats row 2: every imported column is the same" in plan.report.to_text()
    assert result is not None and result.created == 2 and _count(workspace, ChronologyEntry) == entries + 2


def test_a_repeat_is_found_past_the_rows_the_report_keeps(review, tmp_path):
    """Rows past the first thousand go the import's quick path: a repeat there is refused all the same."""
    workspace, review_uuid = review
    rows = [[f"{1 + n % 28:02d}/0{1 + n // 28 % 9}/2017", "HV1", f"Contact {n}"] for n in range(1_500)]
    path = _csv(tmp_path / "hv.csv", ["Date", "Source", "Event"], *rows, rows[1])
    with workspace.unit_of_work() as uow:
        plan, _ = import_file(uow, review_uuid, "HV", path, dry_run=True, today=TODAY)
    assert [(i.row_number, i.message.split(":")[0]) for i in plan.report.issues] == [(1_502, "repeats row 3")]

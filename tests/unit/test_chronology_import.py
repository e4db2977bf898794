"""Reading agency returns: XLSX, CSV and Word tables as agencies really send them."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

import docx
import openpyxl
import pytest

from app.chronology.fields import (
    FIELD_NAMES,
    MANDATORY_FIELDS,
    FieldMappingError,
    apply_overrides,
    auto_map,
    normalise_header,
    parse_override,
)
from app.chronology.importers import (
    ImportFileError,
    read_csv,
    read_docx,
    read_table,
    read_xlsx,
)
from app.errors import InvalidInput

ROOT = Path(__file__).resolve().parents[2]


# -- field catalogue and header mapping -------------------------------------------


def test_catalogue() -> None:
    assert FIELD_NAMES[:3] == ("sequence", "start_date", "start_time")
    assert MANDATORY_FIELDS == {"start_date", "source", "event"}


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Date", "start_date"),
        ("Date of contact", "start_date"),
        ("Date/Time", "start_date"),
        ("DATE OF  CONTACT ", "start_date"),
        ("Details of event", "event"),
        ("Event / contact", "event"),
        ("Description", "event"),
        ("Source of information", "source"),
        ("Source", "source"),
        ("Outcome / action taken", "action_outcome"),
        ("Action/Outcome", "action_outcome"),
        ("Analysis", "agency_analysis"),
        ("Agency comment", "agency_analysis"),
        ("Was the child seen?", "child_seen"),
        ("Child seen (Y/N)", "child_seen"),
        ("Voice of the child", "child_voice"),
        ("Child's voice", "child_voice"),
        ("Ref", "sequence"),
        ("No.", "sequence"),
        ("#", "sequence"),
        ("Time", "start_time"),
        ("End date", "end_date"),
        ("Reviewer's comments", "reviewer_comment"),
        ("KPE", "episodes"),
        ("Significant event?", "significant"),
        ("Agency", "agency"),
        # Not in the table, caught by keyword rules.
        ("Date of home visit", "start_date"),
        ("Lead reviewer's observations", "reviewer_comment"),
    ],
)
def test_header_variants(header: str, field: str) -> None:
    assert auto_map([header]) == {header: field}


def test_normalise_header() -> None:
    assert normalise_header("  Was the Child  Seen? ") == "was the child seen"
    assert normalise_header("Action/Outcome") == normalise_header("action - outcome") == "action outcome"


def test_auto_map_gives_each_field_once_preferring_known_variants() -> None:
    mapping = auto_map(["Date of home visit", "Date", "Notes", "Event", "Details"])
    assert mapping == {
        "Date of home visit": None,
        "Date": "start_date",
        "Notes": None,
        "Event": "event",
        "Details": None,
    }


def test_overrides() -> None:
    mapping = auto_map(["Date", "Notes", "Details"])
    assert parse_override("Notes = event") == ("Notes", "event")
    assert parse_override("Notes=Voice of the child") == ("Notes", "child_voice")
    assert parse_override("Details=ignore") == ("Details", None)
    changed = apply_overrides(mapping, ["notes=event", "DATE=-"])
    assert changed == {"Date": None, "Notes": "event", "Details": None}  # event moved from Details to Notes


def test_override_errors_are_clear() -> None:
    assert issubclass(FieldMappingError, InvalidInput)  # the CLI and GUI show its message as is
    with pytest.raises(FieldMappingError, match=r"Unknown field 'evnt'\. Did you mean 'event'\?"):
        parse_override("Notes=evnt")
    with pytest.raises(FieldMappingError, match="write it as Header=field"):
        parse_override("Notes")
    with pytest.raises(FieldMappingError, match="'Nope' in 'Nope=event' is not a column"):
        apply_overrides({"Notes": None}, ["Nope=event"])


# -- fixtures ------------------------------------------------------------------------

HEADER = [
    "Ref",
    "Date of contact",
    "Time",
    "Source of information",
    "Details of event",
    "Was the child seen?",
    "Outcome / action taken",
    "Agency comment",
]


@pytest.fixture
def agency_xlsx(tmp_path: Path) -> Path:
    """An instructions sheet first, title rows above the header, blank rows, date cells and serials."""
    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "Instructions"
    notes.append(["Please complete one row per contact."])
    notes.append(["Date", "dd/mm/yyyy"])
    ws = wb.create_sheet("Chronology")
    ws.append(["Child A: health chronology"])
    ws.append(["Prepared by: Named Nurse", None, None, "OFFICIAL-SENSITIVE"])
    ws.append([])
    ws.append(HEADER)
    ws.append(
        [
            1,
            datetime(2016, 5, 22),
            "09:30",
            "HV1 diary",
            "Home visit; mother and Child A present",
            "Y",
            "Referral",
            None,
        ]
    )
    ws.append([None, None, None, None, None, None, None, None])
    ws.append([2, 42513, None, "GP record", "Child A seen for cough", "Yes", None, "=SUM(A1)"])
    ws.cell(row=7, column=8).data_type = "s"  # text that looks like a formula, as Excel stores '=SUM(A1)
    ws.append([3, "31/02/2016", None, "GP record", "Bad date row", "N", None, None])
    ws.append([4, "May 2016", None, "School log", "Late to school", None, None, None, "stray note"])
    ws.cell(row=9, column=2).number_format = "General"
    wb.save(tmp_path / "health.xlsx")
    return tmp_path / "health.xlsx"


def test_xlsx_finds_sheet_and_header_and_keeps_row_numbers(agency_xlsx: Path) -> None:
    table = read_xlsx(agency_xlsx)
    assert table.source_name == "health.xlsx"
    assert table.location == "sheet 'Chronology'"
    assert table.headers == HEADER + ["Column I"]
    assert [r.row_number for r in table.rows] == [5, 7, 8, 9]
    first, serial, bad, month = table.rows
    assert first.values["Date of contact"] == datetime(2016, 5, 22)
    assert first.values["Ref"] == 1
    assert first.values["Column I"] is None
    assert serial.values["Date of contact"] == 42513
    assert serial.values["Agency comment"] == "=SUM(A1)"  # read as written, not evaluated
    assert bad.values["Date of contact"] == "31/02/2016"
    assert month.values["Column I"] == "stray note"


def test_xlsx_with_wrong_stored_dimensions(tmp_path: Path) -> None:
    """Some tools store a dimension of A1; read-only mode would then see one column only."""
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("S")
    ws.append(["Date", "Source", "Event"])
    ws.append(["22/05/2016", "GP", "Visit"])
    path = tmp_path / "dims.xlsx"
    wb.save(path)
    import zipfile

    with zipfile.ZipFile(path) as src:
        parts = {n: src.read(n) for n in src.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    assert "<dimension" not in sheet
    sheet = sheet.replace("</sheetPr>", '</sheetPr><dimension ref="A1"/>', 1)
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w") as dst:
        for name, data in parts.items():
            dst.writestr(name, data)
    table = read_xlsx(path)
    assert table.rows[0].values == {"Date": "22/05/2016", "Source": "GP", "Event": "Visit"}


def test_duplicate_and_blank_headers_are_named(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Date", "Source", "Event", "Comment", "Comment", None, None])
    ws.append(["22/05/2016", "GP", "Visit", "a", "b", None, None])
    ws.append(["Date", "Source", "Event", "Comment", "Comment"])  # header repeated mid-sheet
    ws.append(["23/05/2016", "GP", "Call", None, None, "extra", None])
    wb.save(tmp_path / "dups.xlsx")
    table = read_table(tmp_path / "dups.xlsx")
    assert table.headers == ["Date", "Source", "Event", "Comment", "Comment (2)", "Column F"]
    assert [r.row_number for r in table.rows] == [2, 4]
    assert table.rows[0].values["Comment (2)"] == "b"


def test_csv_semicolon_cp1252_and_line_numbers(tmp_path: Path) -> None:
    text = (
        "Police chronology – Child A\r\n"
        "\r\n"
        "No.;Date;Source;Event / contact;Child seen (Y/N)\r\n"
        '1;22.05.16;PC 123;"Domestic abuse call; \r\nmother injured";N\r\n'
        ";;;;\r\n"
        "2;23-May-16;PC 456;Follow-up visit to café;Y\r\n"
    )
    path = tmp_path / "police.csv"
    path.write_bytes(text.encode("cp1252"))
    table = read_csv(path)
    assert table.headers == ["No.", "Date", "Source", "Event / contact", "Child seen (Y/N)"]
    assert [r.row_number for r in table.rows] == [4, 7]
    assert table.rows[0].values["Event / contact"] == "Domestic abuse call; \r\nmother injured"
    assert table.rows[1].values["Event / contact"] == "Follow-up visit to café"


def test_csv_utf8_bom_comma(tmp_path: Path) -> None:
    path = tmp_path / "school.csv"
    path.write_bytes("Date,Source,Details of event\n22/05/2016,DSL log,Zoë upset in class\n".encode("utf-8-sig"))
    table = read_table(path)
    assert table.headers == ["Date", "Source", "Details of event"]
    assert table.rows[0].row_number == 2
    assert table.rows[0].values["Details of event"] == "Zoë upset in class"


def _merge_header(table, row: int, first: int, last: int, text: str) -> None:
    merged = table.cell(row, first).merge(table.cell(row, last))
    merged.text = text


@pytest.fixture
def agency_docx(tmp_path: Path) -> Path:
    """A details table first, then the chronology with merged header and date cells."""
    document = docx.Document()
    document.add_paragraph("Children's social care chronology")
    details = document.add_table(rows=2, cols=2)
    details.cell(0, 0).text, details.cell(0, 1).text = "Name", "Child A"
    details.cell(1, 0).text, details.cell(1, 1).text = "Agency", "CSC"
    table = document.add_table(rows=6, cols=5)
    table.cell(0, 0).text = "Chronology"
    _merge_header(table, 0, 0, 4, "Chronology of contacts")
    for column, text in enumerate(["Date", "Source", "Event / contact", "Outcome", "Outcome"]):
        table.cell(1, column).text = text
    _merge_header(table, 1, 3, 4, "Outcome")  # one header spanning two columns
    table.cell(2, 0).text = "22/05/2016"
    table.cell(2, 1).text, table.cell(2, 2).text = "SW1", "Strategy discussion"
    merged_date = table.cell(3, 0).merge(table.cell(4, 0))  # one date for two events
    merged_date.text = "23/05/2016"
    table.cell(3, 1).text, table.cell(3, 2).text = "SW1", "Home visit"
    table.cell(4, 1).text, table.cell(4, 2).text, table.cell(4, 4).text = "SW2", "Phone call", "note"
    path = tmp_path / "csc.docx"
    document.save(path)
    return path


def test_docx_chooses_table_and_handles_merged_cells(agency_docx: Path) -> None:
    table = read_docx(agency_docx)
    assert table.location == "table 2 of 2"
    assert table.headers == ["Date", "Source", "Event / contact", "Outcome", "Column 5"]
    assert [r.row_number for r in table.rows] == [3, 4, 5]
    assert [r.values["Date"] for r in table.rows] == ["22/05/2016", "23/05/2016", "23/05/2016"]
    assert [r.values["Event / contact"] for r in table.rows] == ["Strategy discussion", "Home visit", "Phone call"]


# -- errors --------------------------------------------------------------------------


def test_not_a_workbook(tmp_path: Path) -> None:
    assert issubclass(ImportFileError, InvalidInput)  # the CLI and GUI show its message as is
    path = tmp_path / "fake.xlsx"
    path.write_text("hello")
    with pytest.raises(ImportFileError, match=r"^fake\.xlsx: not a valid Excel \.xlsx workbook"):
        read_table(path)


def test_not_a_docx(tmp_path: Path) -> None:
    path = tmp_path / "fake.docx"
    path.write_bytes(b"PK\x03\x04 garbage")
    with pytest.raises(ImportFileError, match=r"^fake\.docx: not a valid Word \.docx document"):
        read_table(path)


def test_docx_without_table(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("No table here")
    document.save(tmp_path / "empty.docx")
    with pytest.raises(ImportFileError, match=r"^empty\.docx: the document contains no table\."):
        read_table(tmp_path / "empty.docx")


def test_no_recognisable_header(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["Name", "Colour"])
    wb.active.append(["Child A", "blue"])
    wb.save(tmp_path / "other.xlsx")
    with pytest.raises(ImportFileError, match=r"^other\.xlsx: no recognisable header row"):
        read_table(tmp_path / "other.xlsx")
    (tmp_path / "other.csv").write_text("Name,Colour\nA,blue\n")
    with pytest.raises(ImportFileError, match=r"^other\.csv: no recognisable header row"):
        read_table(tmp_path / "other.csv")


def test_binary_csv(tmp_path: Path) -> None:
    (tmp_path / "bin.csv").write_bytes(b"\x00\x01\x02Date,Source")
    with pytest.raises(ImportFileError, match=r"^bin\.csv: not a text file"):
        read_table(tmp_path / "bin.csv")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("old.xls", "old.xls: .xls files cannot be read; save it as .xlsx first."),
        ("old.doc", "old.doc: .doc files cannot be read; save it as .docx first."),
        ("notes.pdf", "notes.pdf: unsupported file type; use .xlsx, .csv or .docx."),
    ],
)
def test_unsupported_types(tmp_path: Path, name: str, message: str) -> None:
    (tmp_path / name).write_bytes(b"x")
    with pytest.raises(ImportFileError) as caught:
        read_table(tmp_path / name)
    assert str(caught.value) == message


@pytest.mark.parametrize("name", ["missing.xlsx", "missing.csv", "missing.docx"])
def test_missing_file(tmp_path: Path, name: str) -> None:
    with pytest.raises(ImportFileError, match=f"^{name}: file not found"):
        read_table(tmp_path / name)


# -- layering and speed -------------------------------------------------------------


def test_importable_without_qt() -> None:
    code = (
        "import sys; import app.chronology.validation, app.chronology.importers, app.dates.workdays, "
        "app.office.safe_cells; "
        "sys.exit(1 if any(m.split('.')[0] in ('PySide6', 'shiboken6') for m in sys.modules) else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


@pytest.mark.slow
def test_50000_rows_stream_with_their_row_numbers(tmp_path: Path) -> None:
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Chronology")
    ws.append(["Chronology"])
    ws.append(HEADER)
    for i in range(50_000):
        ws.append([i + 1, datetime(2016, 5, 22), "09:30", "HV1 diary", f"Home visit {i}", "Y", "None", None])
    path = tmp_path / "big.xlsx"
    wb.save(path)
    table = read_table(path)
    assert len(table.rows) == 50_000
    assert table.rows[-1].row_number == 50_002
    # No time limit here: on a shared machine a wall-clock limit fails for reasons of load, not of code.
    # The speed is measured against a bare openpyxl read in the same run: tests/bench/bench_import_speed.py.

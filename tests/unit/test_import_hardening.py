"""Issue 16 points 2, 3 and 6 on the import path: limits, hostile files, messages, warnings, safe cells.

Each test here failed before its fix: the file was read whole and stored (or failed with a
catch-all message), the report printed every line, the warning was not given.
"""

from __future__ import annotations

import csv
import zipfile
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pytest

from app.agencies import add_agency
from app.chronology.import_service import import_file, open_return
from app.chronology.importers import ImportFileError, open_table, read_table
from app.errors import InvalidInput
from app.office.safe_cells import neutralise
from app.records.limits import IMPORT_LIMITS, FieldLimitError, ImportLimits, check_text
from app.reviews.register import add_review

TODAY = date(2026, 1, 1)
HEADER = ["Date", "Source", "Event"]


@pytest.fixture
def review(workspace):
    with workspace.unit_of_work() as uow:
        add_agency(uow, "Health Visiting", "HV")
        created = add_review(uow, kind="lcspr", title="T", subject_pseudonym="Child A", subject_dob=date(2015, 3, 10))
    return workspace, created.uuid


def _csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as handle:
        csv.writer(handle).writerows([HEADER, *rows])
    return path


def _stored(workspace) -> int:
    from sqlalchemy import func, select

    from db.models.reviews import ChronologyEntry

    with workspace.reading() as session:
        return session.scalar(select(func.count()).select_from(ChronologyEntry))


# -- 2. what is stored can always be sent: field limits and character rules -----------------


def test_a_cell_longer_than_a_cell_may_be_is_refused_before_anything_is_stored(review, tmp_path):
    workspace, review_uuid = review
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    book.active.append(["22/05/2016", "GP", "PLACEHOLDER"])
    book.save(tmp_path / "long.xlsx")  # openpyxl cuts text at Excel's limit; a hostile file need not
    with zipfile.ZipFile(tmp_path / "long.xlsx") as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    _with_part(
        tmp_path / "long.xlsx",
        "xl/worksheets/sheet1.xml",
        sheet.replace("PLACEHOLDER", "x" * (IMPORT_LIMITS.max_cell_chars + 1)).encode(),
    )
    with pytest.raises(ImportFileError, match=r"^long\.xlsx: the workbook has a cell of 32,768 characters in row 2"):
        with workspace.unit_of_work() as uow:
            import_file(uow, review_uuid, "HV", tmp_path / "long.xlsx", today=TODAY)
    path = _csv(tmp_path / "long.csv", [["22/05/2016", "GP", "y" * 40_000]])
    with pytest.raises(ImportFileError, match=r"^long\.csv: line 2 has a field of 40,000 characters; a cell may hold"):
        with workspace.unit_of_work() as uow:
            import_file(uow, review_uuid, "HV", path, today=TODAY)
    assert _stored(workspace) == 0


def test_field_limits_name_row_field_and_limit(review, tmp_path):
    workspace, review_uuid = review
    path = _csv(tmp_path / "hv.csv", [["22/05/2016", "s" * 2_001, "Visit"], ["23/05/2016", "GP", "Call"]])
    with workspace.unit_of_work() as uow:
        plan, result = import_file(uow, review_uuid, "HV", path, today=TODAY, skip_invalid=True)
    assert [(i.row_number, i.field, i.severity.value) for i in plan.report.issues] == [(2, "source", "error")]
    assert plan.report.issues[0].message == (
        "Source of information is 2,001 characters long; at most 2,000 are allowed; the row is not imported"
    )
    assert result is not None and result.created == 1


def test_bidirectional_overrides_and_controls_are_refused_in_stored_text(review, tmp_path):
    workspace, review_uuid = review
    path = _csv(tmp_path / "hv.csv", [["22/05/2016", "GP", "Visit \u202egnp.exe"], ["23/05/2016", "GP\x07", "Call"]])
    with workspace.unit_of_work() as uow:
        plan, result = import_file(uow, review_uuid, "HV", path, today=TODAY, skip_invalid=True)
    messages = [i.message for i in plan.report.issues]
    assert "right-to-left override" in messages[0] and "control character U+0007" in messages[1]
    assert result is not None and result.created == 0
    with pytest.raises(FieldLimitError, match="right-to-left override"):
        check_text("member_identity", "display_name", "Alex \u202eRevie")


# -- 3. bounded memory and time: limits that refuse early --------------------------------------


def test_more_rows_than_the_limit_are_refused_with_one_message(review, tmp_path):
    workspace, review_uuid = review
    path = _csv(tmp_path / "many.csv", [["22/05/2016", "GP", f"Visit {n}"] for n in range(11)])
    with pytest.raises(
        ImportFileError,
        match=r"^many\.csv: more than 10 rows of entries \(row 12\); an import reads "
        r"at most 10\. Split the return",
    ):
        with workspace.unit_of_work() as uow:
            import_file(uow, review_uuid, "HV", path, today=TODAY, limits=ImportLimits(max_import_rows=10))
    assert _stored(workspace) == 0


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    path = _csv(tmp_path / "big.csv", [["22/05/2016", "GP", "Visit"]] * 50)
    with pytest.raises(ImportFileError, match=r"^big\.csv: the file is 0 MB; an import reads files of at most 0 MB"):
        open_table(path, ImportLimits(max_file_bytes=100))


def _with_part(path: Path, name: str, data: bytes) -> None:
    with zipfile.ZipFile(path) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    parts[name] = data
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, content in parts.items():
            archive.writestr(part, content)


def test_millions_of_shared_strings_are_refused_early(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    book.save(tmp_path / "sst.xlsx")
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    strings = b"".join(b"<si><t>a</t></si>" for _ in range(2_000))
    _with_part(
        tmp_path / "sst.xlsx",
        "xl/sharedStrings.xml",
        f'<sst xmlns="{ns}" count="2000" uniqueCount="2000">'.encode() + strings + b"</sst>",
    )
    with zipfile.ZipFile(tmp_path / "sst.xlsx") as archive:
        rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    if "sharedStrings.xml" not in rels:  # openpyxl writes inline strings: refer to the part as Excel does
        rels = rels.replace(
            "</Relationships>",
            '<Relationship Id="rIdSst" Target="sharedStrings.xml" Type="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
            "</Relationships>",
        )
        _with_part(tmp_path / "sst.xlsx", "xl/_rels/workbook.xml.rels", rels.encode())
    with pytest.raises(ImportFileError, match=r"^sst\.xlsx: the workbook has more than 1,000 shared strings"):
        open_table(tmp_path / "sst.xlsx", ImportLimits(max_shared_strings=1_000))


def test_a_sheet_that_inflates_past_the_limit_is_refused(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    for n in range(2_000):
        book.active.append(["22/05/2016", "GP", f"Visit {n}"])
    book.save(tmp_path / "bomb.xlsx")
    with pytest.raises(
        ImportFileError,
        match=r"^bomb\.xlsx: the workbook has sheet 'Sheet' is larger than the "
        r"import limit once uncompressed",
    ):
        open_table(tmp_path / "bomb.xlsx", ImportLimits(max_xlsx_part_bytes=50_000)).scan()


def test_the_report_summarises_repeated_errors_instead_of_listing_millions(review, tmp_path):
    workspace, review_uuid = review
    path = _csv(tmp_path / "bad.csv", [["31/02/2016", "GP", f"Visit {n}"] for n in range(3_000)])
    with workspace.unit_of_work() as uow:
        plan, _ = import_file(uow, review_uuid, "HV", path, today=TODAY, dry_run=True)
    report = plan.report
    assert (report.rows_total, report.rows_with_errors, len(report.issues)) == (3_000, 3_000, 1_000)
    assert report.omitted_count == 2_000
    text = report.to_text()
    assert len(text.splitlines()) < 1_010
    assert "2,000 more row issues: Start date: error: cannot read '…'" in text
    assert b"2000 more rows" in report.to_csv_bytes()


def test_a_large_import_inserts_in_batches_in_one_transaction(review, tmp_path):
    workspace, review_uuid = review
    rows = [["22/05/2016", "GP", f"Visit {n}"] for n in range(4_500)] + [["31/02/2016", "GP", "Bad date"]]
    path = _csv(tmp_path / "hv.csv", rows)
    with pytest.raises(InvalidInput, match="1 row"):
        with workspace.unit_of_work() as uow:
            import_file(uow, review_uuid, "HV", path, today=TODAY)
    assert _stored(workspace) == 0  # the 4,500 rows sent before the error were rolled back
    with workspace.unit_of_work() as uow:
        _, result = import_file(uow, review_uuid, "HV", path, today=TODAY, skip_invalid=True)
    assert result is not None and result.created == 4_500 == _stored(workspace)


# -- 6. messages that name the real problem, and warnings ------------------------------------


def test_a_word_document_nested_thousands_deep_gets_a_specific_message(tmp_path):
    document = docx.Document()
    document.add_table(rows=1, cols=3)
    document.save(tmp_path / "deep.docx")
    with zipfile.ZipFile(tmp_path / "deep.docx") as archive:
        body = archive.read("word/document.xml").decode()
    nested = "<w:tbl><w:tr><w:tc>" * 3_000 + "<w:p/>" + "</w:tc></w:tr></w:tbl>" * 3_000
    _with_part(tmp_path / "deep.docx", "word/document.xml", body.replace("<w:sectPr", nested + "<w:sectPr", 1).encode())
    with pytest.raises(ImportFileError, match=r"^deep\.docx: the Word document is damaged or built too deeply"):
        read_table(tmp_path / "deep.docx")


def test_tables_nested_beyond_the_limit_are_refused(tmp_path):
    document = docx.Document()
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    for _ in range(4):
        cell = cell.add_table(rows=1, cols=1).cell(0, 0)
    document.save(tmp_path / "nested.docx")
    with pytest.raises(ImportFileError, match=r"^nested\.docx: tables are nested 5 deep"):
        open_table(tmp_path / "nested.docx", ImportLimits(max_nesting_depth=3))


def test_legacy_encoding_is_noted_in_the_report(review, tmp_path):
    workspace, review_uuid = review
    path = _csv(tmp_path / "hv.csv", [["22/05/2016", "GP", "Visit to café"]], encoding="cp1252")
    with workspace.unit_of_work() as uow:
        plan, result = import_file(uow, review_uuid, "HV", path, today=TODAY)
    assert "hv.csv is not valid UTF-8 text; it was read as Windows-1252" in plan.report.to_text()
    assert result is not None and result.created == 1
    assert open_return(_csv(tmp_path / "u.csv", [["22/05/2016", "GP", "Visit to café"]])).notes == ()


def test_fullwidth_digits_read_as_a_date_are_warned(review, tmp_path):
    workspace, review_uuid = review
    path = _csv(tmp_path / "hv.csv", [["２２/０５/２０１６", "GP", "Visit"], ["23/05/2016", "GP", "Call"]])
    with workspace.unit_of_work() as uow:
        plan, result = import_file(uow, review_uuid, "HV", path, today=TODAY)
    assert [(i.row_number, i.field, i.severity.value) for i in plan.report.issues] == [(2, "start_date", "warning")]
    assert "was read as 22/05/2016 from fullwidth or non-Latin digits" in plan.report.issues[0].message
    assert result is not None and result.created == 2


@pytest.mark.parametrize(
    "text", ["＝1+1", "＋44", "－2", "＠SUM(A1)", '\u200b=HYPERLINK("x")', "\ufeff+1", "\u2060\u200d-1", "=1", "\t=1"]
)
def test_fullwidth_and_hidden_formula_leaders_are_neutralised(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["Visit", "\u200bVisit", "", "2016", "a=b"])
def test_ordinary_text_is_left_alone(text):
    assert neutralise(text) == text


# -- 2. the same limits for local writes --------------------------------------------------------


def test_a_member_name_with_a_right_to_left_override_is_refused_at_init(tmp_path):
    from app.store.workspace import Workspace
    from tests.helpers.workspaces import FAST_KDF, PASSPHRASE

    with pytest.raises(InvalidInput, match="The member's name contains right-to-left override, which is not allowed"):
        Workspace.create(
            tmp_path / "ws",
            PASSPHRASE,
            display_name="Alex \u202eReviewer",
            role="Lead",
            agency="LA",
            kdf_params=FAST_KDF,
        )
    assert not (tmp_path / "ws").exists() or not any((tmp_path / "ws").iterdir())


def test_a_review_title_longer_than_its_column_is_refused(workspace):
    with pytest.raises(InvalidInput, match="The review's title is 100,000 characters long; at most 300 are allowed"):
        with workspace.unit_of_work() as uow:
            add_review(uow, kind="lcspr", title="t" * 100_000, subject_pseudonym="Child A")


def test_batch_uuids_are_random_version_4_uuids():
    import uuid

    from app.chronology.import_service import random_uuids

    made = random_uuids(block=64)
    values = [next(made) for _ in range(1_000)]
    assert len(set(values)) == 1_000
    for value in values:
        parsed = uuid.UUID(value)
        assert (str(parsed), parsed.version, parsed.variant) == (value, 4, uuid.RFC_4122)


def test_a_streamed_import_cancelled_midway_writes_nothing_and_can_be_run_again(review, tmp_path):
    from app.chronology.import_service import commit_import, prepare_import, propose_mapping

    class Stop(Exception):
        pass

    class CancelAtOnce:
        def report(self, done: int, total: int, text: str = "") -> None:
            pass

        def check(self) -> None:
            raise Stop

    workspace, review_uuid = review
    source = open_return(_csv(tmp_path / "hv.csv", [["22/05/2016", "GP", f"Visit {n}"] for n in range(2_500)]))
    with workspace.reading() as session:
        plan = prepare_import(session, review_uuid, "HV", source, propose_mapping(source), today=TODAY)
    assert plan.streamed and plan.importable_rows == 2_500
    with pytest.raises(Stop):
        with workspace.unit_of_work() as uow:
            commit_import(uow, plan, progress=CancelAtOnce())
    assert _stored(workspace) == 0
    with workspace.unit_of_work() as uow:
        result = commit_import(uow, plan)
    assert result.created == 2_500 == _stored(workspace)

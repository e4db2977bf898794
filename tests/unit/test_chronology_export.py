"""Anonymisation, the identifying-data scan, exports, contrast and the timeline figure."""

from __future__ import annotations

import base64
import csv
import io
import re
import zipfile
import zlib
from datetime import date

import pytest
from openpyxl import load_workbook

from app.chronology import service as svc
from app.chronology.anonymise import (
    Anonymiser,
    add_term,
    nhs_number_valid,
    scan,
    scan_text,
)
from app.chronology.exports import PRINT_COLUMNS, collect, export_chronology, render_docx, render_pdf
from app.chronology.people import decide, decide_findings, name_suspects
from app.chronology.rows import DATE_MARKS_KEY, date_label, date_uncertainty, load_rows
from app.chronology.timeline import EpisodeBand, build_figure, render
from app.dates.fuzzy import DatePrecision, FuzzyDate
from app.demo.agencies import DEMO_AGENCIES
from app.errors import InvalidInput
from app.office.contrast import AA_NORMAL_TEXT, contrast_ratio, text_colour_for
from tests.helpers.reviews import child_review


@pytest.fixture
def review(workspace):
    with workspace.unit_of_work() as uow:
        agencies = [("Riverside GP", "GP", "", "#1f3a93"), ("Northbridge Police", "Police", "", "#fce8b2")]
        created = child_review(uow, agencies, title="Review of Lily's care", reference="LCSPR-2026-07")
        svc.add_entry(
            uow,
            created.uuid,
            start_date="22/05/2016",
            agency="GP",
            source="Dr Jane Smith",
            event="Dr Jane Smith saw Lily; mother's phone 07700 900123",
            significant=True,
        )
        svc.add_entry(
            uow,
            created.uuid,
            start_date="May 2016",
            agency="Police",
            source="PPU",
            event='=HYPERLINK("http://x") visit to 12 Larch Road, NB4 7QT',
            action_outcome="-ve",
        )
        add_term(uow, created.uuid, "Dr Jane Smith", "GP1")
        add_term(uow, created.uuid, "Lily", "Child A")
        return workspace, created.uuid


def test_anonymiser_replaces_whole_words_longest_first_any_case():
    anonymiser = Anonymiser([("Jane", "Mother"), ("Dr Jane  Smith", "GP1")])
    assert anonymiser.apply("dr jane smith and Jane, not Janet") == "GP1 and Mother, not Janet"


def test_nhs_number_check_digit_and_scan_kinds():
    assert nhs_number_valid("9434765919") and not nhs_number_valid("9434765918")
    found = {
        k: t
        for k, t, _ in scan_text(
            "NHS 943 476 5919, call 01632 960123, email a.b@example.org, DOB: 10/03/2015, 4 Mill Lane, NB1 2AB",
            glossary_names=["Smith"],
            dates_of_birth=[date(2015, 3, 10)],
        )
    }
    assert found["nhs-number"] == "943 476 5919" and found["phone"].startswith("01632")
    assert found["email"] == "a.b@example.org" and found["date-of-birth"] == "10/03/2015"
    assert found["street-address"] == "4 Mill Lane" and found["postcode"] == "NB1 2AB"
    assert "glossary-name" not in found
    assert not [k for k, _, _ in scan_text("943 476 5918 is not an NHS number") if k == "nhs-number"]


def test_anonymised_export_refused_until_findings_accepted(review, tmp_path):
    workspace, review_uuid = review
    with workspace.reading() as session:
        findings = scan(session, review_uuid)
        kinds = sorted({f.kind for f in findings})
        assert kinds == ["phone", "postcode", "street-address"]
        with pytest.raises(InvalidInput, match="may still name people.*'Larch'"):
            export_chronology(session, review_uuid, "csv", tmp_path / "anon.csv", anonymised=True)
        # "HYPERLINK" is a word written in capitals, not a name
        assert {s.text for s in name_suspects(session, review_uuid)} == {"Larch"}
    with workspace.unit_of_work() as uow:
        decide(uow, review_uuid, "Larch")
    with workspace.reading() as session:
        with pytest.raises(InvalidInput, match="3 undecided findings.*identifying-data scan"):
            export_chronology(session, review_uuid, "csv", tmp_path / "anon.csv", anonymised=True)
        assert not (tmp_path / "anon.csv").exists()
    with workspace.unit_of_work() as uow:
        assert decide_findings(uow, review_uuid, findings) == 3
    with workspace.reading() as session:
        export_chronology(session, review_uuid, "csv", tmp_path / "anon.csv", anonymised=True)
        assert collect(session, review_uuid, anonymised=True).title == "Review of Child A's care"
    text = (tmp_path / "anon.csv").read_text(encoding="utf-8-sig")
    assert "Jane" not in text and "Lily" not in text and "GP1 saw Child A" in text


def test_csv_and_xlsx_neutralise_formulas(review, tmp_path):
    workspace, review_uuid = review
    with workspace.reading() as session:
        export_chronology(session, review_uuid, "csv", tmp_path / "c.csv")
        export_chronology(session, review_uuid, "xlsx", tmp_path / "c.xlsx")
    rows = list(csv.reader(io.StringIO((tmp_path / "c.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0][:3] == ["Seq", "Date", "Time"]
    assert rows[1][6].startswith("'=HYPERLINK") and rows[1][9] == "'-ve"
    assert rows[1][1] == "May 2016\xa0(month\xa0only)"  # what is not known, kept with its date
    sheet = load_workbook(tmp_path / "c.xlsx").active
    assert sheet["A2"].value == "OFFICIAL-SENSITIVE"
    # XLSX: the text as written (no apostrophe), a text cell with the quote prefix, so never a formula
    link, negative = sheet.cell(row=4, column=7), sheet.cell(row=4, column=10)
    assert link.value.startswith("=HYPERLINK") and link.data_type == "s" and link.quotePrefix
    assert negative.value == "-ve" and negative.data_type == "s" and negative.quotePrefix
    assert not sheet.cell(row=4, column=1).quotePrefix  # only text a spreadsheet would run
    assert oct((tmp_path / "c.xlsx").stat().st_mode & 0o777) == "0o600"


def test_docx_is_landscape_with_repeated_header_and_marking(review, tmp_path):
    workspace, review_uuid = review
    with workspace.reading() as session:
        export_chronology(session, review_uuid, "docx", tmp_path / "c.docx")
    xml = zipfile.ZipFile(tmp_path / "c.docx").read("word/document.xml").decode()
    assert 'w:orient="landscape"' in xml and "w:tblHeader" in xml and "Dr Jane Smith saw Lily" in xml
    headers = "".join(
        zipfile.ZipFile(tmp_path / "c.docx").read(n).decode()
        for n in zipfile.ZipFile(tmp_path / "c.docx").namelist()
        if "header" in n
    )
    assert "OFFICIAL-SENSITIVE" in headers and "LCSPR-2026-07" in headers


def test_pdf_marks_every_page_and_numbers_them(review):
    workspace, review_uuid = review
    with workspace.reading() as session:
        data = collect(session, review_uuid)
    data.rows.extend([list(data.rows[0]) for _ in range(120)])  # several pages
    pdf = render_pdf(data)
    pages = _pdf_page_texts(pdf)
    assert len(pages) > 2
    for number, text in enumerate(pages, start=1):
        assert text.count("(OFFICIAL-SENSITIVE)") == 2 and "(LCSPR-2026-07)" in text
        assert f"(Page {number} of {len(pages)})" in text


def test_an_uncertain_date_says_what_is_not_known() -> None:
    """ "(uncertain)" did not say whether the day, the month or the date itself was in doubt."""
    assert date_label("22/05/2016", DatePrecision.DAY) == "22/05/2016"
    assert date_label("22/05/2016?", DatePrecision.DAY) == "22/05/2016?"  # "?": approximate, as the key says
    assert date_label("March 2024", DatePrecision.MONTH) == "Mar 2024\xa0(month\xa0only)"
    assert date_label("c. September 2021", DatePrecision.MONTH) == "c. Sep 2021\xa0(month\xa0only)"
    assert date_label("c. 2024", DatePrecision.YEAR) == "c. 2024\xa0(year\xa0only)"
    assert all(mark in DATE_MARKS_KEY for mark in ("(month only)", "(year only)", "c.", "?"))


def test_an_uncertain_date_in_words_names_what_is_not_known() -> None:
    """The table's tooltip said "not known to the day or is approximate" whichever it was."""
    assert date_uncertainty(FuzzyDate.of_month(2024, 3)) == "Known to the month only"
    assert date_uncertainty(FuzzyDate.of_year(2024)) == "Known to the year only"
    assert date_uncertainty(FuzzyDate.of_day(date(2016, 5, 22), approximate=True)) == "Approximate"
    assert date_uncertainty(FuzzyDate.of_month(2021, 9, approximate=True)) == "Known to the month only, and approximate"
    assert date_uncertainty(FuzzyDate.of_year(2015, approximate=True)) == "Known to the year only, and approximate"
    assert date_uncertainty(FuzzyDate.of_day(date(2016, 5, 22))) == ""


def test_the_printed_columns_are_those_the_panel_reads() -> None:
    assert {"Child's voice", "Significant"} <= set(PRINT_COLUMNS)


def _with_year_only_entry(review):
    workspace, review_uuid = review
    with workspace.unit_of_work() as uow:
        svc.add_entry(uow, review_uuid, start_date="2015", agency="GP", source="GP record", event="Registered")
    with workspace.reading() as session:
        return collect(session, review_uuid)


def _pdf_text(pdf: bytes) -> str:
    """The text of every page as pdfium reads it: a line broken inside a word shows as a line break in it."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document).replace("\xa0", " ")
    finally:
        document.close()


def test_pdf_keeps_headings_and_dates_whole_and_explains_the_marks(review):
    """The trial's PDF set "Se q" and "Significa nt": widths now fit each heading's longest word."""
    data = _with_year_only_entry(review)
    text = _pdf_text(render_pdf(data))
    words = set(text.split())
    for heading in ("Seq", "Date", "Time", "Agency", "Significant", "voice", "Reviewer", "comment", "seen"):
        assert heading in words, heading
    assert "Child's" in words
    assert "May 2016 (month only)" in text and "2015 (year only)" in text  # on one line each
    assert " ".join(DATE_MARKS_KEY.split()) in " ".join(text.split())


def test_docx_widths_footer_page_fields_and_key(review):
    import docx

    data = _with_year_only_entry(review)
    document = docx.Document(io.BytesIO(render_docx(data)))
    table = document.tables[0]
    header = [c.text for c in table.rows[0].cells]
    assert header == list(PRINT_COLUMNS)
    grid = [int(col.get(docx.oxml.ns.qn("w:w"))) for col in table._tbl.tblGrid.findall(docx.oxml.ns.qn("w:gridCol"))]
    widths = dict(zip(header, grid, strict=True))
    usable = round((297 - 24) / 25.4 * 1440)  # twips between the 12 mm margins
    assert abs(sum(grid) - usable) <= len(grid)
    assert widths["Event / contact"] == max(grid) and widths["Seq"] < widths["Date"] < widths["Event / contact"]
    assert [c.width.twips for c in table.rows[1].cells] == grid and not table.autofit  # Word keeps them
    dates = [row.cells[1].text for row in table.rows[1:]]
    assert "May\xa02016\xa0(month\xa0only)" in dates and "2015\xa0(year\xa0only)" in dates
    runs = [r for row in table.rows for c in row.cells for p in c.paragraphs for r in p.runs]
    assert {(r.font.name, r.font.size.pt) for r in runs} == {("Arial", 7.5)}  # the font the widths are measured in
    assert DATE_MARKS_KEY in [p.text for p in document.paragraphs]  # under the title, above the table
    footer = document.sections[0].footer._element.xml
    assert "OFFICIAL-SENSITIVE" in footer
    instructions = [t.strip() for t in re.findall(r"<w:instrText[^>]*>([^<]*)</w:instrText>", footer)]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert "Page " in footer and " of " in footer


def _pdf_page_texts(pdf: bytes) -> list[str]:
    """The decompressed content streams that carry page furniture, one per page, in order."""
    streams = []
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        raw = match.group(1).strip()
        try:  # reportlab writes /ASCII85Decode /FlateDecode streams
            raw = zlib.decompress(base64.a85decode(raw.removesuffix(b"~>")))
        except (ValueError, zlib.error):
            continue
        text = raw.decode("latin-1")
        if "Page " in text:
            streams.append(text)
    return streams


def test_agency_colours_get_text_of_at_least_aa_contrast():
    for colour in [c for *_, c in DEMO_AGENCIES] + ["#1f3a93", "#777777", "#000000", "#ffffff", "#ff0000"]:
        assert contrast_ratio(colour, text_colour_for(colour)) >= AA_NORMAL_TEXT
    assert text_colour_for("#1f3a93") == "#ffffff" and text_colour_for("#fce8b2") == "#000000"
    assert round(contrast_ratio("#000000", "#ffffff"), 1) == 21.0


def test_timeline_has_a_lane_per_agency_and_saves_png_and_svg(review):
    workspace, review_uuid = review
    with workspace.reading() as session:
        rows = load_rows(session, review_uuid)
    figure = build_figure(rows, [EpisodeBand(1, "Referral", date(2016, 5, 1), date(2016, 5, 31))], title="T")
    axes = figure.axes[0]
    assert [t.get_text() for t in axes.get_yticklabels()] == ["Police", "GP"]
    assert any(t.get_text() == "KPE 1" for t in axes.texts)
    assert render(figure, "png").startswith(b"\x89PNG") and b"<svg" in render(figure, "svg")
    with pytest.raises(ValueError):
        render(figure, "gif")


def test_timeline_shows_dollar_signs_in_names_as_typed(review):
    """matplotlib would read "$...$" as mathematics and fail to draw: names are passed as literal text."""
    import dataclasses

    workspace, review_uuid = review
    with workspace.reading() as session:
        rows = [dataclasses.replace(r, agency=r"Cost $\zz$ Agency") for r in load_rows(session, review_uuid)]
    figure = build_figure(rows, title=r"Review $\qq$")
    assert render(figure, "png").startswith(b"\x89PNG")
    assert [t.get_text() for t in figure.axes[0].get_yticklabels()] == [r"Cost \$\zz\$ Agency"]

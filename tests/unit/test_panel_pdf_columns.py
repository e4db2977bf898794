"""The panel chronology with many columns: no date, heading word or sequence number broken across lines."""

from __future__ import annotations

import pypdfium2
import pytest

from app.chronology.exports import COLUMNS
from app.chronology.panel_pdf import PanelContent, PanelOptions, render_panel_pdf
from app.errors import InvalidInput
from app.office.pdf_styles import para, styles

USABLE = 841.89 - 2 * 12 * 72 / 25.4  # landscape A4 less the 12 mm side margins


def _row(seq: int, date_text: str, agency: str, event: str, significant: str = "") -> list[str]:
    cells = dict.fromkeys(COLUMNS, "")
    cells.update(
        {
            "Seq": str(seq),
            "Date": date_text,
            "Time": "22:30",
            "Agency": agency,
            "Source of information": "Police command and control log",
            "Event / contact": event,
            "Child seen": "Yes",
            "Child's voice": "Yes: Said 'Mummy was crying'",
            "Action / outcome": "Released under investigation; referral to CSC",
            "Agency analysis": "No professional curiosity about the partner shown.",
            "Reviewer comment": "Discuss at practitioner event.",
            "Significant": significant,
            "Age": "c. 2y 6m–3y 6m",
            "Episodes": "KPE 1, KPE 2",
        }
    )
    return [cells[c] for c in COLUMNS]


ROWS = [
    _row(277, "25/06/2021", "Police", "Domestic incident: Mr Pike arrested for common assault", "Significant"),
    _row(3, "c. November 2021", "School", "Lily quiet and withdrawn in class"),
    _row(1204, "Sep 2021\xa0(month\xa0only)", "CSC", "Strategy discussion with police and health"),
]


def _content(rows: list[list[str]]) -> PanelContent:
    return PanelContent(
        reference="LCSPR-W1",
        title="Learning from Child A",
        subject="Child A",
        options=PanelOptions(columns=COLUMNS),
        header=list(COLUMNS),
        rows=rows,
        total_entries=len(rows),
    )


def _widths(rows: list[list[str]], usable: float = USABLE) -> list[float]:
    from app.chronology.panel_pdf import chronology_widths

    return chronology_widths(list(COLUMNS), rows, usable)


def _lines(text: str, width: float, bold: bool = False) -> list[str]:
    """The lines reportlab sets `text` in within a cell of `width` (its 6 + 6 points of padding taken off)."""
    paragraph = para(text, styles().cell_bold if bold else styles().cell)
    paragraph.wrap(width - 12, 10_000)
    return [" ".join(words).replace("\xa0", " ") for _space, words in paragraph.blPara.lines]


def test_all_fifteen_columns_keep_every_word_date_and_number_whole() -> None:
    """ "25/06/2 021", "Polic e", "Signifi cant" and "Seq" one letter a line, with all 15 columns chosen."""
    # the whole document: the dates are found whole in its text
    document = pypdfium2.PdfDocument(render_panel_pdf(_content(ROWS)))
    try:
        text = "".join(page.get_textpage().get_text_range() for page in document).replace("\xa0", " ")
    finally:
        document.close()
    for whole in ("25/06/2021", "c. November 2021", "Sep 2021 (month only)", "Significant", "Police", "1204"):
        assert whole in text, whole
    # and at the widths the document gives them, every cell and heading is set without a word broken
    widths = _widths(ROWS)
    assert sum(widths) == pytest.approx(USABLE)
    for column, (name, width) in enumerate(zip(COLUMNS, widths, strict=True)):
        heading = _lines(name, width, bold=True)
        assert " ".join(heading).split() == name.split(), f"heading {name!r} broken: {heading}"
        for row in ROWS:
            text = row[column]
            lines = _lines(text, width)
            assert " ".join(lines).split() == text.split(), f"{name}: {text!r} set as {lines}"
            if name == "Date":  # a date on one line, with the mark that says what of it is not known
                assert lines == [text.replace("\xa0", " ")], lines


def test_a_column_empty_in_every_row_keeps_only_its_headings_width() -> None:
    widths = dict(zip(COLUMNS, _widths(ROWS), strict=True))
    from reportlab.pdfbase.pdfmetrics import stringWidth

    assert widths["End"] == pytest.approx(stringWidth("End", "Helvetica-Bold", 7.5) + 12)
    assert max(widths, key=widths.__getitem__) == "Event / contact"  # the room goes to the text that wraps


def test_a_long_word_in_free_text_gives_way_rather_than_push_columns_off_the_page() -> None:
    address = "https://example.org/" + "a-very-long-path-segment/" * 8
    rows = [*ROWS, _row(5, "01/01/2022", "GP", address)]
    widths = _widths(rows)
    assert sum(widths) == pytest.approx(USABLE)
    assert widths[COLUMNS.index("Event / contact")] < USABLE / 3


def test_columns_that_cannot_fit_even_at_their_narrowest_are_refused_with_how_many_fit() -> None:
    from app.chronology.panel_pdf import chronology_widths

    with pytest.raises(InvalidInput, match=r"^The 15 chosen columns do not fit .*Choose fewer columns\.$") as raised:
        _widths(ROWS, usable=400)
    fit = int(str(raised.value).split("only the first ")[1].split()[0])
    assert 0 < fit < 15
    chosen = list(COLUMNS[:fit])
    assert sum(chronology_widths(chosen, [row[:fit] for row in ROWS], 400)) == pytest.approx(400)
    with pytest.raises(InvalidInput):
        chronology_widths([*chosen, COLUMNS[fit]], [row[: fit + 1] for row in ROWS], 400)

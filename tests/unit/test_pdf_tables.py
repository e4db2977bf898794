"""Tables in the printed reports: where a row may be broken across pages and where it may not."""

from __future__ import annotations

from io import BytesIO

from reportlab.platypus import SimpleDocTemplate

from app.office.pdf_styles import grid_table
from tests.helpers.meetings_pdf import page_texts


def _pages_holding(texts: list[str], marker: str) -> set[int]:
    return {index for index, text in enumerate(texts) if marker in text.replace("\r\n", " ")}


def test_only_a_row_taller_than_a_page_is_broken_across_pages() -> None:
    """A commentary longer than a page goes on over the pages it needs; the ordinary rows after it
    (a 25-line commentary each) still go whole to the next page, as every other row of every table.
    Allowing the first row to break once used to let every later row break too."""
    tall = " ".join(f"Reason {n} given." for n in range(1, 800))
    rows = [["Agency", "Commentary"], ["Police", tall]]
    for agency in ("Health", "Education", "Housing", "Probation", "Youth Justice", "Early Help"):
        rows.append([agency, " ".join(f"{agency} line {n} said." for n in range(1, 60))])
    out = BytesIO()
    SimpleDocTemplate(out).build([grid_table(rows, [100, 350])])
    texts = page_texts(out.getvalue())

    assert len(_pages_holding(texts, "Reason ")) > 1  # the tall row goes on over pages
    for agency in ("Health", "Education", "Housing", "Probation", "Youth Justice", "Early Help"):
        first = _pages_holding(texts, f"{agency} line 1 said.")
        last = _pages_holding(texts, f"{agency} line 59 said.")
        assert first == last and len(first) == 1, f"{agency}'s row is broken across pages {sorted(first | last)}"


def test_letters_drawn_in_the_fallback_font_are_measured_in_it() -> None:
    """Column widths come from measured text; a name with letters outside the base fonts (Łukasz
    Przybyłowicz) is drawn partly in the embedded font, so it is measured the same way: the width
    measured is exactly the width the paragraph needs to keep the name on one line."""
    from app.office.pdf_styles import drawn_width, para, styles

    style = styles().cell
    for name in ("Łukasz Przybyłowicz", "Přemysl Dvořák", "Łłłłłłłł Żżżżż"):
        needed = drawn_width(name, style.fontName, style.fontSize)
        assert len(para(name, style).breakLines([needed + 0.01]).lines) == 1, name
        assert len(para(name, style).breakLines([needed - 1]).lines) == 2, name

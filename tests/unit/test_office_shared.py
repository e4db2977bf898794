"""The office helpers new areas share: agency return workbooks, validation reports, vector charts."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.errors import InvalidInput
from app.office.return_workbook import (
    IDENTITY_SHEET,
    Column,
    ReturnIdentity,
    ReturnSheet,
    build_return,
    iter_references,
    read_return,
)
from app.office.validation_report import REPEATS_LISTED, ValidationReport
from app.office.vector_charts import figure_flowable, figure_svg, new_figure

HEADINGS = ["Ref", "Standard", "Score", "Evidence"]


def _template(tmp_path: Path) -> Path:
    sheet = ReturnSheet(
        "Section 11 return: Police",
        [
            Column("Ref", 6),
            Column("Standard", 30),
            Column("Score", 8, answer=True, choices=("0", "1", "2", "3")),
            Column("Evidence", 40, answer=True),
        ],
        rows=[["S1", "Senior management commitment", None, ""], ["S2", "=Clear statement", None, ""]],
        intro=["Fill in the yellow cells."],
    )
    identity = ReturnIdentity("section11-return", {"cycle": "c-1", "agency": "a-1"}, {"S1": "u-1", "S2": "u-2"})
    path = tmp_path / "return.xlsx"
    path.write_bytes(build_return(sheet, identity))
    return path


def test_a_return_maps_back_after_sorting_and_a_deleted_column(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = _template(tmp_path)
    book = load_workbook(path)
    assert book[IDENTITY_SHEET].sheet_state == "veryHidden"
    assert book.security.lockStructure
    sheet = book["Return"]
    header = next(r for r in range(1, 10) if sheet.cell(r, 1).value == "Ref")
    statement = sheet.cell(header + 2, 2)  # text as written, never a formula: a quote-prefixed text cell
    assert statement.value == "=Clear statement" and statement.data_type == "s" and statement.quotePrefix
    assert sheet.cell(header + 1, 3).protection.locked is False and sheet.cell(header + 1, 2).protection.locked
    # the agency sorts the rows (S2 first), answers, and deletes the Evidence column
    sheet.cell(header + 1, 1).value, sheet.cell(header + 2, 1).value = "S2", "S1"
    sheet.cell(header + 1, 3).value, sheet.cell(header + 2, 3).value = 3, 1
    sheet.delete_cols(4)
    book.save(path)

    read = read_return(path, "section11-return", HEADINGS)
    assert read.identity.identities == {"agency": "a-1", "cycle": "c-1"}
    assert read.missing_columns == ["Evidence"]
    answers = {
        read.identity.rows[ref]: read.value(values, "Score") for _n, ref, values in iter_references(read, "Ref") if ref
    }
    assert answers == {"u-2": 3, "u-1": 1}


def test_wrong_files_are_refused_with_one_clear_message(tmp_path: Path) -> None:
    path = _template(tmp_path)
    with pytest.raises(InvalidInput, match="not a data-return return|is a section11-return file"):
        read_return(path, "data-return", HEADINGS)
    text = tmp_path / "notes.xlsx"
    text.write_text("not a workbook")
    with pytest.raises(InvalidInput, match="not an Excel workbook"):
        read_return(text, "section11-return", HEADINGS)
    from openpyxl import Workbook

    plain = tmp_path / "plain.xlsx"
    Workbook().save(plain)
    with pytest.raises(InvalidInput, match="identity sheet is missing"):
        read_return(plain, "section11-return", HEADINGS)


def test_repeated_issues_are_summarised() -> None:
    report = ValidationReport("return.xlsx")
    for row in range(10, 1010):
        report.error(row, "Score", "3.5 is not on the scale 0-3")
    report.warning(4, None, "an extra row without a reference was ignored")
    lines = report.lines()
    assert len(lines) == REPEATS_LISTED + 2
    assert lines[0] == "return.xlsx, row 10, column 'Score': error: 3.5 is not on the scale 0-3"
    assert "(and 995 more rows like this)" in lines[REPEATS_LISTED]
    assert report.first_error().endswith("(and 999 more errors; see the report)")


def test_charts_are_vectors_with_text_kept_as_text() -> None:
    from reportlab.graphics.shapes import Drawing, String

    figure = new_figure(120, 60)
    axes = figure.add_subplot()
    axes.bar(["Police", "Cost $A$ Ltd".replace("$", r"\$")], [2, 3])
    axes.set_title("Moderated scores")
    svg = figure_svg(figure)
    assert b"<text" in svg and b"Moderated scores" in svg
    assert svg == figure_svg(figure)  # deterministic
    drawing = figure_flowable(figure, width=300)
    assert isinstance(drawing, Drawing) and round(drawing.width) == 300

    def strings(node: object) -> list[str]:
        found = [node.text] if isinstance(node, String) else []
        for child in getattr(node, "contents", []):
            found += strings(child)
        return found

    assert "Moderated scores" in strings(drawing)
    out = BytesIO()
    from reportlab.graphics import renderPDF

    renderPDF.drawToFile(drawing, out)
    assert out.getvalue().startswith(b"%PDF")


def _pdf_of(drawing: object) -> bytes:
    from reportlab.graphics import renderPDF
    from reportlab.pdfgen.canvas import Canvas

    out = BytesIO()
    canvas = Canvas(out, invariant=1, pageCompression=0)
    renderPDF.draw(drawing, canvas, 0, 0)
    canvas.save()
    return out.getvalue()


def test_charts_keep_the_layout_fills_and_fonts_of_the_figure() -> None:
    # the one-pass layout puts the chart where matplotlib's constrained layout would
    def chart() -> object:
        figure = new_figure(170, 80)
        axes = figure.add_subplot()
        axes.plot(range(1, 13), [1000 + 37 * m for m in range(12)], marker="o")
        axes.set_title("Referrals")
        axes.set_xlabel("Month")
        axes.set_ylabel("Count")
        return figure

    laid_out = chart()
    figure_svg(laid_out)  # matplotlib's own constrained layout
    ours = chart()
    figure_flowable(ours)
    assert ours.axes[0].get_position().bounds == pytest.approx(laid_out.axes[0].get_position().bounds, abs=1e-3)
    assert ours.get_layout_engine().__class__.__name__ == "ConstrainedLayoutEngine"

    # mesh cells (open paths) are filled; bold text is bold; mathtext is drawn (as outlines)
    import re

    figure = new_figure(120, 60)
    axes = figure.add_subplot()
    axes.pcolormesh([[0, 1], [1, 0]], cmap="RdYlGn", edgecolors="white", linewidth=1)
    axes.text(0.5, 0.5, "Red", fontweight="bold", ha="center")
    pdf = _pdf_of(figure_flowable(figure, 300))
    assert b"/Helvetica-Bold" in pdf and b"(Red) Tj" in pdf
    filled = re.findall(rb"\n([.\d]+ [.\d]+ [.\d]+) rg\n(?:[^\n]*\n){5}n [^\n]*\nf\*\n", pdf)
    assert filled.count(b".647059 0 .14902") == 2 and filled.count(b"0 .407843 .215686") == 2  # red and green cells
    assert pdf == _pdf_of(figure_flowable(figure, 300))  # deterministic
    axes.set_title(r"Rate $x^2$ per 10,000")
    fills = pdf.count(b"\nf*\n")
    assert _pdf_of(figure_flowable(figure, 300)).count(b"\nf*\n") > fills  # mathtext as outlines


def test_table_cells_that_fit_are_plain_text_and_long_ones_wrap() -> None:
    from reportlab.platypus import Paragraph

    from app.office.pdf_styles import grid_table

    table = grid_table(
        [["Agency", "Note"], ["Police", "a long note " * 20], ["A & B <ltd>", "two\nlines"], ["  spaced ", ""]],
        [100, 100],
    )
    cells = table._cellvalues
    assert cells[0][0] == "Agency" and cells[1][0] == "Police" and cells[2][0] == "A & B <ltd>" and cells[3][1] == ""
    assert isinstance(cells[1][1], Paragraph) and isinstance(cells[2][1], Paragraph)  # wrapped, line break kept
    assert isinstance(cells[3][0], Paragraph)  # spaces collapsed as a Paragraph shows them


def test_plain_cells_are_drawn_exactly_as_reportlab_draws_them() -> None:
    from reportlab.platypus import LongTable, SimpleDocTemplate

    from app.office.pdf_styles import grid_table

    rows = [["Agency", "Note", "Score"]]
    rows += [[f"Agency {n % 8} (x)", f"Measure {n} \\ a", str(n)] for n in range(120)]
    rows += [["Ünïcode", "a long note " * 20, "two\nlines"]]

    def pdf(plain_fast_path: bool) -> bytes:
        table = grid_table(rows, [170, 230, 80], cell_colours={(2, 3): "#ffcccc"})
        if not plain_fast_path:
            table.__class__ = LongTable  # reportlab's own drawing of every cell
        out = BytesIO()
        SimpleDocTemplate(out, invariant=1).build([table])
        return out.getvalue()

    assert pdf(True) == pdf(False)


def test_a_long_table_starts_under_its_heading_not_on_a_new_page() -> None:
    from reportlab.platypus import SimpleDocTemplate

    from app.office.pdf_styles import grid_table, para, styles
    from tests.helpers.meetings_pdf import page_texts

    def first_page_with(table_rows: int) -> int:
        rows = [["Type", "Detail"]] + [[f"Row {n}", "a note that wraps " * 6] for n in range(table_rows)]
        out = BytesIO()
        story = [para("Report", styles().title), para("Exceptions", styles().heading), grid_table(rows, [100, 300])]
        SimpleDocTemplate(out).build(story)
        return next(i for i, text in enumerate(page_texts(out.getvalue())) if "Row 0" in text)

    assert first_page_with(60) == 0  # a page and more of rows: it starts under its heading
    assert first_page_with(3) == 0  # a short table stays with its heading as before


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.text(alphabet="abcdefghij -ABCDEF0123", max_size=40), min_size=3, max_size=3),
        min_size=1,
        max_size=12,
    ),
    st.floats(min_value=200, max_value=800),
)
def test_fitted_widths_fill_the_width_and_never_break_a_word_that_could_fit(
    rows: list[list[str]], width: float
) -> None:
    """The printed scorecard broke 'Housing' into 'Housin g' with fixed column fractions."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from app.office.pdf_styles import fitted_widths, styles

    widths = fitted_widths(rows, width)
    assert sum(widths) == pytest.approx(width)
    look = styles()
    longest = [
        max(
            (stringWidth(w, look.cell_bold.fontName, look.cell.fontSize) + 12 for row in rows for w in row[c].split()),
            default=0.0,
        )
        for c in range(3)
    ]
    if sum(min(x, 0.45 * width) for x in longest) < width:  # room for every word whole
        for column in range(3):
            for index, row in enumerate(rows):
                style = look.cell_bold if index == 0 else look.cell
                for word in row[column].split():
                    needed = stringWidth(word, style.fontName, style.fontSize) + 12
                    assert needed <= widths[column] + 1e-6 or needed > 0.45 * width

"""What the quarter's report says of each figure reads right: the direction of travel of every figure
(not only those that went down), a chart whose plot keeps its width, and rates with their unit."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from openpyxl import load_workbook

from app.agencies import add_agency
from app.performance.analysis import DIRECTION_WITHHELD, Dataset, Series, load_dataset, scorecard
from app.performance.catalogue import install_starter
from app.performance.charts import spc_figure
from app.performance.comparators import import_comparators
from app.performance.figures import import_figures
from app.performance.periods import Period
from app.performance.reports import report_bytes
from app.store.workspace import Workspace

if TYPE_CHECKING:
    from matplotlib.figure import Figure as MplFigure

TODAY = date(2026, 11, 20)
HEADER = "Agency,Code,Period,Value,Numerator,Denominator\n"
#: a figure: a count or value alone, or (numerator, denominator)
Figure = float | tuple[float, float]


@pytest.fixture
def ws(workspace: Workspace) -> Iterator[Workspace]:
    with workspace.unit_of_work() as uow:
        add_agency(uow, "Children's Social Care", "CSC")
        install_starter(uow)
    yield workspace


def _import(ws: Workspace, tmp_path: Path, code: str, figures: list[Figure]) -> None:
    """CSC's `figures` of `code`, the last one for 2026Q3."""
    end = Period.parse("2026Q3")
    lines = []
    for i, figure in enumerate(figures):
        period = end - (len(figures) - 1 - i)
        cells = f",{figure[0]:g},{figure[1]:g}" if isinstance(figure, tuple) else f"{figure:g},,"
        lines.append(f"CSC,{code},{period},{cells}\n")
    path = tmp_path / f"{code}.csv"
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    with ws.unit_of_work() as uow:
        assert not import_figures(uow, path, today=TODAY).report.has_errors


def _comparators(ws: Workspace, tmp_path: Path, lines: str) -> None:
    """Import comparator `lines` ("Code,Period,Comparator,Value,Source,Date" rows)."""
    comparators = tmp_path / "comparators.csv"
    comparators.write_text("Code,Period,Comparator,Value,Source,Date\n" + lines, encoding="utf-8")
    with ws.unit_of_work() as uow:
        assert not import_comparators(uow, comparators).has_errors


@pytest.mark.parametrize(
    ("code", "figures", "direction"),
    [
        # counts, higher is better; 5 is the small-number threshold
        ("EH-ASSESS", [20, 23], "↑ improving"),
        ("EH-ASSESS", [23, 20], "↓ worsening"),
        ("EH-ASSESS", [20, 20], "→ no change"),
        # a withheld count beside a shown one: every count under 5 is below 20, so the direction tells nothing
        ("EH-ASSESS", [3, 20], "↑ improving"),
        ("EH-ASSESS", [20, 3], "↓ worsening"),
        # two withheld counts: which way they went tells them apart
        ("EH-ASSESS", [3, 2], DIRECTION_WITHHELD),
        # a percentage, lower is better, on its numerator
        ("CPP-2YR", [(10, 80), (20, 100)], "↑ worsening"),
        ("CPP-2YR", [(20, 100), (10, 80)], "↓ improving"),
        # the earlier numerator withheld: 0 to 4 of 80 is 0% to 5%, all below 12%
        ("CPP-2YR", [(3, 80), (12, 100)], "↑ worsening"),
        # ... but 4.8% lies among them: "up" would say the withheld 3 of 80 is not 4
        ("CPP-2YR", [(3, 80), (6, 125)], DIRECTION_WITHHELD),
        ("CPP-2YR", [(20, 100), (3, 80)], "↓ improving"),
        # "down" from 4.0% says a withheld 3.75% is not 5%
        ("CPP-2YR", [(5, 125), (3, 80)], DIRECTION_WITHHELD),
        ("CPP-2YR", [(3, 80), (2, 80)], DIRECTION_WITHHELD),
        # a rate per 10,000 with no polarity
        ("CPP-RATE", [(440, 100_000), (300, 100_000)], "↓ down"),
        ("CPP-RATE", [(300, 100_000), (440, 100_000)], "↑ up"),
        # 0 to 4 of 1,000 are 0 to 40 per 10,000: 60 is above all of them, 30 is not
        ("CPP-RATE", [(2, 1_000), (60, 10_000)], "↑ up"),
        ("CPP-RATE", [(2, 1_000), (30, 10_000)], DIRECTION_WITHHELD),
        ("CPP-RATE", [(60, 10_000), (2, 1_000)], "↓ down"),
    ],
)
def test_the_direction_of_travel_is_shown_unless_it_narrows_a_withheld_figure_down(
    ws: Workspace, tmp_path: Path, code: str, figures: list[Figure], direction: str
) -> None:
    """Every figure that went up read "not shown (small numbers)", though neither quarter was withheld: the
    scorecard compared the shown figure with made-up counts 0 to 4. The direction is withheld only where a
    withheld figure's counts under the threshold would not all give the one shown."""
    _import(ws, tmp_path, code, figures)
    with ws.reading() as session:
        (row,) = [r for r in scorecard(load_dataset(session)) if r.code == code]
    assert row.direction == direction


def _cpp_2yr_with_a_withheld_quarter(ws: Workspace, tmp_path: Path) -> tuple[Dataset, Series]:
    """CSC's plans lasting two years: twelve quarters, the last on a numerator of 4 (withheld)."""
    _import(ws, tmp_path, "CPP-2YR", [(n, 80) for n in (6, 7, 6, 5, 8, 7, 6, 7, 8, 6, 7)] + [(4, 80)])
    with ws.reading() as session:
        data = load_dataset(session)
    return data, next(s for s in data.series.values() if s.indicator.code == "CPP-2YR")


def _overlapping_labels(figure: MplFigure) -> list[tuple[str, str]]:
    labels = [t for t in figure.axes[0].get_xticklabels() if t.get_visible() and t.get_text()]
    boxes = [t.get_window_extent() for t in labels]
    return [
        (labels[i].get_text(), labels[j].get_text())
        for i in range(len(boxes))
        for j in range(i + 1, len(boxes))
        if boxes[i].overlaps(boxes[j])
    ]


def test_a_chart_with_a_withheld_figure_keeps_its_plot_wide_and_its_quarters_apart(
    ws: Workspace, tmp_path: Path
) -> None:
    """The legend's "Mean and limits not shown (the series has a count under 5)" squeezed the plot to a quarter
    of the chart's width and its quarters ran together ("2024Q12025Q12026Q1"). The note now stands under the
    plot, which keeps most of the width, and the quarter labels never overlap."""
    data, series = _cpp_2yr_with_a_withheld_quarter(ws, tmp_path)
    figure = spc_figure(data, series, width_mm=170, height_mm=70)
    figure.draw_without_rendering()
    axes = figure.axes[0]
    legend = [t.get_text() for t in axes.get_legend().get_texts()]
    assert not [text for text in legend if "Mean and limits" in text], legend
    assert axes.get_xlabel() == "Mean and limits not shown (the series has a count under 5)"
    assert axes.bbox.width > 0.45 * figure.bbox.width
    assert _overlapping_labels(figure) == []
    assert [t.get_text() for t in axes.get_xticklabels() if t.get_visible()] == ["2024Q1", "2025Q1", "2026Q1"]


def test_quarter_labels_are_thinned_where_the_chart_is_narrow(ws: Workspace, tmp_path: Path) -> None:
    """In a narrow chart (a small window's panel) every year's label would run into the next: every other
    one is shown instead, and in a wide chart all of them."""
    _import(ws, tmp_path, "EH-ASSESS", [20 + i % 4 for i in range(24)])
    with ws.reading() as session:
        data = load_dataset(session)
    (series,) = data.series.values()
    narrow = spc_figure(data, series, width_mm=75, height_mm=60)
    narrow.draw_without_rendering()
    shown = [t.get_text() for t in narrow.axes[0].get_xticklabels() if t.get_visible() and t.get_text()]
    assert _overlapping_labels(narrow) == [] and len(shown) >= 2
    wide = spc_figure(data, series, width_mm=250, height_mm=60)
    wide.draw_without_rendering()
    assert [t.get_text() for t in wide.axes[0].get_xticklabels() if t.get_visible()] == [
        f"{year}Q1" for year in range(2021, 2027)
    ]


def _pdf_text(data: bytes) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    # words alone: a table cell's lines run on
    return " ".join(" ".join(document[i].get_textpage().get_text_range() for i in range(len(document))).split())


def test_a_rate_says_per_how_many_and_a_withheld_count_is_not_compared_in_plain_words(
    ws: Workspace, tmp_path: Path
) -> None:
    """The report printed "CPP-RATE 44.0" (per 10,000 children) with no unit anywhere, in the scorecard and
    beside the exceptions' "Latest 90.0"; and a withheld count's comparator read "not compared (small
    numbers) vs neighbours"."""
    _import(ws, tmp_path, "CPP-RATE", [(440, 100_000)] * 7 + [(900, 100_000)])  # 44.0 ... 90.0: beyond a limit
    _import(ws, tmp_path, "EH-ASSESS", [20, 22, 3])
    _comparators(
        ws,
        tmp_path,
        "CPP-RATE,2026Q3,Statistical neighbours,45,DfE,01/11/2026\n"
        "EH-ASSESS,2026Q3,Statistical neighbours,3.5,DfE,01/11/2026\n",
    )
    with ws.reading() as session:
        rows = {r.code: r for r in scorecard(load_dataset(session))}
        pdf = _pdf_text(report_bytes(session, "2026Q3", "pdf", today=TODAY))
        xlsx = load_workbook(io.BytesIO(report_bytes(session, "2026Q3", "xlsx", today=TODAY)))
    assert rows["CPP-RATE"].latest == "90.0 per 10,000"
    assert rows["CPP-RATE"].comparator == "+100% vs neighbours"
    assert rows["EH-ASSESS"].latest == "fewer than 5"  # a count needs no unit
    # 3.5 lies among the counts withheld: neither side of it is said, nor the "vs" of a gap not given
    assert rows["EH-ASSESS"].comparator == "not compared (small numbers)"
    assert "90.0 per 10,000" in pdf and "vs neighbours" in pdf and "(small numbers) vs" not in pdf
    # the exception's detail says per how many beside each figure, so the indicator's name needs no unit
    exception = [list(r) for r in xlsx["Exceptions"].iter_rows(values_only=True) if r[0] == "Special cause"]
    assert [r[1] for r in exception] == ["CPP-RATE Children on a child protection plan"]
    assert [r[3].partition(". ")[2].partition(";")[0] for r in exception] == ["Latest 90.0 per 10,000"]
    assert "Latest 90.0 per 10,000; mean 49.8 per 10,000, limits 32.3 to 67.2 per 10,000." in pdf
    scorecard_cells = [r[5] for r in xlsx["Scorecard"].iter_rows(values_only=True) if r[0] == "CPP-RATE"]
    assert scorecard_cells == ["90.0 per 10,000"]


def test_exception_details_give_every_figure_its_unit(ws: Workspace, tmp_path: Path) -> None:
    """A trial's exception list read "against England 91" for a percentage and "Latest 30.0; mean 11.0" for
    an average in days: each figure of a detail now says what it is (IndicatorInfo.with_unit)."""
    from app.performance.catalogue import IndicatorDraft, save_indicator
    from app.performance.exceptions import list_exceptions

    with ws.unit_of_work() as uow:
        save_indicator(uow, IndicatorDraft("WAIT-DAYS", "Days from referral to assessment", unit="days", owner="CSC"))
    # a percentage and an average in days, each steady for seven quarters and then far off
    _import(ws, tmp_path, "ASMT-45", [(n, 100) for n in (88, 90, 92, 89, 91, 90, 88, 60)])
    _import(ws, tmp_path, "WAIT-DAYS", [10, 12, 11, 10, 12, 11, 10, 30])
    _comparators(
        ws,
        tmp_path,
        "ASMT-45,2026Q3,England,91,DfE,01/11/2026\nWAIT-DAYS,2026Q3,Statistical neighbours,12,DfE,01/11/2026\n",
    )
    with ws.reading() as session:
        details = {(r.kind, r.code): r.detail for r in list_exceptions(session, Period.parse("2026Q3"), today=TODAY)}
        pdf = _pdf_text(report_bytes(session, "2026Q3", "pdf", today=TODAY))
    assert "Latest 60.0%; mean 86.0%, limits " in details[("special_cause", "ASMT-45")]
    assert details[("comparator_gap", "ASMT-45")].startswith("60.0% against England 91.0%: -31.0 pts")
    assert "Latest 30.0 days; mean 13.2 days, limits " in details[("special_cause", "WAIT-DAYS")]
    assert details[("comparator_gap", "WAIT-DAYS")].startswith("30.0 days against Statistical neighbours 12.0 days")
    # the limits too: "limits 70.8% to 101.2%", "limits 4.6 to 21.9 days"
    low, high = details[("special_cause", "ASMT-45")].partition("limits ")[2].rstrip(".").split(" to ")
    assert low.endswith("%") and high.endswith("%")
    assert details[("special_cause", "WAIT-DAYS")].partition("limits ")[2].endswith(" days.")
    assert "60.0% against England 91.0%" in pdf and "30.0 days against Statistical neighbours 12.0 days" in pdf


def test_the_exception_table_gives_the_detail_room_and_keeps_words_whole(demo_workspace: Workspace) -> None:
    """The demo report's exception list squeezed the detail to three words a line beside an indicator column
    wider than it and Status and Actions columns with room to spare: the columns now share the page by what
    they are for (the detail widest), none narrower than its longest word, heading included."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Table

    from app.office.pdf_styles import MARGINS, drawn_width, styles
    from app.performance.demo import latest_demo_period
    from app.performance.exceptions import list_exceptions, missing_returns
    from app.performance.reports import EXCEPTION_HEADINGS, exception_flowables

    period = latest_demo_period()
    with demo_workspace.reading() as session:
        data = load_dataset(session)
        exceptions = list_exceptions(session, period, data)
        missing = missing_returns(session, period, data)
    assert len(exceptions) > 10
    width = A4[0] - MARGINS["left"] - MARGINS["right"]
    flowables = exception_flowables(data, period, exceptions, missing, width, charts=False)
    table = next(f for f in flowables if isinstance(f, Table) and len(f._cellvalues) == len(exceptions) + 1)
    widths = dict(zip(EXCEPTION_HEADINGS, table._colWidths, strict=True))
    assert sum(widths.values()) == pytest.approx(width)
    assert widths["Detail"] == max(widths.values()) and widths["Detail"] > 0.2 * width
    assert widths["Detail"] > widths["Indicator"] and widths["Status"] < widths["Panel view"]
    look = styles()
    for heading in EXCEPTION_HEADINGS:
        cells = [row.detail if heading == "Detail" else "" for row in exceptions]
        cells += [f"{row.code} {row.indicator}" if heading == "Indicator" else "" for row in exceptions]
        cells += [
            {"Type": row.kind_label, "Agency": row.agency, "Status": row.status_label}.get(heading, "")
            for row in exceptions
        ]
        longest = max(
            drawn_width(word, look.cell.fontName, look.cell.fontSize) for cell in cells for word in cell.split() or [""]
        )
        bold = max(drawn_width(word, look.cell_bold.fontName, look.cell_bold.fontSize) for word in heading.split())
        assert widths[heading] >= max(longest, bold) + 12, heading  # the cell's padding: no word broken

"""The Section 11 charts as the Chair saves them (PNG, SVG, the cycle report): every title and label inside
the picture, and each axis named for what it counts."""

from __future__ import annotations

from typing import Any

import pytest

from app.section11.charts import (
    SelfModeratedRow,
    YearOnYearRow,
    self_vs_moderated_figure,
    year_on_year_figure,
)

CYCLE = "Section 11 audit 2026"


def _rows() -> list[SelfModeratedRow]:
    return [
        SelfModeratedRow("Police", "Northbridge Police", 3.0, 1.7, 8, 0, 9),
        SelfModeratedRow("GP", "Riverside Medical Practice", 1.9, 1.6, 3, 0, 9),
        SelfModeratedRow("ED", "Northbridge University Hospitals", 1.8, None, 0, 0, 0),
    ]


def _years() -> list[YearOnYearRow]:
    return [
        YearOnYearRow(agency, agency, f"S{n}", f"Standard {n}", last, now, change, change.capitalize())
        for agency in ("Police", "GP", "CSC")
        for n, last, now, change in ((1, 2, 3, "better"), (2, 2, 2, "same"), (3, 3, 1, "worse"))
    ]


def _outside(figure: Any) -> list[str]:
    """Texts of the figure drawn (partly) outside it: cut off in the PNG, the SVG and the PDF."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(figure)  # what saving a PNG draws on
    canvas.draw()  # lays the figure out as saving does
    renderer = canvas.get_renderer()
    box = figure.bbox
    cut = []
    for text in figure.findobj(lambda artist: hasattr(artist, "get_text") and hasattr(artist, "get_window_extent")):
        if not text.get_visible() or not text.get_text().strip():
            continue
        extent = text.get_window_extent(renderer)
        if extent.x0 < box.x0 - 1 or extent.x1 > box.x1 + 1 or extent.y0 < box.y0 - 1 or extent.y1 > box.y1 + 1:
            cut.append(text.get_text())
    return cut


@pytest.mark.parametrize("cycle", [CYCLE, "Section 11 and schools safeguarding audit 2026 to 2027 (second round)"])
def test_the_self_against_moderated_title_fits_the_picture(cycle: str) -> None:
    """The title ran off the right edge: "... (who over-rates)" was cut short in every saved chart."""
    figure = self_vs_moderated_figure(_rows(), cycle)
    assert _outside(figure) == []


@pytest.mark.parametrize("by", ["agency", "standard"])
def test_year_on_year_counts_are_named_for_what_they_count(by: str) -> None:
    """By standard, each bar counts agencies, but its axis said "Standards"."""
    figure = year_on_year_figure(_years(), CYCLE, by=by)
    assert figure.axes[0].get_xlabel() == ("Standards" if by == "agency" else "Agencies")
    assert _outside(figure) == []

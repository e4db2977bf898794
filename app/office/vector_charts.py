"""Charts that stay sharp on paper: matplotlib figures as vector flowables, PNG and SVG.

matplotlib draws the chart on a plain `Figure` (no pyplot, no GUI backend, so it is
safe in a worker thread); its SVG goes through svglib into a reportlab `Drawing`,
which a PDF (report, letter, meeting pack) places as vectors, never as a
screenshot. Text stays text (`svg.fonttype = none`), so a printed chart reads as
well as the page around it. Everything happens in memory (BytesIO): no
temporary files with case data. Heavy imports happen on first use.
"""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from matplotlib.figure import Figure

MM_PER_INCH = 25.4

#: One look for every chart: readable on A4 and on screen.
CHART_STYLE: dict[str, Any] = {
    "font.size": 8,
    "axes.titlesize": 9,
    "axes.labelsize": 8,
    "legend.fontsize": 7,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.fonttype": "none",
    "svg.hashsalt": "safeguarding-workbench",  # same chart, same bytes: packs are deterministic
    "pdf.fonttype": 42,
}


def new_figure(width_mm: float = 170, height_mm: float = 90) -> Figure:
    """A figure of the given size on no GUI backend (works off the GUI thread)."""
    from matplotlib.figure import Figure

    with _style():
        return Figure(figsize=(width_mm / MM_PER_INCH, height_mm / MM_PER_INCH), layout="constrained")


def _style() -> Any:
    import matplotlib

    return matplotlib.rc_context(cast(Any, CHART_STYLE))  # the stubs want literal rcParams keys


def figure_svg(figure: Figure) -> bytes:
    """SVG bytes, text kept as text and no random ids or dates (deterministic)."""
    buffer = BytesIO()
    with _style():
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


def figure_png(figure: Figure, dpi: int = 200) -> bytes:
    buffer = BytesIO()
    with _style():
        figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def figure_flowable(figure: Figure, width: float | None = None) -> Any:
    """A reportlab Drawing of the figure (vectors), scaled to `width` points if given."""
    from svglib.svglib import svg2rlg

    drawing = svg2rlg(BytesIO(figure_svg(figure)))
    if drawing is None:  # svglib returns None only for unreadable SVG, which matplotlib does not write
        raise ValueError("matplotlib produced an SVG that svglib cannot read")
    if width is not None and drawing.width:
        scale = width / drawing.width
        drawing.width, drawing.height = drawing.width * scale, drawing.height * scale
        drawing.scale(scale, scale)
    return drawing

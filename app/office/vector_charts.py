"""Charts that stay sharp on paper: matplotlib figures as vector flowables, PNG and SVG.

matplotlib draws the chart on a plain `Figure` (no pyplot, no GUI backend, so it is
safe in a worker thread), straight into a reportlab `Drawing` (a small renderer
here), which a PDF (report, letter, meeting pack) places as vectors, never as a
screenshot. Text stays text (`svg.fonttype = none`), so a printed chart reads as
well as the page around it. Everything happens in memory (BytesIO): no
temporary files with case data. Heavy imports happen on first use.
"""

from __future__ import annotations

import threading
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
    """A reportlab Drawing of the figure (vectors), scaled to `width` points if given.

    matplotlib draws straight into the Drawing (the renderer below): no SVG written and parsed
    again by svglib, which with a second layout pass was most of a chart's time in a
    meeting pack. Text stays text, in Helvetica as svglib placed it, anchored as the SVG backend
    anchors it. Hatch patterns are not drawn (nor were they through svglib).
    """
    from matplotlib.backend_bases import FigureCanvasBase
    from matplotlib.cbook import _setattr_cm

    width_pt, height_pt = (float(v) * 72 for v in figure.get_size_inches())
    renderer = _thread_renderer()
    renderer.start(width_pt, height_pt)

    class _Canvas(FigureCanvasBase):
        """The figure's canvas while it draws: the layout engine measures text with our renderer."""

        def get_renderer(self) -> Any:
            return renderer

    previous, engine = figure.canvas, figure.get_layout_engine()
    _Canvas(figure)
    try:
        with _style(), _setattr_cm(figure, dpi=72), _setattr_cm(figure.canvas, _is_saving=True):
            if _one_pass_layout(figure, renderer):
                figure.set_layout_engine("none")  # laid out already; "none" keeps it switchable back
            figure.draw(renderer)
    finally:
        figure.set_layout_engine(engine)
        figure.set_canvas(previous)
    drawing = renderer.drawing
    if width is not None and drawing.width:
        scale = width / drawing.width
        drawing.width, drawing.height = drawing.width * scale, drawing.height * scale
        drawing.scale(scale, scale)
    return drawing


def _one_pass_layout(figure: Figure, renderer: Any) -> bool:
    """Constrained layout of a one-chart figure in one measuring pass; False where it does not apply.

    matplotlib's constrained layout measures the chart twice (then draws it a third time): two
    thirds of a chart's time. With one Axes and nothing at figure level, its result is the axes
    moved so that its tight box (ticks, labels, title, legend) sits the layout's padding inside
    the figure: one measurement gives that. Anything else keeps matplotlib's own layout.
    """
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    engine = figure.get_layout_engine()
    if not isinstance(engine, ConstrainedLayoutEngine) or len(figure.axes) != 1:
        return False
    params = engine.get()
    if tuple(params.get("rect", (0, 0, 1, 1))) != (0, 0, 1, 1) or params.get("compress"):
        return False
    if figure.legends or figure.texts or figure.images or figure.subfigs or figure.artists:
        return False
    if any(getattr(figure, name, None) is not None for name in ("_suptitle", "_supxlabel", "_supylabel")):
        return False
    axes = figure.axes[0]
    if axes.get_subplotspec() is None or not axes.get_in_layout():
        return False
    width, height = (float(v) for v in figure.get_size_inches())
    box = axes.get_tightbbox(renderer, for_layout_only=True)
    if box is None:
        return False
    box = box.transformed(figure.transFigure.inverted())
    position = axes.get_position()
    w_pad, h_pad = params["w_pad"] / width, params["h_pad"] / height
    left = w_pad + position.x0 - box.x0
    right = w_pad + box.x1 - position.x1
    bottom = h_pad + position.y0 - box.y0
    top = h_pad + box.y1 - position.y1
    if left + right >= 1 or bottom + top >= 1:  # no room for the chart: let matplotlib say so its own way
        return False
    axes.set_position((left, bottom, 1 - left - right, 1 - bottom - top))
    return True


_RENDERER_CLASS: Any = None
_THREAD = threading.local()


def _thread_renderer() -> Any:
    """One renderer per thread, reused chart after chart: matplotlib caches text measurements per
    renderer, and a pack's charts measure the same tick labels and titles' fonts again and again.
    (Measurements of strings and fonts only, in memory; never any chart's content or picture.)"""
    global _RENDERER_CLASS
    if _RENDERER_CLASS is None:  # made on first use: matplotlib and reportlab load only when a chart is drawn
        _RENDERER_CLASS = _make_renderer_class()
    renderer = getattr(_THREAD, "renderer", None)
    if renderer is None:
        renderer = _THREAD.renderer = _RENDERER_CLASS()
    return renderer


def _make_renderer_class() -> Any:
    import numpy as np
    from matplotlib import font_manager
    from matplotlib.backend_bases import RendererBase
    from matplotlib.path import Path as MplPath
    from reportlab.graphics.shapes import Drawing, Group, Path, String
    from reportlab.lib.colors import Color

    from app.office.pdf_styles import font_for

    joins = {"miter": 0, "round": 1, "bevel": 2}
    caps = {"butt": 0, "round": 1, "projecting": 2}

    def colour(rgb: Any) -> Any:
        return Color(float(rgb[0]), float(rgb[1]), float(rgb[2]))

    class DrawingRenderer(RendererBase):
        """matplotlib's drawing primitives as reportlab shapes, in points (72 dpi), y up."""

        def __init__(self) -> None:
            super().__init__()
            self.start(0.0, 0.0)

        def start(self, width: float, height: float) -> None:
            """Begin a new chart of this size (points)."""
            self.width, self.height = width, height
            self.drawing = Drawing(width, height)
            self._clip_key: Any = None
            self._target: Any = self.drawing

        def flipy(self) -> bool:
            return False

        def get_canvas_width_height(self) -> tuple[float, float]:
            return self.width, self.height

        def points_to_pixels(self, points: Any) -> Any:
            return points

        def option_image_nocomposite(self) -> bool:
            return True

        def _add(self, gc: Any, shape: Any) -> None:
            """Add a shape inside a group clipped as the graphics context says (shared while it stays the same)."""
            rect = gc.get_clip_rectangle()
            clip_path, clip_transform = gc.get_clip_path()
            key = (
                tuple(np.round(rect.bounds, 4)) if rect is not None else None,
                (id(clip_path), tuple(np.round(clip_transform.get_matrix().ravel(), 4)))
                if clip_path is not None
                else None,
            )
            if key == (None, None):
                self._clip_key, self._target = None, self.drawing
                self.drawing.add(shape)
                return
            if key != self._clip_key:
                group = Group()
                if rect is not None:
                    x, y, w, h = rect.bounds
                    box = Path(strokeColor=None, fillColor=None, isClipPath=1)
                    box.moveTo(x, y)
                    box.lineTo(x + w, y)
                    box.lineTo(x + w, y + h)
                    box.lineTo(x, y + h)
                    box.closePath()
                    group.add(box)
                if clip_path is not None:
                    outline = self._path(clip_path, clip_transform, clip=False)
                    outline.isClipPath = 1
                    outline.strokeColor = outline.fillColor = None
                    group.add(outline)
                self.drawing.add(group)
                self._clip_key, self._target = key, group
            self._target.add(shape)

        def _path(self, path: Any, transform: Any, clip: bool, simplify: bool = False) -> Any:
            points: list[float] = []
            operators: list[int] = []
            last = (0.0, 0.0)
            for vertices, code in path.iter_segments(
                transform,
                remove_nans=True,
                clip=(0.0, 0.0, self.width, self.height) if clip else None,
                simplify=simplify,
            ):
                if code == MplPath.MOVETO:
                    points += (float(vertices[0]), float(vertices[1]))
                    operators.append(0)
                    last = (float(vertices[0]), float(vertices[1]))
                elif code == MplPath.LINETO:
                    points += (float(vertices[0]), float(vertices[1]))
                    operators.append(1)
                    last = (float(vertices[0]), float(vertices[1]))
                elif code == MplPath.CURVE3:  # quadratic: the cubic with the same shape
                    cx, cy, x, y = (float(v) for v in vertices)
                    points += (
                        last[0] + 2 / 3 * (cx - last[0]),
                        last[1] + 2 / 3 * (cy - last[1]),
                        x + 2 / 3 * (cx - x),
                        y + 2 / 3 * (cy - y),
                        x,
                        y,
                    )
                    operators.append(2)
                    last = (x, y)
                elif code == MplPath.CURVE4:
                    points += (float(v) for v in vertices)
                    operators.append(2)
                    last = (float(vertices[4]), float(vertices[5]))
                elif code == MplPath.CLOSEPOLY:
                    operators.append(3)
            return Path(points, operators)

        def draw_path(self, gc: Any, path: Any, transform: Any, rgbFace: Any = None) -> None:
            clip = rgbFace is None and gc.get_hatch_path() is None
            shape = self._path(path, transform, clip, simplify=bool(path.should_simplify and clip))
            forced = gc.get_forced_alpha()
            if rgbFace is not None:
                shape.autoclose = "svg"  # filled even where the path is not closed (mesh cells), as SVG fills
                shape.fillColor = colour(rgbFace)
                alpha = gc.get_alpha() if forced else (rgbFace[3] if len(rgbFace) > 3 else 1.0)
                if alpha != 1:
                    shape.fillOpacity = float(alpha)
            else:
                shape.fillColor = None
            stroke = gc.get_rgb()
            stroke_alpha = gc.get_alpha() if forced else stroke[3]
            width = gc.get_linewidth()
            if width > 0 and stroke_alpha > 0:
                shape.strokeColor = colour(stroke)
                if stroke_alpha != 1:
                    shape.strokeOpacity = float(stroke_alpha)
                shape.strokeWidth = float(width)
                shape.strokeLineJoin = joins.get(gc.get_joinstyle(), 0)
                shape.strokeLineCap = caps.get(gc.get_capstyle(), 0)
                offset, dashes = gc.get_dashes()
                if dashes is not None and len(dashes):
                    shape.strokeDashArray = (float(offset or 0), [float(d) for d in dashes])
            else:
                shape.strokeColor = None
            if shape.fillColor is None and shape.strokeColor is None:
                return
            self._add(gc, shape)

        def draw_text(
            self, gc: Any, x: float, y: float, s: str, prop: Any, angle: float, ismath: Any = False, mtext: Any = None
        ) -> None:
            if ismath:  # mathtext: its glyphs as outlines (our charts escape "$", so this is rare)
                super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)  # the base class draws outlines
                return
            weight = font_manager.weight_dict.get(prop.get_weight(), prop.get_weight())
            bold = int(weight) >= 600
            italic = prop.get_style() != "normal"
            font = (
                "Helvetica" + ("-" if bold or italic else "") + ("Bold" if bold else "") + ("Oblique" if italic else "")
            )
            anchor = "start"
            if mtext is not None and (angle == 0 or mtext.get_rotation_mode() == "anchor"):
                # as matplotlib's SVG backend: anchor at the text's own position, aligned by the
                # viewer, so a font with other widths than matplotlib measured stays centred
                ax, ay = mtext.get_transform().transform(mtext.get_unitless_position())
                radians = np.deg2rad(angle)
                along = (np.sin(radians), np.cos(radians))
                offset = along[0] * (x - ax) + along[1] * (ay - y)  # in the SVG backend's y-down terms
                x, y = ax + offset * along[0], ay - offset * along[1]
                anchor = {"left": "start", "right": "end", "center": "middle"}[mtext.get_ha()]
            alpha = gc.get_alpha() if gc.get_forced_alpha() else gc.get_rgb()[3]
            text = String(
                0 if angle else float(x),
                0 if angle else float(y),
                s,
                fontName=font_for(s, font),  # an agency's name can hold letters Helvetica lacks
                fontSize=float(prop.get_size_in_points()),
                fillColor=colour(gc.get_rgb()),
                textAnchor=anchor,
            )
            if alpha != 1:
                text.fillOpacity = float(alpha)
            if angle:
                group = Group(text)
                group.translate(float(x), float(y))
                group.rotate(float(angle))
                self._add(gc, group)
            else:
                self._add(gc, text)

    return DrawingRenderer

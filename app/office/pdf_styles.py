"""One look for the workbench's generated PDF pages (reports, letters, meeting-pack papers).

Paragraph and table styles on portrait or landscape A4, so that a Section 11
report, a data report and the action log read as one document when a meeting
pack puts them together. reportlab is imported on first use.

Text is set in the PDF base fonts (Helvetica), which draw only the WinAnsi letters: "Łukasz" or
"Dvořák" came out with black boxes or "?". Letters outside WinAnsi are drawn in DejaVu Sans,
embedded (only the glyphs used), the way a browser falls back glyph by glyph: `markup` for
Paragraph text, `font_for` for text drawn straight on a canvas. The font files are the ones
matplotlib (a dependency) ships, so no system font is needed. Text WinAnsi covers is laid out
exactly as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

MM = 72 / 25.4
#: Tables longer than this flow on from the page their heading is on (see `grid_table`).
_ROWS_KEPT_WITH_HEADING = 8
#: ...but start on the page of their heading with at least this many rows (`heading_kept_with_table`)
_ROWS_UNDER_HEADING = 2
#: margins of every generated page; the top and bottom leave room for the marking and "Page x of y"
MARGINS = {"left": 18 * MM, "right": 18 * MM, "top": 18 * MM, "bottom": 16 * MM}


#: the embedded fallback fonts (registered on first use by `register_fonts`)
SANS = "WB-Sans"
SANS_BOLD = "WB-Sans-Bold"
_FONT_FILES = {SANS: "DejaVuSans.ttf", SANS_BOLD: "DejaVuSans-Bold.ttf"}


def _font_folder() -> str:
    """matplotlib's own TrueType folder (mpl-data/fonts/ttf), found without importing matplotlib."""
    import importlib.util
    import os

    spec = importlib.util.find_spec("matplotlib")
    if spec is not None and spec.submodule_search_locations:
        folder = os.path.join(list(spec.submodule_search_locations)[0], "mpl-data", "fonts", "ttf")
        if os.path.isdir(folder):
            return folder
    import matplotlib

    return os.path.join(matplotlib.get_data_path(), "fonts", "ttf")


@lru_cache(maxsize=1)
def register_fonts() -> None:
    """Register the embedded fonts with reportlab once (bold as the family's bold, for <b> in markup)."""
    import os

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = _font_folder()
    for name, filename in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, os.path.join(folder, filename)))
    pdfmetrics.registerFontFamily(SANS, normal=SANS, bold=SANS_BOLD, italic=SANS, boldItalic=SANS_BOLD)


@lru_cache(maxsize=4096)
def base_font_draws(text: str) -> bool:
    """Whether the PDF base fonts (WinAnsi) draw every letter of `text`."""
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def _is_bold(font_name: str) -> bool:
    return "Bold" in font_name


def font_for(text: str, font_name: str) -> str:
    """The font to draw `text` in on a canvas: `font_name` (a base font) where it draws every letter,
    else the embedded font of the same weight."""
    if base_font_draws(text):
        return font_name
    register_fonts()
    return SANS_BOLD if _is_bold(font_name) else SANS


def drawn_width(text: str, font_name: str, size: float) -> float:
    """How wide `text` is drawn: letters the base font cannot draw are measured in the embedded font
    that `markup` and `font_for` draw them in, not in the base font's width for a missing letter."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if base_font_draws(text):
        return float(stringWidth(text, font_name, size))
    register_fonts()
    fallback = SANS_BOLD if _is_bold(font_name) else SANS
    return float(sum(stringWidth(c, font_name if base_font_draws(c) else fallback, size) for c in text))


def markup(text: str, style: Any = None) -> str:
    """Plain text as Paragraph markup: escaped (text from users is never markup), line breaks kept, and
    each run of letters the base fonts cannot draw set in the embedded font of the style's weight."""
    escaped = escape(text).replace("\n", "<br/>")
    if base_font_draws(text):
        return escaped
    register_fonts()
    face = SANS_BOLD if style is not None and _is_bold(style.fontName) else SANS
    out: list[str] = []
    run: list[str] = []
    for char in escaped:
        if base_font_draws(char):
            if run:
                out.append(f'<font face="{face}">{"".join(run)}</font>')
                run = []
            out.append(char)
        else:
            run.append(char)
    if run:
        out.append(f'<font face="{face}">{"".join(run)}</font>')
    return "".join(out)


@dataclass(frozen=True)
class Styles:
    title: Any
    heading: Any
    subheading: Any
    body: Any
    small: Any
    cell: Any
    cell_bold: Any


@lru_cache(maxsize=1)
def styles() -> Styles:
    from reportlab.lib.styles import getSampleStyleSheet

    base = getSampleStyleSheet()
    body = base["BodyText"].clone("wb-body", fontName="Helvetica", fontSize=9.5, leading=12.5, spaceAfter=4)
    return Styles(
        title=base["Title"].clone("wb-title", fontSize=17, leading=21, spaceAfter=8),
        heading=base["Heading2"].clone(
            "wb-heading", fontSize=13, leading=16, spaceBefore=8, spaceAfter=4, keepWithNext=1
        ),
        subheading=base["Heading3"].clone(
            "wb-subheading", fontSize=10.5, leading=13, spaceBefore=6, spaceAfter=3, keepWithNext=1
        ),
        body=body,
        small=body.clone("wb-small", fontSize=8, leading=10),
        cell=body.clone("wb-cell", fontSize=7.5, leading=9, spaceAfter=0),
        cell_bold=body.clone("wb-cell-bold", fontName="Helvetica-Bold", fontSize=7.5, leading=9, spaceAfter=0),
    )


def para(text: str, style: Any = None) -> Any:
    """A Paragraph of plain text: escaped (text from users is never markup), line breaks kept."""
    from reportlab.platypus import Paragraph

    style = style or styles().body
    return Paragraph(markup(text, style), style)


#: a table cell's default left plus right padding (reportlab's TableStyle), points
_CELL_PADDING = 12.0
#: no Helvetica glyph is wider than this many ems ("@" is 1.015), so shorter text needs no measuring
_WIDEST_GLYPH = 1.02


def _cell(text: str, style: Any, width: float) -> Any:
    """The text itself where it fits on one line, else a wrapping Paragraph.

    A plain string cell is drawn as one line in the table's FONT (the style's font, size and
    leading, so it looks the same as a one-line Paragraph) at a fraction of the cost: a long
    table of short cells was most of the time of laying out a report.
    """
    room = width - _CELL_PADDING
    if not base_font_draws(text):  # a plain cell is drawn in the table's base font: as markup, with its fallback
        return para(text, style)
    if text == " ".join(text.split()) and len(text) * style.fontSize * _WIDEST_GLYPH > room:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        fits = stringWidth(text, style.fontName, style.fontSize) <= room
    else:
        fits = text == " ".join(text.split())  # as a Paragraph shows it: one line, spaces collapsed
    return text if fits else para(text, style)


_PRINTABLE = frozenset(chr(code) for code in range(32, 127))
_PLAIN_CELL_TABLE: Any = None


def _plain_cell_table() -> Any:
    """LongTable drawing a one-line plain-ASCII cell as the very operators `canvas.drawString` writes,
    without building a text object per cell (most of a long table's drawing time)."""
    global _PLAIN_CELL_TABLE
    if _PLAIN_CELL_TABLE is not None:
        return _PLAIN_CELL_TABLE
    from reportlab.lib.rl_accel import escapePDF, fp_str
    from reportlab.platypus import LongTable

    def current_style(table: Any) -> Any:
        return table._curcellstyle

    class PlainCellTable(LongTable):
        def _drawCell(self, cellval: Any, cellstyle: Any, pos: Any, size: Any) -> None:
            if not (
                type(cellval) is str
                and _PRINTABLE.issuperset(cellval)
                and cellstyle.alignment == "LEFT"
                and cellstyle.valign == "TOP"
                and not (cellstyle.href or cellstyle.destination or cellstyle.direction or cellstyle.shaping)
            ):
                super()._drawCell(cellval, cellstyle, pos, size)
                return
            canvas = self.canv
            if current_style(self) is not cellstyle:  # as LongTable: change colour and font only when they change
                current = current_style(self)
                if current is None or cellstyle.color != current.color:
                    canvas.setFillColor(cellstyle.color)
                if (
                    current is None
                    or cellstyle.leading != current.leading
                    or cellstyle.fontname != current.fontname
                    or cellstyle.fontsize != current.fontsize
                ):
                    canvas.setFont(cellstyle.fontname, cellstyle.fontsize, cellstyle.leading)
                self._curcellstyle = cellstyle
            x = pos[0] + cellstyle.leftPadding
            y = pos[1] + size[1] - cellstyle.topPadding - cellstyle.fontsize
            canvas._code.append(f"BT 1 0 0 1 {fp_str(x, y)} Tm ({escapePDF(cellval)}) Tj T* ET")

        def split(self, availWidth: float, availHeight: float) -> list[Any]:
            """Between rows, as ever; inside a row only where the row at the top is itself taller than a
            whole page (a long commentary in one cell): moved to a new page it still would not fit, and
            the document was refused ("Flowable too large"). Every other row goes whole to the next page,
            so the permission is given for this one split and taken back from what remains."""
            parts: list[Any] = super().split(availWidth, availHeight)
            if parts or self.__dict__.get("splitInRow"):  # a table made to split inside any row
                return parts
            frame = self._doctemplateAttr("frame")
            page = frame._aH if frame is not None else availHeight
            header, rows = self._rowHeights[: self.repeatRows], self._rowHeights[self.repeatRows :]
            if rows and sum(header) + rows[0] > page:
                self.splitInRow = 1
                try:
                    parts = super().split(availWidth, availHeight)
                finally:
                    self.splitInRow = 0
                for part in parts:
                    part.splitInRow = 0
            return parts

    _PLAIN_CELL_TABLE = PlainCellTable
    return PlainCellTable


def fitted_widths(rows: list[list[str]], width: float, *, header_rows: int = 1, cap: float = 0.45) -> list[float]:
    """Column widths for `grid_table` from what the cells hold: no column narrower than its longest
    word (a code like CONF-ATTEND or a heading like Quarter is never broken mid-word while room
    is left), the rest shared by how much more each column's text wants, no column over `cap`.

    Fixed fractions broke "Housing" into "Housin g" in one report and wasted half a page in the
    next: the width a column needs is only known from its text."""
    least, widest = _measured(rows, header_rows)
    wanted = [min(w, cap * width) for w in widest]
    least = [min(w, cap * width) for w in least]
    if sum(least) >= width:  # even the longest words do not fit: share the page by them
        return [width * w / sum(least) for w in least]
    extra = [max(0.0, w - m) for w, m in zip(wanted, least, strict=True)]
    room = width - sum(least)
    if sum(extra) <= room:  # everything fits on one line: spread what is left evenly by the text
        total = sum(wanted) or 1.0
        return [m + e + (room - sum(extra)) * w / total for m, e, w in zip(least, extra, wanted, strict=True)]
    return [m + room * e / sum(extra) for m, e in zip(least, extra, strict=True)]


def weighted_widths(rows: list[list[str]], width: float, weights: list[float], *, header_rows: int = 1) -> list[float]:
    """Column widths for `grid_table` sharing `width` by `weights` (a detail column wide, a status narrow),
    as the chronology's panel PDF does: none narrower than its longest word (its heading's in bold), none
    wider than its widest cell on one line while another column could use the room, what is left going
    to the columns that wrap. `fitted_widths` shares by how much text there is, so a column of long
    names took the room a column of sentences needed; where even the longest words do not fit, the page
    is shared by them."""
    least, widest = _measured(rows, header_rows)
    if sum(least) >= width:
        return [width * w / sum(least) for w in least]
    wraps = [top > low for top, low in zip(widest, least, strict=True)]
    return share_by_weight(weights, least, widest, width, wraps)


def _measured(rows: list[list[str]], header_rows: int) -> tuple[list[float], list[float]]:
    """Each column's longest word and widest cell on one line, drawn with the cell padding, points."""
    look = styles()
    columns = max((len(row) for row in rows), default=0)
    least, widest = [0.0] * columns, [0.0] * columns
    for index, row in enumerate(rows):
        style = look.cell_bold if index < header_rows else look.cell
        for column, text in enumerate(row):
            words = str(text).split() or [""]
            longest = max(drawn_width(w, style.fontName, style.fontSize) for w in words)
            least[column] = max(least[column], longest + _CELL_PADDING)
            whole = drawn_width(" ".join(words), style.fontName, style.fontSize) + _CELL_PADDING
            widest[column] = max(widest[column], whole)
    return least, widest


def share_by_weight(
    weights: list[float], low: list[float], high: list[float], total: float, wraps: list[bool]
) -> list[float]:
    """``total`` shared by ``weights``, each share kept between its ``low`` and ``high`` (sum(low) <= total).

    Shares under their low are raised to it first, then shares over their high lowered to it (which only
    gives the others more), until the rest fit; room left once every column is at its high goes to the
    columns that ``wraps`` marks (any, if none is), by weight."""
    fixed: dict[int, float] = {}
    while len(fixed) < len(weights):
        free = [i for i in range(len(weights)) if i not in fixed]
        room = total - sum(fixed.values())
        weight = sum(weights[i] for i in free)
        share = {i: room * weights[i] / weight for i in free}
        under = {i: low[i] for i in free if share[i] < low[i]}
        over = {i: high[i] for i in free if share[i] > high[i]}
        fixed.update(under or over or share)
    widths = [fixed[i] for i in range(len(weights))]
    left = max(0.0, total - sum(widths))  # a rounding error below zero would take a hair off each column's least
    growing = [i for i in range(len(weights)) if wraps[i]] or list(range(len(weights)))
    weight = sum(weights[i] for i in growing)
    for i in growing:
        widths[i] += left * weights[i] / weight
    return widths


def grid_table(
    rows: list[list[str]],
    widths: list[float],
    *,
    header_rows: int = 1,
    cell_colours: dict[tuple[int, int], str] | None = None,
) -> Any:
    """A table of plain-text cells with a grey grid and a repeated header row.

    `cell_colours` maps (column, row) to "#rrggbb" backgrounds; colour is never the
    only signal, so the cell's own text must say the same (e.g. "Red").
    """
    from reportlab.lib import colors
    from reportlab.platypus import TableStyle

    look = styles()
    data = [
        [
            _cell(cell, look.cell_bold if index < header_rows else look.cell, widths[column])
            for column, cell in enumerate(row)
        ]
        for index, row in enumerate(rows)
    ]
    commands: list[Any] = [
        # what plain-text cells are drawn in (the same font, size and leading as the Paragraph cells)
        ("FONT", (0, 0), (-1, -1), look.cell.fontName, look.cell.fontSize, look.cell.leading),
        (
            "FONT",
            (0, 0),
            (-1, header_rows - 1),
            look.cell_bold.fontName,
            look.cell_bold.fontSize,
            look.cell_bold.leading,
        ),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#eeeeee")),
    ]
    for (column, row), colour in (cell_colours or {}).items():
        commands.append(("BACKGROUND", (column, row), (column, row), colors.HexColor(colour)))
    table = _plain_cell_table()(data, colWidths=widths, repeatRows=header_rows)
    table.setStyle(TableStyle(commands))
    if len(rows) - header_rows > _ROWS_KEPT_WITH_HEADING:
        # A heading keeps with what follows by joining it in a KeepTogether, and a KeepTogether
        # taller than the space left starts a new page: a long table would leave its page
        # blank below the heading before it. Out of the group, the table splits across pages
        # where it stands (its header row repeated). The cost: a heading in the last lines of a
        # page can stand there alone, which reads better than a blank half page.
        table.locChanger = True
    return table


def heading_kept_with_table(
    heads: list[Any],
    rows: list[list[str]],
    widths: list[float],
    *,
    header_rows: int = 1,
    cell_colours: dict[tuple[int, int], str] | None = None,
) -> list[Any]:
    """`heads` (a heading, a note under it) and then `grid_table(rows, widths)`, never the heads alone at
    the foot of a page.

    The heading's keepWithNext would not do: a long table flows on from where it stands (see `grid_table`)
    and a table taller than the page (a row of long commentary) sent its heading and the page's rest
    blank ahead of it. Instead a conditional page break goes before the heads, measured where it stands:
    the page breaks unless what is left of it holds the heads, the table's header and its first rows (a
    short table: all of it, as keepWithNext did; a row taller than a page: a third of a page of it, the
    row going on overleaf).
    """
    table = grid_table(rows, widths, header_rows=header_rows, cell_colours=cell_colours)
    table.locChanger = True  # kept with its heads by the break below, not by keepWithNext
    body = len(rows) - header_rows
    shown = header_rows + (body if body <= _ROWS_KEPT_WITH_HEADING else _ROWS_UNDER_HEADING)
    start = grid_table(
        rows[:shown],
        widths,
        header_rows=header_rows,
        cell_colours={key: colour for key, colour in (cell_colours or {}).items() if key[1] < shown},
    )
    return [_room_for()(heads, start, header_rows), *heads, table]


_ROOM_FOR: Any = None


def _room_for() -> Any:
    """A CondPageBreak whose height is what some heads and the start of a table take, measured where it stands."""
    global _ROOM_FOR
    if _ROOM_FOR is not None:
        return _ROOM_FOR
    from reportlab.platypus import CondPageBreak

    class RoomFor(CondPageBreak):
        def __init__(self, heads: list[Any], start: Any, header_rows: int) -> None:
            super().__init__(0)
            self.heads, self.start, self.header_rows = heads, start, header_rows

        def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
            frame = self._doctemplateAttr("frame")
            if frame is None or frame._atTop:
                return 0, 0  # at the top of a page a break would only leave the page blank
            page = frame._aH
            need = sum(f.wrap(availWidth, page)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in self.heads)
            self.start.wrap(availWidth, page)
            for row, height in enumerate(self.start._rowHeights):
                if row >= self.header_rows and height > page:  # split inside its row wherever it stands
                    need += page / 3
                    break
                need += height
            self.height = min(need, page)  # more than a page: a break would leave one blank
            result: tuple[float, float] = super().wrap(availWidth, availHeight)
            return result

    _ROOM_FOR = RoomFor
    return RoomFor

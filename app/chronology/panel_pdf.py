"""The chronology as a panel reads it: a landscape PDF of the chosen columns and filtered rows.

What a panel needs beside the table, in the order it reads them: the review,
the version and a DRAFT or FINAL marking (on every page, with
OFFICIAL-SENSITIVE and "Page x of y"), a key to the agency abbreviations, the
key practice episodes, the findings, and the child's own words. The reading
view in the GUI builds its grid with ``reading_grid`` too, so the paper shows
exactly the rows and columns the screen shows.

Anonymised documents pass the same gates as every anonymised export (names
decided, identifying-looking findings resolved) and every text, episodes and
findings included, goes through the review's name finder first.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from app.chronology.anonymise import Anonymiser
from app.chronology.exports import COLUMNS, _row_cells
from app.chronology.people import require_anonymisable
from app.chronology.rows import DATE_MARKS_KEY, NBSP, EntryRow, RowFilter, date_label, filter_rows, load_rows
from app.errors import InvalidInput
from app.office.pdf_pages import MARKING, SIDE_MARGIN, landscape_document, numbered_canvas
from app.office.pdf_styles import MM, markup, para, share_by_weight, styles
from app.reviews.analysis import list_episodes, list_findings
from app.reviews.register import get_review
from app.store.user_files import write_user_file
from app.text import noun_for
from db.base import live
from db.models.core import Agency

#: What a panel usually reads; every name of ``COLUMNS`` may be chosen, in any order.
PANEL_COLUMNS: tuple[str, ...] = (
    "Date",
    "Agency",
    "Source of information",
    "Event / contact",
    "Child's voice",
    "Action / outcome",
    "Significant",
)
#: Relative widths on the page (text columns wide, flags narrow).
COLUMN_WEIGHTS: dict[str, float] = {
    "Seq": 0.45,
    "Date": 0.95,
    "Time": 0.55,
    "End": 0.9,
    "Agency": 0.75,
    "Source of information": 1.2,
    "Event / contact": 3.2,
    "Child seen": 0.6,
    "Child's voice": 1.6,
    "Action / outcome": 1.9,
    "Agency analysis": 1.9,
    "Reviewer comment": 1.7,
    "Significant": 0.8,
    "Age": 0.7,
    "Episodes": 0.8,
}
#: Columns whose cells are never broken inside (a date, a time, an age): "25/06/2\n021" read as nonsense,
#: and a "(month only)" set on the next line reads as a note on nothing.
UNBROKEN_COLUMNS = frozenset({"Seq", "Date", "Time", "End", "Age"})
#: A word of free text wider than this (points; a web address, say) may be broken, so that one cell
#: cannot take the room of the other columns; "safeguarding" or "practitioner" fit well within it.
LONGEST_WORD = 56.0
#: reportlab's default cell padding, left and right, points
_PADDING = 12.0


@dataclass(frozen=True)
class PanelOptions:
    """The reader's choices: columns in order, the rows kept, anonymised or not, version and marking."""

    columns: tuple[str, ...] = PANEL_COLUMNS
    row_filter: RowFilter = RowFilter()
    anonymised: bool = False
    version: str = "1"
    final: bool = False
    produced_on: date | None = None

    @property
    def marking(self) -> str:
        return "FINAL" if self.final else "DRAFT"


@dataclass
class PanelContent:
    reference: str
    title: str
    subject: str
    options: PanelOptions
    header: list[str]
    rows: list[list[str]]
    agencies: list[tuple[str, str]] = field(default_factory=list)
    episodes: list[tuple[str, str, str]] = field(default_factory=list)  # (number, title and period, summary)
    findings: list[tuple[str, str]] = field(default_factory=list)  # (number and title, text)
    voices: list[tuple[str, str, str]] = field(default_factory=list)  # (date, agency, words)
    total_entries: int = 0


def check_columns(columns: Sequence[str]) -> tuple[str, ...]:
    unknown = [c for c in columns if c not in COLUMNS]
    if unknown:
        raise InvalidInput(
            f"Unknown {noun_for(len(unknown), 'column')} {', '.join(map(repr, unknown))}; "
            f"choose from {', '.join(COLUMNS)}."
        )
    if not columns:
        raise InvalidInput("Choose at least one column to print.")
    if len(set(columns)) != len(columns):
        raise InvalidInput("A column is chosen twice.")
    return tuple(columns)


def reading_grid(rows: Sequence[EntryRow], columns: Sequence[str], episode_numbers: dict[str, int]) -> list[list[str]]:
    """The cell texts of ``rows`` in ``columns``: what the reading view shows and the PDF prints."""
    index = [COLUMNS.index(c) for c in check_columns(columns)]
    grid = []
    for row in rows:
        cells = _row_cells(row, episode_numbers)
        if cells[COLUMNS.index("Significant")] == "Yes":
            cells[COLUMNS.index("Significant")] = "Significant"
        grid.append([cells[i] for i in index])
    return grid


def collect_panel(session: Session, review_uuid: str, options: PanelOptions) -> PanelContent:
    """Everything the panel document shows, anonymised when asked (after the export gates)."""
    review = get_review(session, review_uuid)
    columns = check_columns(options.columns)
    anonymiser = None
    if options.anonymised:
        require_anonymisable(session, review.uuid)
        anonymiser = Anonymiser.for_review(session, review.uuid)
    clean: Callable[[str | None], str] = anonymiser.apply if anonymiser else (lambda t: t or "")
    rows = load_rows(session, review.uuid, anonymiser=anonymiser)
    kept = [rows[i] for i in filter_rows(rows, options.row_filter)]
    episodes = list_episodes(session, review.uuid)
    numbers = {e.uuid: e.number for e in episodes}
    used_agencies = {r.agency_uuid for r in kept}
    agencies = sorted((a.short_name, a.name) for a in session.scalars(live(Agency)) if a.uuid in used_agencies)

    def period(e: Any) -> str:
        start, end = e.period_from, e.period_to
        if not (start or end):
            return ""
        return (
            f" ({start:%d/%m/%Y} to {end:%d/%m/%Y})"
            if start and end
            else f" (from {start:%d/%m/%Y})"
            if start
            else f" (to {end:%d/%m/%Y})"
        )

    return PanelContent(
        reference=review.reference,
        title=clean(review.title),
        subject=clean(review.subject_pseudonym),
        options=options,
        header=list(columns),
        rows=reading_grid(kept, columns, numbers),
        agencies=agencies,
        episodes=[(f"KPE {e.number}", clean(e.title) + period(e), clean(e.description)) for e in episodes],
        findings=[
            (f"Finding {f.number}: {clean(f.title)}", clean(f.text)) for f in list_findings(session, review.uuid)
        ],
        voices=[
            (date_label(r.date_text, r.date.precision), r.agency, r.child_voice_note)
            for r in kept
            if r.child_voice_note.strip()
        ],
        total_entries=len(rows),
    )


def _filter_note(content: PanelContent) -> str:
    wanted = content.options.row_filter
    parts = []
    if wanted.agencies:
        parts.append("some agencies only")
    if wanted.significant_only:
        parts.append("significant events only")
    if wanted.date_from or wanted.date_to:
        parts.append(
            (
                "dates "
                + (f"from {wanted.date_from:%d/%m/%Y} " if wanted.date_from else "")
                + (f"to {wanted.date_to:%d/%m/%Y}" if wanted.date_to else "")
            ).strip()
        )
    if wanted.text.strip():
        parts.append(f"entries containing {wanted.text.strip()!r}")
    if wanted.episode_uuid:
        parts.append("one key practice episode")
    if wanted.child_seen is not None:
        parts.append("child seen" if wanted.child_seen else "child not seen")
    shown = f"{len(content.rows)} of {content.total_entries} entries"
    return shown + (f" ({'; '.join(parts)})" if parts else "")


def unbroken(text: str) -> str:
    """A date cell with its spaces made non-breaking ("c. November 2021 (month only)"): one line, mark and all."""
    return NBSP.join(text.split())


def chronology_widths(header: Sequence[str], rows: Sequence[Sequence[str]], usable: float) -> list[float]:
    """Column widths (points) filling ``usable``: no column narrower than its longest unbroken text.

    A column is at least as wide as the longest word of its heading (in bold) and of its cells, dates,
    times and sequence numbers whole (``UNBROKEN_COLUMNS``); a word of free text counts up to
    ``LONGEST_WORD`` only, and less still where the page needs it. What is left is shared by
    ``COLUMN_WEIGHTS``, no column made wider than its widest cell needs while another could use the room:
    a column empty in every row keeps only its heading's width. Relative weights alone broke "Police"
    into "Polic e" and set "Seq" one letter a line once all 15 columns were chosen.

    Refused, with how many of the columns would fit, when even those least widths exceed the page.
    """
    from app.office.pdf_styles import drawn_width

    look = styles()

    def width(text: str, bold: bool = False) -> float:
        style = look.cell_bold if bold else look.cell
        return drawn_width(text, style.fontName, style.fontSize) + _PADDING

    least, wanted, widest = [], [], []
    for column, name in enumerate(header):
        cells = [row[column] for row in rows if row[column].strip()]
        heading = max(width(word, bold=True) for word in name.split())
        if name in UNBROKEN_COLUMNS:
            fixed = max([heading, *(width(unbroken(cell)) for cell in cells)])
            least.append(fixed)
            wanted.append(fixed)
        else:
            least.append(heading)
            longest = max((width(w) for cell in cells for w in cell.split()), default=0.0)
            wanted.append(max(heading, min(longest, LONGEST_WORD + _PADDING)))
        widest.append(max([least[-1], *(width(" ".join(cell.split())) for cell in cells)]))
    if sum(least) > usable:
        fit, total = 0, 0.0
        for need in least:
            if total + need > usable:
                break
            fit, total = fit + 1, total + need
        raise InvalidInput(
            f"The {len(header)} chosen columns do not fit side by side on a landscape A4 page, even with "
            f"dates and headings kept whole: only the first {fit} of them fit. Choose fewer columns."
        )
    if sum(wanted) > usable:  # long words in free text give way first, each by the same share
        give = (sum(wanted) - usable) / (sum(wanted) - sum(least))
        wanted = [max(m, w - (w - m) * give) for w, m in zip(wanted, least, strict=True)]  # not a hair under
    weights = [COLUMN_WEIGHTS[name] for name in header]
    high = [max(w, top) for w, top in zip(wanted, widest, strict=True)]
    # room left once every column shows its widest cell goes to the text that wraps, not to dates
    wraps = [name not in UNBROKEN_COLUMNS and top > low for name, top, low in zip(header, high, wanted, strict=True)]
    return share_by_weight(weights, wanted, high, usable, wraps)


#: room a section heading needs below it for the first rows of its table, points (about 30 mm)
HEADING_ROOM = 85.0


def render_panel_pdf(content: PanelContent) -> bytes:
    """Landscape A4: a front section (review, key, episodes, findings, child's words), then the table."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import CondPageBreak, KeepTogether, LongTable, PageBreak, Paragraph, Spacer, TableStyle

    look = styles()
    options = content.options
    produced = options.produced_on or date.today()
    page_width, page_height = landscape(A4)
    margin = SIDE_MARGIN
    usable = page_width - 2 * margin
    note = f"{content.reference} · version {options.version} · {options.marking}"

    story: list[object] = [
        Paragraph(markup(f"{content.reference}: {content.title}", look.title), look.title),
        para(
            f"Integrated multi-agency chronology, {content.subject}" + (" (anonymised)" if options.anonymised else ""),
            look.heading,
        ),
        para(
            f"Version {options.version}, {options.marking}. Produced {produced:%d/%m/%Y}. "
            f"Shows {_filter_note(content)}; columns: {', '.join(content.header)}.",
            look.body,
        ),
    ]
    if not options.final:
        story.append(para("DRAFT: for the panel's discussion; not for circulation beyond it.", look.body))

    def headed_table(
        heading: str, header: list[str], rows: Sequence[tuple[str, ...]], shares: list[float]
    ) -> list[object]:
        """A subheading over a table whose columns take these shares of the usable width.

        A long table is not kept whole with its heading (that would leave the rest of the page blank), so
        a new page starts when the heading and the table's first rows would not fit under it."""
        return [
            CondPageBreak(HEADING_ROOM),
            para(heading, look.subheading),
            _simple_table([header, *[list(row) for row in rows]], [usable * share for share in shares]),
        ]

    if content.agencies:
        story += headed_table("Key to agencies", ["Abbreviation", "Agency"], content.agencies, [0.2, 0.5])
    if content.episodes:
        story += headed_table(
            "Key practice episodes", ["Episode", "Title and period", "Summary"], content.episodes, [0.1, 0.3, 0.6]
        )
    if content.findings:
        story += [CondPageBreak(HEADING_ROOM), para("Findings", look.subheading)]
        finding_heading = look.body.clone("wb-finding", fontName="Helvetica-Bold", spaceAfter=1)
        for heading, text in content.findings:  # a finding's heading never stands alone at the foot of a page
            story.append(KeepTogether([para(heading, finding_heading), para(text or "", look.body)]))
    if content.voices:
        story += headed_table(
            "The child's words", ["Date", "Agency", "What the child said"], content.voices, [0.12, 0.1, 0.78]
        )
    story += [PageBreak(), para("Chronology", look.heading), para(DATE_MARKS_KEY, look.small)]
    widths = chronology_widths(content.header, content.rows, usable)
    whole = [name in UNBROKEN_COLUMNS for name in content.header]
    grid = [[para(h, look.cell_bold) for h in content.header]]
    grid += [
        [para(unbroken(text) if keep else text, look.cell) for text, keep in zip(row, whole, strict=True)]
        for row in content.rows
    ]
    if not content.rows:
        grid.append(
            [para("No entries match the chosen filters.", look.cell)]
            + [para("", look.cell)] * (len(content.header) - 1)
        )
    table = LongTable(grid, colWidths=widths, repeatRows=1)
    commands: list[object] = [
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
    ]
    if "Significant" in content.header:  # bold row edge as well as the word: never colour alone
        column = content.header.index("Significant")
        for number, row in enumerate(content.rows, start=1):
            if row[column] == "Significant":
                commands.append(("LINEBEFORE", (0, number), (0, number), 2.5, colors.HexColor("#7a1f1f")))
    table.setStyle(TableStyle(commands))
    story.append(table)
    story.append(Spacer(1, 4 * MM))
    story.append(para(f"End of the chronology: {len(content.rows)} entries.", look.small))

    def watermark(canvas: Any, _doc: object) -> None:  # a reportlab canvas: reportlab has no types
        if options.final:
            return
        canvas.saveState()
        canvas.setFont("Helvetica-Bold", 90)
        canvas.setFillColor(colors.Color(0.75, 0.75, 0.75, alpha=0.25))
        canvas.translate(page_width / 2, page_height / 2)
        canvas.rotate(30)
        canvas.drawCentredString(0, -30, "DRAFT")
        canvas.restoreState()

    buffer = io.BytesIO()
    document = landscape_document(
        buffer, f"{content.reference} chronology, version {options.version} ({options.marking})"
    )
    document.build(
        story,
        onFirstPage=watermark,
        onLaterPages=watermark,
        canvasmaker=numbered_canvas(top_left=note, bottom_left=f"Produced {produced:%d/%m/%Y}"),
    )
    return buffer.getvalue()


def _simple_table(rows: list[list[str]], widths: list[float]) -> object:
    from app.office.pdf_styles import grid_table

    table = grid_table(rows, widths)
    table.hAlign = "LEFT"
    return table


def export_panel_pdf(
    session: Session, review_uuid: str, options: PanelOptions, out: str | Path, *, overwrite: bool = False
) -> Path:
    """Build the panel PDF and write it to the file the user chose."""
    data = render_panel_pdf(collect_panel(session, review_uuid, options))
    return write_user_file(Path(out), data, overwrite=overwrite)


def parse_columns(text: str | Iterable[str]) -> tuple[str, ...]:
    """Columns named on a command line ("Date,Agency,Event / contact"), any case."""
    names = [t.strip() for t in (text.split(",") if isinstance(text, str) else text) if t.strip()]
    lookup = {c.casefold(): c for c in COLUMNS}
    return check_columns([lookup.get(n.casefold(), n) for n in names])


__all__ = [
    "MARKING",
    "PANEL_COLUMNS",
    "PanelOptions",
    "chronology_widths",
    "collect_panel",
    "export_panel_pdf",
    "reading_grid",
    "render_panel_pdf",
    "parse_columns",
]

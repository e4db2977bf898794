"""A meeting pack as one PDF: cover, agenda with start pages, contents, then every paper in order.

How it is made (and why it scales):
1. Every generated report is laid out once by reportlab into one document
   (`_render_reports`); its page ranges are recorded as it is drawn.
2. The front matter (cover, change list, agenda, contents) is laid out by
   reportlab with the start pages it must show; laid out again only if its own
   page count changed the numbers.
3. pikepdf copies the pages (front matter, reports, attached papers) into one
   document, adds the outline (bookmarks) and stamps every page's furniture as
   a short content stream (`app.meetings.stamping`): attached papers keep their
   own content untouched.
4. Both variants (every paper; restricted papers left out) come from the same
   rendered reports, so the second variant costs a merge, not a rebuild, and a
   recipient's copy is a watermark stamp on one of them (`copies.py`).

The same inputs give the same bytes: reportlab runs "invariant" (no dates or
random ids) and pikepdf writes a deterministic document id.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.errors import InvalidInput
from app.meetings.stamping import Furniture, Stamper, furniture_ops

PURPOSES = {"decision": "For decision", "discussion": "For discussion", "information": "For information"}
RESTRICTED_LINE = "restricted item, papers to members only"
#: where a recipient's copy writes "Recipient: NAME" on the cover (points from the bottom left of the A4
#: cover); the master pack leaves the line blank (an empty "Recipient:" label read as a copy missing its name)
COVER_RECIPIENT_X = 18 * 72 / 25.4
COVER_RECIPIENT_Y = 300.0


@dataclass
class PaperSource:
    title: str
    #: "file": `pdf` holds the attached PDF; "report": `flowables()` lays out the generated paper
    kind: str
    pdf: bytes | None = None
    flowables: Callable[[], list[Any]] | None = None
    #: for the change list: the attached file's hash (reports: hash of their rendered pages)
    sha256: str = ""
    #: the paper's identity (its record's uuid), to compare versions
    key: str = ""
    #: the attached file's name, to name it when it cannot be read
    filename: str = ""


@dataclass
class ItemSource:
    number: int
    title: str
    presenter: str = ""
    purpose: str = "discussion"
    minutes: int = 10
    restricted: bool = False
    papers: list[PaperSource] = field(default_factory=list)
    #: the item's identity (its record's uuid), to compare versions
    key: str = ""


@dataclass
class PackInput:
    body: str
    reference: str
    meets_on: date
    start_time: str
    venue: str
    chair: str
    version: int
    pack_id: str
    items: list[ItemSource]
    #: version 2 onwards: what changed since the version before
    changes: list[str] = field(default_factory=list)
    #: the same for the copy without restricted papers, naming no restricted item or paper
    #: (None: `changes` names none)
    open_changes: list[str] | None = None

    def changes_for(self, show_restricted: bool) -> list[str]:
        if show_restricted or self.open_changes is None:
            return self.changes
        return self.open_changes


@dataclass
class Bookmark:
    title: str
    page: int  # 1-based
    children: list[Bookmark] = field(default_factory=list)


@dataclass
class BuiltVariant:
    content: bytes
    page_count: int
    #: item number -> first page of its papers (None: no papers in this variant)
    item_pages: dict[int, int | None]
    #: page (1-based) -> item number (0: front matter)
    page_items: list[int]
    bookmarks: list[Bookmark]
    cover_size: tuple[float, float] = (595.2756, 841.8898)


@dataclass
class BuiltPack:
    full: BuiltVariant
    #: restricted papers left out; None when no item is restricted
    open: BuiltVariant | None
    #: paper (item number, index) -> hash of its pages (for the next version's change list)
    paper_hashes: dict[str, str]

    def variant(self, cleared: bool) -> BuiltVariant:
        return self.full if cleared or self.open is None else self.open


def _date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def meeting_heading(pack: PackInput) -> str:
    when = _date(pack.meets_on) + (f" at {pack.start_time}" if pack.start_time else "")
    return f"{pack.body}, {when}"


def _doc(buffer: io.BytesIO, title: str) -> Any:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    from app.office.pdf_styles import MARGINS

    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        author="Safeguarding Workbench",
        invariant=1,
        leftMargin=MARGINS["left"],
        rightMargin=MARGINS["right"],
        topMargin=MARGINS["top"],
        bottomMargin=MARGINS["bottom"],
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=lambda c, d: None)])
    return doc


class _Start:
    """Factory of zero-size flowables that record the page they land on."""

    def __init__(self) -> None:
        self.pages: dict[int, int] = {}

    def mark(self, key: int) -> Any:
        from reportlab.platypus import Flowable

        pages = self.pages

        class Marker(Flowable):
            def wrap(self, _w: float, _h: float) -> tuple[float, float]:
                return 0, 0

            def draw(self) -> None:
                pages[key] = self.canv.getPageNumber()

        return Marker()


def _render_reports(reports: list[PaperSource], title: str) -> tuple[bytes | None, list[tuple[int, int]]]:
    """All generated papers in one reportlab document; returns it and each paper's (first, last) page."""
    if not reports:
        return None, []
    from reportlab.platypus import PageBreak

    starts = _Start()
    story: list[Any] = []
    for index, paper in enumerate(reports):
        if index:
            story.append(PageBreak())
        story.append(starts.mark(index))
        assert paper.flowables is not None
        built = paper.flowables()
        story.extend(built or [])
    buffer = io.BytesIO()
    doc = _doc(buffer, title)
    doc.build(story)
    total = doc.page
    ranges = []
    for index in range(len(reports)):
        first = starts.pages[index]
        last = (starts.pages[index + 1] - 1) if index + 1 < len(reports) else total
        ranges.append((first, last))
    return buffer.getvalue(), ranges


#: the parts of the front matter whose first page its bookmarks point at
FRONT_CHANGES, FRONT_AGENDA, FRONT_CONTENTS = 1, 2, 3


def _front_matter(
    pack: PackInput,
    item_rows: list[tuple[ItemSource, int | None, bool]],
    contents: list[tuple[str, str, int]],
    changes: list[str],
) -> tuple[bytes, dict[int, int]]:
    """Cover, change list, agenda (with start pages) and contents, laid out by reportlab; with the page
    each part starts on (FRONT_CHANGES, FRONT_AGENDA, FRONT_CONTENTS: a long part runs over pages)."""
    starts = _Start()
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Spacer

    from app.office.pdf_pages import MARKING
    from app.office.pdf_styles import grid_table, para, styles

    look = styles()
    story: list[Any] = [
        Spacer(1, 40 * mm),
        para(MARKING, look.heading),
        para(pack.body, look.title),
        para(f"Meeting pack: {meeting_heading(pack)}", look.heading),
        para(f"Venue: {pack.venue or 'to be confirmed'}"),
        para(f"Chair: {pack.chair or 'to be confirmed'}"),
        para(f"Version {pack.version} (pack ID {pack.pack_id})"),
        Spacer(1, 20 * mm),
        para(
            "This pack is marked OFFICIAL-SENSITIVE. Do not forward it; return or destroy "
            "paper copies after the meeting.",
            look.small,
        ),
        PageBreak(),
    ]
    if changes:
        story += [starts.mark(FRONT_CHANGES), para(f"What changed since version {pack.version - 1}", look.title)]
        story += [para(f"- {line}") for line in changes]
        story.append(PageBreak())
    story += [starts.mark(FRONT_AGENDA), para(f"Agenda: {meeting_heading(pack)}", look.title)]
    rows = [["Item", "Title", "Presenter", "Purpose", "Time", "Page"]]
    for item, start, shown in item_rows:
        if item.restricted and not shown:
            rows.append([str(item.number), f"Item {item.number}: {RESTRICTED_LINE}", "", "", "", ""])
            continue
        title = item.title + (" (restricted)" if item.restricted else "")
        rows.append(
            [
                str(item.number),
                title,
                item.presenter,
                PURPOSES.get(item.purpose, item.purpose),
                f"{item.minutes} min",
                str(start) if start else "-",
            ]
        )
    story.append(grid_table(rows, [12 * mm, 78 * mm, 34 * mm, 26 * mm, 14 * mm, 12 * mm]))
    story.append(PageBreak())
    story += [starts.mark(FRONT_CONTENTS), para("Contents", look.title)]
    table = [["Item", "Paper", "Page"]] + [[number, title, str(page)] for number, title, page in contents]
    if len(table) == 1:
        table.append(["", "No papers", ""])
    story.append(grid_table(table, [14 * mm, 140 * mm, 20 * mm]))

    buffer = io.BytesIO()
    _doc(buffer, f"Meeting pack {pack.pack_id}").build(story)
    return buffer.getvalue(), starts.pages


def _open_pdf(data: bytes) -> Any:
    import pikepdf

    return pikepdf.open(io.BytesIO(data))


def _assemble(
    pack: PackInput,
    reports_pdf: Any,
    report_ranges: dict[int, tuple[int, int]],
    attachments: dict[int, Any],
    show_restricted: bool,
) -> BuiltVariant:
    import pikepdf

    # papers of this variant in order, with their page counts
    plan: list[tuple[ItemSource, list[tuple[int, PaperSource, int]]]] = []
    paper_id = 0
    for item in pack.items:
        papers = []
        for paper in item.papers:
            if paper.kind == "report":
                first, last = report_ranges[paper_id]
                count = last - first + 1
            else:
                count = len(attachments[paper_id].pages)
            if show_restricted or not item.restricted:
                papers.append((paper_id, paper, count))
            paper_id += 1
        plan.append((item, papers))

    changes = pack.changes_for(show_restricted)
    front_pages = 3 + (1 if changes else 0)
    for _attempt in range(4):  # lay out the front matter until its own length stops moving the numbers
        page = front_pages + 1
        item_rows: list[tuple[ItemSource, int | None, bool]] = []
        contents: list[tuple[str, str, int]] = []
        for item, papers in plan:
            shown = show_restricted or not item.restricted
            item_rows.append((item, page if papers else None, shown))
            for _pid, paper, count in papers:
                contents.append((str(item.number), paper.title, page))
                page += count
        front, parts = _front_matter(pack, item_rows, contents, changes)
        front_pdf = _open_pdf(front)
        if len(front_pdf.pages) == front_pages:
            break
        front_pages = len(front_pdf.pages)

    out = pikepdf.new()
    out.pages.extend(front_pdf.pages)
    page_items = [0] * len(front_pdf.pages)
    item_pages: dict[int, int | None] = {}
    bookmarks = [Bookmark("Cover", 1)]
    if changes:
        bookmarks.append(Bookmark(f"What changed since version {pack.version - 1}", parts[FRONT_CHANGES]))
    # where each part starts (the last front page was taken for the contents: a change list or agenda
    # over one page put the Agenda and Contents bookmarks on their own continuation pages)
    agenda_page = parts[FRONT_AGENDA]
    bookmarks.append(Bookmark("Agenda", agenda_page))
    bookmarks.append(Bookmark("Contents", parts[FRONT_CONTENTS]))
    for item, papers in plan:
        shown = show_restricted or not item.restricted
        first_page = len(out.pages) + 1 if papers else None
        item_pages[item.number] = first_page
        title = f"Item {item.number}: {item.title}" if shown else f"Item {item.number}: {RESTRICTED_LINE}"
        mark = Bookmark(title, first_page or agenda_page)
        for pid, paper, _count in papers:
            mark.children.append(Bookmark(paper.title, len(out.pages) + 1))
            if paper.kind == "report":
                first, last = report_ranges[pid]
                out.pages.extend(reports_pdf.pages[first - 1 : last])
            else:
                out.pages.extend(attachments[pid].pages)
            page_items.extend([item.number] * (len(out.pages) - len(page_items)))
        bookmarks.append(mark)

    total = len(out.pages)
    stamper = Stamper(out)
    note = f"{pack.body} {_date(pack.meets_on)}, version {pack.version}"
    for number, pdf_page in enumerate(out.pages, start=1):
        item_number = page_items[number - 1]
        width, height = stamper.upright_size(pdf_page)
        stamper.stamp(
            pdf_page,
            furniture_ops(width, height, Furniture(number, total, f"Item {item_number}" if item_number else "", note)),
        )

    with out.open_outline() as outline:
        for mark in bookmarks:
            outline.root.append(_outline_item(out, mark))
    out.docinfo["/Title"] = f"Meeting pack {pack.pack_id}"
    out.docinfo["/Producer"] = "Safeguarding Workbench"
    out.Root.PageMode = pikepdf.Name.UseOutlines
    buffer = io.BytesIO()
    out.save(buffer, deterministic_id=True, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return BuiltVariant(buffer.getvalue(), total, item_pages, page_items, bookmarks)


def _outline_item(pdf: Any, mark: Bookmark) -> Any:
    import pikepdf

    entry = pikepdf.OutlineItem(mark.title, mark.page - 1)
    entry.children.extend(_outline_item(pdf, child) for child in mark.children)
    return entry


def _check_pages_readable(pdf: Any) -> None:
    """Raise pikepdf.PdfError unless every page's content can be read to be stamped."""
    import pikepdf

    blank = 0
    for page in pdf.pages:
        contents = page.obj.get("/Contents")
        if contents is None:
            blank += 1
            continue
        for stream in contents if isinstance(contents, pikepdf.Array) else [contents]:
            if not isinstance(stream, pikepdf.Stream):
                raise pikepdf.PdfError("page content is not a stream")
            stream.read_bytes()
    # a file cut short (a download or e-mail that stopped) is rebuilt by qpdf without the pages'
    # content it lost: those pages came out blank in the pack, so the paper was taken with no text
    if blank and pdf.get_warnings():
        raise pikepdf.PdfError("pages lost in a damaged file")


def check_paper_pdf(data: bytes, name: str) -> int:
    """The page count of an attached paper, or one clear InvalidInput if it cannot go in a pack."""
    import pikepdf

    if not data.strip():  # "is not a PDF" sent the coordinator to convert a file that had nothing in it
        raise InvalidInput(f"{name} is empty (nothing was saved in it): attach the paper's PDF again from its source.")
    if not data.lstrip()[:5].startswith(b"%PDF-"):
        raise InvalidInput(f"{name} is not a PDF: attach papers as PDF (save Word documents as PDF first).")
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if pdf.is_encrypted:
                raise InvalidInput(
                    f"{name} is an encrypted PDF: ask its author for a copy without a password or restrictions."
                )
            count = len(pdf.pages)
            _check_pages_readable(pdf)
    except pikepdf.PasswordError:
        raise InvalidInput(f"{name} is an encrypted PDF: ask its author for a copy without a password.") from None
    except pikepdf.PdfError:
        # qpdf's own message names the in-memory stream ("<_io.BytesIO object at 0x...>") and
        # byte offsets: nothing a coordinator can act on, so the file is named instead
        raise InvalidInput(
            f"{name} is a damaged PDF and cannot go in a pack: open it and save it as a new PDF, then attach that."
        ) from None
    if count == 0:
        raise InvalidInput(f"{name} has no pages.")
    return count


def _stored_paper(item: ItemSource, paper: PaperSource) -> Any:
    """An attached paper opened for the pack, or one InvalidInput naming the item and the paper.

    A paper stored before attaching checked it (or one damaged since) opened with its lost pages
    blank, and the pack went out with them blank and nothing said. A pack with a paper silently
    missing is worse than no pack yet: the coordinator is told which paper, and chooses to attach it
    again or to remove it, so every member's copy is what the agenda promises."""
    import pikepdf

    assert paper.pdf is not None
    try:
        pdf = _open_pdf(paper.pdf)
        if pdf.is_encrypted or not len(pdf.pages):
            raise pikepdf.PdfError("encrypted or empty")
        _check_pages_readable(pdf)
    except pikepdf.PdfError:
        named = f"{paper.title!r}" + (f" ({paper.filename})" if paper.filename else "")
        raise InvalidInput(
            f"Item {item.number} ({item.title}): the paper {named} cannot be read (it was damaged or cut short "
            "when it was stored), so its pages would be blank in the pack. Nothing was issued: attach it again "
            "from its source, or remove it from the item, then issue the pack."
        ) from None
    return pdf


def build_pack(
    pack: PackInput,
    changes: Callable[[dict[str, str]], list[str]] | None = None,
    *,
    timings: dict[str, float] | None = None,
) -> BuiltPack:
    """Lay out the generated reports once, then assemble the full and (if needed) the open variant.

    `changes(hashes)`, given every paper's hash (by key), returns the change list of this
    version; it is asked once the reports are rendered, since their hashes tell whether they changed.
    """
    import time

    started = time.perf_counter()
    reports: list[PaperSource] = []
    report_ids: list[int] = []
    attachments: dict[int, Any] = {}
    paper_id = 0
    for item in pack.items:
        for paper in item.papers:
            if paper.kind == "report":
                reports.append(paper)
                report_ids.append(paper_id)
            else:
                attachments[paper_id] = _stored_paper(item, paper)
            paper_id += 1
    opened = time.perf_counter()
    reports_data, ranges = _render_reports(reports, f"Meeting pack {pack.pack_id}")
    laid_out = time.perf_counter()
    reports_pdf = _open_pdf(reports_data) if reports_data else None
    report_ranges = dict(zip(report_ids, ranges, strict=False))
    hashes: dict[str, str] = {}
    paper_id = 0
    for item in pack.items:
        for index, paper in enumerate(item.papers):
            if paper.kind == "report":
                first, last = report_ranges[paper_id]
                digest = hashlib.sha256()
                for page in reports_pdf.pages[first - 1 : last]:  # type: ignore[union-attr]  # reports exist when a report range does
                    digest.update(page.obj.Contents.read_bytes() if "/Contents" in page.obj else b"")
                paper.sha256 = digest.hexdigest()
            hashes[paper.key or f"{item.number}.{index + 1}"] = paper.sha256
            paper_id += 1
    if changes is not None:
        pack.changes = changes(hashes)
    full = _assemble(pack, reports_pdf, report_ranges, attachments, show_restricted=True)
    # a copy for members not cleared is needed while the change list names a restricted item, too: one
    # removed since the last version is in no item of this one, but its title is in the full change list
    restricted = any(item.restricted for item in pack.items) or (
        pack.open_changes is not None and pack.open_changes != pack.changes
    )
    open_variant = (
        _assemble(pack, reports_pdf, report_ranges, attachments, show_restricted=False) if restricted else None
    )
    if timings is not None:
        timings.update(open_papers=opened - started, reports=laid_out - opened, assemble=time.perf_counter() - laid_out)
    return BuiltPack(full, open_variant, hashes)

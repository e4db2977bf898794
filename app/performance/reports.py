"""The quarter's performance report (XLSX and PDF) and its meeting-pack paper.

Both carry OFFICIAL-SENSITIVE, the scorecard, the exception list with the
agency's commentary and the panel's view, and (PDF and pack) the SPC charts of
the special-cause exceptions as vectors. Counts under the small-number
threshold appear as "fewer than N" everywhere, and rates on such a numerator are withheld
(`app.performance.suppression`).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.contributions import ReportRequest
from app.errors import InvalidInput
from app.office.pdf_pages import numbered_canvas
from app.office.xlsx_marking import mark_sheet
from app.office.xlsx_memory import workbook_bytes
from app.performance.analysis import Dataset, ScoreRow, load_dataset, scorecard
from app.performance.charts import spc_figure
from app.performance.exceptions import ExceptionRow, Returns, list_exceptions, missing_returns, partly_missing
from app.performance.periods import Period

FORMATS = ("xlsx", "pdf")
SCORE_HEADINGS = (
    "Code",
    "Indicator",
    "Theme",
    "Agency",
    "Quarter",
    "Latest",
    "Direction of travel",
    "Comparator gap",
    "SPC signal",
    "Target",
)
EXCEPTION_HEADINGS = ("Type", "Indicator", "Agency", "Detail", "Agency commentary", "Panel view", "Status", "Actions")
#: the printed exception list's shares of the page: the detail and what people wrote about it wide, the type,
#: agency, status and actions narrow (each column still at least its longest word, `weighted_widths`)
EXCEPTION_WEIGHTS = [0.8, 1.8, 0.7, 3.0, 2.2, 1.8, 0.7, 0.8]
CHARTS_IN_REPORT = 12


def _score_cells(row: ScoreRow) -> list[str]:
    return [
        row.code,
        row.name,
        row.theme,
        row.agency,
        row.period,
        row.latest,
        row.direction,
        row.comparator,
        row.signal,
        row.target,
    ]


#: the printed scorecard: code with name, and the quarter only where the latest figure is older than
#: the report's (ten columns on portrait A4 squeezed the names to a word a line)
SCORE_PDF_HEADINGS = (
    "Indicator",
    "Theme",
    "Agency",
    "Latest",
    "Direction of travel",
    "Comparator gap",
    "SPC signal",
    "Target",
)


def _score_pdf_cells(row: ScoreRow, period: Period) -> list[str]:
    latest = row.latest if row.period == str(period) else f"{row.latest} ({row.period})"
    return [
        f"{row.code} {row.name}",
        row.theme,
        row.agency,
        latest,
        row.direction,
        row.comparator,
        row.signal,
        row.target,
    ]


def _exception_cells(row: ExceptionRow) -> list[str]:
    # the detail's figures carry their units ("Latest 44.0 per 10,000": IndicatorInfo.with_unit)
    return [
        row.kind_label,
        f"{row.code} {row.indicator}".strip() or "Whole return",
        row.agency,
        row.detail,
        row.agency_commentary,
        row.panel_view,
        row.status_label,
        ", ".join(row.actions),
    ]


def gather(
    session: Session, period: Period, today: date | None = None
) -> tuple[Dataset, list[ScoreRow], list[ExceptionRow]]:
    data = load_dataset(session)
    return data, scorecard(data, period=period.index), list_exceptions(session, period, data, today=today)


def report_bytes(session: Session, period_text: str, fmt: str, *, today: date | None = None) -> bytes:
    if fmt not in FORMATS:
        raise InvalidInput(f"Format {fmt!r} is not one of {', '.join(FORMATS)}.")
    period, today = Period.parse(period_text), today or date.today()
    data, scores, exceptions = gather(session, period, today)
    if not scores:
        raise InvalidInput(f"There are no figures up to {period}: import returns first.")
    quarter = _Quarter(data, period, scores, exceptions, missing_returns(session, period, data, today=today), today)
    return _xlsx(quarter) if fmt == "xlsx" else _pdf(quarter)


@dataclass(frozen=True)
class _Quarter:
    """What the report shows, in either format."""

    data: Dataset
    period: Period
    scores: list[ScoreRow]
    exceptions: list[ExceptionRow]
    #: (agency, figures received, indicators expected) of the returns incomplete for the quarter
    missing: Returns
    today: date


def _xlsx(quarter: _Quarter) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    period, today = quarter.period, quarter.today
    book = Workbook()
    first = book.active
    first.title = "Exceptions"
    sheets: list[tuple[Any, str, Sequence[str], list[Any]]] = [
        (
            first,
            f"Exceptions {period}",
            EXCEPTION_HEADINGS,
            [_exception_cells(r) for r in quarter.exceptions],
        ),
        (
            book.create_sheet("Scorecard"),
            f"Scorecard {period}",
            SCORE_HEADINGS,
            [_score_cells(r) for r in quarter.scores],
        ),
        (
            book.create_sheet("Missing returns"),
            f"Returns incomplete for {period}",
            ("Agency", "Figures received", "Indicators expected"),
            [[a, r, e] for a, r, e in quarter.missing]
            if quarter.missing.overdue
            else [[f"Not yet due: {quarter.missing.not_yet_due()}", "", ""]],
        ),
    ]
    for sheet, title, headings, rows in sheets:
        mark_sheet(sheet)
        sheet.append([f"{title} - Safeguarding Workbench, {today:%d/%m/%Y}"])
        sheet["A2"].font = Font(bold=True, size=13)
        sheet.append(list(headings))
        for cell in sheet[3]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(row)
        for column in sheet.columns:
            letter = column[0].column_letter
            sheet.column_dimensions[letter].width = 18 if letter not in ("D", "E", "F") else 40
            for cell in column[3:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "A4"
    return workbook_bytes(book)


def exception_flowables(
    data: Dataset,
    period: Period,
    exceptions: list[ExceptionRow],
    missing: Returns,
    width: float,
    *,
    charts: bool = True,
) -> list[Any]:
    """The exception list, incomplete returns and the charts of special-cause exceptions (vectors)."""
    from reportlab.platypus import KeepTogether, Spacer

    from app.office.pdf_styles import MM, heading_kept_with_table, para, styles, weighted_widths
    from app.office.vector_charts import figure_flowable

    look = styles()
    heading = para(f"Exceptions for {period} ({period.label})", look.heading)
    out: list[Any] = []
    if exceptions:
        rows = [list(EXCEPTION_HEADINGS)] + [_exception_cells(r) for r in exceptions]
        out += heading_kept_with_table([heading], rows, weighted_widths(rows, width, EXCEPTION_WEIGHTS))
    else:
        out += [heading, para("No exceptions this quarter.")]
    if not missing.overdue:  # no return is missing yet, whoever has sent nothing
        out.append(para(f"Returns not yet due. {missing.not_yet_due()}"))
    partial = partly_missing(missing)  # a return with no figures at all is in the exception list already
    if partial:
        out += heading_kept_with_table(
            [para("Returns incomplete", look.subheading)],
            [["Agency", "Figures received", "Indicators expected"]] + [[a, str(r), str(e)] for a, r, e in partial],
            [width * 0.4, width * 0.3, width * 0.3],
        )
    if charts:
        special = [r for r in exceptions if r.kind == "special_cause"][:CHARTS_IN_REPORT]
        blocks = []
        for row in special:
            series = data.series.get((row.indicator_uuid or "", row.agency_uuid))
            if series is None:
                continue
            figure = spc_figure(data, series, upto=period.index, width_mm=width / MM, height_mm=70)
            blocks.append([figure_flowable(figure, width), para(row.detail, look.small), Spacer(1, 4 * MM)])
        if blocks:
            # the heading and its key go with the first chart: alone at the foot of a page they said
            # "charts" over nothing, the charts starting overleaf
            heading = [
                para("SPC charts of the special-cause exceptions", look.heading),
                para(
                    "Points beyond a limit, runs of seven and two of three near a limit are marked by shape "
                    "(triangle: concern, square: improvement, diamond: neither) and named in the legend.",
                    look.small,
                ),
            ]
            out.append(KeepTogether(heading + blocks[0]))
            out += [KeepTogether(block) for block in blocks[1:]]
    return out


def _pdf(quarter: _Quarter) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    from app.office.pdf_styles import MARGINS, fitted_widths, heading_kept_with_table, para, styles

    data, period = quarter.data, quarter.period
    look = styles()
    buffer = io.BytesIO()
    width = A4[0] - MARGINS["left"] - MARGINS["right"]
    document = BaseDocTemplate(
        buffer,
        pagesize=A4,
        title=f"Performance report {period}",
        author="Safeguarding Workbench",
        **{f"{k}Margin": v for k, v in MARGINS.items()},
    )
    frame = Frame(MARGINS["left"], MARGINS["bottom"], width, A4[1] - MARGINS["top"] - MARGINS["bottom"], id="body")
    document.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    story: list[Any] = [
        para(f"Performance data: {period} ({period.label})", look.title),
        para(
            f"Quality Assurance subgroup report, produced {quarter.today:%d/%m/%Y}. Counts below "
            f"{data.settings.small_number_threshold} are shown as 'fewer than "
            f"{data.settings.small_number_threshold}', and rates built on them are not shown either. "
            "RAG against a target is shown beside the SPC signal, never instead of it.",
            look.body,
        ),
    ]
    story += exception_flowables(data, period, quarter.exceptions, quarter.missing, width)
    heads = [
        para("Scorecard", look.heading),
        para(f"Latest figures are for {period} unless a quarter is named beside them.", look.small),
    ]
    rows = [list(SCORE_PDF_HEADINGS)] + [_score_pdf_cells(r, period) for r in quarter.scores]
    # a long table flows on from where it stands: its heading alone at a page's foot is broken away from
    story += heading_kept_with_table(heads, rows, fitted_widths(rows, width))
    document.build(story, canvasmaker=numbered_canvas(f"Performance report {period}", portrait=True))
    return buffer.getvalue()


def pack_flowables(session: Session, request: ReportRequest) -> list[Any]:
    """The meeting pack's performance paper: the quarter before `as_of` unless a period filter says otherwise."""
    from reportlab.lib.pagesizes import A4

    from app.office.pdf_styles import MARGINS, para, styles

    period = (
        Period.parse(request.filters["period"])
        if request.filters.get("period")
        else Period.containing(request.as_of) - 1
    )
    if period > Period.containing(date.today()):
        # a paper for a meeting ahead of the quarter it would report: nothing to show yet, and nothing missing
        look = styles()
        return [
            para(f"Exceptions for {period} ({period.label})", look.heading),
            para(f"{period} has not started yet: there are no figures or exceptions for it."),
        ]
    data = load_dataset(session)
    # the stricter of the pack's and the partnership's threshold: a pack never shows more than the workspace allows
    data.settings = replace(
        data.settings,
        small_number_threshold=max(request.small_number_threshold, data.settings.small_number_threshold),
    )
    exceptions = list_exceptions(session, period, data)
    missing = missing_returns(session, period, data)
    agency = request.filters.get("agency")
    if agency:
        exceptions = [r for r in exceptions if agency in (r.agency_uuid, r.agency)]
        # the paper for one agency names that agency's incomplete return only, as its exceptions
        missing = missing.of_agencies({agency, data.agencies.get(agency, agency)})
    width = A4[0] - MARGINS["left"] - MARGINS["right"]
    return exception_flowables(data, period, exceptions, missing, width)

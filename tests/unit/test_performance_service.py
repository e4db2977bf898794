"""Performance data services on real encrypted workspaces: returns, validation, breaks, suppression,
catalogue round trip, exceptions to actions, and merge of concurrent commentary."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.agencies import add_agency, find_agency
from app.contributions import ACTION_SOURCES, PACK_REPORTS, ReportRequest
from app.errors import InvalidInput
from app.office.vector_charts import figure_png, figure_svg
from app.performance.analysis import Dataset, comparator_gap, filter_scorecard, load_dataset, scorecard
from app.performance.catalogue import (
    IndicatorDraft,
    draft_of,
    find_indicator,
    install_starter,
    save_indicator,
)
from app.performance.catalogue_io import catalogue_bytes, import_catalogue
from app.performance.charts import chart_description, spc_figure
from app.performance.comparators import import_comparators
from app.performance.exceptions import create_action, list_exceptions, missing_returns, save_commentary
from app.performance.figures import import_figures
from app.performance.periods import Period
from app.performance.reports import report_bytes
from app.performance.returns import template_bytes
from app.performance.settings import DataSettings, load_settings, save_settings
from app.store.workspace import Workspace
from db.models.actions import Action
from db.models.performance import Comparator, DefinitionBreak, ExceptionNote, FigureValue

TODAY = date(2026, 11, 20)
HEADER = "Agency,Code,Period,Value,Numerator,Denominator\n"


@pytest.fixture
def ws(workspace: Workspace) -> Iterator[Workspace]:
    with workspace.unit_of_work() as uow:
        for name, short in (
            ("Children's Social Care", "CSC"),
            ("Police", "Police"),
            ("Emergency Department", "ED"),
            ("Housing", "Housing"),
        ):
            add_agency(uow, name, short)
        install_starter(uow)
    yield workspace


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def history(code: str, agency: str, values: list[float], last: str = "2026Q3") -> str:
    end = Period.parse(last)
    return "".join(f"{agency},{code},{end - (len(values) - 1 - i)},{v},,\n" for i, v in enumerate(values))


def count_figures(ws: Workspace) -> int:
    with ws.reading() as session:
        return session.scalar(select(func.count()).select_from(FigureValue)) or 0


def test_the_return_template_round_trip(ws: Workspace, tmp_path: Path) -> None:
    with ws.reading() as session:
        data, rows = template_bytes(session, "CSC", "2026Q3")
    assert rows >= 10
    book = load_workbook(io.BytesIO(data))
    sheet = book["Return"]
    assert book["wb_identity"].sheet_state == "veryHidden"
    header_row = next(r for r in range(1, 12) if sheet.cell(r, 1).value == "Code")
    columns = {sheet.cell(header_row, c).value: c for c in range(1, sheet.max_column + 1)}
    assert not sheet.data_validations.dataValidation  # plain numeric cells, no dropdowns
    for r in range(header_row + 1, sheet.max_row + 1):
        code = sheet.cell(r, 1).value
        if code == "REF-REPEAT":
            sheet.cell(r, columns["Numerator"]).value = 120
            sheet.cell(r, columns["Denominator"]).value = 600
        elif code == "CLA-RATE":
            sheet.cell(r, columns["Value"]).value = 68.5
    filled = tmp_path / "csc.xlsx"
    book.save(filled)
    with ws.unit_of_work() as uow:
        plan = import_figures(uow, filled, today=TODAY)
    assert plan.report.counts["new"] == 2 and not plan.report.has_errors
    with ws.reading() as session:
        repeat = find_indicator(session, "REF-REPEAT")
        stored = session.scalars(select(FigureValue).where(FigureValue.indicator_uuid == repeat.uuid)).one()
        assert stored.value == pytest.approx(20.0) and stored.period == "2026Q3"
        assert "csc.xlsx row" in stored.source


def test_a_percentage_cell_is_read_as_the_percentage_it_shows(ws: Workspace, tmp_path: Path) -> None:
    """Excel keeps "91%" as 0.91: it was stored as 0.91% of re-referrals. A percent-formatted cell is read as
    shown for a percentage indicator; a rate keeps the cell's number, and a % typed as text in the format stays."""
    with ws.reading() as session:
        data, _rows = template_bytes(session, "CSC", "2026Q3")
    book = load_workbook(io.BytesIO(data))
    sheet = book["Return"]
    header_row = next(r for r in range(1, 12) if sheet.cell(r, 1).value == "Code")
    value_column = next(c for c in range(1, sheet.max_column + 1) if sheet.cell(header_row, c).value == "Value")
    typed = {
        "REF-REPEAT": (0.91, "0%"),
        "REF-NFA": (0.125, "0.0%"),
        "CLA-RATE": (0.5, "0%"),  # a rate per 10,000: the cell's number, whatever its format
        "ASMT-45": (91, '0"%"'),  # a literal % sign: Excel shows 91%, the cell holds 91
    }
    for r in range(header_row + 1, sheet.max_row + 1):
        if sheet.cell(r, 1).value in typed:
            cell = sheet.cell(r, value_column)
            cell.value, cell.number_format = typed[sheet.cell(r, 1).value]
    filled = tmp_path / "csc.xlsx"
    book.save(filled)
    with ws.unit_of_work() as uow:
        plan = import_figures(uow, filled, today=TODAY)
    assert not plan.report.has_errors, plan.report.lines()
    with ws.reading() as session:
        stored = {find_indicator(session, code).uuid: code for code in typed}
        values = {stored[f.indicator_uuid]: f.value for f in session.scalars(select(FigureValue))}
    assert values == {"REF-REPEAT": 91, "REF-NFA": 12.5, "CLA-RATE": 0.5, "ASMT-45": 91}


def test_a_template_for_a_quarter_not_started_is_refused(ws: Workspace) -> None:
    """A template for a quarter not yet started was written, and the figures typed in it refused at import."""
    with ws.reading() as session:
        with pytest.raises(
            InvalidInput,
            match=r"^2027Q1 \(Jan-Mar 2027\) has not started yet; the latest quarter is 2026Q4 \(Oct-Dec 2026\)\. "
            r"No template was written: its figures could not be imported\.$",
        ):
            template_bytes(session, "CSC", "Q1 2027", today=TODAY)
        assert template_bytes(session, "CSC", "2026Q4", today=TODAY)[1] >= 10


def test_validation_names_file_row_and_column_and_writes_nothing(ws: Workspace, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bad.csv",
        HEADER
        + "\n".join(
            [
                "CSC,NOPE,2026Q3,1,,",
                "CSC,REF-REPEAT,2026Q9,,1,2",
                "CSC,REF-REPEAT,2026Q3,,50,40",
                "Police,MISS-EPIS,2026Q3,-4,,",
                "Police,DA-NOTIF,2026Q3,lots,,",
                "ED,MISS-EPIS,2026Q3,3,,",
                "CSC,CLA-RATE,2026Q3,60,,",
                "CSC,CLA-RATE,2026Q3,61,,",
                "Nobody,CLA-RATE,2026Q3,61,,",
                "CSC,CLA-RATE,2030Q1,61,,",
            ]
        )
        + "\n",
    )
    with ws.unit_of_work() as uow:
        plan = import_figures(uow, path, dry_run=True, today=TODAY)
    lines = "\n".join(plan.report.lines())
    for expected in (
        "bad.csv, row 2, column 'Code': error: unknown indicator 'NOPE'",
        "row 3, column 'Period': error: unknown period '2026Q9'",
        "row 4, column 'Numerator': error: numerator 50 is above its denominator 40",
        "row 5, column 'Value': error: a negative figure (-4)",
        "row 6, column 'Value': error: 'lots' is text, not a number",
        "row 7, column 'Code': error: MISS-EPIS is reported by Police, not ED",
        "row 9, column 'Code': error: CLA-RATE for 2026Q3 is also on row 8",
        "row 10, column 'Agency': error: unknown agency 'Nobody' (known agencies: CSC, ED, Housing, Police)",
        "row 11, column 'Period': error: 2030Q1 has not started yet",
    ):
        assert expected in lines
    with pytest.raises(InvalidInput, match="bad.csv, row 2, column 'Code'"):
        with ws.unit_of_work() as uow:
            import_figures(uow, path, today=TODAY)
    assert count_figures(ws) == 0


def test_a_date_typed_for_the_quarter_is_refused_naming_the_quarter_it_falls_in(ws: Workspace, tmp_path: Path) -> None:
    """Found in a trial: an analyst wrote the quarter's last day (30/09/2026) or month (Sept 2026), and the
    report said only "write it like 2026Q3", as for any typing slip. The date is still refused: said, not
    guessed."""
    path = write(tmp_path, "csc.csv", HEADER + "CSC,CLA-RATE,30/09/2026,60,,\nCSC,CPP-RATE,Sept 2026,40,,\n")
    with ws.unit_of_work() as uow:
        plan = import_figures(uow, path, dry_run=True, today=TODAY)
    assert plan.report.lines() == [
        "csc.csv, row 2, column 'Period': error: unknown period '30/09/2026' (a date, not a quarter: "
        "write the quarter it falls in, 2026Q3)",
        "csc.csv, row 3, column 'Period': error: unknown period 'Sept 2026' (a date, not a quarter: "
        "write the quarter it falls in, 2026Q3)",
    ]


def test_a_figure_of_0_of_0_is_kept_and_said_to_have_no_rate(ws: Workspace, tmp_path: Path) -> None:
    """0 of 0 (no referrals this quarter) was stored with no value and not a word: now the row says why."""
    path = write(tmp_path, "csc.csv", HEADER + "CSC,REF-REPEAT,2026Q3,,0,0\nCSC,REF-REPEAT,2026Q2,0,0,0\n")
    with ws.unit_of_work() as uow:
        plan = import_figures(uow, path, today=TODAY)
    assert not plan.report.has_errors and plan.report.counts["new"] == 2
    lines = plan.report.lines()
    assert (
        "csc.csv, row 2, column 'Denominator': warning: numerator and denominator are both 0, so the percentage "
        "for REF-REPEAT 2026Q3 is undefined; stored as 0 of 0 with no value"
    ) in lines
    assert any(
        line.startswith("csc.csv, row 3, column 'Denominator'") and "with the value 0 as given" in line
        for line in lines
    )
    with ws.reading() as session:
        stored = {f.period: (f.value, f.numerator, f.denominator) for f in session.scalars(select(FigureValue))}
    assert stored == {"2026Q3": (None, 0, 0), "2026Q2": (0, 0, 0)}


def test_a_semicolon_csv_from_excel_is_read_and_a_decimal_comma_is_refused(ws: Workspace, tmp_path: Path) -> None:
    """Excel set to many locales saves "CSV" with semicolons and decimal commas: the file was refused as
    lacking the headings it has, and a quoted "3,5" in a comma CSV was imported as 35 (a wrong figure).
    Now the semicolons are read, and a comma that is not a thousands separator is an error naming the
    row and column; nothing is written while any row is wrong. In a file separated by semicolons a
    comma is the decimal mark, so "1,234" there (1.234, or 1234?) was read as 1234: it is an error too."""
    path = tmp_path / "excel.csv"
    path.write_bytes(
        "\ufeffAgency;Code;Period;Value;Numerator;Denominator\r\n"
        "CSC;REF-REPEAT;2026Q3;;12;60\r\n"
        ";;;;;\r\n"
        "\r\n"
        "CSC;ASMT-45;2026 Q3;82,5;;\r\n"
        "CSC;CLA-RATE;2026Q3;1,234;;\r\n"
        "Police;DA-NOTIF;2026Q3;1.250;;\r\n".encode()
    )
    with ws.unit_of_work() as uow:
        plan = import_figures(uow, path, dry_run=True, today=TODAY)
    assert [i.describe("excel.csv") for i in plan.report.issues] == [
        "excel.csv, row 5, column 'Value': error: '82,5' is not a number: write decimals with a point, "
        "e.g. 82.5 (indicator ASMT-45)",
        "excel.csv, row 6, column 'Value': error: '1,234' is not a number: in a file separated by semicolons "
        "it could be 1.234 or 1234; write 1.234 or 1234 (decimals with a point, no thousands separator) "
        "(indicator CLA-RATE)",
        "excel.csv, row 7, column 'Value': error: '1.250' is not a number: in a file separated by semicolons "
        "it could be 1.25 or 1250; write 1.25 or 1250 (decimals with a point, no thousands separator) "
        "(indicator DA-NOTIF)",
    ]
    assert [f.value for f in plan.new] == [20.0]  # 12 of 60
    comma = write(tmp_path, "comma.csv", HEADER + 'CSC,CLA-RATE,2026Q3,"1,234",,\n')
    with ws.unit_of_work() as uow:
        assert [f.value for f in import_figures(uow, comma, dry_run=True, today=TODAY).new] == [1234.0]
    quoted = write(tmp_path, "quoted.csv", HEADER + 'CSC,CLA-RATE,2026Q3,"3,5",,\n')
    with pytest.raises(InvalidInput, match="quoted.csv, row 2, column 'Value': error: '3,5' is not a number"):
        with ws.unit_of_work() as uow:
            import_figures(uow, quoted, today=TODAY)
    with pytest.raises(InvalidInput, match="excel.csv, row 5, column 'Value'"):
        with ws.unit_of_work() as uow:
            import_figures(uow, path, today=TODAY)
    assert count_figures(ws) == 0


def test_a_comparator_in_a_semicolon_csv_with_a_comma_is_refused_not_read_as_thousands(
    ws: Workspace, tmp_path: Path
) -> None:
    """England's 1,250 per 10,000 from a spreadsheet with a decimal comma is 1.25: it was stored as 1250."""
    path = tmp_path / "comparators.csv"
    path.write_text(
        "Code;Period;Comparator;Value;Source;Date\nCLA-RATE;2026Q3;England;1,250;DfE SSDA903;01/11/2026\n",
        encoding="utf-8",
    )
    with pytest.raises(
        InvalidInput,
        match=re.escape(
            "comparators.csv, row 2, column 'Value': error: '1,250' is not a number: in a file separated by "
            "semicolons it could be 1.25 or 1250; write 1.25 or 1250 (decimals with a point, no thousands "
            "separator). Nothing was imported."
        ),
    ):
        with ws.unit_of_work() as uow:
            import_comparators(uow, path)
    with ws.reading() as session:
        assert not session.scalars(select(Comparator)).all()


def _comparators_checked(ws: Workspace, tmp_path: Path, *rows: str) -> list[str]:
    """The report's lines for comparators.csv holding `rows` (checked, nothing written)."""
    path = write(tmp_path, "comparators.csv", "Code,Period,Comparator,Value,Source,Date\n" + "\n".join(rows) + "\n")
    with ws.unit_of_work() as uow:
        return import_comparators(uow, path, dry_run=True).lines()


def test_a_comparator_value_is_named_under_value_whatever_its_words(ws: Workspace, tmp_path: Path) -> None:
    """The column of a comparator's error was guessed from its message: a Value of 'to be updated' (its
    message holds "date") was reported under column 'Date', whose date was fine."""
    lines = _comparators_checked(
        ws,
        tmp_path,
        "REF-RATE,2026Q3,England,to be updated,DfE,01/11/2026",
        "REF-RATE,2026Q2,England,520,DfE,31/13/2026",
    )
    assert lines == [
        "comparators.csv, row 2, column 'Value': error: 'to be updated' is text, not a number",
        "comparators.csv, row 3, column 'Date': error: '31/13/2026' is not a date: there is no month 13",
    ]


def test_a_comparator_without_a_value_or_with_a_date_for_its_quarter_says_which_and_what_to_do(
    ws: Workspace, tmp_path: Path
) -> None:
    """Found in a trial: a blank England value was reported as "no value", naming neither the indicator
    nor what to do; a quarter given as its last day had only "write it like 2026Q3"."""
    lines = _comparators_checked(
        ws, tmp_path, "CONF-ATTEND,2026Q3,England,,LAIT,20/11/2026", "REF-RATE,30/09/2026,England,520,DfE,01/11/2026"
    )
    assert lines == [
        "comparators.csv, row 2, column 'Value': error: no value for CONF-ATTEND 2026Q3 (England): "
        "give the figure or leave the row out",
        "comparators.csv, row 3, column 'Period': error: unknown period '30/09/2026' (a date, not a quarter: "
        "write the quarter it falls in, 2026Q3)",
    ]


def test_a_changed_figure_is_shown_not_silently_replaced(ws: Workspace, tmp_path: Path) -> None:
    first = write(tmp_path, "q3.csv", HEADER + "CSC,CLA-RATE,2026Q3,60,,\nCSC,CLA-RATE,2026Q2,59,,\n")
    with ws.unit_of_work() as uow:
        import_figures(uow, first, today=TODAY)
    again = write(tmp_path, "q3b.csv", HEADER + "CSC,CLA-RATE,2026Q3,62.5,,\nCSC,CLA-RATE,2026Q2,59,,\n")
    with ws.unit_of_work() as uow:
        dry = import_figures(uow, again, dry_run=True, today=TODAY)
    assert dry.report.counts == {"new": 0, "changed": 1, "unchanged": 1, "blank rows": 0}
    assert "CLA-RATE 2026Q3 changed from 60.0 (submitted 20/11/2026) to 62.5" in "\n".join(dry.report.lines())
    with ws.reading() as session:
        assert session.scalar(select(FigureValue.value).where(FigureValue.period == "2026Q3")) == 60
    with ws.unit_of_work() as uow:
        import_figures(uow, again, today=TODAY)
    with ws.reading() as session:
        record = session.scalars(select(FigureValue).where(FigureValue.period == "2026Q3")).one()
        assert record.value == 62.5 and record.field_stamps["value"] > record.field_stamps["agency_uuid"]
    assert count_figures(ws) == 2


def test_definition_change_needs_a_quarter_and_breaks_the_chart(ws: Workspace, tmp_path: Path) -> None:
    path = write(tmp_path, "h.csv", HEADER + history("CLA-RATE", "CSC", [60, 61, 59, 60, 62, 90, 91, 89, 90]))
    with ws.unit_of_work() as uow:
        import_figures(uow, path, today=TODAY)
    with ws.reading() as session:
        indicator = find_indicator(session, "CLA-RATE")
        indicator_uuid = indicator.uuid
        draft = IndicatorDraft(
            code="CLA-RATE",
            name=indicator.name,
            unit="rate",
            polarity="neither",
            owner="CSC",
            numerator="Children looked after, including short breaks",
            denominator="Children",
            definition="Now counts short breaks too.",
        )
    with pytest.raises(InvalidInput, match="give the first quarter counted the new way"):
        with ws.unit_of_work() as uow:
            save_indicator(uow, draft, existing_uuid=indicator_uuid)
    draft.new_version_from = "2025Q4"  # where the level moved
    with ws.unit_of_work() as uow:
        save_indicator(uow, draft, existing_uuid=indicator_uuid)
    with ws.reading() as session:
        data = load_dataset(session)
        brk = session.scalars(select(DefinitionBreak)).one()
        assert (brk.from_period, brk.version) == ("2025Q4", 2)
    series = next(iter(data.series.values()))
    chart, points = series.spc(Period.parse("2026Q3").index)
    assert [p.value for p in points] == [90, 91, 89, 90]  # only the new definition
    assert chart is not None and not chart.flags  # the jump is the break, not special cause
    row = scorecard(data)[0]
    assert len(row.spark) == 4
    svg = figure_svg(spc_figure(data, series)).decode()
    assert "New definition" in svg


def test_no_chart_line_joins_across_a_definition_break_comparators_included(ws: Workspace, tmp_path: Path) -> None:
    """The neighbours' and England's lines ran straight across the dotted "New definition" line, joining a
    quarter counted the old way to one counted the new way, where the figures' own line stops."""
    path = write(tmp_path, "h.csv", HEADER + history("CLA-RATE", "CSC", [60, 61, 59, 60, 62, 90, 91, 89, 90]))
    quarters = [str(Period.parse("2026Q3") - i) for i in range(9)]
    comparators = write(
        tmp_path,
        "comparators.csv",
        "Code,Period,Comparator,Value,Source,Date\n"
        + "".join(
            f"CLA-RATE,{q},{kind},{70 + i},DfE,01/11/2026\n"
            for i, q in enumerate(quarters)
            for kind in ("neighbours", "England")
        ),
    )
    with ws.unit_of_work() as uow:
        import_figures(uow, path, today=TODAY)
        assert not import_comparators(uow, comparators).has_errors
        indicator = find_indicator(uow.session, "CLA-RATE")
        draft = draft_of(uow.session, indicator)
        draft.definition, draft.new_version_from = "Now counts short breaks too.", "2025Q4"
        save_indicator(uow, draft, existing_uuid=indicator.uuid)
    with ws.reading() as session:
        data = load_dataset(session)
    series = next(iter(data.series.values()))
    start = Period.parse("2025Q4").index
    axes = spc_figure(data, series).axes[0]
    lines = {line.get_label(): line for line in axes.get_lines()}
    assert {"Statistical neighbours", "England"} <= set(lines)
    for line in axes.get_lines():
        xs = [float(x) for x in line.get_xdata()]
        assert not (min(xs) < start <= max(xs)), f"{line.get_label()} joins {xs} across the break"
    comparator_points = sorted(
        float(x) for line in axes.get_lines() if line.get_color() == "#2e7d32" for x in line.get_xdata()
    )
    assert len(comparator_points) == 9  # every quarter is still drawn, on one side of the break or the other


def _pdf_text(data: bytes) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))


def _small_count_shown(text: str) -> list[str]:
    """Where text gives ED-SELFHARM's 3 away, or its size beside a comparator (+50% on 2, +20% on 2.5)."""
    text = re.sub(r"2 of 3 near the (upper|lower) limit", "", text)  # a rule's name, not a figure
    return re.findall(r"(?<![\w.])3(?![\w.%])|[-+\u2212]\d+%", text)


def test_small_numbers_are_suppressed_in_every_output(ws: Workspace, tmp_path: Path) -> None:
    """ED-SELFHARM's latest 3 and CSC's plans on a numerator of 3: every file that leaves the workbench
    says "fewer than 5" or withholds the rate, and nothing beside the count (a comparator gap, a chart's
    points or labels, last quarter's figure in a template) gives it back."""
    path = write(
        tmp_path,
        "ed.csv",
        HEADER + history("ED-SELFHARM", "ED", [20, 21, 19, 20, 22, 21, 20, 3]) + "CSC,CPP-2YR,2026Q3,,3,70\n",
    )
    comparators = write(
        tmp_path,
        "comparators.csv",
        "Code,Period,Comparator,Value,Source,Date\n"
        "ED-SELFHARM,2026Q3,Statistical neighbours,12,NHS ECDS,01/11/2026\n"
        "ED-SELFHARM,2026Q3,England,2.5,NHS ECDS,01/11/2026\n",
    )
    with ws.unit_of_work() as uow:
        import_figures(uow, path, today=TODAY)
        assert not import_comparators(uow, comparators).has_errors
    with ws.reading() as session:
        rows = {r.code: r for r in scorecard(load_dataset(session))}
        xlsx = report_bytes(session, "2026Q3", "xlsx")
        pdf = report_bytes(session, "2026Q3", "pdf")
        data = load_dataset(session)
        exceptions = list_exceptions(session, Period.parse("2026Q3"), data)
        pack = PACK_REPORTS.require("performance").build(session, ReportRequest(as_of=date(2026, 10, 15)))
        ed_template, _ = template_bytes(session, "ED", "2026Q4")
        csc_template, _ = template_bytes(session, "CSC", "2026Q4")
    assert rows["ED-SELFHARM"].latest == "fewer than 5" and rows["ED-SELFHARM"].small
    assert rows["ED-SELFHARM"].comparator == "below neighbours"  # not "-75%": 12 less 75% is 3
    assert rows["CPP-2YR"].latest == "not shown (numerator fewer than 5)"
    ed_exceptions = [r for r in exceptions if r.code == "ED-SELFHARM"]
    # above England's 2.5 only if 3 or 4: not listed, as a listing would narrow "fewer than 5" down
    assert {r.kind for r in ed_exceptions} == {"special_cause"}  # so every paper has it
    assert all("fewer than 5" in r.detail and not _small_count_shown(r.detail) for r in ed_exceptions)
    special = next(r for r in ed_exceptions if r.kind == "special_cause")
    # the mean and limits with the other seven quarters give the withheld 3 back: not shown either
    assert "mean and limits not shown (the series has a count under 5)" in special.detail
    assert "limits 1" not in special.detail and "mean 1" not in special.detail

    # the XLSX report: every sheet, every cell of an ED-SELFHARM row
    cells = [
        [str(c) for c in row if c is not None]
        for sheet in load_workbook(io.BytesIO(xlsx)).worksheets
        for row in sheet.iter_rows(values_only=True)
    ]
    ed_rows = [" | ".join(row) for row in cells if any("ED-SELFHARM" in c for c in row)]
    assert len(ed_rows) == 2 and all("fewer than 5" in r for r in ed_rows), ed_rows  # scorecard, the exception
    assert [r for r in ed_rows if _small_count_shown(r)] == []
    assert any("not shown (numerator fewer than 5)" in c for row in cells for c in row)
    assert not any("4.3" in c for row in cells for c in row)  # 3 of 70: the rate is the count again

    # the return templates: last quarter's figure, as the agency will see it
    for template, code, expected in (
        (ed_template, "ED-SELFHARM", "fewer than 5"),
        (csc_template, "CPP-2YR", "not shown (numerator fewer than 5)"),
    ):
        sheet = load_workbook(io.BytesIO(template))["Return"]
        header = next(r for r in range(1, 12) if sheet.cell(r, 1).value == "Code")
        columns = {sheet.cell(header, c).value: c for c in range(1, sheet.max_column + 1)}
        row = next(r for r in range(header + 1, sheet.max_row + 1) if sheet.cell(r, 1).value == code)
        assert sheet.cell(row, columns["Last quarter"]).value == expected

    # the PDF report and the meeting pack's paper, read back from the PDF
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build(pack)
    for text in (_pdf_text(pdf), _pdf_text(buffer.getvalue())):
        assert "fewer than 5" in text and "ED-SELFHARM" in text
        assert "+20%" not in text and "above" not in text, "a comparator gap gives the small count away"
        assert "Fewer than 5 (not shown)" in text  # ED-SELFHARM's SPC chart is in it, its point withheld
    pdf_text = _pdf_text(pdf)
    assert "OFFICIAL-SENSITIVE" in pdf_text
    # the printed tables give each column room for its longest word: codes and names are never cut
    assert "ED-SELFHARM Emergency" in pdf_text and "CPP-2YR Plans" in pdf_text and "Direction of" in pdf_text

    # the chart (PNG and SVG are drawn from the one figure): no point at 3, no label saying 3
    series = next(s for s in data.series.values() if s.indicator.code == "ED-SELFHARM")
    figure = spc_figure(data, series)
    for line in figure.axes[0].get_lines():
        assert 3 not in [float(y) for y in line.get_ydata()], line.get_label()
    assert not figure.axes[0].collections, "mean and process limit lines would give the withheld count back"
    # said under the plot: in the legend the sentence took the plot's width
    assert figure.axes[0].get_xlabel() == "Mean and limits not shown (the series has a count under 5)"
    for artist in figure.findobj(lambda a: hasattr(a, "get_text")):
        assert artist.get_text().strip() != "3"
    svg = figure_svg(figure).decode()
    assert "Fewer than 5 (not shown)" in svg
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg) + re.findall(r"<!-- (.*?) -->", svg)
    assert texts and "3" not in [t.strip() for t in texts]
    assert figure_png(figure).startswith(b"\x89PNG")


def _neighbours_csv(tmp_path: Path, code: str, value: float) -> Path:
    """A comparators CSV with the statistical neighbours' 2026Q3 figure for `code`."""
    text = f"Code,Period,Comparator,Value,Source,Date\n{code},2026Q3,Statistical neighbours,{value},DfE,01/11/2026\n"
    return write(tmp_path, "comparators.csv", text)


def test_a_rate_on_a_small_numerator_does_not_give_the_count_back(ws: Workspace, tmp_path: Path) -> None:
    """CSC's plans lasting two years read "3.8% (small numbers)" against neighbours' 3.4, "+0.4 pts": with
    the 80 plans ended in the quarter, published elsewhere, 3.8% is 3 plans, the count every export says
    "fewer than 5" of; and "small numbers" told it was under 5. The rate is withheld like the count, and
    nothing beside it (gap, limits, chart) gives it back."""
    # the quarter before: 5 of 125, 4.0%; "improving" from it would say the withheld rate is not 5 of 80
    earlier = "".join(
        f"CSC,CPP-2YR,{Period.parse('2026Q3') - q},,{n},{d}\n" for q, n, d in ((3, 6, 80), (2, 7, 80), (1, 5, 125))
    )
    path = write(tmp_path, "cpp.csv", HEADER + earlier + "CSC,CPP-2YR,2026Q3,,3,80\n")
    comparators = _neighbours_csv(tmp_path, "CPP-2YR", 3.4)
    with ws.unit_of_work() as uow:
        import_figures(uow, path, today=TODAY)
        assert not import_comparators(uow, comparators).has_errors
    with ws.reading() as session:
        data = load_dataset(session)
        row = next(r for r in scorecard(data) if r.code == "CPP-2YR")
        details = [r.detail for r in list_exceptions(session, Period.parse("2026Q3"), data, today=TODAY)]
        xlsx = report_bytes(session, "2026Q3", "xlsx", today=TODAY)
    assert row.latest == "not shown (numerator fewer than 5)" and row.small
    # above 3.4 for 3 or 4 plans (3.75%, 5%), below it for 0 to 2: the side would narrow it down
    assert row.comparator == "not compared (small numbers)"
    assert row.direction == "not shown (small numbers)"
    cells = " ".join(
        str(c)
        for sheet in load_workbook(io.BytesIO(xlsx)).worksheets
        for r in sheet.iter_rows(values_only=True)
        for c in r
    )
    for text in [row.latest, row.comparator, *details, cells]:
        assert "3.8" not in text and "0.4 pts" not in text, text
    figure = spc_figure(data, next(s for s in data.series.values() if s.indicator.code == "CPP-2YR"))
    for line in figure.axes[0].get_lines():
        assert 3.75 not in [round(float(y), 2) for y in line.get_ydata()], line.get_label()
    assert not figure.axes[0].collections  # no mean or limits: with the other quarters they give 3.75% back
    assert "Numerator fewer than 5\n(not shown)" in [t.get_text() for t in figure.axes[0].get_legend().get_texts()]


def test_no_verdict_beside_a_withheld_count_tells_which_count_it_is(ws: Workspace, tmp_path: Path) -> None:
    """ "fewer than 5" beside "Meets target" (a target of 0, lower is better) said the count was 0, and a
    gap listed "above" a comparator of 3.5 said it was 4: whatever the withheld count, every export says
    the same beside it (the target, the comparator gap, whether the gap is an exception at all)."""
    with ws.unit_of_work() as uow:
        for code, target in (("ED-SELFHARM", 0.0), ("EH-ASSESS", 4.0)):
            indicator = find_indicator(uow.session, code)
            draft = draft_of(uow.session, indicator)
            draft.target = target
            save_indicator(uow, draft, existing_uuid=indicator.uuid)
        comparators = write(
            tmp_path,
            "comparators.csv",
            "Code,Period,Comparator,Value,Source,Date\n"
            "ED-SELFHARM,2026Q3,England,2.5,NHS ECDS,01/11/2026\n"
            "EH-ASSESS,2026Q3,Statistical neighbours,3.5,DfE,01/11/2026\n"
            "EH-ASSESS,2026Q3,England,12,DfE,01/11/2026\n",
        )
        assert not import_comparators(uow, comparators).has_errors
    said: dict[int, object] = {}
    for count in range(5):
        path = write(
            tmp_path,
            f"figures-{count}.csv",
            HEADER
            + history("ED-SELFHARM", "ED", [20, 21, 19, 20, 22, 21, 20, count])
            + history("EH-ASSESS", "CSC", [3, 2, 4, 3, 2, 3, 2, count]),
        )
        with ws.unit_of_work() as uow:
            import_figures(uow, path, today=TODAY)
        with ws.reading() as session:
            data = load_dataset(session)
            rows = [
                (r.code, r.latest, r.comparator, r.target) for r in scorecard(data, period=Period.parse("2026Q3").index)
            ]
            gaps = [
                (r.code, r.detail)
                for r in list_exceptions(session, Period.parse("2026Q3"), data, today=TODAY)
                if r.kind == "comparator_gap"
            ]
        said[count] = (rows, gaps)
    assert said[0] == said[1] == said[2] == said[3] == said[4], said
    rows, gaps = said[0]  # type: ignore[misc]
    assert ("ED-SELFHARM", "fewer than 5", "", "not compared (small numbers)") in rows
    assert (
        "EH-ASSESS",
        "fewer than 5",
        "not compared (small numbers)",
        "not compared (small numbers)",
    ) in rows
    # below England's 12 whatever the count: listed, in words
    assert gaps == [("EH-ASSESS", "fewer than 5 against England 12: below (tolerance 10%).")]


def test_an_agencys_pack_paper_names_only_its_own_incomplete_return(ws: Workspace, tmp_path: Path) -> None:
    """A pack paper filtered to CSC listed CSC's exceptions only, but every agency's incomplete return
    beside them: the Police's return was named in a paper about CSC."""
    path = write(tmp_path, "part.csv", HEADER + "CSC,REF-RATE,2026Q3,500,,\nPolice,MISS-EPIS,2026Q3,140,,\n")
    with ws.unit_of_work() as uow:
        import_figures(uow, path, today=TODAY)
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    with ws.reading() as session:
        csc = find_agency(session, "CSC").uuid
        report = PACK_REPORTS.require("performance")
        papers = {}
        for name, filters in (("all", {"period": "2026Q3"}), ("csc", {"period": "2026Q3", "agency": csc})):
            buffer = io.BytesIO()
            SimpleDocTemplate(buffer, pagesize=A4).build(
                report.build(session, ReportRequest(as_of=date(2026, 10, 15), filters=filters))
            )
            papers[name] = _pdf_text(buffer.getvalue()).split("Returns incomplete", 1)[1]
    assert "CSC" in papers["all"] and "Police" in papers["all"]
    assert "CSC" in papers["csc"] and "Police" not in papers["csc"], papers["csc"]


def test_a_gap_that_rounds_to_nothing_has_no_minus_sign() -> None:
    """TRAIN-REACH at 84.6% against neighbours' 84.64% read "-0.0 pts vs neighbours" in the report: below by
    nothing. A gap is rounded before its sign is written."""
    assert comparator_gap(84.6, 84.64, "percent")[0] == "+0.0 pts"
    assert comparator_gap(99.6, 100.0, "count")[0] == "+0%"
    assert comparator_gap(0.96, 1.0, "days")[0] == "-4%"
    assert comparator_gap(84.6, 84.7, "percent")[0] == "-0.1 pts"


def _eh_assess_with_each_small_count(
    ws: Workspace, tmp_path: Path, figures: Callable[[int], list[int]]
) -> Iterator[tuple[int, Session, Dataset]]:
    """CSC's EH-ASSESS imported with `figures(count)` for each count under the threshold in turn: the count, a
    reading session and the dataset. What the outputs say must not change with the withheld count."""
    for count in range(5):
        path = write(tmp_path, f"eh-{count}.csv", HEADER + history("EH-ASSESS", "CSC", figures(count)))
        with ws.unit_of_work() as uow:
            import_figures(uow, path, today=TODAY)
        with ws.reading() as session:
            yield count, session, load_dataset(session)


def _card_and_exceptions(session: Session, data: Dataset) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    card = [(r.latest, r.signal) for r in scorecard(data)]
    listed = [(r.kind, r.detail) for r in list_exceptions(session, Period.parse("2026Q3"), data, today=TODAY)]
    return card, listed


def test_no_spc_signal_beside_a_withheld_count_tells_which_count_it_is(ws: Workspace, tmp_path: Path) -> None:
    """After 9, 8, 10, 9, 8, 9, 10 a withheld 0, 1 or 2 was "Concern: beyond a limit" and a 3 or 4 common
    cause, so the signal (or the exception's absence) narrowed "fewer than 5" down; and the chart's first
    quarter was marked an improvement only when the withheld count was 0. Whatever the count, the
    scorecard, the exception list and the chart now say the same."""
    said: dict[int, object] = {}
    for count, session, data in _eh_assess_with_each_small_count(ws, tmp_path, lambda c: [9, 8, 10, 9, 8, 9, 10, c]):
        card, listed = _card_and_exceptions(session, data)
        series = next(iter(data.series.values()))
        svg = re.sub(r'(id|xlink:href|clip-path)="[^"]*"', "", figure_svg(spc_figure(data, series)).decode())
        svg = re.sub(r"<dc:date>.*?</dc:date>", "", svg)
        said[count] = (card, listed, svg)
    assert all(said[count] == said[0] for count in range(5)), [said[c][:2] for c in range(5)]
    card, listed, svg = said[0]  # type: ignore[misc]
    assert card == [("fewer than 5", "not named (small numbers)")]
    assert [kind for kind, _ in listed if kind == "special_cause"] == ["special_cause"]  # listed for any count
    assert "Signal not named (small numbers)" in listed[-1][1]
    # the first quarter's marker, which only a 0 made an improvement (its legend entry on two lines)
    assert "Signal not shown" in svg and "(small numbers)" in svg


def test_no_spc_signal_tells_an_earlier_withheld_count(ws: Workspace, tmp_path: Path) -> None:
    """The last quarter is shown, but an earlier withheld count moves the limits it is judged by: after 5, 8, 6,
    a withheld count, 5, 13, the last 13 was an improvement for a withheld 3 or 4 and common cause for 0 to 2.
    The scorecard and the exceptions named it (the chart already did not)."""
    said = {
        count: _card_and_exceptions(session, data)
        for count, session, data in _eh_assess_with_each_small_count(ws, tmp_path, lambda c: [5, 8, 6, c, 5, 13, 13])
    }
    assert all(said[count] == said[0] for count in range(5)), [said[c] for c in range(5)]
    assert said[0][0] == [("13", "not named (small numbers)")]


def test_the_direction_between_two_withheld_counts_is_not_shown(ws: Workspace, tmp_path: Path) -> None:
    """After a withheld 3, the latest withheld count read "improving", "no change" or "worsening" by its value."""
    said = {
        tuple((r.latest, r.direction) for r in scorecard(data))
        for _count, _session, data in _eh_assess_with_each_small_count(ws, tmp_path, lambda c: [9, 8, 10, 9, 8, 3, c])
    }
    assert said == {(("fewer than 5", "not shown (small numbers)"),)}


def test_catalogue_xlsx_round_trip_and_its_validation(ws: Workspace, tmp_path: Path) -> None:
    with ws.reading() as session:
        data, count = catalogue_bytes(session)
    assert count == 21
    book = load_workbook(io.BytesIO(data))
    sheet = book["Indicators"]
    sheet.cell(2, 2).value = "A new name"
    sheet.append(["NEW-ONE", "A new indicator", "Workforce", "count", None, "higher", "quarterly", "", "HR"])
    good = tmp_path / "cat.xlsx"
    book.save(good)
    with ws.unit_of_work() as uow:
        report = import_catalogue(uow, good)
    assert report.counts["indicators to add"] == 1 and not report.has_errors
    with ws.reading() as session:
        assert find_indicator(session, "NEW-ONE").polarity == "higher"
        assert find_indicator(session, sheet.cell(2, 1).value).name == "A new name"
    sheet.cell(3, 4).value = "furlongs"
    bad = tmp_path / "bad.xlsx"
    book.save(bad)
    with ws.unit_of_work() as uow:
        report = import_catalogue(uow, bad)
    assert "bad.xlsx, row 3, column 'Unit': error: 'furlongs' is not one of" in report.to_text()


def test_a_catalogue_rows_bad_per_is_named_under_per_not_target(ws: Workspace, tmp_path: Path) -> None:
    """A catalogue row's Per of 'ten thousand' was reported under column 'Target', which was blank."""
    with ws.reading() as session:
        data, _count = catalogue_bytes(session)
    book = load_workbook(io.BytesIO(data))
    sheet = book["Indicators"]
    headings = {sheet.cell(1, c).value: c for c in range(1, sheet.max_column + 1)}
    sheet.cell(2, headings["Per"]).value = "ten thousand"
    sheet.cell(3, headings["Target"]).value = "most"
    bad = tmp_path / "bad.xlsx"
    book.save(bad)
    with ws.unit_of_work() as uow:
        text = import_catalogue(uow, bad, dry_run=True).to_text()
    assert "bad.xlsx, row 2, column 'Per': error: 'ten thousand' is text, not a number" in text
    assert "bad.xlsx, row 3, column 'Target': error: 'most' is text, not a number" in text
    assert "row 2, column 'Target'" not in text


def test_an_exception_says_which_way_its_run_went(ws: Workspace, tmp_path: Path) -> None:
    """Found in a trial: "Improvement: run of 7 rising or falling (high)" in the QA subgroup's pack left the
    reader to work out that the figures had risen; the rules now say so in words."""
    rising = [70, 71, 72, 73, 74, 75, 76.5]
    path = write(tmp_path, "f.csv", HEADER + history("ASMT-45", "CSC", [72, 70, 71, 72, 71, 70, *rising]))
    with ws.unit_of_work() as uow:
        import_figures(uow, path, today=TODAY)
    with ws.reading() as session:
        rows = list_exceptions(session, Period.parse("2026Q3"))
    detail = next(r.detail for r in rows if r.kind == "special_cause" and r.code == "ASMT-45")
    assert detail.startswith("Improvement: ") and "run of 7 rising" in detail
    assert "rising or falling" not in detail and "(high)" not in detail


def test_the_chart_in_words_gives_its_mean_and_limits_with_their_unit(ws: Workspace, tmp_path: Path) -> None:
    """Found in a trial: under the Indicator tab's chart "mean 3.9, process limits -1.6 to 9.3" for a
    percentage, where the exception list says "mean 23.3%, limits 15.8% to 30.7%"."""
    path = write(tmp_path, "f.csv", HEADER + history("CLA-RATE", "CSC", [60, 62, 61, 63, 60, 62]))
    with ws.unit_of_work() as uow:
        import_figures(uow, path, today=TODAY)
    with ws.reading() as session:
        data = load_dataset(session)
    text = chart_description(data, next(iter(data.series.values())))
    assert re.search(r"mean 61\.3 per 10,000, process limits [\d.]+ to [\d.]+ per 10,000; latest quarter 2026Q3", text)


def test_exceptions_commentary_and_an_action_from_one(ws: Workspace, tmp_path: Path) -> None:
    path = write(tmp_path, "f.csv", HEADER + history("MISS-EPIS", "Police", [100, 104, 98, 101, 99, 102, 100, 180]))
    with ws.unit_of_work() as uow:
        import_figures(uow, path, today=TODAY)
    with ws.reading() as session:
        rows = list_exceptions(session, Period.parse("2026Q3"))
    kinds = {(r.kind, r.code or r.agency) for r in rows}
    assert ("special_cause", "MISS-EPIS") in kinds and ("missing_return", "CSC") in kinds
    special = next(r for r in rows if r.kind == "special_cause")
    assert special.detail.startswith("Special cause: above the upper limit. Latest 180;")
    with ws.unit_of_work() as uow:
        save_commentary(uow, special, agency_commentary="Three young people, exploitation panel aware.")
        reference = create_action(uow, special, title="Review the exploitation plan")
    with ws.reading() as session:
        again = next(r for r in list_exceptions(session, Period.parse("2026Q3")) if r.uuid == special.uuid)
        action = session.scalars(select(Action).where(Action.reference == reference)).one()
        assert action.source_kind == "performance_exception" and action.source_uuid == special.uuid
        source = ACTION_SOURCES.require("performance_exception")
        resolved = source.resolve(session, "2026Q3/MISS-EPIS/Police")
        located = source.locate(session, special.uuid)
    assert again.agency_commentary.startswith("Three") and again.actions == [reference]
    assert resolved.uuid == special.uuid and located is not None and located.area == "performance"


def test_concurrent_commentary_from_two_members_merges(ws: Workspace, tmp_path: Path) -> None:
    from app.exchange import service
    from tests.helpers.members import introduce, make_member, send, swap

    path = write(tmp_path, "f.csv", HEADER + history("MISS-EPIS", "Police", [100, 104, 98, 101, 99, 102, 100, 180]))
    with ws.unit_of_work() as uow:
        import_figures(uow, path, today=TODAY)
    other = make_member(tmp_path, "Bo")
    try:
        introduce(ws, other)
        service.import_bundle(other, send(ws, [other], tmp_path / "start.bundle"))
        for member, field, text in ((ws, "agency_commentary", "From the agency"), (other, "panel_view", "Panel view")):
            with member.reading() as session:
                row = next(r for r in list_exceptions(session, Period.parse("2026Q3")) if r.kind == "special_cause")
            with member.unit_of_work() as uow:
                save_commentary(uow, row, **{field: text})
        swap(ws, other, tmp_path, "notes")
        for member in (ws, other):
            with member.reading() as session:
                note = session.scalars(select(ExceptionNote)).one()
                assert (note.agency_commentary, note.panel_view) == ("From the agency", "Panel view")
                assert session.scalar(select(func.count()).select_from(FigureValue)) == 8
    finally:
        other.lock()


def test_the_same_return_imported_by_two_members_is_one_figure_after_merge(ws: Workspace, tmp_path: Path) -> None:
    from app.exchange import service
    from tests.helpers.members import introduce, make_member, send

    other = make_member(tmp_path, "Cy")
    try:
        introduce(ws, other)
        service.import_bundle(other, send(ws, [other], tmp_path / "start.bundle"))
        path = write(tmp_path, "q.csv", HEADER + "CSC,CLA-RATE,2026Q3,60,,\n")
        for member in (ws, other):
            with member.unit_of_work() as uow:
                import_figures(uow, path, today=TODAY)
        service.import_bundle(ws, send(other, [ws], tmp_path / "b.bundle", service.Scope("since_last")))
        assert count_figures(ws) == 1
    finally:
        other.lock()


def test_the_threshold_and_tolerance_are_settings(ws: Workspace, tmp_path: Path) -> None:
    path = write(tmp_path, "ed.csv", HEADER + history("ED-SELFHARM", "ED", [6, 8, 7, 9, 8]))
    with ws.unit_of_work() as uow:
        import_figures(uow, path, today=TODAY)
    with pytest.raises(InvalidInput, match="small-number threshold"):
        with ws.unit_of_work() as uow:
            save_settings(uow, DataSettings(0, 10))
    with ws.unit_of_work() as uow:
        save_settings(uow, DataSettings(10, 25))
    with ws.reading() as session:
        assert load_settings(session) == DataSettings(10, 25.0)
        row = scorecard(load_dataset(session))[0]
    assert row.latest == "fewer than 10"


def test_a_filtered_scorecard_is_picked_from_the_whole_one(demo_workspace: Workspace) -> None:
    """The performance page computes the card once in its background load and filters it on the GUI thread."""
    with demo_workspace.reading() as session:
        data = load_dataset(session)
    card = scorecard(data)
    agencies = {r.agency_uuid for r in card}
    themes = {r.theme for r in card}
    assert len(agencies) > 1 and len(themes) > 1
    assert filter_scorecard(card) == card
    for agency in agencies:
        assert filter_scorecard(card, agency=agency) == scorecard(data, agency=agency)
        for theme in themes:
            assert filter_scorecard(card, agency=agency, theme=theme) == scorecard(data, agency=agency, theme=theme)
    for theme in themes:
        assert filter_scorecard(card, theme=theme) == scorecard(data, theme=theme)


def test_the_charts_heading_is_on_the_page_of_the_first_chart(demo_workspace: Workspace) -> None:
    """The demo's report ended page 2 with "SPC charts of the special-cause exceptions" and its key, the
    charts starting on page 3: a heading over nothing."""
    period = Period.containing(date.today()) - 1
    with demo_workspace.reading() as session:
        pdf = report_bytes(session, str(period), "pdf")
        first = next(r for r in list_exceptions(session, period) if r.kind == "special_cause")
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    pages = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    page = next(p for p in pages if "SPC charts of the special-cause exceptions" in p)
    after = page.split("SPC charts of the special-cause exceptions", 1)[1]
    assert f"{first.code} {first.indicator}: {first.agency}" in after.replace("\r\n", " ")


def test_a_quarter_not_yet_started_is_refused_not_all_missing(ws: Workspace) -> None:
    """The window and the command line ask the same service: a future quarter has no returns to miss."""
    with ws.reading() as session:
        for ask in (list_exceptions, missing_returns):
            with pytest.raises(
                InvalidInput, match=r"^2027Q1 \(Jan-Mar 2027\) has not started yet; the latest quarter is 2026Q4"
            ):
                ask(session, Period.parse("2027Q1"), today=TODAY)
        # the quarter under way has started, but its returns are not due yet: none is missing
        assert list_exceptions(session, Period.parse("2026Q4"), today=TODAY) == []
        assert list_exceptions(session, Period.parse("2026Q3"), today=TODAY)[0].kind == "missing_return"


def test_xlsx_text_that_looks_like_a_formula_is_shown_as_written(ws: Workspace, tmp_path: Path) -> None:
    """The scorecard's "+12.0 pts vs neighbours" read "'+12.0 pts vs neighbours" in Excel: it is now
    quote-prefixed text with no apostrophe, and catalogue text an agency typed survives a round trip."""
    path = write(tmp_path, "f.csv", HEADER + "CSC,REF-REPEAT,2026Q3,27.2,,\n")
    comparators = _neighbours_csv(tmp_path, "REF-REPEAT", 15.2)
    with ws.unit_of_work() as uow:
        import_figures(uow, path, today=TODAY)
        assert not import_comparators(uow, comparators).has_errors
        draft = IndicatorDraft(
            code="HOSTILE",
            name="\uff1dSUM(A1) fullwidth",
            definition="-ve screens counted",
            numerator="\u200b=1+1 behind a zero-width space",
        )
        save_indicator(uow, draft)
    with ws.reading() as session:
        xlsx = report_bytes(session, "2026Q3", "xlsx")
        catalogue, _count = catalogue_bytes(session)
    sheet = load_workbook(io.BytesIO(xlsx))["Scorecard"]
    gaps = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and "vs neighbours" in c.value]
    assert [c.value for c in gaps] == ["+12.0 pts vs neighbours"]
    assert gaps[0].data_type == "s" and gaps[0].quotePrefix
    book = load_workbook(io.BytesIO(catalogue))
    cells = {c.value: c for row in book["Indicators"].iter_rows() for c in row if isinstance(c.value, str)}
    for text in (draft.name, draft.definition, draft.numerator):
        assert text in cells and cells[text].quotePrefix and cells[text].data_type == "s", repr(text)
    assert not [v for v in cells if v.startswith("'")]
    # imported back unchanged: nothing gains an apostrophe on the way round
    round_trip = tmp_path / "catalogue.xlsx"
    round_trip.write_bytes(catalogue)
    with ws.unit_of_work() as uow:
        report = import_catalogue(uow, round_trip)
    assert not report.has_errors, report.to_text()
    with ws.reading() as session:
        back = find_indicator(session, "HOSTILE")
        assert (back.name, back.definition, back.numerator) == (draft.name, draft.definition, draft.numerator)


def test_the_scorecard_heading_is_never_alone_at_the_foot_of_a_page(ws: Workspace, tmp_path: Path) -> None:
    """The scorecard is a long table, split across pages where it stands, so its heading did not keep with
    it: whenever the exceptions above it ended near the foot of a page, "Scorecard" and its note stood
    there alone, the table starting overleaf. However long the commentary above it, the heading is now on
    the page of the table's first rows."""
    import pypdfium2

    from app.performance.returns import indicators_for

    with ws.reading() as session:
        codes = [i.code for i in indicators_for(session, find_agency(session, "CSC"))]
    assert len(codes) > 8  # a table long enough to be split where it stands
    lines = "".join(f"CSC,{code},{quarter},50,,\n" for code in codes for quarter in ("2026Q2", "2026Q3"))
    with ws.unit_of_work() as uow:
        import_figures(uow, write(tmp_path, "csc.csv", HEADER + lines), today=TODAY)
    period = Period.parse("2026Q3")
    with ws.reading() as session:
        first_row = scorecard(load_dataset(session))[0].code
        commented = list_exceptions(session, period, today=TODAY)[0]
    pages_of_heading = set()
    for count in range(0, 150, 2):  # the commentary pushes the scorecard down the pages, line by line
        with ws.unit_of_work() as uow:
            save_commentary(uow, commented, agency_commentary="A reason given. " * count)
        with ws.reading() as session:
            document = pypdfium2.PdfDocument(report_bytes(session, "2026Q3", "pdf", today=TODAY))
        pages = [document[i].get_textpage().get_text_range() for i in range(len(document))]
        page = next(p for p in pages if "Latest figures are for 2026Q3" in p)
        pages_of_heading.add(pages.index(page))
        under = page.split("Latest figures are for 2026Q3", 1)[1]
        assert first_row in under, f"{count} reasons given: the scorecard heading is alone at the foot of a page"
    assert len(pages_of_heading) > 2  # the heading went down more than one page


def test_a_commentary_longer_than_a_page_is_printed_whole(ws: Workspace, tmp_path: Path) -> None:
    """An agency's commentary of a few paragraphs (2,600 characters) made its row of the exceptions table
    taller than a page: the PDF report and the meeting pack's paper were refused ("Flowable too large"),
    an unexpected error in the window. The row now goes on over the pages it needs, every word printed."""
    import pypdfium2

    with ws.unit_of_work() as uow:
        import_figures(uow, write(tmp_path, "csc.csv", HEADER + history("REF-REPEAT", "CSC", [20, 21])), today=TODAY)
    period = Period.parse("2026Q3")
    with ws.reading() as session:
        commented = list_exceptions(session, period, today=TODAY)[0]
    reasons = " ".join(f"Reason {n} given by the agency." for n in range(1, 1001))  # 30,000 characters
    with ws.unit_of_work() as uow:
        save_commentary(uow, commented, agency_commentary=reasons)
    with ws.reading() as session:
        document = pypdfium2.PdfDocument(report_bytes(session, "2026Q3", "pdf", today=TODAY))
        text = " ".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
        paper = PACK_REPORTS.require("performance").build(session, ReportRequest(as_of=date(2026, 11, 20)))
    assert len(document) > 3
    printed = re.findall(r"Reason (\d+) given", text.replace("\r\n", " "))
    assert [int(n) for n in printed] == list(range(1, 1001))  # every reason, once, in order
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    from app.office.pdf_styles import MARGINS

    pack = io.BytesIO()  # the paper in a pack's portrait A4 frame
    SimpleDocTemplate(pack, pagesize=A4, **{f"{k}Margin": v for k, v in MARGINS.items()}).build(paper)
    assert len(pypdfium2.PdfDocument(pack.getvalue())) > 3


#: returns are due 30 days after the quarter ends unless the partnership says otherwise
Q4 = Period.parse("2026Q4")
DUE = date(2027, 1, 30)  # 31 December 2026 and 30 days
DAY_AFTER = date(2027, 1, 31)


def _csc_sends_2026q4(ws: Workspace, tmp_path: Path) -> None:
    """CSC sends two figures for 2026Q4, the three other agencies nothing yet."""
    path = write(tmp_path, "q4.csv", HEADER + "CSC,REF-RATE,2026Q4,500,,\nCSC,CLA-RATE,2026Q4,60,,\n")
    with ws.unit_of_work() as uow:
        import_figures(uow, path, today=date(2027, 1, 5))


def _missing_kinds(ws: Workspace, today: date) -> list[str]:
    with ws.reading() as session:
        return sorted(r.agency for r in list_exceptions(session, Q4, today=today) if r.kind == "missing_return")


def test_no_return_is_missing_until_the_day_after_it_is_due(ws: Workspace, tmp_path: Path) -> None:
    """The current quarter listed every agency that had sent nothing yet as a "Missing return"."""
    _csc_sends_2026q4(ws, tmp_path)
    for today in (date(2026, 12, 5), date(2027, 1, 1), DUE):
        assert _missing_kinds(ws, today) == [], today
        with ws.reading() as session:
            missing = missing_returns(session, Q4, today=today)
        assert list(missing) == [] and not missing.overdue
        assert missing.not_yet_due() == "Returns for 2026Q4 are due by 30 Jan 2027; 1 of 4 agencies has sent figures."
    assert _missing_kinds(ws, DAY_AFTER) == ["ED", "Housing", "Police"]
    with ws.reading() as session:
        missing = missing_returns(session, Q4, today=DAY_AFTER)
    assert missing.overdue and {agency for agency, _received, _expected in missing} == {
        "CSC",
        "ED",
        "Housing",
        "Police",
    }


def test_the_due_date_is_a_setting_the_other_settings_keep(ws: Workspace, tmp_path: Path) -> None:
    _csc_sends_2026q4(ws, tmp_path)
    with ws.reading() as session:
        assert load_settings(session).returns_due_days == 30
    with ws.unit_of_work() as uow:
        save_settings(uow, replace(load_settings(uow.session), returns_due_days=45))
    with ws.unit_of_work() as uow:  # as `data settings --small-number 10` saves: the due date is kept
        save_settings(
            uow, replace(load_settings(uow.session), small_number_threshold=10, comparator_tolerance_percent=25)
        )
    with ws.reading() as session:
        assert load_settings(session) == DataSettings(10, 25.0, 45)
        assert list(missing_returns(session, Q4, today=DAY_AFTER)) == []
        assert (
            missing_returns(session, Q4, today=DAY_AFTER)
            .not_yet_due()
            .startswith("Returns for 2026Q4 are due by 14 Feb 2027;")
        )
    assert _missing_kinds(ws, date(2027, 2, 14)) == []
    assert _missing_kinds(ws, date(2027, 2, 15)) == ["ED", "Housing", "Police"]
    for days in (-1, 367):
        with pytest.raises(InvalidInput, match="from 0 to 366 days after the quarter ends"):
            with ws.unit_of_work() as uow:
                save_settings(uow, replace(load_settings(uow.session), returns_due_days=days))
    with ws.reading() as session:
        assert load_settings(session).returns_due_days == 45


def _report_texts(ws: Workspace, today: date) -> tuple[list[list[object]], str]:
    import pypdfium2

    with ws.reading() as session:
        book = load_workbook(io.BytesIO(report_bytes(session, "2026Q4", "xlsx", today=today)))
        pdf = pypdfium2.PdfDocument(report_bytes(session, "2026Q4", "pdf", today=today))
    sheet = book["Missing returns"]
    rows = [[c for c in row if c is not None] for row in sheet.iter_rows(min_row=4, values_only=True)]
    text = " ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    return rows, " ".join(text.split())


def test_the_report_says_returns_are_not_yet_due_rather_than_naming_them_missing(ws: Workspace, tmp_path: Path) -> None:
    _csc_sends_2026q4(ws, tmp_path)
    rows, text = _report_texts(ws, DUE)
    assert rows == [["Not yet due: Returns for 2026Q4 are due by 30 Jan 2027; 1 of 4 agencies has sent figures."]]
    assert "Returns not yet due. Returns for 2026Q4 are due by 30 Jan 2027" in text
    assert "Missing return" not in text and "Housing" not in text
    rows, text = _report_texts(ws, DAY_AFTER)
    assert sorted(str(row[0]) for row in rows) == ["CSC", "ED", "Housing", "Police"]
    assert "not yet due" not in text and text.count("Missing return") == 3

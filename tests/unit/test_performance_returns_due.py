"""Returns are due some days after their quarter ends: before then an agency that has sent nothing is not a
"Missing return", and the lists and reports say the returns are not yet due (real encrypted workspaces)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.agencies import add_agency
from app.errors import InvalidInput
from app.performance.catalogue import install_starter
from app.performance.exceptions import list_exceptions, missing_returns
from app.performance.figures import import_figures
from app.performance.periods import Period
from app.performance.reports import report_bytes
from app.performance.settings import DataSettings, load_settings, save_returns_due, save_settings
from app.store.workspace import Workspace

Q4 = Period.parse("2026Q4")
DUE = date(2027, 1, 30)  # 31 December 2026 and 30 days
DAY_AFTER = date(2027, 1, 31)


@pytest.fixture
def ws(workspace: Workspace, tmp_path: Path) -> Iterator[Workspace]:
    """Four agencies reporting; CSC has sent two figures for 2026Q4, the others nothing yet."""
    with workspace.unit_of_work() as uow:
        for name, short in (
            ("Children's Social Care", "CSC"),
            ("Police", "Police"),
            ("Emergency Department", "ED"),
            ("Housing", "Housing"),
        ):
            add_agency(uow, name, short)
        install_starter(uow)
    path = tmp_path / "csc.csv"
    path.write_text(
        "Agency,Code,Period,Value,Numerator,Denominator\nCSC,REF-RATE,2026Q4,500,,\nCSC,CLA-RATE,2026Q4,60,,\n",
        encoding="utf-8",
    )
    with workspace.unit_of_work() as uow:
        import_figures(uow, path, today=date(2027, 1, 5))
    yield workspace


def _missing_kinds(ws: Workspace, today: date) -> list[str]:
    with ws.reading() as session:
        return sorted(r.agency for r in list_exceptions(session, Q4, today=today) if r.kind == "missing_return")


def test_no_return_is_missing_until_the_day_after_it_is_due(ws: Workspace) -> None:
    """The current quarter listed every agency that had sent nothing yet as a "Missing return"."""
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


def test_the_due_date_is_a_setting_the_other_settings_keep(ws: Workspace) -> None:
    with ws.reading() as session:
        assert load_settings(session).returns_due_days == 30
    with ws.unit_of_work() as uow:
        save_returns_due(uow, 45)
    with ws.unit_of_work() as uow:  # as `data settings --threshold 10` saves: the due date is kept
        save_settings(uow, DataSettings(10, 25))
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
                save_returns_due(uow, days)
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


def test_the_report_says_returns_are_not_yet_due_rather_than_naming_them_missing(ws: Workspace) -> None:
    rows, text = _report_texts(ws, DUE)
    assert rows == [["Not yet due: Returns for 2026Q4 are due by 30 Jan 2027; 1 of 4 agencies has sent figures."]]
    assert "Returns not yet due. Returns for 2026Q4 are due by 30 Jan 2027" in text
    assert "Missing return" not in text and "Housing" not in text
    rows, text = _report_texts(ws, DAY_AFTER)
    assert sorted(str(row[0]) for row in rows) == ["CSC", "ED", "Housing", "Police"]
    assert "not yet due" not in text and text.count("Missing return") == 3

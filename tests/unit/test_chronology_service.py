"""Chronology entries, rows, imports and duplicate pairs on a real encrypted workspace."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import func, select

from app.chronology import service as svc
from app.chronology.import_service import (
    commit_import,
    import_file,
    prepare_import,
    propose_mapping,
    read_return,
)
from app.chronology.rows import (
    RowFilter,
    age_at,
    filter_rows,
    load_rows,
    sorted_indices,
)
from app.dates.fuzzy import DatePrecision, FuzzyDate
from app.errors import InvalidInput
from app.reviews.analysis import add_episode
from db.models.core import AuditEntry
from db.models.reviews import ChronologyEntry, DuplicateLink
from tests.helpers.reviews import add_police_visit, child_review


@pytest.fixture
def review(workspace):
    with workspace.unit_of_work() as uow:
        agencies = [("Northbridge Police", "Police"), ("Health Visiting", "HV"), ("Riverside GP", "GP")]
        created = child_review(uow, agencies, scoped=True)
        return workspace, created.uuid


def _count(workspace, model=ChronologyEntry) -> int:
    with workspace.reading() as session:
        return session.scalar(select(func.count()).select_from(model).where(model.deleted_stamp.is_(None)))


def test_entries_sort_by_date_time_sequence_with_uncertain_dates_predictable(review):
    workspace, review_uuid = review
    with workspace.unit_of_work() as uow:

        def add(when, time=None, agency="HV"):
            svc.add_entry(
                uow,
                review_uuid,
                start_date=when,
                agency=agency,
                source="record",
                event=f"at {when} {time}",
                start_time=time,
            )

        add("02/05/2016")
        add("May 2016")
        add("01/05/2016", "14:00")
        add("01/05/2016", "9.30am", "Police")
        add("01/05/2016")
        add("c. 2016")
        add("2016")
    with workspace.reading() as session:
        rows = load_rows(session, review_uuid)
    assert [r.event for r in rows] == [
        "at 2016 None",
        "at c. 2016 None",
        "at 01/05/2016 None",
        "at 01/05/2016 9.30am",
        "at 01/05/2016 14:00",
        "at May 2016 None",
        "at 02/05/2016 None",
    ]
    assert [r.uncertain for r in rows] == [True, True, False, False, False, True, False]
    assert rows[3].start_time == "09:30" and rows[3].interval_days == 0
    assert rows[-1].interval_days is None  # the previous entry (May 2016) is not known to the day
    assert rows[2].age_text == "1y 1m" and rows[0].age_text == "0y 9m–1y 9m" and rows[1].age_text.startswith("c. ")


def test_age_at_handles_precision_and_pre_birth():
    born = date(2015, 3, 10)
    assert age_at(born, FuzzyDate.of_day(date(2016, 3, 9))) == ("0y 11m", 11)
    assert age_at(born, FuzzyDate.of_day(date(2016, 3, 10))) == ("1y 0m", 12)
    assert age_at(born, FuzzyDate.of_month(2016, 3))[0] == "0y 11m–1y 0m"
    assert age_at(born, FuzzyDate.of_day(date(2014, 12, 1)))[0] == "pre-birth"
    assert age_at(born, FuzzyDate.of_year(2017, approximate=True))[0] == "c. 1y 9m–2y 9m"
    assert age_at(None, FuzzyDate.of_year(2017)) == ("", None)


@given(
    st.lists(
        st.builds(
            lambda d, p, a: (
                FuzzyDate.of_day(d, a)
                if p == 0
                else (FuzzyDate.of_month(d.year, d.month, a) if p == 1 else FuzzyDate.of_year(d.year, a))
            ),
            st.dates(date(1950, 1, 1), date(2090, 12, 31)),
            st.integers(0, 2),
            st.booleans(),
        ),
        min_size=2,
        max_size=30,
    )
)
def test_date_key_orders_exactly_like_sort_key(dates):
    assert sorted(dates, key=svc.date_key) == sorted(dates, key=FuzzyDate.sort_key)
    assert all((svc.date_key(d) // 8) == d.earliest().toordinal() for d in dates)


def test_edit_duplicate_delete_restore_and_episode_links(review):
    workspace, review_uuid = review
    with workspace.unit_of_work() as uow:
        episode = add_episode(uow, review_uuid, "Referral")
        entry = svc.add_entry(
            uow,
            review_uuid,
            start_date="22.05.16",
            agency="HV",
            source="HV1 diary",
            event="Visit",
            episodes=[episode.uuid],
        )
        entry_uuid, episode_uuid = entry.uuid, episode.uuid
        before = svc.entry_values(entry)
    with workspace.unit_of_work() as uow:
        assert svc.update_entry(uow, entry_uuid, start_date="June 2016", significant=True, agency="Police")
        assert not svc.update_entry(uow, entry_uuid, significant=True)
        with pytest.raises(InvalidInput, match="cannot be read"):
            svc.update_entry(uow, entry_uuid, start_date="31/02/2016")
    with workspace.reading() as session:
        entry = session.get(ChronologyEntry, entry_uuid)
        assert entry.start_date == "2016-06" and entry.date_key == svc.date_key(FuzzyDate.of_month(2016, 6))
    with workspace.unit_of_work() as uow:  # undo
        svc.update_entry(uow, entry_uuid, **before)
        copy = svc.duplicate_entry(uow, entry_uuid)
        assert svc.entry_episode_uuids(uow.session, copy.uuid) == [episode_uuid]
    with workspace.unit_of_work() as uow:
        deleted = svc.delete_entry(uow, entry_uuid)
    assert _count(workspace) == 1
    with workspace.reading() as session:  # the tombstone holds no content: undo keeps what it held
        tomb = session.get(ChronologyEntry, entry_uuid)
        assert (
            tomb.is_deleted
            and tomb.event == tomb.source == tomb.start_date == ""
            and tomb.field_stamps.keys()
            == {
                "review_uuid",
                "agency_uuid",
            }
        )
    with workspace.unit_of_work() as uow:
        restored = svc.restore_entry(uow, deleted)
        assert restored.uuid != entry_uuid and restored.start_date == "2016-05-22"
        assert svc.entry_episode_uuids(uow.session, restored.uuid) == [episode_uuid]
        svc.set_entry_episodes(uow, restored.uuid, [])
        assert svc.entry_episode_uuids(uow.session, restored.uuid) == []
    assert _count(workspace) == 2


def test_filters_and_column_sorting(review):
    workspace, review_uuid = review
    with workspace.unit_of_work() as uow:
        episode = add_episode(uow, review_uuid, "KPE")
        svc.add_entry(
            uow, review_uuid, start_date="01/02/2016", agency="GP", source="GP", event="Cough", child_seen=True
        )
        svc.add_entry(
            uow,
            review_uuid,
            start_date="03/02/2016",
            agency="Police",
            source="PPU",
            event="Arrest",
            significant=True,
            episodes=[episode.uuid],
        )
        svc.add_entry(uow, review_uuid, start_date="2016", agency="HV", source="HV", event="Visits during the year")
    with workspace.reading() as session:
        rows = load_rows(session, review_uuid)

    def events(idx):
        return [rows[i].event for i in idx]

    assert events(filter_rows(rows, RowFilter(text="ARREST"))) == ["Arrest"]
    assert events(filter_rows(rows, RowFilter(significant_only=True))) == ["Arrest"]
    assert events(filter_rows(rows, RowFilter(episode_uuid=episode.uuid))) == ["Arrest"]
    assert events(filter_rows(rows, RowFilter(child_seen=True))) == ["Cough"]
    # a year-only date overlaps any range inside its year
    assert events(filter_rows(rows, RowFilter(date_from=date(2016, 2, 2), date_to=date(2016, 2, 28)))) == [
        "Visits during the year",
        "Arrest",
    ]
    assert events(sorted_indices(rows, "agency")) == ["Cough", "Visits during the year", "Arrest"]
    assert events(sorted_indices(rows, "date", descending=True)) == ["Arrest", "Cough", "Visits during the year"]


def _write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


HEADER = [
    "Ref",
    "Date of contact",
    "Source of information",
    "Details of event",
    "Outcome / action taken",
    "Was the child seen?",
    "Voice of the child",
    "KPE",
]


def test_import_with_errors_writes_nothing_then_skip_invalid_imports_the_rest(review, tmp_path):
    workspace, review_uuid = review
    with workspace.unit_of_work() as uow:
        add_episode(uow, review_uuid, "Referral")
        add_police_visit(uow, review_uuid)
    path = _write_csv(
        tmp_path / "hv.csv",
        [
            ["Health visiting chronology"],
            [],
            HEADER,
            [
                "1",
                "22/05/2016",
                "HV1 diary",
                "Joint home visit to mother with police and health visitor",
                "Advice",
                "Yes",
                "Said she was sad",
                "1",
            ],
            ["2", "c. May 2016", "HV record", "Phone call", "", "No", "", ""],
            [],
            ["3", "05/22/2016", "HV record", "Month-first date", "", "", "", ""],
            ["4", "23.05.16", "", '=HYPERLINK("x")', "", "", "", ""],
        ],
    )
    audit_before = _audit_count(workspace)
    with pytest.raises(InvalidInput, match="2 rows of hv.csv have errors; nothing was imported"):
        with workspace.unit_of_work() as uow:
            import_file(uow, review_uuid, "HV", path)
    assert _count(workspace) == 1 and _audit_count(workspace) == audit_before
    with workspace.unit_of_work() as uow:
        plan, result = import_file(uow, review_uuid, "HV", path, skip_invalid=True)
    text = plan.report.to_text()
    assert "Row 7, Start date" in text and "month 22 does not exist" in text
    assert "Source of information is missing" in text
    assert result.created == 2 and result.skipped_rows == 2 and result.duplicates_flagged == 1
    assert _audit_count(workspace) == audit_before + 1  # one summary entry for the import
    with workspace.reading() as session:
        rows = {r.event: r for r in load_rows(session, review_uuid)}
        pair_status = session.scalars(select(DuplicateLink.status)).one()
    visit = rows["Joint home visit to mother with police and health visitor"]
    assert visit.child_seen is True and visit.child_voice is True and visit.child_voice_note == "Said she was sad"
    assert len(visit.episodes) == 1 and visit.duplicates == 1 and pair_status == "suggested"
    assert rows["Phone call"].date.precision is DatePrecision.MONTH and rows["Phone call"].date.approximate
    assert _count(workspace) == 3  # the duplicate was flagged, never removed


def _audit_count(workspace) -> int:
    with workspace.reading() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry))


def test_xlsx_with_excel_dates_serials_and_header_override(review, tmp_path):
    workspace, review_uuid = review
    book = Workbook()
    sheet = book.active
    sheet.append(["Police return"])
    sheet.append(["Date", "Time", "Who recorded", "What happened", "Notes"])
    sheet.append([date(2016, 5, 22), "14:05", "PC1", "Attended address", "n/a"])
    sheet.append([42512, None, "PC2", "Serial-number date", ""])
    sheet.append([None, None, None, None, None])
    sheet.append(["2016", None, "PPU", "Year only", ""])
    book.save(tmp_path / "police.xlsx")
    table = read_return(tmp_path / "police.xlsx")
    mapping = propose_mapping(table, ["Who recorded=source", "Notes=ignore"])
    assert mapping["Who recorded"] == "source" and mapping["Notes"] is None
    with workspace.unit_of_work() as uow:
        plan = prepare_import(uow.session, review_uuid, "Police", table, mapping, today=date(2026, 1, 1))
        assert not plan.report.has_errors, plan.report.to_text()
        result = commit_import(uow, plan)
    assert result.created == 3
    with workspace.reading() as session:
        rows = load_rows(session, review_uuid)
    # untimed events of a day come before timed ones; 42512 is Excel's serial for 22/05/2016
    assert [(r.date_text, r.start_time, r.source) for r in rows] == [
        ("2016", None, "PPU"),
        ("22/05/2016", None, "PC2"),
        ("22/05/2016", "14:05", "PC1"),
    ]


def test_docx_table_import_and_unknown_agency_column_is_an_error(review, tmp_path):
    workspace, review_uuid = review
    document = Document()
    document.add_paragraph("GP chronology for the review")
    table = document.add_table(rows=1, cols=4)
    for cell, text in zip(table.rows[0].cells, ["Date of event", "Agency", "Source", "Event / contact"], strict=False):
        cell.text = text
    for values in (["22-May-16", "GP", "GP record", "Consultation"], ["2016-06-01", "Fire service", "x", "y"]):
        for cell, text in zip(table.add_row().cells, values, strict=False):
            cell.text = text
    document.save(tmp_path / "gp.docx")
    with workspace.unit_of_work() as uow:
        plan, result = import_file(uow, review_uuid, "GP", tmp_path / "gp.docx", dry_run=True)
    assert result is None and plan.report.rows_with_errors == 1
    text = plan.report.to_text()
    assert "unknown agency 'Fire service' (known agencies: " in text  # the names it could have been
    assert {"GP", "HV", "Police"} <= set(text.split("(known agencies: ")[1].split(")")[0].split(", "))
    assert _count(workspace) == 0

"""The fast import paths agree with the plain ones (issue 15).

* The streaming XLSX reader gives the values openpyxl's read-only mode gives, for any mix of
  text, numbers, booleans, dates, times and blanks.
* A streamed one-pass import (``import_file``: rows checked and written as they are read, in
  batches) writes exactly the rows, fields, links and report that the plain path writes
  (``read_return`` -> ``prepare_import`` -> ``commit_import`` with every row held).
* The CSV reader and the report survive any text (no exception other than ImportFileError).
"""

from __future__ import annotations

import csv
import itertools
import re
from datetime import date, datetime

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.agencies import add_agency
from app.chronology.import_service import (
    commit_import,
    import_file,
    prepare_import,
    propose_mapping,
    read_return,
)
from app.chronology.importers import ImportFileError, open_table
from app.chronology.xlsx_stream import XlsxBook
from app.reviews.register import add_review
from db.models.reviews import ChronologyEntry, DuplicateLink

TODAY = date(2026, 1, 1)
FIXTURE_SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)

texts = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)
cells = st.one_of(
    st.none(),
    texts,
    st.integers(-(10**9), 10**9),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.datetimes(min_value=datetime(1901, 1, 1), max_value=datetime(2099, 12, 31)).map(
        lambda d: d.replace(microsecond=0)
    ),
    st.dates(min_value=date(1901, 1, 1), max_value=date(2099, 12, 31)),
    st.times().map(lambda t: t.replace(microsecond=0)),
)


def _trimmed(row: tuple) -> tuple:
    values = list(row)
    while values and values[-1] is None:
        values.pop()
    return tuple(values)


@FIXTURE_SETTINGS
@given(rows=st.lists(st.lists(cells, max_size=6), min_size=1, max_size=12))
def test_streaming_xlsx_reader_matches_openpyxl(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("x") / "book.xlsx"
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append([v.strip() or None if isinstance(v, str) and v.startswith("=") else v for v in row])
    book.save(path)
    expected_book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    expected = [_trimmed(r) for r in expected_book.active.iter_rows(values_only=True)]
    expected_book.close()
    with XlsxBook(str(path)) as streamed:
        got = dict(streamed.rows(streamed.sheets[0]))
    for number, row in enumerate(expected, start=1):
        assert got.get(number, ()) == (row if any(v is not None for v in row) else ())


# -- the streamed import and the plain one write the same -----------------------------------

date_cells = st.sampled_from(
    [
        "22/05/2016",
        "23.05.16",
        "May 2016",
        "31/02/2016",
        "",
        "c. 2015",
        "2016-06-01",
        "42512",
        "yesterday",
        "01/01/2030",
    ]
)
event_cells = st.sampled_from(
    [
        "Home visit",
        "Joint home visit to mother with health visitor",
        "=HYPERLINK(1)",
        "",
        "Strategy meeting",
        "+44 1234",
        "Visit \u202e",
    ]
)
row_strategy = st.tuples(
    date_cells,
    st.sampled_from(["GP", "HV1", "", "s" * 2_100]),
    event_cells,
    st.sampled_from(["Y", "N", "", "maybe", "Said she was happy"]),
    st.sampled_from(["", "Police", "HV", "Unknown agency"]),
    st.sampled_from(["", "10:30", "9.15am", "25:00"]),
)


def _stored(workspace, review_uuid: str) -> tuple[list[tuple], list[tuple]]:
    ignored = {"uuid", "review_uuid", "field_stamps", "updated_stamp", "origin_member"}
    columns = [c for c in ChronologyEntry.__table__.columns if c.key not in ignored]
    with workspace.reading() as session:
        entries = session.execute(
            select(*columns, ChronologyEntry.uuid)
            .where(ChronologyEntry.review_uuid == review_uuid)
            .order_by(ChronologyEntry.sequence)
        ).all()
        position = {row[-1]: index for index, row in enumerate(entries)}
        links = sorted(
            (position[a] if a in position else a, position[b] if b in position else b, status)
            for a, b, status in session.execute(
                select(DuplicateLink.entry_a, DuplicateLink.entry_b, DuplicateLink.status).where(
                    DuplicateLink.review_uuid == review_uuid
                )
            )
        )
    return [tuple(row[:-1]) for row in entries], [tuple(str(v) for v in link) for link in links]


_counter = itertools.count()
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _without_ids(text: str) -> str:
    return _UUID.sub("<id>", text)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(rows=st.lists(row_strategy, min_size=1, max_size=12))
def test_streamed_import_writes_what_the_plain_path_writes(workspace, tmp_path_factory, rows):
    if not getattr(workspace, "_prepared_for_props", False):
        with workspace.unit_of_work() as uow:
            add_agency(uow, "Northbridge Police", "Police")
            add_agency(uow, "Health Visiting", "HV")
        workspace._prepared_for_props = True  # type: ignore[attr-defined]
    path = tmp_path_factory.mktemp("r") / "return.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Date", "Source", "Event", "Child seen", "Agency", "Time"])
        writer.writerows(rows)
    reviews = []
    with workspace.unit_of_work() as uow:
        for _ in range(2):
            review = add_review(
                uow,
                kind="lcspr",
                title=f"P{next(_counter)}",
                subject_pseudonym="Child A",
                subject_dob=date(2014, 6, 1),
                scope_from=date(2015, 1, 1),
                scope_to=date(2017, 12, 31),
            )
            reviews.append(review.uuid)
    plain_review, fast_review = reviews
    # An entry of another agency in each review, so that duplicate links are compared too.
    from app.chronology import service as svc

    with workspace.unit_of_work() as uow:
        for review_uuid in reviews:
            svc.add_entry(
                uow,
                review_uuid,
                start_date="22/05/2016",
                agency="Police",
                source="PPU",
                event="Joint home visit to mother with health visitor",
            )
    try:
        table = read_return(path)
    except ImportFileError:
        return  # not a chronology at all (e.g. every row blank): both paths refuse it alike
    with workspace.unit_of_work() as uow:
        plan = prepare_import(uow.session, plain_review, "HV", table, propose_mapping(table), today=TODAY)
        plain_result = commit_import(uow, plan, skip_invalid=True)
    with workspace.unit_of_work() as uow:
        fast_plan, fast_result = import_file(uow, fast_review, "HV", path, skip_invalid=True, today=TODAY)
    assert fast_result is not None
    assert (fast_result.created, fast_result.skipped_rows, fast_result.duplicates_flagged) == (
        plain_result.created,
        plain_result.skipped_rows,
        plain_result.duplicates_flagged,
    )
    # Messages name the other agency's entry, which has its own uuid in each review.
    assert _without_ids(fast_plan.report.to_text()) == _without_ids(plan.report.to_text())
    assert [(i.row_number, i.field, i.severity) for i in fast_plan.report.issues] == [
        (i.row_number, i.field, i.severity) for i in plan.report.issues
    ]
    plain_rows, plain_links = _stored(workspace, plain_review)
    fast_rows, fast_links = _stored(workspace, fast_review)
    assert fast_rows == plain_rows
    assert len(fast_links) == len(plain_links)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=400), delimiter=st.sampled_from([",", ";", "\t", "|"]))
def test_any_csv_text_is_read_or_refused_with_one_message(tmp_path_factory, text, delimiter):
    path = tmp_path_factory.mktemp("c") / "any.csv"
    path.write_text(f"Date{delimiter}Source{delimiter}Event\n" + text, encoding="utf-8")
    try:
        source = open_table(path)
        rows = list(source.iter_rows())
        assert all(row.row_number >= 2 for row in rows)
        assert source.row_count == len(rows)
    except ImportFileError as exc:
        assert str(exc).startswith("any.csv: ")

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
from datetime import date, datetime, time
from typing import Any

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

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
from tests.helpers.reviews import add_police_visit

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


def _scoped_review(uow: Any, prefix: str) -> str:
    """A fresh review scoped 2015-2017 (the generated rows' dates fall in and out of it)."""
    return add_review(
        uow,
        kind="lcspr",
        title=f"{prefix}{next(_counter)}",
        subject_pseudonym="Child A",
        subject_dob=date(2014, 6, 1),
        scope_from=date(2015, 1, 1),
        scope_to=date(2017, 12, 31),
    ).uuid


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _without_ids(text: str) -> str:
    return _UUID.sub("<id>", text)


def _same_import(plan: Any, result: Any, plain_plan: Any, plain_result: Any) -> None:
    """The import of `plan` created, skipped and flagged what the plain one did, and reported the same
    (but for the uuids of the other agency's entries, which differ between reviews)."""
    assert result is not None
    assert (result.created, result.skipped_rows, result.duplicates_flagged) == (
        plain_result.created,
        plain_result.skipped_rows,
        plain_result.duplicates_flagged,
    )
    assert _without_ids(plan.report.to_text()) == _without_ids(plain_plan.report.to_text())
    assert [(i.row_number, i.field, i.severity) for i in plan.report.issues] == [
        (i.row_number, i.field, i.severity) for i in plain_plan.report.issues
    ]


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(rows=st.lists(row_strategy, min_size=1, max_size=12))
def test_streamed_import_writes_what_the_plain_path_writes(workspace, tmp_path_factory, rows):
    if not getattr(workspace, "_prepared_for_props", False):
        with workspace.unit_of_work() as uow:
            add_agency(uow, "Northbridge Police", "Police")
            add_agency(uow, "Health Visiting", "HV")
        workspace._prepared_for_props = True
    path = tmp_path_factory.mktemp("r") / "return.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Date", "Source", "Event", "Child seen", "Agency", "Time"])
        writer.writerows(rows)
    with workspace.unit_of_work() as uow:
        reviews = [_scoped_review(uow, "P") for _ in range(2)]
    plain_review, fast_review = reviews
    # An entry of another agency in each review, so that duplicate links are compared too.

    with workspace.unit_of_work() as uow:
        for review_uuid in reviews:
            add_police_visit(uow, review_uuid)
    try:
        table = read_return(path)
    except ImportFileError:
        return  # not a chronology at all (e.g. every row blank): both paths refuse it alike
    with workspace.unit_of_work() as uow:
        plan = prepare_import(uow.session, plain_review, "HV", table, propose_mapping(table), today=TODAY)
        plain_result = commit_import(uow, plan, skip_invalid=True)
    with workspace.unit_of_work() as uow:
        fast_plan, fast_result = import_file(uow, fast_review, "HV", path, skip_invalid=True, today=TODAY)
    _same_import(fast_plan, fast_result, plan, plain_result)
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


# -- the quick path (rows with nothing to say written straight from their cells) and the plain checks --------

#: rows the report keeps as candidates are checked the plain way; the quick path starts after them
_LEAD = 1_000
QUICK_HEADER = [
    "Ref",
    "Date",
    "Time",
    "End date",
    "End time",
    "Source",
    "Event",
    "Child seen",
    "Voice of the child",
    "Agency",
    "Significant",
    "Episodes",
    "Outcome",
]
#: per column: values a row can hold with nothing to say (most of them), and values the checks remark on
QUICK_CELLS: list[tuple[list[object], list[object]]] = [
    (["", "1", "007", " 5 ", "٣", "12a", 7, 3.0, True], ["²", "9" * 70, "=1", "Visit \u202e"]),
    (
        ["10/10/2016", "May 2016", "c. 2015", "2016", " 10/10/2016 ", "22/06/2016 14:30", "2016-06-01"]
        + [date(2016, 6, 22), datetime(2016, 6, 1, 9, 15), "22/05/2016", "23/05/2016"],  # days with entries
        ["", "31/02/2016", "2014", "42512", "01/01/2030", "２２/０５/２０１６", "yesterday", date(2030, 1, 1)],
    ),
    (["", "10:30", "9.15am", "00:00", time(8, 5)], ["25:00", "１０:３０"]),
    (["", "22/06/2016", "31/12/2017", "Dec 2017"], ["01/01/2030", "bad", "21/05/2016"]),
    (["", "09:00", "11:00"], ["nonsense"]),
    (["GP", " HV ", 12, "Visit é"], ["", "s" * 2_100, "=cmd", "Visit \u202e"]),
    (
        ["Home visit", "  padded  ", 3.5, "Joint home visit to mother with health visitor"],
        ["", "=HYPERLINK(1)", "Visit \u202e", "-x"],
    ),
    (["Y", "N", "", "unknown", "Yes - seen alone", True, 0], ["maybe"]),
    (["", "Said she was happy", "yes", "no", "unknown"], ["=1", "Visit \u202e"]),
    (["", "Police", "HV", "health visiting", " hv "], ["Unknown agency", "+Police"]),
    (["", "Y", "N"], ["perhaps"]),
    (["", ",;"], ["1", "KPE 1", "2"]),
    (["", "Advice given"], ["-5", "@home", "Visit \u2066"]),
]


def _one_remark(column: int) -> st.SearchStrategy[tuple]:
    return st.tuples(
        *(st.sampled_from(risky if i == column else clean) for i, (clean, risky) in enumerate(QUICK_CELLS))
    )


quick_row_strategy = st.one_of(
    st.tuples(*(st.sampled_from(clean) for clean, _ in QUICK_CELLS)),  # nothing to say, mostly
    st.integers(0, len(QUICK_CELLS) - 1).flatmap(_one_remark),  # one cell to remark on
    st.tuples(*(st.sampled_from(clean + risky) for clean, risky in QUICK_CELLS)),  # anything
)


def _write_return(path, rows) -> None:
    filler = [
        ["", "10/10/2016", "", "", "", "GP", f"Filler visit {n}", "Y", "", "", "", "", ""] for n in range(_LEAD + 3)
    ]
    body = filler[:_LEAD] + [list(row) for row in rows] + filler[_LEAD:]  # a row repeating another goes the plain way
    if path.suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(QUICK_HEADER)
            writer.writerows(body)
    else:
        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet("Chronology")
        sheet.append(QUICK_HEADER)
        for row in body:
            sheet.append(row)
        book.save(path)


def _stored_all(workspace, review_uuid: str) -> tuple[list[tuple], list[tuple], list[tuple]]:
    from db.models.reviews import EntryEpisodeLink

    rows, links = _stored(workspace, review_uuid)
    links = sorted((*sorted(link[:2]), *link[2:]) for link in links)  # a pair is ordered by its random uuids
    with workspace.reading() as session:
        entries = session.execute(
            select(ChronologyEntry.uuid, ChronologyEntry.field_stamps)
            .where(ChronologyEntry.review_uuid == review_uuid)
            .order_by(ChronologyEntry.sequence)
        ).all()
        position = {uuid: index for index, (uuid, _) in enumerate(entries)}
        episodes = sorted(
            (position[entry], episode)
            for entry, episode in session.execute(select(EntryEpisodeLink.entry_uuid, EntryEpisodeLink.episode_uuid))
            if entry in position
        )
    # every field of every imported entry carries the import's one stamp
    stamps = [(sorted(s), len(set(s.values()))) for _, s in entries]
    return rows, links, [(n, "episode") for n, _ in episodes] + [("stamps", str(sorted(set(map(str, stamps)))))]


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(rows=st.lists(quick_row_strategy, min_size=1, max_size=15), kind=st.sampled_from(["csv", "xlsx"]))
def test_quick_path_writes_what_the_plain_path_writes(workspace, tmp_path_factory, rows, kind):
    """After the report's first 1,000 rows, rows with nothing to say take the quick path; any cell the plain
    checks would remark on sends its row the plain way. Both write the same entries, links and report."""
    from app.chronology import service as svc
    from app.chronology.quick_rows import QuickRows
    from app.reviews.analysis import add_episode

    if not getattr(workspace, "_prepared_for_quick", False):
        with workspace.unit_of_work() as uow:
            add_agency(uow, "Northbridge Police", "Police")
            add_agency(uow, "Health Visiting", "HV")
        workspace._prepared_for_quick = True
    path = tmp_path_factory.mktemp("q") / f"return.{kind}"
    _write_return(path, rows)
    with workspace.unit_of_work() as uow:
        reviews = [_scoped_review(uow, "Q") for _ in range(3)]
        for review_uuid in reviews:
            add_episode(uow, review_uuid, "Early help")
    plain_review, quick_review, gui_review = reviews
    with workspace.unit_of_work() as uow:
        for review_uuid in reviews:  # a likely duplicate (another agency) and a repeat (the same agency)
            add_police_visit(uow, review_uuid)
            svc.add_entry(uow, review_uuid, start_date="23/05/2016", agency="HV", source="HV", event="Home visit")
    taken = []
    real_row = QuickRows.row

    def counting_row(self, cells):
        values = real_row(self, cells)
        taken.append(values is not None)
        return values

    table = read_return(path)
    with workspace.unit_of_work() as uow:
        plan = prepare_import(uow.session, plain_review, "HV", table, propose_mapping(table), today=TODAY)
        plain_result = commit_import(uow, plan, skip_invalid=True)
    QuickRows.row = counting_row  # type: ignore[method-assign]  # counts the rows it takes; the real code runs
    try:
        with workspace.unit_of_work() as uow:
            quick_plan, quick_result = import_file(uow, quick_review, "HV", path, skip_invalid=True, today=TODAY)
    finally:
        QuickRows.row = real_row
    assert sum(taken) >= 3  # the filler after the generated rows went the quick way (rows 1-1,000: plain)
    # The GUI's way: a checking pass over the streamed return, then a writing pass (both may go quick).
    source = open_table(path)
    with workspace.unit_of_work() as uow:
        gui_plan = prepare_import(uow.session, gui_review, "HV", source, propose_mapping(source), today=TODAY)
        checked_text = gui_plan.report.to_text()
        gui_result = commit_import(uow, gui_plan, skip_invalid=True)
    assert _without_ids(checked_text) == _without_ids(plan.report.to_text())
    assert _without_ids(gui_plan.report.to_text()) == _without_ids(plan.report.to_text())
    assert (gui_result.created, gui_result.skipped_rows, gui_result.duplicates_flagged, gui_result.skipped) == (
        plain_result.created,
        plain_result.skipped_rows,
        plain_result.duplicates_flagged,
        plain_result.skipped,
    )
    assert _stored_all(workspace, gui_review) == _stored_all(workspace, plain_review)
    _same_import(quick_plan, quick_result, plan, plain_result)
    plain_rows, plain_links, plain_more = _stored_all(workspace, plain_review)
    quick_rows, quick_links, quick_more = _stored_all(workspace, quick_review)
    assert quick_rows == plain_rows
    assert quick_links == plain_links
    assert quick_more == plain_more


class _Progress:
    def __init__(self) -> None:
        self.reports: list[tuple[int, int, str]] = []

    def report(self, done: int, total: int, text: str = "") -> None:
        self.reports.append((done, total, text))

    def check(self) -> None:
        pass


def test_an_error_after_the_quick_rows_began_writes_nothing_unless_skipped(workspace, tmp_path):
    """Rows past the first 1,000 go the quick way; an error among them still stops the one-pass import
    (the savepoint rolls back what was sent), progress counts every row, and skipping writes the rest."""
    from app.errors import InvalidInput

    with workspace.unit_of_work() as uow:
        add_agency(uow, "Health Visiting", "HV")
        review = add_review(
            uow, kind="lcspr", title="E", subject_pseudonym="Child A", subject_dob=date(2014, 6, 1)
        ).uuid
    path = tmp_path / "return.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Date", "Source", "Event", "Child seen"])
        for n in range(3_000):
            writer.writerow(["31/02/2016" if n == 2_100 else "10/10/2016", "GP", f"Visit {n}", "Y"])
    progress = _Progress()
    try:
        with workspace.unit_of_work() as uow:
            import_file(uow, review, "HV", path, today=TODAY, progress=progress)
        raise AssertionError("an import with an error row wrote")
    except InvalidInput as exc:
        assert "1 row" in str(exc)
    assert [done for done, _, _ in progress.reports] == [1_000, 2_000, 3_000]
    assert progress.reports[-1][2] == "Checking the rows"  # writing stopped at the error
    with workspace.reading() as session:
        assert session.scalar(select(func.count()).select_from(ChronologyEntry)) == 0
    with workspace.unit_of_work() as uow:
        plan, result = import_file(uow, review, "HV", path, today=TODAY, skip_invalid=True)
    assert result is not None and (result.created, result.skipped_rows) == (2_999, 1)
    assert [i.row_number for i in plan.report.issues] == [2_102]
    with workspace.reading() as session:
        stored = session.execute(
            select(ChronologyEntry.sequence, ChronologyEntry.event, ChronologyEntry.imported_from)
            .where(ChronologyEntry.review_uuid == review)
            .order_by(ChronologyEntry.sequence)
        ).all()
    assert len(stored) == 2_999
    assert [s for s, _, _ in stored] == list(range(stored[0][0], stored[0][0] + 2_999))  # numbered in file order
    assert stored[2_100] == (stored[0][0] + 2_100, "Visit 2101", "return.csv row 2103")

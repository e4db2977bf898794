"""From raw rows to candidate entries, with a report an agency can act on."""

from __future__ import annotations

import csv
import io
import time as clock
from datetime import date, datetime, time, timedelta

import pytest

from app.chronology.fields import FieldMappingError, auto_map
from app.chronology.importers import ImportedTable, RawRow, read_table
from app.chronology.validation import (
    ChronologyImportReport,
    ExistingEntry,
    RowIssue,
    Severity,
    check_mapping,
    parse_yes_no,
    similarity,
    validate_table,
)
from app.dates.fuzzy import FuzzyDate
from app.office.safe_cells import neutralise, neutralise_row

TODAY = date(2025, 6, 1)
SCOPE = (date(2015, 1, 1), date(2020, 12, 31))
HEADERS = ["No.", "Date of contact", "Time", "Source", "Event / contact", "Child seen (Y/N)", "KPE", "Comment"]
MAPPING = auto_map(HEADERS)


def make_table(*rows: dict[str, object], name: str = "health.xlsx", first_row: int = 2) -> ImportedTable:
    return ImportedTable(
        list(HEADERS),
        [RawRow(first_row + i, {h: row.get(h) for h in HEADERS}) for i, row in enumerate(rows)],
        name,
    )


def row(date_value: object = "22/05/2016", event: object = "Home visit to mother and baby", **extra: object) -> dict:
    values = {"Date of contact": date_value, "Source": "HV1 diary", "Event / contact": event}
    values.update(extra)
    return values


def check(*rows: dict, existing=(), agency: str | None = "Health") -> ChronologyImportReport:
    return validate_table(make_table(*rows), MAPPING, today=TODAY, agency=agency, scope=SCOPE, existing=existing)


def issues_of(report: ChronologyImportReport) -> list[tuple[int, str | None, str, str]]:
    return [(i.row_number, i.field, str(i.severity), i.message) for i in report.issues]


def test_mapping_fixture() -> None:
    assert MAPPING == {
        "No.": "sequence",
        "Date of contact": "start_date",
        "Time": "start_time",
        "Source": "source",
        "Event / contact": "event",
        "Child seen (Y/N)": "child_seen",
        "KPE": "episodes",
        "Comment": "agency_analysis",
    }


def test_clean_row_becomes_a_candidate() -> None:
    report = check(
        row(
            **{
                "No.": 12.0,
                "Time": "9.30am",
                "Child seen (Y/N)": "Yes - seen alone",
                "KPE": "KPE1, KPE3",
                "Comment": "  Good practice  ",
            }
        )
    )
    assert report.issues == []
    assert (report.rows_total, report.rows_ok, report.has_errors) == (1, 1, False)
    (candidate,) = report.importable()
    assert candidate.row_number == 2
    values = candidate.values
    assert values["sequence"] == 12
    assert values["start_date"] == FuzzyDate.of_day(date(2016, 5, 22))
    assert values["start_time"] == time(9, 30)
    assert values["source"] == "HV1 diary"
    assert values["child_seen"] is True
    assert values["episodes"] == ("KPE1", "KPE3")
    assert values["agency_analysis"] == "Good practice"
    assert values["agency"] == "Health"  # no agency column: the return's agency
    assert values["end_date"] is None and values["reviewer_comment"] is None


def test_time_carried_by_a_datetime_cell() -> None:
    report = check(row(datetime(2016, 5, 22, 14, 5)), row("23/05/2016 10:00", Time="11:15"))
    assert [c.values["start_time"] for c in report.candidates] == [time(14, 5), time(11, 15)]


def test_errors_bad_date_and_missing_mandatory_fields() -> None:
    report = check(row("31/02/2016"), row(None, Source=None), row("13/13/2016", event="  "))
    assert issues_of(report) == [
        (2, "start_date", "error", "cannot read '31/02/2016': February 2016 has only 29 days, not 31"),
        (3, "start_date", "error", "Start date is missing (it is mandatory)"),
        (3, "source", "error", "Source of information is missing (it is mandatory)"),
        (4, "start_date", "error", "cannot read '13/13/2016': month 13 does not exist"),
        (4, "event", "error", "Event / contact is missing (it is mandatory)"),
    ]
    assert report.issues[0].header == "Date of contact"
    assert (report.rows_with_errors, report.rows_ok, report.has_errors) == (3, 0, True)
    assert report.importable() == []


def test_bad_time_is_an_error() -> None:
    report = check(row(Time="25:00"))
    assert issues_of(report) == [(2, "start_time", "error", "cannot read '25:00': hours must be 0-23 and minutes 0-59")]


def test_warnings() -> None:
    report = check(
        row("03/01/2014"),
        row("01/07/2025"),
        row(**{"Comment": '=HYPERLINK("http://x")'}),
        row(**{"Child seen (Y/N)": "maybe"}),
        row("2014?"),
        row("Dec 2014"),
        row("c. 2015"),
    )
    assert issues_of(report) == [
        (2, "start_date", "warning", "03/01/2014 is outside the review's scope (01/01/2015 to 31/12/2020)"),
        (3, "start_date", "warning", "01/07/2025 is in the future"),
        (3, "start_date", "warning", "01/07/2025 is outside the review's scope (01/01/2015 to 31/12/2020)"),
        (
            4,
            "agency_analysis",
            "warning",
            "starts with '=', which a spreadsheet would run as a formula; kept as text and neutralised on export",
        ),
        (5, "child_seen", "warning", "cannot read 'maybe' as yes/no; left blank"),
        (6, "start_date", "warning", "c. 2014 is outside the review's scope (01/01/2015 to 31/12/2020)"),
        (7, "start_date", "warning", "December 2014 is outside the review's scope (01/01/2015 to 31/12/2020)"),
    ]
    assert (report.rows_ok, report.rows_with_warnings, report.rows_with_errors) == (1, 6, 0)
    assert len(report.importable()) == 7  # warnings do not stop a row
    assert report.candidates[2].values["agency_analysis"] == '=HYPERLINK("http://x")'  # stored as written


@pytest.mark.parametrize(
    "text", ["-ve test", "+44 123", "@mention", ' =HYPERLINK("x")', "\t=1", "\r\n+1", "\u00a0@SUM(A1)", "  -1"]
)
def test_every_formula_prefix_is_flagged(text: str) -> None:
    # judged as stored: leading whitespace is trimmed, so what follows it is what a spreadsheet would see
    report = check(row(**{"Comment": text}))
    stored = report.candidates[0].values["agency_analysis"]
    assert stored == text.strip()
    assert [(i.field, i.message.split(",")[0]) for i in report.issues] == [
        ("agency_analysis", f"starts with {stored[0]!r}")
    ]


@pytest.mark.parametrize("text", ["\tindented", "\rreturn", " plain", "a=1"])
def test_whitespace_before_plain_text_is_not_a_formula(text: str) -> None:
    # the tab or carriage return is trimmed on import, so the stored text cannot run
    report = check(row(**{"Comment": text}))
    assert report.issues == []


def test_end_before_start() -> None:
    headers = ["Date", "Time", "End date", "End time", "Source", "Event"]
    table = ImportedTable(
        headers,
        [
            RawRow(5, dict(zip(headers, ["22/05/2016", None, "21/05/2016", None, "GP", "Admission"], strict=False))),
            RawRow(6, dict(zip(headers, ["22/05/2016", "14:00", "22/05/2016", "13:00", "GP", "Clinic"], strict=False))),
            RawRow(
                7, dict(zip(headers, ["May 2016", None, "22/05/2016", None, "GP", "Overlapping months"], strict=False))
            ),
        ],
        "gp.csv",
    )
    report = validate_table(table, auto_map(headers), today=TODAY)
    assert issues_of(report) == [
        (5, "end_date", "warning", "ends (21/05/2016) before it starts (22/05/2016)"),
        (6, "end_time", "warning", "ends at 13:00, before it starts at 14:00"),
    ]


class TestDuplicates:
    EXISTING = [
        ExistingEntry(101, "Police", FuzzyDate.of_day(date(2016, 5, 22)), "Home visit to the mother and baby"),
        ExistingEntry(102, "Health", date(2016, 5, 22), "Home visit to mother and baby"),  # same agency
        ExistingEntry(103, "Education", "2016-05-22", "Baby and mother: home visit"),  # storage form
        ExistingEntry(104, "Police", "2016-05-23", "Home visit to mother and baby"),  # another day
        ExistingEntry(105, "Police", "2016-05", "Home visit to mother and baby"),  # month only
        (106, "CSC", datetime(2016, 5, 22, 10, 0), "Strategy meeting held"),  # plain tuple
    ]

    def test_same_day_similar_event_from_another_agency(self) -> None:
        report = check(row(), existing=self.EXISTING)
        assert report.candidates[0].possible_duplicates == (101, 103)
        assert issues_of(report) == [
            (
                2,
                "event",
                "warning",
                "looks like an entry another agency already recorded on 22/05/2016 (entry 101; entry 103)",
            ),
            (
                2,
                "event",
                "warning",  # the same agency's identical entry: a return imported twice?
                "this agency already has the same entry on 22/05/2016 (entry 102): was this return imported before?",
            ),
        ]

    def test_dissimilar_or_inexact_dates_are_not_duplicates(self) -> None:
        report = check(row(event="Strategy discussion by phone"), row("May 2016"), existing=self.EXISTING)
        assert report.issues == []

    def test_agency_column_beats_default(self) -> None:
        headers = ["Date", "Agency", "Source", "Event"]
        table = ImportedTable(
            headers,
            [
                RawRow(
                    2,
                    dict(zip(headers, ["22/05/2016", "police", "PC1", "Home visit to mother and baby"], strict=False)),
                )
            ],
            "x.csv",
        )
        report = validate_table(table, auto_map(headers), today=TODAY, agency="Health", existing=self.EXISTING)
        assert report.candidates[0].values["agency"] == "police"
        assert report.candidates[0].possible_duplicates == (102, 103)  # Police's own entry is not reported

    def test_similarity(self) -> None:
        assert similarity("Home visit to mother and baby", "home visit: mother, baby") == 1.0
        assert similarity("Home visit", "Home visit cancelled") == pytest.approx(2 / 3)
        assert similarity("", "anything") == 0.0

    @pytest.mark.slow
    def test_scales_to_50000_rows_against_100000_entries(self) -> None:
        start = date(2010, 1, 1)
        existing = [
            ExistingEntry(
                i,
                "Police",
                start + timedelta(days=i % 3000),
                f"Officers attended address {i % 97} after call from neighbour",
            )
            for i in range(100_000)
        ]
        rows = [
            row(
                (start + timedelta(days=i % 3000)).strftime("%d/%m/%Y"),
                f"Officers attended address {i % 97} after call from neighbour",
            )
            for i in range(50_000)
        ]
        table = make_table(*rows)
        started = clock.perf_counter()
        report = validate_table(table, MAPPING, today=TODAY, agency="Health", existing=existing)
        elapsed = clock.perf_counter() - started
        assert report.rows_total == 50_000
        assert all(c.possible_duplicates for c in report.candidates[:100])
        assert elapsed < 20, f"validating took {elapsed:.1f} s"


def test_check_mapping() -> None:
    assert check_mapping(MAPPING)["start_date"] == "Date of contact"
    with pytest.raises(FieldMappingError, match=r"No column is mapped to: Source of information\."):
        check_mapping({"Date": "start_date", "Event": "event"})
    with pytest.raises(FieldMappingError, match="Columns 'Date' and 'When' are both mapped to 'start_date'"):
        check_mapping({"Date": "start_date", "When": "start_date", "Source": "source", "Event": "event"})
    with pytest.raises(FieldMappingError, match="Unknown field 'datum'"):
        check_mapping({"Date": "datum"})


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Y", (True, True)),
        ("yes", (True, True)),
        ("Yes - at school", (True, True)),
        (True, (True, True)),
        (1, (True, True)),
        ("✓", (True, True)),
        ("N", (False, True)),
        ("No, mother refused", (False, True)),
        ("not seen", (False, True)),
        (0, (False, True)),
        ("unknown", (None, True)),
        ("N/K", (None, True)),
        ("N/A", (None, True)),
        (None, (None, True)),
        ("", (None, True)),
        ("?", (None, True)),
        ("maybe", (None, False)),
        ("Seen by GP", (None, False)),
    ],
)
def test_parse_yes_no(value: object, expected: tuple[bool | None, bool]) -> None:
    assert parse_yes_no(value) == expected


def test_report_text_and_csv() -> None:
    report = check(row("31/02/2016"), row(), row(**{"Comment": "=1+1", "Source": None}))
    assert report.to_text() == (
        "Import report for health.xlsx\n"
        "Rows read: 3; without issues: 1; with warnings only: 0; with errors (not imported): 2\n"
        "\n"
        "Row 2, Start date (column 'Date of contact'): error: cannot read '31/02/2016': "
        "February 2016 has only 29 days, not 31\n"
        "Row 4, Agency analysis (column 'Comment'): warning: starts with '=', which a spreadsheet would run "
        "as a formula; kept as text and neutralised on export\n"
        "Row 4, Source of information (column 'Source'): error: Source of information is missing (it is mandatory)\n"
    )
    data = report.to_csv_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["file", "row", "field", "column", "severity", "message"]
    assert rows[1] == [
        "health.xlsx",
        "2",
        "Start date",
        "Date of contact",
        "error",
        "cannot read '31/02/2016': February 2016 has only 29 days, not 31",
    ]
    assert len(rows) == 4


def test_report_csv_neutralises_hostile_names() -> None:
    report = ChronologyImportReport(
        "=cmd.csv", rows_total=1, issues=[RowIssue(3, "event", Severity.WARNING, "x", header="@SUM(1)")]
    )
    rows = list(csv.reader(io.StringIO(report.to_csv_bytes().decode("utf-8-sig"), newline="")))
    assert rows[1][0] == "'=cmd.csv"
    assert rows[1][3] == "'@SUM(1)"


def test_end_to_end_from_csv(tmp_path) -> None:
    path = tmp_path / "school.csv"
    path.write_text(
        "School chronology\n"
        "Date,Source,Details of event,Was the child seen?\n"
        "22/05/2016,DSL log,Child A arrived hungry,Y\n"
        "\n"
        "30/02/2016,DSL log,Parent meeting,N\n",
        encoding="utf-8",
    )
    table = read_table(path)
    report = validate_table(table, auto_map(table.headers), today=TODAY, agency="School A")
    assert [(i.row_number, i.field, str(i.severity)) for i in report.issues] == [(5, "start_date", "error")]
    assert "Row 5, Start date (column 'Date'): error" in report.to_text()
    assert [c.values["event"] for c in report.importable()] == ["Child A arrived hungry"]


class TestNeutralise:
    @pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
    def test_formula_text_gets_apostrophe(self, text: str) -> None:
        assert neutralise(text) == "'" + text

    @pytest.mark.parametrize("value", ["plain", "", " =1", "a=1", -1, 3.5, None, date(2016, 5, 22)])
    def test_other_values_unchanged(self, value: object) -> None:
        assert neutralise(value) == value

    def test_row(self) -> None:
        assert neutralise_row(["=x", 1, "y"]) == ["'=x", 1, "y"]


def test_same_agency_reimport_is_flagged_but_not_linked() -> None:
    from datetime import date

    from app.chronology.importers import ImportedTable, RawRow
    from app.chronology.validation import validate_table

    table = ImportedTable(
        ["Date", "Source", "Event"],
        [RawRow(2, {"Date": "22/05/2016", "Source": "HV1 diary", "Event": "Home visit, child seen"})],
        "hv.csv",
    )
    mapping = {"Date": "start_date", "Source": "source", "Event": "event"}
    existing = [("e1", "HV", date(2016, 5, 22), "Home visit,  child SEEN")]
    report = validate_table(table, mapping, today=date(2026, 1, 1), agency="HV", existing=existing)
    messages = [issue.message for issue in report.issues]
    assert any("imported before" in m and "e1" in m for m in messages)
    assert report.candidates[0].possible_duplicates == ()  # not a cross-agency duplicate link
    assert not report.has_errors


def test_a_date_range_in_one_cell_says_how_to_split_it() -> None:
    """ "03/02/2016 - 05/02/2016" was refused as 'not a recognised date form' with no way forward."""
    report = check(row("03/02/2016 - 05/02/2016"))
    [problem] = [i for i in report.issues if i.severity is Severity.ERROR]
    text = problem.describe()
    assert text.startswith("Row 2, Start date (column 'Date of contact')")
    assert "date range" in text and "split it into start and end" in text
    assert "03/02/2016" in text and "05/02/2016" in text and "'End date'" in text

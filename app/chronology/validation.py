"""Turn an imported table into candidate chronology entries and a row-by-row report.

Errors stop a row being imported (its date cannot be read, a mandatory field
is empty). Warnings do not: the reviewer decides (a date outside the review's
scope, in the future, an end before its start, text a spreadsheet would run
as a formula, an entry another agency seems to have recorded already).

The report names the file, the row as the user sees it in the file, and the
column, so that the agency can correct its return.
"""

from __future__ import annotations

import csv
import enum
import io
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import NamedTuple

from app.chronology.fields import FIELDS, FieldKind, FieldMappingError, field_spec
from app.chronology.importers import ImportedTable, ReturnSource
from app.dates.fuzzy import (
    DateParseError,
    DatePrecision,
    FuzzyDate,
    parse_date_time,
    parse_time,
)
from app.office.safe_cells import FORMULA_PREFIXES, neutralise
from app.records.limits import IMPORT_LIMITS, FieldLimitError, check_text, field_limit, refused_character
from app.text import count_of

__all__ = [
    "DUPLICATE_SIMILARITY",
    "AgencyIdentity",
    "CandidateEntry",
    "ChronologyImportReport",
    "ExistingEntry",
    "RowChecker",
    "RowIssue",
    "Severity",
    "check_mapping",
    "row_checker",
    "parse_yes_no",
    "similarity",
    "validate_table",
]

DUPLICATE_SIMILARITY = 0.6
"""Token Jaccard similarity from which two same-day events are reported as likely duplicates."""


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class RowIssue:
    row_number: int
    field: str | None
    severity: Severity
    message: str
    header: str | None = None
    """The column as headed in the file, when the issue belongs to one."""

    def describe(self) -> str:
        where = f"Row {self.row_number}"
        if self.field:
            label = field_spec(self.field).label
            where += f", {label}" + (f" (column '{self.header}')" if self.header and self.header != label else "")
        return f"{where}: {self.severity}: {self.message}"


class ExistingEntry(NamedTuple):
    """What duplicate detection needs to know of an entry already in the chronology.

    ``agency`` identifies the agency the entry is recorded under, in the same
    terms as ``validate_table``'s ``agency_identity``: the agency's uuid when the
    import service calls, a name (compared without case) by default.
    """

    entry_id: object
    agency: Hashable | None
    date: FuzzyDate | date | str | None
    event_text: str | None
    label: str = ""
    """The entry as the user knows it ("Police entry no. 3, imported from police.csv row 2"), for the
    warnings; blank: "entry <entry_id>" (an id means nothing to a reviewer, so the service gives labels)."""


@dataclass(frozen=True, slots=True)
class CandidateEntry:
    row_number: int
    values: dict[str, object]
    """Canonical field name to parsed value; absent or blank fields are None."""
    possible_duplicates: tuple[object, ...] = ()
    """entry_ids of existing entries of another agency (than the one the row is written under)
    that look like the same event."""


def _issue_kind(issue: RowIssue) -> tuple[str, str, str]:
    """What makes issues "the same" for a summary: severity, field and the message without its values."""
    message = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", issue.message)
    message = re.sub(r"\d+(?:[/:.]\d+)*", "#", message)
    return str(issue.severity), issue.field or "", message


@dataclass(slots=True)
class ChronologyImportReport:
    """Outcome of validating one file: candidate entries and every issue found.

    Rows are counted as they are checked (``add_row``), so a report of a million
    rows costs a few counters: the first ``issue_limit`` issues are listed one
    by one, the rest summarised by kind (``omitted``). ``candidates`` are kept
    only when the caller asks: every row of a table held in memory, the first
    ``issue_limit`` rows of a streamed import (which checks rows again as it
    writes them).
    """

    source_name: str
    rows_total: int = 0
    candidates: list[CandidateEntry] = field(default_factory=list)
    issues: list[RowIssue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Warnings about the whole file (how it was decoded, what had to be guessed)."""
    issue_limit: int = IMPORT_LIMITS.report_issue_lines
    omitted: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    """(severity, field, message pattern) -> issues beyond ``issue_limit``."""
    counted: bool = False
    """Rows were added with ``add_row`` (counters below); else counts come from ``issues``."""
    error_rows: int = 0
    warning_only_rows: int = 0
    issue_rows: int = 0
    _error_row_numbers: set[int] = field(default_factory=set)

    def add_row(self, candidate: CandidateEntry, issues: list[RowIssue], *, keep: bool = False) -> bool:
        """Count one checked row and its issues; True if it can be imported (no error)."""
        self.counted = True
        self.rows_total += 1
        has_error = any(i.severity is Severity.ERROR for i in issues)
        if issues:
            self.issue_rows += 1
            if has_error:
                self.error_rows += 1
            else:
                self.warning_only_rows += 1
            room = self.issue_limit - len(self.issues)
            if room >= len(issues):
                self.issues.extend(issues)
            else:
                self.issues.extend(issues[: max(room, 0)])
                for issue in issues[max(room, 0) :]:
                    self.omitted[_issue_kind(issue)] += 1
        if keep:
            self.candidates.append(candidate)
            if has_error:
                self._error_row_numbers.add(candidate.row_number)
        return not has_error

    def add_clean_row(self) -> None:
        """Count one checked row that has no issue and is not kept (what ``add_row`` does for it)."""
        self.counted = True
        self.rows_total += 1

    def _rows_with(self, severity: Severity) -> set[int]:
        return {i.row_number for i in self.issues if i.severity is severity}

    @property
    def rows_with_errors(self) -> int:
        return self.error_rows if self.counted else len(self._rows_with(Severity.ERROR))

    @property
    def rows_with_warnings(self) -> int:
        """Rows with warnings but no errors, so ok + warnings + errors = total."""
        if self.counted:
            return self.warning_only_rows
        return len(self._rows_with(Severity.WARNING) - self._rows_with(Severity.ERROR))

    @property
    def rows_ok(self) -> int:
        if self.counted:
            return self.rows_total - self.issue_rows
        return self.rows_total - len({i.row_number for i in self.issues})

    @property
    def importable_count(self) -> int:
        return self.rows_total - self.rows_with_errors

    @property
    def has_errors(self) -> bool:
        if self.counted:
            return self.error_rows > 0
        return any(i.severity is Severity.ERROR for i in self.issues)

    @property
    def omitted_count(self) -> int:
        return sum(self.omitted.values())

    def importable(self) -> list[CandidateEntry]:
        """Candidates from rows without errors (of the candidates kept)."""
        bad = self._error_row_numbers if self.counted else self._rows_with(Severity.ERROR)
        return [c for c in self.candidates if c.row_number not in bad]

    def summary_lines(self) -> list[str]:
        """The issues not listed one by one, by kind, most frequent first."""
        lines = []
        for (severity, name, message), count in self.omitted.most_common():
            label = field_spec(name).label if name else "Row"
            lines.append(f"{count_of(count, 'more row issue')}: {label}: {severity}: {message}")
        return lines

    def to_text(self) -> str:
        lines = [
            f"Import report for {self.source_name}",
            f"Rows read: {self.rows_total}; without issues: {self.rows_ok}; "
            f"with warnings only: {self.rows_with_warnings}; with errors (not imported): {self.rows_with_errors}",
        ]
        if self.notes:
            lines.append("")
            lines.extend(f"Note: {note}" for note in self.notes)
        if self.issues:
            lines.append("")
            lines.extend(issue.describe() for issue in self.issues)
        if self.omitted:
            lines.append("")
            lines.append(
                f"The first {len(self.issues):,} issues are listed above; {self.omitted_count:,} more, by kind:"
            )
            lines.extend(self.summary_lines())
        return "\n".join(lines) + "\n"

    def to_csv_bytes(self) -> bytes:
        """UTF-8 with BOM so Excel shows accents; cells neutralised against formula injection."""
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer)
        writer.writerow(["file", "row", "field", "column", "severity", "message"])
        for note in self.notes:
            writer.writerow([neutralise(v) for v in (self.source_name, "", "", "", "note", note)])
        for issue in self.issues:
            label = field_spec(issue.field).label if issue.field else ""
            writer.writerow(
                [
                    neutralise(v)
                    for v in (
                        self.source_name,
                        issue.row_number,
                        label,
                        issue.header or "",
                        str(issue.severity),
                        issue.message,
                    )
                ]
            )
        for (severity, name, message), count in self.omitted.most_common():
            label = field_spec(name).label if name else ""
            writer.writerow(
                [neutralise(v) for v in (self.source_name, f"{count} more rows", label, "", severity, message)]
            )
        return buffer.getvalue().encode("utf-8-sig")


# -- value readers -------------------------------------------------------------

_YES = {"y", "yes", "true", "1", "seen", "x", "✓", "✔", "ticked"}
_NO = {"n", "no", "false", "0", "not seen", "unseen"}
_UNKNOWN = {"", "?", "u", "unknown", "not known", "nk", "n k", "na", "n a", "not applicable", "not recorded", "unclear"}


def parse_yes_no(value: object) -> tuple[bool | None, bool]:
    """(answer, understood). "Yes - seen alone" is yes; "unknown" and blank are None."""
    if value is None:
        return None, True
    if isinstance(value, bool):
        return value, True
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value), True
    text = " ".join(re.sub(r"[^\w✓✔?]+", " ", str(value).casefold()).split())
    if text in _UNKNOWN:
        return None, True
    if text in _YES:
        return True, True
    if text in _NO:
        return False, True
    first = text.split()[0]
    if first in ("yes", "y"):
        return True, True
    if first in ("no", "n", "not"):
        return False, True
    return None, False


def _as_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        text = value.strftime("%d/%m/%Y %H:%M") if value.time() != time(0) else value.strftime("%d/%m/%Y")
    elif isinstance(value, date):
        text = value.strftime("%d/%m/%Y")
    else:
        text = str(value)
    text = text.strip()
    return text or None


_SEQUENCE_DIGITS = 60
"""The longest sequence number read as a number (``FIELD_LIMITS``' reference)."""


def _as_sequence(value: object) -> int | str | None:
    if isinstance(value, bool):
        return _as_text(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = _as_text(value)
    # isdecimal, not isdigit: "²" is a digit int() refuses. A number longer than the reference's limit stays
    # text, so the limit check sees it (int() of thousands of digits raises, and a number is not checked).
    if text is not None and text.isdecimal() and len(text) <= _SEQUENCE_DIGITS:
        return int(text)
    return text


def _as_list(value: object) -> tuple[str, ...] | None:
    text = _as_text(value)
    if text is None:
        return None
    items = tuple(p.strip() for p in re.split(r"[,;\n]", text) if p.strip())
    return items or None


# -- duplicates -------------------------------------------------------------------

_WORD_RE = re.compile(r"[a-z0-9]+")
_STOPWORDS = frozenset(
    "a an and the of to in on at for with by from was were is be been has had have he she they it its "
    "this that as but into who which there their his her them".split()
)


def _tokens(text: str | None) -> frozenset[str]:
    if not text:
        return frozenset()
    return frozenset(w for w in _WORD_RE.findall(text.casefold()) if w not in _STOPWORDS)


def similarity(a: str | None, b: str | None) -> float:
    """Jaccard similarity of the significant words of two texts (0..1)."""
    return _jaccard(_tokens(a), _tokens(b))


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _agency_key(agency: object) -> str:
    return " ".join(str(agency or "").casefold().split())


AgencyIdentity = Callable[[str | None], Hashable | None]
"""The agency a row will be written under, from its agency cell (None: blank cell, the import's agency).

Returns the identity compared with ``ExistingEntry.agency``, or None when the
agency is unknown (such a row cannot be imported, so it is not compared)."""


def _day_ordinal(value: FuzzyDate | date | str | None) -> int | None:
    if isinstance(value, datetime):
        return value.date().toordinal()
    if isinstance(value, date):
        return value.toordinal()
    if isinstance(value, str):
        try:
            value = FuzzyDate.from_storage(value)
        except DateParseError:
            return None
    if isinstance(value, FuzzyDate) and value.precision is DatePrecision.DAY:
        return value.earliest().toordinal()
    return None


class _DuplicateIndex:
    """Existing entries bucketed by day; words are split only for days an import touches."""

    def __init__(
        self, existing: Iterable[ExistingEntry | tuple], identity: Callable[[object], Hashable] = lambda agency: agency
    ) -> None:
        self._by_day: dict[int, list[tuple[object, Hashable, str | None]]] = defaultdict(list)
        self._tokenised: dict[int, list[tuple[object, Hashable, frozenset[str]]]] = {}  # filled on demand
        self._labels: dict[object, str] = {}
        for entry_id, agency, when, text, *label in existing:
            day = _day_ordinal(when)
            if day is not None:
                self._by_day[day].append((entry_id, identity(agency), text))
                if label and label[0]:
                    self._labels[entry_id] = label[0]

    def named(self, entries: tuple[object, ...], most: int = 5) -> str:
        """Entries as the user knows them, for a warning: "Police entry no. 3; GP entry no. 7"."""
        shown = "; ".join(self._labels.get(e) or f"entry {e}" for e in entries[:most])
        return shown + (f" and {len(entries) - most} more" if len(entries) > most else "")

    def has_day(self, day: int) -> bool:
        """Whether any existing entry falls on the day (most imported rows have none to compare)."""
        return day in self._by_day

    def find(self, day: int, agency: Hashable, words: frozenset[str]) -> tuple[object, ...]:
        if day not in self._by_day or not words:
            return ()
        bucket = self._tokenised.get(day)
        if bucket is None:
            bucket = [(eid, ag, _tokens(text)) for eid, ag, text in self._by_day[day]]
            self._tokenised[day] = bucket
        size = len(words)
        found = []
        for eid, ag, other in bucket:
            if ag == agency or not other:
                continue
            common = len(words & other)  # |a | b| = |a| + |b| - |a & b|: no union set to build
            if common >= DUPLICATE_SIMILARITY * (size + len(other) - common):
                found.append(eid)
        return tuple(found)

    def repeats(self, day: int, agency: Hashable, text: str) -> tuple[object, ...]:
        """Entries of the SAME agency on that day with the same event text: a return imported twice."""
        wanted = " ".join(text.casefold().split())
        return tuple(
            eid
            for eid, ag, other in self._by_day.get(day, ())
            if ag == agency and other and " ".join(other.casefold().split()) == wanted
        )


# -- validation -------------------------------------------------------------------


def check_mapping(mapping: Mapping[str, str | None]) -> dict[str, str]:
    """field -> header for the mapped columns; refuses unknown, doubled or missing mandatory fields."""
    by_field: dict[str, str] = {}
    for header, name in mapping.items():
        if name is None:
            continue
        field_spec(name)
        if name in by_field:
            raise FieldMappingError(f"Columns '{by_field[name]}' and '{header}' are both mapped to '{name}'.")
        by_field[name] = header
    missing = [f.label for f in FIELDS if f.mandatory and f.name not in by_field]
    if missing:
        raise FieldMappingError(f"No column is mapped to: {', '.join(missing)}. Choose a column for each.")
    return by_field


def _has_wide_digits(text: str) -> bool:
    """Digits other than ASCII 0-9 (fullwidth "２２/０５", Arabic-Indic...) that parsing accepted as numbers."""
    return not text.isascii() and any(c.isdigit() and not c.isascii() for c in text)


#: field -> the stored column whose limit (``app.records.limits.FIELD_LIMITS``) its text must fit.
_STORED_TEXT = {
    "sequence": "reference",
    "source": "source",
    "event": "event",
    "child_voice": "child_voice_note",
    "action_outcome": "action_outcome",
    "agency_analysis": "agency_analysis",
    "reviewer_comment": "reviewer_comment",
    "agency": "agency",
}

RowHook = Callable[["CandidateEntry"], list["RowIssue"]]
"""Further checks of a candidate row by the caller (agency names, episodes): the issues it adds."""


_CACHE_SIZE = 20_000


class _Memo:
    """Results of a pure cell parser by cell value: returns repeat the same dates and times many times.

    Errors are remembered too (and raised again). Bounded: cleared when full.
    """

    def __init__(self, parse: Callable[[object], object]) -> None:
        self._parse = parse
        self._seen: dict[tuple[type, object], tuple[bool, object]] = {}

    def __call__(self, value: object) -> object:
        key = (type(value), value)
        try:
            found = self._seen.get(key)
        except TypeError:  # unhashable: not cached
            return self._parse(value)
        if found is None:
            try:
                found = (True, self._parse(value))
            except DateParseError as exc:
                found = (False, exc)
            if len(self._seen) >= _CACHE_SIZE:
                self._seen.clear()
            self._seen[key] = found
        ok, result = found
        if not ok:
            raise result.with_traceback(None)  # type: ignore[attr-defined]  # not ok: result is the DateParseError
        return result


_RANGE_SPLIT = re.compile(r"\s+(?:-|–|—|to|until|till)\s+|\s*[–—]\s*", re.IGNORECASE)


def _range_advice(value: object, name: str, headers: Mapping[str, str], today: date) -> str | None:
    """For a date range in one cell ("03/02/2024 - 05/02/2024"): how to split it, else None."""
    if not isinstance(value, str):
        return None
    halves = _RANGE_SPLIT.split(value.strip())
    if len(halves) != 2:
        return None
    try:
        first, second = (parse_date_time(h, today=today)[0] for h in halves)
    except DateParseError:
        return None
    end_label = field_spec("end_date").label
    end_column = headers.get("end_date")
    if name == "end_date":
        where = (
            f"keep only the end ({second.display()}) here and the start ({first.display()}) in the start date column"
        )
    elif end_column:
        where = f"put {first.display()} here and {second.display()} in the '{end_column}' column (the {end_label})"
    else:
        where = (
            f"put {first.display()} here and {second.display()} in a column of its own, "
            f"then match that column to '{end_label}' when you import"
        )
    return f"{value.strip()!r} is a date range in one cell; split it into start and end: {where}"


def _is_blank(value: object) -> bool:
    """What ``_as_text`` gives None for, without formatting the value."""
    return value is None or (isinstance(value, str) and not value.strip())


class RowChecker:
    """The checks of one row of a mapped table (``row_checker`` sets one up)."""

    def __init__(
        self,
        by_field: dict[str, str],
        *,
        today: date,
        agency: str | None,
        scope: tuple[date, date] | None,
        duplicates: _DuplicateIndex,
        agency_identity: AgencyIdentity,
    ) -> None:
        self.by_field = by_field
        self.today = today
        self.agency = agency
        self.scope = scope
        self.duplicates = duplicates
        self.agency_identity = agency_identity
        #: (field, header, kind, label, stored column or None) of each mapped field, worked out once
        self.plan = [
            (name, header, field_spec(name).kind, field_spec(name).label, _STORED_TEXT.get(name))
            for name, header in by_field.items()
        ]
        self.template: dict[str, object] = {f.name: None for f in FIELDS}
        self.mandatory = [(f.name, f.label) for f in FIELDS if f.mandatory]
        self.parse_date = _Memo(lambda v: parse_date_time(v, today=today))
        self.parse_time = _Memo(parse_time)
        self.limits = {column: field_limit("chronology_entry", column) for column in _STORED_TEXT.values()}

    def check(self, row_number: int, raw: Mapping[str, object]) -> tuple[CandidateEntry, list[RowIssue]]:
        issues: list[RowIssue] = []

        def issue(name: str | None, severity: Severity, message: str) -> None:
            issues.append(RowIssue(row_number, name, severity, message, self.by_field.get(name or "")))

        values = self.template.copy()
        carried_times: dict[str, time | None] = {}
        unreadable: set[str] = set()
        for name, header, kind, label, stored in self.plan:
            value = raw.get(header)
            try:
                if kind is FieldKind.DATE:
                    if not _is_blank(value):
                        values[name], carried_times[name] = self.parse_date(value)  # type: ignore[misc]  # values holds a date, carried_times a time
                        if isinstance(value, str) and _has_wide_digits(value):
                            issue(
                                name,
                                Severity.WARNING,
                                f"{_as_text(value)!r} was read as "
                                f"{values[name].display()} from fullwidth or non-Latin digits; check it",  # type: ignore[attr-defined]  # a FuzzyDate, just parsed
                            )
                elif kind is FieldKind.TIME:
                    values[name] = self.parse_time(value)
                    if isinstance(value, str) and values[name] is not None and _has_wide_digits(value):
                        issue(
                            name,
                            Severity.WARNING,
                            f"{_as_text(value)!r} was read as a time from fullwidth or non-Latin digits; check it",
                        )
                elif kind is FieldKind.YES_NO:
                    answer, understood = parse_yes_no(value)
                    values[name] = answer
                    if not understood:
                        issue(name, Severity.WARNING, f"cannot read {_as_text(value)!r} as yes/no; left blank")
                elif kind is FieldKind.INTEGER_OR_TEXT:
                    values[name] = _as_sequence(value)
                elif kind is FieldKind.LIST:
                    values[name] = _as_list(value)
                else:
                    text = _as_text(value)
                    # Judge the text as it is stored (trimmed): " =HYPERLINK(...)" is stored as "=HYPERLINK(...)".
                    if isinstance(value, str) and text is not None and text.startswith(FORMULA_PREFIXES):
                        issue(
                            name,
                            Severity.WARNING,
                            f"starts with {text[0]!r}, which a spreadsheet would run as a formula; "
                            "kept as text and neutralised on export",
                        )
                    values[name] = text
                if stored is not None:
                    stored_value = values[name]
                    if isinstance(stored_value, str):
                        if len(stored_value) > self.limits[stored] or refused_character(stored_value):
                            check_text("chronology_entry", stored, stored_value, label=label)
            except FieldLimitError as exc:
                unreadable.add(name)
                values[name] = None
                issue(name, Severity.ERROR, f"{exc}; the row is not imported")
            except DateParseError as exc:
                unreadable.add(name)
                issue(name, Severity.ERROR, _range_advice(value, name, self.by_field, self.today) or str(exc))

        for date_name, time_name in (("start_date", "start_time"), ("end_date", "end_time")):
            if values[time_name] is None and time_name not in unreadable:
                values[time_name] = carried_times.get(date_name)
        written_under = self.agency_identity(values["agency"] if isinstance(values["agency"], str) else None)
        if values["agency"] is None:
            values["agency"] = self.agency

        for name, label in self.mandatory:
            if values[name] is None and name not in unreadable:
                issue(name, Severity.ERROR, f"{label} is missing (it is mandatory)")

        start, end = values["start_date"], values["end_date"]
        for name, when in (("start_date", start), ("end_date", end)):
            if isinstance(when, FuzzyDate) and when.earliest() > self.today:
                issue(name, Severity.WARNING, f"{when.display()} is in the future")
        if isinstance(start, FuzzyDate) and self.scope is not None:
            first, last = self.scope
            if start.latest() < first or start.earliest() > last:
                issue(
                    "start_date",
                    Severity.WARNING,
                    f"{start.display()} is outside the review's scope ({first:%d/%m/%Y} to {last:%d/%m/%Y})",
                )
        if isinstance(start, FuzzyDate) and isinstance(end, FuzzyDate):
            if end.latest() < start.earliest():
                issue("end_date", Severity.WARNING, f"ends ({end.display()}) before it starts ({start.display()})")
            elif (
                end.precision is DatePrecision.DAY
                and end == start
                and values["start_time"]
                and values["end_time"]
                and values["end_time"] < values["start_time"]  # type: ignore[operator]  # both times, checked just before
            ):
                issue(
                    "end_time",
                    Severity.WARNING,
                    f"ends at {values['end_time']:%H:%M}, before it starts at {values['start_time']:%H:%M}",
                )

        duplicates: tuple[object, ...] = ()
        if (
            isinstance(start, FuzzyDate)
            and start.precision is DatePrecision.DAY
            and isinstance(values["event"], str)
            and written_under is not None
            and self.duplicates.has_day(start.earliest().toordinal())
        ):
            # Compare by the agency the row is written under (its identity), never by the text in the file:
            # "Northbridge Police" in the Agency column of a Police import is Police.
            duplicates = self.duplicates.find(start.earliest().toordinal(), written_under, _tokens(values["event"]))
            if duplicates:
                issue(
                    "event",
                    Severity.WARNING,
                    f"looks like an entry another agency already recorded on {start.display()} "
                    f"({self.duplicates.named(duplicates)})",
                )
            repeated = self.duplicates.repeats(start.earliest().toordinal(), written_under, values["event"])
            if repeated:
                issue(
                    "event",
                    Severity.WARNING,
                    f"this agency already has the same entry on {start.display()} "
                    f"({self.duplicates.named(repeated[:1])}): "
                    "was this return imported before?",
                )
        return CandidateEntry(row_number, values, duplicates), issues


def validate_table(
    table: ImportedTable | ReturnSource,
    mapping: Mapping[str, str | None],
    *,
    today: date,
    agency: str | None = None,
    scope: tuple[date, date] | None = None,
    existing: Iterable[ExistingEntry | tuple] = (),
    agency_identity: AgencyIdentity | None = None,
    keep_candidates: bool = True,
    row_hook: RowHook | None = None,
) -> ChronologyImportReport:
    """Check every row of an imported table (held, or streamed from its file).

    ``mapping`` is header -> field (from ``fields.auto_map`` plus overrides);
    ``agency`` fills rows without an agency column; ``scope`` is the review's
    period (inclusive); ``existing`` are (entry_id, agency, date, event_text)
    of entries already in the chronology, for duplicate warnings.

    ``agency_identity`` maps a row's agency cell (None when blank) to the
    agency the row will be written under, in the terms of ``existing``'s
    agencies (the import service passes uuids). Same-day similar entries of
    ANOTHER agency are likely duplicates; the same agency's identical entry
    means the return may have been imported before. Without it, agencies are
    compared by name, without case, and a blank cell means ``agency``.

    ``keep_candidates=False`` counts rows without holding them (a streamed
    import checks them again as it writes); ``row_hook`` adds the caller's
    own checks of each row.
    """
    checker = row_checker(
        mapping, today=today, agency=agency, scope=scope, existing=existing, agency_identity=agency_identity
    )
    report = ChronologyImportReport(table.source_name, notes=list(getattr(table, "notes", ())))
    by_field = checker.by_field
    rows = table.iter_rows(only=by_field.values()) if isinstance(table, ReturnSource) else table.iter_rows()
    for row in rows:
        candidate, issues = checker.check(row.row_number, row.values)
        if row_hook is not None:
            issues.extend(row_hook(candidate))
        report.add_row(candidate, issues, keep=keep_candidates)
    return report


def row_checker(
    mapping: Mapping[str, str | None],
    *,
    today: date,
    agency: str | None = None,
    scope: tuple[date, date] | None = None,
    existing: Iterable[ExistingEntry | tuple] = (),
    agency_identity: AgencyIdentity | None = None,
) -> RowChecker:
    """The checks ``validate_table`` makes of each row, set up once for a mapping:
    ``check(row_number, raw_values)`` gives a row's (candidate, issues). Raises for a bad mapping."""
    if agency_identity is None:

        def agency_identity(cell: str | None) -> Hashable:
            return _agency_key(cell if cell is not None else agency)

        index = _DuplicateIndex(existing, _agency_key)
    else:
        index = _DuplicateIndex(existing)
    return RowChecker(
        check_mapping(mapping),
        today=today,
        agency=agency,
        scope=scope,
        duplicates=index,
        agency_identity=agency_identity,
    )

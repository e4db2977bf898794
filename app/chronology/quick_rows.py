"""The import's quick path: a row's cells straight to its entry's column values, when nothing needs saying.

A return repeats a few thousand distinct dates, times, yes/no answers and agency names over tens of
thousands of rows, and most rows draw no remark at all. For such a row the plain checks
(``validation.RowChecker.check``, then the import's own agency and episode checks, then
``import_service.candidate_to_fields``) build three dicts and walk every field through a general loop.
``QuickRows.row(cells)`` does the same work once per distinct cell value instead: each date, time,
yes/no and agency cell is looked up in a per-column memo of what those checks made of the same value
(the stored text of the date, its sort key, the time it carries, whether it is in the future or outside
the review's scope, whether any existing entry falls on that day), and free text is trimmed and checked
inline (formula prefix, field limit, refused characters). The result is the entry's column values in
insert order, ready for ``executemany``.

It answers None for any row the plain checks would say anything about: an error or a warning of any
kind, a day on which an existing entry could be a duplicate, a key practice episode, a corrected cell.
Those rows go through the plain checks, so the report, the entries, their stamps, the audit entry and
the links are what the plain path gives; ``tests/property/test_import_fast_path.py`` checks that both
paths write identical rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import time
from typing import Any, cast

from app.chronology.service import date_key
from app.chronology.validation import (
    _SEQUENCE_DIGITS,
    RowChecker,
    _as_list,
    _as_sequence,
    _as_text,
    _has_wide_digits,
    _is_blank,
    parse_yes_no,
)
from app.dates.fuzzy import DateParseError, DatePrecision, FuzzyDate
from app.office.safe_cells import FORMULA_PREFIXES
from app.records.limits import REFUSED_CHARACTERS, refused_character

__all__ = ["QuickRows"]

_MEMO_SIZE = 20_000
_KNOWN_TEXTS = 4_096
"""Clean free texts remembered per column (the first ones seen; a column of unique texts stops adding)."""
_MEMO_CHARS = 200
"""Cells longer than this are worked out each time, not remembered (the memos stay small)."""

#: the fields the quick path knows; a mapping with any other makes every row go the plain way
_HANDLED = frozenset(
    {
        "sequence",
        "start_date",
        "start_time",
        "end_date",
        "end_time",
        "agency",
        "source",
        "event",
        "child_seen",
        "child_voice",
        "action_outcome",
        "agency_analysis",
        "reviewer_comment",
        "significant",
        "episodes",
    }
)
_FREE_TEXT = ("source", "event", "action_outcome", "agency_analysis", "reviewer_comment")
_MANDATORY_TEXT = frozenset({"source", "event"})
_MISSING = object()


def time_text(value: object) -> str | None:
    """A time as it is stored: as strftime("%H:%M[:%S]"), without its cost per row."""
    if isinstance(value, time):
        return (
            f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
            if value.second
            else f"{value.hour:02d}:{value.minute:02d}"
        )
    return None


class _Memo(dict):
    """What ``compute`` made of a cell value, by value: ``memo[value]``.

    A str cell is its own key, so a value seen before costs one dict look-up in C (``__missing__`` runs
    only for a new one); any other value is kept by (type, value) beside them, so that 1, 1.0 and True
    stay different cells."""

    __slots__ = ("compute", "typed")

    def __init__(self, compute: Callable[[object], Any]) -> None:
        super().__init__()
        self.compute = compute
        self.typed: dict[object, Any] = {}

    def __missing__(self, value: object) -> Any:
        if value.__class__ is str:
            found = self.compute(value)
            if len(value) <= _MEMO_CHARS:  # a str, just checked; longer ones are worked out each time
                self._keep(self, value, found)
            return found
        key = (value.__class__, value)
        found = self.typed.get(key, _MISSING)
        if found is _MISSING:
            found = self.compute(value)
            self._keep(self.typed, key, found)
        return found

    def _keep(self, seen: dict[object, Any], key: object, found: Any) -> None:
        if len(self) + len(self.typed) >= _MEMO_SIZE:
            self.clear()
            self.typed.clear()
        seen[key] = found


class QuickRows:
    """Rows that need no remark, made into insert rows (see the module's docstring).

    ``columns``: (cell index, header) of the mapped columns, as the source reads them;
    ``names``: the insert's columns in order; ``template``: an entry's values with every mapped field
    blank, in that order (what the plain path stores for an unmapped field), with the import's fixed
    values; ``convert``: column -> the driver conversion of its values (booleans), as SQLAlchemy
    would make it; ``agency_of``: an agency cell's text -> the uuid of the agency the row is written
    under, or None (unknown); ``agency_uuid``: the import's own agency.
    """

    def __init__(
        self,
        checker: RowChecker,
        columns: Sequence[tuple[int, str]],
        names: Sequence[str],
        template: list[Any],
        convert: dict[str, Callable[[Any], Any]],
        agency_of: Callable[[str], str | None],
        agency_uuid: str,
    ) -> None:
        self.usable = set(checker.by_field) <= _HANDLED
        cell_of = {header: index for index, header in columns}
        self._cell = {name: cell_of[header] for name, header in checker.by_field.items()}
        self._pos = {name: index for index, name in enumerate(names)}
        self.template = template
        self._checker = checker
        self._today = checker.today
        self._scope = checker.scope
        self._agency_of = agency_of
        self._agency_uuid = agency_uuid
        identity = lambda value: value  # noqa: E731  # one line beside the converters it stands in for
        self._convert = {name: convert.get(name, identity) for name in ("child_seen", "child_voice", "significant")}
        limits = checker.limits
        self._reference_limit = limits["reference"]
        self._texts = [
            (self._cell[name], self._pos[name], limits[name], name in _MANDATORY_TEXT)
            for name in _FREE_TEXT
            if name in self._cell
        ]
        self._start = _Memo(self._start_date)
        self._end = _Memo(self._end_date)
        self._time = _Memo(self._time_of)
        self._seen = _Memo(self._yes_no("child_seen", False))
        self._significant = _Memo(self._yes_no("significant", True))
        self._voice = _Memo(self._child_voice(limits["child_voice_note"]))
        self._agency = _Memo(self._agency_cell(limits["agency"]))
        self._row = self._make_row()

    # -- what one cell value gives, worked out once per distinct value ------------------------------------

    def _parsed_date(self, value: object) -> tuple[FuzzyDate, time | None] | None:
        try:
            when, carried = cast(tuple[FuzzyDate, time | None], self._checker.parse_date(value))
        except DateParseError:
            return None
        if isinstance(value, str) and _has_wide_digits(value):
            return None  # a warning: the plain checks say it
        if when.earliest() > self._today:
            return None  # in the future: a warning
        return when, carried

    def _start_date(self, value: object) -> tuple[str, int, time | None, str | None, FuzzyDate] | None:
        if _is_blank(value):
            return None  # mandatory
        parsed = self._parsed_date(value)
        if parsed is None:
            return None
        when, carried = parsed
        earliest = when.earliest()
        if self._scope is not None:
            first, last = self._scope
            if when.latest() < first or earliest > last:
                return None  # outside the review's scope: a warning
        if when.precision is DatePrecision.DAY and self._checker.duplicates.has_day(earliest.toordinal()):
            return None  # an existing entry that day: duplicates are looked for the plain way
        return when.to_storage(), date_key(when), carried, time_text(carried), when

    def _end_date(self, value: object) -> tuple[str | None, time | None, str | None, FuzzyDate | None] | None:
        if _is_blank(value):
            return None, None, None, None
        parsed = self._parsed_date(value)
        if parsed is None:
            return None
        when, carried = parsed
        return when.to_storage(), carried, time_text(carried), when

    def _time_of(self, value: object) -> tuple[time | None, str | None] | None:
        try:
            found = self._checker.parse_time(value)
        except DateParseError:
            return None
        if isinstance(value, str) and found is not None and _has_wide_digits(value):
            return None
        return found, time_text(found)  # type: ignore[return-value]  # parse_time gives a time or None

    def _yes_no(self, name: str, as_bool: bool) -> Callable[[object], tuple[Any] | None]:
        convert = self._convert[name]

        def compute(value: object) -> tuple[Any] | None:
            answer, understood = parse_yes_no(value)
            if not understood:
                return None  # a warning
            return (convert(bool(answer)) if as_bool else convert(answer),)

        return compute

    @staticmethod
    def _text(value: object, limit: int) -> str | None | object:
        """The cell's text as stored (None: blank), or ``_MISSING`` if the plain checks would remark on it."""
        text: str | None
        if value.__class__ is str:
            text = value.strip()  # a str, just checked
            if not text:
                return None
            if text.startswith(FORMULA_PREFIXES):
                return _MISSING
        else:
            text = _as_text(value)
            if text is None:
                return None
        if len(text) > limit or refused_character(text):
            return _MISSING
        return text

    def _child_voice(self, limit: int) -> Callable[[object], tuple[Any, str] | None]:
        convert = self._convert["child_voice"]

        def compute(value: object) -> tuple[Any, str] | None:
            text = self._text(value, limit)
            if text is _MISSING:
                return None
            voice, understood = parse_yes_no(text)
            if not understood:  # the agency wrote what the child said: the voice was recorded
                return convert(True), text  # type: ignore[return-value]  # a str: understood otherwise
            return convert(voice), ""

        return compute

    def _agency_cell(self, limit: int) -> Callable[[object], tuple[str] | None]:
        def compute(value: object) -> tuple[str] | None:
            text = self._text(value, limit)
            if text is _MISSING:
                return None
            if text is None:
                return (self._agency_uuid,)
            found = self._agency_of(text)  # type: ignore[arg-type]  # a str here
            return None if found is None else (found,)  # unknown agency: an error

        return compute

    # -- a row -------------------------------------------------------------------------------------------

    def row(self, cells: Sequence[object]) -> list[Any] | None:
        """The entry's column values (sequence, uuid and ``imported_from`` still to fill), or None: the row
        goes through the plain checks."""
        return self._row(cells)

    def _make_row(self) -> Callable[[Sequence[object]], list[Any] | None]:
        """``row``, with every index and memo bound once (it runs per row: no attribute look-ups).

        A memo answers a cell seen before with one dict look-up (``memo[value]``); the agency and yes/no
        columns that give one value each share one loop."""
        cell, pos = self._cell, self._pos
        template = self.template
        #: per free-text column: (cell, position, limit, mandatory, clean texts seen: cell text -> stored text)
        texts: tuple[tuple[int, int, int, bool, dict[object, str]], ...] = tuple(
            (index, at, limit, mandatory, {}) for index, at, limit, mandatory in self._texts
        )
        #: per column of one value (agency, child seen, significant): (cell, its memo, position)
        singles: tuple[tuple[int, _Memo, int], ...] = tuple(
            (cell[name], memo, pos[column])
            for name, memo, column in (
                ("agency", self._agency, "agency_uuid"),
                ("child_seen", self._seen, "child_seen"),
                ("significant", self._significant, "significant"),
            )
            if name in cell
        )
        text_of = self._text
        c_start = cell["start_date"]
        c_start_time = cell.get("start_time", -1)
        c_end = cell.get("end_date", -1)
        c_end_time = cell.get("end_time", -1)
        c_sequence = cell.get("sequence", -1)
        c_voice = cell.get("child_voice", -1)
        c_episodes = cell.get("episodes", -1)
        p_start, p_key, p_start_time = pos["start_date"], pos["date_key"], pos["start_time"]
        p_end, p_end_time, p_reference = pos["end_date"], pos["end_time"], pos["reference"]
        p_voice, p_voice_note = pos["child_voice"], pos["child_voice_note"]
        start_memo, end_memo, time_memo, voice_memo = self._start, self._end, self._time, self._voice
        reference_limit = self._reference_limit
        day = DatePrecision.DAY
        formula, refused, missing = FORMULA_PREFIXES, REFUSED_CHARACTERS.search, _MISSING

        def row(cells: Sequence[object]) -> list[Any] | None:
            size = len(cells)
            out = template.copy()

            found = start_memo[cells[c_start] if c_start < size else None]  # cells are hashable scalars
            if found is None:
                return None
            out[p_start], out[p_key], start_time, start_text, start = found
            if c_start_time >= 0:
                found = time_memo[cells[c_start_time] if c_start_time < size else None]
                if found is None:
                    return None
                if found[0] is not None:
                    start_time, start_text = found
            out[p_start_time] = start_text

            if c_end >= 0 or c_end_time >= 0:
                end: FuzzyDate | None = None
                end_time: time | None = None
                end_text: str | None = None
                if c_end >= 0:
                    found = end_memo[cells[c_end] if c_end < size else None]
                    if found is None:
                        return None
                    out[p_end], end_time, end_text, end = found
                if c_end_time >= 0:
                    found = time_memo[cells[c_end_time] if c_end_time < size else None]
                    if found is None:
                        return None
                    if found[0] is not None:
                        end_time, end_text = found
                out[p_end_time] = end_text
                if end is not None:
                    if end.latest() < start.earliest():
                        return None  # ends before it starts: a warning
                    if end.precision is day and end == start and start_time and end_time and end_time < start_time:
                        return None

            for index, at, limit, mandatory, known in texts:
                value = cells[index] if index < size else None
                text = known.get(value)  # a cell text seen before and found clean
                if text is not None:
                    out[at] = text
                elif value.__class__ is str:
                    text = value.strip()  # a str, just checked
                    if not text:
                        if mandatory:
                            return None
                        continue
                    if text.startswith(formula) or len(text) > limit or refused(text):
                        return None
                    out[at] = text
                    if len(known) < _KNOWN_TEXTS and len(value) <= _MEMO_CHARS:
                        known[value] = text  # sources and outcomes repeat; events fill this and stop
                else:
                    found = text_of(value, limit)
                    if found is None:
                        if mandatory:
                            return None
                    elif found is missing:
                        return None
                    else:
                        out[at] = found

            if c_sequence >= 0:
                value = cells[c_sequence] if c_sequence < size else None
                if (
                    value.__class__ is str
                    and value.isascii()  # a str, just checked
                    and value.isdigit()
                    and len(value) <= _SEQUENCE_DIGITS
                ):
                    out[p_reference] = str(int(value))  # ASCII digits
                else:
                    sequence = _as_sequence(value)
                    if isinstance(sequence, str) and (len(sequence) > reference_limit or refused(sequence)):
                        return None
                    out[p_reference] = "" if sequence is None else str(sequence).strip()

            for index, memo, at in singles:
                found = memo[cells[index] if index < size else None]
                if found is None:
                    return None
                out[at] = found[0]
            if c_voice >= 0:
                found = voice_memo[cells[c_voice] if c_voice < size else None]
                if found is None:
                    return None
                out[p_voice], out[p_voice_note] = found
            if c_episodes >= 0:
                value = cells[c_episodes] if c_episodes < size else None
                if value is not None and _as_list(value) is not None:
                    return None  # episode links are made the plain way
            return out

        return row

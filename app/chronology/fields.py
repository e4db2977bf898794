"""The chronology entry fields and the column headers agencies use for them.

Agencies head their columns in many ways ("Date of contact", "Details of
event", "Was the child seen?"). Headers are compared after normalising case,
punctuation and spacing, first against a table of known variants, then by a
few keyword rules. Each field is given to at most one column; the user can
override any choice with "Header=field".
"""

from __future__ import annotations

import difflib
import enum
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from app.errors import InvalidInput

__all__ = [
    "FIELDS",
    "TEXT_FIELDS",
    "FIELD_NAMES",
    "FREE_TEXT_FIELDS",
    "MANDATORY_FIELDS",
    "FieldKind",
    "FieldMappingError",
    "FieldSpec",
    "apply_overrides",
    "auto_map",
    "field_spec",
    "match_header",
    "normalise_header",
    "parse_override",
    "unmapped_headers",
]

#: The free-text fields of an entry: what anonymising replaces, the name scan reads and edits trim.
TEXT_FIELDS: tuple[str, ...] = (
    "reference",
    "source",
    "event",
    "child_voice_note",
    "action_outcome",
    "agency_analysis",
    "reviewer_comment",
)


class FieldMappingError(InvalidInput, ValueError):
    """A header mapping the user typed cannot be used."""


class FieldKind(enum.Enum):
    TEXT = "text"
    INTEGER_OR_TEXT = "integer_or_text"
    DATE = "date"
    TIME = "time"
    YES_NO = "yes_no"
    LIST = "list"


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    label: str
    kind: FieldKind
    mandatory: bool = False


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("sequence", "Sequence", FieldKind.INTEGER_OR_TEXT),
    FieldSpec("start_date", "Start date", FieldKind.DATE, mandatory=True),
    FieldSpec("start_time", "Start time", FieldKind.TIME),
    FieldSpec("end_date", "End date", FieldKind.DATE),
    FieldSpec("end_time", "End time", FieldKind.TIME),
    FieldSpec("agency", "Agency", FieldKind.TEXT),
    FieldSpec("source", "Source of information", FieldKind.TEXT, mandatory=True),
    FieldSpec("event", "Event / contact", FieldKind.TEXT, mandatory=True),
    FieldSpec("child_seen", "Child seen", FieldKind.YES_NO),
    FieldSpec("child_voice", "Voice of the child", FieldKind.TEXT),
    FieldSpec("action_outcome", "Action / outcome", FieldKind.TEXT),
    FieldSpec("agency_analysis", "Agency analysis", FieldKind.TEXT),
    FieldSpec("reviewer_comment", "Reviewer comment", FieldKind.TEXT),
    FieldSpec("significant", "Significant event", FieldKind.YES_NO),
    FieldSpec("episodes", "Key practice episodes", FieldKind.LIST),
)
FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS)
#: The import fields a column of free text can go to, by the names ``--map`` takes (``TEXT_FIELDS`` are the
#: stored columns: "child_voice_note" there is "child_voice" here, and a note offering it was refused).
FREE_TEXT_FIELDS: tuple[str, ...] = tuple(f.name for f in FIELDS if f.kind is FieldKind.TEXT and f.name != "agency")
MANDATORY_FIELDS: frozenset[str] = frozenset(f.name for f in FIELDS if f.mandatory)
_BY_NAME = {f.name: f for f in FIELDS}


def field_spec(name: str) -> FieldSpec:
    try:
        return _BY_NAME[name]
    except KeyError:
        raise FieldMappingError(_unknown_field_message(name)) from None


def normalise_header(header: object) -> str:
    """Case-, punctuation- and spacing-insensitive form of a header."""
    text = str(header or "").casefold().replace("&", " and ").replace("#", " number ")
    text = text.replace("’", "'").replace("'s", "s")
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


_VARIANTS: dict[str, tuple[str, ...]] = {
    "sequence": (
        "ref",
        "ref no",
        "reference",
        "reference number",
        "no",
        "number",
        "seq",
        "sequence",
        "sequence number",
        "entry",
        "entry no",
        "item",
        "id",
        "line",
        "row",
    ),
    "start_date": (
        "date",
        "date of contact",
        "date of event",
        "date time",
        "date and time",
        "start date",
        "date from",
        "from",
        "start",
        "event date",
        "contact date",
        "date of incident",
        "date of entry",
        "when",
        "date started",
        "dd mm yyyy",
        "date dd mm yy",
        "date dd mm yyyy",
    ),
    "start_time": ("time", "start time", "time of contact", "time of event", "time from", "time started"),
    "end_date": ("end date", "date to", "to", "end", "date ended", "finish date", "until"),
    "end_time": ("end time", "time to", "time ended", "finish time"),
    "agency": ("agency", "organisation", "organization", "service", "agency name", "agency service"),
    "source": (
        "source",
        "source of information",
        "information source",
        "source of info",
        "record",
        "source record",
        "practitioner",
        "practitioner role",
        "author",
        "recorded by",
        "who",
        "worker",
        "professional",
        "source of information record practitioner",
    ),
    "event": (
        "event",
        "event contact",
        "details of event",
        "event details",
        "description",
        "description of event",
        "details",
        "contact",
        "details of contact",
        "what happened",
        "event contact and who was present",
        "event and who was present",
        "contact event",
        "details of event contact",
        "summary",
        "summary of event",
        "narrative",
        "entry details",
        "nature of contact",
        "event or contact",
    ),
    "child_seen": (
        "child seen",
        "was the child seen",
        "child seen y n",
        "seen",
        "child seen yes no",
        "was child seen",
        "child seen y n u",
        "seen y n",
    ),
    "child_voice": (
        "voice of the child",
        "child voice",
        "childs voice",
        "voice of child",
        "child views",
        "childs views",
        "views of the child",
        "childs wishes and feelings",
        "wishes and feelings",
        "voice of the child recorded",
        "childs voice recorded",
    ),
    "action_outcome": (
        "action outcome",
        "outcome action taken",
        "outcome",
        "action taken",
        "actions",
        "action",
        "outcome action",
        "actions taken",
        "outcome of contact",
        "action and outcome",
        "outcome and action taken",
        "actions outcome",
        "decision",
        "outcome decision",
    ),
    "agency_analysis": (
        "analysis",
        "agency comment",
        "agency comments",
        "agency analysis",
        "comment",
        "comments",
        "agency analysis comment",
        "analysis comment",
        "analysis of practice",
        "agency reflection",
        "practice analysis",
        "reflection",
        "analysis and comment",
        "agency comments analysis",
    ),
    "reviewer_comment": (
        "reviewer comment",
        "reviewer comments",
        "reviewers comment",
        "reviewers comments",
        "lead reviewer comment",
        "lead reviewer comments",
        "panel comment",
        "panel comments",
        "author comment",
        "review team comment",
        "reviewer notes",
    ),
    "significant": (
        "significant",
        "significant event",
        "key event",
        "significant y n",
        "significant event y n",
        "significance",
    ),
    "episodes": (
        "episodes",
        "episode",
        "key practice episode",
        "key practice episodes",
        "kpe",
        "kpes",
        "key episode",
        "key episodes",
        "practice episode",
        "practice episodes",
    ),
}

_EXACT: dict[str, str] = {}
for _field, _variants in _VARIANTS.items():
    for _variant in _variants:
        _key = normalise_header(_variant)
        assert _key not in _EXACT, f"header variant {_variant!r} listed twice"
        _EXACT[_key] = _field
for _spec in FIELDS:
    _EXACT.setdefault(normalise_header(_spec.label), _spec.name)
    _EXACT.setdefault(normalise_header(_spec.name), _spec.name)

# Fallback rules for headers not in the table: (required words, field), first match wins.
_KEYWORD_RULES: tuple[tuple[frozenset[str], str], ...] = tuple(
    (frozenset(words.split()), field)
    for words, field in (
        ("reviewer", "reviewer_comment"),
        ("panel", "reviewer_comment"),
        ("episode", "episodes"),
        ("voice", "child_voice"),
        ("wishes", "child_voice"),
        ("seen", "child_seen"),
        ("end date", "end_date"),
        ("end time", "end_time"),
        ("time", "start_time"),
        ("date", "start_date"),
        ("agency analysis", "agency_analysis"),
        ("analysis", "agency_analysis"),
        ("comment", "agency_analysis"),
        ("outcome", "action_outcome"),
        ("action", "action_outcome"),
        ("source", "source"),
        ("event", "event"),
        ("contact", "event"),
        ("description", "event"),
        ("details", "event"),
        ("agency", "agency"),
        ("significant", "significant"),
        ("ref", "sequence"),
    )
)


def match_header(header: object) -> tuple[str | None, bool]:
    """(field, exact) for one header: exact means it is a known variant."""
    key = normalise_header(header)
    if not key:
        return None, False
    if key in _EXACT:
        return _EXACT[key], True
    words = set(key.split())
    words |= {w[:-1] for w in words if len(w) > 3 and w.endswith("s")}  # plurals and possessives
    for required, field in _KEYWORD_RULES:
        if required <= words:
            return field, False
    return None, False


def auto_map(headers: Sequence[str]) -> dict[str, str | None]:
    """Guess the field of each header; a field goes to one header at most.

    Known variants beat keyword guesses; among equals the leftmost column wins.
    """
    guesses = [(header, *match_header(header)) for header in headers]
    result: dict[str, str | None] = {header: None for header in headers}
    taken: set[str] = set()
    for want_exact in (True, False):
        for header, field, exact in guesses:
            if field is not None and exact == want_exact and field not in taken and result[header] is None:
                result[header] = field
                taken.add(field)
    return result


_IGNORE = {"", "none", "ignore", "skip"}  # "" also covers "-" and other punctuation


def _resolve_field(text: str) -> str | None:
    key = normalise_header(text)
    if key in _IGNORE:
        return None
    for spec in FIELDS:
        if key in (normalise_header(spec.name), normalise_header(spec.label)):
            return spec.name
    raise FieldMappingError(_unknown_field_message(text))


def _unknown_field_message(text: str) -> str:
    close = difflib.get_close_matches(text.strip().lower(), FIELD_NAMES, n=1)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    return f"Unknown field '{text.strip()}'.{hint} Known fields: {', '.join(FIELD_NAMES)} (or 'ignore')."


def parse_override(text: str) -> tuple[str, str | None]:
    """Read "Header=field" (field may be a name, a label, or 'ignore'/'-' to drop the column)."""
    header, sep, field = text.rpartition("=")
    if not sep or not header.strip():
        raise FieldMappingError(
            f"Cannot read mapping '{text}': write it as Header=field, e.g. 'Date of contact=start_date'."
        )
    return header.strip(), _resolve_field(field)


def unmapped_headers(mapping: Mapping[str, str | None], overrides: Iterable[str] = ()) -> list[str]:
    """The named columns no field takes, other than those the user left out by name ("Header=ignore").

    A column the automatic mapping does not know ("Present") is otherwise dropped without a word.
    """
    ignored = {normalise_header(header) for header, field in map(parse_override, overrides) if field is None}
    return [h for h, field in mapping.items() if field is None and h.strip() and normalise_header(h) not in ignored]


def apply_overrides(mapping: Mapping[str, str | None], overrides: Iterable[str]) -> dict[str, str | None]:
    """Apply the user's "Header=field" overrides to an automatic mapping.

    The header is matched exactly, else ignoring case and punctuation. A field
    given to one header is taken away from any other header that had it.
    """
    result = dict(mapping)
    by_key: dict[str, list[str]] = {}
    for header in result:
        by_key.setdefault(normalise_header(header), []).append(header)
    for text in overrides:
        header, field = parse_override(text)
        if header not in result:
            candidates = by_key.get(normalise_header(header), [])
            if len(candidates) != 1:
                known = ", ".join(f"'{h}'" for h in result)
                problem = "matches several columns" if candidates else "is not a column in this file"
                raise FieldMappingError(f"Header '{header}' in '{text}' {problem}. Columns: {known}.")
            header = candidates[0]
        if field is not None:
            for other, other_field in result.items():
                if other_field == field:
                    result[other] = None
        result[header] = field
    return result

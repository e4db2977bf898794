"""Limits on what is read and stored, in one place, so nothing is stored that the rest refuses.

Two tables:

* ``IMPORT_LIMITS``: how large a file an import reads before refusing it with
  one clear message. They bound memory and time against hostile or careless
  files (a zip bomb, a sheet of 10 million shared strings, a million-row CSV
  exported by mistake). Every import path streams rows, so memory stays flat
  up to these limits; the limits keep the time bounded too.
* ``FIELD_LIMITS``: the longest text each stored field may hold, the same for
  typing, importing and receiving in a bundle; with ``check_text`` refusing
  characters that would make a record unsendable or misleading (controls,
  bidirectional overrides that make a name read backwards).

Limits are generous for real work: a chronology return is thousands of rows,
a cell of an event narrative a few thousand characters.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from app.errors import InvalidInput

__all__ = [
    "FIELD_LIMITS",
    "IMPORT_LIMITS",
    "FieldLimitError",
    "ImportLimits",
    "check_text",
    "field_limit",
    "file_size",
    "refused_character",
]


@dataclass(frozen=True, slots=True)
class ImportLimits:
    max_file_bytes: int = 100 * 2**20
    """Size of the file on disk (XLSX, CSV or DOCX)."""
    max_rows_read: int = 1_048_576
    """Rows a sheet or CSV may have (Excel's own maximum)."""
    max_import_rows: int = 200_000
    """Non-blank data rows one return may import; a chronology is thousands of rows."""
    max_columns: int = 1_000
    max_cell_chars: int = 32_767
    """Excel's own limit on a cell's text."""
    max_shared_strings: int = 2_000_000
    max_shared_chars: int = 200_000_000
    max_xlsx_part_bytes: int = 2 * 2**30
    """A part of an XLSX once uncompressed (a zip bomb inflates far past this)."""
    max_nesting_depth: int = 20
    """Tables inside tables in a Word return."""
    report_issue_lines: int = 1_000
    """Issues a report lists one by one; further ones are summarised by kind."""


IMPORT_LIMITS = ImportLimits()


def file_size(path: Path) -> int:
    """A chosen file's size, to compare with its limit before reading it; InvalidInput if it cannot be looked at."""
    try:
        return path.stat().st_size
    except OSError as exc:
        raise InvalidInput(f"Cannot read {path}: {exc.strerror or exc}.") from None


class FieldLimitError(InvalidInput, ValueError):
    """A text is over its field's limit or holds a refused character; the message says which."""


#: (table, field) -> longest text stored. Text columns without a size in the schema get a limit here.
FIELD_LIMITS: dict[tuple[str, str], int] = {
    ("chronology_entry", "reference"): 60,
    ("chronology_entry", "source"): 2_000,
    ("chronology_entry", "event"): 32_767,
    ("chronology_entry", "child_voice_note"): 32_767,
    ("chronology_entry", "action_outcome"): 32_767,
    ("chronology_entry", "agency_analysis"): 32_767,
    ("chronology_entry", "reviewer_comment"): 32_767,
    ("chronology_entry", "author"): 200,
    ("chronology_entry", "imported_from"): 300,
    ("chronology_entry", "agency"): 200,
    # a Section 11 interview's attendees are a JSON list; each one's name and role
    ("s11_interview", "attendee_name"): 200,
    ("s11_interview", "attendee_role"): 200,
}

_DEFAULT_TEXT_LIMIT = 32_767

# C0/C1 controls other than tab, newline and carriage return; bidirectional embeddings, overrides and
# isolates (U+202A-U+202E, U+2066-U+2069), which make text display in an order other than stored.
_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


REFUSED_CHARACTERS = _REFUSED
"""The characters ``check_text`` refuses, as a pattern (``search`` finds the first)."""


def refused_character(text: str) -> bool:
    """Whether the text holds a character ``check_text`` refuses (a quick test before the full check)."""
    return _REFUSED.search(text) is not None


def field_limit(table: str, name: str, default: int = _DEFAULT_TEXT_LIMIT) -> int:
    """The longest text of a field: this table's entry, else the column's declared length, else the default."""
    found = FIELD_LIMITS.get((table, name))
    if found is not None:
        return found
    from db.base import Base  # the schema's String(n) sizes are limits too

    column = Base.metadata.tables[table].c.get(name) if table in Base.metadata.tables else None
    length = getattr(getattr(column, "type", None), "length", None)
    return length if isinstance(length, int) else default


def check_text(table: str, name: str, text: str, *, label: str | None = None) -> str:
    """The text, or FieldLimitError naming the field, its length and the limit, or the character refused."""
    shown = label or name.replace("_", " ")
    limit = field_limit(table, name)
    if len(text) > limit:
        raise FieldLimitError(f"{shown} is {len(text):,} characters long; at most {limit:,} are allowed")
    found = _REFUSED.search(text)
    if found:
        char = found.group()
        what = (
            unicodedata.name(char, f"U+{ord(char):04X}").lower()
            if ord(char) > 0x9F
            else f"control character U+{ord(char):04X}"
        )
        raise FieldLimitError(f"{shown} contains {what}, which is not allowed")
    return text

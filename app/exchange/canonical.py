"""Canonical JSON, so that signatures cover exactly one byte string.

Signed documents (manifests, identity cards) are serialised with sorted
keys, no whitespace and ASCII-only escapes; integers, strings, lists,
objects, booleans and null only. Readers reject duplicate keys, floats and
NaN/Infinity, because each would give two readers two different meanings
for the same signed bytes.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import unicodedata
from datetime import UTC, datetime
from typing import Any

from app.clock import utc_now


class CanonicalJSONError(ValueError):
    """The bytes are not (canonical) JSON as this format defines it."""


def _reject_constant(name: str) -> Any:
    raise CanonicalJSONError(f"non-finite number {name}")


def _reject_float(text: str) -> Any:
    raise CanonicalJSONError("floating-point numbers are not allowed")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise CanonicalJSONError(f"duplicate key {key!r}")
        result[key] = value
    return result


def canonical_json(value: Any) -> bytes:
    """Serialise ``value`` to its one canonical byte form."""
    return json.dumps(
        value,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
        allow_nan=False,
    ).encode("ascii")


def strict_loads(data: bytes) -> Any:
    """Parse JSON strictly (UTF-8, no duplicates, no floats).

    Callers bound the input size first; hostile nesting ends as a
    RecursionError inside ``json``, reported like any other bad JSON.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CanonicalJSONError("not UTF-8") from exc
    try:
        return json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_float=_reject_float,
            parse_constant=_reject_constant,
        )
    except CanonicalJSONError:
        raise
    except (ValueError, RecursionError) as exc:
        raise CanonicalJSONError(f"invalid JSON: {exc}") from exc


def loads_canonical(data: bytes) -> Any:
    """Parse and insist the bytes are exactly the canonical serialisation."""
    value = strict_loads(data)
    if canonical_json(value) != data:
        raise CanonicalJSONError("JSON is not in canonical form")
    return value


# --- Small field encodings shared by cards and manifests --------------------

_UTC_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
_UTC_RE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
_FORBIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}


def utc_now_iso() -> str:
    """Current UTC time, second precision: ``2025-01-31T09:30:00Z``."""
    return utc_now().strftime(_UTC_FORMAT)


def parse_utc_iso(text: str) -> datetime:
    """Parse exactly the form ``utc_now_iso`` writes; ValueError otherwise."""
    if not isinstance(text, str) or not _UTC_RE.fullmatch(text):
        raise ValueError("not a UTC timestamp like 2025-01-31T09:30:00Z")
    return datetime.strptime(text, _UTC_FORMAT).replace(tzinfo=UTC)


def b64encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def b64decode_strict(text: str, *, length: int | None = None) -> bytes:
    """Standard padded base64, one canonical spelling only."""
    if not isinstance(text, str) or not text.isascii():
        raise ValueError("not base64 text")
    try:
        raw = base64.b64decode(text, validate=True)
    except binascii.Error as exc:
        raise ValueError("invalid base64") from exc
    if b64encode(raw) != text:
        raise ValueError("non-canonical base64")
    if length is not None and len(raw) != length:
        raise ValueError(f"expected {length} bytes")
    return raw


def check_text(value: object, *, max_len: int, allow_empty: bool) -> str:
    """A display string: bounded, trimmed, no control or bidi-override marks
    (those let a name pretend to be another on screen)."""
    if not isinstance(value, str):
        raise ValueError("not text")
    if not allow_empty and not value:
        raise ValueError("empty")
    if len(value) > max_len:
        raise ValueError(f"longer than {max_len} characters")
    if value != value.strip():
        raise ValueError("leading or trailing spaces")
    if any(unicodedata.category(ch) in _FORBIDDEN_CATEGORIES for ch in value):
        raise ValueError("control or invisible formatting characters")
    return value


def clean_text(value: str) -> str:
    """What writers apply before ``check_text``: NFC and trimmed."""
    return unicodedata.normalize("NFC", value).strip()

"""Change sets: the records a bundle carries, encoded and strictly validated.

A change set is JSON inside the signed, encrypted bundle (see
docs/bundle-format.md for the container, docs/merge.md for this part):

    {"kind": "safeguarding-workbench/change-set", "version": 1,
     "tables": {"agency": {"fields": ["name", ...],
                           "records": [[uuid, origin_member, deleted_stamp|null,
                                        [value, ...], stamps, {field: [stamp, ...]}?], ...]}}}

``stamps`` is one stamp for every field (a record as created) or a list with
one stamp (or null, never stamped) per field. The optional sixth element is
the knowledge of some fields' values (app.records.knowledge): the stamps of
other members' values of that field the writer had seen. Values are encoded by column
type, with no per-table code: dates as ISO text, bytes as base64, JSON as is.
A tombstone (deleted_stamp set) carries only its links to other records
(`Exchangeable.tombstone_fields`): every other field's stamp is null and its
value is the field's empty value (null where the column allows it, else "", 0,
false, "0001-01-01", [] or {}, so that a receiver running an older version, which
requires a value there, still accepts the bundle). A receiver empties whatever
a tombstone's other fields hold, without reading them (an older sender may
still put content there).

Decoding trusts nothing: unknown tables or fields, wrong types, text over the
column's length, a UUID used twice or for another kind of record are refused
with one message naming the table, record and field.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Enum,
    Float,
    Integer,
    LargeBinary,
    Numeric,
    String,
)
from sqlalchemy import Time as TimeType

from app.exchange.errors import BundleError
from app.records.hlc import Stamp
from db.base import Exchangeable, exchangeable_models

CHANGE_SET_KIND = "safeguarding-workbench/change-set"
CHANGE_SET_VERSION = 1

#: limits for columns that declare none
MAX_TEXT_CHARS = 1_000_000
MAX_BINARY_BYTES = 64 * 1024 * 1024
MAX_JSON_CHARS = 1_000_000

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")
MEMBER_RE = re.compile(r"^[0-9a-f]{32}\Z")
_STAMP_RE = re.compile(r"^\d{15}\.\d{6}\.[0-9a-f]{32}\Z")


class MalformedChangeSetError(BundleError):
    """The decrypted, signed change set breaks the schema: refused as a whole."""

    default_message = "The bundle's records do not match this app's data schema, so it was not opened."


def refuse(where: str, problem: str) -> MalformedChangeSetError:
    return MalformedChangeSetError(
        f"The bundle was refused: {where}: {problem}. Nothing was imported.", detail=f"{where}: {problem}"
    )


# --- per-column codecs ---------------------------------------------------------

Encoder = Callable[[Any], Any]
Decoder = Callable[[Any], Any]  # raises ValueError with a short reason


def _identity(value: Any) -> Any:
    return value


def _iso(value: Any) -> Any:
    return value.isoformat()


def _b64(value: Any) -> Any:
    return base64.b64encode(value).decode("ascii")


def _require_storable(value: str) -> None:
    """JSON may carry lone surrogates (\\ud800); SQLite cannot store them."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text holds an invalid character (a lone surrogate)") from None


def _text_decoder(limit: int, choices: frozenset[str] | None) -> Decoder:
    def decode(value: Any) -> Any:
        if not isinstance(value, str):
            raise ValueError(f"expected text, got {type(value).__name__}")
        if len(value) > limit:
            raise ValueError(f"text of {len(value)} characters is over the limit of {limit}")
        _require_storable(value)
        if choices is not None and value not in choices:
            raise ValueError(f"{value[:40]!r} is not one of the allowed values")
        return value

    return decode


def _int_decoder(value: Any) -> Any:
    if type(value) is not int:
        raise ValueError(f"expected a whole number, got {type(value).__name__}")
    if not -(2**63) <= value < 2**63:
        raise ValueError("number out of range")
    return value


def _bool_decoder(value: Any) -> Any:
    if type(value) is not bool:
        raise ValueError(f"expected true or false, got {type(value).__name__}")
    return value


def _float_decoder(value: Any) -> Any:
    if type(value) not in (int, float):
        raise ValueError(f"expected a number, got {type(value).__name__}")
    try:
        number = float(value)
    except OverflowError:
        raise ValueError("number out of range") from None
    if not math.isfinite(number):
        raise ValueError("expected a finite number")
    return number


def _parser_decoder(kind: str, parse: Callable[[str], Any], max_len: int = 40) -> Decoder:
    def decode(value: Any) -> Any:
        if not isinstance(value, str) or len(value) > max_len:
            raise ValueError(f"expected an ISO {kind}")
        try:
            return parse(value)
        except ValueError:
            raise ValueError(f"{value!r} is not an ISO {kind}") from None

    return decode


def _binary_decoder(limit: int) -> Decoder:
    def decode(value: Any) -> Any:
        if not isinstance(value, str) or len(value) > (limit + 2) // 3 * 4:
            raise ValueError(f"expected base64 of at most {limit} bytes")
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("invalid base64") from None

    return decode


def _json_decoder(value: Any) -> Any:
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    except RecursionError:
        raise ValueError("JSON value nested too deeply") from None
    if len(text) > MAX_JSON_CHARS:
        raise ValueError(f"JSON value over {MAX_JSON_CHARS} characters")
    _require_storable(text)
    return value


@dataclass(frozen=True)
class FieldCodec:
    name: str
    encode: Encoder
    decode: Decoder
    nullable: bool
    #: the value a new record gets when the bundle omits the field (older sender)
    default: Any
    has_default: bool


def _codec_for(column: Column[Any]) -> FieldCodec:
    kind = column.type
    encode: Encoder = _identity
    decode: Decoder
    if isinstance(kind, JSON):
        decode = _json_decoder
    elif isinstance(kind, Enum):
        decode = _text_decoder(MAX_TEXT_CHARS, frozenset(kind.enums))
    elif isinstance(kind, String):
        decode = _text_decoder(kind.length or MAX_TEXT_CHARS, None)
    elif isinstance(kind, Boolean):
        decode = _bool_decoder
    elif isinstance(kind, Integer):
        decode = _int_decoder
    elif isinstance(kind, (Float, Numeric)):
        decode = _float_decoder
    elif isinstance(kind, DateTime):
        encode, decode = _iso, _parser_decoder("date and time", datetime.fromisoformat)
    elif isinstance(kind, Date):
        encode, decode = _iso, _parser_decoder("date (YYYY-MM-DD)", date.fromisoformat, 10)
    elif isinstance(kind, TimeType):
        encode, decode = _iso, _parser_decoder("time", time.fromisoformat, 20)
    elif isinstance(kind, LargeBinary):
        encode, decode = _b64, _binary_decoder(kind.length or MAX_BINARY_BYTES)
    else:  # a new column type must be taught here, not silently passed through
        raise TypeError(f"no bundle encoding for column {column.table.name}.{column.key} ({kind!r})")
    # ScalarElementColumnDefault and CallableColumnDefault have `arg`; the stubs type the base class
    default = column.default.arg if column.default is not None and column.default.is_scalar else None  # type: ignore[attr-defined]  # scalar and callable defaults have .arg
    has_default = column.default is not None and (column.default.is_scalar or column.default.is_callable)
    if column.default is not None and column.default.is_callable:
        default = column.default.arg  # type: ignore[attr-defined]  # scalar and callable defaults have .arg
    return FieldCodec(column.key, encode, decode, bool(column.nullable), default, has_default)


@dataclass(frozen=True)
class TableCodec:
    """How one exchangeable table's records travel."""

    model: type[Exchangeable]
    name: str
    fields: tuple[FieldCodec, ...]
    by_name: dict[str, FieldCodec]

    @classmethod
    def for_model(cls, model: type[Exchangeable]) -> TableCodec:
        table = model.__table__
        codecs = tuple(_codec_for(table.columns[name]) for name in model.content_fields())
        return cls(model, table.name, codecs, {c.name: c for c in codecs})

    def encode_value(self, field_name: str, value: Any) -> Any:
        return None if value is None else self.by_name[field_name].encode(value)

    def decode_value(self, field_name: str, value: Any) -> Any:
        codec = self.by_name[field_name]
        if value is None:
            if not codec.nullable:
                raise ValueError("a value is required")
            return None
        return codec.decode(value)

    def new_record_default(self, field_name: str) -> Any:
        codec = self.by_name[field_name]
        if codec.has_default:
            value = codec.default
            if callable(value):
                try:
                    return value(None)
                except TypeError:
                    return value()
            return value
        if codec.nullable:
            return None
        raise ValueError("missing, and the field has no default")


def table_codecs() -> dict[str, TableCodec]:
    """Every exchangeable table, parents first (foreign-key order)."""
    return {codec.name: codec for codec in (TableCodec.for_model(m) for m in exchangeable_models())}


# --- records ---------------------------------------------------------------------


@dataclass
class IncomingRecord:
    uuid: str
    origin_member: str
    deleted_stamp: str | None
    #: field -> decoded value
    values: dict[str, Any]
    #: field -> stamp text (fields never stamped are absent)
    stamps: dict[str, str]
    #: field -> stamps of earlier values its writer had seen (absent: only its own)
    knowledge: dict[str, list[str]] = field(default_factory=dict)

    @property
    def all_stamps(self) -> list[str]:
        found = list(self.stamps.values())
        if self.deleted_stamp:
            found.append(self.deleted_stamp)
        return found


@dataclass
class BundleChangeSet:
    """A decoded, validated change set: table name -> records, parents first."""

    tables: dict[str, list[IncomingRecord]] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {name: len(records) for name, records in self.tables.items() if records}

    def total(self) -> int:
        return sum(len(r) for r in self.tables.values())

    def stamps(self) -> Iterable[str]:
        for records in self.tables.values():
            for record in records:
                yield from record.all_stamps


def encode_rows(
    codec: TableCodec, rows: Iterable[Any], known: dict[tuple[str, str], tuple[str, list[str]]] | None = None
) -> list[list[Any]]:
    """Rows (with uuid, origin_member, deleted_stamp, field_stamps and content columns) to records.

    `known` maps (uuid, field) to (stamp, seen stamps); a field's knowledge
    travels when it belongs to the field's current value.
    """
    names = [c.name for c in codec.fields]
    encoders = [(c.name, c.encode) for c in codec.fields]
    links = set(codec.model.tombstone_fields())
    empty = {name: codec.encode_value(name, value) for name, value in codec.model.empty_content().items()}
    out: list[list[Any]] = []
    for row in rows:
        mapping = row._mapping if hasattr(row, "_mapping") else row
        stamps_map: dict[str, str] = mapping["field_stamps"] or {}
        if mapping["deleted_stamp"] is not None:  # a tombstone travels as identity, deletion and links
            values = [
                empty[name] if name in empty else None if mapping[name] is None else enc(mapping[name])
                for name, enc in encoders
            ]
            stamps_map = {name: stamp for name, stamp in stamps_map.items() if name in links}
        else:
            values = [None if mapping[name] is None else enc(mapping[name]) for name, enc in encoders]
        stamp_list = [stamps_map.get(name) for name in names]
        first = stamp_list[0] if stamp_list else None
        stamps: Any = first if first is not None and all(s == first for s in stamp_list) else stamp_list
        record = [mapping["uuid"], mapping["origin_member"], mapping["deleted_stamp"], values, stamps]
        if known:
            carried = {}
            for name in names:
                entry = known.get((mapping["uuid"], name))
                if entry is not None and entry[0] == stamps_map.get(name) and entry[1]:
                    carried[name] = entry[1]
            if carried:
                record.append(carried)
        out.append(record)
    return out


def serialise(tables: dict[str, list[list[Any]]], codecs: dict[str, TableCodec]) -> bytes:
    document = {
        "kind": CHANGE_SET_KIND,
        "version": CHANGE_SET_VERSION,
        "tables": {
            name: {"fields": [c.name for c in codecs[name].fields], "records": records}
            for name, records in tables.items()
            if records
        },
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def valid_stamp(value: Any) -> bool:
    return isinstance(value, str) and _STAMP_RE.fullmatch(value) is not None


def parse(data: bytes, codecs: dict[str, TableCodec] | None = None) -> BundleChangeSet:
    """Decode and validate every record; any problem refuses the whole change set."""
    codecs = codecs if codecs is not None else table_codecs()
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise refuse("change set", f"not valid JSON ({type(exc).__name__})") from None
    if not isinstance(document, dict) or document.get("kind") != CHANGE_SET_KIND:
        raise refuse("change set", "not a change set")
    if document.get("version") != CHANGE_SET_VERSION or set(document) != {"kind", "version", "tables"}:
        raise refuse("change set", "unsupported change-set version or unexpected fields")
    tables = document["tables"]
    if not isinstance(tables, dict):
        raise refuse("change set", "tables is not an object")
    unknown = sorted(set(tables) - set(codecs))
    if unknown:
        raise refuse(f"table {unknown[0][:64]!r}", "unknown table (made by a newer app, or forged)")
    result = BundleChangeSet()
    seen_uuids: dict[str, str] = {}
    for name in codecs:  # parents first, whatever order the sender used
        if name in tables:
            result.tables[name] = _parse_table(codecs[name], tables[name], seen_uuids)
    return result


def _parse_table(codec: TableCodec, body: Any, seen_uuids: dict[str, str]) -> list[IncomingRecord]:
    where = f"table {codec.name!r}"
    if not isinstance(body, dict) or set(body) != {"fields", "records"}:
        raise refuse(where, "expected fields and records")
    fields = body["fields"]
    if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
        raise refuse(where, "fields is not a list of names")
    unknown = [f for f in fields if f not in codec.by_name]
    if unknown:
        raise refuse(f"{where}, field {unknown[0][:64]!r}", "unknown field")
    if len(set(fields)) != len(fields):
        raise refuse(where, "a field is listed twice")
    missing = [f for f in codec.by_name if f not in fields]
    records = body["records"]
    if not isinstance(records, list):
        raise refuse(where, "records is not a list")
    decoders = [(name, codec.by_name[name]) for name in fields]
    out: list[IncomingRecord] = []
    width = len(fields)
    for index, raw in enumerate(records):
        if not isinstance(raw, list) or len(raw) not in (5, 6):
            raise refuse(f"{where}, record #{index + 1}", "malformed record")
        uuid, origin, deleted, values, stamps = raw[:5]
        if not isinstance(uuid, str) or not UUID_RE.fullmatch(uuid):
            raise refuse(f"{where}, record #{index + 1}", "the id is not a UUID")
        rwhere = f"{where}, record {uuid}"
        if uuid in seen_uuids:
            other = seen_uuids[uuid]
            raise refuse(
                rwhere,
                "the UUID appears twice"
                if other == codec.name
                else f"the UUID is also used for a record of table {other!r}",
            )
        seen_uuids[uuid] = codec.name
        if not isinstance(origin, str) or not MEMBER_RE.fullmatch(origin):
            raise refuse(rwhere, "origin member is not a member id")
        if deleted is not None and not valid_stamp(deleted):
            raise refuse(rwhere, "deletion stamp is not a change stamp")
        if not isinstance(values, list) or len(values) != width:
            raise refuse(rwhere, f"expected {width} values")
        if isinstance(stamps, str):
            if not valid_stamp(stamps):
                raise refuse(rwhere, "not a change stamp")
            stamp_map = dict.fromkeys(fields, stamps)
        elif isinstance(stamps, list) and len(stamps) == width:
            stamp_map = {}
            for name, stamp in zip(fields, stamps, strict=False):
                if stamp is None:
                    continue
                if not valid_stamp(stamp):
                    raise refuse(f"{rwhere}, field {name!r}", "not a change stamp")
                stamp_map[name] = stamp
        else:
            raise refuse(rwhere, "stamps are malformed")
        decoded: dict[str, Any] = {}
        cleared = codec.model.empty_content() if deleted is not None else {}
        if cleared:  # a tombstone's content is never taken in, whatever an older sender put there
            stamp_map = {name: stamp for name, stamp in stamp_map.items() if name not in cleared}
        for (name, fcodec), value in zip(decoders, values, strict=False):
            if name in cleared:
                decoded[name] = cleared[name]
                continue
            try:
                if value is None:
                    if not fcodec.nullable:
                        raise ValueError("a value is required")
                    decoded[name] = None
                else:
                    decoded[name] = fcodec.decode(value)
            except ValueError as exc:
                raise refuse(f"{rwhere}, field {name!r}", str(exc)) from None
        for name in missing:
            if name in cleared:
                decoded[name] = cleared[name]
                continue
            try:
                decoded[name] = codec.new_record_default(name)
            except ValueError as exc:
                raise refuse(f"{rwhere}, field {name!r}", str(exc)) from None
        knowledge = _parse_knowledge(rwhere, raw[5], stamp_map, cleared) if len(raw) == 6 else {}
        out.append(IncomingRecord(uuid, origin, deleted, decoded, stamp_map, knowledge))
    return out


def _parse_knowledge(
    where: str, raw: Any, stamps: dict[str, str], cleared: dict[str, Any] | None = None
) -> dict[str, list[str]]:
    from app.records.knowledge import MAX_SEEN

    if not isinstance(raw, dict):
        raise refuse(where, "knowledge is not an object")
    out: dict[str, list[str]] = {}
    for name, seen in raw.items():
        if cleared and name in cleared:
            continue  # a tombstone's emptied field (an older sender's): nothing to know
        if name not in stamps:
            raise refuse(f"{where}, knowledge of {str(name)[:64]!r}", "not a stamped field of the record")
        if not isinstance(seen, list) or len(seen) > MAX_SEEN or not all(valid_stamp(s) for s in seen):
            raise refuse(f"{where}, knowledge of {name!r}", f"expected at most {MAX_SEEN} change stamps")
        out[name] = list(seen)
    return out


def parse_stamp(text: str) -> Stamp:
    return Stamp.parse(text)

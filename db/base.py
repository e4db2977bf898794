"""Declarative base and the exchangeable-record mixin.

Every record a member may share carries a UUID identity, the member it came
from, one change stamp per field and, once deleted, a tombstone stamp. New record
types join the exchange by inheriting `Exchangeable`: the bundle and merge code
find them through `exchangeable_models()` and need nothing else from them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Dialect,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    Time,
    TypeDecorator,
    select,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql import Select

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    #: every model here maps one Table (SQLAlchemy types it as the wider FromClause)
    __table__: ClassVar[Table]


def new_uuid() -> str:
    return str(uuid.uuid4())


def pack_stamps(stamps: dict[str, str]) -> list[str] | dict[str, str]:
    """The stored form of a record's field stamps: each distinct stamp once, with the fields it covers.

    ``{"a": s1, "b": s1, "c": s2}`` is stored as ``[s1, "a b", s2, "c"]``. A record's fields mostly
    share one stamp (every field of a new or imported record is written at one moment), and the
    plain ``{field: stamp}`` form repeated that 56-character stamp for every field: on a 100,000-entry
    review it was 85% of the table's bytes, all read and decrypted whenever the table is scanned.
    A dict this form cannot carry exactly (a field name empty or with a space, a stamp not text) is
    stored as it is; ``unpack_stamps`` reads both forms.
    """
    groups: dict[str, list[str]] = {}
    for name, stamp in stamps.items():
        if not isinstance(name, str) or not isinstance(stamp, str) or not name or " " in name:
            return stamps
        groups.setdefault(stamp, []).append(name)
    packed: list[str] = []
    for stamp, names in groups.items():
        packed += (stamp, " ".join(names))
    return packed


def unpack_stamps(stored: list[str] | dict[str, str] | None) -> dict[str, str]:
    """The ``{field: stamp}`` dict of a stored value, packed (``pack_stamps``) or in the plain form."""
    if stored is None:
        return {}
    if isinstance(stored, dict):
        return stored
    return {name: stored[i] for i in range(0, len(stored), 2) for name in stored[i + 1].split(" ")}


class FieldStamps(TypeDecorator[dict[str, str]]):
    """JSON column holding field stamps packed by ``pack_stamps``: readers and writers see the plain dict.

    Every SQLAlchemy path (ORM, Core ``insert``/``update``/``select``, the import's ``executemany``
    through this type's bind processor) packs and unpacks here, so merge code never sees the stored form.
    """

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: dict[str, str] | None, dialect: Dialect) -> Any:
        return None if value is None else pack_stamps(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> dict[str, str] | None:
        return None if value is None else unpack_stamps(value)


#: Columns that describe a record's exchange state rather than its content.
EXCHANGE_META_COLUMNS = frozenset({"uuid", "origin_member", "field_stamps", "deleted_stamp", "updated_stamp"})


#: each model's empty content, worked out once (merging a bundle of tombstones asks per record)
_EMPTY: dict[type, dict[str, Any]] = {}


class Exchangeable:
    """Mixin for records that travel in bundles and merge field by field."""

    if TYPE_CHECKING:  # set on each mapped class by SQLAlchemy
        __tablename__: Any
        __table__: Any

    uuid: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    origin_member: Mapped[str] = mapped_column(String(32))
    #: field name -> change stamp (app.records.hlc.Stamp as text) of its last change
    field_stamps: Mapped[dict[str, str]] = mapped_column(FieldStamps, default=dict)
    #: stamp of the deletion; a deleted record stays as a content-less tombstone
    #: (`tombstone_fields`) so the deletion reaches other members and is not undone by an older edit
    deleted_stamp: Mapped[str | None] = mapped_column(String(60), default=None)
    #: highest stamp on the record, for "changed since the last bundle"
    updated_stamp: Mapped[str] = mapped_column(String(60), index=True)

    #: Fields that belong together and merge as one unit (docs/merge.md, "Merge groups"):
    #: the side whose newest write in the group is newer supplies every field of it, so a
    #: merge never combines one member's status with another's evidence. Ungrouped fields
    #: merge one by one.
    __merge_groups__: ClassVar[tuple[tuple[str, ...], ...]] = ()

    @classmethod
    def content_fields(cls) -> tuple[str, ...]:
        """The fields that merge: every column but the exchange bookkeeping."""
        table = cls.__table__
        return tuple(c.key for c in table.columns if c.key not in EXCHANGE_META_COLUMNS)

    @classmethod
    def merge_units(cls) -> tuple[tuple[str, ...], ...]:
        """Every content field in exactly one unit: the declared groups, then one unit per other field."""
        fields = cls.content_fields()
        grouped: list[str] = []
        for group in cls.__merge_groups__:
            unknown = [name for name in group if name not in fields]
            if unknown or len(group) < 2:
                raise TypeError(
                    f"{cls.__name__}.__merge_groups__: {group} names no field {unknown}"
                    if unknown
                    else f"{cls.__name__}.__merge_groups__: {group} is not a group"
                )
            grouped.extend(group)
        if len(grouped) != len(set(grouped)):
            raise TypeError(f"{cls.__name__}.__merge_groups__ puts a field in two groups")
        kept = set(cls.tombstone_fields())
        for group in cls.__merge_groups__:
            if 0 < len(kept.intersection(group)) < len(group):  # a tombstone keeps or clears a unit whole
                raise TypeError(f"{cls.__name__}.__merge_groups__: {group} mixes links and content")
        return (*cls.__merge_groups__, *((name,) for name in fields if name not in grouped))

    @classmethod
    def tombstone_fields(cls) -> tuple[str, ...]:
        """The content fields a tombstone keeps: its links to other records (foreign keys).

        Integrity needs them (a tombstoned entry still names its review, so a purge
        finds it and the database's foreign keys hold); they are record ids, never
        what anyone wrote. Every other field is cleared (`empty_value`) on deletion.
        """
        table = cls.__table__
        return tuple(name for name in cls.content_fields() if table.columns[name].foreign_keys)

    @classmethod
    def cleared_fields(cls) -> tuple[str, ...]:
        """The content fields a deletion empties (docs/merge.md, "Tombstones and purge")."""
        kept = set(cls.tombstone_fields())
        return tuple(name for name in cls.content_fields() if name not in kept)

    @classmethod
    def empty_content(cls) -> dict[str, Any]:
        """Every cleared field's empty value: what a tombstone holds instead of content."""
        empty = _EMPTY.get(cls)
        if empty is None:
            table = cls.__table__
            empty = _EMPTY[cls] = {name: empty_value(table.columns[name]) for name in cls.cleared_fields()}
        return {name: type(v)() if isinstance(v, (list, dict)) else v for name, v in empty.items()}

    @property
    def is_deleted(self) -> bool:
        return self.deleted_stamp is not None

    def content(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.content_fields()}


def empty_value(column: Column[Any]) -> Any:
    """A column's value in a tombstone: NULL where allowed, else the type's empty value.

    Dates that cannot be NULL take date.min (0001-01-01), which no real record holds.
    """
    if column.nullable:
        return None
    kind = column.type
    if isinstance(kind, JSON):
        default = column.default.arg if column.default is not None else None  # type: ignore[attr-defined]  # scalar and callable defaults have .arg
        if callable(default):
            try:
                value = default(None)
            except TypeError:
                value = default()
            return type(value)() if isinstance(value, (list, dict)) else {}
        return type(default)() if isinstance(default, (list, dict)) else {}
    if isinstance(kind, Boolean):
        return False
    if isinstance(kind, Integer):
        return 0
    if isinstance(kind, (Float, Numeric)):
        return 0.0
    if isinstance(kind, DateTime):
        return datetime.min
    if isinstance(kind, Date):
        return date.min
    if isinstance(kind, Time):
        return time.min
    if isinstance(kind, LargeBinary):
        return b""
    if isinstance(kind, String):
        return ""
    raise TypeError(f"no empty value for column {column.table.name}.{column.key} ({kind!r})")


def exchangeable_models() -> Iterator[type[Exchangeable]]:
    """All mapped record types that take part in bundles, parents first.

    Foreign-key order lets a merge insert a review before its entries.
    """
    by_table = {m.class_.__tablename__: m.class_ for m in Base.registry.mappers if issubclass(m.class_, Exchangeable)}
    for table in Base.metadata.sorted_tables:
        if table.name in by_table:
            yield by_table[table.name]


def live(model: type[Any]) -> Select[Any]:
    """SELECT of the records of a type that are not deleted."""
    return select(model).where(model.deleted_stamp.is_(None))

"""The change-set parser and validator under hostile input, driven by hypothesis.

Whatever a (signed, so authenticated but possibly buggy or malicious) sender
puts in the change set, the parser either returns a valid change set or
refuses with the documented `MalformedChangeSetError` (a `BundleError`); a
full import either applies or refuses with `BundleRefused`, and a refusal
writes nothing. Workspaces are made once per module, because hypothesis runs
a test body many times and function-scoped fixtures are not re-made.
"""

from __future__ import annotations

import copy
import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.exchange import changeset as cs
from app.exchange import service
from app.exchange.errors import BundleError
from app.store.workspace import Workspace
from db.models.core import Agency
from tests.helpers.members import introduce, make_member, raw_bundle, state

CODECS = cs.table_codecs()
TABLES = list(CODECS)
STAMP = "000001700000000.000000." + "a" * 32
MEMBER = "a" * 32

FUZZ = settings(
    max_examples=250,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
SLOW_FUZZ = settings(FUZZ, max_examples=40)

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
bad_uuids = (
    st.sampled_from(
        [
            "",
            "not-a-uuid",
            "0B0E7D2E-5A8C-4A5E-9D3C-1F2E3D4C5B6A",
            "0" * 36,
            "0b0e7d2e-5a8c-4a5e-9d3c-1f2e3d4c5b6a\n",
            "0b0e7d2e5a8c4a5e9d3c1f2e3d4c5b6a",
        ]
    )
    | scalars
)
bad_stamps = (
    st.sampled_from(
        [
            "",
            "1.2.3",
            STAMP.upper(),
            STAMP[:-1],
            STAMP + "0",
            "9" * 15 + ".000000." + "g" * 32,
            "000001700000000.000000." + "a" * 31 + "\u0430",
        ]
    )
    | scalars
)
huge_texts = st.sampled_from([10_001, 1_000_001]).map(lambda n: "x" * n)
odd_texts = st.sampled_from(["\ud800", "a\udfffb", "\x00", "\u202e", "é" * 300])


#: a valid value of each column type that takes a fixed one, checked in this order
FIXED_VALUES = (
    (sa.Boolean, True),
    (sa.Integer, 3),
    ((sa.Float, sa.Numeric), 1.5),
    (sa.DateTime, "2026-01-02T03:04:05"),
    (sa.Date, "2026-01-02"),
    (sa.Time, "03:04:05"),
    (sa.LargeBinary, "AAEC"),
)


def _synthetic_value(codec: cs.FieldCodec, column: Any) -> Any:
    """A valid value of the column's type, generically (the column types changeset knows)."""
    kind = column.type
    if isinstance(kind, sa.JSON):
        return {"k": [1, "v"]}
    if isinstance(kind, sa.Enum):
        return kind.enums[0]
    if isinstance(kind, sa.String):
        return "ab"[: kind.length or 2]
    for types, value in FIXED_VALUES:
        if isinstance(kind, types):
            return value
    raise AssertionError(f"teach the fuzz test about {kind!r}")


def valid_document() -> dict[str, Any]:
    """One record per exchangeable table (parents' links left null where allowed)."""
    tables: dict[str, Any] = {}
    for index, (name, codec) in enumerate(CODECS.items()):
        table = codec.model.__table__
        values = [_synthetic_value(f, table.columns[f.name]) for f in codec.fields]
        uuid = f"{index:08x}-5a8c-4a5e-9d3c-1f2e3d4c5b6a"
        tables[name] = {"fields": [f.name for f in codec.fields], "records": [[uuid, MEMBER, None, values, STAMP]]}
    return {"kind": cs.CHANGE_SET_KIND, "version": cs.CHANGE_SET_VERSION, "tables": tables}


VALID = valid_document()


def parses_or_refuses(data: bytes) -> cs.BundleChangeSet | None:
    try:
        return cs.parse(data, CODECS)
    except cs.MalformedChangeSetError as exc:
        assert str(exc).startswith("The bundle was refused") and "\n" not in str(exc)
        return None


def encode(document: Any) -> bytes:
    """As a sender would: \\u escapes, so lone surrogates and NaN get through to the parser."""
    return json.dumps(document).encode("ascii")


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    """A valid change set with one or a few hostile edits."""
    document = copy.deepcopy(VALID)
    for _ in range(draw(st.integers(1, 3))):
        table = draw(st.sampled_from(TABLES))
        tables = document.get("tables")
        body = tables.get(table) if isinstance(tables, dict) else None
        if not (
            isinstance(body, dict)
            and isinstance(body.get("records"), list)
            and body["records"]
            and isinstance(body["records"][0], list)
            and len(body["records"][0]) == 5
            and isinstance(body["records"][0][3], list)
            and isinstance(body.get("fields"), list)
        ):
            continue
        record = body["records"][0]
        width = len(body["fields"])
        # An earlier edit ("width", "drop_field") may leave fewer values than fields, so value
        # edits index the values actually there, field edits the fields actually there.
        values = len(record[3])
        kind = draw(
            st.sampled_from(
                [
                    "value",
                    "huge",
                    "odd",
                    "element",
                    "uuid",
                    "origin",
                    "stamp",
                    "stamps",
                    "deleted",
                    "unknown_table",
                    "unknown_field",
                    "reuse_uuid",
                    "duplicate",
                    "drop_field",
                    "top",
                    "table_body",
                    "width",
                    "knowledge",
                ]
            )
        )
        column = draw(st.integers(0, max(width - 1, 0)))
        value_column = draw(st.integers(0, max(values - 1, 0)))
        if kind == "value" and values:
            record[3][value_column] = draw(json_values)
        elif kind == "huge" and values:
            record[3][value_column] = draw(huge_texts)
        elif kind == "odd" and values:
            record[3][value_column] = draw(odd_texts)
        elif kind == "element":
            record[draw(st.integers(0, 4))] = draw(json_values)
        elif kind == "uuid":
            record[0] = draw(bad_uuids)
        elif kind == "origin":
            record[1] = draw(bad_uuids)
        elif kind == "stamp":
            record[4] = draw(bad_stamps)
        elif kind == "stamps":
            record[4] = [draw(bad_stamps | st.just(STAMP)) for _ in range(width)]
        elif kind == "deleted":
            record[2] = draw(bad_stamps)
        elif kind == "unknown_table":
            tables[draw(st.text(max_size=20))] = copy.deepcopy(body)
        elif kind == "unknown_field" and width:
            body["fields"][column] = draw(st.text(max_size=20))
        elif kind == "reuse_uuid":
            other = draw(st.sampled_from(TABLES))
            target = tables.get(other)
            if (
                isinstance(target, dict)
                and isinstance(target.get("records"), list)
                and target["records"]
                and isinstance(target["records"][0], list)
                and target["records"][0]
            ):
                target["records"][0][0] = record[0]
        elif kind == "duplicate":
            body["records"].append(copy.deepcopy(record))
        elif kind == "drop_field" and width:
            for items in (body["fields"], record[3], record[4]):
                if isinstance(items, list) and len(items) > column:
                    del items[column]
        elif kind == "top":
            document[draw(st.sampled_from(["kind", "version", "tables", "extra"]))] = draw(json_values)
        elif kind == "table_body":
            tables[table] = draw(json_values)
        elif kind == "knowledge":
            fields = body["fields"] if body["fields"] else ["x"]
            record.append(
                draw(
                    json_values
                    | st.dictionaries(
                        st.sampled_from(fields) | st.text(max_size=5),
                        st.lists(bad_stamps | st.just(STAMP), max_size=3) | json_values,
                        max_size=3,
                    )
                )
            )
        elif kind == "width":
            record[3] = record[3] + [draw(json_values)] if draw(st.booleans()) else record[3][:-1]
    return document


# --- the parser alone ------------------------------------------------------------


def test_the_unmutated_document_parses() -> None:
    change_set = cs.parse(encode(VALID), CODECS)
    assert change_set.total() == len(TABLES)


@pytest.mark.parametrize("position", [0, 1, 4], ids=["uuid", "origin member", "stamp"])
def test_identities_and_stamps_with_a_trailing_newline_are_refused(position: int) -> None:
    """`$` in a pattern also matches before a final newline: identities must match exactly."""
    document = copy.deepcopy(VALID)
    record = next(iter(document["tables"].values()))["records"][0]
    record[position] += "\n"
    assert parses_or_refuses(encode(document)) is None


@FUZZ
@given(st.binary(max_size=300))
def test_arbitrary_bytes(data: bytes) -> None:
    assert parses_or_refuses(data) is None or data.strip().startswith(b"{")


@FUZZ
@given(json_values)
def test_arbitrary_json_structures(document: Any) -> None:
    parses_or_refuses(encode(document))


@FUZZ
@given(st.dictionaries(st.sampled_from(TABLES) | st.text(max_size=8), json_values, max_size=3))
def test_arbitrary_tables(tables: dict[str, Any]) -> None:
    parses_or_refuses(encode({"kind": cs.CHANGE_SET_KIND, "version": 1, "tables": tables}))


@FUZZ
@given(mutated())
def test_mutations_of_a_valid_change_set(document: dict[str, Any]) -> None:
    result = parses_or_refuses(encode(document))
    if result is not None:  # whatever got through is what the schema allows
        for name, records in result.tables.items():
            for record in records:
                assert cs.UUID_RE.match(record.uuid)
                for field, value in record.values.items():
                    if isinstance(value, str):
                        value.encode("utf-8")  # storable: no lone surrogates
                        limit = CODECS[name].model.__table__.columns[field].type
                        assert len(value) <= (getattr(limit, "length", None) or cs.MAX_TEXT_CHARS)


def test_a_uuid_reused_for_another_kind_is_refused() -> None:
    document = copy.deepcopy(VALID)
    first, second = TABLES[0], TABLES[1]
    document["tables"][second]["records"][0][0] = document["tables"][first]["records"][0][0]
    with pytest.raises(cs.MalformedChangeSetError, match="also used for a record of table"):
        cs.parse(encode(document), CODECS)


def test_lone_surrogates_and_huge_text_are_refused() -> None:
    for bad in ("\ud800", "x" * (cs.MAX_TEXT_CHARS + 1)):
        document = copy.deepcopy(VALID)
        body = document["tables"]["agency"]
        body["records"][0][3][body["fields"].index("name")] = bad
        with pytest.raises(cs.MalformedChangeSetError, match="field 'name'"):
            cs.parse(encode(document), CODECS)


# --- a whole import into a real workspace --------------------------------------------


@pytest.fixture(scope="module")
def members() -> Iterator[tuple[Workspace, Workspace]]:
    root = Path(tempfile.mkdtemp(prefix="changeset-fuzz-"))
    sender, receiver = make_member(root, "Sender"), make_member(root, "Receiver")
    introduce(sender, receiver)
    with receiver.unit_of_work() as uow:
        uow.create(Agency, name="Police", short_name="Police")
    yield sender, receiver
    for ws in (sender, receiver):
        ws.lock()
    shutil.rmtree(root, ignore_errors=True)


def _counts(document: Any) -> dict[str, int]:
    try:
        # a manifest can only name real-looking tables; a forged name then mismatches the records
        return {name: len(body["records"]) for name, body in document["tables"].items() if 0 < len(name) <= 64}
    except (TypeError, KeyError, AttributeError):
        return {}


@SLOW_FUZZ
@given(document=mutated())
def test_an_import_applies_or_refuses_and_a_refusal_writes_nothing(members, document: dict[str, Any]) -> None:
    sender, receiver = members
    data = raw_bundle(sender, receiver, encode(document), counts=_counts(document))
    before = state(receiver)
    try:
        report = service.import_bundle(receiver, data)
    except service.BundleRefused as refusal:
        assert isinstance(refusal.error, BundleError)
        assert "\n" not in str(refusal)
        assert state(receiver) == before
    else:
        assert report.applied

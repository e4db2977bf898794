"""Field stamps stored packed (issue 15) read back as exactly the dict that was written.

``pack_stamps`` stores each distinct stamp once with the fields it covers; any dict, of any
field names and stamps, must come back equal through the pure functions and through a real
encrypted workspace's column (the ORM and the Core paths the merge and import code use).
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from app.agencies import add_agency
from db.base import FieldStamps, pack_stamps, unpack_stamps
from db.models.core import Agency

names = st.text(min_size=0, max_size=12)
stamps = st.one_of(
    st.sampled_from(["001796226219364.000000.b6f87c55260f46aea4f373c85116cc72", "002.000001.aa", ""]),
    st.text(max_size=20),
)
stamp_dicts = st.dictionaries(names, stamps, max_size=25)


@given(stamp_dicts)
def test_packed_form_round_trips_any_stamps(original: dict[str, str]) -> None:
    stored = json.loads(json.dumps(pack_stamps(original)))  # as the JSON column stores and returns it
    assert unpack_stamps(stored) == original


@given(stamp_dicts)
def test_plain_form_is_still_read(original: dict[str, str]) -> None:
    assert unpack_stamps(json.loads(json.dumps(original))) == original


def test_shared_stamp_is_stored_once() -> None:
    stamp = "001796226219364.000000.b6f87c55260f46aea4f373c85116cc72"
    packed = pack_stamps({name: stamp for name in ("name", "short_name", "colour")} | {"notes": "002.000000.x"})
    assert packed == [stamp, "name short_name colour", "002.000000.x", "notes"]
    assert pack_stamps({}) == [] and unpack_stamps([]) == {} and unpack_stamps(None) == {}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(stamp_dicts)
def test_column_round_trips_through_a_workspace(workspace, original: dict[str, str]) -> None:
    with workspace.unit_of_work() as uow:
        uuid = add_agency(uow, "Police", "POL").uuid
        uow.session.execute(update(Agency).where(Agency.uuid == uuid).values(field_stamps=original))
    with workspace.reading() as session:
        assert session.scalars(select(Agency.field_stamps).where(Agency.uuid == uuid)).one() == original
        assert session.get(Agency, uuid).field_stamps == original
        raw = session.connection().exec_driver_sql("SELECT field_stamps FROM agency WHERE uuid = ?", (uuid,)).scalar()
        bound = FieldStamps().bind_processor(session.get_bind().dialect)
        assert raw == bound(original)  # what the import's executemany writes through the type
    with workspace.unit_of_work() as uow:
        uow.session.delete(uow.session.get(Agency, uuid))

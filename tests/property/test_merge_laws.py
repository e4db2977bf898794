"""Merge laws over real encrypted workspaces, driven by hypothesis.

Three members create, edit and delete records (deletes race edits because each
works on their own view) and exchange bundles in any order. Two observers who
never edit receive the same bundles in different orders and groupings:

* commutativity: the observers end equal whatever order they imported in;
* associativity: an observer fed only relayed, pre-merged bundles ends equal to
  one fed every original bundle;
* idempotence: a bundle imported again, or the same records in a new bundle,
  change nothing;
* convergence: after a final exchange every member holds the same data;
* tombstones hold no content: on every member a deleted record's fields are
  empty with no stamps, and the conflict log names the fields of edits that
  raced a deletion without their values (docs/merge.md, "Tombstones and purge").
"""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, rule
from sqlalchemy import select

from app.exchange.merge import DELETED_FIELD
from db.base import live
from db.models.core import Agency
from db.models.exchange import ConflictEntry
from tests.helpers.exchange_machine import MEMBERS, OBSERVERS, ExchangeMachine

WORDS = st.sampled_from(["alpha", "bravo", "charlie", "delta", "echo"])


class MergeLaws(ExchangeMachine):
    prefix = "merge-laws-"

    @initialize()
    def create_workspaces(self) -> None:
        self.create_members()

    def _live(self, member: str) -> list[str]:
        with self.ws[member].reading() as session:
            return sorted(session.scalars(select(Agency.uuid).where(Agency.deleted_stamp.is_(None))))

    @rule(member=st.sampled_from(MEMBERS), word=WORDS)
    def create(self, member: str, word: str) -> None:
        self.counter += 1
        with self.ws[member].unit_of_work() as uow:
            uow.create(Agency, name=f"{word} {self.counter}", short_name=f"{member[0]}{self.counter}")

    @rule(
        member=st.sampled_from(MEMBERS), pick=st.integers(0, 50), field=st.sampled_from(["name", "sector"]), word=WORDS
    )
    def edit(self, member: str, pick: int, field: str, word: str) -> None:
        uuids = self._live(member)
        if not uuids:
            return
        with self.ws[member].unit_of_work() as uow:
            record = uow.session.get(Agency, uuids[pick % len(uuids)])
            uow.update(record, **{field: f"{word} by {member}"})

    @rule(member=st.sampled_from(MEMBERS), pick=st.integers(0, 50))
    def delete(self, member: str, pick: int) -> None:
        uuids = self._live(member)
        if not uuids:
            return
        with self.ws[member].unit_of_work() as uow:
            uow.delete(uow.session.get(Agency, uuids[pick % len(uuids)]))

    @invariant()
    def no_live_record_lost_its_stamps(self) -> None:
        for name in MEMBERS:
            with self.ws[name].reading() as session:
                for record in session.scalars(live(Agency)):
                    assert set(record.field_stamps) == set(Agency.content_fields())
                    assert record.updated_stamp == max(record.field_stamps.values())

    @invariant()
    def tombstones_hold_no_content(self) -> None:
        for name in MEMBERS + OBSERVERS:
            with self.ws[name].reading() as session:
                deleted = set()
                for record in session.scalars(select(Agency).where(Agency.deleted_stamp.is_not(None))):
                    deleted.add(record.uuid)
                    assert record.content() == Agency.empty_content() and record.field_stamps == {}
                    assert record.updated_stamp == record.deleted_stamp
                for entry in session.scalars(select(ConflictEntry).where(ConflictEntry.record_uuid.in_(deleted))):
                    if entry.field == DELETED_FIELD:
                        assert set(entry.losing_value) <= set(Agency.content_fields()), name
                    else:
                        assert entry.losing_value is None and entry.winning_value is None, name


test_merge_laws = MergeLaws.as_test(examples=10, steps=20)


def test_members_converge_after_a_final_exchange() -> None:
    """A fixed scenario through the same machine: races, relays, then the laws."""
    with MergeLaws.scenario() as machine:
        machine.create_workspaces()
        machine.create("Ann", "alpha")
        machine.send("Ann", False)
        for member in ("Bob", "Cat"):
            machine.receive(member, 0, True)
        uuid = machine._live("Bob")[0]
        machine.edit("Bob", 0, "name", "bravo")
        machine.delete("Cat", 0)
        machine.edit("Ann", 0, "name", "charlie")
        machine.send("Bob", True)
        machine.send("Cat", False)
        machine.receive("Ann", 1, False)
        machine.check_laws([2, 0, 1])
        with machine.ws["Dee"].reading() as session:
            record = session.get(Agency, uuid)
            assert record is not None and record.is_deleted

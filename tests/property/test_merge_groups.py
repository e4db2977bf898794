"""Merge groups (issue 10.4) over real encrypted workspaces, driven by hypothesis.

An action's status, evidence of impact and closure approval merge as one unit.
Three members edit the status group, the evidence alone, or an ungrouped field,
and exchange bundles in any order; two observers import the same bundles in
different orders. Besides the merge laws (commutative, associative through
relays, idempotent, convergent), every merged status group must be a state some
member actually had: a merge never pairs one member's status with another's
evidence.

`EveryMergeGroup` does the same for every group any model declares (Section 11
scores, letters and statuses, the people register, scan decisions, ...), found
through `exchangeable_models()`, so a new group is covered without naming it here.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, rule
from sqlalchemy import JSON, Boolean, Date, Float, Integer, LargeBinary, select

from app.exchange import service
from app.store.workspace import Workspace
from db.base import exchangeable_models
from db.models.actions import Action
from tests.helpers.exchange_machine import MEMBERS, OBSERVERS, ExchangeMachine
from tests.helpers.members import police_action

STATUS_GROUP = ("status", "impact_evidence", "closure_reason", "approved_by", "approved_at_meeting", "approved_on")
STATES = [
    ("in_progress", ""),
    ("completed_awaiting_evidence", ""),
    ("closed_impact_evidenced", "audit shows impact"),
    ("closed_not_achieved", ""),
]


def group_state(ws: Workspace) -> tuple[object, ...]:
    with ws.reading() as session:
        action = session.scalars(select(Action)).one()
        return tuple(getattr(action, name) for name in STATUS_GROUP)


class MergeGroups(ExchangeMachine):
    prefix = "merge-groups-"

    def __init__(self) -> None:
        super().__init__()
        self.entered: set[tuple[object, ...]] = set()

    @initialize()
    def create_members_and_action(self) -> None:
        self.create_members()
        police_action(self.ws["Ann"])
        first = self._export("Ann", service.Scope())
        for name in MEMBERS[1:] + OBSERVERS:
            service.import_bundle(self.ws[name], first)
        self.entered.add(group_state(self.ws["Ann"]))

    def _edit(self, member: str, **changes: object) -> None:
        with self.ws[member].unit_of_work() as uow:
            uow.update(uow.session.scalars(select(Action)).one(), **changes)
        self.entered.add(group_state(self.ws[member]))

    @rule(member=st.sampled_from(MEMBERS), state=st.sampled_from(STATES))
    def set_status(self, member: str, state: tuple[str, str]) -> None:
        status, evidence = state
        closed = status.startswith("closed")
        self._edit(
            member,
            status=status,
            impact_evidence=evidence or "",
            approved_by=f"Chair ({member})" if closed else "",
            closure_reason="",
        )

    @rule(member=st.sampled_from(MEMBERS), word=st.sampled_from(["interim note", "audit sample", "survey"]))
    def edit_evidence(self, member: str, word: str) -> None:
        self._edit(member, impact_evidence=f"{word} by {member}")

    @rule(member=st.sampled_from(MEMBERS), track=st.sampled_from(["on_track", "at_risk", "off_track"]))
    def edit_track(self, member: str, track: str) -> None:
        self._edit(member, track=track)

    @invariant()
    def no_member_holds_a_status_group_nobody_entered(self) -> None:
        for name in MEMBERS + OBSERVERS:
            if name in self.ws:
                assert group_state(self.ws[name]) in self.entered, name


test_merge_groups = MergeGroups.as_test(examples=8, steps=16)


def test_status_and_evidence_from_two_members_are_not_combined() -> None:
    """The case a user met: her "completed, awaiting evidence" and his interim evidence."""
    with MergeGroups.scenario() as machine:
        machine.create_members_and_action()
        machine.set_status("Ann", ("completed_awaiting_evidence", ""))
        machine.edit_evidence("Bob", "interim note")
        machine.send("Ann", False)
        machine.send("Bob", False)
        machine.receive("Cat", 0, False)
        machine.receive("Cat", 1, False)
        status, evidence = group_state(machine.ws["Cat"])[:2]
        assert (status, evidence) != ("completed_awaiting_evidence", "interim note by Bob")
        machine.no_member_holds_a_status_group_nobody_entered()
        machine.final_exchange([1, 2, 0])


# -- every declared group, generically -------------------------------------------------------------------

GROUPED = [model for model in exchangeable_models() if model.__merge_groups__]
#: (table, group index) of every declared group: what the generic machine edits
EVERY_GROUP = [(model.__tablename__, index) for model in GROUPED for index in range(len(model.__merge_groups__))]
MODELS = {model.__tablename__: model for model in exchangeable_models()}


def _needed_tables() -> list[str]:
    """The grouped tables and every table they link to, parents first (one record of each is made)."""
    wanted = {model.__tablename__ for model in GROUPED}
    while True:
        more = {
            fk.column.table.name
            for name in wanted
            for column in MODELS[name].__table__.columns
            for fk in column.foreign_keys
            if fk.column.table.name in MODELS
        } - wanted
        if not more:
            return [name for name in MODELS if name in wanted]
        wanted |= more


def generic_value(model: type, name: str, tag: str, number: int, pool: dict[str, list[str]]) -> object:
    """A value of the column's type that says who wrote it (`tag`); a link points at a record of its table."""
    column = model.__table__.columns[name]
    targets = [fk.column.table.name for fk in column.foreign_keys]
    if targets:
        return pool[targets[0]][number % len(pool[targets[0]])]
    kind = column.type
    if isinstance(kind, Boolean):
        return number % 2 == 1
    if isinstance(kind, Integer):
        return number
    if isinstance(kind, Float):
        return float(number)
    if isinstance(kind, Date):
        return date(2026, 1, 1) + timedelta(days=number)
    if isinstance(kind, LargeBinary):
        return tag.encode()
    if isinstance(kind, JSON):
        default = column.default.arg if column.default is not None else None
        made = default(None) if callable(default) else default
        return {"text": tag} if isinstance(made, dict) else [tag]
    length = getattr(kind, "length", None) or 200
    return tag[-length:]


class EveryMergeGroup(ExchangeMachine):
    """Three members write whole groups and single grouped fields of every declared group on one record per
    table; observers import in any order. Besides the laws, no member ever holds a group state no member
    entered: a merge never combines two members' halves of any declared group."""

    prefix = "every-group-"

    def __init__(self) -> None:
        super().__init__()
        self.entered: dict[tuple[str, int], set[tuple[str, ...]]] = {key: set() for key in EVERY_GROUP}
        self.records: dict[str, list[str]] = {}
        self.focus: list[tuple[str, int]] = []
        self.writes = 0

    def group_states(self, member: str) -> dict[tuple[str, int], tuple[str, ...]]:
        states = {}
        with self.ws[member].reading() as session:
            for table, index in EVERY_GROUP:
                model = MODELS[table]
                record = session.get(model, self.records[table][0])
                # repr: lists and dicts (JSON columns) as comparable, hashable text
                states[(table, index)] = tuple(repr(getattr(record, name)) for name in model.__merge_groups__[index])
        return states

    def _note(self, member: str) -> None:
        for key, state in self.group_states(member).items():
            self.entered[key].add(state)

    @initialize(focus=st.lists(st.sampled_from(EVERY_GROUP), min_size=1, max_size=2, unique=True))
    def create_members_and_records(self, focus: list[tuple[str, int]]) -> None:
        """`focus`: the groups this run edits (a few, so members' edits of one group really race)."""
        self.focus = focus
        self.create_members()
        with self.ws["Ann"].unit_of_work() as uow:
            for table in _needed_tables():
                model = MODELS[table]
                self.records[table] = []
                for number in range(2):  # two of each, so a grouped link can point at either
                    values = {
                        name: generic_value(model, name, f"{table}{number}", number, self.records)
                        for name in model.content_fields()
                    }
                    self.records[table].append(uow.create(model, **values).uuid)
        first = self._export("Ann", service.Scope())
        for name in MEMBERS[1:] + OBSERVERS:
            service.import_bundle(self.ws[name], first)
        self._note("Ann")

    def _edit(self, member: str, table: str, changes: dict[str, object]) -> None:
        with self.ws[member].unit_of_work() as uow:
            record = uow.session.get(MODELS[table], self.records[table][0])
            uow.update(record, **changes)
        self._note(member)

    @rule(member=st.sampled_from(MEMBERS), which=st.integers(0, 1), number=st.integers(0, 3))
    def write_group(self, member: str, which: int, number: int) -> None:
        table, index = self.focus[which % len(self.focus)]
        model = MODELS[table]
        self.writes += 1
        tag = f"{member}{self.writes}"
        self._edit(
            member,
            table,
            {
                name: generic_value(model, name, tag, number + self.writes, self.records)
                for name in model.__merge_groups__[index]
            },
        )

    @rule(member=st.sampled_from(MEMBERS), which=st.integers(0, 1), pick=st.integers(0, 10))
    def write_one_field_of_a_group(self, member: str, which: int, pick: int) -> None:
        table, index = self.focus[which % len(self.focus)]
        model = MODELS[table]
        fields = model.__merge_groups__[index]
        name = fields[pick % len(fields)]
        self.writes += 1
        self._edit(
            member, table, {name: generic_value(model, name, f"{member}{self.writes}", self.writes, self.records)}
        )

    @invariant()
    def no_member_holds_a_group_state_nobody_entered(self) -> None:
        if not self.records:
            return
        for name in MEMBERS + OBSERVERS:
            for key, state in self.group_states(name).items():
                assert state in self.entered[key], (name, key, state)


test_every_declared_group = EveryMergeGroup.as_test(examples=4, steps=16)


def test_no_declared_group_is_ever_combined_from_two_members() -> None:
    """Every group at once, deterministically: Ann writes each group whole, then Bob (who had not seen it)
    writes one field of each; Dee and Eve import the two bundles in opposite orders. A per-field merge
    would give Ann's fields with Bob's one field, which neither entered; each group must be one member's."""
    with EveryMergeGroup.scenario() as machine:
        machine.create_members_and_records(EVERY_GROUP[:1])
        for machine.focus in ([key] for key in EVERY_GROUP):
            machine.write_group("Ann", 0, 1)
        for machine.focus in ([key] for key in EVERY_GROUP):
            fields = MODELS[machine.focus[0][0]].__merge_groups__[machine.focus[0][1]]
            machine.write_one_field_of_a_group("Bob", 0, len(fields) - 1)
        machine.send("Ann", True)
        machine.send("Bob", True)
        for index in (0, 1):
            service.import_bundle(machine.ws["Dee"], machine.pool[index])
            service.import_bundle(machine.ws["Eve"], machine.pool[1 - index])
        for name in ("Dee", "Eve"):
            combined = {
                key: state for key, state in machine.group_states(name).items() if state not in machine.entered[key]
            }
            assert combined == {}, name
        machine.final_exchange([2, 0, 1])
        machine.no_member_holds_a_group_state_nobody_entered()


def test_the_generic_machine_covers_every_declared_group() -> None:
    """A group declared on any model is edited by the machine above without naming it here."""
    declared = {(m.__tablename__, i) for m in exchangeable_models() for i in range(len(m.__merge_groups__))}
    assert set(EVERY_GROUP) == declared and {"s11_assessment", "s11_letter", "review_person"} <= {
        t for t, _ in declared
    }

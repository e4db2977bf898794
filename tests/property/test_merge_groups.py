"""Merge groups (issue 10.4) over real encrypted workspaces, driven by hypothesis.

An action's status, evidence of impact and closure approval merge as one unit.
Three members edit the status group, the evidence alone, or an ungrouped field,
and exchange bundles in any order; two observers import the same bundles in
different orders. Besides the merge laws (commutative, associative through
relays, idempotent, convergent), every merged status group must be a state some
member actually had: a merge never pairs one member's status with another's
evidence.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, rule
from sqlalchemy import select

from app.exchange import service
from app.store.workspace import Workspace
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


MergeGroups.TestCase.settings = settings(
    max_examples=8, stateful_step_count=16, deadline=None, suppress_health_check=list(HealthCheck)
)
test_merge_groups = MergeGroups.TestCase


def test_status_and_evidence_from_two_members_are_not_combined() -> None:
    """The case a user met: her "completed, awaiting evidence" and his interim evidence."""
    machine = MergeGroups()
    try:
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
    finally:
        machine.teardown()

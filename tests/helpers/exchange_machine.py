"""The members, bundle pool and merge-law checks the stateful exchange properties share.

Three members edit and send bundles; two observers who never edit receive them. A
subclass adds its own `@initialize` (which calls `create_members`), its edit rules and
its invariants; the sending, receiving and the laws (commutative, associative through
relays, idempotent, convergent) are the same for every kind of record.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Self

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, precondition, rule

from app.exchange import service
from app.store.workspace import Workspace
from tests.helpers.members import introduce, make_member, snapshot

MEMBERS = ("Ann", "Bob", "Cat")
OBSERVERS = ("Dee", "Eve")


class ExchangeMachine(RuleBasedStateMachine):
    prefix = "exchange-"

    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix=self.prefix))
        self.ws: dict[str, Workspace] = {}
        self.pool: list[bytes] = []
        self.counter = 0

    def create_members(self) -> None:
        for name in MEMBERS + OBSERVERS:
            self.ws[name] = make_member(self.root, name)
        introduce(*self.ws.values())

    def teardown(self) -> None:
        for ws in self.ws.values():
            ws.lock()
        shutil.rmtree(self.root, ignore_errors=True)

    @classmethod
    def as_test(cls, *, examples: int, steps: int) -> Any:
        """The machine's pytest test case: `examples` runs of up to `steps` rules each, with no deadline and
        no health check (every run makes real encrypted workspaces, slow by design)."""
        cls.TestCase.settings = settings(
            max_examples=examples, stateful_step_count=steps, deadline=None, suppress_health_check=list(HealthCheck)
        )
        return cls.TestCase

    @classmethod
    @contextmanager
    def scenario(cls) -> Iterator[Self]:
        """The machine driven by hand through a fixed scenario of its own rules, torn down when the block ends."""
        machine = cls()
        try:
            yield machine
        finally:
            machine.teardown()

    def _export(self, member: str, scope: service.Scope, to: list[str] | None = None) -> bytes:
        """A bundle from `member`, to everyone else unless `to` names the recipients."""
        self.counter += 1
        path = self.root / f"{self.counter}.bundle"
        recipients = to if to is not None else [m for m in MEMBERS + OBSERVERS if m != member]
        service.export_bundle(self.ws[member], recipients, scope, path)
        return path.read_bytes()

    @rule(member=st.sampled_from(MEMBERS), since_last=st.booleans())
    def send(self, member: str, since_last: bool) -> None:
        scope = service.Scope(service.SCOPE_SINCE_LAST if since_last else service.SCOPE_ALL)
        self.pool.append(self._export(member, scope))

    @precondition(lambda self: bool(self.pool))
    @rule(member=st.sampled_from(MEMBERS), pick=st.integers(0, 50), twice=st.booleans())
    def receive(self, member: str, pick: int, twice: bool) -> None:
        data = self.pool[pick % len(self.pool)]
        service.import_bundle(self.ws[member], data)
        if twice:
            before = snapshot(self.ws[member])
            report = service.import_bundle(self.ws[member], data)
            assert report.already_applied and snapshot(self.ws[member]) == before

    @precondition(lambda self: len(self.pool) >= 2)
    @rule(data=st.data())
    def observers_agree_in_any_order(self, data: st.DataObject) -> None:
        """Commutativity: Dee and Eve import the same bundles in two different orders."""
        order = data.draw(st.permutations(range(len(self.pool))), label="order")
        for bundle in self.pool:
            service.import_bundle(self.ws["Dee"], bundle)
        for index in order:
            service.import_bundle(self.ws["Eve"], self.pool[index])
        assert snapshot(self.ws["Dee"]) == snapshot(self.ws["Eve"])

    @rule(order=st.permutations([0, 1, 2]))
    def final_exchange(self, order: list[int]) -> None:
        self.check_laws(order)

    def check_laws(self, order: list[int]) -> None:
        """Associativity and convergence: relayed, pre-merged state equals every original bundle."""
        dee, eve = self.ws["Dee"], self.ws["Eve"]
        for data in self.pool:
            service.import_bundle(dee, data)
        finals = [self._export(m, service.Scope()) for m in MEMBERS]
        for data in finals:
            service.import_bundle(dee, data)
        for index in order:  # Eve: only pre-merged bundles, in another order
            service.import_bundle(eve, finals[index])
        assert snapshot(dee) == snapshot(eve)
        for member in MEMBERS:
            for data in finals:
                service.import_bundle(self.ws[member], data)
            assert snapshot(self.ws[member]) == snapshot(dee), member
        before = snapshot(dee)  # idempotence: the same records again, in a new bundle
        report = service.import_bundle(dee, self._export("Eve", service.Scope(), to=["Dee"]))
        assert report.totals.get("new", 0) == report.totals.get("changed", 0) == 0
        assert snapshot(dee) == before

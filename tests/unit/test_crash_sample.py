"""Twenty points of the crash-consistency harness (issue 16.7), four per operation, on every test run.

The full harness (`python -m tests.crash.harness --points 1000`, docs/reliability.md)
kills imports, bundle imports, passphrase changes, backups and restores at random
points; this sample keeps it working and catches a regression in the
cleanup or the all-or-none writes without the hour the full run takes.
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from tests.crash.harness import OPERATIONS, run_harness


@pytest.mark.slow
def test_twenty_random_kills_leave_every_workspace_openable_checked_and_all_or_none(tmp_path: Path) -> None:
    run = run_harness(20, seed=167, workdir=tmp_path)

    assert [r.operation for r in run.results] == list(OPERATIONS) * 4
    assert sum(r.status == -signal.SIGKILL for r in run.results) >= 5  # real kills, not only runs that ended first
    failed = [f"{r.operation} at {r.delay * 1000:.0f} ms: {r.problem}" for r in run.failures]
    assert not failed, failed
    assert all(r.openable and r.checked and r.all_or_none and not r.leftovers_after for r in run.results)
    assert sum(bool(r.leftovers_before) for r in run.results) >= 3  # the cleanup had something to do
    assert list(tmp_path.iterdir()) == []  # nothing of it stays behind

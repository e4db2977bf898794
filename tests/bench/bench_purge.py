"""Benchmark: purging a closed review with 5,000 chronology entries, and emptying the audit log about them.

Run: .venv/bin/python -m pytest tests/bench/bench_purge.py -o addopts="" -o python_files="bench_*.py" \
     -p no:cacheprovider -q -s
Results go to docs/benchmarks.md between the bench:purge markers. The baseline is the same
purge in the same run on a copy whose audit entries name no purged record (their record ids
moved aside), so it tombstones exactly as much and empties nothing: the ratio is what emptying
the 5,000-odd audit entries adds. `check` after each purge is timed too (it now accounts for
every emptied entry).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.agencies import add_agency
from app.chronology import service as chronology
from app.records.purge import purge
from app.reviews.register import add_review
from app.store.workspace import Workspace
from tests.bench.benchlib import machine_line, timed, write_section
from tests.helpers.records import closed_long_ago
from tests.helpers.workspaces import FAST_KDF, PASSPHRASE

ENTRIES = 5_000
ROUNDS = 2


def _workspace(path: Path, *, audited: bool) -> Workspace:
    workspace = Workspace.create(path, PASSPHRASE, display_name="B", role="Chair", agency="X", kdf_params=FAST_KDF)
    with workspace.unit_of_work() as uow:
        police = add_agency(uow, "Northbridge Police", "Police").uuid
        review = add_review(uow, kind="lcspr", title="Review", subject_pseudonym="Child A").uuid
        for n in range(ENTRIES):
            chronology.add_entry(
                uow, review, start_date="22/05/2016", agency=police, source="PNC", event=f"Event {n} at home"
            )
    closed_long_ago(workspace, review, date(1980, 1, 1))
    if not audited:  # the baseline: the same records, no audit entry names them
        with workspace.unit_of_work() as uow:
            uow.session.connection().exec_driver_sql(
                "UPDATE audit_log SET record_id = 'moved:' || id WHERE table_name != 'workspace'"
            )
    return workspace


def test_purge_empties_the_audit_log_at_a_sane_cost(tmp_path: Path) -> None:
    best: dict[str, list[float]] = {"baseline": [], "emptying": [], "check": []}
    redacted = 0
    for round_ in range(ROUNDS):
        for name, audited in (("baseline", False), ("emptying", True)):
            workspace = _workspace(tmp_path / f"{name}{round_}", audited=audited)
            try:

                def run(workspace: Workspace = workspace) -> int:
                    with workspace.unit_of_work() as uow:
                        return purge(uow, date(2030, 1, 1)).redacted

                seconds, count = timed(run)
                best[name].append(seconds)
                if audited:
                    redacted = count
                    check_seconds, report = timed(workspace.check)
                    assert report.ok, report
                    best["check"].append(check_seconds)
            finally:
                workspace.lock()
    baseline, emptying, check = (min(best[k]) for k in ("baseline", "emptying", "check"))
    assert redacted >= ENTRIES
    write_section(
        "purge",
        f"""{machine_line()} Best of {ROUNDS} in one run.

| step | time | ratio |
| --- | --- | --- |
| purge, nothing in the audit log to empty (baseline) | {baseline:.2f} s | 1.00 |
| purge, emptying {redacted:,} audit entries | {emptying:.2f} s | {emptying / baseline:.2f} |
| `check` after it (every emptied entry accounted for) | {check:.2f} s | |

Both purges tombstone the same records; the second also empties the audit entries about them with one
batched `UPDATE` by id. A ratio near 1 (either side, the machine is shared) means emptying adds no
measurable time. Before issue 16's audit emptying the same purge was reported at about 4 s on a busier machine.
""",
        heading=f"## Purge: {ENTRIES:,} chronology entries, and the audit entries about them emptied",
    )
    print(f"baseline {baseline:.2f}s, emptying {emptying:.2f}s ({emptying / baseline:.2f}x), check {check:.2f}s")

"""Benchmark: the tracker with 10,000 actions (load, table model, filter, dashboard).

Run: .venv/bin/python -m pytest tests/bench/bench_actions.py -o addopts="" -p no:cacheprovider -q -s
Results go to docs/benchmarks.md between the bench:actions markers. The
baseline is the same work on 1,000 actions in the same run, so the ratio shows
how the tracker scales independently of the machine.
"""
from __future__ import annotations

import random
import re
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable

from app.actions.dashboard import compute_dashboard
from app.actions.filters import ActionFilter
from app.actions.queries import list_actions
from app.actions.rag import Rag
from app.actions.service import next_reference
from app.actions.sources import AUDIT, INSPECTION, SourceRef
from app.agencies import add_agency
from app.workspace import Workspace
from db.models.actions import Action, ProgressUpdate
from tests.conftest import FAST_KDF, PASSPHRASE

DOC = Path(__file__).resolve().parents[2] / "docs" / "benchmarks.md"
START, END = "<!-- bench:actions -->", "<!-- /bench:actions -->"
STATUSES = ["not_started", "in_progress", "in_progress", "completed_awaiting_evidence", "closed_impact_evidenced"]


def _fill(workspace: Workspace, count: int) -> None:
    rng = random.Random(count)
    today = date.today()
    with workspace.unit_of_work() as uow:
        agencies = [add_agency(uow, f"Agency {n}", f"A{n}") for n in range(8)]
        start = int(next_reference(uow.session)[4:])
    with workspace.unit_of_work() as uow:
        for n in range(count):
            source = SourceRef(AUDIT if n % 3 else INSPECTION, f"Source {n % 40}")
            action = uow.create(
                Action, audit=False, reference=f"ACT-{start + n:05d}", title=f"Benchmark action {n}",
                source_kind=source.kind, source_uuid=None, source_label=source.label, review_uuid=None,
                owner_agency_uuid=agencies[n % 8].uuid, lead_officer="Lead", success_measure="Measure",
                due_date=today + timedelta(days=rng.randint(-60, 200)), status=rng.choice(STATUSES),
                track=rng.choice(["on_track", "on_track", "at_risk", "off_track"]), rag_override=None,
                rag_override_reason="", impact_evidence="", closure_reason="", approved_by="",
                approved_at_meeting="", approved_on=None, created_on=today - timedelta(days=200))
            uow.create(ProgressUpdate, audit=False, action_uuid=action.uuid, written_on=today, author="Lead",
                       text=f"Progress on {n}")
        uow.audit.append("create", "action", "bench", f"Benchmark: {count} actions")


def _timed(work: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def _measure(workspace: Workspace) -> dict[str, float]:
    from ui.actions.filter_proxy import ActionFilterProxy
    from ui.actions.table_model import ActionTableModel

    def load() -> list:
        with workspace.reading() as session:
            return list_actions(session)

    results: dict[str, float] = {}
    results["load rows (SQL + RAG)"], rows = _timed(load)
    model = ActionTableModel()
    results["fill table model"], _ = _timed(lambda: model.set_rows(rows))
    proxy = ActionFilterProxy(model)
    results["filter: red"], _ = _timed(lambda: proxy.set_filter(ActionFilter(rag=Rag.RED)))
    results["filter: overdue + text"], _ = _timed(lambda: proxy.set_filter(ActionFilter(overdue=True, text="7")))
    proxy.set_filter(ActionFilter())
    results["sort by due date"], _ = _timed(lambda: proxy.sort(5))
    results["dashboard counts"], _ = _timed(lambda: compute_dashboard(rows, date.today()))
    assert proxy.rowCount() == len(rows)
    return results


def _write_section(text: str) -> None:
    current = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    block = f"{START}\n{text}\n{END}"
    if START in current:
        current = re.sub(re.escape(START) + r".*?" + re.escape(END), lambda _m: block, current, flags=re.S)
    else:
        current = current.rstrip("\n") + "\n\n" + block + "\n"
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(current, encoding="utf-8")


def test_tracker_with_10000_actions(tmp_path: Path, qapp: Any) -> None:
    timings = {}
    for count in (1_000, 10_000):
        workspace = Workspace.create(tmp_path / f"ws{count}", PASSPHRASE, display_name="Bench", role="Coordinator",
                                     agency="Bench", kdf_params=FAST_KDF)
        try:
            fill_time, _ = _timed(lambda: _fill(workspace, count))
            _measure(workspace)  # warm caches once
            timings[count] = _measure(workspace)
            timings[count]["(insert with one progress update each)"] = fill_time
        finally:
            workspace.lock()
    lines = ["## Action tracker (`tests/bench/bench_actions.py`)", "",
             f"Measured {date.today().isoformat()}; baseline 1,000 actions, same run, same machine.", "",
             "| step | 1,000 actions | 10,000 actions | ratio |", "| --- | ---: | ---: | ---: |"]
    for step in timings[10_000]:
        small, large = timings[1_000][step], timings[10_000][step]
        lines.append(f"| {step} | {small * 1000:.0f} ms | {large * 1000:.0f} ms | {large / small:.1f}x |")
    interactive = sum(v for k, v in timings[10_000].items() if not k.startswith("("))
    lines += ["", f"Load + model + two filters + sort + dashboard at 10,000 actions: {interactive:.2f} s in total."]
    text = "\n".join(lines)
    print("\n" + text)
    _write_section(text)
    assert timings[10_000]["filter: red"] < 2.0 and timings[10_000]["dashboard counts"] < 2.0

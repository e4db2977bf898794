"""Chronology benchmarks: import of a 50,000-row XLSX against a bare openpyxl read of the
same file (ratio in one run), loading/sorting/filtering 100,000 rows, memory at 100,000.

Run: scripts/bench.sh tests/bench/bench_chronology.py
Each test writes its own block of docs/benchmarks.md (the import bench:chronology-import, the 100,000 rows
bench:chronology), so running one leaves the other's figures and the notes around them as they were.
No assertion on time: a shared machine's load would make such a test fail for no fault; the 0.5 s aim
for sorting and filtering is reported as met or not.
"""

from __future__ import annotations

import gc
import os
import tracemalloc
from datetime import date

from openpyxl import load_workbook

from app.agencies import add_agency
from app.chronology.import_service import (
    commit_import,
    prepare_import,
    propose_mapping,
    read_return,
)
from app.chronology.rows import (
    RowFilter,
    filter_rows,
    load_rows,
    search_texts,
    sorted_indices,
)
from app.reviews.register import add_review
from tests.bench.benchlib import add_review_of_100000_entries, machine_line, make_xlsx, timed, write_section

#: this run's figures, by the block they go in
RESULTS: dict[str, dict[str, str]] = {}


def _timed(fn):
    seconds, value = timed(fn)
    return value, seconds


def _write_section(key: str) -> None:
    lines = [
        f"{machine_line()} Measured {date.today().isoformat()}, {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f}. One run each.",
        "",
        "| measure | result |",
        "| --- | --- |",
    ]
    lines += [f"| {k} | {v} |" for k, v in RESULTS[key].items()]
    write_section(key, "\n".join(lines), heading="## Chronology (reviews area)")


def test_import_50000_rows_against_bare_openpyxl(workspace, tmp_path):
    path = make_xlsx(tmp_path / "big.xlsx", 50_000)

    def bare() -> int:
        wb = load_workbook(path, read_only=True, data_only=True)
        count = sum(1 for _ in wb.active.iter_rows(values_only=True))
        wb.close()
        return count

    _, bare_seconds = _timed(bare)

    with workspace.unit_of_work() as uow:
        add_agency(uow, "Health Visiting", "HV")
        review_uuid = add_review(
            uow, kind="lcspr", title="Bench", subject_pseudonym="Child A", subject_dob=date(2014, 6, 1)
        ).uuid

    def full_import() -> int:
        table = read_return(path)
        with workspace.unit_of_work() as uow:
            plan = prepare_import(uow.session, review_uuid, "HV", table, propose_mapping(table), today=date(2026, 1, 1))
            return commit_import(uow, plan).created

    created, import_seconds = _timed(full_import)
    assert created == 50_000
    results = RESULTS.setdefault("chronology-import", {})
    results["bare openpyxl read of a 50,000-row XLSX"] = f"{bare_seconds:.2f} s"
    results["full import (read, map, validate, insert, commit) of the same file"] = (
        f"{import_seconds:.2f} s ({import_seconds / bare_seconds:.1f}x the bare read)"
    )
    print(results)
    _write_section("chronology-import")


def test_load_sort_filter_and_memory_at_100000(workspace):
    review_uuid, agencies = add_review_of_100000_entries(workspace)
    with workspace.reading() as session:
        loaded, load_seconds = _timed(lambda: load_rows(session, review_uuid))
    del loaded
    gc.collect()
    tracemalloc.start()  # separately: tracing slows the load several times over
    with workspace.reading() as session:
        loaded = load_rows(session, review_uuid)
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(loaded) == 100_000
    haystacks, haystack_seconds = _timed(lambda: search_texts(loaded))
    _, sort_seconds = _timed(lambda: sorted_indices(loaded, "agency"))
    _, sort_date_seconds = _timed(lambda: sorted_indices(loaded, "date", descending=True))
    kept, text_seconds = _timed(lambda: filter_rows(loaded, RowFilter(text="strategy"), haystacks=haystacks))
    assert len(kept) == 2000
    _, combined_seconds = _timed(
        lambda: filter_rows(
            loaded,
            RowFilter(agencies=frozenset(agencies[:3]), significant_only=True, date_from=date(2016, 1, 1)),
            haystacks=haystacks,
        )
    )
    results = RESULTS.setdefault("chronology", {})
    results["load 100,000 rows in one query (rows.load_rows)"] = f"{load_seconds:.2f} s"
    results["build search text for 100,000 rows (once per load)"] = f"{haystack_seconds * 1000:.0f} ms"
    results["sort 100,000 rows by agency / by date descending"] = (
        f"{sort_seconds * 1000:.0f} ms / {sort_date_seconds * 1000:.0f} ms"
    )
    results["filter 100,000 rows by text / agency+significant+date"] = (
        f"{text_seconds * 1000:.0f} ms / {combined_seconds * 1000:.0f} ms"
    )
    results["sort by agency and filter by text, each within 0.5 s"] = (
        "aim met" if max(sort_seconds, text_seconds) < 0.5 else "aim NOT met on this machine"
    )
    results["memory of 100,000 loaded rows (tracemalloc, after load / peak)"] = (
        f"{current / 2**20:.0f} MiB / {peak / 2**20:.0f} MiB"
    )
    print(results)
    _write_section("chronology")

"""Chronology benchmarks: import of a 50,000-row XLSX against a bare openpyxl read of the
same file (ratio in one run), loading/sorting/filtering 100,000 rows, memory at 100,000.

Run: .venv/bin/python -m pytest tests/bench/bench_chronology.py -o addopts="" -p no:cacheprovider -q -s
Writes its figures into the bench:chronology block of docs/benchmarks.md (the notes around it are kept).
"""

from __future__ import annotations

import gc
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

RESULTS: dict[str, str] = {}


def _timed(fn):
    seconds, value = timed(fn)
    return value, seconds


def _write_section() -> None:
    lines = [
        f"{machine_line()} One run each.",
        "",
        "| measure | result |",
        "| --- | --- |",
    ]
    lines += [f"| {k} | {v} |" for k, v in RESULTS.items()]
    write_section("chronology", "\n".join(lines), heading="## Chronology (reviews area)")


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
    RESULTS["bare openpyxl read of a 50,000-row XLSX"] = f"{bare_seconds:.2f} s"
    RESULTS["full import (read, map, validate, insert, commit) of the same file"] = (
        f"{import_seconds:.2f} s ({import_seconds / bare_seconds:.1f}x the bare read)"
    )
    print(RESULTS)
    _write_section()


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
    RESULTS["load 100,000 rows in one query (rows.load_rows)"] = f"{load_seconds:.2f} s"
    RESULTS["build search text for 100,000 rows (once per load)"] = f"{haystack_seconds * 1000:.0f} ms"
    RESULTS["sort 100,000 rows by agency / by date descending"] = (
        f"{sort_seconds * 1000:.0f} ms / {sort_date_seconds * 1000:.0f} ms"
    )
    RESULTS["filter 100,000 rows by text / agency+significant+date"] = (
        f"{text_seconds * 1000:.0f} ms / {combined_seconds * 1000:.0f} ms"
    )
    RESULTS["memory of 100,000 loaded rows (tracemalloc, after load / peak)"] = (
        f"{current / 2**20:.0f} MiB / {peak / 2**20:.0f} MiB"
    )
    print(RESULTS)
    _write_section()
    assert sort_seconds < 0.5 and text_seconds < 0.5

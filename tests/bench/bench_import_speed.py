"""Issue 15 (and the memory part of 16): chronology import and review opening against their floors.

Every figure is a ratio to a baseline measured in the same run, on the same files:

* XLSX: a full import (read, map, validate, duplicates, insert, commit) of a 50,000-row
  return against a bare ``openpyxl`` read-only pass over the same file (aim: at most 1.5x);
* CSV: the same import of the same rows as CSV against a bare ``csv`` pass plus the same
  rows inserted with a plain ``executemany`` and committed (aim: at most 1.5x);
* opening a 100,000-entry review, query to a filled table model as the chronology tab fills it,
  against the code before this work (``load_rows`` as it was at commit 2ac7215, read from git),
  against the code just before the table's lean load (at 28a0ab8, with the search index built
  before the rows are shown, as the tab then did) and the bare scan, and with packed field stamps
  against the same rows with stamps one per field (migration 0011's downgrade); the first screen
  the chronology tab shows at once; one edited entry patched into the open review; the upgrade's time;
* peak memory (RSS) of an import in a fresh process at 10k, 50k and 100k rows (XLSX and
  CSV) and 1M rows (CSV, with the row limit raised for the measurement).

Run: .venv/bin/python -m pytest tests/bench/bench_import_speed.py -o addopts="" -p no:cacheprovider -q -s
Writes its figures into docs/benchmarks.md, in the blocks bench:import-speed (imports), bench:review-open
(opening a review) and bench:import-memory (memory), each only from the tests that measure it; the notes
around the blocks are written by hand and kept.
No assertion on time: a shared machine's load would make such a test fail for no fault.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import os
import re
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.agencies import add_agency
from app.chronology.import_service import (
    candidate_to_fields,
    import_file,
    open_return,
    propose_mapping,
)
from app.chronology.rows import load_rows
from app.chronology.validation import validate_table
from app.reviews.register import add_review
from db.base import pack_stamps
from db.models.reviews import ChronologyEntry
from tests.bench.benchlib import add_review_of_100000_entries, machine_line, make_csv, make_xlsx, timed, write_section

ROOT = Path(__file__).resolve().parents[2]
RESULTS: dict[str, list[str]] = {}
#: the code just before the chronology table's lean load (issue 15's last step), measured beside it
LAST_COMMIT = "28a0ab8"
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))


def _new_review(workspace, title: str) -> str:
    with workspace.unit_of_work() as uow:
        return add_review(
            uow, kind="lcspr", title=title, subject_pseudonym="Child A", subject_dob=date(2014, 6, 1)
        ).uuid


def _import(workspace, review_uuid: str, path: Path) -> int:
    with workspace.unit_of_work() as uow:
        _, result = import_file(uow, review_uuid, "HV", path, today=date(2026, 1, 1))
    assert result is not None
    return result.created


def _ratio(name: str, value: float, base: float, aim: float | None = None, *, key: str = "rows") -> None:
    verdict = "" if aim is None else (" (aim met)" if value / base <= aim else f" (aim {aim}x NOT met)")
    RESULTS.setdefault(key, []).append(f"| {name} | {value:.2f} s | {base:.2f} s | **{value / base:.2f}x**{verdict} |")


def _against_one_second(name: str, seconds: float, missed: str = "aim NOT met") -> None:
    """A row of the review-opening table: `seconds` against the aim of one second."""
    verdict = "aim met" if seconds <= 1 else missed
    RESULTS.setdefault("open", []).append(f"| {name} against the 1 s aim | {seconds:.2f} s | 1.00 s | {verdict} |")


def _write() -> None:
    lines = [
        f"{machine_line()} {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}: every figure is a "
        f"ratio to a baseline timed in the same run, best of {ROUNDS} rounds with the steps taking turns. "
        "`tests/bench/bench_import_speed.py`.",
        "",
        "| measure | time | baseline | ratio |",
        "| --- | ---: | ---: | ---: |",
    ]
    if RESULTS.get("rows"):
        write_section(
            "import-speed",
            "\n".join(lines + RESULTS["rows"]),
            heading="## Chronology import and review opening at the speed of the file (issue 15)",
        )
    if RESULTS.get("open"):
        opening = [
            lines[0],
            "",
            "| open a 100,000-entry review | time | baseline | ratio |",
            "| --- | ---: | ---: | ---: |",
            *RESULTS["open"],
        ]
        write_section("review-open", "\n".join(opening), heading="## Opening a 100,000-entry review (issue 15)")
    if RESULTS.get("memory"):
        lines = [
            machine_line(),
            "",
            "Memory of one import in a fresh process: peak resident set size sampled every 5 ms during "
            "the import, and its growth over the resident size just before it:",
            "",
            "| file | rows | peak RSS | growth during import | per row |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        lines += RESULTS["memory"]
        write_section("import-memory", "\n".join(lines), heading="### Memory of the streamed import (issues 15 and 16)")


@pytest.mark.timeout(7200)
def test_xlsx_and_csv_import_against_bare_reads(workspace, tmp_path):
    xlsx = make_xlsx(tmp_path / "return.xlsx", 50_000)
    csv_path = make_csv(tmp_path / "return.csv", 50_000)
    with workspace.unit_of_work() as uow:
        add_agency(uow, "Health Visiting", "HV")

    def bare_openpyxl() -> None:
        book = load_workbook(xlsx, read_only=True, data_only=True)
        assert sum(1 for _ in book.active.iter_rows(values_only=True)) == 50_001
        book.close()

    # The CSV baseline: a bare csv pass, then the rows the import writes inserted with a plain executemany.
    source = open_return(csv_path)
    report = validate_table(source, propose_mapping(source), today=date(2026, 1, 1), agency="HV")
    table = ChronologyEntry.__table__
    names = [c.key for c in table.columns]
    # the stamps as the import stores them: one real-length stamp for every field, packed (db.base.pack_stamps)
    stamps = json.dumps(
        pack_stamps({n: "001796226219364.000000." + "0" * 32 for n in ChronologyEntry.content_fields()})
    )
    with workspace.reading() as session:
        from db.models.core import Agency

        agency_uuid = session.query(Agency.uuid).filter(Agency.short_name == "HV").scalar()
    prepared = []
    for n, candidate in enumerate(report.candidates):
        fields = candidate_to_fields(candidate.values)
        prepared.append(
            fields | {"sequence": n, "agency_uuid": agency_uuid, "author": "A", "imported_from": f"return.csv row {n}"}
        )

    def bare_csv_plus_executemany() -> float:
        review_uuid = _new_review(workspace, "baseline")
        seconds, _ = timed(lambda: _csv_pass_and_insert(workspace, csv_path, review_uuid, prepared, names, stamps))
        return seconds

    times: dict[str, float] = {}
    for _ in range(ROUNDS):
        for name, step in (
            ("bare openpyxl", bare_openpyxl),
            ("bare csv + executemany", bare_csv_plus_executemany),
            ("xlsx import", lambda: _import_fresh(workspace, xlsx)),
            ("csv import", lambda: _import_fresh(workspace, csv_path)),
        ):
            seconds, result = timed(step)
            seconds = result if isinstance(result, float) else seconds
            times[name] = min(times.get(name, float("inf")), seconds)
    print(times)
    _ratio(
        "50,000-row XLSX import (read, map, validate, duplicates, insert, commit) / bare openpyxl read-only pass",
        times["xlsx import"],
        times["bare openpyxl"],
        1.5,
    )
    _ratio(
        "50,000-row CSV import / bare csv pass + the same rows inserted with executemany and committed",
        times["csv import"],
        times["bare csv + executemany"],
        1.5,
    )
    _write()


def _import_fresh(workspace, path: Path) -> float:
    review_uuid = _new_review(workspace, path.name)
    seconds, created = timed(lambda: _import(workspace, review_uuid, path))
    assert created == 50_000
    return seconds


def _csv_pass_and_insert(
    workspace, path: Path, review_uuid: str, prepared: list[dict], names: list[str], stamps: str
) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        assert sum(1 for _ in csv.reader(handle)) == 50_001
    defaults = dict.fromkeys(names)
    rows = []
    for n, fields in enumerate(prepared):
        values = (
            defaults
            | fields
            | {
                "uuid": f"{review_uuid[:8]}-{n:027d}",
                "review_uuid": review_uuid,
                "origin_member": "m",
                "field_stamps": stamps,
                "updated_stamp": "0",
            }
        )
        rows.append(tuple(int(v) if isinstance(v, bool) else v for v in (values[k] for k in names)))
    sql = f"INSERT INTO chronology_entry ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})"
    with workspace.unit_of_work() as uow:
        cursor = uow.session.connection().connection.driver_connection.cursor()
        cursor.executemany(sql, rows)
        cursor.close()


#: modules the old code imports that have moved since, and where they are now: 5f1ef20 moved them unchanged
#: (app/chronology/dates.py became app/dates/fuzzy.py, app/chronology/contrast.py app/office/contrast.py)
MOVED_MODULES = {"app.chronology.contrast": "app.office.contrast", "app.chronology.dates": "app.dates.fuzzy"}


def _old_load_rows(commit: str = "2ac7215"):
    """``load_rows`` as it was at a commit before this work, from git (None if git or the commit is not there).

    Its code is run as it was; only its imports of modules that have moved since are pointed at where those
    modules are now (MOVED_MODULES), so it runs on today's dates, colours and models, as this code does."""
    try:
        text = subprocess.run(
            ["git", "show", f"{commit}:app/chronology/rows.py"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    for old, new in MOVED_MODULES.items():
        text = re.sub(rf"^(\s*from ){re.escape(old)}( import )", rf"\g<1>{new}\g<2>", text, flags=re.MULTILINE)
    name = f"rows_at_{commit}"
    spec = importlib.util.spec_from_loader(name, loader=None)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    exec(compile(text, f"{name}.py", "exec"), module.__dict__)
    return module.load_rows


def _plain_stamps_copy(workspace, tmp_path: Path):
    """The same workspace with its stamps stored as builds before issue 15 wrote them (one per field),
    through migration 0011's own downgrade (which also lays the rows out afresh, as an import does);
    returns it open, and the seconds the upgrade back to the packed form takes on it."""
    import importlib
    import shutil

    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    from app.store.workspace import Workspace
    from tests.helpers.workspaces import PASSPHRASE

    migration = importlib.import_module("db.migrations.versions.0011_packed_stamps")

    def run(target, step) -> float:
        with target.unit_of_work() as uow:
            with Operations.context(MigrationContext.configure(uow.session.connection())):
                return timed(step)[0]

    workspace.lock()
    copy = tmp_path / "plain-stamps"
    shutil.copytree(workspace.path, copy)
    upgrade_copy = tmp_path / "upgrade"
    shutil.copytree(workspace.path, upgrade_copy)
    reopened = Workspace.open(workspace.path, PASSPHRASE, backup_on_unlock=False)
    plain = Workspace.open(copy, PASSPHRASE, backup_on_unlock=False)
    run(plain, migration.downgrade)
    upgrading = Workspace.open(upgrade_copy, PASSPHRASE, backup_on_unlock=False)
    run(upgrading, migration.downgrade)
    upgrade_seconds = run(upgrading, migration.upgrade)
    upgrading.lock()
    return reopened, plain, upgrade_seconds


@pytest.mark.timeout(7200)
def test_open_a_100000_entry_review(workspace, tmp_path):

    review_uuid, _agencies = add_review_of_100000_entries(workspace)
    workspace, plain, upgrade_seconds = _plain_stamps_copy(workspace, tmp_path)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from app.chronology.rows import build_rows, entries_to_patch, fetch_rows
    from app.chronology.service import update_entry
    from ui.reviews.chronology_model import ChronologyTableModel, build_index

    _app = QApplication.instance() or QApplication([])
    before = _old_load_rows()
    # the load just before the lean load (issue 15's last step): the search index built before the rows are shown
    last = _old_load_rows(LAST_COMMIT)
    models: list[ChronologyTableModel] = []
    cpu_seconds: list[float] = []  # this process's CPU time of each fill: other jobs on the machine move it little

    def into_model(space, load, *, index_first: bool = False) -> float:
        """Query to a filled model, as the chronology tab fills it (index_first: as it did before the lean load).
        The model is freed after the timing (the previous one before it), never inside it."""

        def work() -> ChronologyTableModel:
            with space.reading() as session:
                loaded = load(session)
            model = ChronologyTableModel()
            model.set_rows(loaded, build_index(loaded) if index_first else None)
            return model

        models.clear()
        cpu = time.process_time()
        seconds, model = timed(work)
        cpu_seconds.append(time.process_time() - cpu)
        models.append(model)
        return seconds

    def bare_scan(space) -> float:
        with space.reading() as session:
            cursor = session.connection().connection.driver_connection.cursor()
            seconds, count = timed(
                lambda: len(
                    cursor.execute("SELECT * FROM chronology_entry WHERE review_uuid = ?", (review_uuid,)).fetchall()
                )
            )
            cursor.close()
        assert count == 100_000
        return seconds

    def table_bytes(space) -> tuple[int, int]:
        """(bytes of the stamps, bytes of every stored value) of chronology_entry, as sqlite3_analyzer would add them."""
        with space.reading() as session:
            cursor = session.connection().connection.driver_connection.cursor()
            names = [row[1] for row in cursor.execute("PRAGMA table_info(chronology_entry)")]
            every = " + ".join(f"coalesce(length(CAST({name} AS BLOB)), 0)" for name in names)
            stamps, total = cursor.execute(
                f"SELECT SUM(length(CAST(field_stamps AS BLOB))), SUM({every}) FROM chronology_entry"
            ).fetchone()
            cursor.close()
        return stamps, total

    steps = {
        "new": lambda: into_model(workspace, lambda s: load_rows(s, review_uuid, lean=True)),
        "first screen": lambda: into_model(workspace, lambda s: load_rows(s, review_uuid, limit=500, lean=True)),
        "bare": lambda: bare_scan(workspace),
        "new, plain stamps": lambda: into_model(plain, lambda s: load_rows(s, review_uuid, lean=True)),
        "bare, plain stamps": lambda: bare_scan(plain),
    }
    if last is not None:
        steps["last"] = lambda: into_model(workspace, lambda s: last(s, review_uuid), index_first=True)
    if before is not None:
        steps["before, plain stamps"] = lambda: into_model(plain, lambda s: before(s, review_uuid), index_first=True)
    times: dict[str, float] = {}
    cpus: dict[str, float] = {}
    for _ in range(ROUNDS):
        for name, step in steps.items():
            times[name] = min(times.get(name, float("inf")), step())
            if cpu_seconds:
                cpus[name] = min(cpus.get(name, float("inf")), cpu_seconds.pop())

    # one entry edited in the open review (moved to another date): patched into the model, as the tab does
    into_model(workspace, lambda s: load_rows(s, review_uuid, lean=True))
    model = models[0]
    for n in range(ROUNDS):
        edited = model.rows[(n + 1) * 20_000].uuid
        with workspace.unit_of_work() as uow:
            update_entry(uow, edited, start_date=f"0{n + 1}/02/2016", event=f"Edited {n}")

        def patch(changes=uow.changes) -> None:
            with workspace.reading() as session:
                entries = entries_to_patch(session, changes)
                assert entries is not None
                fresh = build_rows(fetch_rows(session, review_uuid, lean=True, uuids=entries))
            model.patch(fresh, entries - {r.uuid for r in fresh})

        times["patch"] = min(times.get("patch", float("inf")), timed(patch)[0])
    print(times, cpus)
    packed_bytes, plain_bytes = table_bytes(workspace), table_bytes(plain)
    plain.lock()
    workspace.lock()
    if "last" in times:
        _ratio(
            f"open a 100,000-entry review, query to a filled table model / the same just before the lean load "
            f"(code at {LAST_COMMIT}: every column, the search index built before the rows are shown)",
            times["new"],
            times["last"],
            key="open",
        )
    if "before, plain stamps" in times:
        _ratio(
            "open a 100,000-entry review, query to a filled table model / the same before this work "
            "(code at 2ac7215, stamps one per field)",
            times["new"],
            times["before, plain stamps"],
            key="open",
        )
    _ratio(
        "the same, stamps packed / stamps one per field (this code on both)",
        times["new"],
        times["new, plain stamps"],
        key="open",
    )
    _ratio(
        "bare SELECT * of the review's rows, stamps packed / one per field",
        times["bare"],
        times["bare, plain stamps"],
        key="open",
    )
    _ratio(
        "open a 100,000-entry review, query to a filled table model / bare SELECT * of its rows",
        times["new"],
        times["bare"],
        key="open",
    )
    _ratio(
        "first screen (500 entries in chronology order into the model: what the chronology tab shows at once) "
        "/ bare SELECT * of all rows",
        times["first screen"],
        times["bare"],
        key="open",
    )
    _against_one_second("first screen", times["first screen"])
    _against_one_second(
        "the whole review in the model (filled in behind the first screen)", times["new"], "aim NOT met on this machine"
    )
    if "last" in cpus:
        _ratio(
            f"open a 100,000-entry review, query to a filled table model, CPU time of this process (what other "
            f"jobs on the machine move least) / the same at {LAST_COMMIT}",
            cpus["new"],
            cpus["last"],
            key="open",
        )
    _against_one_second("the whole review in the model, CPU time,", cpus["new"])
    RESULTS.setdefault("open", []).append(
        f"| one entry edited (moved to another date) in the open review, patched into the model "
        f"(its row read again, put in its place, intervals mended) / the whole review read again | "
        f"{times['patch'] * 1000:.1f} ms | {times['new']:.2f} s | **{times['patch'] / times['new']:.3f}x** |"
    )
    RESULTS.setdefault("open", []).append(
        f"| chronology_entry bytes, stamps packed / one per field (field_stamps alone: "
        f"{packed_bytes[0] / 1e6:.1f} MB / {plain_bytes[0] / 1e6:.1f} MB) | {packed_bytes[1] / 1e6:.1f} MB | "
        f"{plain_bytes[1] / 1e6:.1f} MB | **{packed_bytes[1] / plain_bytes[1]:.2f}x** |"
    )
    RESULTS.setdefault("open", []).append(
        f"| migration 0011 (once, on upgrade): the 100,000 entries' stamps packed and the rows laid out afresh | "
        f"{upgrade_seconds:.2f} s | | |"
    )
    _write()


_MEMORY_SCRIPT = r"""
import os, resource, sys, shutil
from datetime import date
from pathlib import Path
os.environ["WORKBENCH_KDF_ITERATIONS"] = "1"
from app.security.kdf import KdfParams
from app.store.workspace import Workspace
from app.agencies import add_agency
from app.reviews.register import add_review
from db.base import pack_stamps
from app.chronology.import_service import import_file
from app.records.limits import ImportLimits
path, folder = Path(sys.argv[1]), Path(sys.argv[2])
shutil.rmtree(folder, ignore_errors=True)
ws = Workspace.create(folder, "correct horse battery staple", display_name="A", role="R", agency="I",
                      kdf_params=KdfParams(salt=b"0123456789abcdef", iterations=1))
with ws.unit_of_work() as uow:
    add_agency(uow, "Health Visiting", "HV")
    review = add_review(uow, kind="lcspr", title="Memory", subject_pseudonym="Child A", subject_dob=date(2014, 6, 1)).uuid
import gc, threading, time
page = os.sysconf("SC_PAGE_SIZE")
def rss():
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * page
gc.collect()
before = rss()
peak = [before]
done = threading.Event()
def sample():  # ru_maxrss would keep the KDF's 64 MiB peak from unlocking: sample the import itself
    while not done.is_set():
        peak[0] = max(peak[0], rss())
        time.sleep(0.005)
sampler = threading.Thread(target=sample, daemon=True)
sampler.start()
with ws.unit_of_work() as uow:
    _, result = import_file(uow, review, "HV", path, today=date(2026, 1, 1),
                            limits=ImportLimits(max_import_rows=2_000_000, max_file_bytes=2**31))
done.set()
sampler.join()
peak[0] = max(peak[0], rss())
ws.lock()
print(result.created, before, peak[0])
"""


@pytest.mark.timeout(7200)
def test_peak_memory_by_rows(tmp_path):
    sizes = [("XLSX", 10_000), ("XLSX", 50_000), ("XLSX", 100_000), ("CSV", 10_000), ("CSV", 100_000)]
    if os.environ.get("BENCH_MILLION", "1") == "1":
        sizes.append(("CSV", 1_000_000))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for kind, count in sizes:
        path = (make_xlsx if kind == "XLSX" else make_csv)(tmp_path / f"r{count}.{kind.lower()}", count)
        out = subprocess.run(
            [sys.executable, "-c", _MEMORY_SCRIPT, str(path), str(tmp_path / f"ws{count}")],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        created, before, after = (int(v) for v in out[-3:])
        assert created == count
        growth = after - before
        RESULTS.setdefault("memory", []).append(
            f"| {kind} | {count:,} | {after / 2**20:.0f} MiB | {growth / 2**20:.0f} MiB | {growth / count:,.0f} B |"
        )
        path.unlink()
        print(RESULTS["memory"][-1])
        _write()  # each size as it comes: the million-row run is long

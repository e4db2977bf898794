"""Benchmark: a Section 11 cycle of 60 agencies x 12 standards (templates, imports, heat map).

Run: .venv/bin/python -m pytest tests/bench/bench_section11.py -o addopts="" -o python_files="bench_*.py" \
     -p no:cacheprovider -q -s
Results go to docs/benchmarks.md between the bench:section11 markers. The
baseline is the same work for 6 agencies in the same run, so the ratio shows how
the cycle scales independently of the machine.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from app.agencies import add_agency
from app.section11 import charts, cycles, returns
from app.section11.frameworks import add_standard, copy_framework, ensure_shipped
from app.section11.ids import framework_id
from app.store.workspace import Workspace
from tests.bench.benchlib import machine_line, timed, write_section
from tests.helpers.workspaces import FAST_KDF, PASSPHRASE

SECTORS = ["Health", "Police", "Education", "Local authority", "Housing", "Justice", "Voluntary"]


def _setup(workspace: Workspace, agencies: int) -> str:
    with workspace.unit_of_work() as uow:
        ensure_shipped(uow)
        framework = copy_framework(uow, framework_id("classic"), version_label="Bench")
        for n in range(4):
            add_standard(uow, framework.uuid, title=f"Additional arrangement {n + 1}", questions=["How do you know?"])
        names = [
            add_agency(uow, f"Bench agency {n:02d}", f"B{n:02d}", SECTORS[n % len(SECTORS)]).name
            for n in range(agencies)
        ]
        cycle = cycles.add_cycle(
            uow,
            name="Bench cycle",
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
            framework=framework.uuid,
            scale_key="score-0-3",
            agencies=names,
        )
        return cycle.uuid


def _templates(workspace: Workspace, cycle_uuid: str, folder: Path) -> list[Path]:
    paths = []
    with workspace.reading() as session:
        for participant in cycles.participants(session, cycle_uuid):
            path = folder / returns.template_filename(session, participant.uuid)
            path.write_bytes(returns.template_bytes(session, participant.uuid))
            paths.append(path)
    return paths


def _fill(paths: list[Path]) -> None:
    for index, path in enumerate(paths):
        book = load_workbook(path)
        sheet = book["Return"]
        top = next(r for r in range(1, 30) if sheet.cell(r, 1).value == "Ref")
        for row in range(top + 1, sheet.max_row + 1):
            sheet.cell(row, 4).value = str((row + index) % 4)
            sheet.cell(row, 5).value = f"Evidence paragraph for row {row} " * 6
            sheet.cell(row, 8).value = "30/09/2027"
        book.save(path)


def _import(workspace: Workspace, cycle_uuid: str, paths: list[Path]) -> None:
    for path in paths:
        with workspace.unit_of_work() as uow:
            result = returns.import_return(uow, cycle_uuid, path)
            assert result.written, result.report.to_text()


def _heat_map(workspace: Workspace, cycle_uuid: str) -> int:
    from app.office.vector_charts import figure_png, figure_svg

    with workspace.reading() as session:
        heat = charts.heat_map_data(session, cycle_uuid)
    figure = charts.heat_map_figure(heat)
    return len(figure_png(figure)) + len(figure_svg(figure))


def _autosave_per_keystroke(workspace: Workspace, cycle_uuid: str, keystrokes: int = 100) -> float:
    """Median time of one interview autosave (one committed unit of work per keystroke)."""
    import statistics
    import time

    from app.section11 import interview

    with workspace.unit_of_work() as uow:
        participant = cycles.participants(uow.session, cycle_uuid)[0].uuid
        interview_uuid = interview.book_interview(uow, participant, on=date(2026, 5, 1)).uuid
    text, times = "", []
    for _ in range(keystrokes):
        text += "x"
        started = time.perf_counter()
        with workspace.unit_of_work() as uow:
            interview.save_draft(uow, interview_uuid, interview_uuid, "notes", text)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def test_cycle_of_60_agencies_by_12_standards(tmp_path: Path) -> None:
    timings: dict[int, dict[str, float]] = {}
    for count in (6, 60):
        workspace = Workspace.create(
            tmp_path / f"ws{count}", PASSPHRASE, display_name="Bench", role="Chair", agency="Bench", kdf_params=FAST_KDF
        )
        folder = tmp_path / f"returns{count}"
        folder.mkdir()
        try:
            cycle_uuid = _setup(workspace, count)
            results: dict[str, float] = {}
            results["generate every template (XLSX in memory)"], paths = timed(
                lambda: _templates(workspace, cycle_uuid, folder)
            )
            _fill(paths)
            results["import every completed return (one unit of work each)"], _ = timed(
                lambda: _import(workspace, cycle_uuid, paths)
            )
            _heat_map(workspace, cycle_uuid)  # matplotlib's first figure pays its font cache
            results["heat map: data + figure + PNG + SVG"], _ = timed(lambda: _heat_map(workspace, cycle_uuid))
            with workspace.reading() as session:
                register = cycles.cycle_register(session, cycle_uuid)
            assert len(register) == count and all(r.scored == 12 for r in register)
            timings[count] = results
            if count == 60:
                autosave = _autosave_per_keystroke(workspace, cycle_uuid)
        finally:
            workspace.lock()
    lines = [
        f"Measured {date.today().isoformat()}; 12 standards per return; baseline 6 agencies, same run, same "
        f"machine. {machine_line()} One run each (the machine is shared, so read the ratios more than the "
        "seconds).",
        "",
        "| step | 6 agencies | 60 agencies | per agency at 60 | ratio |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for step in timings[60]:
        small, large = timings[6][step], timings[60][step]
        lines.append(f"| {step} | {small:.2f} s | {large:.2f} s | {large / 60 * 1000:.0f} ms | {large / small:.1f}x |")
    total = sum(timings[60].values())
    lines += [
        "",
        f"Templates, imports and the heat map for 60 agencies x 12 standards: {total:.1f} s in total.",
        "",
        "The heat map draws its colours as one mesh with a fixed layout; the first version (a rectangle per "
        "cell, constrained layout re-run by each save) took 13.4 s for the same 60 agencies.",
        "",
        f"Interview autosave: {autosave * 1000:.1f} ms per keystroke (median of 100; one committed unit of "
        "work with a full fsync each), so the interview screen can save on every change, coalescing bursts "
        "of fast typing into one save.",
    ]
    text = "\n".join(lines)
    print("\n" + text)
    write_section("section11", text, heading="## Section 11 cycle (`tests/bench/bench_section11.py`)")

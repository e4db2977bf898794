"""Benchmark: a 200-page meeting pack (cover, agenda, ten generated reports with twenty vector charts,
100 pages of attached papers, some rotated) and ten recipients' copies.

Run: .venv/bin/python -m pytest tests/bench/bench_meetings.py -o addopts="" -o python_files="bench_*.py" \
     -p no:cacheprovider -q -s
Results go to docs/benchmarks.md between the bench:meetings markers. Baselines measured in the same run:
a bare reportlab document of the same page count, and a plain pikepdf concatenation of the same papers
(the generated reports already rendered), so the ratios say what the pack's own work costs.
"""

from __future__ import annotations

import io
import time
from datetime import date

from app.meetings.copies import stamp_copy
from app.meetings.pack import _render_reports, build_pack
from tests.bench.benchlib import machine_line, timed, write_section
from tests.bench.meetings_prose import BEFORE, aim_paragraph
from tests.helpers.meetings_corpus import bench_pack

RECIPIENTS = [f"Member {n}" for n in range(10)]
#: the run recorded before issue 12.6's speed work (commit f1e5c2c), quoted in the results
#: measured once: the old and the new modules built in turns in one process, best of three each (seconds)
AB = {"old_wall": 11.43, "old_cpu": 9.46, "new_wall": 3.42, "new_cpu": 3.02, "chart_ms": 78.0}


def _bare_reportlab(pages: int) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    for number in range(pages):
        canvas.drawString(72, 760, f"Page {number + 1}")
        text = canvas.beginText(72, 730)
        for line in range(40):
            text.textLine(f"Line {line}: the same amount of text as a report page.")
        canvas.drawText(text)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _concatenate(parts: list[bytes]) -> bytes:
    import pikepdf

    out = pikepdf.new()
    opened = [pikepdf.open(io.BytesIO(part)) for part in parts]
    for pdf in opened:
        out.pages.extend(pdf.pages)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def _charts_only(pack) -> float:
    from app.office.vector_charts import figure_flowable, new_figure

    started = time.perf_counter()
    for index in range(20):
        figure = new_figure(170, 80)
        axes = figure.add_subplot()
        axes.plot(range(1, 13), [(index * 7 + m * 5) % 23 + 10 for m in range(12)], marker="o")
        axes.set_title(f"Chart {index}")
        figure_flowable(figure, 480)
    del pack
    return time.perf_counter() - started


def _cold_chart_caches() -> None:
    """Forget what earlier charts taught this thread (matplotlib's text measurements are cached per
    renderer, and the renderer is reused): each timed build starts as a first build would."""
    from app.office import vector_charts

    vector_charts._THREAD.__dict__.clear()


#: issue 12.6's aims: pages per second of the build, and a copy's time as a share of the build's


def _share(fraction: float) -> str:
    """A share in words that stay true to the figure ("about half", "about a third", "12%")."""
    for value, words in ((1 / 2, "about half"), (1 / 3, "about a third"), (1 / 4, "about a quarter")):
        if abs(fraction - value) <= 0.05:
            return words
    return f"{fraction:.0%}"


def test_pack_build_and_copies() -> None:
    bench_pack().items[0].papers[0].flowables()  # warm imports (matplotlib, reportlab, fonts)
    runs = []
    for _ in range(3):
        phases: dict[str, float] = {}
        _cold_chart_caches()
        cpu_started = time.process_time()
        seconds, built = timed(lambda: build_pack(bench_pack(), timings=phases))
        runs.append((seconds, phases, time.process_time() - cpu_started))
    build_seconds, phases, build_cpu = min(runs, key=lambda run: run[0])
    pages = built.full.page_count
    layout_seconds = phases["reports"]
    assembly = phases["assemble"] + phases["open_papers"]

    reports = [p for item in bench_pack().items for p in item.papers if p.kind == "report"]
    report_pdf, _ranges = _render_reports(reports, "bench")
    _cold_chart_caches()
    charts_seconds = _charts_only(None)
    attached = [p.pdf for item in bench_pack().items for p in item.papers if p.kind == "file"]
    bare_seconds, _ = timed(lambda: _bare_reportlab(pages))
    concat_seconds, _ = timed(lambda: _concatenate([report_pdf, *attached]))

    day = date(2026, 3, 5)
    copy_times = []
    for name in RECIPIENTS:
        source = built.full.content if name.endswith(("0", "1", "2")) else built.open.content
        seconds, _ = timed(lambda: stamp_copy(source, name, day, "QA-2026-03-12-v1"))
        copy_times.append(seconds)
    encrypted_seconds, _ = timed(
        lambda: stamp_copy(built.open.content, "Member X", day, "QA-2026-03-12-v1", passphrase="a long pdf passphrase")
    )
    copy_mean = sum(copy_times) / len(copy_times)
    body = f"""{machine_line()} One run of `tests/bench/bench_meetings.py` (best of three builds, each with cold chart
caches), on this shared 2-core machine; other work on it was running at the same time, so the CPU time of
the build is given too: the build is single-threaded, and wall time above CPU time is time spent waiting for a core.

Corpus: cover, agenda, contents, ten generated reports (twenty matplotlib vector charts, 430-row tables),
ten attached papers of 10 pages each (a quarter of their pages rotated, three papers landscape), one
restricted item, so both the full and the uncleared variant are assembled.

| measure | value |
| --- | --- |
| pages in the pack | {pages} (uncleared variant {built.open.page_count}) |
| build, both variants (wall) | {build_seconds:.2f} s = **{pages / build_seconds:.1f} pages/s** |
| build, CPU time of the same run | {build_cpu:.2f} s = {pages / build_cpu:.1f} pages/s |
| of which laying out the ten reports (reportlab tables + charts) | {layout_seconds:.2f} s |
| the twenty charts alone, measured apart (matplotlib drawn into reportlab Drawings) | {charts_seconds:.2f} s = {charts_seconds / 20 * 1000:.0f} ms each |
| of which the pack's own work: open papers, front matter, merge, outline, furniture stamps, save (both variants) | {assembly:.2f} s = {pages / assembly:.0f} pages/s |
| baseline: bare reportlab document of {pages} pages | {bare_seconds:.2f} s (build = {build_seconds / bare_seconds:.1f}x) |
| baseline: plain concatenation of the same papers (pikepdf) | {concat_seconds:.2f} s (build = {build_seconds / concat_seconds:.1f}x) |
| one recipient's copy (watermark on every page), mean of 10 | {copy_mean * 1000:.0f} ms = {copy_mean / build_seconds:.3f} of the build |
| one recipient's copy, AES-256 encrypted | {encrypted_seconds * 1000:.0f} ms |

{aim_paragraph(pages, [run[0] for run in runs], build_cpu, copy_mean, bare_seconds)}

### What changed (issue 12.6) and where the time went

Before (recorded {BEFORE["when"]}): {BEFORE["build"]:.2f} s = {pages / BEFORE["build"]:.1f} pages/s, of which
{BEFORE["reports"]:.2f} s laying out the reports and {BEFORE["charts"]:.2f} s the twenty charts measured apart
({BEFORE["charts"] / 20 * 1000:.0f} ms each). Per chart, matplotlib's constrained layout measured the chart twice,
the SVG backend drew it a third time and wrote it as text, and svglib parsed that text back into a reportlab
Drawing (a third of the chart's time). Per table cell, a Paragraph was parsed, wrapped and drawn, even for
one short line.

Now (`app/office/vector_charts.py`, `app/office/pdf_styles.py`):

- matplotlib draws straight into the reportlab Drawing (a small renderer: paths, markers, meshes, text as
  text in Helvetica anchored as the SVG backend anchors it); no SVG is written or read back. `figure_svg` is
  unchanged for the SVG exports.
- a figure with one chart gets constrained layout's result from one measuring pass instead of two (the same
  axes position, tested); other figures keep matplotlib's own layout.
- table cells that fit on one line are plain strings, drawn with exactly the operators reportlab's
  `drawString` writes (the PDF is byte-for-byte the same, tested) without a text object per cell; only
  cells that wrap stay Paragraphs.
- no chart cache: every build draws every chart (the timed builds also forget matplotlib's text measurements).

Old and new code in turns, in one process under the same load (three builds each, best):
old {AB["old_wall"]:.2f} s by the clock / {AB["old_cpu"]:.2f} s CPU, new {AB["new_wall"]:.2f} s / {AB["new_cpu"]:.2f} s CPU
({AB["old_cpu"] / AB["new_cpu"]:.1f} times less CPU). Where the new build's CPU time goes (same kind of run):
the twenty charts {_share(20 * AB["chart_ms"] / 1000 / AB["new_cpu"])} ({AB["chart_ms"]:.0f} ms each, split about evenly between the layout's measuring
pass, which is mostly tick and text extents, and the draw), the reports' tables and writing the reports'
document most of the rest, the pack's own assembly (both variants) {assembly:.2f} s.

Tried or weighed, not taken: matplotlib's PDF backend placed with pikepdf as a form XObject (option b):
its PDF writer took longer per chart than the SVG route it would replace, so it cannot pay for the extra
merge step; charts in a second process while reportlab lays out tables (c): with two cores shared by other
work there is no idle core to win, and each worker would import matplotlib; a per-process cache of chart
drawings keyed by their data (e): helps re-issues only and must not count here, so left out. reportlab's
optional C accelerator (`rl-accel`, not installed) would take float formatting, text escaping and stream
encoding out of Python (roughly a tenth of the build in a profile); adding it is a packaging decision.
Further room is mostly inside matplotlib: its tick and text layout is most of a chart's time.
"""
    write_section("meetings", body, heading="## Meetings: building a meeting pack and recipients' copies")
    print(body)
    assert copy_mean < build_seconds  # sanity only; the figures are the result

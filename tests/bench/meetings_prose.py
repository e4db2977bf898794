"""What the meetings benchmark writes about its figures: a library, not a benchmark, so the unit tests
can check the words against made-up figures without importing a benchmark module."""

from __future__ import annotations

BEFORE = {"when": "at commit f1e5c2c", "build": 12.06, "reports": 11.47, "charts": 9.24}
BARE_BEFORE = 0.19
AIM_PAGES_PER_SECOND = 60
AIM_COPY_SHARE = 0.1


def aim_paragraph(pages: int, build_times: list[float], build_cpu: float, copy_mean: float, bare: float) -> str:
    """What this run's figures say about the aims: every verdict and number follows the measurement
    (the paragraph once said "copies meet it" and "not safely past it" whatever the run gave)."""
    best = min(build_times)
    rates = sorted(pages / seconds for seconds in build_times)
    reached = sum(rate >= AIM_PAGES_PER_SECOND for rate in rates)
    share = copy_mean / best
    copies = "meet it" if share < AIM_COPY_SHARE else "do not meet it"
    if reached == len(rates):
        standing = f"every build of this run was past the aim (the slowest {rates[0]:.1f} pages/s)"
    elif reached == 0:
        standing = f"no build of this run reached the aim (the fastest {rates[-1]:.1f} pages/s)"
    else:
        standing = f"the build is at the aim's edge: {reached} of {len(rates)} builds of this run reached it"
    spread = (rates[-1] - rates[0]) / rates[0]
    verdict = "reaches" if pages / best >= AIM_PAGES_PER_SECOND else "does not reach"
    speed_up = BEFORE["build"] / best
    return (
        f"Aim: at least {AIM_PAGES_PER_SECOND} pages/s for the build; each extra recipient's copy under a tenth of "
        f"the build's time.\nThe copies {copies} ({share:.3f} of the build). The best build {verdict} it in this "
        f"run: {pages / best:.1f} pages/s by the clock, {pages / build_cpu:.1f} pages/s of CPU time. The three builds "
        f"gave {rates[0]:.1f} to {rates[-1]:.1f} pages/s (a spread of {spread:.0%}; the bare reportlab baseline "
        f"took {bare:.2f} s in this run, {BARE_BEFORE:.2f} s in the run recorded before the speed work), so "
        f"{standing}; the best is {speed_up:.1f} times as fast as the build recorded {BEFORE['when']}."
    )

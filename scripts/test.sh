#!/usr/bin/env bash
# Quick start 2: set everything up and run the test suite (CI runs exactly this, via .ci/run).
#
#   scripts/test.sh [pytest arguments]      e.g. scripts/test.sh tests/unit -x, scripts/test.sh -n auto
#
# Steps: .venv from requirements.lock, test tools included (scripts/bootstrap.sh); the static
# checks (scripts/check.sh: ruff, format, mypy, import contracts; skip with WB_SKIP_CHECKS=1 while
# iterating); the system libraries Qt needs even offscreen, installed with apt-get when root or
# passwordless sudo is available; then pytest with QT_QPA_PLATFORM=offscreen, over as many
# workers as cores (at most 4).
# Exit status is pytest's; "no tests collected" (5) is reported as a failure too.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/qt_system_deps.sh
source scripts/qt_system_deps.sh

wb_bootstrap
wb_ensure_qt_system_deps offscreen

checks=0
if [[ "${WB_SKIP_CHECKS:-0}" != 1 ]]; then
    bash scripts/check.sh || checks=1
fi

export QT_QPA_PLATFORM=offscreen
status=0
# Two or more cores: spread the test files over workers (pytest-xdist), a file's tests staying
# together; pass your own -n (e.g. -n 0) to choose.
parallel=()
if [[ " $* " != *" -n "* && " $* " != *" -n0 "* ]]; then
    cores="$(nproc 2>/dev/null || echo 1)"
    if ((cores >= 2)); then
        parallel=(-n "$((cores > 4 ? 4 : cores))" --dist loadfile)
    fi
fi
"$WB_PY" -m pytest "${parallel[@]}" "$@" || status=$?
if ((status == 5)); then
    wb_say "pytest collected no tests (exit 5); that counts as a failure"
fi
if ((status == 0 && checks != 0)); then
    wb_say "tests passed, but a static check failed (see above)"
    status=1
fi
exit "$status"

#!/usr/bin/env bash
# Run the benchmarks in tests/bench (they write docs/benchmarks.md themselves).
#
#   scripts/bench.sh [pytest arguments]      e.g. scripts/bench.sh -k import
#
# Same set-up as scripts/test.sh (locked .venv with test tools, Qt's offscreen libraries),
# then pytest on tests/bench, quiet, with output shown, ignoring the default addopts.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/qt_system_deps.sh
source scripts/qt_system_deps.sh

wb_bootstrap
wb_ensure_qt_system_deps offscreen

export QT_QPA_PLATFORM=offscreen
status=0
"$WB_PY" -m pytest tests/bench -p no:cacheprovider -o addopts="" -o python_files="bench_*.py" -q -s "$@" || status=$?
if ((status == 5)); then
    wb_say "no benchmarks collected in tests/bench (exit 5)"
fi
exit "$status"

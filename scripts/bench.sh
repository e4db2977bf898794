#!/usr/bin/env bash
# Run the benchmarks in tests/bench (they write docs/benchmarks.md themselves).
#
#   scripts/bench.sh                                  every benchmark in tests/bench
#   scripts/bench.sh tests/bench/bench_anonymise.py   that file only (paths from the project folder)
#   scripts/bench.sh -k import                        the benchmarks whose names match
#
# Same set-up as scripts/test.sh (locked .venv with test tools, Qt's offscreen libraries),
# then pytest, quiet, with output shown, ignoring the default addopts. tests/bench is pytest's
# testpaths here, so it is searched only when no file, folder or test id is given (-k or -m
# alone search all of it).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/qt_system_deps.sh
source scripts/qt_system_deps.sh

wb_bootstrap
wb_ensure_qt_system_deps offscreen

export QT_QPA_PLATFORM=offscreen
status=0
"$WB_PY" -m pytest -p no:cacheprovider -o addopts="" -o testpaths=tests/bench -o python_files="bench_*.py" -q -s "$@" || status=$?
if ((status == 5)); then
    wb_say "no benchmarks collected in tests/bench (exit 5)"
fi
exit "$status"

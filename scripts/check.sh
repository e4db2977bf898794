#!/usr/bin/env bash
# The static checks of docs/architecture.md ("Checks"): lint, format, types, import contracts.
# scripts/test.sh runs them before pytest; run alone with `bash scripts/check.sh`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/bootstrap.sh
source scripts/bootstrap.sh
wb_bootstrap

status=0
run() {
    local name="$1"; shift
    if ! "$@"; then
        wb_say "check failed: $name"
        status=1
    fi
}
run "ruff check" "$WB_VENV/bin/ruff" check --quiet .
run "ruff format --check" "$WB_VENV/bin/ruff" format --check --quiet .
run "mypy (app, db, ui, main.py)" "$WB_VENV/bin/mypy"
run "import contracts" "$WB_VENV/bin/lint-imports" --no-cache
exit "$status"

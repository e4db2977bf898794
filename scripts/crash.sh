#!/usr/bin/env bash
# The crash-consistency harness (issue 16.7; figures in docs/reliability.md). Not part of scripts/test.sh:
# 1,000 points take most of an hour on two cores. tests/unit/test_crash_sample.py runs 20 of them.
#
#   scripts/crash.sh [--points 1000] [--seed N] [--ops import,bundle,passwd,backup,restore] [--keep-failures]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/bootstrap.sh
source scripts/bootstrap.sh
wb_bootstrap
exec "$WB_PY" -m tests.crash.harness "$@"

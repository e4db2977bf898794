#!/usr/bin/env bash
# Quick start 1: set everything up and open the demo workspace in the GUI.
#
#   scripts/run.sh [extra main.py arguments]
#   xvfb-run -a -s "-screen 0 1440x900x24" scripts/run.sh     # on a machine without a display
#
# Steps: .venv from requirements.lock (scripts/bootstrap.sh); Qt's system libraries for the
# platform in use (xcb unless QT_QPA_PLATFORM says otherwise), installed with apt-get when root
# or passwordless sudo is available; the demo workspace (demo-workspace/, created once with
# `main.py demo`); then `main.py --workspace demo-workspace`. Passing --workspace yourself
# opens that workspace instead and skips the demo.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/qt_system_deps.sh
source scripts/qt_system_deps.sh

DEMO_DIR="demo-workspace"
DEMO_PASSPHRASE="demo-workbench-2026"

# Without a display Qt aborts with a long message; say it in one line instead, before any work.
if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" && -z "${QT_QPA_PLATFORM:-}" ]]; then
    wb_die "no display (DISPLAY and WAYLAND_DISPLAY are unset); run it under Xvfb: xvfb-run -a -s \"-screen 0 1440x900x24\" scripts/run.sh"
fi

wb_bootstrap

# Which Qt platform plugin will load: QT_QPA_PLATFORM (e.g. "xcb", "wayland;xcb", "offscreen"),
# else xcb when DISPLAY is set, else wayland.
platform="${QT_QPA_PLATFORM:-}"
platform="${platform%%[;:]*}"
if [[ -z "$platform" ]]; then
    if [[ -n "${DISPLAY:-}" ]]; then platform=xcb; else platform=wayland; fi
fi
wb_ensure_qt_system_deps "$platform"

own_workspace=0
for arg in "$@"; do
    case "$arg" in --workspace|--workspace=*) own_workspace=1 ;; esac
done

if ((own_workspace)); then
    exec "$WB_PY" main.py "$@"
fi

if [[ ! -e "$DEMO_DIR" ]]; then
    wb_say "creating the demo workspace in $DEMO_DIR"
    if ! "$WB_PY" main.py demo "$DEMO_DIR"; then
        # Leave no half-made workspace behind for the next run to trip over.
        rm -rf -- "$DEMO_DIR"
        wb_die "could not create the demo workspace (main.py demo $DEMO_DIR failed)"
    fi
else
    wb_say "opening $DEMO_DIR (demo passphrase: $DEMO_PASSPHRASE)"
fi
exec "$WB_PY" main.py --workspace "$DEMO_DIR" "$@"

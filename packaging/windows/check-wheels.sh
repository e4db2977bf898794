#!/usr/bin/env bash
# Checks, from Linux, that every locked requirement has a package pip installs on 64-bit Windows with
# Python 3.11 without compiling anything: the part of a Windows build that can be verified here.
# PyInstaller does not cross-compile, so the build itself still runs on Windows (packaging/README.md).
#
#   packaging/windows/check-wheels.sh            # downloads into a temporary folder it removes
#
# Reaches the package index (nothing else); not part of the test run.
set -euo pipefail
cd "$(dirname "$0")/../.."
python="${PYTHON:-.venv/bin/python}"
[ -x "$python" ] || python=python3
folder="$(mktemp -d)"
trap 'rm -rf "$folder"' EXIT

# pip evaluates environment markers against the machine it runs on, so the Windows-only lines
# (marked sys_platform == "win32") are skipped on Linux: ask for them by name, without the marker.
every_line="$folder/requirements-win.txt"
sed -E 's/[[:space:]]*;[[:space:]]*sys_platform[[:space:]]*==[[:space:]]*"win32"//' requirements.lock > "$every_line"

"$python" -m pip download -qq --no-deps --only-binary=:all: \
    --platform win_amd64 --python-version 3.11 --implementation cp \
    --dest "$folder/wheels" -r "$every_line"

wanted=$(grep -cE '^[A-Za-z0-9]' "$every_line")
got=$(find "$folder/wheels" -name '*.whl' | wc -l)
echo "Windows (win_amd64, CPython 3.11): $got wheels for $wanted locked requirements"
[ "$got" -eq "$wanted" ] || { echo "some requirement has no Windows wheel" >&2; exit 1; }
native=$(find "$folder/wheels" -name '*win_amd64.whl' -printf '%f\n' | sed -E 's/-[0-9].*//' | sort | tr '\n' ' ')
echo "compiled for Windows: $native"

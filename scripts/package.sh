#!/usr/bin/env bash
# Build Safeguarding Workbench as a desktop application (issue 14).
#
#   scripts/package.sh                      # build, then archive and Debian package
#   scripts/package.sh --smoke              # the same, then the packaging smoke test on the built folder
#   scripts/package.sh --folder-only [DIR]  # the PyInstaller build alone (no archive, no .deb), into
#                                           # DIR/safeguarding-workbench (default build/dist); what the
#                                           # smoke test in the default test run builds
#
# Steps: .venv from requirements.lock (PyInstaller is in it, the `build` extra); a one-folder
# PyInstaller build from packaging/workbench.spec; then in dist/:
#   safeguarding-workbench-VERSION-linux-ARCH/         the program (./workbench), desktop entry, icon
#   safeguarding-workbench-VERSION-linux-ARCH.tar.gz   the same folder, archived
#   safeguarding-workbench_VERSION_DEBARCH.deb         installs to /opt/safeguarding-workbench with
#                                                      /usr/bin/workbench, menu entry and icon
# and dist/package-report.json (build time and sizes; tests/bench puts them in docs/benchmarks.md).
# --folder-only writes DIR/package-report.json (PyInstaller's time, the folder's size) instead.
# The Debian package is made with dpkg-deb (the standard tool; apt-get installs it if missing).
# Windows: see packaging/README.md.
set -euo pipefail

caller="$PWD"
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/qt_system_deps.sh
source scripts/qt_system_deps.sh

usage() { echo "usage: $0 [--smoke | --folder-only [DIR]]" >&2; exit 2; }
smoke=0
folder_only=0
out="build/dist"
case "${1:-}" in
    "") ;;
    --smoke) smoke=1 ;;
    --folder-only)
        folder_only=1
        if [[ -n "${2:-}" ]]; then [[ "$2" == /* ]] && out="$2" || out="$caller/$2"; fi ;;
    *) usage ;;
esac
(( $# <= 1 || folder_only )) || usage
(( $# <= 2 )) || usage

# The packaging smoke test runs this from inside the test run, whose .venv is already set up.
[[ "${WORKBENCH_PACKAGE_NO_BOOTSTRAP:-}" == 1 ]] || wb_bootstrap
APP_ID="safeguarding-workbench"
VERSION="$("$WB_PY" -c 'from app.version import __version__; print(__version__)')"
ARCH="$(uname -m)"
NAME="$APP_ID-$VERSION-linux-$ARCH"
DIST="dist"
FOLDER="$DIST/$NAME"
started=$(date +%s)

wb_say "building $NAME with PyInstaller (two or three minutes)"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
log="$out/pyinstaller.log"
# --clean: no cached analysis from an older spec; PyInstaller's cache in the build folder, not the
# user's ~/.cache, so that builds running at once (two checkouts' test runs) cannot clean each other's
export PYINSTALLER_CONFIG_DIR="$out/pyinstaller-cache"
if ! "$WB_PY" -m PyInstaller --noconfirm --clean --log-level WARN --distpath "$out" \
        --workpath "$out/pyinstaller" packaging/workbench.spec >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    wb_die "PyInstaller failed (full log: $log)"
fi
built=$(date +%s)

if ((folder_only)); then
    folder_kib=$(du -sk "$out/$APP_ID" | cut -f1)
    "$WB_PY" - "$out/package-report.json" <<PY
import json, sys
report = {"name": "$NAME", "version": "$VERSION", "pyinstaller_seconds": $built - $started,
          "folder_mib": round($folder_kib / 1024, 1)}
with open(sys.argv[1], "w", encoding="utf-8") as fh:
    json.dump(report, fh, indent=1)
PY
    wb_say "built $out/$APP_ID in $((built - started)) s, $((folder_kib / 1024)) MiB"
    exit 0
fi

rm -rf -- "$FOLDER" "$FOLDER.tar.gz"
mkdir -p "$DIST"
cp -a "$out/$APP_ID" "$FOLDER"
mkdir -p "$FOLDER/share/applications" "$FOLDER/share/icons/hicolor/scalable/apps"
install -m 0644 "packaging/$APP_ID.desktop" "$FOLDER/share/applications/$APP_ID.desktop"
install -m 0644 resources/icons/workbench.svg "$FOLDER/share/icons/hicolor/scalable/apps/$APP_ID.svg"
install -m 0644 packaging/README.md "$FOLDER/PACKAGING.md"
tar -C "$DIST" -czf "$FOLDER.tar.gz" "$NAME"

# Debian package: the folder under /opt, a command on PATH, the menu entry and icon.
command -v dpkg-deb >/dev/null 2>&1 || wb_apt_install "the Debian package needs dpkg-deb" dpkg
DEBARCH="$(dpkg --print-architecture 2>/dev/null || echo amd64)"
DEB="$DIST/${APP_ID}_${VERSION}_${DEBARCH}.deb"
stage="build/deb"
rm -rf -- "$stage"
mkdir -p "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin" "$stage/usr/share"
cp -a "$out/$APP_ID" "$stage/opt/$APP_ID"
ln -s "/opt/$APP_ID/workbench" "$stage/usr/bin/workbench"
cp -a "$FOLDER/share/." "$stage/usr/share/"
installed_kib=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
# Qt's xcb platform and fonts come from the system (scripts/qt_system_deps.sh lists the same)
sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$DEBARCH/" -e "s/@SIZE@/$installed_kib/" \
    packaging/debian/control.in >"$stage/DEBIAN/control"
install -m 0755 packaging/debian/postinst "$stage/DEBIAN/postinst"
install -m 0755 packaging/debian/postrm "$stage/DEBIAN/postrm"
chmod -R u=rwX,go=rX "$stage"
dpkg-deb --build --root-owner-group -Zgzip "$stage" "$DEB" >/dev/null
finished=$(date +%s)

folder_kib=$(du -sk "$FOLDER" | cut -f1)
"$WB_PY" - "$DIST/package-report.json" <<PY
import json, os, sys
report = {
    "name": "$NAME", "version": "$VERSION",
    "pyinstaller_seconds": $built - $started, "total_seconds": $finished - $started,
    "folder_mib": round($folder_kib / 1024, 1),
    "archive_mib": round(os.path.getsize("$FOLDER.tar.gz") / 2**20, 1),
    "deb_mib": round(os.path.getsize("$DEB") / 2**20, 1),
}
with open(sys.argv[1], "w", encoding="utf-8") as fh:
    json.dump(report, fh, indent=1)
print("workbench: built " + ", ".join(f"{k}={v}" for k, v in report.items()), file=sys.stderr)
PY
wb_say "folder: $FOLDER  archive: $FOLDER.tar.gz  package: $DEB"

if ((smoke)); then
    wb_ensure_qt_system_deps offscreen
    export QT_QPA_PLATFORM=offscreen
    WORKBENCH_BUILT="$PWD/$FOLDER" "$WB_PY" -m pytest tests/packaging -q
fi

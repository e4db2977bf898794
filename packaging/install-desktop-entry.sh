#!/usr/bin/env bash
# Install (or remove) the Safeguarding Workbench menu entry and icon for the current user.
#
#   packaging/install-desktop-entry.sh                  # entry runs this checkout's .venv/bin/workbench
#   packaging/install-desktop-entry.sh --exec workbench # entry runs `workbench` from PATH (e.g. pipx)
#   packaging/install-desktop-entry.sh --uninstall
#
# Writes $XDG_DATA_HOME (default ~/.local/share)/applications/safeguarding-workbench.desktop and
# .../icons/hicolor/scalable/apps/safeguarding-workbench.svg. No root needed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
APP_ID="safeguarding-workbench"
DATA_HOME="${XDG_DATA_HOME:-$HOME/.local/share}"
APPS_DIR="$DATA_HOME/applications"
ICON_THEME_DIR="$DATA_HOME/icons/hicolor"
DESKTOP_FILE="$APPS_DIR/$APP_ID.desktop"
ICON_FILE="$ICON_THEME_DIR/scalable/apps/$APP_ID.svg"

say() { printf 'workbench: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }
usage() { echo "usage: $0 [--exec COMMAND | --uninstall]" >&2; exit 2; }

refresh_caches() {
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q "$APPS_DIR" 2>/dev/null || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1 && [[ -f "$ICON_THEME_DIR/index.theme" ]]; then
        gtk-update-icon-cache -q -t "$ICON_THEME_DIR" 2>/dev/null || true
    fi
    touch "$ICON_THEME_DIR" 2>/dev/null || true   # tells icon caches the theme changed
}

exec_cmd=""
case "${1:-}" in
    "") ;;
    --uninstall)
        (($# == 1)) || usage
        rm -f -- "$DESKTOP_FILE" "$ICON_FILE"
        [[ -d "$APPS_DIR" ]] && refresh_caches
        say "removed $DESKTOP_FILE and $ICON_FILE"
        exit 0 ;;
    --exec)
        if (($# != 2)) || [[ -z "$2" ]]; then usage; fi
        exec_cmd="$2" ;;
    *) usage ;;
esac

if [[ -z "$exec_cmd" ]]; then
    # The entry points at this checkout's launcher, which bootstrap creates (pyproject's
    # [project.scripts] workbench = main:main).
    bash "$ROOT/scripts/bootstrap.sh"
    exec_cmd="$ROOT/.venv/bin/workbench"
    [[ -x "$exec_cmd" ]] || die "$exec_cmd was not created; check pyproject.toml's [project.scripts]"
fi

# Desktop Entry Exec quoting: a path with spaces goes in double quotes; refuse characters that
# would need further escaping rather than write an entry that silently breaks.
case "$exec_cmd" in
    *[\"\`\$\\%]*|*$'\n'*) die "unsupported character in the command path: $exec_cmd" ;;
esac
if [[ "$exec_cmd" == *" "* ]]; then
    exec_cmd="\"$exec_cmd\""
fi

mkdir -p "$APPS_DIR" "$(dirname "$ICON_FILE")"
install -m 0644 "$ROOT/resources/icons/workbench.svg" "$ICON_FILE"
tmpdir="$(mktemp -d)"
trap 'rm -rf "$tmpdir"' EXIT
tmp="$tmpdir/$APP_ID.desktop"
while IFS= read -r line || [[ -n "$line" ]]; do
    case "$line" in
        Exec=*) printf 'Exec=%s\n' "$exec_cmd" ;;
        *) printf '%s\n' "$line" ;;
    esac
done <"$ROOT/packaging/$APP_ID.desktop" >"$tmp"
if command -v desktop-file-validate >/dev/null 2>&1; then
    desktop-file-validate "$tmp" >&2 || die "the generated desktop entry does not validate"
fi
install -m 0644 "$tmp" "$DESKTOP_FILE"
refresh_caches
say "installed $DESKTOP_FILE (Exec=$exec_cmd) and $ICON_FILE"

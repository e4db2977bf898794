#!/usr/bin/env bash
# Find the system libraries PySide6's Qt needs on this machine and install the missing ones.
#
#   bash scripts/qt_system_deps.sh offscreen [--check]   # what tests need (QT_QPA_PLATFORM=offscreen)
#   bash scripts/qt_system_deps.sh xcb [--check]         # what a real X11 window needs
#   source scripts/qt_system_deps.sh; wb_ensure_qt_system_deps xcb   # used by run.sh / test.sh
#
# How: `ldd` on PySide6's Python modules and on the platform plugin, every "not found" soname
# mapped to its Debian package; for xcb also the libraries Qt's xcb plugin needs that ldd
# cannot see (loaded with dlopen) or that Qt's documentation lists. With root or passwordless
# sudo the packages are installed with apt-get; otherwise the exact apt-get line is printed and
# the script exits 1. --check only reports.
# Needs .venv (scripts/bootstrap.sh) because that is where PySide6 lives.
set -euo pipefail

# shellcheck source=scripts/bootstrap.sh
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"

# Libraries Qt's xcb platform plugin needs (Qt's "X11 requirements"); checked by soname.
WB_XCB_SONAMES=(
    libxcb-cursor.so.0 libxcb-icccm.so.4 libxcb-image.so.0 libxcb-keysyms.so.1
    libxcb-render-util.so.0 libxcb-xkb.so.1 libxcb-shape.so.0 libxcb-randr.so.0
    libxkbcommon-x11.so.0
)

# Read `ldd` output on stdin; print each soname reported "not found", once, in order.
wb_ldd_not_found() {
    awk '$2 == "=>" && $3 == "not" && $4 == "found" && !seen[$1]++ { print $1 }'
}

# Print the Debian/Ubuntu package that ships SONAME.
wb_soname_to_deb() {
    local so="$1" base ver
    case "$so" in
        libc.so.*|libm.so.*|libdl.so.*|libpthread.so.*|librt.so.*|libresolv.so.*|libutil.so.*|libanl.so.*) echo libc6; return ;;
        libglib-2.0.so.*|libgobject-2.0.so.*|libgio-2.0.so.*|libgmodule-2.0.so.*|libgthread-2.0.so.*)
            echo libglib2.0-0; return ;;
        libz.so.*) echo zlib1g; return ;;
        libGLdispatch.so.*) echo libglvnd0; return ;;
        libharfbuzz.so.*) echo libharfbuzz0b; return ;;
        libbrotlidec.so.*|libbrotlicommon.so.*|libbrotlienc.so.*) echo libbrotli1; return ;;
        libX11-xcb.so.*) echo libx11-xcb1; return ;;
        libxkbcommon-x11.so.*) echo libxkbcommon-x11-0; return ;;
    esac
    # Debian library packaging policy: libNAME.so.N -> libNAMEN, or libNAME-N when NAME ends in
    # a digit; lower case; "_" becomes "-" (libgcc_s.so.1 -> libgcc-s1, libX11.so.6 -> libx11-6).
    base="${so%%.so*}"
    ver="${so#*.so.}"
    [[ "$ver" == "$so" ]] && ver=""
    ver="${ver%%.*}"
    base="$(printf '%s' "$base" | tr 'A-Z_' 'a-z-')"
    if [[ -z "$ver" ]]; then
        echo "$base"
    elif [[ "$base" =~ [0-9]$ ]]; then
        echo "$base-$ver"
    else
        echo "$base$ver"
    fi
}

# Print where PySide6 is installed in .venv (without importing it: that may need the libraries).
wb_pyside_dir() {
    "$WB_PY" -c 'import importlib.util as u, sys
s = u.find_spec("PySide6")
sys.exit(1) if s is None else print(s.submodule_search_locations[0])'
}

# Print the shared objects whose dependencies matter for PLATFORM (offscreen, xcb, wayland, ...).
wb_qt_binaries() {
    local platform="$1" dir f
    dir="$(wb_pyside_dir)" || wb_die "PySide6 is not installed in .venv; run scripts/bootstrap.sh"
    for f in QtCore QtGui QtWidgets QtSvg QtSvgWidgets QtPrintSupport QtNetwork QtTest; do
        compgen -G "$dir/$f.*so" || true
    done
    for f in "platforms/libq$platform.so" imageformats/libqsvg.so iconengines/libqsvgicon.so; do
        [[ -f "$dir/Qt/plugins/$f" ]] && echo "$dir/Qt/plugins/$f"
    done
    if [[ "$platform" == xcb ]]; then
        compgen -G "$dir/Qt/plugins/xcbglintegrations/*.so" || true
    fi
}

wb_ldconfig() {
    local c
    for c in ldconfig /sbin/ldconfig /usr/sbin/ldconfig; do
        if command -v "$c" >/dev/null 2>&1; then "$c" -p; return; fi
    done
}

# True when no font file is installed (Qt then warns at start, and tests fail on warnings).
wb_no_fonts() {
    local d
    for d in /usr/share/fonts /usr/local/share/fonts "$HOME/.local/share/fonts" "$HOME/.fonts"; do
        [[ -d "$d" ]] || continue
        if find "$d" -type f \( -iname '*.ttf' -o -iname '*.otf' -o -iname '*.ttc' -o -iname '*.pfb' \) \
            -print -quit 2>/dev/null | grep -q .; then
            return 1
        fi
    done
    return 0
}

# Print the sonames missing for PLATFORM, one per line.
wb_qt_missing_sonames() {
    local platform="$1" bin cache so
    {
        if command -v ldd >/dev/null 2>&1; then
            while IFS= read -r bin; do
                ldd "$bin" 2>/dev/null || true
            done < <(wb_qt_binaries "$platform") | wb_ldd_not_found
        fi
        if [[ "$platform" == xcb ]]; then
            # ldconfig -p lines look like "<TAB>libxcb-icccm.so.4 (libc6,x86-64) => /lib/...".
            cache="$(wb_ldconfig 2>/dev/null | awk 'NR > 1 { print $1 }' || true)"
            if [[ -n "$cache" ]]; then
                for so in "${WB_XCB_SONAMES[@]}"; do
                    grep -qxF "$so" <<<"$cache" || echo "$so"
                done
            fi
        fi
    } | awk '!seen[$0]++'
}

# Print the Debian packages missing for PLATFORM, one per line.
wb_qt_missing_packages() {
    local platform="$1" so
    {
        while IFS= read -r so; do
            wb_soname_to_deb "$so"
        done < <(wb_qt_missing_sonames "$platform")
        if wb_no_fonts; then echo fonts-dejavu-core; fi
    } | awk '!seen[$0]++'
}

# wb_ensure_qt_system_deps PLATFORM [--check]
wb_ensure_qt_system_deps() {
    local platform="$1" check="${2:-}" pkgs left
    mapfile -t pkgs < <(wb_qt_missing_packages "$platform")
    ((${#pkgs[@]})) || return 0
    if [[ "$check" == --check ]]; then
        wb_die "Qt ($platform) is missing system packages: ${pkgs[*]}; install with: sudo apt-get install -y ${pkgs[*]}"
    fi
    wb_apt_install "Qt ($platform) needs system libraries" "${pkgs[@]}"
    left="$(wb_qt_missing_sonames "$platform" | tr '\n' ' ')"
    [[ -z "${left// /}" ]] || wb_die "still missing after installing ${pkgs[*]}: $left"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    case "${1:-}" in
        offscreen|xcb|wayland|minimal|vnc|eglfs|linuxfb) ;;
        *) echo "usage: $0 offscreen|xcb|wayland [--check]" >&2; exit 2 ;;
    esac
    case "${2:-}" in ""|--check) ;; *) echo "usage: $0 offscreen|xcb|wayland [--check]" >&2; exit 2 ;; esac
    wb_bootstrap
    wb_ensure_qt_system_deps "$@"
fi

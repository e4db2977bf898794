#!/usr/bin/env bash
# Create or reuse .venv in the repository root and install exactly what requirements.lock pins,
# then the project itself (editable, no dependencies).
#
#   bash scripts/bootstrap.sh          # run it on its own
#   source scripts/bootstrap.sh; wb_bootstrap   # what run.sh, test.sh and bench.sh do
#
# Quiet and quick when nothing changed: a hash of requirements.lock, pyproject.toml, the
# interpreter and the project's top-level modules is kept in .venv/.workbench-installed and the
# pip step is skipped while it matches. Output of pip goes to .venv/workbench-install.log and is
# shown only when something fails.
#
# Environment: WORKBENCH_PYTHON=/path/to/python3.X picks the interpreter used to create .venv
# (default: the first of python3, python3.13, python3.12, python3.11 that is 3.11 or newer).
set -euo pipefail

WB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
WB_VENV="$WB_ROOT/.venv"
WB_PY="$WB_VENV/bin/python"
# Bump when the install steps below change, so existing venvs are refreshed once.
WB_BOOTSTRAP_REV=1
WB_MIN_PY="3.11"

wb_say() { printf 'workbench: %s\n' "$*" >&2; }
wb_die() { wb_say "$*"; exit 1; }

# Sets WB_SUDO to "" (root), "sudo -n" (passwordless sudo), or returns 1 (no way to install).
wb_can_admin() {
    if [[ "$(id -u)" == 0 ]]; then
        WB_SUDO=""
    elif command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
        WB_SUDO="sudo -n"
    else
        return 1
    fi
    command -v apt-get >/dev/null 2>&1
}

# wb_apt_install WHY PKG...: install Debian packages non-interactively when root or passwordless
# sudo is available; otherwise print the exact command to run and exit 1.
wb_apt_install() {
    local why="$1"; shift
    (($#)) || return 0
    if ! command -v apt-get >/dev/null 2>&1; then
        wb_die "$why: missing $*; this is not a Debian/Ubuntu system, install the equivalent packages and retry"
    fi
    if ! wb_can_admin; then
        wb_die "$why; run: sudo apt-get install -y $*"
    fi
    wb_say "$why: installing $* with apt-get"
    local log
    log="$(mktemp "${TMPDIR:-/tmp}/workbench-apt.XXXXXX")"
    # shellcheck disable=SC2086  # WB_SUDO is "" or "sudo -n" on purpose
    if ! $WB_SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq -o DPkg::Lock::Timeout=300 </dev/null >"$log" 2>&1 \
        || ! $WB_SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=300 \
            -o Dpkg::Use-Pty=0 "$@" </dev/null >>"$log" 2>&1; then
        tail -n 25 "$log" >&2
        rm -f "$log"
        wb_die "apt-get failed installing: $*"
    fi
    rm -f "$log"
}

# Prints the interpreter to build .venv with: $WORKBENCH_PYTHON or the first suitable python3.
wb_find_python() {
    local cand
    for cand in ${WORKBENCH_PYTHON:-} python3 python3.13 python3.12 python3.11; do
        command -v "$cand" >/dev/null 2>&1 || continue
        if "$cand" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; then
            command -v "$cand"
            return 0
        fi
    done
    return 1
}

# Make sure PY can create a venv with pip (Debian ships ensurepip separately, in python3.X-venv).
wb_ensure_venv_module() {
    local py="$1" ver real pkg
    "$py" -c 'import ensurepip, venv' >/dev/null 2>&1 && return 0
    ver="$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
    real="$(readlink -f "$(command -v "$py")")"
    case "$real" in
        /usr/bin/*) ;;
        *) wb_die "$py ($real) cannot create virtual environments (no ensurepip); use a Python $ver with venv support, e.g. WORKBENCH_PYTHON=/usr/bin/python3 scripts/bootstrap.sh" ;;
    esac
    # python3.X-venv matches the interpreter exactly; python3-venv only covers Debian's default.
    pkg="python$ver-venv"
    if command -v apt-cache >/dev/null 2>&1 && ! apt-cache show "$pkg" >/dev/null 2>&1 \
        && apt-cache show python3-venv >/dev/null 2>&1; then
        pkg="python3-venv"
    fi
    wb_apt_install "Python $ver has no venv/ensurepip support" "$pkg"
    "$py" -c 'import ensurepip, venv' >/dev/null 2>&1 \
        || wb_die "installed $pkg but $py still cannot import ensurepip"
}

# The inputs that decide what is installed; the pip step runs again when any of them changes.
wb_install_hash() {
    {
        echo "rev=$WB_BOOTSTRAP_REV"
        "$WB_PY" -c 'import sys; print(sys.version)'
        cat "$WB_ROOT/requirements.lock" "$WB_ROOT/pyproject.toml"
        # The editable install maps top-level modules and packages; a new one needs a reinstall.
        (cd "$WB_ROOT" && { ls -d -- *.py */__init__.py 2>/dev/null || true; })
    } | if command -v sha256sum >/dev/null 2>&1; then sha256sum; else cksum; fi | cut -d' ' -f1
}

# Fails loudly when pyproject.toml pins something the lock does not pin identically.
wb_check_lock_matches_pyproject() {
    "$WB_PY" - "$WB_ROOT/pyproject.toml" "$WB_ROOT/requirements.lock" <<'PY'
import re, sys, tomllib

def norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()

with open(sys.argv[1], "rb") as fh:
    project = tomllib.load(fh)
lock = {}
with open(sys.argv[2], encoding="utf-8") as fh:
    for line in fh:
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        # an environment marker may follow (`; sys_platform == "win32"`): pip honours it
        m = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([^\s;]+)\s*(?:;\s*\S.*)?", line)
        if not m:
            sys.exit(f"workbench: requirements.lock: not an exact pin: {line!r}")
        lock[norm(m.group(1))] = m.group(2)
wanted = list(project["project"].get("dependencies", []))
for extra in project["project"].get("optional-dependencies", {}).values():
    wanted += extra
wanted += project.get("build-system", {}).get("requires", [])
problems = []
for req in wanted:
    m = re.fullmatch(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*==\s*([^\s;,]+)\s*", req)
    if not m:
        problems.append(f"pyproject.toml pin is not exact: {req!r}")
        continue
    name, version = norm(m.group(1)), m.group(2)
    if lock.get(name) != version:
        problems.append(f"{m.group(1)}=={version} in pyproject.toml, {lock.get(name, 'absent')} in requirements.lock")
if problems:
    sys.exit("workbench: requirements.lock is out of date: " + "; ".join(problems))
PY
}

wb_create_venv() {
    local py
    py="$(wb_find_python)" || wb_die "Python $WB_MIN_PY or newer is needed (none of python3, python3.13, python3.12, python3.11 on PATH is); install it, or set WORKBENCH_PYTHON"
    wb_ensure_venv_module "$py"
    wb_say "creating .venv with $("$py" -c 'import sys; print("Python %d.%d.%d" % sys.version_info[:3])')"
    local out
    if ! out="$("$py" -m venv --clear "$WB_VENV" 2>&1)"; then
        printf '%s\n' "$out" >&2
        wb_die "could not create $WB_VENV"
    fi
}

wb_bootstrap() {
    [[ -f "$WB_ROOT/requirements.lock" ]] || wb_die "requirements.lock is missing in $WB_ROOT"

    # One bootstrap at a time per checkout (run.sh and test.sh may start together).
    if command -v flock >/dev/null 2>&1; then
        local lockfile
        lockfile="${TMPDIR:-/tmp}/workbench-bootstrap-$(printf '%s' "$WB_ROOT" | cksum | cut -d' ' -f1).lock"
        exec 8>>"$lockfile"
        flock 8
    fi

    # Reuse .venv only if its interpreter runs, is new enough and has pip.
    local fresh=0
    if ! "$WB_PY" -c 'import sys, pip; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; then
        [[ -e "$WB_VENV" ]] && wb_say "existing .venv is unusable; recreating it"
        wb_create_venv
        fresh=1
    fi

    local stamp="$WB_VENV/.workbench-installed" want have=""
    want="$(wb_install_hash)"
    [[ -f "$stamp" ]] && have="$(cat "$stamp")"
    if [[ "$want" != "$have" ]]; then
        wb_check_lock_matches_pyproject || exit 1
        local log="$WB_VENV/workbench-install.log"
        local pip=("$WB_PY" -m pip --disable-pip-version-check --no-input)
        if ((fresh)); then
            wb_say "installing locked dependencies into .venv (takes a few minutes the first time)"
        else
            wb_say "updating .venv (requirements.lock, pyproject.toml or the interpreter changed)"
        fi
        rm -f "$stamp"
        if ! "${pip[@]}" install -q -r "$WB_ROOT/requirements.lock" >"$log" 2>&1; then
            tail -n 30 "$log" >&2
            wb_die "pip could not install requirements.lock (full log: $log)"
        fi
        # --no-build-isolation: build with the locked setuptools already in .venv (no extra download).
        if ! "${pip[@]}" install -q --no-deps --no-build-isolation -e "$WB_ROOT" >>"$log" 2>&1; then
            tail -n 30 "$log" >&2
            wb_die "pip could not install the project in editable mode (full log: $log)"
        fi
        if ! "${pip[@]}" check >>"$log" 2>&1; then
            tail -n 30 "$log" >&2
            wb_die "installed packages have inconsistent dependencies; requirements.lock needs fixing (full log: $log)"
        fi
        printf '%s\n' "$want" >"$stamp"
    fi

    # Release the lock: callers go on to exec long-running programs (the GUI, pytest).
    if command -v flock >/dev/null 2>&1; then
        flock -u 8
        exec 8>&-
    fi
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    wb_bootstrap "$@"
fi

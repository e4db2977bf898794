"""Smoke test of the built application (issue 14), run from the built folder alone.

Part of the default test run (scripts/test.sh, so CI): the module builds the program once with
`scripts/package.sh --folder-only` into a temporary folder (two or three minutes; removed
afterwards), unless WORKBENCH_BUILT names a built folder to test instead:

    WORKBENCH_BUILT=dist/safeguarding-workbench-VERSION-linux-ARCH scripts/test.sh tests/packaging
    scripts/package.sh --smoke                  # the release build, then this test on it
    scripts/test.sh -m "not packaging"          # everything else, while iterating

Each command runs the built `workbench` with a working directory outside the
checkout and no PYTHONPATH, so nothing can come from the source tree.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.demo import DEMO_PASSPHRASE
from app.version import __version__
from tests.helpers.processes import clean_env, run_program

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "correct horse battery staple"

pytestmark = [pytest.mark.packaging, pytest.mark.timeout(1800)]  # the build: minutes on a busy machine


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    given = os.environ.get("WORKBENCH_BUILT")
    if given:
        folder = Path(given).resolve()
        assert (folder / "workbench").is_file(), f"WORKBENCH_BUILT={given} holds no built program"
        yield folder
        return
    out = tmp_path_factory.mktemp("built")
    env = {**os.environ, "WORKBENCH_PACKAGE_NO_BOOTSTRAP": "1"}  # the test run's .venv is set up already
    started = time.monotonic()
    result = run_program(["bash", "scripts/package.sh", "--folder-only", str(out)], cwd=ROOT, timeout=1700, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    print(f"built in {time.monotonic() - started:.0f} s: {result.stderr.strip().splitlines()[-1]}")
    folder = out / "safeguarding-workbench"
    assert (folder / "workbench").is_file()
    yield folder
    shutil.rmtree(out, ignore_errors=True)  # a quarter of a gigabyte


def run(
    built: Path, cwd: Path, *args: str, passphrase: str | None = PASSPHRASE, extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = clean_env(
        passphrase,
        drop=("WORKBENCH_", "PYTHON"),
        QT_QPA_PLATFORM="offscreen",
        HOME=str(cwd / "home"),
        XDG_CONFIG_HOME=str(cwd / "home" / ".config"),
        **(extra or {}),
    )
    return run_program([str(built / "workbench"), *args], cwd=cwd, timeout=300, env=env)


def test_version_demo_info_exports_and_check_run_from_the_built_folder(built: Path, tmp_path: Path) -> None:
    version = run(built, tmp_path, "--version")
    assert version.returncode == 0, version.stderr
    assert version.stdout.startswith(f"Safeguarding Workbench {__version__}\nschema version ")
    assert "SQLCipher 4." in version.stdout and "Qt 6." in version.stdout and "Python 3." in version.stdout

    demo = run(built, tmp_path, "demo", "demo-ws", passphrase=None)
    assert demo.returncode == 0, demo.stderr
    info = run(built, tmp_path, "info", "demo-ws", passphrase=DEMO_PASSPHRASE)
    assert info.returncode == 0 and "Sam Okafor" in info.stdout, info.stderr
    # the office libraries, imported only inside functions: what the analysis cannot see
    docx = run(
        built,
        tmp_path,
        *("chronology", "export", "demo-ws", "--review", "LCSPR-2024-01", "--format", "docx", "--out", "c.docx"),
        passphrase=DEMO_PASSPHRASE,
    )
    assert docx.returncode == 0, docx.stderr
    assert (tmp_path / "c.docx").read_bytes()[:2] == b"PK"
    meetings = run(built, tmp_path, "meeting", "list", "--json", "demo-ws", passphrase=DEMO_PASSPHRASE)
    assert meetings.returncode == 0, meetings.stderr
    issued = next(m["reference"] for m in json.loads(meetings.stdout) if m["status"] == "pack_issued")
    pack = run(
        built, tmp_path, "pack", "build", "demo-ws", "--meeting", issued, "--out", "p.pdf", passphrase=DEMO_PASSPHRASE
    )  # reportlab draws, pikepdf assembles
    assert pack.returncode == 0, pack.stderr
    assert (tmp_path / "p.pdf").read_bytes()[:5] == b"%PDF-"

    init = run(
        built,
        tmp_path,
        "init",
        "new-ws",
        "--name",
        "Jo Coordinator",
        "--agency",
        "Northbridge SCP",
        "--role",
        "Business coordinator",
    )
    assert init.returncode == 0, init.stderr
    check = run(built, tmp_path, "check", "new-ws")
    assert check.returncode == 0 and "ok" in check.stdout, check.stderr
    assert oct((tmp_path / "new-ws").stat().st_mode & 0o777) == "0o700"


def test_the_window_shows_offscreen_unlocks_and_closes(built: Path, tmp_path: Path) -> None:
    assert (
        run(built, tmp_path, "init", "ws", "--name", "Jo", "--agency", "Northbridge SCP", "--role", "Chair").returncode
        == 0
    )
    report_file = tmp_path / "probe.json"
    shown = run(built, tmp_path, "--workspace", "ws", extra={"WORKBENCH_STARTUP_PROBE": str(report_file)})
    assert shown.returncode == 0, shown.stderr
    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert report["heavy_loaded"] == []
    assert report["first_page"].startswith("area-")
    assert "Traceback" not in shown.stderr and "warm-up stopped early" not in shown.stderr

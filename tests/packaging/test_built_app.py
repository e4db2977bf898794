"""Smoke test of the built application (issue 14), run from the built folder alone.

Opt-in, because building takes minutes:

    scripts/package.sh --smoke                  # build, then this test on the fresh build
    scripts/test.sh -m packaging                # this test; builds first unless WORKBENCH_BUILT
                                                # names an existing built folder

Each command runs the built `workbench` with a working directory outside the
checkout and no PYTHONPATH, so nothing can come from the source tree.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from app.demo import DEMO_PASSPHRASE
from app.version import __version__

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "correct horse battery staple"

pytestmark = [pytest.mark.packaging, pytest.mark.timeout(3600)]  # the build takes minutes


@pytest.fixture(scope="module")
def built() -> Path:
    given = os.environ.get("WORKBENCH_BUILT")
    if given:
        folder = Path(given)
    else:
        env = {**os.environ, "WORKBENCH_PACKAGE_NO_BOOTSTRAP": "1"}  # test.sh set .venv up already
        result = subprocess.run(
            ["bash", "scripts/package.sh"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=3600,
            stdin=subprocess.DEVNULL,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        folder = next((ROOT / "dist").glob(f"safeguarding-workbench-{__version__}-linux-*/"))
    assert (folder / "workbench").is_file()
    return folder


def run(
    built: Path, cwd: Path, *args: str, passphrase: str | None = PASSPHRASE, extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WORKBENCH_", "PYTHON"))}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        WORKBENCH_KDF_ITERATIONS="1",
        HOME=str(cwd / "home"),
        XDG_CONFIG_HOME=str(cwd / "home" / ".config"),
    )
    if passphrase is not None:
        env["WORKBENCH_PASSPHRASE"] = passphrase
    env.update(extra or {})
    return subprocess.run(
        [str(built / "workbench"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )


def test_version_demo_info_and_check_run_from_the_built_folder(built: Path, tmp_path: Path) -> None:
    version = run(built, tmp_path, "--version")
    assert version.returncode == 0, version.stderr
    assert version.stdout.startswith(f"Safeguarding Workbench {__version__}\nschema version ")
    assert "SQLCipher 4." in version.stdout and "Qt 6." in version.stdout and "Python 3." in version.stdout

    demo = run(built, tmp_path, "demo", "demo-ws", passphrase=None)
    assert demo.returncode == 0, demo.stderr
    info = run(built, tmp_path, "info", "demo-ws", passphrase=DEMO_PASSPHRASE)
    assert info.returncode == 0 and "Sam Okafor" in info.stdout, info.stderr

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
    assert "Traceback" not in shown.stderr

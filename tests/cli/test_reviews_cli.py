"""End to end: review and chronology commands through main.py on a real encrypted workspace."""
from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PASS = "correct horse battery staple"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WORKBENCH_PASSPHRASE": PASS, "WORKBENCH_KDF_ITERATIONS": "1", "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "main.py", *args], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.cli
def test_review_add_import_list_export(tmp_path):
    ws = str(tmp_path / "ws")
    assert run("init", ws, "--name", "Alex", "--agency", "Independent", "--role", "Lead reviewer").returncode == 0
    # agencies come from the foundation's commands when present; the demo module adds them otherwise
    from app.agencies import add_agency  # noqa: PLC0415
    from app.workspace import Workspace  # noqa: PLC0415
    os.environ["WORKBENCH_KDF_ITERATIONS"] = "1"
    workspace = Workspace.open(Path(ws), PASS, backup_on_unlock=False)
    with workspace.unit_of_work() as uow:
        add_agency(uow, "Health Visiting", "HV")
        add_agency(uow, "Northbridge Police", "Police")
    workspace.lock()

    added = run("review", "add", ws, "--kind", "lcspr", "--title", "Learning from Child A", "--subject", "Child A",
                "--dob", "10/03/2015", "--scope-from", "01/01/2015", "--scope-to", "31/12/2017",
                "--notified", "02/02/2026")
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "LCSPR-2026-01"
    bad = run("review", "add", ws, "--kind", "lcspr", "--title", "x", "--subject", "y", "--dob", "05/22/2016")
    assert bad.returncode == 2 and "month 22 does not exist" in bad.stderr

    listing = json.loads(run("review", "list", ws, "--json").stdout)
    assert [r["reference"] for r in listing] == ["LCSPR-2026-01"] and listing[0]["clocks"]

    source = tmp_path / "hv.csv"
    with source.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Date of contact", "Who", "Details of event", "Outcome / action taken"])
        writer.writerow(["22/05/2016", "HV1", "Home visit", "Advice"])
        writer.writerow(["May 2016?", "HV1", "Phone call", ""])
        writer.writerow(["31/02/2016", "HV1", "Impossible date", ""])
    failed = run("chronology", "import", ws, "--review", "LCSPR-2026-01", "--agency", "HV", str(source),
                 "--map", "Who=source")
    assert failed.returncode == 1
    assert "Row 4, Start date" in failed.stdout and "nothing was imported" in failed.stderr
    assert json.loads(run("chronology", "list", ws, "--review", "LCSPR-2026-01", "--json").stdout) == []

    dry = run("chronology", "import", ws, "--review", "LCSPR-2026-01", "--agency", "HV", str(source),
              "--map", "Who=source", "--skip-invalid", "--dry-run")
    assert dry.returncode == 0 and "nothing was written" in dry.stdout
    done = run("chronology", "import", ws, "--review", "LCSPR-2026-01", "--agency", "HV", str(source),
               "--map", "Who=source", "--skip-invalid")
    assert done.returncode == 0, done.stderr
    assert "Imported 2 entries" in done.stdout and "skipped 1 invalid row" in done.stdout

    entries = json.loads(run("chronology", "list", ws, "--review", "LCSPR-2026-01", "--agency", "HV", "--json").stdout)
    assert [(e["date_display"], e["event"], e["uncertain"]) for e in entries] == [
        ("c. May 2016", "Phone call", True), ("22/05/2016", "Home visit", False)]
    assert entries[1]["age"] == "1y 2m"

    for fmt in ("csv", "xlsx", "docx", "pdf"):
        out = tmp_path / f"chronology.{fmt}"
        result = run("chronology", "export", ws, "--review", "LCSPR-2026-01", "--format", fmt, "--out", str(out),
                     "--anonymised")
        assert result.returncode == 0, result.stderr
        assert out.stat().st_size > 100
    assert "Home visit" in (tmp_path / "chronology.csv").read_text(encoding="utf-8-sig")
    unknown = run("chronology", "list", ws, "--review", "SCR-9")
    assert unknown.returncode == 1 and "Known reviews: LCSPR-2026-01" in unknown.stderr

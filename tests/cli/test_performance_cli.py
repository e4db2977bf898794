"""`workbench data ...` end to end, in subprocesses on a real encrypted workspace."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.performance.catalogue import install_starter
from app.performance.periods import Period
from db.models.performance import Comparator, FigureValue
from tests.helpers.cli import made_workspace, ok, row_count, run

pytestmark = pytest.mark.cli


@pytest.fixture
def ws_path(tmp_path: Path) -> Path:
    agencies = [("Children's Social Care", "CSC"), ("Police", "Police")]
    return made_workspace(tmp_path / "ws", agencies, name="Sam", role="Coordinator", then=install_starter)


def figures(path: Path) -> int:
    return row_count(path, FigureValue)


def test_template_import_exceptions_and_report(ws_path: Path, tmp_path: Path) -> None:
    listed = run("data", "indicator", "list", str(ws_path), "--json")
    assert listed.returncode == 0 and len(json.loads(listed.stdout)) == 21
    template = tmp_path / "police.xlsx"
    made = run("data", "template", str(ws_path), "--agency", "Police", "--period", "2026 Q2", "--out", str(template))
    assert made.returncode == 0, made.stderr
    book = load_workbook(io.BytesIO(template.read_bytes()))
    sheet = book["Return"]
    header_row = next(r for r in range(1, 12) if sheet.cell(r, 1).value == "Code")
    value_column = next(c for c in range(1, 12) if sheet.cell(header_row, c).value == "Value")
    codes = [sheet.cell(r, 1).value for r in range(header_row + 1, sheet.max_row + 1)]
    assert "MISS-EPIS" in codes and "REF-RATE" not in codes  # the Police's own and every agency's indicators
    sheet.cell(header_row + 1 + codes.index("MISS-EPIS"), value_column).value = 140
    sheet.cell(header_row + 1 + codes.index("DA-NOTIF"), value_column).value = "about 300"
    book.save(template)
    bad = run("data", "import", str(ws_path), str(template))
    assert bad.returncode == 1
    assert (
        bad.stderr.strip().count("\n") == 0 and "column 'Value'" in bad.stderr and "'about 300' is text" in bad.stderr
    )
    assert figures(ws_path) == 0
    sheet.cell(header_row + 1 + codes.index("DA-NOTIF"), value_column).value = 300
    book.save(template)
    dry = run("data", "import", str(ws_path), str(template), "--dry-run")
    assert dry.returncode == 0 and "new: 2" in dry.stdout
    assert "Dry run: 2 figures would be imported (2 new, 0 changed); nothing was written." in dry.stdout
    assert figures(ws_path) == 0
    done = run("data", "import", str(ws_path), str(template))
    assert done.returncode == 0, done.stderr
    assert figures(ws_path) == 2
    exceptions = run("data", "exceptions", str(ws_path), "--period", "2026Q2", "--json")
    payload = json.loads(exceptions.stdout)
    assert {e["agency"] for e in payload["exceptions"] if e["kind"] == "missing_return"} == {"CSC"}
    assert {m["agency"] for m in payload["missing_returns"]} >= {"CSC", "Police"}
    # in words each incomplete return is named once: CSC sent nothing (an exception), the Police sent 2
    text = run("data", "exceptions", str(ws_path), "--period", "2026Q2")
    assert text.returncode == 0, text.stderr
    csc = [line for line in text.stdout.splitlines() if "\tCSC\t" in line and "eturn" in line]
    assert len(csc) == 1 and csc[0].startswith("Missing return\treturn\tCSC\t"), text.stdout
    police = [line for line in text.stdout.splitlines() if line.startswith("Return incomplete\tPolice\t2 of ")]
    assert len(police) == 1, text.stdout
    # a quarter that has not started has no returns to miss: refused as imports refuse it
    for args in (("--period", "2099Q1"), ("--period", "2099Q1", "--json")):
        future = run("data", "exceptions", str(ws_path), *args)
        assert future.returncode == 1 and future.stdout == "", future.stdout
        now = Period.containing(date.today())
        lines = future.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].endswith(
            f"2099Q1 (Jan-Mar 2099) has not started yet; the latest quarter is {now} ({now.label})."
        ), future.stderr
    for fmt in ("xlsx", "pdf"):
        out = tmp_path / f"report.{fmt}"
        report = run("data", "report", str(ws_path), "--period", "2026Q2", "--format", fmt, "--out", str(out))
        assert report.returncode == 0, report.stderr
        assert out.stat().st_size > 1000
    again = run(
        "data", "report", str(ws_path), "--period", "2026Q2", "--format", "pdf", "--out", str(tmp_path / "report.pdf")
    )
    assert again.returncode == 1 and "already exists" in again.stderr


def test_comparators_and_catalogue_commands(ws_path: Path, tmp_path: Path) -> None:
    csv = tmp_path / "comparators.csv"
    csv.write_text(
        "Code,Period,Comparator,Value,Source,Date\n"
        "REF-REPEAT,2026Q2,Statistical neighbours,18.5,DfE CIN census,01/11/2026\n"
        "REF-REPEAT,2026Q2,England,21.0,DfE CIN census,01/11/2026\n",
        encoding="utf-8",
    )
    done = run("data", "comparators", "import", str(ws_path), str(csv))
    assert done.returncode == 0, done.stderr
    assert row_count(ws_path, Comparator) == 2
    csv.write_text("Code,Period,Comparator,Value,Source,Date\nREF-REPEAT,2026Q2,Mars,1,x,\n", encoding="utf-8")
    bad = run("data", "comparators", "import", str(ws_path), str(csv))
    assert bad.returncode == 1 and "row 2, column 'Comparator'" in bad.stderr
    out = tmp_path / "catalogue.xlsx"
    assert run("data", "indicator", "export", str(ws_path), "--out", str(out)).returncode == 0
    imported = run("data", "indicator", "import", str(ws_path), str(out), "--dry-run")
    assert imported.returncode == 0 and "indicators to check for edits: 21" in imported.stdout
    missing = run("data", "import", str(ws_path), str(tmp_path / "nope.csv"))
    assert missing.returncode == 1 and missing.stderr.startswith("workbench: Cannot read")
    period = run("data", "exceptions", str(ws_path), "--period", "2026Q5")
    assert period.returncode == 1 and "is not a quarter" in period.stderr


def test_annotations_are_added_listed_and_removed(ws_path: Path) -> None:
    def out(*args: str) -> str:
        result = run("data", "annotation", *args)
        assert result.returncode == 0, result.stderr
        return result.stdout

    assert "Annotated MISS-EPIS at 2026Q2: New recording system" in out(
        "add", str(ws_path), "--indicator", "MISS-EPIS", "--period", "2026 Q2", "--text", "New recording system"
    )
    assert json.loads(out("list", str(ws_path), "--json")) == [
        {"indicator": "MISS-EPIS", "period": "2026Q2", "text": "New recording system"}
    ]
    refused = run("data", "annotation", "add", str(ws_path), "--indicator", "NOPE", "--period", "2026Q2", "--text", "x")
    assert refused.returncode == 1 and len(refused.stderr.strip().splitlines()) == 1
    assert "Unknown indicator 'NOPE'" in refused.stderr
    out("remove", str(ws_path), "--indicator", "MISS-EPIS", "--period", "2026Q2", "--text", "new rec")
    assert "No annotations." in out("list", str(ws_path))


def test_a_new_workspace_gets_the_starter_catalogue_once(tmp_path: Path) -> None:
    """`workbench init` makes an empty catalogue; `data indicator starter` fills it, and a second run adds nothing."""
    path = str(tmp_path / "fresh")
    ok("init", path, "--name", "Ann", "--agency", "CSC", "--role", "Chair")
    assert json.loads(ok("data", "indicator", "list", path, "--json")) == []
    assert ok("data", "indicator", "starter", path).strip() == "Added 21 starter indicators."
    again = ok("data", "indicator", "starter", path)
    assert again.strip() == "All 21 starter indicators are in the catalogue already; nothing was added."
    listed = json.loads(ok("data", "indicator", "list", path, "--json"))
    codes = [row["code"] for row in listed]
    assert len(codes) == 21 == len(set(codes)) and "ED-SELFHARM" in codes
    assert {row["owner"] for row in listed} == {"every agency"}  # no agency of the starter's owner names here yet


def test_the_current_quarters_returns_are_not_yet_due_and_their_due_date_is_a_setting(ws_path: Path) -> None:
    """Before the due date no return is missing: `data exceptions` says when they are due, not "No exceptions"
    alone; `data settings --returns-due` changes the date and the other settings keep it."""
    now = Period.containing(date.today())
    text = run("data", "exceptions", str(ws_path), "--period", str(now))
    assert text.returncode == 0, text.stderr
    assert f"Returns for {now} are due by " in text.stdout and "0 of 2 agencies have sent figures." in text.stdout
    payload = json.loads(run("data", "exceptions", str(ws_path), "--period", str(now), "--json").stdout)
    assert payload["returns_overdue"] is False and payload["missing_returns"] == []
    assert date.fromisoformat(payload["returns_due"]) == now.returns_due(30)
    changed = run("data", "settings", str(ws_path), "--returns-due", "45")
    assert changed.returncode == 0 and "Returns due: 45 days after the quarter ends" in changed.stdout
    kept = run("data", "settings", str(ws_path), "--small-number", "10")
    assert "Small-number threshold: 10" in kept.stdout and "Returns due: 45 days" in kept.stdout, kept.stdout
    refused = run("data", "settings", str(ws_path), "--returns-due", "400")
    assert refused.returncode == 1 and "from 0 to 366 days after the quarter ends" in refused.stderr
    assert "Returns due: 45 days" in ok("data", "settings", str(ws_path))

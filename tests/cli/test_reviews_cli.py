"""End to end: review and chronology commands through main.py on a real encrypted workspace."""

from __future__ import annotations

import csv
import json

import pytest

from app.chronology.fields import parse_override
from tests.helpers.cli import ok, reviewer_workspace, run


@pytest.mark.cli
def test_review_add_import_list_export(tmp_path):
    ws = reviewer_workspace(tmp_path)

    added = ok(
        "review",
        "add",
        ws,
        "--kind",
        "lcspr",
        "--title",
        "Learning from Child A",
        "--subject",
        "Child A",
        "--dob",
        "10/03/2015",
        "--scope-from",
        "01/01/2015",
        "--scope-to",
        "31/12/2017",
        "--notified",
        "02/02/2026",
    )
    assert added.strip() == "LCSPR-2026-01"
    bad = run("review", "add", ws, "--kind", "lcspr", "--title", "x", "--subject", "y", "--dob", "05/22/2016")
    assert bad.returncode == 1 and "month 22 does not exist" in bad.stderr

    listing = json.loads(run("review", "list", ws, "--json").stdout)
    assert [r["reference"] for r in listing] == ["LCSPR-2026-01"] and listing[0]["clocks"]

    source = tmp_path / "hv.csv"
    with source.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Date of contact", "Who", "Details of event", "Outcome / action taken"])
        writer.writerow(["22/05/2016", "HV1", "Home visit", "Advice"])
        writer.writerow(["May 2016?", "HV1", "Phone call", ""])
        writer.writerow(["31/02/2016", "HV1", "Impossible date", ""])
    importing = ("chronology", "import", ws, "--review", "LCSPR-2026-01", "--agency", "HV", str(source))
    failed = run(*importing, "--map", "Who=source")
    assert failed.returncode == 1
    assert "Row 4, Start date" in failed.stdout and "nothing was imported" in failed.stderr
    assert json.loads(run("chronology", "list", ws, "--review", "LCSPR-2026-01", "--json").stdout) == []

    dry = run(*importing, "--map", "Who=source", "--skip-invalid", "--dry-run")
    assert dry.returncode == 0 and "nothing was written" in dry.stdout
    done = run(*importing, "--map", "Who=source", "--skip-invalid")
    assert done.returncode == 0, done.stderr
    assert "Imported 2 entries" in done.stdout and "skipped 1 invalid row" in done.stdout

    entries = json.loads(run("chronology", "list", ws, "--review", "LCSPR-2026-01", "--agency", "HV", "--json").stdout)
    assert [(e["date_display"], e["event"], e["uncertain"]) for e in entries] == [
        ("c. May 2016", "Phone call", True),
        ("22/05/2016", "Home visit", False),
    ]
    assert entries[1]["age"] == "1y 2m"

    for fmt in ("csv", "xlsx", "docx", "pdf"):
        out = tmp_path / f"chronology.{fmt}"
        result = run(
            "chronology", "export", ws, "--review", "LCSPR-2026-01", "--format", fmt, "--out", str(out), "--anonymised"
        )
        assert result.returncode == 0, result.stderr
        assert out.stat().st_size > 100
    assert "Home visit" in (tmp_path / "chronology.csv").read_text(encoding="utf-8-sig")
    unknown = run("chronology", "list", ws, "--review", "SCR-9")
    assert unknown.returncode == 1 and "Known reviews: LCSPR-2026-01" in unknown.stderr


@pytest.mark.cli
def test_review_milestone_add_done_remove_and_register_line(tmp_path):
    ws = str(tmp_path / "ws")
    assert run("init", ws, "--name", "Alex", "--agency", "Independent", "--role", "Lead reviewer").returncode == 0
    added = run(
        "review",
        "add",
        ws,
        "--kind",
        "management",
        "--title",
        "Management review",
        "--subject",
        "Child B",
        "--reference",
        "MR-T1",
    )
    assert added.returncode == 0, added.stderr

    def clocks() -> list[dict]:
        listing = run("review", "list", ws, "--json")
        assert listing.returncode == 0, listing.stderr
        return json.loads(listing.stdout)[0]["clocks"]

    for bad_args, message in (
        (("--name", "Panel meeting", "--due", "31/02/2099"), "February 2099 has only 28 days"),
        (("--name", "Panel meeting", "--due", "05/22/2099"), "month 22 does not exist"),
        (("--name", "Panel meeting", "--due", "May 2099"), "not an exact day"),
        (("--name", "Panel meeting", "--done", "01/01/2099"), "needs a due date"),
        (("--name", "Panel meeting", "--remove"), "has no milestone 'Panel meeting'"),
        (("--name", "Panel meeting", "--remove", "--due", "01/01/2099"), "--remove cannot be combined"),
        (("--name", "Panel meeting"), "Nothing to do"),
        (("--name", "  ", "--due", "01/01/2099"), "needs a name"),
    ):
        bad = run("review", "milestone", ws, "MR-T1", *bad_args)
        usage = message in ("--remove cannot be combined", "Nothing to do")  # options that say nothing: exit 2
        assert bad.returncode == (2 if usage else 1), (bad_args, bad.stderr)
        assert message in bad.stderr and len(bad.stderr.strip().splitlines()) == 1, bad.stderr
    for option, text in (("--notified", "31/02/2026"), ("--dob", "05/22/2016"), ("--scope-from", "May 2016")):
        bad_date = run("review", "add", ws, "--kind", "rapid", "--title", "T", "--subject", "Child Z", option, text)
        assert bad_date.returncode == 1 and len(bad_date.stderr.strip().splitlines()) == 1, bad_date.stderr
        assert text in bad_date.stderr
    unknown = run("review", "milestone", ws, "XX-9", "--name", "Panel meeting", "--due", "01/01/2099")
    assert unknown.returncode == 1 and "Known reviews: MR-T1" in unknown.stderr
    assert clocks() == []  # nothing was written

    ok = run("review", "milestone", ws, "mr-t1", "--name", "Panel meeting", "--due", "2099-01-15")
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip() == "Added milestone 'Panel meeting' of MR-T1, due 15/01/2099."
    assert [(c["name"], c["due"], c["state"]) for c in clocks()] == [("Panel meeting", "2099-01-15", "pending")]
    line = run("review", "list", ws).stdout
    assert "MR-T1" in line and line.rstrip().endswith("due: Panel meeting 15/01/2099")

    redated = run("review", "milestone", ws, "MR-T1", "--name", "panel MEETING", "--due", "16-Jan-2099")
    assert redated.returncode == 0, redated.stderr
    done = run("review", "milestone", ws, "MR-T1", "--name", "Panel meeting", "--done", "20/11/2026")
    assert done.returncode == 0 and "Updated milestone 'Panel meeting'" in done.stdout, done.stderr
    assert [(c["name"], c["due"], c["done"], c["state"]) for c in clocks()] == [
        ("Panel meeting", "2099-01-16", "2026-11-20", "done")
    ]
    assert "Panel meeting" not in run("review", "list", ws).stdout  # no open clock left to show

    removed = run("review", "milestone", ws, "MR-T1", "--name", "Panel meeting", "--remove")
    assert removed.returncode == 0 and removed.stdout.startswith("Removed"), removed.stderr
    assert clocks() == []


@pytest.mark.cli
def test_import_naming_the_same_agency_in_full_is_a_reimport_not_a_duplicate(tmp_path):
    ws = reviewer_workspace(tmp_path)
    assert (
        run(
            "review", "add", ws, "--kind", "lcspr", "--title", "T", "--subject", "Child A", "--reference", "LCSPR-T1"
        ).returncode
        == 0
    )

    def write(name: str, agency: str) -> str:
        path = tmp_path / name
        with path.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["Date of contact", "Agency", "Source", "Details of event"])
            writer.writerow(["22/05/2016", agency, "PPU", "Joint home visit to mother with health visitor"])
        return str(path)

    police_return = ("chronology", "import", ws, "--review", "LCSPR-T1", "--agency", "Police")
    first = run(*police_return, write("police.csv", "Northbridge Police"))
    assert first.returncode == 0, first.stderr
    again = run(*police_return, write("police.csv", "Northbridge Police"))
    assert again.returncode == 0, again.stderr
    assert "was this return imported before?" in again.stdout
    assert "another agency" not in again.stdout and "flagged" not in again.stdout  # no Police-Police link
    health = run(
        "chronology", "import", ws, "--review", "LCSPR-T1", "--agency", "HV", write("hv.csv", "Health Visiting")
    )
    assert health.returncode == 0, health.stderr
    assert "looks like an entry another agency already recorded" in health.stdout
    assert "imported before" not in health.stdout and "2 likely duplicates flagged" in health.stdout


@pytest.mark.cli
def test_import_names_a_column_it_leaves_out_unasked_and_keeps_it_when_mapped(tmp_path):
    ws = reviewer_workspace(tmp_path)
    added = run("review", "add", ws, "--kind", "lcspr", "--title", "T", "--subject", "Child A", "--reference", "R-1")
    assert added.returncode == 0, added.stderr
    source = tmp_path / "police.csv"
    with source.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Date", "Source", "Event", "Present"])
        writer.writerow(["22/05/2016", "PPU", "Home visit", "Mother, Kerry Dawson"])
    importing = ("chronology", "import", ws, "--review", "R-1", "--agency", "Police", str(source), "--dry-run")

    unasked = ok(*importing)
    assert "Note: Column 'Present' is not imported" in unasked
    assert '--map "Present=FIELD"' in unasked
    offered = unasked.split("taken (")[1].split(")")[0].split(", ")
    assert "source" not in offered and "child_voice" in offered  # a field another column has is not offered
    for name in offered:  # the names the note offers are the names --map takes (not the stored columns')
        parse_override(f"Present={name}")

    assert "not imported: no field" not in ok(*importing, "--map", "present=ignore")
    ok(*importing[:-1], "--map", "Present=reviewer_comment")
    listed = json.loads(ok("chronology", "list", ws, "--review", "R-1", "--json"))
    assert [entry["reviewer_comment"] for entry in listed] == ["Mother, Kerry Dawson"]

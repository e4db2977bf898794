"""End to end: `chronology scan`, `person` and `dismiss` make an anonymised export that names nobody."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.helpers.cli import ok, reviewer_workspace, run


def _review_with_chronology(tmp_path: Path, reference: str, rows: list[list[str]]) -> str:
    """A reviewer's workspace with review `reference` whose Health Visiting chronology holds `rows`."""
    ws = reviewer_workspace(tmp_path)
    ok("review", "add", ws, "--kind", "lcspr", "--title", "Learning", "--subject", "Child A", "--reference", reference)
    source = tmp_path / "hv.csv"
    with source.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Date", "Source", "Event"])
        writer.writerows(rows)
    ok("chronology", "import", ws, "--review", reference, "--agency", "HV", str(source))
    return ws


@pytest.mark.cli
def test_scan_register_dismiss_then_export(tmp_path):
    ws = _review_with_chronology(
        tmp_path,
        "LCSPR-T",
        [
            ["22/05/2016", "HV1", "mother Sarah Turner seen with Rose at Tesco; Mr Kowalski next door"],
            ["23/05/2016", "HV1", "Shaz phoned: Rose's cough worse. Tension rose."],
        ],
    )

    findings = json.loads(run("chronology", "scan", ws, "--review", "LCSPR-T", "--json").stdout)
    names = {f["text"] for f in findings if f["kind"] == "possible-name"}
    assert {"Sarah", "Turner", "Rose", "Tesco", "Kowalski", "Shaz"} <= names
    assert all(f["status"] == "undecided" and f["entry"] in (1, 2) for f in findings)

    out = tmp_path / "anon.csv"
    refused = run(
        "chronology", "export", ws, "--review", "LCSPR-T", "--format", "csv", "--out", str(out), "--anonymised"
    )
    assert refused.returncode == 1 and "may still name people" in refused.stderr and not out.exists()

    added = run(
        "chronology",
        "person",
        ws,
        "--review",
        "LCSPR-T",
        "--name",
        "Sarah Turner",
        "--pseudonym",
        "Mother",
        "--role",
        "mother",
        "--also",
        "Shaz",
    )
    assert added.returncode == 0 and "as 'Mother'" in added.stdout, added.stderr
    assert (
        run(
            "chronology", "person", ws, "--review", "LCSPR-T", "--name", "Rose Turner", "--pseudonym", "Child A"
        ).returncode
        == 0
    )
    assert (
        run(
            "chronology", "person", ws, "--review", "LCSPR-T", "--name", "Kowalski", "--pseudonym", "Neighbour"
        ).returncode
        == 0
    )
    both = run("chronology", "person", ws, "--review", "LCSPR-T", "--name", "X", "--remove", "Mother")
    assert both.returncode == 2
    unknown = run("chronology", "person", ws, "--review", "LCSPR-T", "--name", "Sazza", "--of", "Auntie")
    assert unknown.returncode == 1 and "People: Child A, Mother, Neighbour" in unknown.stderr
    left = run("chronology", "scan", ws, "--review", "LCSPR-T")
    assert "'Tesco'" in left.stdout and "Sarah" not in left.stdout
    dismissed = run("chronology", "dismiss", ws, "--review", "LCSPR-T", "Tesco")
    assert dismissed.returncode == 0 and "recorded with your name" in dismissed.stdout
    clean = run("chronology", "scan", ws, "--review", "LCSPR-T")
    assert "Nothing name-like" in clean.stdout, clean.stdout
    every = json.loads(run("chronology", "scan", ws, "--review", "LCSPR-T", "--json", "--all").stdout)
    assert {f["status"] for f in every} == {"not-identifying"}
    assert {f["decided_by"] for f in every} == {"Alex"} and all(f["decided_at"] for f in every)

    done = run("chronology", "export", ws, "--review", "LCSPR-T", "--format", "csv", "--out", str(out), "--anonymised")
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8-sig")
    assert "Mother seen with Child A at Tesco; Mr Neighbour" not in text  # the title goes with the name
    assert "Mother seen with Child A at Tesco; Neighbour next door" in text
    assert "Mother phoned: Child A's cough worse. Tension rose." in text
    for name in ("Sarah", "Turner", "Shaz", "Kowalski"):
        assert name not in text
    listing = json.loads(run("chronology", "person", ws, "--review", "LCSPR-T", "--list", "--json").stdout)
    assert [p["pseudonym"] for p in listing] == ["Child A", "Mother", "Neighbour"]


@pytest.mark.cli
def test_scan_lists_every_kind_with_its_recorded_decision_and_the_export_waits_for_all(tmp_path):
    ws = _review_with_chronology(
        tmp_path,
        "LCSPR-K",
        [
            ["22/05/2016", "HV1", "Home visit; phone 01632 960123"],
            ["23/05/2016", "PC Ashdown", "Police attended NB4 7QT"],
        ],
    )
    ok("chronology", "dismiss", ws, "--review", "LCSPR-K", "Ashdown")  # the name-like word itself
    found = json.loads(run("chronology", "scan", ws, "--review", "LCSPR-K", "--json").stdout)
    statuses = {(f["kind"], f["text"], f["entry"]): f["status"] for f in found}
    assert statuses == {
        ("phone", "01632 960123", 1): "undecided",
        ("postcode", "NB4 7QT", 2): "undecided",
        ("source-person", "PC Ashdown", 2): "undecided",  # the source column: a person until decided
    }
    out = tmp_path / "anon.csv"
    refused = run(
        "chronology", "export", ws, "--review", "LCSPR-K", "--format", "csv", "--out", str(out), "--anonymised"
    )
    assert refused.returncode == 1 and "3 undecided findings" in refused.stderr and not out.exists()
    assert "source-person   'PC Ashdown'" in refused.stderr

    accepted = run("chronology", "accept", ws, "--review", "LCSPR-K", "--kind", "phone", "01632960123")
    assert accepted.returncode == 0 and "recorded with your name" in accepted.stdout, accepted.stderr
    ok("chronology", "dismiss", ws, "--review", "LCSPR-K", "--kind", "source-person", "PC Ashdown")
    left = run("chronology", "scan", ws, "--review", "LCSPR-K")
    assert "'NB4 7QT'" in left.stdout and "01632" not in left.stdout and "2 decided findings not shown" in left.stdout
    every = json.loads(run("chronology", "scan", ws, "--review", "LCSPR-K", "--json", "--all").stdout)
    decided = {f["kind"]: (f["status"], f["decided_by"], bool(f["decided_at"])) for f in every}
    assert decided["phone"] == ("accepted", "Alex", True)
    assert decided["source-person"] == ("not-identifying", "Alex", True)
    assert decided["postcode"] == ("undecided", None, False)

    done = run(
        "chronology",
        "export",
        ws,
        "--review",
        "LCSPR-K",
        "--format",
        "csv",
        "--out",
        str(out),
        "--anonymised",
        "--accept-all-findings",
    )
    assert done.returncode == 0 and "Recorded 1 accepted finding" in done.stderr, done.stderr
    every = json.loads(run("chronology", "scan", ws, "--review", "LCSPR-K", "--json", "--all").stdout)
    assert {f["kind"]: f["status"] for f in every}["postcode"] == "accepted"  # recorded, not for one export only


@pytest.mark.cli
def test_print_the_panel_pdf(tmp_path):
    ws = _review_with_chronology(tmp_path, "LCSPR-P", [["22/05/2016", "HV1", "Home visit"]])
    bad = run(
        "chronology", "print", ws, "--review", "LCSPR-P", "--out", str(tmp_path / "p.pdf"), "--columns", "Date,Mood"
    )
    assert bad.returncode == 1 and "Unknown column 'Mood'" in bad.stderr and not (tmp_path / "p.pdf").exists()
    done = run(
        "chronology",
        "print",
        ws,
        "--review",
        "LCSPR-P",
        "--out",
        str(tmp_path / "p.pdf"),
        "--columns",
        "date,event / contact",
        "--version",
        "2.1",
        "--final",
    )
    assert done.returncode == 0, done.stderr
    assert "FINAL panel chronology of LCSPR-P, version 2.1" in done.stdout
    assert (tmp_path / "p.pdf").read_bytes().startswith(b"%PDF")
    again = run("chronology", "print", ws, "--review", "LCSPR-P", "--out", str(tmp_path / "p.pdf"))
    assert again.returncode == 1  # an existing file is kept unless --overwrite

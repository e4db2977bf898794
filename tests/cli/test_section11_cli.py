"""`workbench s11 ...` end to end, in a subprocess on a real encrypted workspace."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from db.models.core import AuditEntry
from tests.helpers.cli import made_workspace, ok, opened, refused, row_count, run

pytestmark = pytest.mark.cli


def audit_count(path: Path) -> int:
    return row_count(path, AuditEntry)


@pytest.fixture
def ws_path(tmp_path: Path) -> Path:
    agencies = [("Northbridge Police", "Police", "Police"), ("Riverside Medical Practice", "GP", "Health")]
    return made_workspace(tmp_path / "ws", agencies, name="Dr Helen Marsh", role="Chair")


def _fill(path: Path, scores: dict[str, str]) -> None:
    book = load_workbook(path)
    sheet = book["Return"]
    header = next(r for r in range(1, 20) if sheet.cell(r, 1).value == "Ref")
    for row in range(header + 1, sheet.max_row + 1):
        ref = sheet.cell(row, 1).value
        if ref in scores:
            sheet.cell(row, 4).value = scores[ref]
            sheet.cell(row, 5).value = f"Evidence for {ref}"
    book.save(path)


def _moderate_in_process(path: Path, agency: str, standards: list[int]) -> None:
    from app.section11.cycles import find_cycle, find_participant
    from app.section11.frameworks import find_standard
    from app.section11.moderation import moderate

    with opened(path) as workspace, workspace.unit_of_work() as uow:
        cycle = find_cycle(uow.session, "S11 2026")
        participant = find_participant(uow.session, cycle.uuid, agency)
        for number in standards:
            moderate(uow, participant.uuid, find_standard(uow.session, cycle.framework_uuid, number).uuid, 3)


def _add_cycle(ws_path: Path, *options: str) -> None:
    """Cycle "S11 2026", added with these options."""
    ok("s11", "cycle", "add", str(ws_path), "--name", "S11 2026", *options)


def _police_cycle(ws_path: Path) -> None:
    """Cycle "S11 2026" with the Police alone taking part."""
    _add_cycle(ws_path, "--start", "2026-04-01", "--end", "2027-03-31", "--agency", "Police")


def test_a_whole_cycle_from_the_command_line(ws_path: Path, tmp_path: Path) -> None:
    frameworks = json.loads(ok("s11", "framework", "list", str(ws_path), "--json"))
    assert {f["kind"] for f in frameworks} >= {"classic", "schools"}
    ok("s11", "framework", "export", str(ws_path), "--framework", "schools", "--out", str(tmp_path / "fw.xlsx"))
    book = load_workbook(tmp_path / "fw.xlsx")
    book["Framework"]["B2"] = "2027"
    book.save(tmp_path / "fw.xlsx")
    dry = ok("s11", "framework", "import", str(ws_path), str(tmp_path / "fw.xlsx"), "--dry-run")
    # said as the chronology's dry run says it: "Would import ..." left the user to guess whether it had
    assert dry.startswith("Dry run: ") and dry.rstrip().endswith("would be imported; nothing was written.")
    assert json.loads(ok("s11", "framework", "list", str(ws_path), "--json")) == frameworks
    assert "Imported" in ok("s11", "framework", "import", str(ws_path), str(tmp_path / "fw.xlsx"))

    _add_cycle(
        ws_path,
        "--start",
        "01/04/2026",
        "--end",
        "31/03/2027",
        "--framework",
        "classic",
        "--scale",
        "score-0-3",
        "--return-due",
        "2026-06-30",
        "--all-agencies",
    )
    cycles = json.loads(ok("s11", "cycle", "list", str(ws_path), "--json"))
    assert [c["name"] for c in cycles] == ["S11 2026"] and cycles[0]["agencies"] == 2

    out = tmp_path / "returns"
    out.mkdir()
    written = ok("s11", "return", "template", str(ws_path), "--cycle", "S11 2026", "--all", "--out", str(out))
    files = sorted(out.glob("*.xlsx"))
    assert len(files) == 2 and written.count("Wrote") == 2
    police = next(f for f in files if "Police" in f.name)
    _fill(police, {f"S{n}": "3" for n in range(1, 9)})
    dry = ok("s11", "return", "import", str(ws_path), "--cycle", "S11 2026", str(police), "--dry-run")
    assert "nothing was written" in dry
    assert "Imported" in ok("s11", "return", "import", str(ws_path), "--cycle", "S11 2026", str(police))
    status = json.loads(ok("s11", "status", str(ws_path), "--cycle", "S11 2026", "--json"))
    assert {r["short_name"]: r["status"] for r in status} == {"Police": "returned", "GP": "sent"}

    _moderate_in_process(ws_path, "Police", [1, 2, 4, 5, 6, 7, 8])  # the CLI moderates one standard per call
    assert "self 3, moderated 1 (amber)" in ok(
        "s11",
        "moderate",
        str(ws_path),
        "--cycle",
        "S11 2026",
        "--agency",
        "Police",
        "--standard",
        "3",
        "--score",
        "1",
        "--rationale",
        "Training figures were a year out of date.",
    )
    status = json.loads(ok("s11", "status", str(ws_path), "--cycle", "S11 2026", "--json"))
    assert {r["short_name"]: r["status"] for r in status}["Police"] == "moderated"

    police_letter = ("s11", "letter", str(ws_path), "--cycle", "S11 2026", "--agency", "Police")
    ok(*police_letter, "--format", "docx", "--out", str(tmp_path / "letter.docx"))
    held = ok(
        "s11", "interview", str(ws_path), "--cycle", "S11 2026", "--agency", "Police", "--on", "2026-06-02", "--held"
    )
    assert held.strip() == "Interview held: 02/06/2026"
    issued = ok(*police_letter, "--format", "pdf", "--out", str(tmp_path / "letter.pdf"), "--issue")
    assert "issued" in issued and "SHA-256" in issued
    assert (tmp_path / "letter.pdf").read_bytes().startswith(b"%PDF")
    ok("s11", "report", str(ws_path), "--cycle", "S11 2026", "--format", "pdf", "--out", str(tmp_path / "r.pdf"))
    ok("s11", "report", str(ws_path), "--cycle", "S11 2026", "--format", "xlsx", "--out", str(tmp_path / "r.xlsx"))
    assert load_workbook(tmp_path / "r.xlsx").sheetnames[:2] == ["Register", "Heat map"]


def test_invalid_input_exits_1_with_one_line_and_writes_nothing(ws_path: Path, tmp_path: Path) -> None:
    _police_cycle(ws_path)
    before = audit_count(ws_path)
    ws = str(ws_path)
    bad_cycle = ("cycle", "add", ws, "--name", "Bad", "--start", "2026-04-01", "--end", "2027-03-31")
    police_s2 = ("moderate", ws, "--cycle", "S11 2026", "--agency", "Police", "--standard", "2")
    not_a_return = tmp_path / "notes.xlsx"
    not_a_return.write_text("hello")
    refusals = [
        (("cycle", "add", ws, "--name", "Bad", "--start", "31/02/2026", "--end", "2027-03-31"), "is not a date"),
        ((*bad_cycle, "--scale", "percent"), "Unknown scale"),
        ((*bad_cycle, "--agency", "Fire Service"), "Unknown agency"),
        ((*police_s2, "--score", "1"), "give the panel's rationale"),
        (
            (
                "letter",
                ws,
                "--cycle",
                "S11 2026",
                "--agency",
                "Police",
                "--format",
                "pdf",
                "--out",
                str(tmp_path / "l.pdf"),
                "--issue",
            ),
            "Northbridge Police has not been interviewed yet (status: ",
        ),
        (
            ("interview", ws, "--cycle", "S11 2026", "--agency", "Police", "--held"),
            "Give the interview's date with --on",
        ),
        ((*police_s2, "--score", "5", "--rationale", "long enough reason"), "is not a score"),
        (
            ("moderate", ws, "--cycle", "Nope", "--agency", "Police", "--standard", "2", "--score", "1"),
            "Unknown Section 11 cycle",
        ),
        (
            ("return", "template", ws, "--cycle", "S11 2026", "--agency", "GP", "--out", str(tmp_path / "gp.xlsx")),
            "is not taking part",
        ),
        (
            ("report", ws, "--cycle", "S11 2026", "--format", "pdf", "--out", str(tmp_path / "missing" / "r.pdf")),
            "does not exist",
        ),
        (("return", "import", ws, "--cycle", "S11 2026", str(not_a_return)), "not an Excel workbook"),
    ]
    for args, message in refusals:
        refused("s11", *args, message=message)
    assert audit_count(ws_path) == before
    assert not (tmp_path / "gp.xlsx").exists() and not (tmp_path / "l.pdf").exists()


def test_a_return_with_errors_is_reported_by_row_and_column_and_not_imported(ws_path: Path, tmp_path: Path) -> None:
    _police_cycle(ws_path)
    target = tmp_path / "police.xlsx"
    ok("s11", "return", "template", str(ws_path), "--cycle", "S11 2026", "--agency", "Police", "--out", str(target))
    _fill(target, {"S1": "3", "S2": "9"})
    before = audit_count(ws_path)
    result = run("s11", "return", "import", str(ws_path), "--cycle", "S11 2026", str(target))
    assert result.returncode == 1
    assert "column 'Self-assessed score'" in result.stdout and "'9' is not on the scale" in result.stdout
    assert len(result.stderr.strip().splitlines()) == 1
    assert audit_count(ws_path) == before


def test_letterhead_and_signatory_are_set_from_the_command_line(ws_path: Path) -> None:
    assert "Partnership: Safeguarding Children Partnership" in ok("s11", "letterhead", str(ws_path))
    shown = ok(
        "s11", "letterhead", str(ws_path), "--partnership", "Northbridge Safeguarding Children Partnership",
        "--letterhead", "Business Unit\\nCivic Centre, Northbridge NB1 2AA", "--signatory", "Dr Helen Marsh",
        "--role", "Independent Chair",
    )  # fmt: skip
    assert "Letterhead: Business Unit / Civic Centre, Northbridge NB1 2AA" in shown
    assert "Signed by: Dr Helen Marsh, Independent Chair" in shown
    ok("s11", "letterhead", str(ws_path), "--role", "Independent Scrutineer")  # one part changes, the rest stay
    shown = ok("s11", "letterhead", str(ws_path))
    assert "Partnership: Northbridge Safeguarding Children Partnership" in shown
    assert "Signed by: Dr Helen Marsh, Independent Scrutineer" in shown
    before = audit_count(ws_path)
    refused(
        "s11", "letterhead", str(ws_path), "--signatory", " ", message="needs the partnership's name and a signatory"
    )
    assert audit_count(ws_path) == before

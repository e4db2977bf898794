"""`workbench meeting|pack|minutes ...` end to end, in a subprocess on a real encrypted workspace."""

from __future__ import annotations

import json
from pathlib import Path

import pikepdf
import pytest

from tests.helpers.cli import made_workspace, ok, run
from tests.helpers.meetings_corpus import paper_pdf
from tests.helpers.meetings_pdf import page_texts

pytestmark = pytest.mark.cli


@pytest.fixture
def ws_path(tmp_path: Path) -> Path:
    return made_workspace(tmp_path / "ws", [("Northbridge Children's Social Care", "CSC")])


def test_meeting_agenda_papers_pack_and_minutes(ws_path: Path, tmp_path: Path) -> None:
    reference = ok(
        "meeting",
        "add",
        str(ws_path),
        "--body",
        "QA",
        "--date",
        "12/03/2026",
        "--time",
        "10:00",
        "--venue",
        "Civic Centre",
        "--chair",
        "Dr Helen Marsh",
    ).strip()
    assert reference == "QA-2026-03-12"
    add_item = ("meeting", "item", "add", str(ws_path), "--meeting", reference)
    ok(*add_item, "--title", "Action log", "--purpose", "information")
    ok(*add_item, "--title", "Case audit findings", "--restricted", "--purpose", "decision")
    audit = tmp_path / "audit.pdf"
    audit.write_bytes(paper_pdf("Audit findings", 3, marker="SECRET-AUDIT-TEXT"))
    ok("meeting", "paper", "add", str(ws_path), "--meeting", reference, "--item", "1", "--report", "actions")
    ok("meeting", "paper", "add", str(ws_path), "--meeting", reference, "--item", "2", str(audit))
    ok("meeting", "member", "add", str(ws_path), "--meeting", reference, "--name", "Jo Cleared", "--cleared")
    ok("meeting", "member", "add", str(ws_path), "--meeting", reference, "--name", "Pat Open")
    listed = json.loads(ok("meeting", "list", str(ws_path), "--json"))
    assert listed[0]["reference"] == reference and listed[0]["items"] == 2

    master = tmp_path / "pack.pdf"
    out = ok("pack", "build", str(ws_path), "--meeting", reference, "--out", str(master))
    assert "QA-2026-03-12-v1" in out
    texts = page_texts(master.read_bytes())
    assert all("OFFICIAL-SENSITIVE" in t and f"of {len(texts)}" in t for t in texts)
    assert any("SECRET-AUDIT-TEXT" in t for t in texts)

    copies = tmp_path / "copy.pdf"
    ok(
        "pack",
        "get",
        str(ws_path),
        "--meeting",
        reference,
        "--out",
        str(copies),
        "--for",
        "Jo Cleared",
        "--for",
        "Pat Open",
        "--encrypt",
        WORKBENCH_PDF_PASSPHRASE="a long pdf passphrase",
    )
    cleared = (tmp_path / "copy-Jo-Cleared.pdf").read_bytes()
    uncleared = (tmp_path / "copy-Pat-Open.pdf").read_bytes()
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(tmp_path / "copy-Pat-Open.pdf")
    cleared_text = page_texts(cleared, "a long pdf passphrase")
    open_text = page_texts(uncleared, "a long pdf passphrase")
    assert any("SECRET-AUDIT-TEXT" in t for t in cleared_text)
    assert not any("SECRET-AUDIT-TEXT" in t or "Case audit findings" in t for t in open_text)
    assert any("restricted item, papers to members only" in t for t in open_text)
    assert all("Copy for Pat Open" in t for t in open_text)

    held = ok("meeting", "held", str(ws_path), "--meeting", reference)
    assert held.strip() == (
        "QA-2026-03-12 marked as held; recorded absent (still only invited): Jo Cleared and Pat Open"
    )
    minutes = tmp_path / "minutes.docx"
    ok("minutes", "export", str(ws_path), "--meeting", reference, "--format", "docx", "--out", str(minutes))
    assert minutes.read_bytes()[:2] == b"PK"
    approved = ok("minutes", "approve", str(ws_path), "--meeting", reference)
    assert "SHA-256" in approved
    frozen = run("meeting", "item", "add", str(ws_path), "--meeting", reference, "--title", "Late item")
    assert frozen.returncode == 1 and "frozen" in frozen.stderr


@pytest.mark.parametrize(
    "content, message",
    [(b"just text, not a pdf", "is not a PDF"), (b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage", "damaged PDF")],
)
def test_bad_papers_are_refused_and_nothing_is_written(
    ws_path: Path, tmp_path: Path, content: bytes, message: str
) -> None:
    reference = ok("meeting", "add", str(ws_path), "--body", "QA", "--date", "2026-03-12").strip()
    ok("meeting", "item", "add", str(ws_path), "--meeting", reference, "--title", "Item")
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(content)
    result = run("meeting", "paper", "add", str(ws_path), "--meeting", reference, "--item", "1", str(bad))
    assert result.returncode == 1 and message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_encrypted_paper_and_unknown_meeting_are_refused(ws_path: Path, tmp_path: Path) -> None:
    import io

    reference = ok("meeting", "add", str(ws_path), "--body", "QA", "--date", "2026-03-12").strip()
    ok("meeting", "item", "add", str(ws_path), "--meeting", reference, "--title", "Item")
    locked = tmp_path / "locked.pdf"
    pdf = pikepdf.open(io.BytesIO(paper_pdf("Locked", 1)))
    pdf.save(locked, encryption=pikepdf.Encryption(owner="owner-secret", user="user-secret", R=6))
    result = run("meeting", "paper", "add", str(ws_path), "--meeting", reference, "--item", "1", str(locked))
    assert result.returncode == 1 and "encrypted PDF" in result.stderr
    out = tmp_path / "never.pdf"
    result = run("pack", "build", str(ws_path), "--meeting", "NOPE-2026-01-01", "--out", str(out))
    assert result.returncode == 1 and "Unknown meeting" in result.stderr and not out.exists()


def test_bodies_are_a_list_the_user_edits(ws_path: Path) -> None:
    """A new subgroup can be added and renamed, and meetings of it get its code in their reference."""
    assert "QA\tQuality Assurance subgroup" in ok("meeting", "body", "list", str(ws_path)).splitlines()
    ok("meeting", "body", "add", str(ws_path), "--name", "Child Death Overview Panel", "--code", "cdop")
    ok("meeting", "body", "rename", str(ws_path), "--body", "CDOP", "--name", "Child Death Overview subgroup")
    listed = json.loads(ok("meeting", "body", "list", str(ws_path), "--json"))
    assert {"code": "CDOP", "name": "Child Death Overview subgroup"} in listed
    assert len(listed) == 6  # the five usual bodies were kept when the first was added
    reference = ok("meeting", "add", str(ws_path), "--body", "CDOP", "--date", "02/02/2027").strip()
    assert reference.startswith("CDOP-2027-02-02")

    duplicate = run("meeting", "body", "add", str(ws_path), "--name", "Another", "--code", "QA")
    assert duplicate.returncode == 1
    assert "already a body" in duplicate.stderr and "Traceback" not in duplicate.stderr
    unknown = run("meeting", "body", "rename", str(ws_path), "--body", "NOPE", "--name", "X")
    assert unknown.returncode == 1 and "Unknown meeting body 'NOPE'" in unknown.stderr
    assert len(json.loads(ok("meeting", "body", "list", str(ws_path), "--json"))) == 6


def test_report_data_and_body_filter_and_an_unchanged_build_makes_no_version(ws_path: Path, tmp_path: Path) -> None:
    """Issue 12's CLI names the reports actions|reviews|section11|data; a rebuild with nothing changed is no version."""
    reference = ok("meeting", "add", str(ws_path), "--body", "QA", "--date", "2026-03-12").strip()
    ok("meeting", "item", "add", str(ws_path), "--meeting", reference, "--title", "Data")
    added = ok("meeting", "paper", "add", str(ws_path), "--meeting", reference, "--item", "1", "--report", "data")
    assert "generated at build time" in added
    by_body = ("meeting", "paper", "add", str(ws_path), "--meeting", reference, "--item", "1", "--report", "actions")
    assert "Action log (QA)" in ok(*by_body, "--filter", "body=QA")
    first = tmp_path / "v1.pdf"
    assert "QA-2026-03-12-v1" in ok("pack", "build", str(ws_path), "--meeting", reference, "--out", str(first))
    again = tmp_path / "again.pdf"
    out = ok("pack", "build", str(ws_path), "--meeting", reference, "--out", str(again))
    assert "Nothing changed since QA-2026-03-12-v1 (version 1" in out and "no new version issued" in out
    assert again.read_bytes() == first.read_bytes()
    assert "-v2" not in out


def test_pack_get_says_each_files_own_pages_and_whether_restricted_papers_are_in_it(
    ws_path: Path, tmp_path: Path
) -> None:
    """One "Pack X: 7 pages" above a member's copy without the restricted papers (4 pages) read as a
    contradiction: each file written is said with its own pages and what it holds."""
    reference = ok("meeting", "add", str(ws_path), "--body", "QA", "--date", "2026-03-12").strip()
    add_item = ("meeting", "item", "add", str(ws_path), "--meeting", reference)
    ok(*add_item, "--title", "Open audit")
    ok(*add_item, "--title", "Named case audit", "--restricted")
    for item, name in ((1, "open.pdf"), (2, "named.pdf")):
        paper = tmp_path / name
        paper.write_bytes(paper_pdf(name, 3))
        ok("meeting", "paper", "add", str(ws_path), "--meeting", reference, "--item", str(item), str(paper))
    ok("meeting", "member", "add", str(ws_path), "--meeting", reference, "--name", "Jo Cleared", "--cleared")
    ok("meeting", "member", "add", str(ws_path), "--meeting", reference, "--name", "Pat Open")
    ok("pack", "build", str(ws_path), "--meeting", reference, "--out", str(tmp_path / "built.pdf"))
    out = ok(
        "pack", "get", str(ws_path), "--meeting", reference, "--out", str(tmp_path / "c.pdf"),
        "--for", "Jo Cleared", "--for", "Pat Open",
    )  # fmt: skip
    lines = out.strip().splitlines()
    assert lines[0].startswith(f"Pack {reference}-v1, issued ")
    cleared, uncleared = (len(pikepdf.open(tmp_path / f"c-{n}.pdf").pages) for n in ("Jo-Cleared", "Pat-Open"))
    assert uncleared < cleared
    assert lines[1].endswith(f"c-Jo-Cleared.pdf  Jo Cleared's copy: {cleared} pages")
    assert lines[2].endswith(
        f"c-Pat-Open.pdf  Pat Open's copy, without restricted papers (not cleared): {uncleared} pages"
    )
    master = ok("pack", "get", str(ws_path), "--meeting", reference, "--out", str(tmp_path / "m.pdf"))
    assert master.strip().splitlines()[1].endswith(f"m.pdf  master copy, every paper: {cleared} pages")

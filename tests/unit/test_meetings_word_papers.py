"""Word papers through LibreOffice: a private, throwaway folder and profile, and one clear message when it fails.

A fake `soffice` on PATH (a script in tmp_path) stands for LibreOffice: it records how it
was called and what it could see, then converts, fails or hangs as each test needs.
"""

from __future__ import annotations

import json
import os
import stat
import sys
import tempfile
from datetime import date
from pathlib import Path

import pytest

from app.errors import InvalidInput
from app.meetings import service
from app.store.workspace import Workspace
from tests.helpers.meetings_corpus import paper_pdf
from tests.helpers.meetings_pdf import page_texts

FAKE_SOFFICE = """#!{python}
import json, os, pathlib, shutil, stat, sys, time
args = sys.argv[1:]
source = pathlib.Path(args[-1])
out = pathlib.Path(args[args.index("--outdir") + 1])
folder = source.parent
seen = {{
    "args": args,
    "folder": str(folder),
    "folder_mode": stat.S_IMODE(folder.stat().st_mode),
    "source_text": source.read_text(),
}}
pathlib.Path({log!r}).write_text(json.dumps(seen))
mode = {mode!r}
if mode == "hang":
    time.sleep(60)
if mode == "fail":
    sys.exit(77)
profile = pathlib.Path(args[0].split("=", 1)[1].removeprefix("file://"))
profile.mkdir(parents=True, exist_ok=True)
(profile / "registrymodifications.xcu").write_text("recent documents: " + str(source))
shutil.copyfile({pdf!r}, out / (source.stem + ".pdf"))
"""


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temporary directory the conversion uses, so the test can see what is left behind."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def _fake_office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    pdf = tmp_path / "converted.pdf"
    pdf.write_bytes(paper_pdf("Converted board report", 2, marker="FROM-WORD"))
    log = tmp_path / "soffice-call.json"
    script = bin_dir / "soffice"
    script.write_text(FAKE_SOFFICE.format(python=sys.executable, log=str(log), mode=mode, pdf=str(pdf)))
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", str(bin_dir))
    return log


def _word_paper(tmp_path: Path) -> Path:
    document = tmp_path / "Board report.docx"
    document.write_text("case data: Child P's review")
    return document


def test_without_libreoffice_a_word_paper_asks_for_a_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice, no libreoffice
    with pytest.raises(InvalidInput) as refused:
        service.read_paper_file(_word_paper(tmp_path))
    assert refused.value.message == (
        "Board report.docx is a Word document and LibreOffice is not installed to convert it: "
        "save it as PDF and attach the PDF."
    )


def test_a_converted_paper_uses_a_private_folder_and_profile_that_are_removed(
    workspace: Workspace, tmp_path: Path, private_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = _fake_office(tmp_path, monkeypatch, "convert")
    name, data, pages = service.read_paper_file(_word_paper(tmp_path))
    assert (name, pages) == ("Board report.pdf", 2)
    seen = json.loads(log.read_text())
    folder = Path(seen["folder"])
    assert folder.parent == private_tmp and seen["folder_mode"] == 0o700
    assert seen["source_text"] == "case data: Child P's review"  # the copy LibreOffice read was in that folder
    assert seen["args"][0] == f"-env:UserInstallation={(folder / 'profile').as_uri()}"
    assert "--headless" in seen["args"]
    assert list(private_tmp.iterdir()) == []  # document copy, PDF and profile all gone
    with workspace.unit_of_work() as uow:
        meeting = service.add_meeting(uow, body="QA", meets_on=date(2026, 3, 12))
        uow.session.flush()
        item = service.add_item(uow, meeting.uuid, "Board report")
        uow.session.flush()
        paper = service.add_file_paper(uow, item.uuid, name, data, page_count=pages)
        paper_uuid = paper.uuid
    with workspace.reading() as session:
        stored = session.get(service.MeetingPaper, paper_uuid)
        assert any("FROM-WORD" in text for text in page_texts(stored.content))


@pytest.mark.parametrize(
    "mode, message",
    [
        ("fail", "LibreOffice could not convert Board report.docx to PDF: save it as PDF and attach the PDF."),
        (
            "hang",
            "LibreOffice took longer than 2 seconds to convert Board report.docx and was stopped: "
            "save it as PDF and attach the PDF.",
        ),
    ],
)
def test_a_failed_or_hung_conversion_gives_one_clear_message_and_leaves_nothing(
    tmp_path: Path, private_tmp: Path, monkeypatch: pytest.MonkeyPatch, mode: str, message: str
) -> None:
    _fake_office(tmp_path, monkeypatch, mode)
    monkeypatch.setattr(service, "CONVERT_TIMEOUT_SECONDS", 2)
    with pytest.raises(InvalidInput) as refused:
        service.read_paper_file(_word_paper(tmp_path))
    assert refused.value.message == message
    assert list(private_tmp.iterdir()) == []


def test_the_private_folder_is_not_readable_by_others(
    tmp_path: Path, private_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """mkdtemp's 0700 holds whatever the umask: a permissive umask must not open the folder."""
    log = _fake_office(tmp_path, monkeypatch, "convert")
    previous = os.umask(0)
    try:
        service.read_paper_file(_word_paper(tmp_path))
    finally:
        os.umask(previous)
    assert json.loads(log.read_text())["folder_mode"] == 0o700

"""Every command that writes a file the user names goes through the one gate (issue 16, point 1).

A careless `--out` once replaced the encrypted database with a plaintext CSV under
its name. Each writer is driven here through the command line's own parser and
dispatcher (in this process: about a hundred runs, on a copy of the demo workspace)
against a target inside the workspace folder, an existing file without
`--overwrite`, a folder, and a fresh path. A refusal is one line on stderr, exit 1,
and no byte changed; a new writer without a row here fails
`test_every_writer_is_driven_here`.
"""

from __future__ import annotations

import argparse
import csv
import shutil
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from app.cli import build_parser, run
from app.demo import DEMO_PASSPHRASE
from app.meetings.demo import COMING_IN_DAYS, HELD_DAYS_AGO

pytestmark = pytest.mark.cli

REVIEW = "LCSPR-2024-01"
# the demo dates its meetings from the day it is built (once per test session)
MEETING = f"QA-{date.today() + timedelta(days=COMING_IN_DAYS):%Y-%m-%d}"  # its pack is issued
HELD_MEETING = f"QA-{date.today() - timedelta(days=HELD_DAYS_AGO):%Y-%m-%d}"
CYCLE = "Section 11 audit 2026"
CONTACT = "Dr Helen Marsh"  # a trusted contact of the demo member
READER = "Panel reader"  # invited to MEETING with CONTACT as their exchange contact (fixture below)

Argv = Callable[[str, str, Path], list[str]]  # (workspace, out, scratch folder) -> arguments


def _report_source(scratch: Path) -> str:
    source = scratch / "return.csv"
    if not source.exists():
        with source.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["Date of contact", "Who", "Details of event", "Outcome / action taken"])
            writer.writerow(["22/05/2016", "HV1", "Home visit", "Advice"])
    return str(source)


#: Every CLI command that writes a file the user named: (id, its options' owner, argv, file suffix).
WRITERS: list[tuple[str, str, Argv, str]] = [
    (
        "chronology-export",
        "chronology export --out",
        lambda ws, out, _s: ["chronology", "export", ws, "--review", REVIEW, "--format", "csv", "--out", out],
        ".csv",
    ),
    (
        "chronology-import-report",
        "chronology import --report",
        lambda ws, out, s: [
            "chronology",
            "import",
            ws,
            "--review",
            REVIEW,
            "--agency",
            "CSC",
            _report_source(s),
            "--map",
            "Who=source",
            "--dry-run",
            "--report",
            out,
        ],
        ".txt",
    ),
    (
        "chronology-print",
        "chronology print --out",
        lambda ws, out, _s: ["chronology", "print", ws, "--review", REVIEW, "--out", out],
        ".pdf",
    ),
    (
        "actions-export",
        "actions export --out",
        lambda ws, out, _s: ["actions", "export", ws, "--format", "pdf", "--out", out],
        ".pdf",
    ),
    ("contact-export", "contact export --out", lambda ws, out, _s: ["contact", "export", ws, "--out", out], ".card"),
    (
        "bundle-export",
        "bundle export --out",
        lambda ws, out, _s: ["bundle", "export", ws, "--to", CONTACT, "--review", REVIEW, "--out", out],
        ".bundle",
    ),
    (
        "pack-build",
        "pack build --out",
        lambda ws, out, _s: ["pack", "build", ws, "--meeting", MEETING, "--out", out],
        ".pdf",
    ),
    ("pack-get", "pack get --out", lambda ws, out, _s: ["pack", "get", ws, "--meeting", MEETING, "--out", out], ".pdf"),
    (
        "pack-send",
        "pack send --out",
        lambda ws, out, _s: ["pack", "send", ws, "--meeting", MEETING, "--for", READER, "--out", out],
        ".bundle",
    ),
    (
        "minutes-export",
        "minutes export --out",
        lambda ws, out, _s: ["minutes", "export", ws, "--meeting", HELD_MEETING, "--format", "docx", "--out", out],
        ".docx",
    ),
    (
        "s11-framework-export",
        "s11 framework export --out",
        lambda ws, out, _s: ["s11", "framework", "export", ws, "--framework", "classic", "--out", out],
        ".xlsx",
    ),
    (
        "s11-return-template",
        "s11 return template --out",
        lambda ws, out, _s: ["s11", "return", "template", ws, "--cycle", CYCLE, "--agency", "CSC", "--out", out],
        ".xlsx",
    ),
    (
        "s11-letter",
        "s11 letter --out",
        lambda ws, out, _s: ["s11", "letter", ws, "--cycle", CYCLE, "--agency", "CSC", "--format", "pdf", "--out", out],
        ".pdf",
    ),
    (
        "s11-report",
        "s11 report --out",
        lambda ws, out, _s: ["s11", "report", ws, "--cycle", CYCLE, "--format", "xlsx", "--out", out],
        ".xlsx",
    ),
    (
        "data-indicator-export",
        "data indicator export --out",
        lambda ws, out, _s: ["data", "indicator", "export", ws, "--out", out],
        ".xlsx",
    ),
    (
        "data-template",
        "data template --out",
        lambda ws, out, _s: ["data", "template", ws, "--agency", "CSC", "--period", "2026Q3", "--out", out],
        ".xlsx",
    ),
    (
        "data-report",
        "data report --out",
        lambda ws, out, _s: ["data", "report", ws, "--period", "2026Q1", "--format", "pdf", "--out", out],
        ".pdf",
    ),
]

#: Options naming (by their FILE or DIR metavar) a file the command writes; each such command is a row of WRITERS.
FILE_OPTIONS = ("--out", "--report")


def _commands(
    parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _commands(sub, (*prefix, name))
    yield " ".join(prefix), parser


def test_every_writer_is_driven_here() -> None:
    """A command gaining an --out (or --report) option must be added to WRITERS, and thereby tested."""
    found = set()
    for command, parser in _commands(build_parser()):
        for action in parser._actions:
            names_a_file = "FILE" in str(action.metavar or "") or "DIR" in str(action.metavar or "")
            for option in set(FILE_OPTIONS) & set(action.option_strings):
                if names_a_file:
                    found.add(f"{command} {option}")
                    assert any("--overwrite" in a.option_strings for a in parser._actions), (
                        f"`{command}` writes a file but has no --overwrite"
                    )
    assert found == {owner for _id, owner, _argv, _suffix in WRITERS}


@pytest.fixture(scope="module")
def demo_copy(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the demo for the module: refusals change nothing, and fresh writes go outside it."""
    target = tmp_path_factory.mktemp("writers") / "demo"
    shutil.copytree(demo_template, target, ignore=shutil.ignore_patterns(".lock"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WORKBENCH_PASSPHRASE", DEMO_PASSPHRASE)
        # the member whose sealed copy `pack send` writes: invited, with their exchange contact
        code = run(
            ["meeting", "member", "add", str(target), "--meeting", MEETING, "--name", READER, "--contact", CONTACT]
        )
    assert code == 0
    return target


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Callable[[list[str]], tuple[int, str]]:
    """Run the command line in this process as the demo member; returns (exit code, stderr)."""
    monkeypatch.setenv("WORKBENCH_PASSPHRASE", DEMO_PASSPHRASE)

    def invoke(argv: list[str]) -> tuple[int, str]:
        capsys.readouterr()
        code = run(argv)
        return code, capsys.readouterr().err

    return invoke


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and p.name != ".lock"}


def _refused(code: int, err: str, message: str) -> None:
    assert code == 1, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("workbench: ") and message in lines[0], err
    assert "unexpected error" not in err


WRITERS_BY_ID = {ident: argv for ident, _owner, argv, _suffix in WRITERS}
WRITER_PARAMS = [pytest.param(argv, suffix, id=ident) for ident, _owner, argv, suffix in WRITERS]


@pytest.mark.parametrize(("argv", "suffix"), WRITER_PARAMS)
@pytest.mark.parametrize("inside", ["sidecar", "database", "new-name"])
def test_a_target_inside_the_workspace_is_refused_and_nothing_changes(
    argv: Argv, suffix: str, inside: str, demo_copy: Path, tmp_path: Path, cli: Callable[[list[str]], tuple[int, str]]
) -> None:
    before = _snapshot(demo_copy)
    database = next(name for name in before if name.startswith("data-") and name.endswith(".db"))
    target = {"sidecar": "workspace.json", "database": database, "new-name": f"export{suffix}"}[inside]
    for extra in ([], ["--overwrite"]):  # not even when overwriting is allowed
        code, err = cli([*argv(str(demo_copy), str(demo_copy / target), tmp_path), *extra])
        # chronology print asks for a .pdf name before anything else; every other refusal is the gate's
        pdf_only = argv is WRITERS_BY_ID["chronology-print"] and not target.endswith(".pdf")
        expected = "name the file .pdf" if pdf_only else "inside the workspace folder"
        _refused(code, err, expected)
        assert _snapshot(demo_copy) == before
    assert not (demo_copy / f"export{suffix}").exists()


@pytest.mark.parametrize(("argv", "suffix"), WRITER_PARAMS)
def test_an_existing_file_is_kept_without_overwrite_and_replaced_with_it(
    argv: Argv, suffix: str, demo_copy: Path, tmp_path: Path, cli: Callable[[list[str]], tuple[int, str]]
) -> None:
    existing = tmp_path / f"mine{suffix}"
    existing.write_bytes(b"the user's own file")
    code, err = cli(argv(str(demo_copy), str(existing), tmp_path))
    _refused(code, err, "already exists")
    assert existing.read_bytes() == b"the user's own file"
    code, err = cli([*argv(str(demo_copy), str(existing), tmp_path), "--overwrite"])
    assert code == 0, err
    assert existing.read_bytes() not in (b"", b"the user's own file")


@pytest.mark.parametrize(("argv", "suffix"), WRITER_PARAMS)
def test_a_folder_is_refused(
    argv: Argv, suffix: str, demo_copy: Path, tmp_path: Path, cli: Callable[[list[str]], tuple[int, str]]
) -> None:
    folder = tmp_path / f"folder{suffix}"
    folder.mkdir()
    for extra in ([], ["--overwrite"]):
        code, err = cli([*argv(str(demo_copy), str(folder), tmp_path), *extra])
        _refused(code, err, "is a folder")
        assert folder.is_dir() and not any(folder.iterdir())


@pytest.mark.parametrize(("argv", "suffix"), WRITER_PARAMS)
def test_a_fresh_path_is_written_privately(
    argv: Argv, suffix: str, demo_copy: Path, tmp_path: Path, cli: Callable[[list[str]], tuple[int, str]]
) -> None:
    out = tmp_path / f"fresh{suffix}"
    code, err = cli(argv(str(demo_copy), str(out), tmp_path))
    assert code == 0, err
    assert out.is_file() and out.stat().st_size > 0
    assert out.stat().st_mode & 0o777 == 0o600
    assert not any(p.name.endswith(".tmp") for p in tmp_path.iterdir())


def test_templates_for_every_agency_are_not_written_into_the_workspace(
    demo_copy: Path, cli: Callable[[list[str]], tuple[int, str]]
) -> None:
    """`s11 return template --all --out DIR`: DIR is the workspace folder, so every template is refused."""
    before = _snapshot(demo_copy)
    code, err = cli(
        ["s11", "return", "template", str(demo_copy), "--cycle", CYCLE, "--all", "--out", str(demo_copy), "--overwrite"]
    )
    _refused(code, err, "inside the workspace folder")
    assert _snapshot(demo_copy) == before

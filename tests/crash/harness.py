"""Crash-consistency harness: SIGKILL real operations at random points and judge what is left (issue 16.7).

    .venv/bin/python -m tests.crash.harness --points 1000 [--seed N] [--ops import,bundle,passwd,backup,restore]

For each operation a small real encrypted workspace is built once (a template
folder) and the operation is run once uninterrupted to measure its duration and
the state it ends in. Then, point after point: the template is copied, the
operation is started as a real command-line run (`chronology import`, `bundle
import`, `passwd`, `backup`, `restore`; see tests/crash/zygote.py for how it is
started fast), and SIGKILLed after a delay drawn uniformly between 0 and the
measured duration. What is left is then judged:

* openable     - the passphrase opens it (passwd: exactly one of the old and the new
                 one does, never neither, never both);
* check passes - `check` exits 0 (integrity, audit chain, nothing left to clear);
* all-or-none  - the records are exactly those before or exactly those after the
                 operation (import: none or all rows of the file; bundle: none or all
                 of its records; restore: the state before or the backup's state, and
                 then the pre-restore point exists); backup: the new restore point is
                 there complete (sidecar and a copy that opens and passes its checks)
                 or not at all;
* leftovers    - files an interrupted operation left (a `data-*.db` the sidecar does
                 not name, a restore point without its sidecar or a sidecar without its
                 copy, `*.tmp`), counted before the unlock clears them and after `check`.

A point fails if it is not openable, `check` fails, it is not all-or-none, or a
leftover survives `check`. The exit status is 1 if any point failed.
Not part of the default test run; tests/unit/test_crash_sample.py runs 20 points.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

REPO = Path(__file__).resolve().parents[2]
OPERATIONS = ("import", "bundle", "passwd", "backup", "restore")
PASSPHRASE = "correct horse battery staple"
NEW_PASSPHRASE = "a quite different passphrase for later"
BASE_ROWS = 300  # chronology entries already in every workspace, so copies take a little while
IMPORT_ROWS = 300  # rows of the file the `import` operation imports
BUNDLE_ROWS = 200  # chronology entries in the sender's review that the bundle carries

_DATABASE = re.compile(r"^data-[0-9a-f]+\.db(?:-wal|-shm|-journal)?$")
_TMP = re.compile(r"\.tmp$")


class Zygote:
    """The forking launcher (tests/crash/zygote.py): one real CLI process per `run`."""

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "tests.crash.zygote"],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def _send(self, request: dict[str, object]) -> None:
        stdin = self._process.stdin
        assert stdin is not None
        stdin.write(json.dumps(request) + "\n")
        stdin.flush()

    def _answer(self) -> dict[str, Any]:
        stdout = self._process.stdout
        assert stdout is not None
        line = stdout.readline()
        if not line:
            raise RuntimeError("the launcher ended unexpectedly")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def run(
        self, argv: list[str], env: dict[str, str], log: Path, kill_after: float | None = None
    ) -> tuple[int, float]:
        """Run `main.py ARGV...`; SIGKILL it `kill_after` seconds after it started. (exit status, seconds)."""
        self._send({"argv": argv, "env": env, "cwd": str(REPO), "log": str(log)})
        pid = int(self._answer()["pid"])
        started = time.monotonic()
        if kill_after is not None:
            time.sleep(kill_after)
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:  # it finished first: a point after the end
                pass
        status = int(self._answer()["status"])
        return status, time.monotonic() - started

    def close(self) -> None:
        for pipe in (self._process.stdin, self._process.stdout):
            if pipe is not None:
                pipe.close()
        self._process.wait(timeout=30)


def cli_env(passphrase: str = PASSPHRASE, **extra: str) -> dict[str, str]:
    """The environment a user's shell would give: passphrases from the variables, a fast KDF."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WORKBENCH_")}
    env.update(WORKBENCH_PASSPHRASE=passphrase, WORKBENCH_KDF_ITERATIONS="1", **extra)
    return env


@dataclass
class Operation:
    """One operation to interrupt: its template workspace, its command, and the states it may leave."""

    name: str
    template: Path
    argv: Callable[[Path], list[str]]
    env: dict[str, str]
    before: dict[str, int] = field(default_factory=dict)
    after: dict[str, int] = field(default_factory=dict)
    duration: float = 0.0


@dataclass
class PointResult:
    operation: str
    delay: float
    status: int
    openable: bool
    checked: bool
    all_or_none: bool
    leftovers_before: list[str]
    leftovers_after: list[str]
    state: str  # "before", "after" or what was wrong
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.openable and self.checked and self.all_or_none and not self.leftovers_after


def _write_csv(path: Path, rows: int, label: str) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Date", "Source", "Event"])
        for i in range(rows):
            day, month = i % 28 + 1, i // 28 % 12 + 1
            writer.writerow([f"{day:02d}/{month:02d}/2016", f"{label}{i % 7}", f"{label} contact {i}: home visit"])
    return path


class Builder:
    """Makes the template workspaces through the command line, as a user would."""

    def __init__(self, zygote: Zygote, root: Path) -> None:
        self.zygote = zygote
        self.root = root
        self.log = root / "build.log"

    def cli(self, *argv: str, passphrase: str = PASSPHRASE, **extra: str) -> None:
        status, _ = self.zygote.run(list(argv), cli_env(passphrase, **extra), self.log)
        if status != 0:
            raise RuntimeError(f"building the templates: {' '.join(argv)} exited {status}: {self.log.read_text()}")

    def workspace(self, name: str, member: str, review: str, rows: int) -> Path:
        path = self.root / name
        self.cli("init", str(path), "--name", member, "--agency", "Independent", "--role", "Lead reviewer")
        self.cli("agency", "add", str(path), "--name", "Health Visiting", "--short", "HV")
        self.review(path, review)
        source = _write_csv(self.root / f"{name}-{review}.csv", rows, review)
        self.cli("chronology", "import", str(path), "--review", review, "--agency", "HV", str(source))
        return path

    def review(self, path: Path, reference: str) -> None:
        self.cli(
            "review", "add", str(path), "--kind", "lcspr", "--title", f"Learning {reference}",
            "--subject", "Child A", "--reference", reference,
        )  # fmt: skip

    def build(self, names: Iterable[str]) -> list[Operation]:
        base = self.workspace("base", "Alex", "REV-1", BASE_ROWS)
        built: list[Operation] = []
        for name in names:
            template = self.root / f"template-{name}"
            shutil.copytree(base, template)
            built.append(getattr(self, f"_{name}")(template))
        return built

    def _import(self, template: Path) -> Operation:
        self.review(template, "REV-2")
        source = _write_csv(self.root / "import.csv", IMPORT_ROWS, "NEW")
        return Operation(
            "import",
            template,
            lambda ws: ["chronology", "import", str(ws), "--review", "REV-2", "--agency", "HV", str(source)],
            cli_env(),
        )

    def _bundle(self, template: Path) -> Operation:
        sender = self.workspace("sender", "Ann", "REV-A", BUNDLE_ROWS)
        ann_card, alex_card = self.root / "ann.card", self.root / "alex.card"
        self.cli("contact", "export", str(sender), "--out", str(ann_card))
        self.cli("contact", "export", str(template), "--out", str(alex_card))
        self.cli("contact", "import", str(template), str(ann_card), "--trust")
        self.cli("contact", "import", str(sender), str(alex_card), "--trust")
        bundle = self.root / "ann.bundle"
        self.cli("bundle", "export", str(sender), "--to", "Alex", "--out", str(bundle))
        return Operation("bundle", template, lambda ws: ["bundle", "import", str(ws), str(bundle)], cli_env())

    def _passwd(self, template: Path) -> Operation:
        return Operation(
            "passwd", template, lambda ws: ["passwd", str(ws)], cli_env(WORKBENCH_NEW_PASSPHRASE=NEW_PASSPHRASE)
        )

    def _backup(self, template: Path) -> Operation:
        return Operation("backup", template, lambda ws: ["backup", str(ws)], cli_env())

    def _restore(self, template: Path) -> Operation:
        from app.store import backups

        self.cli("backup", str(template))
        point = backups.list_backups(template)[0].path.name
        self.cli("chronology", "import", str(template), "--review", "REV-1", "--agency", "HV",
                 str(_write_csv(self.root / "later.csv", 50, "LATER")))  # fmt: skip
        return Operation("restore", template, lambda ws: ["restore", str(ws), point], cli_env())


def leftovers(workspace: Path) -> list[str]:
    """Files an interrupted operation may leave, relative to the workspace (see the module's docstring)."""
    from app.store.names import SIDECAR_NAME
    from app.store.storage import Sidecar, sqlite_companions

    try:
        live = workspace / Sidecar.read(workspace / SIDECAR_NAME).database
        live_files = {live.name, *(p.name for p in sqlite_companions(live))}
    except Exception:  # no readable sidecar: every database file is suspect (and the point fails anyway)
        live_files = set()
    found = [
        p.name
        for p in workspace.iterdir()
        if p.is_file() and p.name not in live_files and (_DATABASE.match(p.name) or _TMP.search(p.name))
    ]
    folder = workspace / "backups"
    if folder.is_dir():
        for p in folder.iterdir():
            name = p.name
            stem = re.sub(r"(?:-wal|-shm|-journal)$", "", name)
            if (
                _TMP.search(name)
                or (name.endswith(".db") and not p.with_suffix(".json").exists())
                or (name.endswith(".json") and not p.with_suffix(".db").exists())
                or (stem != name and not (folder / stem).with_suffix(".json").exists())
            ):
                found.append(f"backups/{name}")
    return sorted(found)


def _records(workspace: Any) -> dict[str, int]:
    records: dict[str, int] = workspace.info()["records"]
    return dict(records)


def _point_names(workspace: Path) -> set[str]:
    folder = workspace / "backups"
    return {p.name for p in folder.glob("*.db")} if folder.is_dir() else set()


class Judge:
    """Opens, checks and compares what a killed operation left."""

    def __init__(self, zygote: Zygote) -> None:
        self.zygote = zygote

    def _compare(self, op: Operation, workspace: Path, opened: Any, result: PointResult) -> None:
        """All or none: the records are those before or those after; a new restore point is whole."""
        from app.store.storage import Sidecar, verify_encrypted_copy

        records = _records(opened)
        new_points = sorted(_point_names(workspace) - _point_names(op.template))
        if records == op.before:
            result.state = "before"
        elif records == op.after:
            result.state = "after"
        else:
            result.state = "neither"
            result.problem = f"records {records} are neither {op.before} nor {op.after}"
        result.all_or_none = result.state in ("before", "after")
        if op.name == "backup":
            literal = opened._keys.sqlcipher_key_literal()
            for name in new_points:
                point = workspace / "backups" / name
                try:
                    Sidecar.read(point.with_suffix(".json"))
                    verify_encrypted_copy(point, literal)
                except Exception as exc:
                    result.all_or_none = False
                    result.problem = f"restore point {name} incomplete: {type(exc).__name__}: {exc}"
            result.state = "after" if new_points else "before"
            if len(new_points) > 1:
                result.all_or_none = False
                result.problem = f"{len(new_points)} new restore points"
        elif op.name == "restore" and result.state == "after":
            if not any(name.startswith("pre-restore-") for name in new_points):
                result.all_or_none = False
                result.problem = "restored, but the state it replaced was not kept as a pre-restore point"

    def judge(self, op: Operation, workspace: Path, delay: float, status: int, log: Path) -> PointResult:
        from app.errors import WrongPassphrase
        from app.store.workspace import Workspace

        found_before = leftovers(workspace)
        result = PointResult(op.name, delay, status, False, False, False, found_before, [], "")
        candidates = (PASSPHRASE, NEW_PASSPHRASE) if op.name == "passwd" else (PASSPHRASE,)
        opening = []
        for candidate in candidates:  # each open is a real unlock: the first clears the leftovers
            try:
                opened = Workspace.open(workspace, candidate, backup_on_unlock=False)
            except WrongPassphrase:
                continue
            except Exception as exc:  # any other refusal: not openable
                result.problem = f"open: {type(exc).__name__}: {exc}"
                return result
            opening.append(candidate)
            try:
                self._compare(op, workspace, opened, result)
            finally:
                opened.lock()
        result.openable = len(opening) == 1
        if not result.openable:
            result.all_or_none = False
            result.problem = f"{len(opening)} of the passphrases open it"
            return result
        passphrase = opening[0]
        if op.name == "passwd":
            result.state = "after" if passphrase == NEW_PASSPHRASE else "before"
        check_status, _ = self.zygote.run(["check", str(workspace)], cli_env(passphrase), log)
        result.checked = check_status == 0
        if not result.checked:
            result.problem = result.problem or f"check exited {check_status}: {log.read_text()[-500:]}"
        result.leftovers_after = leftovers(workspace)
        if result.leftovers_after and not result.problem:
            result.problem = f"left after check: {result.leftovers_after}"
        return result


def measure(zygote: Zygote, op: Operation, scratch: Path, runs: int = 1) -> None:
    """Uninterrupted runs: the shortest duration, and the records before and after.

    The shortest of several, because a run measured while the machine is busy
    overstates the duration, and delays past a later, quicker run's end kill nothing.
    """
    from app.store.workspace import Workspace

    opened = Workspace.open(op.template, PASSPHRASE, backup_on_unlock=False)
    try:
        op.before = _records(opened)
    finally:
        opened.lock()
    durations = []
    for _ in range(runs):
        workspace = scratch / f"measure-{op.name}"
        shutil.copytree(op.template, workspace)
        log = scratch / "measure.log"
        status, seconds = zygote.run(op.argv(workspace), op.env, log)
        if status != 0:
            raise RuntimeError(f"{op.name} did not succeed uninterrupted ({status}): {log.read_text()}")
        durations.append(seconds)
        passphrase = NEW_PASSPHRASE if op.name == "passwd" else PASSPHRASE
        opened = Workspace.open(workspace, passphrase, backup_on_unlock=False)
        try:
            op.after = _records(opened)
        finally:
            opened.lock()
        shutil.rmtree(workspace)
    op.duration = min(durations)


@dataclass
class Run:
    operations: list[Operation]
    results: list[PointResult]
    seconds: float

    @property
    def failures(self) -> list[PointResult]:
        return [r for r in self.results if not r.ok]

    def table(self) -> str:
        lines = [
            "| Operation | Normal run | Points | Killed | Openable | Check passes | All-or-none "
            "| Before / after | Points with leftovers before cleanup (files) | Leftovers after `check` |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for op in self.operations:
            rows = [r for r in self.results if r.operation == op.name]
            if not rows:
                continue
            killed = sum(r.status == -signal.SIGKILL for r in rows)
            before = sum(r.state == "before" for r in rows)
            after = sum(r.state == "after" for r in rows)
            with_left = sum(bool(r.leftovers_before) for r in rows)
            files = sum(len(r.leftovers_before) for r in rows)
            lines.append(
                f"| {op.name} | {op.duration * 1000:.0f} ms | {len(rows)} | {killed} "
                f"| {sum(r.openable for r in rows)} | {sum(r.checked for r in rows)} "
                f"| {sum(r.all_or_none for r in rows)} | {before} / {after} | {with_left} ({files}) "
                f"| {sum(len(r.leftovers_after) for r in rows)} |"
            )
        return "\n".join(lines)


def run_harness(
    points: int,
    seed: int,
    ops: Iterable[str] = OPERATIONS,
    workdir: Path | None = None,
    progress: IO[str] | None = None,
    keep_failures: bool = False,
    max_seconds: float | None = None,
    measure_runs: int = 1,
) -> Run:
    """Build, measure, then kill `points` runs spread evenly over `ops` (in turn)."""
    names = list(ops)
    unknown = set(names) - set(OPERATIONS)
    if unknown:
        raise SystemExit(f"unknown operations: {', '.join(sorted(unknown))} (choose from {', '.join(OPERATIONS)})")
    root = Path(tempfile.mkdtemp(prefix="crash-", dir=workdir))
    os.umask(0o077)
    rng = random.Random(seed)
    zygote = Zygote()
    started = time.monotonic()
    results: list[PointResult] = []
    try:
        operations = Builder(zygote, root).build(names)
        for op in operations:
            measure(zygote, op, root, measure_runs)
            if progress:
                print(f"{op.name}: normal run {op.duration * 1000:.0f} ms", file=progress, flush=True)
        judge = Judge(zygote)
        log = root / "point.log"
        for index in range(points):
            if max_seconds is not None and time.monotonic() - started > max_seconds:
                if progress:
                    print(f"stopped after {index} points: --max-seconds {max_seconds:.0f} reached", file=progress)
                break
            op = operations[index % len(operations)]
            delay = rng.uniform(0, op.duration)
            workspace = root / f"point-{index}"
            shutil.copytree(op.template, workspace)
            status, _ = zygote.run(op.argv(workspace), op.env, log, kill_after=delay)
            result = judge.judge(op, workspace, delay, status, log)
            results.append(result)
            if not result.ok and progress:
                print(f"point {index} ({op.name}, {delay * 1000:.0f} ms) FAILED: {result.problem}", file=progress)
            if result.ok or not keep_failures:
                shutil.rmtree(workspace)
            if progress and (index + 1) % 50 == 0:
                print(f"{index + 1} points, {time.monotonic() - started:.0f} s", file=progress, flush=True)
    finally:
        zygote.close()
        if not (keep_failures and any(not r.ok for r in results)):
            shutil.rmtree(root, ignore_errors=True)
        elif progress:
            print(f"failed points kept in {root}", file=progress)
    return Run(operations, results, time.monotonic() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.crash.harness", description=__doc__.split("\n")[0])
    parser.add_argument("--points", type=int, default=1000, help="crash points in all (default 1000)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: a new one, printed)")
    parser.add_argument("--ops", default=",".join(OPERATIONS), help="comma-separated, from: " + ", ".join(OPERATIONS))
    parser.add_argument("--workdir", type=Path, default=None, help="where the scratch folder goes (default: /tmp)")
    parser.add_argument("--keep-failures", action="store_true", help="keep the workspaces of failed points")
    parser.add_argument(
        "--measure-runs", type=int, default=3, help="uninterrupted runs per operation; the shortest sets the window"
    )
    parser.add_argument("--max-seconds", type=float, default=None, help="stop taking new points after this long")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1_000_000)
    print(f"seed {seed}, {args.points} points over {args.ops}", flush=True)
    result = run_harness(
        args.points, seed, [o.strip() for o in args.ops.split(",") if o.strip()], args.workdir, sys.stdout,
        args.keep_failures, args.max_seconds, args.measure_runs,
    )  # fmt: skip
    print()
    print(result.table())
    print()
    print(f"{len(result.results)} points in {result.seconds:.0f} s; {len(result.failures)} failed.")
    return 1 if result.failures else 0


if __name__ == "__main__":
    sys.exit(main())
